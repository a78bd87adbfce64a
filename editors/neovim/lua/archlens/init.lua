--- archlens for Neovim 0.10+: starts `archlens lsp` for the buffers it checks
--- and adds `:ArchlensExplain`.
---
---   require("archlens").setup({
---     cmd = { "archlens", "lsp" },              -- how to start the server
---     settings = { archlens = { ... } },        -- sent as initializationOptions and settings
---   })
---
--- The plugin has no logic of its own: diagnostics, hovers and fixes all come
--- from the server through Neovim's built-in LSP client.
local M = {}

--- Options for |archlens.setup()|. Every field is optional.
---@class archlens.Opts
---@field cmd? string[] Command that starts the language server.
---@field explain_cmd? string[] Command prefix for `:ArchlensExplain` (`explain CODE` is appended). Defaults to the program of the attached archlens client, else `{ cmd[1] }`.
---@field filetypes? string[] Filetypes to attach to.
---@field root_markers? (string|string[])[] Files or folders that mark the project root, in priority order; an inner list is one level of equal priority.
---@field settings? table Sent as `initializationOptions` and answered to `workspace/configuration`.
---@field on_attach? fun(client: vim.lsp.Client, bufnr: integer)
---@field capabilities? table Extra client capabilities, merged over Neovim's defaults.

---@type archlens.Opts
M.defaults = {
  cmd = { "archlens", "lsp" },
  filetypes = { "yaml", "json", "rust", "toml", "sql" },
  -- Priority order, not nearest-first: a project's archlens.toml wins over a
  -- nested crate's Cargo.toml, so a monorepo gets one server for the whole tree.
  root_markers = { "archlens.toml", ".git", "Cargo.toml", { "openapi.yaml", "openapi.json" } },
  settings = {},
}

--- The options in force after `setup()`.
---@type archlens.Opts
M.options = vim.deepcopy(M.defaults)

local augroup = vim.api.nvim_create_augroup("archlens", { clear = true })

--- Finds the project root of a buffer or file, trying each marker (or group
--- of markers) in order; falls back to the file's own folder (single-file mode).
---@param source integer|string A buffer number or a file path.
---@param markers? (string|string[])[] Defaults to the configured root_markers.
---@return string?
function M.root_dir(source, markers)
  markers = markers or M.options.root_markers
  local name = type(source) == "number" and vim.api.nvim_buf_get_name(source) or source
  if name == "" then
    return nil
  end
  local dir = vim.fs.dirname(vim.fs.normalize(vim.fn.fnamemodify(name, ":p")))
  for _, marker in ipairs(markers) do
    -- vim.fs.find accepts one name or a list of names (same priority).
    local found = vim.fs.find(marker, { upward = true, path = dir, limit = 1 })
    if found[1] then
      return vim.fs.dirname(found[1])
    end
  end
  return dir
end

--- Starts (or reuses) the archlens client for one buffer.
---@param bufnr integer
function M.start(bufnr)
  local opts = M.options
  -- Only real files: not help, terminals, scratch or unnamed buffers.
  if vim.bo[bufnr].buftype ~= "" or vim.api.nvim_buf_get_name(bufnr) == "" then
    return
  end
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  if opts.capabilities then
    capabilities = vim.tbl_deep_extend("force", capabilities, opts.capabilities)
  end
  vim.lsp.start({
    name = "archlens",
    cmd = opts.cmd,
    root_dir = M.root_dir(bufnr, opts.root_markers),
    -- The server reads its settings from initializationOptions at start-up
    -- and from workspace/configuration (answered from `settings`) later;
    -- Neovim also sends didChangeConfiguration with them after initialize.
    -- (nil when empty: Lua's {} would go out as a JSON array, [].)
    init_options = not vim.tbl_isempty(opts.settings or {}) and opts.settings or nil,
    settings = opts.settings,
    capabilities = capabilities,
    on_attach = opts.on_attach,
  }, { bufnr = bufnr })
end

--- The rule code of a diagnostic: `code` as Neovim stores it, or the raw LSP
--- diagnostic that Neovim keeps in `user_data.lsp`.
---@param diagnostic vim.Diagnostic
---@return string?
local function diagnostic_code(diagnostic)
  local code = diagnostic.code
  if code == nil then
    local lsp = diagnostic.user_data and diagnostic.user_data.lsp
    code = lsp and lsp.code
  end
  if code == nil or code == vim.NIL then
    return nil
  end
  return tostring(code)
end

--- The code of the archlens diagnostic under the cursor: one whose range
--- covers the cursor first, else the first one on the cursor's line.
---@return string?
function M.code_under_cursor()
  local bufnr = vim.api.nvim_get_current_buf()
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  local lnum = row - 1
  local on_line = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = lnum })) do
    -- Other servers' diagnostics on the same line are not ours to explain.
    if d.source == nil or d.source == "archlens" then
      if diagnostic_code(d) then
        table.insert(on_line, d)
      end
    end
  end
  for _, d in ipairs(on_line) do
    local end_lnum = d.end_lnum or d.lnum
    local end_col = d.end_col or d.col
    local after_start = lnum > d.lnum or col >= d.col
    local before_end = lnum < end_lnum or col < end_col
    if after_start and before_end then
      return diagnostic_code(d)
    end
  end
  return on_line[1] and diagnostic_code(on_line[1]) or nil
end

--- The executable (and leading arguments) to run `explain` with: the
--- explain_cmd option, else the program of the archlens client attached to
--- the current buffer (whichever way it was started), else setup()'s cmd.
---@return string[]
local function explain_prefix()
  local opts = M.options
  if opts.explain_cmd then
    return vim.deepcopy(opts.explain_cmd)
  end
  local get_clients = vim.lsp.get_clients or vim.lsp.get_active_clients
  for _, client in ipairs(get_clients({ name = "archlens", bufnr = 0 })) do
    local cmd = client.config.cmd
    if type(cmd) == "table" and cmd[1] then
      return { cmd[1] }
    end
  end
  return { type(opts.cmd) == "table" and opts.cmd[1] or "archlens" }
end

--- Runs `archlens explain CODE` and shows its output in a floating window.
---@param code string A rule code (API004) or name (trailing-slash-path).
function M.explain(code)
  local argv = vim.list_extend(explain_prefix(), { "explain", code })
  local ok, err = pcall(vim.system, argv, { text = true }, function(result)
    -- vim.system calls back on a libuv thread: UI work must be scheduled.
    vim.schedule(function()
      if result.code ~= 0 then
        local message = vim.trim((result.stderr or "") .. "\n" .. (result.stdout or ""))
        vim.notify(("archlens explain %s failed: %s"):format(code, message), vim.log.levels.ERROR)
        return
      end
      local lines = vim.split(vim.trim(result.stdout or ""), "\n", { plain = true })
      vim.lsp.util.open_floating_preview(lines, "markdown", {
        border = "rounded",
        focus_id = "archlens_explain", -- a second call focuses the window
        max_width = math.min(100, math.floor(vim.o.columns * 0.8)),
        max_height = math.floor(vim.o.lines * 0.6),
      })
    end)
  end)
  if not ok then
    -- vim.system raises at once when the executable does not exist.
    vim.notify(("archlens: cannot run %s: %s"):format(argv[1], err), vim.log.levels.ERROR)
  end
end

--- `:ArchlensExplain [CODE]`: the given code or name, else the code of the
--- diagnostic under the cursor.
---@param args string
function M.explain_command(args)
  local code = args ~= "" and args or M.code_under_cursor()
  if not code then
    vim.notify("archlens: no archlens diagnostic under the cursor", vim.log.levels.WARN)
    return
  end
  M.explain(code)
end

--- Defines the user commands. plugin/archlens.lua defines them too, so they
--- exist for vim.lsp.enable() and nvim-lspconfig users who never call setup().
function M.create_commands()
  vim.api.nvim_create_user_command("ArchlensExplain", function(cmd)
    M.explain_command(cmd.args)
  end, {
    nargs = "?",
    desc = "Explain the archlens rule under the cursor (or the given code or name)",
  })
end

--- Configures the plugin and starts the server for matching buffers,
--- including those already open.
---@param opts? archlens.Opts
function M.setup(opts)
  if vim.fn.has("nvim-0.10") == 0 then
    vim.notify("archlens needs Neovim 0.10 or later", vim.log.levels.ERROR)
    return
  end
  M.options = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts or {})
  -- Lists replace the defaults rather than merging index by index.
  for _, key in ipairs({ "cmd", "filetypes", "root_markers", "explain_cmd" }) do
    if opts and opts[key] then
      M.options[key] = opts[key]
    end
  end

  vim.api.nvim_clear_autocmds({ group = augroup })
  vim.api.nvim_create_autocmd("FileType", {
    group = augroup,
    pattern = M.options.filetypes,
    callback = function(args)
      M.start(args.buf)
    end,
  })
  M.create_commands()

  -- setup() may run after files were opened (lazy loading).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.options.filetypes, vim.bo[bufnr].filetype) then
      M.start(bufnr)
    end
  end
end

return M
