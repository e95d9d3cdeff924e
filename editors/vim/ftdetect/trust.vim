" .trust files: trustc policy-as-code (https://example.invalid/trustc)
autocmd BufRead,BufNewFile *.trust setfiletype trust
