"""QLS201, QLS202, QLS208: the selected (and the enforced) auth type."""

from __future__ import annotations

import difflib

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import set_fix
from qwen_ls.protocol import SIGN_IN
from qwen_ls.settings import known

AUTH_PATH = ("security", "auth", "selectedType")
ENFORCED_PATH = ("security", "auth", "enforcedType")

INVALID_AUTH_TYPE = Rule(
    "QLS201",
    "invalid-auth-type",
    "error",
    "security.auth.selectedType is not an auth type the CLI knows; 0.24.4 crashes at "
    "startup (\"Cannot read properties of undefined (reading 'model')\").",
    '{\n  "security": {"auth": {"selectedType": "openai-compatible"}}\n}\n',
    '{\n  "security": {"auth": {"selectedType": "openai"}}\n}\n',
    claims=lambda path, kind: (
        path[:2] == ("security", "auth") and path[-1] == "selectedType" and kind in ("enum", "type")
    ),
)
QWEN_OAUTH_DISCONTINUED = Rule(
    "QLS202",
    "qwen-oauth-discontinued",
    "warning",
    "Qwen OAuth is selected, but the hosted free tier was discontinued on 2026-04-15; the "
    "CLI refuses it. Switch to Coding Plan or an API key (or keep it for a deployment that "
    "still accepts it).",
    '{\n  "security": {"auth": {"selectedType": "qwen-oauth"}}\n}\n',
    '{\n  "security": {"auth": {"selectedType": "openai"}}\n}\n',
    sign_in=True,
)
ENFORCED_TYPE_MISMATCH = Rule(
    "QLS208",
    "enforced-type-mismatch",
    "warning",
    "security.auth.enforcedType differs from selectedType: the CLI asks to re-authenticate.",
    '{\n  "security": {"auth": {"selectedType": "openai", "enforcedType": "anthropic"}}\n}\n',
    '{\n  "security": {"auth": {"selectedType": "openai", "enforcedType": "openai"}}\n}\n',
)

RULES = (INVALID_AUTH_TYPE, QWEN_OAUTH_DISCONTINUED, ENFORCED_TYPE_MISMATCH)

def auth_type_fixes(
    protocols: list[str], title: str = "Set security.auth.selectedType to '{}'"
) -> list:
    """One set-selectedType fix per protocol, the first preferred (``openai-responses``: openai).

    The fixes of QLS201, QLS204 and QLS211; ``title`` has one ``{}`` for the value.
    """
    values = ["openai" if p == "openai-responses" else p for p in protocols]
    return [set_fix(title.format(v), AUTH_PATH, v, preferred=i == 0) for i, v in enumerate(values)]


def check(run: Run) -> None:
    """Report a selectedType that is no auth type or is Qwen OAuth, and an enforcedType clash."""
    if not isinstance(run.value, dict):
        return
    selected = run.get(AUTH_PATH)
    if run.has(AUTH_PATH):
        span = run.lazy_span(AUTH_PATH)
        if not isinstance(selected, str) or selected not in known.AUTH_TYPES:
            guesses = difflib.get_close_matches(str(selected), known.AUTH_TYPES, n=2, cutoff=0.3)
            with_models = sorted({m.protocol for m in run.registry})
            INVALID_AUTH_TYPE.report(
                run,
                f"'{selected}' is not an auth type. Qwen Code 0.24.4 crashes at startup on it "
                f'("{known.INVALID_AUTH_METHOD}"). Use one of: '
                + ", ".join(known.AUTH_TYPES)
                + ".",
                span,
                fixes=auth_type_fixes(guesses or with_models[:2] or ["openai"], "Change to '{}'"),
            )
        elif selected == "qwen-oauth":
            QWEN_OAUTH_DISCONTINUED.report(
                run,
                known.OAUTH_DISCONTINUED_MESSAGE + " Keep qwen-oauth only for a deployment "
                "that still accepts it; otherwise sign in with Coding Plan or an API key.",
                span,
                tags=["deprecated"],
                data={"command": SIGN_IN},
            )
    enforced = run.get(ENFORCED_PATH)
    current = run.get(AUTH_PATH, effective=True)
    if (
        run.has(ENFORCED_PATH)
        and isinstance(enforced, str)
        and isinstance(current, str)
        and enforced in known.AUTH_TYPES
        and enforced != current
    ):
        ENFORCED_TYPE_MISMATCH.report(
            run,
            known.ENFORCED_AUTH_MISMATCH.format(enforced=enforced, current=current),
            run.span(ENFORCED_PATH),
            fixes=[set_fix(f"Set selectedType to '{enforced}'", AUTH_PATH, enforced)],
        )
