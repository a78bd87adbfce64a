-- Opens a file with the archlens plugin in a real terminal UI, shows its diagnostics
-- inline and the hover of the first finding, then writes ARCHLENS_SCREEN_READY so that
-- screen.py can capture the screen. Runs under screen.py, not on its own.
local BIN = os.getenv("ARCHLENS_BIN")
local READY = os.getenv("ARCHLENS_SCREEN_READY")
local script = debug.getinfo(1, "S").source:gsub("^@", "")
vim.opt.runtimepath:prepend(vim.fn.fnamemodify(script, ":p:h:h"))
vim.opt.termguicolors = false
vim.opt.number = true
vim.opt.signcolumn = "yes"
vim.opt.showmode = false
vim.diagnostic.config({ virtual_text = { prefix = "■" }, signs = true, underline = true })
require("archlens").setup({ cmd = { BIN, "lsp" } })

vim.api.nvim_create_autocmd("DiagnosticChanged", {
  callback = function(args)
    local found = vim.diagnostic.get(args.buf, { severity = { min = vim.diagnostic.severity.INFO } })
    if #found == 0 or vim.g.archlens_screen_done then
      return
    end
    vim.g.archlens_screen_done = true
    table.sort(found, function(a, b)
      return a.lnum < b.lnum
    end)
    local first = found[1]
    vim.defer_fn(function()
      vim.api.nvim_win_set_cursor(0, { first.lnum + 1, first.col })
      vim.cmd("normal! zz")
      vim.lsp.buf.hover({ border = "rounded", max_width = 80, max_height = 12 })
      vim.defer_fn(function()
        local file = io.open(READY, "w")
        if file then
          file:write("ready\n")
          file:close()
        end
      end, 1500)
    end, 500)
  end,
})
