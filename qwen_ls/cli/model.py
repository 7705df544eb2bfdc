"""``qwen-ls model list [--format json]``, ``qwen-ls model use ID`` and ``qwen-ls model test [ID]``.

``model test`` sends the one "Test connection" request (:mod:`qwen_ls.probe`) and exits 0 when
the endpoint accepts the key, 1 otherwise.

Options, masking and exit codes as in :mod:`qwen_ls.cli.auth`.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from qwen_ls.cli.exitcodes import ExitCode
from qwen_ls.cli.interact import (
    UsageError,
    ask,
    auth_env,
    command_group,
    err,
    out,
    run_flow,
    subcommand,
)


def list_(args: argparse.Namespace) -> int:
    """``qwen-ls model list``."""
    from qwen_ls.auth.models import list_models

    data = list_models(None, {}, env=auth_env(args))
    if args.format == "json":
        out(json.dumps(data, indent=2))
        return ExitCode.OK
    if not data["groups"]:
        out("No models are configured (modelProviders is empty). Run `qwen-ls auth "
            "coding-plan` or `qwen-ls auth api-key`.")
        return ExitCode.OK
    for group in data["groups"]:
        out(f"{group['protocol']}:")
        for row in group["models"]:
            mark = "*" if row["current"] else " "
            key = f"{row['envKey']} {row['keyStatus']}" if row["envKey"] else row["keyStatus"]
            out(f" {mark} {row['id']:<28} {row['baseUrl'] or '-':<48} [{key}]")
    return ExitCode.OK


def use(args: argparse.Namespace) -> int:
    """``qwen-ls model use ID``."""
    from qwen_ls.auth.models import select_model

    env = auth_env(args)
    warnings: list[str] = []

    async def flow(cancel: object) -> dict:
        res = await select_model(env, args.id, args.protocol, args.base_url)
        if res.get("warning"):  # the selection is made; the missing key goes to stderr
            warnings.append(res["warning"])
            res = {**res, "message": res["message"].replace(" " + res["warning"], "")}
        return res

    code = run_flow(flow)
    for warning in warnings:
        err(f"Warning: {warning}")
    return code


def test(args: argparse.Namespace) -> int:
    """``qwen-ls model test [ID]``: one request to the model's endpoint; exit 0 ok, 1 failed."""
    import asyncio

    from qwen_ls.probe import service
    from qwen_ls.probe.explain import key_phrase

    async def confirm(tgt: Any) -> bool:
        if args.yes:
            return True
        question = (f"This entry comes from the workspace settings. Send {key_phrase(tgt)} to "
                    f"{tgt.host}, which is not a known provider")
        try:
            return ask(None, question + "? [y/N] ", "--yes").lower() in ("y", "yes")
        except UsageError:
            err(question + "? Not sent: pass --yes to confirm.")
            return False

    env = auth_env(args)
    timeout = max(1.0, min(float(args.timeout), 60.0))
    result = asyncio.run(service.check(env, model_id=args.id, protocol=args.protocol,
                                       base_url=args.base_url, confirm=confirm, timeout=timeout))
    if args.format == "json":
        out(json.dumps(result, indent=2))
    elif result["ok"]:
        out(result["message"])
    else:
        err(result["message"])
    return ExitCode.OK if result["ok"] else ExitCode.FAILURE


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``qwen-ls model`` and its subcommands."""
    model = command_group(sub, "model", "list, select or test models")
    subcommand(model, "list", list_, "list configured models", formats=True)
    p = subcommand(model, "use", use, "select a model")
    p.add_argument("id")
    p.add_argument("--protocol", default=None)
    p.add_argument("--base-url", default=None)
    p = subcommand(model, "test", test, "test a model's endpoint and key with one cheap request",
                   formats=True)
    p.add_argument("id", nargs="?", default=None, help="model id (default: the current model)")
    p.add_argument("--protocol", default=None)
    p.add_argument("--base-url", default=None)
    p.add_argument("--yes", action="store_true",
                   help="send the key to a host a workspace file names without asking")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds (default 10)")
