-- Neovim 0.11+ configuration for vim.lsp.config / vim.lsp.enable.
-- With this folder on 'runtimepath':
--   vim.lsp.config("archlens", { settings = { archlens = { ... } } }) -- optional overrides
--   vim.lsp.enable("archlens")
---@type vim.lsp.Config
return {
  cmd = { "archlens", "lsp" },
  filetypes = { "yaml", "json", "rust", "toml", "sql" },
  -- Tried in order (an inner list is one level of equal priority): a
  -- project's archlens.toml wins over a nested crate's Cargo.toml.
  root_markers = { "archlens.toml", ".git", "Cargo.toml", { "openapi.yaml", "openapi.json" } },
  -- Answered to workspace/configuration (section "archlens" reads
  -- settings.archlens) and sent with didChangeConfiguration.
  settings = {},
  -- The server also reads initializationOptions at start-up: send the
  -- settings there too (as setup() does) unless init_options is set.
  before_init = function(params, config)
    -- Not when empty: Lua's {} would go out as a JSON array, [].
    if params.initializationOptions == nil and not vim.tbl_isempty(config.settings or {}) then
      params.initializationOptions = config.settings
    end
  end,
}
