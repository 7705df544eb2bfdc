"""The ``qwen-ls`` command line: the language server, ``check`` for CI, and sign-in commands.

``qwen-ls`` (or ``qwen-ls serve``) speaks LSP on stdio; ``qwen-ls check`` runs the same analysis as
the server over settings files and prints the findings; ``qwen-ls rules`` lists the rule catalogue;
``qwen-ls schema`` prints the settings JSON Schema; ``qwen-ls auth ...`` and ``qwen-ls model ...``
run the sign-in flows and switch models (see :mod:`qwen_ls.cli_auth`).

Imports are lazy so that starting the server pays only for what it uses.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Sequence

from qwen_ls import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 141


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit with code 2 and a one-line hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


_SERVER_FLAGS = ("--stdio", "--tcp", "--log-file")
"""Options that start the language server directly (``qwen-ls --stdio``, as editors call it)."""


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    parser = _Parser(
        prog="qwen-ls",
        description=__doc__.splitlines()[0],
        epilog="Without a command qwen-ls serves LSP on stdio; server options: --stdio, "
        "--tcp HOST:PORT, --log-file PATH (see `qwen-ls serve --help`).",
    )
    parser.add_argument("--version", action="version", version=f"qwen-ls {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    serve = sub.add_parser(
        "serve",
        help="run the language server (the default)",
        add_help=False,
        prefix_chars="\0",  # every argument goes to the server's own parser
    )
    serve.add_argument("server_args", nargs=argparse.REMAINDER)

    from qwen_ls.lint import cli as lint_cli

    lint_cli.register(sub)

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json", "markdown", "table"), default="text")

    sub.add_parser("schema", help="print the settings JSON Schema")

    try:
        from qwen_ls import cli_auth
    except ImportError:  # pragma: no cover - the auth commands are optional at build time
        cli_auth = None
    if cli_auth is not None:
        cli_auth.register(sub)
    from qwen_ls import doctor

    doctor.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    A closed stdout (``qwen-ls rules | head``) ends the command quietly with status 141, as a
    program killed by SIGPIPE would, instead of a BrokenPipeError traceback.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].split("=", 1)[0] in _SERVER_FLAGS:
        return _serve(argv)
    try:
        return _dispatch(argv)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE


def _dispatch(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in (None, "serve"):
        return _serve(getattr(args, "server_args", []))
    if args.command == "rules":
        code = run_rules(args.format)
    elif args.command == "schema":
        from qwen_ls.settings.schema import build_schema

        sys.stdout.write(json.dumps(build_schema(), indent=2, sort_keys=True) + "\n")
        code = EXIT_OK
    elif getattr(args, "handler", None) is not None:
        code = int(args.handler(args))
    else:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    sys.stdout.flush()  # a closed pipe shows here, inside the try, not at interpreter exit
    return code


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _serve(argv: list[str]) -> int:
    # No cyclic garbage collection while pygls and lsprotocol build their ~600 classes: each
    # collection would walk every object made so far (~10% of start-up). The server turns it
    # back on, with start-up's objects frozen out of it, before serving (server.main.tune_gc).
    gc.disable()
    from qwen_ls.server import main as server_main

    return server_main.serve(argv)


# ---- rules -------------------------------------------------------------------------------------


def run_rules(fmt: str) -> int:
    """Print the rule catalogue."""
    from qwen_ls.analysis.rules import RULES

    if fmt == "json":
        sys.stdout.write(
            json.dumps(
                [
                    {"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary}
                    for r in RULES.values()
                ],
                indent=2,
            )
            + "\n"
        )
    elif fmt == "markdown":
        sys.stdout.write(rules_markdown())
    elif fmt == "table":
        sys.stdout.write(rules_table())
    else:
        for rule in RULES.values():
            sys.stdout.write(f"{rule.code}  {rule.severity:<11}  {rule.name:<34} {rule.summary}\n")
    return EXIT_OK


def rules_table() -> str:
    """The rule table embedded in the README (between the ``rules`` markers)."""
    from qwen_ls.analysis.rules import RULES

    rows = ["| code | name | severity | what it catches |", "|---|---|---|---|"]
    for r in RULES.values():
        summary = r.summary.replace("|", "\\|")
        rows.append(f"| [{r.code}](docs/rules.md#{r.code.lower()}) | {r.name} | {r.severity} | "
                    f"{summary} |")
    return "\n".join(rows) + "\n"


def rules_markdown() -> str:
    """The rule reference (``docs/rules.md``), generated from the catalogue."""
    from qwen_ls.analysis.rules import RULES

    out = [
        "# qwen-ls rules\n",
        "Generated by `qwen-ls rules --format markdown`; do not edit by hand.\n",
        "| code | name | severity |",
        "|---|---|---|",
    ]
    out += [f"| [{r.code}](#{r.code.lower()}) | {r.name} | {r.severity} |" for r in RULES.values()]
    out.append("")
    for r in RULES.values():
        out.append(f"## {r.code}\n")
        out.append(f"**{r.name}** ({r.severity}). {r.summary}\n")
        extra = []
        if r.scope != "user":
            extra.append(f"in a {r.scope} settings file")
        if r.env:
            extra.append("with " + ", ".join(sorted(r.env)) + " set")
        if r.good_env:
            extra.append("the fixed one with a key that starts with sk-sp-")
        if extra:
            out.append(f"Examples analysed {' and '.join(extra)}.\n")
        out.append("Bad:\n\n```jsonc\n" + r.bad.rstrip() + "\n```\n")
        out.append("Fixed:\n\n```jsonc\n" + r.good.rstrip() + "\n```\n")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
