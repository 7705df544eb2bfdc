"""``qwen-ls model list [--format json]`` and ``qwen-ls model use ID``: the configured models.

Options, masking and exit codes as in :mod:`qwen_ls.cli.auth`.
"""

from __future__ import annotations

import argparse
import json

from qwen_ls.cli.exitcodes import ExitCode
from qwen_ls.cli.interact import auth_env, command_group, err, out, run_flow, subcommand


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


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``qwen-ls model`` and its subcommands."""
    model = command_group(sub, "model", "list or select models")
    subcommand(model, "list", list_, "list configured models", formats=True)
    p = subcommand(model, "use", use, "select a model")
    p.add_argument("id")
    p.add_argument("--protocol", default=None)
    p.add_argument("--base-url", default=None)
