"""What the sign-in commands (``auth``, ``model``) share: masked output, prompts, flows, errors.

Prompts (a hidden one for keys) only appear when stdin is a terminal; otherwise the flags are
required (``--key -`` reads the key from stdin). Every line printed goes through
:func:`qwen_ls.secrets.redact`. A command fails with one line on stderr, never a traceback
(:func:`guard`), and Ctrl-C stops a flow before it writes anything (:func:`run_flow`).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qwen_ls.cli.exitcodes import ExitCode
from qwen_ls.secrets import redact

if TYPE_CHECKING:
    import asyncio

    from qwen_ls.auth.context import AuthEnv

Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """A missing or invalid argument; exit code 2."""


def out(text: str) -> None:
    """Print a line to stdout, masked."""
    sys.stdout.write(redact(text) + "\n")
    sys.stdout.flush()


def err(text: str) -> None:
    """Print a line to stderr, masked."""
    sys.stderr.write(redact(text) + "\n")
    sys.stderr.flush()


def interactive() -> bool:
    """Whether stdin is a terminal (prompts are allowed)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def read_secret(flag_value: str | None, prompt: str, flag: str, allow_stdin: bool) -> str:
    """The secret given with ``flag``, read from stdin (``-``), or asked for without echo."""
    if flag_value == "-" or (flag_value is None and allow_stdin and not interactive()):
        value = sys.stdin.readline().strip()
        if not value:
            raise UsageError(f"no key on stdin; pass {flag} KEY or pipe the key in")
        return value
    if flag_value:
        return flag_value
    if not interactive():
        raise UsageError(f"{flag} is required when stdin is not a terminal (or use {flag} -)")
    value = getpass.getpass(prompt).strip()
    if not value:
        raise UsageError("no key entered")
    return value


def ask(flag_value: str | None, prompt: str, flag: str, choices: tuple[str, ...] = ()) -> str:
    """The value given with ``flag``, or asked for on a terminal."""
    if flag_value:
        return flag_value
    if not interactive():
        raise UsageError(f"{flag} is required when stdin is not a terminal")
    value = input(prompt).strip()
    if choices and value not in choices:
        raise UsageError(f"{flag} must be one of: {', '.join(choices)}")
    return value


def auth_env(args: argparse.Namespace) -> AuthEnv:
    """The sign-in environment of ``--workspace`` with this process's environment variables."""
    from qwen_ls.auth.context import AuthEnv

    return AuthEnv(Path(args.workspace).resolve(), dict(os.environ))


def finish(res: dict[str, Any]) -> int:
    """Print a flow's result (its message and the files it wrote) and return the exit status."""
    if res["ok"]:
        out(res["message"])
    else:
        err(res["message"])
    for name in res.get("files", []):
        out(f"  wrote {name}" if res["status"] != "signed-out" else f"  removed {name}")
    if res["ok"]:
        return ExitCode.OK
    return ExitCode.CANCELLED if res["status"] == "cancelled" else ExitCode.FAILURE


def run_flow(make: Callable[[asyncio.Event], Coroutine[Any, Any, dict[str, Any]]]) -> int:
    """Run a flow; Ctrl-C sets its cancel event (the flow stops and writes nothing)."""
    import asyncio
    import signal

    async def main() -> dict[str, Any]:
        cancel = asyncio.Event()
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGINT, cancel.set)
        try:
            return await make(cancel)
        finally:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signal.SIGINT)

    try:
        return finish(asyncio.run(main()))
    except KeyboardInterrupt:
        err("Cancelled; nothing was written.")
        return ExitCode.CANCELLED


def guard(handler: Handler) -> Handler:
    """``handler`` with every failure turned into one line on stderr and an exit status."""

    def wrapped(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except UsageError as exc:
            err(f"qwen-ls {args.command}: error: {exc}")
            return ExitCode.USAGE
        except KeyboardInterrupt:
            err("Cancelled; nothing was written.")
            return ExitCode.CANCELLED
        except EOFError:
            err("Cancelled (end of input); nothing was written.")
            return ExitCode.CANCELLED
        except OSError as exc:  # a read-only disk, a folder where a file should be: one line
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            err(f"qwen-ls {args.command}: {exc.strerror or exc}{where}")
            return ExitCode.FAILURE
        except Exception as exc:  # noqa: BLE001 - never a traceback on the user's terminal
            err(f"qwen-ls {args.command}: unexpected error ({type(exc).__name__}): {exc}")
            return ExitCode.FAILURE

    return wrapped


def command_group(sub: argparse._SubParsersAction, name: str, help: str) -> Any:
    """A command with subcommands (``auth``, ``model``); alone it prints its help (exit 2)."""
    group = sub.add_parser(name, help=help)
    group.set_defaults(handler=lambda _args: (group.print_help(sys.stderr), ExitCode.USAGE)[1])
    return group.add_subparsers(dest=f"{name}_command", metavar="COMMAND")


def subcommand(
    sub: argparse._SubParsersAction, name: str, handler: Handler, help: str, *,
    formats: bool = False,
) -> argparse.ArgumentParser:
    """A leaf command with ``--workspace DIR`` (and ``--format text|json``), handler guarded."""
    p = sub.add_parser(name, help=help)
    p.add_argument("--workspace", default=os.curdir, metavar="DIR",
                   help="the folder qwen would start in (default: current directory)")
    if formats:
        p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=guard(handler))
    return p
