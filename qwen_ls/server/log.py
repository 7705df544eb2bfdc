"""Logging for the language server: ``window/logMessage`` first, always redacted.

stdout is the protocol channel, so nothing may print there. Each record goes to the client at
most once, so that no client shows a line twice (VS Code shows both stderr and
``window/logMessage`` in the same output channel, and Neovim logs every stderr line as
``[ERROR]``):

- once the client is connected, :class:`WindowLogHandler` sends every record as
  ``window/logMessage`` with its level (error, warning, info; debug as ``Log``);
- stderr gets only warnings and errors, and only those that could not be sent that way (before
  ``initialize`` was answered, or when the connection is gone);
- ``--log-file PATH`` additionally writes every record at the configured level to that file;
- pygls' own warnings and errors go to stderr (and the log file) only: the server reports what
  matters of them once, masked, through its own logger.

Every handler has its own :class:`qwen_ls.secrets.RedactingFilter`.

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
    """Send records as ``window/logMessage``; warnings and errors it cannot send go to stderr."""

    def __init__(self, server: LanguageServer | None, fallback: logging.Handler) -> None:
        super().__init__()
        self.server = server
        """The server whose connection carries the messages (``None``: stderr only)."""
        self.fallback = fallback
        """Where a warning or error goes when it cannot be sent (stderr)."""
        self.connected = False
        """Set once ``initialize`` has been answered; records before that only go to stderr."""
        self._emitting = False

    def emit(self, record: logging.LogRecord) -> None:
        """Send one (already redacted) record; never raises, never recurses."""
        if not self._send(record) and record.levelno >= logging.WARNING:
            self.fallback.handle(record)

    def _send(self, record: logging.LogRecord) -> bool:
        if self.server is None or not self.connected or self._emitting:
            return False
        self._emitting = True
        try:
            kind = next(
                (v for k, v in _LEVELS.items() if record.levelno >= k), types.MessageType.Log
            )
            self.server.window_log_message(
                types.LogMessageParams(type=kind, message=self.format(record))
            )
            return True
        except Exception:  # a broken pipe at shutdown must not raise into the logging call
            return False
        finally:
            self._emitting = False


def setup_logging(
    server: LanguageServer | None, level: int = logging.INFO, log_file: str | None = None
) -> WindowLogHandler:
    """Configure the ``qwen_ls`` and ``pygls`` loggers for a server process.

    Parameters
    ----------
    server
        The server to forward records to through ``window/logMessage``; ``None`` for stderr only.
    level
        The level of the ``qwen_ls`` loggers.
    log_file
        A file that receives every record at ``level`` as well (``--log-file``).

    Returns
    -------
    WindowLogHandler
        The window handler, so the server can switch it on after ``initialize``.
    """
    root = logging.getLogger("qwen_ls")
    root.setLevel(level)
    root.propagate = False
    pygls_logger = logging.getLogger("pygls")
    pygls_logger.setLevel(logging.WARNING)
    pygls_logger.propagate = False
    for logger in (root, pygls_logger):
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            if isinstance(handler, logging.FileHandler):
                handler.close()

    stderr = logging.StreamHandler(sys.stderr)
    stderr.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    stderr.addFilter(RedactingFilter())

    window = WindowLogHandler(server, stderr)
    window.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    window.addFilter(RedactingFilter())
    extra: list[logging.Handler] = []
    if log_file:
        try:
            file = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as exc:
            sys.stderr.write(f"qwen-ls: cannot write the log file {log_file}: {exc.strerror}\n")
        else:
            file.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
            )
            file.addFilter(RedactingFilter())
            extra.append(file)
    # pygls' own records (a message it could not parse, with its traceback) stay out of the
    # client's log: the server reports those once, masked (QwenLanguageServer.report_server_error).
    for logger, handlers in ((root, [window, *extra]), (pygls_logger, [stderr, *extra])):
        for handler in handlers:
            logger.addHandler(handler)
    return window
