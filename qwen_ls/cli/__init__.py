"""The ``qwen-ls`` command line: the language server, ``check`` for CI, and sign-in commands.

``qwen-ls`` (or ``qwen-ls serve``) speaks LSP on stdio; ``qwen-ls check`` runs the same analysis as
the server over settings files and prints the findings; ``qwen-ls rules`` lists the rule catalogue;
``qwen-ls schema`` prints the settings JSON Schema; ``qwen-ls auth ...`` and ``qwen-ls model ...``
run the sign-in flows and switch models; ``qwen-ls doctor`` says what qwen will do when started.

One module per command (``check``, ``rules``, ``schema``, ``auth``, ``model``, ``doctor``,
``serve``), each with ``register(subparsers)``, which sets ``handler`` (parsed arguments -> exit
status, :mod:`qwen_ls.cli.exitcodes`). Imports are lazy so that starting the server pays only for
what it uses.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from qwen_ls import __version__
from qwen_ls.cli import serve
from qwen_ls.cli.exitcodes import ExitCode


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit with code 2 and a one-line hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    from qwen_ls.cli import auth, check, doctor, model, rules, schema

    parser = _Parser(
        prog="qwen-ls",
        description=__doc__.splitlines()[0],
        epilog="Without a command qwen-ls serves LSP on stdio; server options: --stdio, "
        "--tcp HOST:PORT, --log-file PATH (see `qwen-ls serve --help`).",
    )
    parser.add_argument("--version", action="version", version=f"qwen-ls {__version__}")
    parser.set_defaults(handler=lambda _args: serve.main([]))
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for command in (serve, check, rules, schema, auth, model, doctor):
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    A closed stdout (``qwen-ls rules | head``) ends the command quietly with status 141, as a
    program killed by SIGPIPE would, instead of a BrokenPipeError traceback.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if serve.is_server_argv(argv):  # `qwen-ls --stdio`, as editors start it: no other parsers
        return serve.main(argv)
    try:
        args = build_parser().parse_args(argv)
        code = int(args.handler(args))
        sys.stdout.flush()  # a closed pipe shows here, inside the try, not at interpreter exit
        return code
    except BrokenPipeError:
        _silence_stdout()
        return ExitCode.BROKEN_PIPE


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
