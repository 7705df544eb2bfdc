"""QLS401, QLS402: each provider entry's ``envKey``: a variable name, and a variable that is set."""

from __future__ import annotations

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.rules.examples import FAKE_KEY

ENV_KEY_IS_SECRET = Rule(
    "QLS401",
    "env-key-is-secret",
    "error",
    "envKey holds the API key itself instead of the NAME of the variable that holds it (the "
    "CLI would even print it in its error).",
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "' + FAKE_KEY + '",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
)
ENV_KEY_NOT_SET = Rule(
    "QLS402",
    "env-key-not-set",
    "warning",
    "No env source provides the variable named by envKey (shell, project .qwen/.env or .env, "
    '~/.qwen/.env, ~/.env, settings env): the CLI stops with "Missing API key".',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "MY_OPENAI_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
)

RULES = (ENV_KEY_IS_SECRET, ENV_KEY_NOT_SET)
CHECKS = ()
