-- Headless end-to-end test of the Neovim client against a real archlens binary.
--
--   ARCHLENS_BIN=/path/to/archlens ARCHLENS_TEST_MODE=config|setup \
--     nvim --headless --clean -n -i NONE -u test.lua
--
-- Mode "config" starts the server the Neovim 0.11 way (lsp/archlens.lua on the
-- runtimepath, vim.lsp.config + vim.lsp.enable); mode "setup" through
-- require("archlens").setup(). Each case prints one JSON line on stdout:
--   {"n":1,"mode":"config","case":"...","ok":true,"detail":...}
-- The process exits with :cquit 1 on any failure and :qa! when all pass.
-- test/run.sh runs both modes and sums the results.

local MODE = os.getenv("ARCHLENS_TEST_MODE") or "config"
local BIN = os.getenv("ARCHLENS_BIN")
local WAIT_MS = 10000 -- per step
local GLOBAL_TIMEOUT_MS = tonumber(os.getenv("ARCHLENS_TEST_TIMEOUT_MS") or "") or 60000

-- editors/neovim, two levels above this file.
local script = debug.getinfo(1, "S").source:gsub("^@", "")
local PLUGIN_DIR = vim.fn.fnamemodify(script, ":p:h:h")

local failed = 0
local n = 0

local function report(case, ok, detail)
  n = n + 1
  if not ok then
    failed = failed + 1
  end
  -- stdout is free in headless mode; print() would go through the message
  -- machinery to stderr instead.
  io.stdout:write(vim.json.encode({ n = n, mode = MODE, case = case, ok = ok, detail = detail or vim.NIL }) .. "\n")
  io.stdout:flush()
  return ok
end

local function finish()
  if failed > 0 then
    vim.cmd("cquit! 1")
  else
    vim.cmd("qa!")
  end
end

local function abort(case, detail)
  report(case, false, detail)
  vim.cmd("cquit! 1")
end

if not BIN or BIN == "" then
  abort("environment", "ARCHLENS_BIN is not set")
end

-- Never hang CI: whatever step is waiting, give up after the global timeout.
-- vim.wait() runs scheduled callbacks, so this fires inside a stuck wait too.
local watchdog = vim.uv.new_timer()
watchdog:start(GLOBAL_TIMEOUT_MS, 0, function()
  vim.schedule(function()
    abort("global-timeout", ("test did not finish within %d ms"):format(GLOBAL_TIMEOUT_MS))
  end)
end)

vim.opt.runtimepath:prepend(PLUGIN_DIR)

-- The fixture lives in a temporary project (never in the repository); its
-- file name, openapi.yaml, is also a root marker.
local FIXTURE = [[
openapi: 3.0.3
info:
  title: Test
  version: "1.0"
servers:
  - url: https://api.example.com/v1
security:
  - bearer: []
paths:
  /users/:
    get:
      operationId: listUsers
      responses:
        "200":
          description: ok
        "400":
          description: bad
        "429":
          description: slow down
          headers:
            Retry-After:
              schema:
                type: integer
        "500":
          description: error
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
]]
local FINDING_LINE = 9 -- 0-based index of "  /users/:"
local FIXED_LINE = "  /users:"

local project = vim.fn.tempname()
vim.fn.mkdir(project, "p")
project = vim.uv.fs_realpath(project)
local fixture_path = project .. "/openapi.yaml"
vim.fn.writefile(vim.split(FIXTURE, "\n", { plain = true }), fixture_path)

-- Real editor settings, for the server to accept at start-up and answer to
-- workspace/configuration (section "archlens").
local SETTINGS = { archlens = { llm = { enabled = false } } }

-- Configure the client the way a user's init.lua would, before start-up ends.
if MODE == "config" then
  vim.lsp.config("archlens", { cmd = { BIN, "lsp" } })
  vim.lsp.enable("archlens")
elseif MODE == "setup" then
  require("archlens").setup({ cmd = { BIN, "lsp" }, settings = SETTINGS })
else
  abort("environment", "unknown ARCHLENS_TEST_MODE " .. MODE)
end

local function diagnostic_code(d)
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then
    code = d.user_data.lsp.code
  end
  return code ~= nil and code ~= vim.NIL and tostring(code) or nil
end

local function summarize(diagnostics)
  local out = {}
  for _, d in ipairs(diagnostics) do
    table.insert(out, { code = diagnostic_code(d), lnum = d.lnum, col = d.col, source = d.source, message = d.message })
  end
  return out
end

local function find_code(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if diagnostic_code(d) == code then
      return d
    end
  end
end

--- One client's answer out of vim.lsp.buf_request_sync.
local function request(buf, client, method, params)
  local responses, err = vim.lsp.buf_request_sync(buf, method, params, WAIT_MS)
  if not responses then
    return nil, "no response: " .. tostring(err)
  end
  local response = responses[client.id]
  if not response then
    return nil, "no response from the archlens client"
  end
  if response.error then
    return nil, "error: " .. vim.inspect(response.error)
  end
  return response.result
end

--- Hover contents (MarkupContent, MarkedString or a list of them) as text.
local function hover_text(contents)
  if type(contents) == "string" then
    return contents, "plaintext"
  end
  if contents.kind then
    return contents.value, contents.kind
  end
  if contents.value then -- MarkedString { language, value }
    return contents.value, "markdown"
  end
  local parts = {}
  for _, c in ipairs(contents) do
    table.insert(parts, (hover_text(c)))
  end
  return table.concat(parts, "\n"), "markdown"
end

local function floating_windows()
  local wins = {}
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      table.insert(wins, win)
    end
  end
  return wins
end

local function run()
  vim.cmd.edit(vim.fn.fnameescape(fixture_path))
  local buf = vim.api.nvim_get_current_buf()

  -- The client starts on FileType yaml, finds the root and initializes.
  local client
  local started = vim.wait(WAIT_MS, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = "archlens" })[1]
    return client ~= nil and client.initialized == true
  end, 20)
  if
    not report("client attached and initialized", started, {
      filetype = vim.bo[buf].filetype,
      clients = vim.tbl_map(function(c)
        return c.name
      end, vim.lsp.get_clients()),
    })
  then
    return
  end
  report("root_dir is the project folder", client.root_dir == project, { root_dir = client.root_dir, expected = project })
  if MODE == "setup" then
    report("setup() passes settings as init_options and settings", vim.deep_equal(client.config.init_options, SETTINGS) and vim.deep_equal(client.settings, SETTINGS), {
      init_options = client.config.init_options,
      settings = client.settings,
    })
  end
  if MODE == "config" then
    -- lsp/archlens.lua was found on the runtimepath and merged under our cmd.
    local config = vim.lsp.config.archlens or {}
    report("vim.lsp.config merges lsp/archlens.lua", vim.tbl_contains(config.filetypes or {}, "yaml") and (config.cmd or {})[1] == BIN, {
      filetypes = config.filetypes,
      cmd = config.cmd,
    })
  end

  -- (a) The diagnostic arrives, pushed or pulled, on the /users/ line.
  local diagnostic
  vim.wait(WAIT_MS, function()
    diagnostic = find_code(buf, "API004")
    return diagnostic ~= nil
  end, 20)
  local ok = diagnostic ~= nil and diagnostic.lnum == FINDING_LINE and diagnostic.source == "archlens"
  if not report("API004 diagnostic on line 9 from archlens", ok, summarize(vim.diagnostic.get(buf))) then
    return
  end
  -- The protocol diagnostic, with the range in the negotiated encoding.
  local lsp_diagnostic = diagnostic.user_data and diagnostic.user_data.lsp
  if not report("diagnostic keeps its LSP form", lsp_diagnostic ~= nil and lsp_diagnostic.range ~= nil) then
    return
  end
  local uri = vim.uri_from_bufnr(buf)

  -- (b) Hover on the finding explains the rule.
  local hover, err = request(buf, client, "textDocument/hover", {
    textDocument = { uri = uri },
    position = lsp_diagnostic.range.start,
  })
  local text, kind = "", nil
  if hover and hover.contents then
    text, kind = hover_text(hover.contents)
  end
  report(
    "hover is markdown naming API004 and trailing-slash-path",
    kind == "markdown" and text:find("API004", 1, true) ~= nil and text:find("trailing-slash-path", 1, true) ~= nil,
    { kind = kind, text = text, error = err }
  )

  -- :ArchlensExplain with the cursor on the finding opens a float with the
  -- output of `archlens explain API004`. In "config" mode the command comes
  -- from plugin/archlens.lua, without setup().
  vim.api.nvim_win_set_cursor(0, { diagnostic.lnum + 1, diagnostic.col })
  local explain_ok, explain_err = pcall(vim.cmd, "ArchlensExplain")
  local float_text
  vim.wait(WAIT_MS, function()
    for _, win in ipairs(floating_windows()) do
      local lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)
      float_text = table.concat(lines, "\n")
      if float_text:find("API004", 1, true) or float_text:find("trailing-slash-path", 1, true) then
        return true
      end
    end
    return false
  end, 20)
  report(
    ":ArchlensExplain shows the rule in a float",
    explain_ok and float_text ~= nil and (float_text:find("API004", 1, true) or float_text:find("trailing-slash-path", 1, true)) ~= nil,
    { error = explain_ok and vim.NIL or tostring(explain_err), text = float_text }
  )
  for _, win in ipairs(floating_windows()) do
    vim.api.nvim_win_close(win, true)
  end

  -- (c) The quick fix is offered, and applying its edit removes the slash.
  local actions
  actions, err = request(buf, client, "textDocument/codeAction", {
    textDocument = { uri = uri },
    range = lsp_diagnostic.range,
    context = { diagnostics = { lsp_diagnostic }, triggerKind = 1 },
  })
  local fix
  local titles = {}
  for _, action in ipairs(actions or {}) do
    table.insert(titles, action.title)
    if action.title == "Remove the trailing slash" then
      fix = action
    end
  end
  if fix and not fix.edit and fix.data and client.server_capabilities.codeActionProvider then
    -- Lazily computed edits come through codeAction/resolve.
    fix = request(buf, client, "codeAction/resolve", fix) or fix
  end
  ok = fix ~= nil and type(fix.kind) == "string" and (fix.kind == "quickfix" or vim.startswith(fix.kind, "quickfix.")) and fix.edit ~= nil
  if not report("code action 'Remove the trailing slash' (quickfix) with an edit", ok, { titles = titles, kind = fix and fix.kind, error = err }) then
    return
  end
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
  local line = vim.api.nvim_buf_get_lines(buf, FINDING_LINE, FINDING_LINE + 1, false)[1]
  report("the fix leaves '" .. FIXED_LINE .. "'", line == FIXED_LINE, { line = line })

  -- (d) The server re-checks the changed text and drops the finding.
  local gone = vim.wait(WAIT_MS, function()
    return find_code(buf, "API004") == nil
  end, 20)
  report("API004 is gone after the fix", gone, summarize(vim.diagnostic.get(buf)))

  -- The server answers shutdown and exits when asked.
  client:stop()
  local stopped = vim.wait(WAIT_MS, function()
    return client:is_stopped()
  end, 20)
  report("server shuts down", stopped)
end

-- Start once start-up has finished (filetype detection is enabled only after
-- the -u file ran); scheduled, so :edit inside fires its autocommands.
vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  callback = function()
    vim.schedule(function()
      local ok, err = xpcall(run, debug.traceback)
      if not ok then
        report("no Lua error", false, err)
      end
      watchdog:stop()
      finish()
    end)
  end,
})
