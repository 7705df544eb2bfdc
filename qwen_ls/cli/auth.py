"""``qwen-ls auth ...``: sign in, show or clear the authentication qwen will use.

Commands::

    qwen-ls auth status [--format json]
    qwen-ls auth qwen-oauth [--base-url URL] [--no-browser]
    qwen-ls auth coding-plan [--region china|intl] [--key KEY] [--base-url URL]
                             [--verify/--no-verify] [--store env-file|settings]
    qwen-ls auth api-key --protocol P --base-url U --model M [--env-key K] [--key K]
                         [--scope workspace|user] [--verify/--no-verify]
    qwen-ls auth sign-out [--yes] [--clear-auth-type|--keep-auth-type] [--dry-run]
    qwen-ls auth sign-in [--method coding-plan|api-key|qwen-oauth]

Every command takes ``--workspace DIR`` (default: the current directory) and honours ``HOME`` and
``QWEN_HOME``; prompts, masking and errors as :mod:`qwen_ls.cli.interact` describes. Exit codes
(:mod:`qwen_ls.cli.exitcodes`): 0 ok, 1 auth failure or not signed in, 2 usage, 130 cancelled.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os

from qwen_ls.cli.exitcodes import ExitCode
from qwen_ls.cli.interact import (
    UsageError,
    ask,
    auth_env,
    command_group,
    err,
    interactive,
    out,
    read_secret,
    run_flow,
    subcommand,
)

INTERVAL_SCALE_ENV = "QWEN_LS_OAUTH_INTERVAL_SCALE"
"""Test knob: multiplies the OAuth poll interval (e.g. 0.001 makes 2 s polls take 2 ms)."""


def status(args: argparse.Namespace) -> int:
    """``qwen-ls auth status``: exit 0 when the configuration is complete, else 1."""
    from qwen_ls.auth.status import auth_status, format_status

    result = auth_status(None, {}, env=auth_env(args))
    out(json.dumps(result, indent=2) if args.format == "json" else format_status(result))
    return ExitCode.OK if result["complete"] else ExitCode.FAILURE


def qwen_oauth(args: argparse.Namespace) -> int:
    """``qwen-ls auth qwen-oauth``: device flow; prints the URL and code, opens a browser."""
    from qwen_ls.auth import oauth

    def on_code(user_code: str, uri: str, complete: str, expires_in: int) -> None:
        out(f"Open {complete or uri} and enter the code {user_code} "
            f"(valid for {max(1, expires_in // 60)} min).")
        if not args.no_browser:
            import webbrowser

            from qwen_ls.auth.common import AuthError, check_browser_uri

            try:  # $BROWSER gets only an https address, the one shown above
                target = check_browser_uri(complete or uri)
            except AuthError as exc:
                err(str(exc))
                return
            with contextlib.suppress(Exception):
                webbrowser.open(target)

    env = auth_env(args)
    options = oauth.PollOptions()
    scale = os.environ.get(INTERVAL_SCALE_ENV)
    if scale:
        try:
            options.interval_scale = max(0.0, float(scale))
        except ValueError:
            raise UsageError(f"{INTERVAL_SCALE_ENV} must be a number") from None
    return run_flow(lambda cancel: oauth.sign_in(env, base_url=args.base_url, on_code=on_code,
                                                 progress=err, cancel=cancel, options=options))


def coding_plan(args: argparse.Namespace) -> int:
    """``qwen-ls auth coding-plan``."""
    from qwen_ls.auth import coding_plan as flow

    region = ask(args.region, "Region (china / intl): ", "--region", ("china", "intl", "global"))
    key = read_secret(args.key, "Coding Plan API key (sk-sp-…): ", "--key", allow_stdin=False)
    env = auth_env(args)
    return run_flow(lambda cancel: flow.sign_in(
        env, region=region, key=key, base_url=args.base_url, verify=args.verify,
        storage=args.store))


def api_key(args: argparse.Namespace) -> int:
    """``qwen-ls auth api-key``."""
    from qwen_ls.auth import api_key as flow

    protocol = ask(args.protocol, "Protocol (openai / anthropic / gemini): ", "--protocol",
                   flow.PROTOCOLS)
    base_url = ask(args.base_url, "Base URL: ", "--base-url")
    model = ask(args.model, "Model id: ", "--model")
    key = read_secret(args.key, "API key: ", "--key", allow_stdin=True)
    env = auth_env(args)
    return run_flow(lambda cancel: flow.sign_in(
        env, protocol=protocol, base_url=base_url, model_id=model, key=key,
        env_key=args.env_key, storage=args.scope, name=args.name, verify=args.verify))


def sign_out(args: argparse.Namespace) -> int:
    """``qwen-ls auth sign-out``: remove what the current sign-in stored (any method).

    Values qwen-ls did not write and clearing ``selectedType`` are asked about on a terminal;
    without one the command refuses unless ``--yes`` (or the auth-type flag) answers them.
    """
    import asyncio

    from qwen_ls.auth import sign_out as flow

    env = auth_env(args)
    remove_hand = True if args.yes else None
    clear = args.auth_type if args.auth_type is not None else (True if args.yes else None)
    if not args.dry_run and not interactive():
        plan = flow.plan_sign_out(env)
        if (remove_hand is None and flow.hand_written_question(plan)) or (
                clear is None and flow.selected_type_question(plan, env.environ)):
            raise UsageError("sign-out has questions to ask and stdin is not a terminal; pass "
                             "--yes (remove every stored key, clear the auth type) or see "
                             "--dry-run first (--keep-auth-type keeps security.auth.selectedType)")

    async def confirm(question: flow.Question) -> bool:
        answer = input(f"{question.message} [y/N] ").strip().lower()
        return answer in ("y", "yes")

    res = asyncio.run(flow.sign_out(env, confirm, remove_hand_written=remove_hand,
                                    clear_selected_type=clear, dry_run=args.dry_run))
    if args.format == "json":
        out(json.dumps(res, indent=2))
    else:
        (out if res["ok"] else err)(res["message"])
        for name in res.get("files", []):
            out(f"  changed {name}")
    return ExitCode.OK if res["ok"] else ExitCode.FAILURE


_SIGN_IN_METHODS: dict[str, argparse.ArgumentParser] = {}
"""``auth sign-in``'s choices, in the order offered: the parser of each method's command."""
_SIGN_IN_LABELS = {
    "coding-plan": "Alibaba Cloud Coding Plan (sk-sp-… key)",
    "api-key": "API key for an OpenAI-, Anthropic- or Gemini-compatible provider",
    "qwen-oauth": "Qwen OAuth (discontinued 2026-04-15, for deployments that still accept it)",
}


def sign_in(args: argparse.Namespace) -> int:
    """``qwen-ls auth sign-in``: pick a method (Coding Plan first), then run its command."""
    method = args.method
    if method is None:
        if not interactive():
            raise UsageError("--method is required when stdin is not a terminal (coding-plan, "
                             "api-key or qwen-oauth)")
        names = list(_SIGN_IN_METHODS)
        for i, name in enumerate(names, 1):
            out(f"  {i}. {_SIGN_IN_LABELS[name]}")
        answer = input(f"Sign in with (1-{len(names)}): ").strip()
        if answer not in [str(i) for i in range(1, len(names) + 1)] + names:
            raise UsageError(f"choose 1-{len(names)}")
        method = answer if answer in names else names[int(answer) - 1]
    chosen = _SIGN_IN_METHODS[method].parse_args(["--workspace", args.workspace])
    chosen.command = args.command
    return int(chosen.handler(chosen))


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``qwen-ls auth`` and its subcommands."""
    auth = command_group(sub, "auth", "sign in, show or clear authentication")

    subcommand(auth, "status", status, "show the active authentication", formats=True)

    p = subcommand(auth, "qwen-oauth", qwen_oauth,
                   "sign in with Qwen OAuth (device flow; discontinued service)")
    p.add_argument("--base-url", default=None, help="OAuth service (default chat.qwen.ai)")
    p.add_argument("--no-browser", action="store_true", help="only print the URL and code")

    p = subcommand(auth, "coding-plan", coding_plan, "set up Alibaba Cloud Coding Plan")
    p.add_argument("--region", choices=("china", "intl", "global"), default=None)
    p.add_argument("--key", default=None, help="the sk-sp-… key ('-' reads it from stdin)")
    p.add_argument("--base-url", default=None, help="override the region's URL")
    p.add_argument("--verify", action=argparse.BooleanOptionalAction, default=True,
                   help="check the key with GET <baseUrl>/models first (default: yes)")
    p.add_argument("--store", choices=("env-file", "settings"), default="env-file",
                   help="where the key goes: ~/.qwen/.env (default) or settings.json env")

    p = subcommand(auth, "api-key", api_key,
                   "set up an OpenAI/Anthropic/Gemini-compatible provider")
    p.add_argument("--protocol", choices=("openai", "anthropic", "gemini"), default=None)
    p.add_argument("--base-url", default=None)
    p.add_argument("--model", default=None, help="model id")
    p.add_argument("--env-key", default=None, help="env var NAME for the key")
    p.add_argument("--key", default=None,
                   help="the key ('-' or no flag with piped stdin reads it from stdin)")
    p.add_argument("--name", default=None, help="display name for the model")
    p.add_argument("--scope", choices=("workspace", "user"), default="user",
                   help="store the key in <workspace>/.qwen/.env or ~/.qwen/.env (default)")
    p.add_argument("--verify", action=argparse.BooleanOptionalAction, default=True,
                   help="test the key and URL with one model-list request first (default: yes)")

    p = subcommand(auth, "sign-out", sign_out,
                   "remove what the current sign-in stored (key or OAuth token)", formats=True)
    p.add_argument("--yes", "-y", action="store_true",
                   help="answer yes: also remove keys qwen-ls did not write, clear the auth type")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--clear-auth-type", dest="auth_type", action="store_const", const=True,
                       default=None, help="also clear security.auth.selectedType")
    group.add_argument("--keep-auth-type", dest="auth_type", action="store_const", const=False,
                       help="keep security.auth.selectedType")
    p.add_argument("--dry-run", action="store_true", help="only show what would be removed")

    p = subcommand(auth, "sign-in", sign_in,
                   "sign in: choose Coding Plan, an API key or Qwen OAuth")
    p.add_argument("--method", choices=tuple(_SIGN_IN_LABELS), default=None)
    for name in _SIGN_IN_LABELS:
        _SIGN_IN_METHODS[name] = auth.choices[name]
