-- Drives a real Neovim (0.7 API: vim.lsp.buf_*, no vim.lsp.start) against login-policy-language-server, which
-- the README's snippet starts (test/neovim/run.mjs loads that snippet as init.lua). Each check is named and ends
-- in a message a reader can act on; the results, what Neovim declared and the server's pid go to a JSON file for
-- the runner, which also reads Neovim's LSP log and watches the server exit after :qa.
-- Every wait is on a condition (vim.wait), never a fixed sleep.

local WORKSPACE = assert(os.getenv('LPL_NVIM_WORKSPACE'), 'LPL_NVIM_WORKSPACE is not set')
local RESULTS = assert(os.getenv('LPL_NVIM_RESULTS'), 'LPL_NVIM_RESULTS is not set')
local EXIT_RECORD = assert(os.getenv('LPL_NVIM_EXIT'), 'LPL_NVIM_EXIT is not set')
local WAIT_MS = tonumber(os.getenv('LPL_NVIM_WAIT_MS') or '') or 20000
local SOURCE = 'login-policy'

local results = { checks = {}, declared = vim.lsp.protocol.make_client_capabilities(), timings = {} }
local seen = { messages = {}, notifications = {}, errors = {} }
local started = vim.loop.hrtime()

local function elapsed_ms()
  return math.floor((vim.loop.hrtime() - started) / 1e6)
end

local function fail(message)
  error(message, 0)
end

-- A value on one line, for a failure message.
local function shown(value)
  return vim.inspect(value, { newline = ' ', indent = '' })
end

local function check(name, fn)
  local ok, err = pcall(fn)
  table.insert(results.checks, { name = name, ok = ok, message = not ok and tostring(err) or nil })
  return ok
end

local function wait_for(what, condition)
  if not vim.wait(WAIT_MS, condition, 20) then fail(('timed out after %d ms waiting for %s'):format(WAIT_MS, what)) end
end

-- Record what the server shows or says, and every publish, through the documented handler table.
local function wrap(method, record)
  local original = vim.lsp.handlers[method]
  vim.lsp.handlers[method] = function(err, result, ctx, config)
    record(result, ctx)
    return original(err, result, ctx, config)
  end
end
wrap('window/showMessage', function(result)
  table.insert(seen.messages, result.message)
end)
wrap('textDocument/publishDiagnostics', function(result)
  results.timings.first_diagnostics_ms = results.timings.first_diagnostics_ms or elapsed_ms()
  for _, d in ipairs(result.diagnostics) do
    table.insert(seen.messages, d.message)
  end
end)
vim.notify = function(message, level)
  table.insert(seen.notifications, { message = tostring(message), level = level })
end
local function notified(message)
  for _, n in ipairs(seen.notifications) do
    if n.message == message then return true end
  end
  return false
end

local function open(relative)
  vim.cmd('edit ' .. vim.fn.fnameescape(WORKSPACE .. '/' .. relative))
  return vim.api.nvim_get_current_buf()
end

local function client_of(bufnr)
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == SOURCE then return client end
  end
end

local function text_of(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, true), '\n')
end

-- Puts the cursor on the first occurrence of needle (plus delta bytes) in the current buffer.
local function cursor_at(needle, delta)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, true)) do
    local col = line:find(needle, 1, true)
    if col then
      vim.api.nvim_win_set_cursor(0, { i, col - 1 + (delta or 1) })
      return
    end
  end
  fail(('"%s" is not in %s'):format(needle, vim.api.nvim_buf_get_name(0)))
end

-- A request as Neovim's own commands send it; an error response is a failure and is recorded.
local function request(client, bufnr, method, params)
  local response, err = client.request_sync(method, params, WAIT_MS, bufnr)
  if err or not response then fail(('%s: no answer (%s)'):format(method, tostring(err))) end
  if response.err then
    table.insert(seen.errors, { method = method, error = response.err })
    fail(('%s answered with an error: %s'):format(method, shown(response.err)))
  end
  return response.result
end

local function with_code(bufnr, code)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == code then table.insert(found, d) end
  end
  return found
end

local function hover_text(client, bufnr, needle)
  cursor_at(needle)
  local hover = request(client, bufnr, 'textDocument/hover', vim.lsp.util.make_position_params())
  if not hover then fail(('no hover on %s'):format(needle)) end
  local text = table.concat(vim.lsp.util.convert_input_to_markdown_lines(hover.contents), '\n')
  table.insert(seen.messages, text)
  return text
end

local function main()
  -- The README's snippet attaches the server when a JSON buffer opens.
  local rename_buf = open('policies/rename.loginpolicy.json')
  local client
  local attached = check('the README snippet starts the server and attaches it', function()
    wait_for('the login-policy client to attach and initialize', function()
      client = client_of(rename_buf)
      return client ~= nil and client.initialized == true
    end)
    results.server_pid = client.rpc.pid
    results.timings.initialized_ms = elapsed_ms()
    local folder = client.workspace_folders and client.workspace_folders[1]
    if not folder or vim.uri_to_fname(folder.uri) ~= WORKSPACE then
      fail(('workspace folder is %s, expected %s'):format(shown(folder), WORKSPACE))
    end
    -- At :qa Neovim sends shutdown and exit, then waits exit_timeout (500 ms by default) for the server to go.
    -- A longer wait keeps a slow machine from failing the test; the server still has to leave on its own, which
    -- on_exit records (it runs in libuv's callback: plain io only). Without the record, the server only left when
    -- Neovim's end closed its stdin.
    client.config.flags.exit_timeout = 5000
    client.config.on_exit = function(code, signal)
      local file = io.open(EXIT_RECORD, 'w')
      if file then
        file:write(vim.json.encode({ code = code, signal = signal }))
        file:close()
      end
    end
  end)
  if not attached then return end

  check('diagnostics carry the rule id as code, and source "login-policy"', function()
    wait_for('diagnostics on rename.loginpolicy.json', function()
      return #vim.diagnostic.get(rename_buf) > 0
    end)
    for _, d in ipairs(vim.diagnostic.get(rename_buf)) do
      if d.source ~= SOURCE then fail(('diagnostic "%s" has source %s'):format(d.message, shown(d.source))) end
      if type(d.code) ~= 'string' or not d.code:match('^[a-z][a-z0-9-]+$') then
        fail(('diagnostic "%s" has code %s, not a rule id'):format(d.message, shown(d.code)))
      end
      local href = d.user_data.lsp.codeDescription and d.user_data.lsp.codeDescription.href or ''
      if not href:match('/docs/rules/' .. vim.pesc(d.code) .. '%.md$') then
        fail(('diagnostic %s links to %s, not its rule page'):format(d.code, shown(href)))
      end
    end
    if #with_code(rename_buf, 'unknown-property') == 0 then
      fail('no unknown-property finding on "loginUrl"; codes: ' .. shown(vim.tbl_map(function(d)
        return d.code
      end, vim.diagnostic.get(rename_buf))))
    end
  end)

  local secret_hover
  check('hover on a key explains it', function()
    local text = hover_text(client, rename_buf, '"applicationId"')
    if not text:find('Capture application id', 1, true) then fail('hover on "applicationId" says: ' .. text) end
    secret_hover = hover_text(client, rename_buf, '"p9o8i7u6')
  end)

  -- vim.lsp.buf.code_action() as a user runs it, with vim.ui.select answered by the test.
  local offered = {}
  check('code actions on unknown-property include the rename fix, and applying it renames the key', function()
    cursor_at('"loginUrl"')
    local chosen
    vim.ui.select = function(items, opts, on_choice)
      for _, item in ipairs(items) do
        table.insert(offered, item[2].title)
        if item[2].title == 'Rename to "loginURL"' then chosen = item end
      end
      on_choice(chosen)
    end
    vim.lsp.buf.code_action()
    wait_for('the code action menu', function()
      return #offered > 0 or notified('No code actions available')
    end)
    if #offered == 0 then fail('no code action offered on "loginUrl"') end
    if not chosen then fail('no action Rename to "loginURL" among: ' .. shown(offered)) end
    wait_for('the key to read "loginURL" after the fix', function()
      return text_of(rename_buf):find('"loginURL": "https', 1, true) ~= nil
    end)
    if text_of(rename_buf):find('loginUrl', 1, true) then fail('"loginUrl" is still in the buffer') end
    wait_for('the unknown-property finding to go', function()
      return #with_code(rename_buf, 'unknown-property') == 0
    end)
  end)

  -- Neovim 0.7.2 declares window.showDocument.support = false; newer versions declare true.
  check('"Show documentation" is offered only when Neovim declares window.showDocument', function()
    local declared = results.declared.window.showDocument
    local can_open = declared ~= nil and declared.support == true
    local docs
    for _, title in ipairs(offered) do
      if title:find('Show documentation', 1, true) then docs = title end
    end
    if docs and not can_open then fail(('offered "%s", which this Neovim cannot open'):format(docs)) end
    if can_open and not docs then fail('no "Show documentation" action, although this Neovim can open documents') end
  end)

  local formatted_path = WORKSPACE .. '/policies/formatted.loginpolicy.json'
  local original = assert(io.open(formatted_path, 'rb')):read('*a')
  local formatted_buf = open('policies/formatted.loginpolicy.json')
  wait_for('the server to attach to formatted.loginpolicy.json', function()
    return client_of(formatted_buf) ~= nil
  end)

  check('formatting a formatted file changes nothing, and the final newline stays', function()
    -- What a JSON user's ftplugin would set; Neovim sends these as tabSize and insertSpaces.
    vim.bo.expandtab = true
    vim.bo.shiftwidth = 2
    vim.bo.tabstop = 2
    local edits = request(client, formatted_buf, 'textDocument/formatting', vim.lsp.util.make_formatting_params())
    if edits and #edits > 0 then fail('the server answered with edits: ' .. shown(edits)) end
    vim.lsp.buf.formatting_sync(nil, WAIT_MS)
    if vim.bo.modified then fail('the buffer is modified after formatting') end
    vim.cmd('silent write')
    local written = assert(io.open(formatted_path, 'rb')):read('*a')
    if written ~= original then
      fail(('the file changed on :write (%d bytes, was %d; ends with a newline: %s)'):format(
        #written, #original, tostring(written:sub(-1) == '\n')))
    end
  end)

  local unverified_message
  check('settings pushed with workspace/didChangeConfiguration take effect', function()
    wait_for('the unverified-owner-secret finding', function()
      return #with_code(formatted_buf, 'unverified-owner-secret') > 0
    end)
    unverified_message = with_code(formatted_buf, 'unverified-owner-secret')[1].message
    -- First the README snippet's own way: its on_init sends client.config.settings.
    if type(client.config.on_init) ~= 'function' then fail('the README snippet has no on_init that sends settings') end
    client.config.settings.loginPolicy.rules = { ['unverified-owner-secret'] = 'off' }
    client.config.on_init(client)
    wait_for('unverified-owner-secret to disappear after {"unverified-owner-secret": "off"}', function()
      return #with_code(formatted_buf, 'unverified-owner-secret') == 0
    end)
    -- Then a change pushed at any time, as a user's :lua or a plugin would.
    client.notify('workspace/didChangeConfiguration', {
      settings = { loginPolicy = { rules = { ['unverified-owner-secret'] = 'error' } } },
    })
    wait_for('unverified-owner-secret to come back as an error after {"unverified-owner-secret": "error"}', function()
      local found = with_code(formatted_buf, 'unverified-owner-secret')
      return #found > 0 and found[1].severity == vim.diagnostic.severity.ERROR
    end)
  end)

  -- The unverified-owner-secret message and the clientSecret hover say how to make the secret known.
  check('messages name `login-policy-lint fingerprint`, never a "Login Policy:" VS Code command', function()
    for _, message in ipairs(seen.messages) do
      if message:find('Login Policy:', 1, true) then fail('shown in Neovim: ' .. message) end
    end
    for what, text in pairs({
      ['the unverified-owner-secret message'] = unverified_message or '(none seen)',
      ['the clientSecret hover'] = secret_hover or '(none seen)',
    }) do
      if not text:find('login-policy-lint fingerprint', 1, true) then
        fail(('%s does not name login-policy-lint fingerprint: %s'):format(what, text))
      end
    end
  end)

  check('no error response, no warning or error shown', function()
    if #seen.errors > 0 then fail('error responses: ' .. shown(seen.errors)) end
    for _, n in ipairs(seen.notifications) do
      if n.level and n.level >= vim.log.levels.WARN then fail('Neovim showed: ' .. n.message) end
    end
  end)
end

local ok, err = pcall(main)
if not ok then table.insert(results.checks, { name = 'the check script ran to its end', ok = false, message = err }) end
results.log_path = vim.lsp.get_log_path()
local file = assert(io.open(RESULTS, 'w'))
file:write(vim.json.encode(results))
file:close()
-- Quit as a user does (modified buffers are saved first); the runner then watches the server's pid.
vim.cmd('silent! wall')
vim.cmd('qa')
