-- Defines :ArchlensExplain at start-up without loading the module until the
-- command is used. The language server itself is started by setup() or by
-- vim.lsp.enable("archlens") (see lsp/archlens.lua).
if vim.g.loaded_archlens then
  return
end
vim.g.loaded_archlens = true

vim.api.nvim_create_user_command("ArchlensExplain", function(cmd)
  require("archlens").explain_command(cmd.args)
end, {
  nargs = "?",
  desc = "Explain the archlens rule under the cursor (or the given code or name)",
})
