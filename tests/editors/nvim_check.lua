-- Headless Neovim 0.11: load the README's configuration (QWEN_SNIPPET, the ```lua block that
-- tests/editors/test_other_editors.py cuts out of README.md), open a settings file, wait for
-- qwen-ls's diagnostics and print them as JSON on stdout:
--   QWEN_SNIPPET=snippet.lua nvim --headless --clean -l nvim_check.lua FILE
local file = arg[1]
dofile(os.getenv('QWEN_SNIPPET'))

vim.cmd.edit(vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local ok = vim.wait(20000, function()
  return #vim.diagnostic.get(buf) > 0
end, 100)
local out = { filetype = vim.bo[buf].filetype, clients = {}, diagnostics = {} }
for _, c in ipairs(vim.lsp.get_clients({ bufnr = buf })) do
  table.insert(out.clients, c.name)
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(out.diagnostics, { code = d.code, line = d.lnum, message = d.message, source = d.source })
end
out.ok = ok
io.stdout:write(vim.json.encode(out) .. '\n')
vim.cmd('qall!')
