"""Sign-in flows and auth status, independent of LSP (used by the server and the CLI).

Modules: :mod:`~qwen_ls.auth.oauth` (Qwen OAuth device flow, refresh),
:mod:`~qwen_ls.auth.coding_plan`, :mod:`~qwen_ls.auth.api_key`, :mod:`~qwen_ls.auth.status`
(``AuthStatus``, the current sign-in), :mod:`~qwen_ls.auth.sign_out` (sign-out of any method),
:mod:`~qwen_ls.auth.inputs` (the files the status depends on, for watching),
:mod:`~qwen_ls.auth.models` (model list and selection),
:mod:`~qwen_ls.auth.commands` (the ``qwen-ls.*`` server commands), :mod:`~qwen_ls.auth.creds`
(``oauth_creds.json`` and its lock) and :mod:`~qwen_ls.auth.context` (:class:`AuthEnv`).
Every write goes through :mod:`qwen_ls.store`.
"""
