-- trustc in Neovim 0.7 (Debian 12) with the built-in LSP client and no plugins: the setup
-- docs/editors.md gives, used as is by the editor test (run.sh). 0.7 has neither
-- vim.lsp.start nor vim.fs: Lua filetype detection must be switched on, and the client is
-- started once and attached to every .trust buffer from a FileType autocmd.
vim.g.do_filetype_lua = 1
vim.filetype.add({ extension = { trust = "trust" } })

local trustc_client = nil
vim.api.nvim_create_autocmd("FileType", {
  pattern = "trust",
  callback = function(args)
    if trustc_client == nil then
      trustc_client = vim.lsp.start_client({
        name = "trustc",
        cmd = { os.getenv("TRUSTC") or "trustc", "lsp" },
        root_dir = vim.fn.getcwd(),
      })
    end
    vim.lsp.buf_attach_client(args.buf, trustc_client)
  end,
})
