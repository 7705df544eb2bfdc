"""QLS408 unresolved-env-reference: a ``$VAR`` in a value that nothing defines in time."""

from __future__ import annotations

from qwen_ls.analysis.rule import Rule

UNRESOLVED_ENV_REFERENCE = Rule(
    "QLS408",
    "unresolved-env-reference",
    "information",
    "A $VAR reference in a value that neither the environment nor the home .env files define: "
    "the CLI keeps the literal text.",
    '{\n  "proxy": "$CORP_PROXY"\n}\n',
    '{\n  "proxy": "$HTTPS_PROXY"\n}\n',
    env={"HTTPS_PROXY": "http://proxy.example.com:3128"},
)

RULES = (UNRESOLVED_ENV_REFERENCE,)
CHECKS = ()
