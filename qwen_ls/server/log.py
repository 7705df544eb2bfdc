"""Logging for the language server: stderr plus ``window/logMessage``, always redacted.

stdout is the protocol channel, so nothing may print there. Two handlers carry the records out of
the process and each has its own :class:`qwen_ls.secrets.RedactingFilter`:

- a ``StreamHandler`` on stderr (what editors show in their server output channel), and
- :class:`WindowLogHandler`, which forwards records as ``window/logMessage`` once the client is
  connected.

The ``pygls`` logger stays at WARNING whatever the level asked for: at INFO it logs every message
body ("Sending data: ...") and the whole ``InitializeParams``, which would put hovers, command
results and edits (and so possibly keys) into the log.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from lsprotocol import types

from qwen_ls.secrets import RedactingFilter

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

_LEVELS = {
    logging.ERROR: types.MessageType.Error,
    logging.WARNING: types.MessageType.Warning,
    logging.INFO: types.MessageType.Info,
}


class WindowLogHandler(logging.Handler):
    """Forward log records to the client as ``window/logMessage`` notifications."""

    def __init__(self, server: LanguageServer) -> None:
        super().__init__()
        self.server = server
        """The server whose connection carries the messages."""
        self.connected = False
        """Set once ``initialize`` has been answered; records before that only go to stderr."""
        self._emitting = False

    def emit(self, record: logging.LogRecord) -> None:
        """Send one (already redacted) record; never raises, never recurses."""
        if not self.connected or self._emitting:
            return
        self._emitting = True
        try:
            kind = next(
                (v for k, v in _LEVELS.items() if record.levelno >= k), types.MessageType.Log
            )
            self.server.window_log_message(
                types.LogMessageParams(type=kind, message=self.format(record))
            )
        except Exception:  # a broken pipe at shutdown must not raise into the logging call
            pass
        finally:
            self._emitting = False


def setup_logging(
    server: LanguageServer | None, level: int = logging.INFO
) -> WindowLogHandler | None:
    """Configure the ``qwen_ls`` and ``pygls`` loggers for a server process.

    Parameters
    ----------
    server
        The server to forward records to through ``window/logMessage``; ``None`` for stderr only.
    level
        The level of the ``qwen_ls`` loggers.

    Returns
    -------
    WindowLogHandler | None
        The window handler, so the server can switch it on after ``initialize``.
    """
    root = logging.getLogger("qwen_ls")
    root.setLevel(level)
    root.propagate = False
    for handler in list(root.handlers):
        root.removeHandler(handler)

    stderr = logging.StreamHandler(sys.stderr)
    stderr.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    stderr.addFilter(RedactingFilter())
    root.addHandler(stderr)

    pygls_logger = logging.getLogger("pygls")
    pygls_logger.setLevel(logging.WARNING)
    pygls_logger.propagate = False
    for handler in list(pygls_logger.handlers):
        pygls_logger.removeHandler(handler)
    pygls_logger.addHandler(stderr)

    window: WindowLogHandler | None = None
    if server is not None:
        window = WindowLogHandler(server)
        window.setLevel(logging.INFO)
        window.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        window.addFilter(RedactingFilter())
        root.addHandler(window)
    return window
