"""Entry point of the frozen qwen-ls server (PyInstaller), the same as the ``qwen-ls`` script."""

from qwen_ls.cli import main

raise SystemExit(main())
