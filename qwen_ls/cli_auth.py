"""The ``qwen-ls auth ...`` and ``qwen-ls model ...`` subcommands (argparse wiring).

``qwen_ls.cli`` calls :func:`register` with its subparsers. Commands::

    qwen-ls auth status [--format json]
    qwen-ls auth qwen-oauth [--base-url URL] [--no-browser]
    qwen-ls auth coding-plan [--region china|intl] [--key KEY] [--base-url URL]
                             [--verify/--no-verify] [--store env-file|settings]
    qwen-ls auth api-key --protocol P --base-url U --model M [--env-key K] [--key K]
                         [--scope workspace|user]
    qwen-ls auth sign-out
    qwen-ls model list [--format json]
    qwen-ls model use ID [--protocol P] [--base-url U]

Every command takes ``--workspace DIR`` (default: the current directory) and honours ``HOME`` and
``QWEN_HOME``. Prompts (a hidden one for keys) only appear when stdin is a terminal; otherwise
the flags are required (``--key -`` reads the key from stdin). Exit codes: 0 ok, 1 auth failure
or not signed in, 2 usage, 130 cancelled.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import os
import signal
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from qwen_ls.secrets import redact

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130
INTERVAL_SCALE_ENV = "QWEN_LS_OAUTH_INTERVAL_SCALE"
"""Test knob: multiplies the OAuth poll interval (e.g. 0.001 makes 2 s polls take 2 ms)."""


class UsageError(Exception):
    """A missing or invalid argument; exit code 2."""


# ---- output --------------------------------------------------------------------------------------

def _out(text: str) -> None:
    sys.stdout.write(redact(text) + "\n")
    sys.stdout.flush()


def _err(text: str) -> None:
    sys.stderr.write(redact(text) + "\n")
    sys.stderr.flush()


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _read_secret(flag_value: str | None, prompt: str, flag: str, allow_stdin: bool) -> str:
    if flag_value == "-" or (flag_value is None and allow_stdin and not _interactive()):
        value = sys.stdin.readline().strip()
        if not value:
            raise UsageError(f"no key on stdin; pass {flag} KEY or pipe the key in")
        return value
    if flag_value:
        return flag_value
    if not _interactive():
        raise UsageError(f"{flag} is required when stdin is not a terminal (or use {flag} -)")
    value = getpass.getpass(prompt).strip()
    if not value:
        raise UsageError("no key entered")
    return value


def _ask(flag_value: str | None, prompt: str, flag: str, choices: tuple[str, ...] = ()) -> str:
    if flag_value:
        return flag_value
    if not _interactive():
        raise UsageError(f"{flag} is required when stdin is not a terminal")
    value = input(prompt).strip()
    if choices and value not in choices:
        raise UsageError(f"{flag} must be one of: {', '.join(choices)}")
    return value


def _env(args: argparse.Namespace) -> Any:
    from qwen_ls.auth.context import AuthEnv

    return AuthEnv(Path(args.workspace).resolve(), dict(os.environ))


def _finish(res: dict[str, Any]) -> int:
    if res["ok"]:
        _out(res["message"])
    else:
        _err(res["message"])
    for name in res.get("files", []):
        _out(f"  wrote {name}" if res["status"] != "signed-out" else f"  removed {name}")
    if res["ok"]:
        return EXIT_OK
    return EXIT_CANCELLED if res["status"] == "cancelled" else EXIT_FAIL


def _run(make: Callable[[asyncio.Event], Coroutine[Any, Any, dict[str, Any]]]) -> int:
    """Run a flow; Ctrl-C sets its cancel event (the flow stops and writes nothing)."""

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
        return _finish(asyncio.run(main()))
    except KeyboardInterrupt:
        _err("Cancelled; nothing was written.")
        return EXIT_CANCELLED


def _guard(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except UsageError as exc:
            _err(f"qwen-ls {args.command}: error: {exc}")
            return EXIT_USAGE
        except KeyboardInterrupt:
            _err("Cancelled; nothing was written.")
            return EXIT_CANCELLED
        except EOFError:
            _err("Cancelled (end of input); nothing was written.")
            return EXIT_CANCELLED
        except OSError as exc:  # a read-only disk, a folder where a file should be: one line
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            _err(f"qwen-ls {args.command}: {exc.strerror or exc}{where}")
            return EXIT_FAIL
        except Exception as exc:  # noqa: BLE001 - never a traceback on the user's terminal
            _err(f"qwen-ls {args.command}: unexpected error ({type(exc).__name__}): {exc}")
            return EXIT_FAIL

    return wrapped


# ---- handlers ------------------------------------------------------------------------------------

def cmd_status(args: argparse.Namespace) -> int:
    """``qwen-ls auth status``: exit 0 when the configuration is complete, else 1."""
    from qwen_ls.auth.status import auth_status, format_status

    status = auth_status(None, {}, env=_env(args))
    _out(json.dumps(status, indent=2) if args.format == "json" else format_status(status))
    return EXIT_OK if status["complete"] else EXIT_FAIL


def cmd_qwen_oauth(args: argparse.Namespace) -> int:
    """``qwen-ls auth qwen-oauth``: device flow; prints the URL and code, opens a browser."""
    from qwen_ls.auth import oauth

    def on_code(user_code: str, uri: str, complete: str, expires_in: int) -> None:
        _out(f"Open {complete or uri} and enter the code {user_code} "
             f"(valid for {max(1, expires_in // 60)} min).")
        if not args.no_browser:
            import webbrowser

            from qwen_ls.auth.common import AuthError, check_browser_uri

            try:  # $BROWSER gets only an https address, the one shown above
                target = check_browser_uri(complete or uri)
            except AuthError as exc:
                _err(str(exc))
                return
            with contextlib.suppress(Exception):
                webbrowser.open(target)

    env = _env(args)
    options = oauth.PollOptions()
    scale = os.environ.get(INTERVAL_SCALE_ENV)
    if scale:
        try:
            options.interval_scale = max(0.0, float(scale))
        except ValueError:
            raise UsageError(f"{INTERVAL_SCALE_ENV} must be a number") from None
    return _run(lambda cancel: oauth.sign_in(env, base_url=args.base_url, on_code=on_code,
                                             progress=_err, cancel=cancel, options=options))


def cmd_coding_plan(args: argparse.Namespace) -> int:
    """``qwen-ls auth coding-plan``."""
    from qwen_ls.auth import coding_plan

    region = _ask(args.region, "Region (china / intl): ", "--region", ("china", "intl", "global"))
    key = _read_secret(args.key, "Coding Plan API key (sk-sp-…): ", "--key", allow_stdin=False)
    env = _env(args)
    return _run(lambda cancel: coding_plan.sign_in(
        env, region=region, key=key, base_url=args.base_url, verify=args.verify,
        storage=args.store))


def cmd_api_key(args: argparse.Namespace) -> int:
    """``qwen-ls auth api-key``."""
    from qwen_ls.auth import api_key

    protocol = _ask(args.protocol, "Protocol (openai / anthropic / gemini): ", "--protocol",
                    api_key.PROTOCOLS)
    base_url = _ask(args.base_url, "Base URL: ", "--base-url")
    model = _ask(args.model, "Model id: ", "--model")
    key = _read_secret(args.key, "API key: ", "--key", allow_stdin=True)
    env = _env(args)
    return _run(lambda cancel: api_key.sign_in(
        env, protocol=protocol, base_url=base_url, model_id=model, key=key,
        env_key=args.env_key, storage=args.scope, name=args.name))


def cmd_sign_out(args: argparse.Namespace) -> int:
    """``qwen-ls auth sign-out``: remove the Qwen OAuth credentials."""
    from qwen_ls.auth import oauth

    return _finish(oauth.sign_out(_env(args)))


def cmd_model_list(args: argparse.Namespace) -> int:
    """``qwen-ls model list``."""
    from qwen_ls.auth.models import list_models

    data = list_models(None, {}, env=_env(args))
    if args.format == "json":
        _out(json.dumps(data, indent=2))
        return EXIT_OK
    if not data["groups"]:
        _out("No models are configured (modelProviders is empty). Run `qwen-ls auth "
             "coding-plan` or `qwen-ls auth api-key`.")
        return EXIT_OK
    for group in data["groups"]:
        _out(f"{group['protocol']}:")
        for row in group["models"]:
            mark = "*" if row["current"] else " "
            key = f"{row['envKey']} {row['keyStatus']}" if row["envKey"] else row["keyStatus"]
            _out(f" {mark} {row['id']:<28} {row['baseUrl'] or '-':<48} [{key}]")
    return EXIT_OK


def cmd_model_use(args: argparse.Namespace) -> int:
    """``qwen-ls model use ID``."""
    from qwen_ls.auth.models import select_model

    env = _env(args)
    return _run(lambda cancel: select_model(env, args.id, args.protocol, args.base_url))


# ---- wiring --------------------------------------------------------------------------------------

def register(subparsers: Any) -> None:
    """Add the ``auth`` and ``model`` subcommands to ``qwen-ls``'s subparsers.

    Parameters
    ----------
    subparsers
        The object returned by ``ArgumentParser.add_subparsers``; each leaf command sets
        ``handler`` (called with the parsed namespace, returns the exit code).
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", default=os.curdir, metavar="DIR",
                        help="the folder qwen would start in (default: current directory)")

    auth = subparsers.add_parser("auth", help="sign in, show or clear authentication")
    auth_sub = auth.add_subparsers(dest="auth_command", metavar="COMMAND")
    auth.set_defaults(handler=lambda a: (auth.print_help(sys.stderr), EXIT_USAGE)[1])

    p = auth_sub.add_parser("status", parents=[common], help="show the active authentication")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=_guard(cmd_status))

    p = auth_sub.add_parser("qwen-oauth", parents=[common],
                            help="sign in with Qwen OAuth (device flow; discontinued service)")
    p.add_argument("--base-url", default=None, help="OAuth service (default chat.qwen.ai)")
    p.add_argument("--no-browser", action="store_true", help="only print the URL and code")
    p.set_defaults(handler=_guard(cmd_qwen_oauth))

    p = auth_sub.add_parser("coding-plan", parents=[common],
                            help="set up Alibaba Cloud Coding Plan")
    p.add_argument("--region", choices=("china", "intl", "global"), default=None)
    p.add_argument("--key", default=None, help="the sk-sp-… key ('-' reads it from stdin)")
    p.add_argument("--base-url", default=None, help="override the region's URL")
    p.add_argument("--verify", action=argparse.BooleanOptionalAction, default=True,
                   help="check the key with GET <baseUrl>/models first (default: yes)")
    p.add_argument("--store", choices=("env-file", "settings"), default="env-file",
                   help="where the key goes: ~/.qwen/.env (default) or settings.json env")
    p.set_defaults(handler=_guard(cmd_coding_plan))

    p = auth_sub.add_parser("api-key", parents=[common],
                            help="set up an OpenAI/Anthropic/Gemini-compatible provider")
    p.add_argument("--protocol", choices=("openai", "anthropic", "gemini"), default=None)
    p.add_argument("--base-url", default=None)
    p.add_argument("--model", default=None, help="model id")
    p.add_argument("--env-key", default=None, help="env var NAME for the key")
    p.add_argument("--key", default=None,
                   help="the key ('-' or no flag with piped stdin reads it from stdin)")
    p.add_argument("--name", default=None, help="display name for the model")
    p.add_argument("--scope", choices=("workspace", "user"), default="user",
                   help="store the key in <workspace>/.qwen/.env or ~/.qwen/.env (default)")
    p.set_defaults(handler=_guard(cmd_api_key))

    p = auth_sub.add_parser("sign-out", parents=[common], help="remove Qwen OAuth credentials")
    p.set_defaults(handler=_guard(cmd_sign_out))

    model = subparsers.add_parser("model", help="list or select models")
    model_sub = model.add_subparsers(dest="model_command", metavar="COMMAND")
    model.set_defaults(handler=lambda a: (model.print_help(sys.stderr), EXIT_USAGE)[1])

    p = model_sub.add_parser("list", parents=[common], help="list configured models")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=_guard(cmd_model_list))

    p = model_sub.add_parser("use", parents=[common], help="select a model")
    p.add_argument("id")
    p.add_argument("--protocol", default=None)
    p.add_argument("--base-url", default=None)
    p.set_defaults(handler=_guard(cmd_model_use))
