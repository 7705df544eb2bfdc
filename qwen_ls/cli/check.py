"""``qwen-ls check [PATH ...]``: analyse settings files, print the findings, optionally fix them.

The options and the output are here; the checking and fixing is :mod:`qwen_ls.lint`. Exit
status (:mod:`qwen_ls.cli.exitcodes`): 1 when an error-severity finding remains (or, with
``--diff``, when a fix would change a file), 0 otherwise (always 0 with ``--exit-zero``), 2 for
usage and configuration errors or an unreadable file.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from qwen_ls.cli.exitcodes import ExitCode
from qwen_ls.lint.config import OUTPUT_FORMATS


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``check`` subcommand to the ``qwen-ls`` parser."""
    check = sub.add_parser(
        "check",
        help="analyse settings files and print the findings",
        description="Analyse Qwen Code settings files; print, fix or export the findings.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="settings files (default: the user, workspace and system files that exist)",
    )
    out = check.add_argument_group("output")
    out.add_argument(
        "--output-format",
        dest="output_format",
        choices=OUTPUT_FORMATS,
        default=None,
        help="full (default: source line and caret), concise (one line each), json, "
        "json-lines, github (pull-request annotations), gitlab (Code Quality), sarif",
    )
    out.add_argument(
        "--format",
        dest="output_format",
        choices=(*OUTPUT_FORMATS, "text"),
        help=argparse.SUPPRESS,  # the old name; "text" is "full"
    )
    out.add_argument(
        "--statistics", action="store_true", help="count the findings per code instead"
    )
    out.add_argument(
        "--verbose", "-v", action="store_true", help="also list every related place (full format)"
    )
    out.add_argument("--no-color", action="store_true", help="never colour the output")
    fix = check.add_argument_group("fixes")
    fix.add_argument("--fix", action="store_true", help="apply every safe fix to the files")
    fix.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also apply fixes that need a look (with --fix or --diff), such as moving a key "
        "to .qwen/.env",
    )
    fix.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff; write nothing"
    )
    sel = check.add_argument_group("rules")
    sel.add_argument("--select", default=None, help="comma-separated codes or prefixes to report")
    sel.add_argument("--ignore", default=None, help="comma-separated codes or prefixes to skip")
    sel.add_argument(
        "--config",
        type=Path,
        default=None,
        help="a qwen-ls.toml or pyproject.toml (default: the nearest one with [tool.qwen-ls])",
    )
    check.add_argument(
        "--workspace",
        type=Path,
        default=None,
        help="the folder qwen would start in (default: derived from each path, "
        "else the current directory)",
    )
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when errors are found"
    )
    check.set_defaults(handler=run)


def _fail(message: str) -> int:
    sys.stderr.write(f"qwen-ls check: {message}\n")
    return ExitCode.USAGE


def run(args: argparse.Namespace) -> int:
    """Run ``qwen-ls check`` with parsed arguments; returns the exit status."""
    from qwen_ls.lint import formats
    from qwen_ls.lint.config import ConfigError, find_config, load_config, split_codes
    from qwen_ls.lint.run import CheckError, check_files, default_paths
    from qwen_ls.secrets import redact

    environ = dict(os.environ)
    try:
        config = load_config(args.config or find_config(Path.cwd()))
    except ConfigError as exc:
        return _fail(str(exc))
    if args.select is not None:
        config.select = split_codes(args.select)
    if args.ignore is not None:
        config.ignore = [*config.ignore, *split_codes(args.ignore)]
    fmt = args.output_format or config.output_format or "full"
    fmt = "full" if fmt == "text" else fmt
    if args.unsafe_fixes and not (args.fix or args.diff):
        return _fail("--unsafe-fixes needs --fix or --diff")

    paths = args.paths or default_paths(args.workspace or Path.cwd(), environ)
    if not paths:
        sys.stderr.write(
            "qwen-ls check: no settings files found (looked for the user, workspace "
            "and system files); pass paths explicitly.\n"
        )
        return ExitCode.OK
    try:
        outcome = check_files(paths, config, args.workspace, environ, fix=args.fix,
                              diff=args.diff, unsafe=args.unsafe_fixes)
    except CheckError as exc:
        return _fail(str(exc))

    found = formats.items(outcome.results)
    fixed_count, notes = outcome.fixed, outcome.notes
    out = sys.stdout
    if args.diff:
        out.write(redact("".join(outcome.diffs)))
        for note in notes:
            sys.stderr.write(f"qwen-ls check: {redact(note)}\n")
        sys.stderr.write(
            f"Would fix {fixed_count} problem{'s' if fixed_count != 1 else ''}.\n"
            if fixed_count
            else "No fixes available.\n"
        )
    elif args.statistics or fmt in formats.MACHINE:
        # Machine-readable output stays parseable: notes about written files go to stderr.
        render = formats.MACHINE.get(fmt) if not args.statistics else None
        out.write(render(found) if render else formats.statistics(found, fmt))
        for note in notes:
            sys.stderr.write(f"qwen-ls check: {redact(note)}\n")
    else:
        color = out.isatty() and not args.no_color and "NO_COLOR" not in environ
        for item in found:
            if fmt == "concise":
                out.write(formats.concise(item) + "\n")
            else:
                out.write(formats.full(item, color, args.verbose) + "\n")
        for note in notes:
            out.write(redact(note) + "\n")
        out.write(_summary(found, len(outcome.results), fixed_count, args))

    if args.exit_zero:
        return ExitCode.OK
    if args.diff and fixed_count:
        return ExitCode.FAILURE
    return ExitCode.FAILURE if any(i.severity == "error" for i in found) else ExitCode.OK


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _summary(found: list, files: int, fixed: int, args: argparse.Namespace) -> str:
    """The closing lines of the text formats, as ruff words them."""
    lines = []
    if found or fixed:
        if args.fix:
            lines.append(
                f"Found {_plural(len(found) + fixed, 'problem')} in {_plural(files, 'file')} "
                f"({fixed} fixed, {len(found)} remaining)."
            )
        else:
            lines.append(f"Found {_plural(len(found), 'problem')} in {_plural(files, 'file')}.")
    else:
        lines.append(f"All checks passed ({_plural(files, 'file')}).")
    safe = sum(1 for i in found if i.fix == "safe")
    unsafe = sum(1 for i in found if i.fix == "unsafe")
    if safe:
        lines.append(f"[*] {safe} fixable with `qwen-ls check --fix`.")
    if unsafe and not args.unsafe_fixes:
        lines.append(
            f"({unsafe} more fix{'es' if unsafe != 1 else ''} available with "
            "`--fix --unsafe-fixes`; "
            "look at them first with `--diff --unsafe-fixes`.)"
        )
    return "\n".join(lines) + "\n"
