"""Building and starting the server: stdio (what editors use) or TCP (debugging, a client attached).

:func:`create_server` wires a :class:`~qwen_ls.server.server.QwenLanguageServer` to its handlers
and commands. The options are parsed by the command line (:mod:`qwen_ls.cli.serve`), which calls
:func:`run_stdio` or :func:`run_tcp`.
"""

from __future__ import annotations

import gc
import logging

from qwen_ls.server.server import QwenLanguageServer

logger = logging.getLogger(__name__)


def create_server(
    environ: dict[str, str] | None = None, log_file: str | None = None
) -> QwenLanguageServer:
    """Build a fresh server with every feature and command registered.

    Parameters
    ----------
    environ
        The environment to analyse against (defaults to the process environment).
    log_file
        A file for every log record (besides ``window/logMessage``), or ``None``.

    Returns
    -------
    QwenLanguageServer
        The server, not started (call ``start_io()`` or ``start_tcp(host, port)``).
    """
    from qwen_ls.server import commands, handlers, probe

    server = QwenLanguageServer(environ)
    server.log_file = log_file
    handlers.register(server)
    commands.register(server)
    probe.register(server)
    return server


def tune_gc() -> None:
    """Collect garbage less often than CPython's defaults (and turn collection back on).

    Each version of a large settings file allocates ~100,000 objects (its parsed value), which
    with the default thresholds triggers full collections every few keystrokes, each a pause of
    tens of milliseconds.
    """
    # No gc.collect() first: it would cost ~30 ms before the initialize result.
    gc.freeze()  # objects alive after start-up (modules) are never scanned again
    gc.set_threshold(50_000, 20, 50)
    gc.enable()  # the command line disables it while the server's modules are imported


def run_stdio(log_file: str | None = None) -> int:
    """Serve one client over stdin/stdout; returns 0 when the client closes stdin.

    On ``exit`` pygls ends the process itself (``sys.exit``: 0 after ``shutdown``, else 1), so
    this function does not return then.
    """
    server = create_server(log_file=log_file)
    tune_gc()
    server.start_io()
    return 0


def run_tcp(host: str, port: int, log_file: str | None = None) -> int:
    """Serve over TCP on ``host:port`` (debugging: attach an editor to a running server).

    Parameters
    ----------
    host
        Interface to bind, e.g. ``127.0.0.1``.
    port
        TCP port.
    log_file
        A file for every log record, or ``None``.

    Returns
    -------
    int
        0 when the server stops without an ``exit`` (on ``exit`` pygls ends the process, as in
        :func:`run_stdio`).
    """
    server = create_server(log_file=log_file)
    tune_gc()
    logger.info("qwen-ls listening on %s:%s", host, port)
    server.start_tcp(host, port)
    return 0
