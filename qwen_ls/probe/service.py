"""One "Test connection" from start to end, shared by the server command and the CLI.

Find the entry, ask before sending a key where a workspace file says (through the caller's
``confirm``: a ``window/showMessageRequest`` or a terminal prompt), send the one request, keep
the listed ids for completion, and return the public ``ProbeResult``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from qwen_ls.auth.context import AuthEnv
from qwen_ls.probe import cache, target
from qwen_ls.probe.run import DEFAULT_TIMEOUT_S, public, target_error, test_connection

Confirm = Callable[[target.Target], Awaitable[bool]]


def find_target(env: AuthEnv, *, file: Path | None = None, path: Sequence[Any] | None = None,
                model_id: str | None = None, protocol: str | None = None,
                base_url: str | None = None) -> target.Target:
    """The entry the arguments name (see the ``qwen-ls.testConnection`` argument forms).

    Raises
    ------
    TargetError
        No such entry, an unsupported protocol, or no key.
    """
    if file is not None and path:
        return target.for_path(env, file, path)
    return target.for_model(env, model_id, protocol, base_url)


async def check(env: AuthEnv, *, file: Path | None = None, path: Sequence[Any] | None = None,
                model_id: str | None = None, protocol: str | None = None,
                base_url: str | None = None, confirmed: bool = False,
                confirm: Confirm | None = None,
                timeout: float = DEFAULT_TIMEOUT_S) -> dict[str, Any]:
    """Test the entry the arguments name and return the public ``ProbeResult``.

    Parameters
    ----------
    env
        Workspace, environment and open buffers.
    file, path
        An entry by its place (``["modelProviders", p, i]`` or ``["model", "name"]``).
    model_id, protocol, base_url
        An entry by model id (default: the current model).
    confirmed
        The user already agreed to send the key to the entry's host.
    confirm
        Asked when a workspace entry names an unknown host and ``confirmed`` is false; without
        it (or when it answers ``False``) nothing is sent.
    timeout
        Seconds for the request.
    """
    try:
        tgt = find_target(env, file=file, path=path, model_id=model_id, protocol=protocol,
                          base_url=base_url)
    except target.TargetError as exc:
        result = target_error(exc)
        if file is not None:
            result.update(file=str(file), path=list(path) if path else None)
        return result
    if not confirmed and target.needs_confirmation(tgt) and confirm is not None:
        confirmed = await confirm(tgt)
    result = await test_connection(tgt, confirmed=confirmed, timeout=timeout)
    if result["ok"] and result.get("ids") is not None:
        cache.remember_ids(env.environ, tgt.protocol, tgt.base_url, tgt.key, result["ids"])
    return public(result)
