-- Headless Neovim as an LSP client of the installed `streamlit-secrets-language-server`: opens a
-- Python file, waits for the server's diagnostics, asks for completion inside `st.secrets["`,
-- and writes what it got to $RESULT as JSON. Uses only APIs Neovim 0.7 (Debian 12) has.
local server = os.getenv('SERVER')
local root = os.getenv('ROOT')
local file = os.getenv('PYFILE')
local result = { diagnostics = {}, completion = {}, errors = {} }

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, os.getenv('RESULT'))
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({ name = 'streamlit-secrets', cmd = { server, '--stdio' }, root_dir = root })
  if client_id == nil then error('the server did not start') end
  vim.lsp.buf_attach_client(bufnr, client_id)
  vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
    table.insert(result.diagnostics, { line = d.lnum, code = code, message = d.message, severity = d.severity })
  end
  local client = vim.lsp.get_client_by_id(client_id)
  local line = tonumber(os.getenv('LINE'))
  local character = tonumber(os.getenv('CHARACTER'))
  local response = client.request_sync('textDocument/completion', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = line, character = character },
  }, 20000, bufnr)
  if response == nil or response.err ~= nil then error('completion failed: ' .. vim.inspect(response)) end
  local items = response.result.items or response.result
  for _, item in ipairs(items) do
    table.insert(result.completion, { label = item.label, detail = item.detail, documentation = item.documentation })
  end
  client.stop()
end)
if not ok then table.insert(result.errors, tostring(err)) end
finish()
