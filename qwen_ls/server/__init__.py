"""The qwen-ls language server (pygls 2): a thin layer over :mod:`qwen_ls.features`.

Entry points: :func:`create_server` (a fresh, unstarted server), :func:`run_stdio` and
:func:`run_tcp`; the options (``--stdio``, ``--tcp HOST:PORT``) are parsed by
:mod:`qwen_ls.cli.serve`.
"""

from qwen_ls.server.main import create_server, run_stdio, run_tcp
from qwen_ls.server.server import QwenLanguageServer

__all__ = ["QwenLanguageServer", "create_server", "run_stdio", "run_tcp"]
