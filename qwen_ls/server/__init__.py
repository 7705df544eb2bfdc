"""The qwen-ls language server (pygls 2): a thin layer over :mod:`qwen_ls.features`.

Entry points: :func:`create_server` (a fresh, unstarted server), :func:`run_stdio`,
:func:`run_tcp` and :func:`serve` (argv: ``--stdio`` / ``--tcp HOST:PORT``).
"""

from qwen_ls.server.main import run_stdio, run_tcp, serve
from qwen_ls.server.server import QwenLanguageServer, create_server

__all__ = ["QwenLanguageServer", "create_server", "run_stdio", "run_tcp", "serve"]
