"""``qwen-ls [serve] [--stdio] [--tcp HOST:PORT] [--log-file PATH]``: run the language server.

The server's options are defined once, here (:func:`add_arguments`), and parsed by one parser in
both spellings: ``qwen-ls serve ...`` (a subcommand like any other) and plain ``qwen-ls ...``
without a command, which is how editors start it (``qwen-ls --stdio``). The second spelling is
recognised before the full command line is built (:func:`is_server_argv`), so that a server start
pays neither for the other commands' parsers nor for the modules they import.
"""

from __future__ import annotations

import argparse
import gc
from collections.abc import Sequence

DESCRIPTION = "qwen-ls language server"


def parse_tcp(value: str) -> tuple[str, int]:
    """Parse ``HOST:PORT`` (or just ``PORT`` for 127.0.0.1)."""
    host, _, port = value.rpartition(":")
    try:
        return host or "127.0.0.1", int(port)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {value!r}") from exc


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the server's options to ``parser`` and make :func:`run` its handler."""
    parser.add_argument("--stdio", action="store_true", help="serve over stdio (the default)")
    parser.add_argument(
        "--tcp", type=parse_tcp, metavar="HOST:PORT", help="serve over TCP (for debugging)"
    )
    parser.add_argument(
        "--log-file",
        metavar="PATH",
        help="also write every log line to PATH (stderr only gets warnings and errors)",
    )
    parser.set_defaults(handler=run)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``qwen-ls serve``: the same usage, help and errors as ``qwen-ls`` without a command."""
    add_arguments(
        sub.add_parser("serve", help="run the language server (the default)", prog="qwen-ls",
                       description=DESCRIPTION)
    )


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``qwen-ls`` without a command (only the server's options)."""
    parser = argparse.ArgumentParser(prog="qwen-ls", description=DESCRIPTION)
    add_arguments(parser)
    return parser


def is_server_argv(argv: Sequence[str]) -> bool:
    """Whether ``argv`` starts the server without naming a command (nothing, or a server option)."""
    if not argv:
        return True
    return argv[0].split("=", 1)[0] in _option_strings()


def _option_strings() -> set[str]:
    parser = argparse.ArgumentParser(add_help=False)
    add_arguments(parser)
    return set(parser._option_string_actions)


def main(argv: Sequence[str] | None = None) -> int:
    """Serve with ``argv`` (the arguments after the program name); returns the exit status."""
    return run(build_parser().parse_args(argv))


def run(args: argparse.Namespace) -> int:
    """Serve one client over stdio, or over TCP with ``--tcp``, until it exits."""
    # No cyclic garbage collection while pygls and lsprotocol build their ~600 classes: each
    # collection would walk every object made so far (~10% of start-up). The server turns it
    # back on, with start-up's objects frozen out of it, before serving (server.main.tune_gc).
    gc.disable()
    from qwen_ls.server import main as server_main

    if args.tcp:
        return server_main.run_tcp(*args.tcp, log_file=args.log_file)
    return server_main.run_stdio(log_file=args.log_file)
