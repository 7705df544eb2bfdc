"""Starting the server: stdio (what editors use) or TCP (for debugging with a client attached).

``qwen_ls.cli`` calls :func:`serve` with its remaining arguments; :func:`run_stdio` and
:func:`run_tcp` are there for callers that parse their own options.
"""

from __future__ import annotations

import argparse
import gc
import logging

from qwen_ls.server.server import create_server

logger = logging.getLogger(__name__)


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
    """Serve one client over stdin/stdout until it exits; returns the process exit code."""
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
        The process exit code.
    """
    server = create_server(log_file=log_file)
    tune_gc()
    logger.info("qwen-ls listening on %s:%s", host, port)
    server.start_tcp(host, port)
    return 0


def parse_tcp(value: str) -> tuple[str, int]:
    """Parse ``HOST:PORT`` (or just ``PORT`` for 127.0.0.1)."""
    host, _, port = value.rpartition(":")
    try:
        return host or "127.0.0.1", int(port)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {value!r}") from exc


def serve(argv: list[str] | None = None) -> int:
    """Run the language server: stdio by default, ``--tcp HOST:PORT`` for debugging.

    Parameters
    ----------
    argv
        Arguments after the program name (``--stdio`` is accepted and ignored, as editors pass it).

    Returns
    -------
    int
        The process exit code.
    """
    parser = argparse.ArgumentParser(prog="qwen-ls", description="qwen-ls language server")
    add_server_arguments(parser)
    args = parser.parse_args(argv)
    if args.tcp:
        return run_tcp(*args.tcp, log_file=args.log_file)
    return run_stdio(log_file=args.log_file)


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """The server's options, shared by ``qwen-ls``, ``qwen-ls serve`` and this module."""
    parser.add_argument("--stdio", action="store_true", help="serve over stdio (the default)")
    parser.add_argument(
        "--tcp", type=parse_tcp, metavar="HOST:PORT", help="serve over TCP (for debugging)"
    )
    parser.add_argument(
        "--log-file",
        metavar="PATH",
        help="also write every log line to PATH (stderr only gets warnings and errors)",
    )
