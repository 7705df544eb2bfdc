"""QLS408 unresolved-env-reference: a ``$VAR`` in a value that nothing defines in time."""

from __future__ import annotations

import re

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.run import Run
from qwen_ls.jsonc.types import Span
from qwen_ls.settings import known

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

_ENV_REF = re.compile(r"\$(?:(\w+)|\{([^}]+)\})")
_HOME_KINDS = ("shell", "qwen-home-env", "home-env")


def check(run: Run) -> None:
    """Report each ``$VAR`` in a string value that neither the shell nor a home .env defines."""
    if not isinstance(run.value, dict):
        return
    text = run.doc.text
    if "$" not in text:
        return
    for match in _ENV_REF.finditer(text):
        name = match.group(1) or match.group(2)
        if not name or name in known.NEVER_EXPANDED_ENV_KEYS or name == "version":
            continue
        try:
            loc = run.doc.locate(match.start())
        except Exception:
            continue
        if not loc.in_string or loc.on_key:
            continue
        sources = [s for s in run.env.all_sources(name) if s.kind in _HOME_KINDS]
        if sources:
            continue
        later = [s for s in run.env.all_sources(name) if s.kind not in _HOME_KINDS]
        note = (
            f" {name} is only defined in {later[0].label}, which the CLI loads after it "
            "expands settings values."
            if later
            else ""
        )
        UNRESOLVED_ENV_REFERENCE.report(
            run,
            f"${name} is not set in the environment or the home .env files, so "
            f"the CLI keeps the literal text '{match.group(0)}'.{note}",
            Span(match.start(), match.end()),
        )
