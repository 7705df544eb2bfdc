"""``workspace/executeCommand``: sign-in, status, models and the move-secret fix.

Command ids live in the ``qwen-ls.`` namespace, which the VS Code extension never registers itself
(vscode-languageclient registers the server's ids; a clash gives "command already exists").
Each command takes one JSON object argument (or none) and returns a structured result, never a
raw error: a failure becomes ``{ok: false, status: "error", message}`` with secrets masked.

The auth work itself is in :mod:`qwen_ls.auth` (shared with the CLI), imported lazily so that
starting the server does not pay for httpx. Long flows (Qwen OAuth) report work-done progress with
the URL and user code, ask the client to open the URL when it can (``window/showDocument``), and
stop at once when cancelled: by ``window/workDoneProgress/cancel``, by ``$/cancelRequest`` of the
command request (pygls does not stop a running command coroutine, so the server maps the request
id to our own flag), or by ``qwen-ls.cancel``. Nothing is written after a cancel.

``qwen-ls.debug.documentInfo`` is a diagnostics aid, not a feature: it returns the version, length
and SHA-256 of the server's copy of a document (never the text), so a client or the LSP fuzzer
(``tests/fuzz``) can prove that the server applied every incremental change where it should.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types

from qwen_ls.secrets import redact
from qwen_ls.server.failsoft import fail_soft
from qwen_ls.server.files import ServerFiles
from qwen_ls.server.server import STATUS_CHANGED, WORK_DONE_TOKEN, QwenLanguageServer

logger = logging.getLogger(__name__)

SIGN_IN_QWEN_OAUTH = "qwen-ls.signIn.qwenOAuth"
SIGN_IN_CODING_PLAN = "qwen-ls.signIn.codingPlan"
SIGN_IN_API_KEY = "qwen-ls.signIn.apiKey"
SIGN_OUT = "qwen-ls.signOut"
AUTH_STATUS = "qwen-ls.authStatus"
DOCTOR = "qwen-ls.doctor"
LIST_MODELS = "qwen-ls.listModels"
SELECT_MODEL = "qwen-ls.selectModel"
API_KEY_PRESETS = "qwen-ls.apiKeyPresets"
MOVE_SECRET_TO_ENV = "qwen-ls.moveSecretToEnv"
SHOW_DOCUMENTATION = "qwen-ls.showDocumentation"
CANCEL = "qwen-ls.cancel"
DEBUG_DOCUMENT_INFO = "qwen-ls.debug.documentInfo"



def _error(message: str) -> dict[str, Any]:
    return {"ok": False, "status": "error", "message": redact(message), "files": []}


def _failed(exc: Exception) -> dict[str, Any]:
    # Never the raw exception text of an unexpected error: it may hold a path or a key.
    return _error(f"The command failed unexpectedly ({type(exc).__name__}); see the qwen-ls log.")


def _arg(args: tuple[Any, ...]) -> dict[str, Any]:
    return args[0] if args and isinstance(args[0], dict) else {}


def auth_env(ls: QwenLanguageServer) -> Any:
    """Build the ``AuthEnv`` of one command: workspace, environment, store with our sink."""
    from qwen_ls.auth.context import AuthEnv
    from qwen_ls.settings import scopes
    from qwen_ls.store import SettingsStore

    roots = ls.documents.roots or ls.workspace_roots()
    workspace = scopes.project_folder(roots[0], ls.environ) if roots else None
    return AuthEnv(
        workspace=workspace,
        environ=ls.environ,
        store=SettingsStore(sink=ServerFiles(ls)),
        open_texts=ls.documents.open_texts(),
        trusted=ls.options.trusted,
    )


async def current_status(ls: QwenLanguageServer) -> dict[str, Any] | None:
    """The ``AuthStatus`` of the workspace, or ``None`` when the auth layer cannot tell."""
    # What run_command(AUTH_STATUS) does, without importing the sign-in flows (httpx and the
    # OAuth client): the status is checked after every open and save, sign-in is rare.
    from qwen_ls.auth.status import auth_status

    env = auth_env(ls)
    status = auth_status(env.workspace, env.environ, env=env)
    return with_startup(status, env) if isinstance(status, dict) else None


def with_startup(status: dict[str, Any], env: Any) -> dict[str, Any]:
    """``status`` plus ``startup``: what ``qwen -p`` does here, as ``qwen-ls doctor`` says.

    The status bar's tooltip and "Qwen: Show Auth Status" render it; it follows unsaved buffers.
    """
    from qwen_ls.doctor import startup_summary

    if "startup" in status or not status.get("ok", True):
        return status
    summary = startup_summary(env.workspace, env.environ, env.open_texts, trusted=env.trusted)
    return {**status, "startup": summary}


@fail_soft(_failed, what=DOCTOR)
async def doctor(ls: QwenLanguageServer, *args: Any) -> dict[str, Any]:
    """``qwen-ls.doctor`` ``{}``: ``qwen-ls doctor --format json`` here, buffers included."""
    from qwen_ls.doctor import doctor_report

    env = auth_env(ls)
    workspace = env.workspace or Path(env.environ.get("HOME") or Path.home())
    report = await asyncio.to_thread(
        doctor_report, workspace, env.environ, env.open_texts, trusted=env.trusted
    )
    return {"ok": True, **report}


def after_change(ls: QwenLanguageServer) -> None:
    """A command wrote files: re-read them, re-diagnose, and send the new status."""
    from qwen_ls.server.handlers import check_status, external_change

    ls.documents.generation += 1
    external_change(ls)
    ls.run_task(check_status(ls), "status")


class Progress:
    """Work-done progress of one long command, with our own cancellation flag.

    Without client support (``window.workDoneProgress``) it falls back to ``window/showMessage``
    for the lines that matter (URL and code), so the user always sees them.
    """

    def __init__(self, ls: QwenLanguageServer, title: str) -> None:
        self.ls = ls
        self.title = title
        self.token: Any = str(uuid.uuid4())
        self.cancel = asyncio.Event()
        self.enabled = False
        self.final: str | None = None
        self._msg_id: Any = None

    async def __aenter__(self) -> Progress:
        self._msg_id = self.ls.protocol.msg_id
        if self._msg_id is not None:
            self.ls.request_cancels[self._msg_id] = self.cancel
        client_token = WORK_DONE_TOKEN.get()
        if client_token is not None:
            # Client-initiated progress: report on the client's token, no create request.
            self.token = client_token
            self.ls.work_done_progress.begin(
                self.token, types.WorkDoneProgressBegin(title=self.title, cancellable=True)
            )
            self.enabled = True
        elif self.ls.flags.work_done_progress:
            try:
                await self.ls.work_done_progress.create_async(self.token)
                self.ls.work_done_progress.begin(
                    self.token, types.WorkDoneProgressBegin(title=self.title, cancellable=True)
                )
                self.enabled = True
            except Exception as exc:
                logger.info("work-done progress unavailable: %s", exc)
        self.ls.cancel_events[self.token] = self.cancel
        return self

    def cancelled(self) -> bool:
        """Whether any cancellation route fired (the client's progress cancel sets our flag)."""
        future = self.ls.work_done_progress.tokens.get(self.token) if self.enabled else None
        if future is not None and future.cancelled():
            self.cancel.set()
        return self.cancel.is_set()

    def report(self, message: str, important: bool = False) -> None:
        """Show a progress line (and a message when there is no progress and it matters)."""
        message = redact(message)
        if self.enabled:
            self.ls.work_done_progress.report(
                self.token, types.WorkDoneProgressReport(message=message)
            )
        elif important:
            self.ls.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Info, message=message)
            )
        logger.info("%s: %s", self.title, message)

    async def __aexit__(self, *exc: object) -> None:
        self.ls.cancel_events.pop(self.token, None)
        if self._msg_id is not None:
            self.ls.request_cancels.pop(self._msg_id, None)
        if self.enabled:
            self.ls.work_done_progress.end(
                self.token, types.WorkDoneProgressEnd(message=self.final)
            )


# -- commands ------------------------------------------------------------------------------
async def _sign_in_qwen_oauth(ls: QwenLanguageServer, arg: dict[str, Any]) -> Any:
    """The device flow, with progress, the browser, and every cancellation route."""
    from qwen_ls.auth import commands as auth_commands

    open_browser = arg.get("openBrowser", True) is not False and ls.options.open_browser
    async with Progress(ls, "Signing in to Qwen") as progress:

        async def on_code(user_code: str, uri: str, uri_complete: str, expires_in: int) -> None:
            # Always show URL and code as text too: the browser may not open (remote, headless).
            progress.report(
                f"Open {uri} and enter the code {user_code} "
                f"(expires in {max(expires_in // 60, 1)} min).",
                important=True,
            )
            if open_browser and ls.flags.show_document:
                from qwen_ls.auth.common import AuthError, check_browser_uri

                try:  # only the https address we showed, never javascript:/file:/data:
                    target = check_browser_uri(uri_complete or uri)
                except AuthError as exc:
                    progress.report(str(exc), important=True)
                    return
                try:
                    await ls.window_show_document_async(
                        types.ShowDocumentParams(uri=target, external=True)
                    )
                except Exception as exc:
                    logger.info("showDocument failed: %s", exc)

        flow = asyncio.ensure_future(
            auth_commands.run_command(
                SIGN_IN_QWEN_OAUTH,
                arg,
                auth_env(ls),
                cancel=progress.cancel,
                progress=progress.report,
                on_code=on_code,
            )
        )
        watcher = asyncio.ensure_future(_cancelled(progress))
        done, _ = await asyncio.wait({flow, watcher}, return_when=asyncio.FIRST_COMPLETED)
        watcher.cancel()
        if flow in done:
            result = flow.result()
        else:
            # The flow polls the same flag and returns "cancelled" at its next check; it never
            # writes after it. Give it a moment to say so, else stop it outright.
            try:
                result = await asyncio.wait_for(flow, timeout=5)
            except (TimeoutError, asyncio.CancelledError):
                flow.cancel()
                result = {
                    "ok": False,
                    "status": "cancelled",
                    "message": "Sign-in was cancelled; nothing was written.",
                    "files": [],
                }
        progress.final = result.get("message") if isinstance(result, dict) else None
    return result


async def _cancelled(progress: Progress) -> None:
    """Return when the progress was cancelled by any of the three routes."""
    # window/workDoneProgress/cancel only cancels a concurrent Future in pygls; poll it cheaply.
    while not progress.cancelled():
        await asyncio.sleep(0.05)


def _auth_command(command: str) -> Callable[..., Any]:
    """The handler of one auth command: run it through :mod:`qwen_ls.auth.commands`."""

    @fail_soft(_failed, what=command)
    async def handler(ls: QwenLanguageServer, *args: Any) -> Any:
        from qwen_ls.auth import commands as auth_commands

        arg = _arg(args)
        if command == AUTH_STATUS:
            ls.documents.generation += 1  # re-read files: the fallback for clients without watchers
        if command == SIGN_IN_QWEN_OAUTH:
            result = await _sign_in_qwen_oauth(ls, arg)
        else:
            result = await auth_commands.run_command(command, arg, auth_env(ls))
        if (
            command in auth_commands.CHANGES_STATUS
            and isinstance(result, dict)
            and result.get("ok")
        ):
            after_change(ls)
        if command == AUTH_STATUS and isinstance(result, dict):
            result = with_startup(result, auth_env(ls))
        if command == AUTH_STATUS and isinstance(result, dict) and result != ls.last_status:
            ls.last_status = result
            ls.protocol.notify(STATUS_CHANGED, result)
        return result

    handler.__doc__ = f"``{command}`` (see ``docs/CONTRACTS.md``)."
    return handler


MOVE_ACTION = "Move the key"


async def _confirm_move(ls: QwenLanguageServer, name: str, env_file: Path) -> bool:
    """Ask before writing a second file: the editor's Undo cannot take a ``.env`` write back.

    (A ``WorkspaceEdit`` that creates the file would be undoable, but the editor would create it
    with its default mode, and a file holding a key must be 0600 from its first byte.)
    """
    from qwen_ls.settings.env import display_path

    try:
        answer = await ls.window_show_message_request_async(
            types.ShowMessageRequestParams(
                type=types.MessageType.Info,
                message=f"Move {name} out of settings.json into "
                f"{display_path(env_file, ls.environ)} (mode 0600)? The .env file is written "
                "at once; Undo in the editor restores settings.json but not the .env file.",
                actions=[types.MessageActionItem(title=MOVE_ACTION),
                         types.MessageActionItem(title="Cancel")],
            )
        )
    except Exception as exc:
        logger.warning("could not ask before moving a key: %s", exc)
        return False
    return answer is not None and answer.title == MOVE_ACTION


@fail_soft(_failed)
async def move_secret_to_env(ls: QwenLanguageServer, *args: Any) -> dict[str, Any]:
    """``qwen-ls.moveSecretToEnv`` ``{uri, path, name, confirmed?}``: a key out of settings.json.

    Asks first with ``window/showMessageRequest`` (unless ``confirmed`` is true): the ``.env``
    write is a second file, which the editor's Undo does not take back.
    Writes ``<workspace>/.qwen/.env`` (or ``<QWEN_HOME>/.env`` for the user file) with mode 0600
    through the store, then changes settings.json with ``workspace/applyEdit`` when it is open:
    an ``envKey`` that held the secret gets the variable name, any other key is removed. In a git
    repository ``.qwen/.env`` is added to ``.gitignore``.
    """
    from qwen_ls import store
    from qwen_ls.settings import scopes

    arg = _arg(args)
    uri, path, name = arg.get("uri"), arg.get("path"), arg.get("name")
    if not isinstance(uri, str) or not isinstance(path, list) or not isinstance(name, str):
        return _error("moveSecretToEnv needs {uri, path: [...], name}.")
    file = ls.documents.path_for(uri)
    if file is None:
        return _error("moveSecretToEnv only works on settings files on disk.")
    files = ServerFiles(ls)
    text = files.text(file)
    if text is None:
        return _error(f"Could not read {file}.")
    from qwen_ls.jsonc import parse

    node = parse(text).node_at_path(tuple(path))
    if node is None or not isinstance(node.value, str) or not node.value.strip():
        return _error("There is no secret at that place any more; nothing was changed.")
    secret = node.value.strip()
    env_file, workspace = scopes.secret_env_file(file, ls.environ)
    if not arg.get("confirmed") and not await _confirm_move(ls, name, env_file):
        return {
            "ok": False,
            "status": "cancelled",
            "message": "Nothing was moved.",
            "files": [],
        }
    try:
        env_written = store.write_env_var(env_file, name, secret, workspace=workspace)
    except (store.StoreError, ValueError) as exc:  # a link out of the workspace, a bad value
        return _error(f"Could not move the key to {env_file}: {exc}")
    written = [env_written]
    if "replaceWith" in arg:
        change = (tuple(path), arg["replaceWith"])
    else:
        change = (tuple(path), name if path[-1] == "envKey" else store.DELETE)
    try:
        outcome = await store.SettingsStore(sink=files, workspace=workspace).update(file, [change])
        if outcome.changed:
            written.append(file)
        if workspace is not None:
            ignored = store.ensure_gitignored(workspace)
            if ignored is not None:
                written.append(ignored)
    except store.StoreError as exc:
        return _error(f"The key was saved to {store.shown(env_file, env_written)}, but {exc}")
    after_change(ls)
    return {
        "ok": True,
        "status": "selected",
        "message": f"Moved the key to {store.shown(env_file, env_written)} as {name} (mode 0600); "
        "settings.json no longer holds it.",
        "files": [str(p) for p in written],
    }


@fail_soft(_failed)
async def show_documentation(ls: QwenLanguageServer, *args: Any) -> dict[str, Any]:
    """``qwen-ls.showDocumentation`` ``{code}``: open a rule's page in the browser."""
    from qwen_ls.analysis.rules import RULES, doc_url

    code = str(_arg(args).get("code", "")).upper()
    if code not in RULES:
        return _error(f"There is no rule {code or '(none)'}.")
    url = doc_url(code)
    try:
        shown = await ls.window_show_document_async(
            types.ShowDocumentParams(uri=url, external=True)
        )
        ok = bool(shown and shown.success)
    except Exception as exc:
        logger.info("window/showDocument failed: %s", exc)
        ok = False
    if not ok:
        ls.show_once(f"The documentation of {code} is at {url}", types.MessageType.Info)
    return {"ok": True, "status": "selected", "message": url, "files": []}


@fail_soft(_failed)
def cancel(ls: QwenLanguageServer, *args: Any) -> dict[str, Any]:
    """``qwen-ls.cancel`` ``{token?}``: stop a running sign-in (all of them without a token)."""
    token = _arg(args).get("token")
    hit = 0
    for key, event in list(ls.cancel_events.items()):
        if token in (None, key):
            event.set()
            hit += 1
    return {
        "ok": True,
        "status": "cancelled",
        "message": f"Cancelled {hit} running command(s).",
        "files": [],
    }


@fail_soft(None)
def debug_document_info(ls: QwenLanguageServer, *args: Any) -> dict[str, Any] | None:
    """``qwen-ls.debug.documentInfo`` ``{uri}``: a diagnostics aid, never the text itself.

    Returns ``{uri, version, length, sha256}`` of the server's own copy of an open settings
    document (``length`` in code points; ``sha256`` of its UTF-8 bytes, lone surrogates encoded
    with ``surrogatepass``), or ``None`` when qwen-ls does not manage ``uri``. A client (or the
    fuzzer in ``tests/fuzz``) compares it with its own copy to prove that incremental changes
    were applied at the right place. A digest reveals nothing of the content.
    """
    import hashlib

    uri = _arg(args).get("uri")
    doc = ls.documents.get(uri) if isinstance(uri, str) else None
    if doc is None:
        return None
    digest = hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).hexdigest()
    return {"uri": uri, "version": doc.version, "length": len(doc.text), "sha256": digest}


AUTH_COMMANDS = (
    SIGN_IN_QWEN_OAUTH,
    SIGN_IN_CODING_PLAN,
    SIGN_IN_API_KEY,
    SIGN_OUT,
    AUTH_STATUS,
    LIST_MODELS,
    SELECT_MODEL,
    API_KEY_PRESETS,
)

COMMANDS: dict[str, Callable[..., Any]] = {
    **{name: _auth_command(name) for name in AUTH_COMMANDS},
    MOVE_SECRET_TO_ENV: move_secret_to_env,
    SHOW_DOCUMENTATION: show_documentation,
    DOCTOR: doctor,
    CANCEL: cancel,
    DEBUG_DOCUMENT_INFO: debug_document_info,
}
"""Every server command, by id."""


def register(ls: QwenLanguageServer) -> None:
    """Register every command on ``ls``."""
    for name, fn in COMMANDS.items():
        ls.command(name)(fn)
