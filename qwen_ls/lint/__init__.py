"""``qwen-ls check``: the analysis as a linter for terminals, CI and pre-commit.

:mod:`qwen_ls.lint.run` (check and fix files), :mod:`qwen_ls.lint.config` (``[tool.qwen-ls]``),
:mod:`qwen_ls.lint.formats` (output formats), :mod:`qwen_ls.lint.fixer` (``--fix``); the
subcommand's options and output are :mod:`qwen_ls.cli.check`.
"""
