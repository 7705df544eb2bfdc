"""The auth status the editor shows, and the refresh after anything that can change it.

The status (``AuthStatus`` plus ``startup``, what ``qwen -p`` does here) follows the unsaved
buffers. It is computed after each open and save, after outside changes (watched files,
configuration) and after every command that writes, and sent with ``qwen/statusChanged`` only
when it differs from the last one sent. Handlers and commands both come here; this module
imports neither.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from qwen_ls.protocol import STATUS_CHANGED
from qwen_ls.server import diagnostics
from qwen_ls.server.files import ServerFiles
from qwen_ls.server.server import QwenLanguageServer

if TYPE_CHECKING:
    from qwen_ls.auth.context import AuthEnv

logger = logging.getLogger(__name__)


def auth_env(ls: QwenLanguageServer) -> AuthEnv:
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
        editor=True,
    )


async def current_status(ls: QwenLanguageServer) -> dict[str, Any] | None:
    """The ``AuthStatus`` of the workspace with ``startup``, or ``None`` when it cannot tell.

    The scope files are read once, for the status and for the start-up resolution.
    """
    # Without importing the sign-in flows (httpx and the OAuth client): the status is checked
    # after every open and save, sign-in is rare.
    from qwen_ls.auth.status import auth_status
    from qwen_ls.doctor import startup_summary

    env = auth_env(ls)
    env.layers_read = env.layers()  # one read, for the status and the start-up summary
    status = auth_status(env.workspace, env.environ, env=env)
    if not isinstance(status, dict):
        return None
    summary = startup_summary(env.workspace, env.environ, env.open_texts, trusted=env.trusted,
                              layers=env.layers_read)
    return {**status, "startup": summary}


def send_status(ls: QwenLanguageServer, status: dict[str, Any], *, quiet_first: bool) -> None:
    """Send ``qwen/statusChanged`` when ``status`` differs from the last one sent.

    With ``quiet_first``, a first status saying "not configured" is kept but not sent: the
    editor shows nothing for a workspace that never configured qwen.
    """
    if status == ls.last_status:
        return
    first = ls.last_status is None
    ls.last_status = status
    if not (quiet_first and first and status.get("method") == "none"):
        ls.protocol.notify(STATUS_CHANGED, status)


async def check_status(ls: QwenLanguageServer) -> None:
    """Compute the status and send it when it changed (never raises)."""
    try:
        status = await current_status(ls)
    except Exception as exc:
        logger.info("auth status unavailable: %s", exc)
        return
    if status is not None:
        send_status(ls, status, quiet_first=True)


def external_change(ls: QwenLanguageServer) -> None:
    """Re-diagnose every open document and re-check the auth status."""
    if ls.flags.pull_diagnostics:
        diagnostics.refresh_others(ls, None, 0)
    else:
        for doc in ls.documents.managed():
            diagnostics.schedule(ls, doc.uri, 0)
    ls.run_task(check_status(ls), "status")


def after_change(ls: QwenLanguageServer) -> None:
    """A command wrote files: re-read them, re-diagnose, and send the new status."""
    if ls.watcher is not None:
        ls.watcher.resync()  # our own writes: the poller need not report them again
    ls.documents.generation += 1
    external_change(ls)
