"""LSP handlers: look up the document's cached analysis, call a pure feature, return the answer.

Every handler is named after its method, wears :func:`~qwen_ls.server.failsoft.fail_soft` with
the method's neutral answer, and answers "nothing" for documents qwen-ls does not manage (any file
other than ``**/.qwen/settings.json``, the user file and the system files).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from lsprotocol import types

from qwen_ls import safeio
from qwen_ls.features.common import to_offset, to_span
from qwen_ls.features.options import ClientFlags
from qwen_ls.jsonc import JsonDocument, LineIndex, TextEdit
from qwen_ls.server import diagnostics, watch
from qwen_ls.server.config import parse_options
from qwen_ls.server.failsoft import fail_soft
from qwen_ls.server.files import ServerFiles
from qwen_ls.server.log import setup_logging
from qwen_ls.server.server import QwenLanguageServer
from qwen_ls.server.status import check_status, external_change

logger = logging.getLogger(__name__)

FIX_ALL_KIND = "source.fixAll.qwen-ls"
"""The code action kind of "apply every safe fix"."""

_LOG_LEVELS = {
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
}


# -- lifecycle ------------------------------------------------------------------------------------
@fail_soft()
def initialize(ls: QwenLanguageServer, params: types.InitializeParams) -> None:
    """Decide the client flags and options once, and register pull diagnostics if wanted."""
    encoding = ls.workspace.position_encoding or types.PositionEncodingKind.Utf16
    ls.flags = ClientFlags.from_capabilities(params.capabilities, encoding)
    ls.options, problem = parse_options(params.initialization_options)
    ls.documents.trusted = ls.options.trusted
    safeio.set_max_bytes(ls.options.max_file_bytes or None)
    ls.documents.roots = ls.workspace_roots()
    logging.getLogger("qwen_ls").setLevel(_LOG_LEVELS[ls.options.log_level])
    if problem:
        logger.warning("%s", problem)
    if ls.flags.pull_diagnostics:
        # Registered here, before pygls computes the capabilities, so that push-only clients
        # are never offered pull (a client that does both shows every diagnostic twice).
        ls.feature(
            types.TEXT_DOCUMENT_DIAGNOSTIC,
            types.DiagnosticOptions(
                identifier="qwen-ls", inter_file_dependencies=True, workspace_diagnostics=False
            ),
        )(document_diagnostic)
    logger.info(
        "client: encoding=%s pull=%s snippets=%s markdown=%s watch=%s",
        ls.flags.encoding,
        ls.flags.pull_diagnostics,
        ls.flags.snippets,
        ls.flags.markdown,
        ls.flags.watched_files_dynamic,
    )


@fail_soft()
async def initialized(ls: QwenLanguageServer, params: types.InitializedParams) -> None:
    """Start forwarding logs, register file watchers, read the client configuration."""
    if ls.window_log is not None:
        ls.window_log.connected = True
    watch.start(ls).rebuild()
    await watch.register_watchers(ls)
    if ls.flags.configuration:
        await pull_configuration(ls)
    ls.run_task(_warm_up(), "warm-up")


async def _warm_up() -> None:
    """Import the analysis and load the key catalogue while the editor is still idle.

    They are imported lazily so that the initialize result comes fast; without this the first
    diagnostics or completion of a session would pay for them (~100 ms).
    """
    await asyncio.sleep(0)
    from qwen_ls.analysis import analyze  # noqa: F401
    from qwen_ls.settings import catalog

    catalog.child_keys(())


@fail_soft()
def shutdown(ls: QwenLanguageServer, params: Any = None) -> None:
    """Stop background work (sign-in polling stops at its next check)."""
    ls.cancel_tasks()


# -- text sync ------------------------------------------------------------------------------------
@fail_soft()
def did_open(ls: QwenLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    """Track the document; publish its diagnostics right away."""
    item = params.text_document
    doc = ls.documents.open(item.uri, item.text, item.version, item.language_id)
    if doc is None:
        return
    diagnostics.publish(ls, item.uri)
    diagnostics.refresh_others(ls, item.uri)
    ls.run_task(_after_open(ls), "watch and status")


STATUS_AFTER_OPEN_S = 0.3
"""Pause between ``didOpen`` and the first auth status check.

The first check imports the status code and reads the credential files; done at once, it would
sit in front of the ``textDocument/diagnostic`` request a pull client sends right after
``didOpen``, so the first squiggles would wait for the status bar."""


async def _after_open(ls: QwenLanguageServer) -> None:
    await watch.register_watchers(ls)
    await asyncio.sleep(STATUS_AFTER_OPEN_S)
    await check_status(ls)


@fail_soft()
def did_change(ls: QwenLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    """Apply the changes to our own copy; diagnostics follow after the debounce delay."""
    uri = params.text_document.uri
    managed = ls.documents.get(uri)
    if managed is None or not params.content_changes:
        return
    text, edit = apply_changes(managed.parsed(), params.content_changes, ls.flags.encoding)
    doc = ls.documents.change(uri, text, params.text_document.version, edit=edit)
    if doc is None:
        return
    diagnostics.schedule(ls, uri)
    diagnostics.refresh_others(ls, uri)


def apply_changes(
    current: JsonDocument, changes: Sequence[Any], encoding: str
) -> tuple[str, TextEdit | None]:
    """Apply LSP content changes in order to ``current``'s text.

    Positions are resolved with our own line index (LF, CRLF and CR only, never U+2028), in the
    negotiated encoding. Returns the new text and, for a single range change, the edit (for an
    incremental re-parse).
    """
    text = current.text
    lines = current.lines
    edit: TextEdit | None = None
    for i, change in enumerate(changes):
        rng = getattr(change, "range", None)
        if rng is None:
            text, edit = change.text, None
        else:
            if i:
                lines = LineIndex(text)
            start = lines.offset(rng.start.line, rng.start.character, encoding)
            end = max(start, lines.offset(rng.end.line, rng.end.character, encoding))
            text = text[:start] + change.text + text[end:]
            edit = TextEdit(start, end, change.text) if len(changes) == 1 else None
    return text, edit


@fail_soft()
def did_save(ls: QwenLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    """Re-read the other files (fallback for clients that cannot watch files) and re-publish."""
    ls.documents.generation += 1
    if ls.documents.get(params.text_document.uri) is not None:
        diagnostics.publish(ls, params.text_document.uri)
    diagnostics.refresh_others(ls, params.text_document.uri, 0)
    ls.run_task(check_status(ls), "status")


@fail_soft()
def did_close(ls: QwenLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    """Forget the document and clear its diagnostics."""
    doc = ls.documents.close(params.text_document.uri)
    if doc is None:
        return
    diagnostics.clear(ls, params.text_document.uri)
    # The other documents now see this file's content on disk instead of the buffer.
    diagnostics.refresh_others(ls, None)


# -- outside changes -------------------------------------------------------------------------
@fail_soft()
def did_change_watched_files(
    ls: QwenLanguageServer, params: types.DidChangeWatchedFilesParams
) -> None:
    """A scope file or a ``.env`` file changed on disk: re-analyse everything open."""
    logger.info("watched files changed: %s", ", ".join(c.uri for c in params.changes))
    watch.resync(ls)  # handled here: the poller must not handle the same change again
    ls.documents.generation += 1
    external_change(ls)


@fail_soft()
async def did_change_configuration(
    ls: QwenLanguageServer, params: types.DidChangeConfigurationParams
) -> None:
    """Take new options (pushed, or pulled with ``workspace/configuration``)."""
    settings = params.settings
    if settings is None or (isinstance(settings, dict) and "qwen" not in settings):
        if ls.flags.configuration:
            await pull_configuration(ls)
    else:
        apply_options(ls, settings)
    ls.documents.generation += 1
    external_change(ls)


def apply_options(ls: QwenLanguageServer, raw: Any) -> None:
    """Validate and take client options; show one message when some were invalid."""
    ls.options, problem = parse_options(raw, ls.options)
    ls.documents.trusted = ls.options.trusted
    safeio.set_max_bytes(ls.options.max_file_bytes or None)
    logging.getLogger("qwen_ls").setLevel(_LOG_LEVELS[ls.options.log_level])
    if problem:
        ls.show_once(problem)


async def pull_configuration(ls: QwenLanguageServer) -> None:
    """Read the ``qwen`` section with ``workspace/configuration``."""
    try:
        result = await ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section="qwen")])
        )
    except Exception as exc:
        logger.info("workspace/configuration failed: %s", exc)
        return
    if result and isinstance(result[0], dict):
        apply_options(ls, result[0])


# -- features -------------------------------------------------------------------------------------
def _at(ls: QwenLanguageServer, params: Any, answer: Callable[[Any, int], Any], empty: Any) -> Any:
    """``answer(snapshot, offset)`` at the request's position, or ``empty`` for other files."""
    snap = ls.documents.snapshot(params.text_document.uri)
    if snap is None:
        return empty
    return answer(snap, to_offset(snap.doc.lines, params.position, ls.flags.encoding))


def _cached(ls: QwenLanguageServer, params: Any, key: str, build: Callable[[Any], Any]) -> Any:
    """``build(snapshot)``, kept with the document's version; ``[]`` for other files."""
    snap = ls.documents.snapshot(params.text_document.uri)
    if snap is None:
        return []
    cached = snap.cache.get(key)
    if cached is None:
        cached = snap.cache[key] = build(snap)
    return cached


@fail_soft(None)
def document_diagnostic(
    ls: QwenLanguageServer, params: types.DocumentDiagnosticParams
) -> types.DocumentDiagnosticReport:
    """``textDocument/diagnostic`` (registered for pull clients only)."""
    return diagnostics.pull(ls, params)


@fail_soft(None)
def completion(
    ls: QwenLanguageServer, params: types.CompletionParams
) -> types.CompletionList | None:
    """``textDocument/completion``: keys, values, model ids, env names, endpoints."""
    from qwen_ls.features.completion import complete  # lazy: keep start-up fast

    return _at(ls, params, lambda snap, offset: complete(snap.doc, snap.ctx, offset, ls.flags),
               None)


@fail_soft(None)
def hover(ls: QwenLanguageServer, params: types.HoverParams) -> types.Hover | None:
    """``textDocument/hover``."""
    from qwen_ls.features.hover import hover as answer  # lazy: keep start-up fast

    return _at(ls, params, lambda snap, offset: answer(snap.doc, snap.ctx, offset, ls.flags),
               None)


@fail_soft([])
def code_action(ls: QwenLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """``textDocument/codeAction``: quick fixes from diagnostic data, and fix-all."""
    uri = params.text_document.uri
    snap = ls.documents.snapshot(uri)
    if snap is None:
        return []
    span = to_span(snap.doc.lines, params.range, ls.flags.encoding)
    from qwen_ls.features import code_actions  # lazy: keep start-up fast

    return code_actions.code_actions(
        snap.doc,
        snap.ctx,
        span,
        list(params.context.diagnostics),
        list(params.context.only or []),
        ls.flags,
        uri=uri,
        version=snap.version,
        findings=lambda: snap.findings,
    )


@fail_soft([])
def document_symbol(ls: QwenLanguageServer, params: types.DocumentSymbolParams) -> list[Any]:
    """``textDocument/documentSymbol``: sections, providers, models."""
    from qwen_ls.features.symbols import document_symbols  # lazy: keep start-up fast

    uri = params.text_document.uri
    return _cached(ls, params, "symbols",
                   lambda snap: document_symbols(snap.doc, ls.flags, uri=uri))


@fail_soft([])
def definition(ls: QwenLanguageServer, params: types.DefinitionParams) -> list[types.Location]:
    """``textDocument/definition``: model selectors to their provider entry, envKey to .env."""
    from qwen_ls.features.definition import definition as answer  # lazy: keep start-up fast

    uri = params.text_document.uri
    return _at(ls, params, lambda snap, offset: answer(snap.doc, snap.ctx, offset, ls.flags,
                                                       ServerFiles(ls), uri=uri), [])


@fail_soft(None)
def prepare_rename(ls: QwenLanguageServer, params: types.PrepareRenameParams) -> Any:
    """``textDocument/prepareRename``: only model ids (where declared or referenced)."""
    from qwen_ls.features.rename import prepare_rename as answer  # lazy: keep start-up fast

    return _at(ls, params, lambda snap, offset: answer(snap.doc, snap.ctx, offset, ls.flags),
               None)


@fail_soft(None)
def rename(ls: QwenLanguageServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    """``textDocument/rename``: a model id, with ``model.name`` and the selectors using it."""
    from qwen_ls.features.rename import rename as answer  # lazy: keep start-up fast

    uri = params.text_document.uri
    return _at(ls, params, lambda snap, offset: answer(snap.doc, snap.ctx, offset,
                                                       params.new_name, ls.flags,
                                                       ServerFiles(ls), uri=uri), None)


@fail_soft([])
def folding_range(
    ls: QwenLanguageServer, params: types.FoldingRangeParams
) -> list[types.FoldingRange]:
    """``textDocument/foldingRange``: multi-line objects, arrays and block comments."""
    from qwen_ls.features.folding import folding_ranges  # lazy: keep start-up fast

    return _cached(ls, params, "folding", lambda snap: folding_ranges(snap.doc))


@fail_soft([])
def formatting(
    ls: QwenLanguageServer, params: types.DocumentFormattingParams
) -> list[types.TextEdit]:
    """``textDocument/formatting``: pretty-print, keeping every comment (valid JSONC only)."""
    snap = ls.documents.snapshot(params.text_document.uri)
    if snap is None:
        return []
    from qwen_ls.features.common import to_range
    from qwen_ls.features.formatting import formatting_edits  # lazy: keep start-up fast
    from qwen_ls.jsonc.types import Span

    edits = formatting_edits(snap.doc, params.options.tab_size, params.options.insert_spaces)
    return [
        types.TextEdit(
            range=to_range(snap.doc.lines, Span(e.start, e.end), ls.flags.encoding),
            new_text=e.new_text,
        )
        for e in edits
    ]


@fail_soft([])
def inlay_hint(ls: QwenLanguageServer, params: types.InlayHintParams) -> list[types.InlayHint]:
    """``textDocument/inlayHint``: where each ``envKey`` is provided (never the value)."""
    if not ls.options.inlay_hints:
        return []
    snap = ls.documents.snapshot(params.text_document.uri)
    if snap is None:
        return []
    span = to_span(snap.doc.lines, params.range, ls.flags.encoding)
    from qwen_ls.features import inlay_hints  # lazy: keep start-up fast

    return inlay_hints.inlay_hints(snap.doc, snap.ctx, span, ls.flags)


def register(ls: QwenLanguageServer) -> None:
    """Register every handler on ``ls`` (called by ``create_server``)."""
    ls.window_log = setup_logging(ls, log_file=ls.log_file)
    ls.feature(types.INITIALIZE)(initialize)
    ls.feature(types.INITIALIZED)(initialized)
    ls.feature(types.SHUTDOWN)(shutdown)
    ls.feature(types.TEXT_DOCUMENT_DID_OPEN)(did_open)
    ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)(did_change)
    ls.feature(types.TEXT_DOCUMENT_DID_SAVE)(did_save)
    ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)(did_close)
    ls.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(did_change_watched_files)
    ls.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(did_change_configuration)
    ls.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=['"', ":"], resolve_provider=False),
    )(completion)
    ls.feature(types.TEXT_DOCUMENT_HOVER)(hover)
    ls.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[
                types.CodeActionKind.QuickFix,
                FIX_ALL_KIND,
                types.CodeActionKind.SourceFixAll,
            ],
        ),
    )(code_action)
    ls.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)(document_symbol)
    ls.feature(types.TEXT_DOCUMENT_DEFINITION)(definition)
    ls.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)(prepare_rename)
    ls.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))(rename)
    ls.feature(types.TEXT_DOCUMENT_INLAY_HINT)(inlay_hint)
    ls.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)(folding_range)
    ls.feature(types.TEXT_DOCUMENT_FORMATTING)(formatting)
