"""Pure analysis of a settings document: ``analyze(doc, ctx) -> list[Finding]``.

Each rule (or small family of rules) is one module of :mod:`qwen_ls.analysis.rules`, holding its
documentation, examples, messages, fixes and check; that package's table lists them all. The
language server and ``qwen-ls check`` both call :func:`analyze`.
"""

from __future__ import annotations

import logging

from qwen_ls.analysis import suppress
from qwen_ls.analysis.context import AnalysisContext, build_context
from qwen_ls.analysis.rules import CHECKS
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import Finding

logger = logging.getLogger(__name__)

__all__ = ["AnalysisContext", "Finding", "analyze", "build_context"]


def analyze(doc, ctx: AnalysisContext) -> list[Finding]:
    """Analyse a parsed settings document in its context.

    Parameters
    ----------
    doc
        A :class:`qwen_ls.jsonc.JsonDocument`.
    ctx
        The context from :func:`build_context`.

    Returns
    -------
    list[Finding]
        Findings sorted by position, without those a ``// qwen-ls: ignore`` comment suppresses
        (:mod:`qwen_ls.analysis.suppress`). A check that fails is logged and skipped; analysis
        never raises.
    """
    run = Run(doc, ctx)
    for check in CHECKS:
        try:
            check(run)
        except Exception:
            logger.exception("check %s failed; its findings are skipped", _name(check))
    run.findings.sort(key=lambda f: (f.span.start, f.span.end, f.code))
    return suppress.apply(doc, run.findings)


def _name(check) -> str:
    """``module.function`` of a check (or of the function a ``partial`` wraps), for the log."""
    func = getattr(check, "func", check)
    return f"{func.__module__}.{func.__qualname__}"
