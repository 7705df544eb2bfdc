"""``workspace/executeCommand``: sign-in, status, models and the move-secret fix.

The ids and the result shape are :mod:`qwen_ls.protocol`'s. Each command takes one JSON object
argument (or none) and returns a structured result, never a raw error: a failure becomes
``{ok: false, status: "error", message}`` with secrets masked. Commands stay thin: the work is in
:mod:`qwen_ls.auth` (shared with the CLI), imported lazily so that starting the server does not
pay for httpx, and the status refresh after a write is :mod:`qwen_ls.server.status`'s.

Long flows (Qwen OAuth) report work-done progress (:mod:`qwen_ls.server.progress`) with the URL
and user code, ask the client to open the URL when it can (``window/showDocument``), and stop at
once when cancelled. Nothing is written after a cancel.

``qwen-ls.debug.documentInfo`` is a diagnostics aid, not a feature: it returns the version, length
and SHA-256 of the server's copy of a document (never the text), so a client or the LSP fuzzer
(``tests/fuzz``) can prove that the server applied every incremental change where it should.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types

from qwen_ls import protocol
from qwen_ls.protocol import result
from qwen_ls.server.failsoft import fail_soft
from qwen_ls.server.files import ServerFiles
from qwen_ls.server.progress import Progress
from qwen_ls.server.server import QwenLanguageServer
from qwen_ls.server.status import after_change, auth_env, current_status, send_status

logger = logging.getLogger(__name__)


def _error(message: str) -> dict[str, Any]:
    return result(False, "error", message)


def _failed(exc: Exception) -> dict[str, Any]:
    # Never the raw exception text of an unexpected error: it may hold a path or a key.
    return _error(f"The command failed unexpectedly ({type(exc).__name__}); see the qwen-ls log.")


def _arg(args: tuple[Any, ...]) -> dict[str, Any]:
    return args[0] if args and isinstance(args[0], dict) else {}


@fail_soft(_failed, what=protocol.DOCTOR)
async def doctor(ls: QwenLanguageServer, *args: Any) -> dict[str, Any]:
    """``qwen-ls.doctor`` ``{}``: ``qwen-ls doctor --format json`` here, buffers included."""
    from qwen_ls.doctor import doctor_report

    env = auth_env(ls)
    workspace = env.workspace or Path(env.environ.get("HOME") or Path.home())
    report = await asyncio.to_thread(
        doctor_report, workspace, env.environ, env.open_texts, trusted=env.trusted
    )
    return {"ok": True, **report}


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
                protocol.SIGN_IN_QWEN_OAUTH,
                arg,
                auth_env(ls),
                cancel=progress.cancel,
                progress=progress.report,
                on_code=on_code,
            )
        )
        watcher = asyncio.ensure_future(progress.wait_cancelled())
        done, _ = await asyncio.wait({flow, watcher}, return_when=asyncio.FIRST_COMPLETED)
        watcher.cancel()
        if flow in done:
            answer = flow.result()
        else:
            # The flow polls the same flag and returns "cancelled" at its next check; it never
            # writes after it. Give it a moment to say so, else stop it outright.
            try:
                answer = await asyncio.wait_for(flow, timeout=5)
            except (TimeoutError, asyncio.CancelledError):
                flow.cancel()
                answer = result(False, "cancelled", "Sign-in was cancelled; nothing was written.")
        progress.final = answer.get("message") if isinstance(answer, dict) else None
    return answer


def _auth_command(command: str) -> Callable[..., Any]:
    """The handler of one auth command: run it through :mod:`qwen_ls.auth.commands`."""

    @fail_soft(_failed, what=command)
    async def handler(ls: QwenLanguageServer, *args: Any) -> Any:
        from qwen_ls.auth import commands as auth_commands

        arg = _arg(args)
        if command == protocol.AUTH_STATUS:
            ls.documents.generation += 1  # re-read files: the fallback for clients without watchers
            status = await current_status(ls)
            if status is not None:
                send_status(ls, status, quiet_first=False)
            return status
        if command == protocol.SIGN_IN_QWEN_OAUTH:
            answer = await _sign_in_qwen_oauth(ls, arg)
        else:

            async def ask(question: Any) -> bool:  # sign-out's yes/no questions
                return await ls.confirm(question.message, question.yes,
                                        types.MessageType.Warning, decline=question.no)

            answer = await auth_commands.run_command(command, arg, auth_env(ls), ask=ask)
        if command in protocol.CHANGES_STATUS and isinstance(answer, dict) and answer.get("ok"):
            after_change(ls)
        return answer

    handler.__doc__ = f"``{command}`` (see ``docs/CONTRACTS.md``)."
    return handler


MOVE_ACTION = "Move the key"


async def _confirm_move(ls: QwenLanguageServer, name: str, env_file: Path) -> bool:
    """Ask before writing a second file: the editor's Undo cannot take a ``.env`` write back.

    (A ``WorkspaceEdit`` that creates the file would be undoable, but the editor would create it
    with its default mode, and a file holding a key must be 0600 from its first byte.)
    """
    from qwen_ls.settings.env import display_path

    return await ls.confirm(
        f"Move {name} out of settings.json into {display_path(env_file, ls.environ)} (mode "
        "0600)? The .env file is written at once; Undo in the editor restores settings.json but "
        "not the .env file.", MOVE_ACTION)


@fail_soft(_failed)
async def move_secret_to_env(ls: QwenLanguageServer, *args: Any) -> dict[str, Any]:
    """``qwen-ls.moveSecretToEnv`` ``{uri, path, name, confirmed?, replaceWith?}``.

    Moves a key out of settings.json as :mod:`qwen_ls.auth.move_secret` describes, after asking
    with ``window/showMessageRequest`` (unless ``confirmed`` is true): the ``.env`` write is a
    second file, which the editor's Undo does not take back. settings.json changes with
    ``workspace/applyEdit`` when it is open.
    """
    from qwen_ls.auth.move_secret import apply_move, plan_move

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
    move = plan_move(file, text, path, name, ls.environ)
    if move is None:
        return _error("There is no secret at that place any more; nothing was changed.")
    if not arg.get("confirmed") and not await _confirm_move(ls, name, move.env_file):
        return result(False, "cancelled", "Nothing was moved.")
    answer = await (apply_move(move, files, arg["replaceWith"]) if "replaceWith" in arg
                    else apply_move(move, files))
    if answer["ok"]:
        after_change(ls)
    return answer


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
    return result(True, "selected", url)


SIGN_IN_FROM_TERMINAL = (
    "Sign in from a terminal: run `qwen-ls auth sign-in` in the folder qwen starts in (Coding "
    "Plan, an API key, or Qwen OAuth). The status updates by itself once it is done."
)


@fail_soft(_failed)
def sign_in(ls: QwenLanguageServer, *args: Any) -> dict[str, Any]:
    """``qwen-ls.signIn`` ``{code?, uri?}``: the "Sign in…" quick fix, for clients without a flow.

    The VS Code extension runs its own sign-in instead and never sends it; an editor without
    one (Neovim, Helix) cannot ask for a key through LSP, so the server says how to sign in.
    """
    ls.window_show_message(
        types.ShowMessageParams(type=types.MessageType.Info, message=SIGN_IN_FROM_TERMINAL))
    return result(False, "cancelled", SIGN_IN_FROM_TERMINAL)


@fail_soft(_failed)
def cancel(ls: QwenLanguageServer, *args: Any) -> dict[str, Any]:
    """``qwen-ls.cancel`` ``{token?}``: stop a running sign-in (all of them without a token)."""
    token = _arg(args).get("token")
    hit = 0
    for key, event in list(ls.cancel_events.items()):
        if token in (None, key):
            event.set()
            hit += 1
    return result(True, "cancelled", f"Cancelled {hit} running command(s).")


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


COMMANDS: dict[str, Callable[..., Any]] = {
    **{name: _auth_command(name) for name in protocol.AUTH_COMMANDS},
    protocol.MOVE_SECRET_TO_ENV: move_secret_to_env,
    protocol.SHOW_DOCUMENTATION: show_documentation,
    protocol.DOCTOR: doctor,
    protocol.CANCEL: cancel,
    protocol.SIGN_IN: sign_in,
    protocol.DEBUG_DOCUMENT_INFO: debug_document_info,
}
"""Every server command, by id (the ids: :data:`qwen_ls.protocol.COMMANDS`)."""


def register(ls: QwenLanguageServer) -> None:
    """Register every command on ``ls``."""
    for name, fn in COMMANDS.items():
        ls.command(name)(fn)
