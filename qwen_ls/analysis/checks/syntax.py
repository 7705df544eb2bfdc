"""QLS0xx: what the Qwen Code CLI's reader rejects (strip comments, then ``JSON.parse``)."""

from __future__ import annotations

from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import fix
from qwen_ls.jsonc.types import Span


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
            run.report(
                "QLS002",
                "Trailing comma: the Qwen Code CLI's reader rejects the whole file. Remove it.",
                issue.span,
                fixes=[
                    fix(
                        "Remove trailing comma",
                        "replace-span",
                        safe=True,
                        preferred=True,
                        start=issue.span.start,
                        end=issue.span.end,
                        text="",
                    )
                ],
            )
        elif issue.code == "duplicate-key":
            run.report(
                "QLS004",
                f"{issue.message}: only the last one is used.",
                issue.span,
                tags=["unnecessary"],
            )
        else:
            message = issue.message.rstrip(".")
            if first_syntax:
                message += f". {consequence}"
                first_syntax = False
            run.report("QLS001", message, issue.span)
    value = run.value
    if value is not None and not isinstance(value, dict) and run.doc.root is not None:
        span = run.doc.root.span
        run.report(
            "QLS003",
            "Settings file is not a valid JSON object: the root must be { ... }. "
            "The CLI stops at startup.",
            Span(span.start, min(span.end, span.start + 1)) if span.end - span.start > 80 else span,
        )
