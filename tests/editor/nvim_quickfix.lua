-- Headless Neovim drives the language server as a user would: open a spec, wait for the
-- diagnostics, ask for code actions on the first one, apply the preferred quick fix, save,
-- and wait for the diagnostics of the fixed text. Works with Neovim 0.7 (Debian 12) and later.
-- Inputs come from the environment; what happened is written as JSON to OAS_OUT.
local spec = vim.env.OAS_SPEC
local out = vim.env.OAS_OUT
local command = vim.fn.json_decode(vim.env.OAS_SERVER)
local result = {}

local function finish(error_message)
  result.error = error_message
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd("qall!")
end

local function codes(bufnr)
  local found = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(found, diagnostic.code or (diagnostic.user_data and diagnostic.user_data.lsp and diagnostic.user_data.lsp.code) or "?")
  end
  table.sort(found)
  return found
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(spec))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "oas-create-check",
    cmd = command,
    root_dir = vim.fn.fnamemodify(spec, ":h"),
  })
  assert(client_id, "the server did not start")
  vim.lsp.buf_attach_client(bufnr, client_id)

  assert(vim.wait(60000, function() return #vim.diagnostic.get(bufnr) >= 2 end, 50), "no diagnostics")
  result.before = codes(bufnr)

  local first = vim.diagnostic.get(bufnr)[1]
  vim.api.nvim_win_set_cursor(0, { first.lnum + 1, first.col })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = {}, only = { "quickfix" } }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 60000)
  assert(responses, "no answer to textDocument/codeAction")
  local chosen
  result.titles = {}
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      table.insert(result.titles, action.title)
      if action.isPreferred and not chosen then
        chosen = action
      end
    end
  end
  assert(chosen, "no preferred quick fix")
  result.applied = chosen.title
  local client = vim.lsp.get_client_by_id(client_id)
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding or "utf-16")
  vim.cmd("write")

  local wanted = #result.before - 1
  assert(vim.wait(60000, function() return #vim.diagnostic.get(bufnr) == wanted end, 50), "diagnostics did not follow the fix")
  result.after = codes(bufnr)
end)
finish(ok and vim.NIL or tostring(err))
