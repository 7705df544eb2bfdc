"""What a rule is: its code, name, severity, documentation and examples, and how it reports.

A rule is declared once, in the module of :mod:`qwen_ls.analysis.rules` that also holds its
check, and it reports through itself (``RULE.report(run, ...)``), so a finding's code and default
severity always come from the rule that found it. :mod:`qwen_ls.analysis.rules` collects every
rule into the one code → rule table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qwen_ls.analysis.types import Finding, Related, Severity, Tag
from qwen_ls.jsonc.types import Span

if TYPE_CHECKING:
    from qwen_ls.analysis.run import Run

DOCS_BASE = "https://github.com/qwen-ls/qwen-ls/blob/main/docs/rules.md"

#: Whether a rule reports a schema issue (``path``, issue kind: ``type``, ``enum``, ...) itself,
#: with a better message than the generic QLS1xx one.
Claim = Callable[[tuple, str], bool]


@dataclass(frozen=True, slots=True)
class Rule:
    """One diagnostic rule: its documentation (what it catches and why) and its examples.

    ``summary`` says what the rule catches and what the CLI does with it; ``bad`` triggers the
    rule and ``good`` is the same file fixed. ``docs/rules.md`` is generated from these, and the
    test suite proves, for every rule, that ``bad`` triggers it and ``good`` does not.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    bad: str
    """A settings.json (JSONC) that triggers the rule."""
    good: str
    """The same file, fixed."""
    env: dict[str, str] = field(default_factory=dict)
    """Shell environment the examples are analysed with (fake values)."""
    scope: str = "user"
    """The scope the examples are analysed in."""
    good_env: dict[str, str] | None = None
    """Shell environment for the fixed example when it differs from :attr:`env`."""
    claims: Claim | None = field(default=None, compare=False)
    """The schema issues this rule reports instead of the generic schema rules."""
    sign_in: bool = False
    """A sign-in solves the problem (no auth type, discontinued OAuth, a missing key): editors
    offer "Sign in…" beside the rule's own fixes."""

    @property
    def url(self) -> str:
        """The rule's documentation link (its anchor in ``docs/rules.md``)."""
        return doc_url(self.code)

    def report(
        self,
        run: Run,
        message: str,
        span: Span,
        *,
        related: list[Related] | None = None,
        tags: list[Tag] | None = None,
        fixes: list[dict] | None = None,
        severity: Severity | None = None,
        data: dict | None = None,
    ) -> None:
        """Add a finding of this rule to ``run``.

        ``span`` may be lazy (an object with ``get()``): positions cost a parse tree, so they are
        looked up only when something is reported. ``severity`` overrides the rule's own for a
        rule whose severity depends on where the file lives (QLS406).
        """
        if not isinstance(span, Span):
            span = span.get()
        payload = dict(data or {})
        if fixes:
            payload["fixes"] = fixes
        run.findings.append(
            Finding(
                code=self.code,
                severity=severity or self.severity,
                message=message,
                span=span,
                related=related or [],
                tags=tags or [],
                data=payload or None,
            )
        )


def doc_url(code: str) -> str:
    """Return the documentation link of a rule code (its anchor in ``docs/rules.md``)."""
    return f"{DOCS_BASE}#{code.lower()}"
