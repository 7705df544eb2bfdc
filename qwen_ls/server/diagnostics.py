"""Delivering diagnostics: push (debounced per URI) or pull, chosen per client, never both.

Push clients (VS Code 1.65 in pytest-lsp's snapshot; anything without ``textDocument.diagnostic``)
get ``textDocument/publishDiagnostics`` with the document version:

- right away on ``didOpen`` and ``didSave``;
- after ``options.diagnostic_delay_ms`` on ``didChange``, in one asyncio task per URI that the next
  change cancels; a run whose version is no longer current publishes nothing (stale);
- an empty list on ``didClose``.

Pull clients (Neovim 0.11) ask with ``textDocument/diagnostic``; the answer carries a result id
(document version + context key) and is ``unchanged`` when the client already has it. When
something outside the document changes (another scope file, a ``.env`` file, the configuration,
another open settings buffer) pull clients get ``workspace/diagnostic/refresh`` when they support
it, and push clients a fresh publish.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from qwen_ls.server import probe_notes
from qwen_ls.server.server import Payload

if TYPE_CHECKING:
    from qwen_ls.server.documents import Snapshot
    from qwen_ls.server.server import QwenLanguageServer

logger = logging.getLogger(__name__)

_REFRESH = "<refresh>"


def diagnostics_for(ls: QwenLanguageServer, snap: Snapshot) -> list[dict[str, Any]]:
    """The diagnostics of a snapshot as JSON-ready dicts, built once and memoised on it."""
    cached = snap.cache.get("diagnostics")
    if cached is None:
        from qwen_ls.features.diagnostics import diagnostic_payloads  # lazy: imports the analysis
        from qwen_ls.server.files import ServerFiles

        cached = diagnostic_payloads(snap.doc, snap.findings, ls.flags, ServerFiles(ls))
        snap.cache["diagnostics"] = cached
    return cached


def publish(ls: QwenLanguageServer, uri: str) -> None:
    """Publish the current diagnostics of ``uri`` now (push clients only)."""
    if ls.flags.pull_diagnostics:
        return
    doc = ls.documents.get(uri)
    if doc is None:
        return
    snap = ls.documents.snapshot(uri)
    if snap is None:
        return
    diags = diagnostics_for(ls, snap) + probe_notes.extra_diagnostics(ls, uri, snap)
    ls.text_document_publish_diagnostics(
        Payload({"uri": uri, "diagnostics": diags, "version": snap.version})
    )


def clear(ls: QwenLanguageServer, uri: str) -> None:
    """Remove the diagnostics of a closed document (push clients only)."""
    cancel(ls, uri)
    if not ls.flags.pull_diagnostics:
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )


def cancel(ls: QwenLanguageServer, uri: str) -> None:
    """Cancel the pending debounced run of ``uri``, if any."""
    task = ls.debounce.pop(uri, None)
    if task is not None and not task.done():
        task.cancel()


def schedule(ls: QwenLanguageServer, uri: str, delay_ms: int | None = None) -> None:
    """Publish the diagnostics of ``uri`` after the debounce delay, replacing a pending run."""
    if ls.flags.pull_diagnostics:
        return
    cancel(ls, uri)
    delay = (ls.options.diagnostic_delay_ms if delay_ms is None else delay_ms) / 1000
    doc = ls.documents.get(uri)
    if doc is None:
        return
    version = doc.version

    async def run() -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        current = ls.documents.get(uri)
        if current is None or current.version != version:
            return  # stale: a newer change has its own run
        try:
            publish(ls, uri)
        except Exception:
            logger.exception("diagnostics of %s failed", uri)
        finally:
            if ls.debounce.get(uri) is asyncio.current_task():
                del ls.debounce[uri]

    ls.debounce[uri] = ls.run_task(run(), f"diagnostics {uri}")


def refresh_others(
    ls: QwenLanguageServer, changed_uri: str | None, delay_ms: int | None = None
) -> None:
    """Re-diagnose every managed document except ``changed_uri`` (their context changed).

    Push clients get a debounced publish per document; pull clients one (debounced)
    ``workspace/diagnostic/refresh`` when they support it.
    """
    others = [d.uri for d in ls.documents.managed() if d.uri != changed_uri]
    if ls.flags.pull_diagnostics:
        if others or changed_uri is None:
            _schedule_refresh(ls, delay_ms)
        return
    for uri in others:
        schedule(ls, uri, delay_ms)


def _schedule_refresh(ls: QwenLanguageServer, delay_ms: int | None) -> None:
    if not ls.flags.diagnostic_refresh:
        return
    cancel(ls, _REFRESH)
    delay = (ls.options.diagnostic_delay_ms if delay_ms is None else delay_ms) / 1000

    async def run() -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        # Past the debounce the request is on its way: a newer refresh must not cancel it, or
        # pygls fails on the client's late answer ("InvalidStateError: CANCELLED") and the user
        # sees "qwen-ls hit an internal error".
        if ls.debounce.get(_REFRESH) is asyncio.current_task():
            del ls.debounce[_REFRESH]
        try:
            await ls.workspace_diagnostic_refresh_async(None)
        except Exception as exc:  # an old client may answer MethodNotFound
            logger.info("workspace/diagnostic/refresh failed: %s", exc)

    ls.debounce[_REFRESH] = ls.run_task(run(), "diagnostic refresh")


def pull(
    ls: QwenLanguageServer, params: types.DocumentDiagnosticParams
) -> types.DocumentDiagnosticReport | Payload:
    """Answer ``textDocument/diagnostic``.

    Parameters
    ----------
    ls
        The server.
    params
        The request; ``previous_result_id`` lets us answer ``unchanged``.

    Returns
    -------
    DocumentDiagnosticReport | Payload
        A full report (empty for documents qwen-ls does not manage; for managed ones a
        :class:`Payload` of the report's JSON) or an unchanged one.
    """
    uri = params.text_document.uri
    snap = ls.documents.snapshot(uri)
    if snap is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    result_id = snap.result_id + probe_notes.result_suffix(ls, uri)
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    items = diagnostics_for(ls, snap) + probe_notes.extra_diagnostics(ls, uri, snap)
    return Payload({"kind": "full", "resultId": result_id, "items": items})
