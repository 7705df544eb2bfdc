"""The server-side auth commands of ``docs/CONTRACTS.md``, as one transport-free dispatcher.

The LSP server registers each id in :data:`qwen_ls.protocol.AUTH_COMMANDS` and forwards the
single argument object to :func:`run_command` together with an
:class:`~qwen_ls.auth.context.AuthEnv` (whose store writes through ``workspace/applyEdit`` for
open documents), a cancellation event tied to the work-done progress token, and callbacks to
show the device code and progress. Bad arguments give an ``error`` ``SignInResult``, never an
exception.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from qwen_ls.auth.context import AuthEnv
from qwen_ls.auth.oauth import OnCode, OnProgress
from qwen_ls.protocol import (
    API_KEY_PRESETS,
    AUTH_STATUS,
    LIST_MODELS,
    SELECT_MODEL,
    SIGN_IN_API_KEY,
    SIGN_IN_CODING_PLAN,
    SIGN_IN_QWEN_OAUTH,
    SIGN_OUT,
    result,
)

if TYPE_CHECKING:
    from qwen_ls.auth.sign_out import Ask


def _bool(arg: Mapping[str, Any], name: str) -> bool | None:
    value = arg.get(name)
    return value if isinstance(value, bool) else None


def _str(arg: Mapping[str, Any], name: str) -> str | None:
    value = arg.get(name)
    return value if isinstance(value, str) and value else None


async def run_command(
    command: str,
    argument: Any,
    env: AuthEnv,
    *,
    cancel: asyncio.Event | None = None,
    progress: OnProgress | None = None,
    on_code: OnCode | None = None,
    ask: Ask | None = None,
) -> Any:
    """Run one auth command and return its result object.

    Parameters
    ----------
    command
        One of :data:`qwen_ls.protocol.AUTH_COMMANDS`.
    argument
        The command's single argument object (``None`` counts as ``{}``).
    env
        Workspace, environment, open buffers and store.
    cancel
        Cancels a running sign-in (nothing is written).
    progress
        Progress messages while waiting.
    on_code
        Receives the Qwen OAuth device code and URLs.
    ask
        Asks the user a yes/no question (sign-out); ``None`` answers "no".

    Returns
    -------
    Any
        ``SignInResult``, ``AuthStatus``, the model list or the preset list, per the contract.
    """
    arg: Mapping[str, Any] = argument if isinstance(argument, Mapping) else {}
    if command == SIGN_IN_QWEN_OAUTH:
        from qwen_ls.auth import oauth

        return await oauth.sign_in(env, base_url=_str(arg, "baseUrl"), on_code=on_code,
                                   progress=progress, cancel=cancel)
    if command == SIGN_IN_CODING_PLAN:
        from qwen_ls.auth import coding_plan

        return await coding_plan.sign_in(
            env, region=_str(arg, "region") or "", key=_str(arg, "key") or "",
            base_url=_str(arg, "baseUrl"), verify=arg.get("verify", True) is not False,
            storage=_str(arg, "storage") or "env-file")  # type: ignore[arg-type]
    if command == SIGN_IN_API_KEY:
        from qwen_ls.auth import api_key

        return await api_key.sign_in(
            env, protocol=_str(arg, "protocol") or "", base_url=_str(arg, "baseUrl") or "",
            model_id=_str(arg, "modelId") or "", key=_str(arg, "key") or "",
            env_key=_str(arg, "envKey"), storage=_str(arg, "storage") or "user",  # type: ignore[arg-type]
            name=_str(arg, "name"), verify=arg.get("verify", True) is not False)
    if command == SIGN_OUT:
        from qwen_ls.auth.sign_out import sign_out

        return await sign_out(env, ask, remove_hand_written=_bool(arg, "confirmed"),
                              clear_selected_type=_bool(arg, "clearSelectedType"),
                              dry_run=_bool(arg, "dryRun") is True)
    if command == AUTH_STATUS:
        from qwen_ls.auth.status import auth_status

        return auth_status(env.workspace, env.environ, env=env)
    if command == LIST_MODELS:
        from qwen_ls.auth.models import list_models

        return list_models(env.workspace, env.environ, env=env)
    if command == SELECT_MODEL:
        from qwen_ls.auth.models import select_model

        model_id = _str(arg, "id")
        if model_id is None:
            return result(False, "error", "selectModel needs an 'id'.")
        return await select_model(env, model_id, _str(arg, "protocol"), arg.get("baseUrl"))
    if command == API_KEY_PRESETS:
        from qwen_ls.auth.api_key import presets_for_client

        return presets_for_client()
    return result(False, "error", f"Unknown command '{command}'.")
