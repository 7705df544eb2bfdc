"""QLS0xx: what the Qwen Code CLI's reader rejects (strip comments, then ``JSON.parse``).

One family: every rule here reads the parser's syntax issues (or the root's kind), which are
found together in one pass.
"""

from __future__ import annotations

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import fix
from qwen_ls.jsonc.types import Span

JSON_SYNTAX = Rule(
    "QLS001",
    "json-syntax",
    "error",
    "The file is not valid JSON. The CLI refuses to start on a broken user or system file, "
    "and resets a broken workspace file to {} (keeping a .corrupted copy).",
    '{\n  "model": {"name": "qwen3-coder-plus"\n}\n',
    '{\n  "model": {"name": "qwen3-coder-plus"}\n}\n',
)
TRAILING_COMMA = Rule(
    "QLS002",
    "trailing-comma",
    "error",
    "A trailing comma. Editors accept it, but the Qwen Code CLI's reader (JSON.parse after "
    "stripping comments) rejects the whole file.",
    '{\n  "ui": {"theme": "Qwen Dark",},\n}\n',
    '{\n  "ui": {"theme": "Qwen Dark"}\n}\n',
)
ROOT_NOT_OBJECT = Rule(
    "QLS003",
    "root-not-object",
    "error",
    "The root of settings.json must be a JSON object; anything else is fatal "
    '("Settings file is not a valid JSON object.").',
    '["model", "qwen3-coder-plus"]\n',
    '{"model": {"name": "qwen3-coder-plus"}}\n',
)
DUPLICATE_KEY = Rule(
    "QLS004",
    "duplicate-key",
    "warning",
    "The same key twice in one object: JSON.parse keeps the last one and silently drops the "
    "first.",
    '{\n  "ui": {"theme": "Qwen Dark"},\n  "ui": {"hideTips": true}\n}\n',
    '{\n  "ui": {"theme": "Qwen Dark", "hideTips": true}\n}\n',
)

RULES = (JSON_SYNTAX, TRAILING_COMMA, ROOT_NOT_OBJECT, DUPLICATE_KEY)


def check(run: Run) -> None:
    """Report syntax issues, trailing commas, duplicate keys and a non-object root."""
    scope = run.ctx.effective_scope
    consequence = (
        "The CLI resets a workspace file with invalid JSON to {} (keeping a .corrupted copy)."
        if scope == "workspace"
        else "The CLI refuses to start until it is fixed."
    )
    first_syntax = True
    for issue in run.doc.syntax_issues:
        if issue.code == "trailing-comma":
            TRAILING_COMMA.report(
                run,
                "Trailing comma: the Qwen Code CLI's reader rejects the whole file. Remove it.",
                issue.span,
                fixes=[
                    fix("Remove trailing comma", "replace-span", safe=True, preferred=True,
                        start=issue.span.start, end=issue.span.end, text="")
                ],
            )
        elif issue.code == "duplicate-key":
            DUPLICATE_KEY.report(
                run, f"{issue.message}: only the last one is used.", issue.span,
                tags=["unnecessary"],
            )
        else:
            message = issue.message.rstrip(".")
            if first_syntax:
                message += f". {consequence}"
                first_syntax = False
            JSON_SYNTAX.report(run, message, issue.span)
    value = run.value
    if value is not None and not isinstance(value, dict) and run.doc.root is not None:
        span = run.doc.root.span
        ROOT_NOT_OBJECT.report(
            run,
            "Settings file is not a valid JSON object: the root must be { ... }. "
            "The CLI stops at startup.",
            Span(span.start, min(span.end, span.start + 1)) if span.end - span.start > 80 else span,
        )
