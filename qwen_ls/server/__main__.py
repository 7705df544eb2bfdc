"""``python -m qwen_ls.server [--tcp HOST:PORT]``: the language server, as ``qwen-ls`` runs it."""

from qwen_ls.cli.serve import main

raise SystemExit(main())
