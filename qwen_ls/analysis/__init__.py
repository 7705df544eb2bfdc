"""Pure analysis of a settings document: ``analyze(doc, ctx) -> list[Finding]``.

The checks live in :mod:`qwen_ls.analysis.checks`, one module per rule group; the catalogue of
codes is :mod:`qwen_ls.analysis.rules`. The language server and ``qwen-ls check`` both call
:func:`analyze`.
"""

from __future__ import annotations

import logging

from qwen_ls.analysis import suppress
from qwen_ls.analysis.checks import auth, endpoints, env, providers, schema, syntax
from qwen_ls.analysis.context import AnalysisContext, build_context
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import Finding

logger = logging.getLogger(__name__)

_CHECKS = (syntax.check, schema.check, auth.check, providers.check, env.check, endpoints.check)

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
    for check in _CHECKS:
        try:
            check(run)
        except Exception:
            logger.exception("check %s failed; its findings are skipped", check.__module__)
    run.findings.sort(key=lambda f: (f.span.start, f.span.end, f.code))
    return suppress.apply(doc, run.findings)
