"""Entry point for ``python -m qwen_ls``."""

from qwen_ls.cli import main

raise SystemExit(main())
