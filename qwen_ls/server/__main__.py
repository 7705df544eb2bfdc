"""``python -m qwen_ls.server [--tcp HOST:PORT]``: the language server without the CLI."""

from qwen_ls.server.main import serve

raise SystemExit(serve())
