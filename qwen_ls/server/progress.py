"""Work-done progress of a long command (a sign-in), with a cancellation flag of its own.

A running command stops when any of three routes fires: ``window/workDoneProgress/cancel`` of its
token, ``$/cancelRequest`` of its request (pygls does not stop a running command coroutine, so
the server maps the request id to the flag), or the ``qwen-ls.cancel`` command.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from lsprotocol import types

from qwen_ls.secrets import redact
from qwen_ls.server.server import WORK_DONE_TOKEN, QwenLanguageServer

logger = logging.getLogger(__name__)


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

    async def wait_cancelled(self) -> None:
        """Return when any cancellation route fired."""
        # window/workDoneProgress/cancel only cancels a concurrent Future in pygls; poll it.
        while not self.cancelled():
            await asyncio.sleep(0.05)

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

