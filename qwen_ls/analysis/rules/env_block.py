"""QLS403-QLS407: the variables of the settings ``env`` block."""

from __future__ import annotations

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.rules.examples import FAKE_KEY

ENV_VALUE_NOT_STRING = Rule(
    "QLS403",
    "env-value-not-string",
    "warning",
    "A settings env value that is not a string is silently ignored by the CLI.",
    '{\n  "env": {"QWEN_CODE_API_TIMEOUT_MS": 60000}\n}\n',
    '{\n  "env": {"QWEN_CODE_API_TIMEOUT_MS": "60000"}\n}\n',
    claims=lambda path, kind: len(path) == 2 and path[0] == "env",
)
ENV_LOADER_KEY = Rule(
    "QLS404",
    "env-loader-key",
    "warning",
    "settings env (and .env files) cannot set loader-affecting variables such as NODE_OPTIONS; "
    "the CLI drops them.",
    '{\n  "env": {"NODE_OPTIONS": "--max-old-space-size=8192"}\n}\n',
    '{\n  "env": {}\n}\n',
)
ENV_EXCLUDED_KEY = Rule(
    "QLS405",
    "env-excluded-key",
    "warning",
    "A variable that settings env may never set (QWEN_HOME, TLS and git/ssh controls, ...); "
    "the CLI drops it.",
    '{\n  "env": {"QWEN_HOME": "/opt/qwen"}\n}\n',
    '{\n  "env": {}\n}\n',
)
PLAINTEXT_SECRET = Rule(
    "QLS406",
    "plaintext-secret",
    "warning",
    "An API key in plain text in settings.json env: information in the user file (the CLI "
    "documents that setup), a warning in a workspace file, an error when git tracks the file. "
    "Move it to .qwen/.env (mode 0600, git-ignored).",
    '{\n  "env": {"OPENAI_API_KEY": "' + FAKE_KEY + '"}\n}\n',
    '{\n  "env": {}\n}\n',
    scope="workspace",
)
ENV_SHADOWED = Rule(
    "QLS407",
    "env-shadowed",
    "information",
    "A settings env variable that the shell or a .env file also defines: that value wins and "
    "this one is never used.",
    '{\n  "env": {"OPENAI_BASE_URL": "https://api.example.com/v1"}\n}\n',
    '{\n  "env": {"OPENAI_MODEL": "gpt-4o"}\n}\n',
    env={"OPENAI_BASE_URL": "https://proxy.example.com/v1"},
)

RULES = (ENV_VALUE_NOT_STRING, ENV_LOADER_KEY, ENV_EXCLUDED_KEY, PLAINTEXT_SECRET, ENV_SHADOWED)
CHECKS = ()
