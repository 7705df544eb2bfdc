"""The qwen-ls language server: state on a ``LanguageServer`` subclass, built by a factory.

:func:`qwen_ls.server.main.create_server` builds a fresh :class:`QwenLanguageServer` and
registers every handler (the handlers themselves live in :mod:`qwen_ls.server.handlers` and
:mod:`qwen_ls.server.commands`, which import this module, never the other way round; they only
look up state and call the pure functions in :mod:`qwen_ls.features`; the auth status and the
refresh after changes are :mod:`qwen_ls.server.status`).

LSP methods wired here: ``initialize`` / ``initialized`` / ``shutdown``, text sync (Incremental),
``textDocument/{publishDiagnostics,diagnostic,completion,hover,codeAction,documentSymbol,
definition,prepareRename,rename,inlayHint}``, ``workspace/{didChangeWatchedFiles,
didChangeConfiguration,executeCommand}``, ``window/workDoneProgress/cancel``; server-to-client
``workspace/applyEdit``, ``window/showDocument``, ``workspace/diagnostic/refresh``,
``client/registerCapability`` and the ``qwen/statusChanged`` notification.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
from collections.abc import Coroutine
from operator import attrgetter
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, default_converter
from pygls.protocol.language_server import lsp_method

from qwen_ls import __version__
from qwen_ls.features.options import ClientFlags
from qwen_ls.secrets import redact
from qwen_ls.server.config import ServerOptions
from qwen_ls.server.documents import Documents
from qwen_ls.server.log import WindowLogHandler
from qwen_ls.server.outgoing import sanitize

logger = logging.getLogger(__name__)

WORK_DONE_TOKEN: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "work_done_token", default=None
)
"""The ``workDoneToken`` the client put in the current ``workspace/executeCommand`` request."""


class _AnsweredMarker:
    """What :meth:`QwenProtocol.structure_message` returns for a request it already answered."""

    jsonrpc = "answered"


_ANSWERED = _AnsweredMarker()


class QwenProtocol(LanguageServerProtocol):
    """pygls' protocol, plus two things commands need.

    - ``$/cancelRequest`` of a running command sets its own flag: pygls cancels only the outer
      future of a ``workspace/executeCommand`` request and the command coroutine runs on
      (``pygls-practice.md`` §5). Long commands register an ``asyncio.Event`` under their
      request id in :attr:`QwenLanguageServer.request_cancels` and poll it.
    - The request's ``workDoneToken`` (client-initiated progress) is kept in
      :data:`WORK_DONE_TOKEN` for the command: pygls unpacks only ``arguments``.
    """

    def structure_message(self, data: dict[str, Any]) -> Any:
        """Deserialize a message; a request pygls cannot read still gets an error answer.

        pygls logs a request whose params do not fit (``params: null``, a string for a
        position) and drops it, leaving the client waiting forever; LSP wants an answer to
        every request.
        """
        try:
            return super().structure_message(data)
        except JsonRpcException:
            if not (isinstance(data, dict) and "id" in data and "method" in data
                    and "error" not in data):
                raise
            method = str(data.get("method"))[:100]
            error = JsonRpcInvalidParams(f"Invalid params for {method}")
            self._send_response(data["id"], None, error.to_response_error())
            return _ANSWERED

    def handle_message(self, message: Any) -> None:
        """Handle a message; after ``shutdown`` a request is answered with an error, not dropped."""
        if (self._shutdown and getattr(message, "method", "exit") != "exit"
                and getattr(message, "id", None) is not None
                and getattr(message, "result", None) is None and hasattr(message, "params")):
            # InvalidRequest, as LSP 3.17 asks of requests after shutdown
            error = JsonRpcException("The server is shutting down; no more requests.", -32600)
            self._send_response(message.id, None, error.to_response_error())
            return
        super().handle_message(message)

    def _send_data(self, data: Any) -> None:
        """Send ``data`` with every shown string masked and escaped (see ``server/outgoing``)."""
        if not data:
            return
        try:
            # No JSON round trip first: a pull answer of a large file is megabytes.
            payload = sanitize(data, self._serialize_message)
        except (TypeError, ValueError, RecursionError):  # pygls reports what it cannot serialise
            super()._send_data(data)
            return
        super()._send_data(payload)

    @lsp_method(types.WORKSPACE_EXECUTE_COMMAND)
    def lsp_workspace__execute_command(self, params: types.ExecuteCommandParams) -> Any:
        """Run a command as pygls does, with the request's ``workDoneToken`` in context."""
        # The command coroutine is started from inside this generator, so it inherits the
        # context (as pygls' own request-id context variable does).
        WORK_DONE_TOKEN.set(params.work_done_token)
        return (yield from super().lsp_workspace__execute_command(params))

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Any:
        """Hand our handler the changes exactly as the client sent them.

        pygls' own document update measures lines with ``str.splitlines`` (which also breaks on
        U+2028) and clamps a position it thinks is past the end of a line *in place*, corrupting
        the very ranges our handler applies to its own copy with LSP line breaks. For the
        settings files we manage, pygls' copy is never read, so it is not updated at all (that
        also saves re-splitting a 1 MB text on every keystroke); other documents get pygls' usual
        update.
        """
        server = self._server
        managed = getattr(server, "documents", None)
        if managed is None or managed.get(params.text_document.uri) is None:
            for change in params.content_changes:
                self.workspace.update_text_document(params.text_document, change)
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)
        if handler is not None:
            yield handler, (params,), None

    def _handle_cancel_notification(self, msg_id: Any) -> None:
        event = getattr(self._server, "request_cancels", {}).get(msg_id)
        if event is not None:
            event.set()
        super()._handle_cancel_notification(msg_id)


class Payload:
    """A message part already in its JSON form, sent as it is (no cattrs conversion).

    Diagnostics of a large file are built as plain dicts (thousands of them); the converter
    from :func:`make_converter` passes a ``Payload`` through where a result or the params of
    ``textDocument/publishDiagnostics`` are expected.
    """

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def make_converter() -> Any:
    """Pygls' converter, plus pass-through for :class:`Payload`."""
    converter = default_converter()
    passthrough = attrgetter("value")
    converter.register_unstructure_hook(Payload, passthrough)  # union-typed fields (results)
    converter.register_unstructure_hook(
        types.CompletionItem, _flat_unstructure(converter, types.CompletionItem)
    )
    def publish_params(params: Any) -> dict[str, Any]:
        # Written out (three fields) rather than wrapping the stock hook, which cattrs would
        # have to generate at start-up, before the initialize result.
        if isinstance(params, Payload):
            return params.value
        out: dict[str, Any] = {"uri": params.uri}
        if params.version is not None:
            out["version"] = params.version
        out["diagnostics"] = [converter.unstructure(d) for d in params.diagnostics]
        return out

    converter.register_unstructure_hook(types.PublishDiagnosticsParams, publish_params)
    return converter


def _flat_unstructure(converter: Any, cls: type) -> Any:
    """A faster unstructure hook for ``cls`` (a completion list holds dozens of items).

    cattrs' generated hook dispatches every optional field through its union machinery even
    when it is ``None``, which is most of them. This one reads each field once, leaves out
    ``None``, passes strings, numbers and booleans through and hands anything else to the
    converter by its runtime type (enums, markup, text edits, ...): the same JSON, which
    ``tests/unit/test_server_converter.py`` checks against the stock converter.
    """
    import attrs

    names = []
    for field in attrs.fields(cls):
        first, *rest = field.name.split("_")
        names.append((field.name, first + "".join(part.title() for part in rest)))
    plain = (str, int, float, bool)
    unstructure = converter.unstructure

    def hook(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, key in names:
            value = getattr(obj, name)
            if value is not None:
                out[key] = value if type(value) in plain else unstructure(value)
        return out

    return hook


class QwenLanguageServer(LanguageServer):
    """The language server and all of its state (no module globals)."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        # Incremental sync, applied to our own copy with our own LSP line index: pygls' copy
        # splits lines on U+2028 and would corrupt the text (pygls-practice.md §2), so the
        # server never reads it. Full sync would send a 1 MB file on every keystroke.
        super().__init__(
            "qwen-ls",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=QwenProtocol,
            converter_factory=make_converter,
        )
        self.environ: dict[str, str] = dict(os.environ if environ is None else environ)
        """The environment the Qwen Code CLI would inherit: the server's own."""
        self.flags = ClientFlags()
        """Client capabilities, decided once in ``initialize``."""
        self.options = ServerOptions()
        """Options from ``initializationOptions`` and the client configuration."""
        self.documents = Documents(self.environ)
        """Open documents, which of them are settings files, and their cached analysis."""
        self.tasks: set[asyncio.Task] = set()
        """Background tasks (debounced diagnostics, sign-in flows); cancelled on shutdown."""
        self.debounce: dict[str, asyncio.Task] = {}
        """The pending debounced diagnostics run per URI (push clients)."""
        self.cancel_events: dict[str, asyncio.Event] = {}
        """Our own cancellation flag per running long command, keyed by its progress token.
        ``$/cancelRequest`` does not stop a pygls command coroutine, so flows poll this."""
        self.request_cancels: dict[Any, asyncio.Event] = {}
        """The same flags keyed by the ``workspace/executeCommand`` request id."""
        self.last_status: dict[str, Any] | None = None
        """The last ``AuthStatus`` sent with ``qwen/statusChanged`` (sent again only on change)."""
        self.log_file: str | None = None
        """``--log-file``: a file that receives every log record as well."""
        self.window_log: WindowLogHandler | None = None
        """The ``window/logMessage`` handler, enabled once the client is connected."""
        self.watch_registration: str | None = None
        """Id of the dynamic ``workspace/didChangeWatchedFiles`` registration, when made."""
        self.watched_globs: tuple[Any, ...] = ()
        """The patterns registered for watching."""
        self.watcher: Any = None
        """The server's own file watcher (:class:`qwen_ls.server.watch.Watcher`), once started."""
        self.shown_errors: set[str] = set()
        """User-facing error messages already shown once (never repeated per keystroke)."""
        self.probe_notes: dict[str, Any] = {}
        """The last "Test connection" result shown on each document (``server/probe.py``)."""

    # -- background work ----------------------------------------------------------------------
    def run_task(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task:
        """Start ``coro`` as a tracked task: referenced, logged on failure, cancelled on shutdown.

        Parameters
        ----------
        coro
            The coroutine.
        name
            Task name for logs.

        Returns
        -------
        asyncio.Task
            The task.
        """
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self.tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task) -> None:
        self.tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            logger.error("background task %s failed: %s", task.get_name(), exc, exc_info=exc)

    def cancel_tasks(self) -> None:
        """Cancel every background task and set every command's cancellation flag."""
        for event in self.cancel_events.values():
            event.set()
        for task in list(self.tasks):
            task.cancel()

    # -- errors ---------------------------------------------------------------------------------
    def report_server_error(self, error: Exception, source: Any) -> None:
        """Log an error that escaped a handler, and tell the user once, without its raw text.

        pygls' default shows ``"Error in server: <exception text>"``, which can carry a key.
        Handlers are wrapped by :func:`qwen_ls.server.failsoft.fail_soft`, so this only sees
        errors of pygls itself (a message it could not parse or send).
        """
        logger.error(
            "server error (%s): %s", getattr(source, "__name__", source), redact(str(error))
        )
        self.show_once(
            "qwen-ls hit an internal error; details are in the qwen-ls output log.",
            types.MessageType.Error,
        )

    def show_once(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        """Show ``message`` with ``window/showMessage`` unless it was already shown."""
        message = redact(message)
        if message in self.shown_errors:
            return
        self.shown_errors.add(message)
        try:
            self.window_show_message(types.ShowMessageParams(type=kind, message=message))
        except Exception:
            logger.warning("could not show a message: %s", message)

    async def confirm(self, message: str, action: str,
                      kind: types.MessageType = types.MessageType.Info,
                      decline: str = "Cancel") -> bool:
        """Ask with ``window/showMessageRequest`` (``action`` / ``decline``); True for ``action``.

        No answer, a dismissed question or a client that cannot ask all count as "no".
        """
        try:
            answer = await self.window_show_message_request_async(
                types.ShowMessageRequestParams(
                    type=kind, message=redact(message),
                    actions=[types.MessageActionItem(title=action),
                             types.MessageActionItem(title=decline)],
                )
            )
        except Exception as exc:
            logger.warning("could not ask the user (%s): %s", action, exc)
            return False
        return answer is not None and answer.title == action

    # -- paths ----------------------------------------------------------------------------------
    def workspace_roots(self) -> list[Path]:
        """Workspace folders as paths, in the client's order."""
        roots: list[Path] = []
        try:
            folders = list(self.workspace.folders.values())
        except Exception:
            folders = []
        for folder in folders:
            path = self.documents.path_for(folder.uri)
            if path is not None:
                roots.append(path)
        if not roots:
            try:
                root = self.workspace.root_path
            except Exception:
                root = None
            if root:
                roots.append(Path(root))
        return roots
