-- What a user does with trustc in Neovim, checked step by step (run.sh sets the stage). Each
-- step prints "ok - ..." or "not ok - ..."; any failure ends Neovim with exit status 1.
local trustc = os.getenv("TRUSTC")
local failures = 0

local function say(line)
  io.stdout:write(line .. "\n")
end

local function check(ok, what, detail)
  if ok then
    say("ok - " .. what)
  else
    failures = failures + 1
    say("not ok - " .. what .. (detail and (": " .. vim.inspect(detail)) or ""))
  end
  return ok
end

-- Messages the client shows the user (errors of requests included) are kept to be checked.
local shown = {}
vim.notify = function(message)
  table.insert(shown, message)
end

local function client()
  return vim.lsp.get_active_clients()[1]
end

local function text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") .. "\n"
end

-- 0-based line and column of `needle` (plus `skip`) in the buffer; the files are ASCII, so
-- bytes and UTF-16 units agree.
local function find(buf, needle, skip)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local at = line:find(needle, 1, true)
    if at then
      return i - 1, at - 1 + (skip or 0)
    end
  end
  error("not in the buffer: " .. needle)
end

local function position_params(buf, needle, skip)
  local line, character = find(buf, needle, skip)
  return {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line, character = character },
  }
end

local function request(buf, method, params)
  local responses = vim.lsp.buf_request_sync(buf, method, params, 10000) or {}
  for _, response in pairs(responses) do
    return response.result, response.error
  end
  return nil, "no response"
end

local function errors(buf)
  return #vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR })
end

local function wait(condition)
  return vim.wait(10000, condition, 20)
end

local function put_cursor(buf, needle, skip)
  local line, character = find(buf, needle, skip)
  vim.api.nvim_win_set_cursor(0, { line + 1, character })
end

local function steps()
  vim.cmd("edit main.trust")
  local main = vim.api.nvim_get_current_buf()
  check(vim.bo.filetype == "trust", "filetype trust (vim.g.do_filetype_lua)")
  check(wait(function()
    local c = client()
    return c ~= nil and c.initialized and vim.lsp.buf_is_attached(main, c.id)
  end), "trustc lsp started and attached from the FileType autocmd")

  -- A typo: an error appears where it is.
  local line, column = find(main, "trust endpoint_ca {", 6)
  vim.api.nvim_buf_set_text(main, line, column, line, column + 11, { "endpoint_cb" })
  check(wait(function()
    return errors(main) > 0
  end), "diagnostics appear after a typo")
  local first = vim.diagnostic.get(main, { severity = vim.diagnostic.severity.ERROR })[1] or {}
  check(first.lnum == line and first.col == column, "the error is on the typo",
    { first.lnum, first.col })

  -- The typo is unrelated to provisioning_ca: its facts still show.
  local hover = request(main, "textDocument/hover", position_params(main, "trust provisioning_ca", 8))
  local value = hover and hover.contents and hover.contents.value or ""
  check(value:find("OU=Provisioning Services", 1, true) and value:find("api_gateway", 1, true),
    "hover on a certificate while an unrelated name is wrong", value)

  -- The did-you-mean quick fix, picked in the client's own code action menu.
  vim.ui.select = function(items, opts, on_choice)
    for _, item in ipairs(items) do
      if opts.format_item(item):find("Change to `endpoint_ca`", 1, true) then
        return on_choice(item)
      end
    end
    on_choice(nil)
  end
  put_cursor(main, "endpoint_cb")
  vim.lsp.buf.code_action()
  check(wait(function()
    return text(main):find("trust endpoint_ca {", 1, true) ~= nil
  end), "code action: did-you-mean applied")
  check(wait(function()
    return errors(main) == 0
  end), "diagnostics clear after the fix")

  -- Completion after `for `: purposes, not keywords.
  local anchor_line = find(main, "    anchor")
  vim.api.nvim_buf_set_lines(main, anchor_line + 1, anchor_line + 1, false, { "    for " })
  local items = request(main, "textDocument/completion", {
    textDocument = { uri = vim.uri_from_bufnr(main) },
    position = { line = anchor_line + 1, character = 8 },
  }) or {}
  local labels = {}
  for _, item in ipairs(items.items or items) do
    labels[item.label] = true
  end
  check(labels.ssl and labels.signing_client_certs and not labels.import and not labels.gateway,
    "completion after `for ` offers purposes only", vim.tbl_keys(labels))
  vim.api.nvim_buf_set_lines(main, anchor_line + 1, anchor_line + 2, false, {})

  -- Definition into the standard library: a read-only document.
  put_cursor(main, "layer7.client_ca", 8)
  vim.lsp.buf.definition()
  check(wait(function()
    return vim.api.nvim_buf_get_name(0):find("layer7.trust$") ~= nil
  end), "definition into the standard library", vim.api.nvim_buf_get_name(0))
  check(vim.bo.readonly or not vim.bo.modifiable, "the standard library opens read-only")
  vim.cmd("buffer " .. main)

  -- Definition into another module, then rename across the two files.
  vim.cmd("edit extra.trust")
  local extra = vim.api.nvim_get_current_buf()
  put_cursor(extra, "shared.root_ca", 8)
  vim.lsp.buf.definition()
  check(wait(function()
    return vim.api.nvim_buf_get_name(0):find("lib/shared.trust$") ~= nil
  end), "definition into another module", vim.api.nvim_buf_get_name(0))
  local shared = vim.api.nvim_get_current_buf()
  vim.cmd("buffer " .. extra)
  put_cursor(extra, "shared.root_ca", 8)
  vim.lsp.buf.rename("edge_ca")
  check(wait(function()
    return text(extra):find("shared.edge_ca", 1, true) and text(shared):find("cert edge_ca", 1, true)
  end), "rename across two files", { text(extra), text(shared) })
  local _, refused = request(main, "textDocument/rename",
    vim.tbl_extend("force", position_params(main, "cert eta_server", 5), { newName = "endpoint_ca" }))
  check(refused and refused.message:find("already declared", 1, true),
    "rename into a clash is refused", refused)

  -- "Format document" from the code action menu: resolved by the server when chosen.
  vim.cmd("buffer " .. main)
  local clean = text(main)
  line, column = find(main, "cert endpoint_ca {")
  vim.api.nvim_buf_set_text(main, line, column, line, column + 18, { "cert  endpoint_ca  {" })
  vim.ui.select = function(items, opts, on_choice)
    for _, item in ipairs(items) do
      if opts.format_item(item) == "Format document" then
        return on_choice(item)
      end
    end
    on_choice(nil)
  end
  put_cursor(main, "cert  endpoint_ca")
  vim.lsp.buf.code_action()
  check(wait(function()
    return text(main) == clean
  end), "code action: format document (resolved on choice)")

  -- Formatting gives what `trustc fmt` gives.
  line, column = find(main, "cert endpoint_ca {")
  vim.api.nvim_buf_set_text(main, line, column, line, column + 18, { "cert    endpoint_ca   {  " })
  local messy = vim.fn.tempname() .. ".trust"
  vim.fn.writefile(vim.api.nvim_buf_get_lines(main, 0, -1, false), messy)
  local expected = vim.fn.system({ trustc, "fmt", messy })
  vim.lsp.buf.formatting_sync(nil, 10000)
  check(vim.v.shell_error == 0 and text(main) == expected, "formatting equals trustc fmt")

  -- Formatting a file with a syntax error: an error the user sees.
  vim.api.nvim_buf_set_lines(main, -1, -1, false, { "cert {" })
  vim.lsp.buf.formatting()
  check(wait(function()
    for _, message in ipairs(shown) do
      if message:find("syntax error on line", 1, true) then
        return true
      end
    end
    return false
  end), "formatting a syntax error shows why", shown)
end

local ok, problem = xpcall(steps, debug.traceback)
check(ok, "the script ran to the end", problem)
say(failures == 0 and "neovim: all steps passed" or ("neovim: " .. failures .. " step(s) failed"))
vim.cmd(failures == 0 and "qa!" or "cquit 1")
