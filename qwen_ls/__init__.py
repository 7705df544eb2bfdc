"""qwen-ls: a language server and CLI for Qwen Code's settings.json and sign-in."""

__version__ = "0.1.0"
