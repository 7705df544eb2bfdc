"""API-key sign-in for any OpenAI-, Anthropic- or Gemini-compatible provider (facts §5, §8).

Adds or updates one ``modelProviders.<protocol>`` entry (identity: protocol + ``id`` +
``baseUrl``), selects it (``security.auth.selectedType``, ``model.name``, ``model.baseUrl``) in the
scope the CLI would write, and stores the key in a ``.env`` file — the workspace's
``.qwen/.env`` (kept out of git) or ``<QWEN_HOME>/.env`` — never in settings.json. Before
writing anything, the key and URL are checked with the same one request as "Test connection"
(:mod:`qwen_ls.probe`), unless the user skips it (``verify=False``: "Save anyway",
``--no-verify``).
:func:`presets_for_client` gives the editor the preset list (``qwen-ls.apiKeyPresets``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from qwen_ls.auth.common import AuthError, check_url, error_result, nothing_written
from qwen_ls.auth.context import AuthEnv
from qwen_ls.protocol import result
from qwen_ls.secrets import looks_like_secret, mask, remember
from qwen_ls.settings import presets
from qwen_ls.settings.known import DEFAULT_ENV_KEYS
from qwen_ls.store import (
    Change,
    InsertAt,
    StoreError,
    backup,
    ensure_gitignored,
    restore,
    shown,
    write_env_var,
)

PROTOCOLS = ("openai", "anthropic", "gemini")
Storage = Literal["workspace", "user"]
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def presets_for_client() -> list[dict[str, Any]]:
    """Return the provider presets in the ``qwen-ls.apiKeyPresets`` result shape.

    Returns
    -------
    list[dict]
        ``[{id, label, protocol, baseUrls: [{url, label}], envKey, models: [str]}]``.
    """
    return [
        {
            "id": p.id,
            "label": p.label,
            "protocol": p.protocol,
            "baseUrls": [{"url": url, "label": label} for url, label in p.base_urls],
            "envKey": p.env_key,
            "models": list(p.default_models),
        }
        for p in presets.PRESETS
    ]


def default_env_key(protocol: str, base_url: str) -> str:
    """Return the key env var: the preset's for a known base URL, else the protocol default."""
    found = presets.preset_for_base_url(base_url)
    if found is not None and found[0].protocol == protocol:
        return found[0].env_key
    return DEFAULT_ENV_KEYS[protocol]


def build_entry(protocol: str, base_url: str, model_id: str, env_key: str,
                name: str | None) -> dict[str, Any]:
    """Return the ``ModelConfig`` dict to write (a preset's full entry when the URL is known)."""
    found = presets.preset_for_base_url(base_url)
    if found is not None and found[0].protocol == protocol:
        entry = presets.build_models(found[0], base_url, [model_id])[0]
    else:
        entry = {"id": model_id, "name": model_id, "baseUrl": base_url}
    entry["envKey"] = env_key
    if name:
        entry["name"] = name
    return entry


def _find_entry(scope_value: Mapping[str, Any] | None, protocol: str, model_id: str,
                base_url: str) -> tuple[list[Any] | None, int | None]:
    providers = (scope_value or {}).get("modelProviders")
    entries = providers.get(protocol) if isinstance(providers, Mapping) else None
    if not isinstance(entries, list):
        return None, None
    wanted = presets.normalize_url(base_url)
    for index, entry in enumerate(entries):
        if (isinstance(entry, Mapping) and entry.get("id") == model_id
                and presets.normalize_url(str(entry.get("baseUrl") or "")) == wanted):
            return entries, index
    return entries, None


def plan_changes(scope_value: Mapping[str, Any] | None, protocol: str, base_url: str,
                 model_id: str, env_key: str, name: str | None) -> list[Change]:
    """Compute the settings changes that add or update the entry and select it."""
    entries, index = _find_entry(scope_value, protocol, model_id, base_url)
    changes: list[Change] = []
    if index is not None:
        base = ("modelProviders", protocol, index)
        changes.append((base + ("envKey",), env_key))
        if name:
            changes.append((base + ("name",), name))
    else:
        entry = build_entry(protocol, base_url, model_id, env_key, name)
        if entries is None:
            changes.append((("modelProviders", protocol), [entry]))
        else:
            changes.append((("modelProviders", protocol), InsertAt(len(entries), entry)))
    changes.append((("security", "auth", "selectedType"), protocol))
    changes.append((("model", "name"), model_id))
    changes.append((("model", "baseUrl"), base_url))
    return changes


async def sign_in(
    env: AuthEnv,
    *,
    protocol: str,
    base_url: str,
    model_id: str,
    key: str,
    env_key: str | None = None,
    storage: Storage = "user",
    name: str | None = None,
    verify: bool = True,
    timeout: float = 10.0,
) -> dict[str, Any]:
    """Configure an API-key provider model and return a ``SignInResult``.

    Parameters
    ----------
    env
        Workspace, environment and store.
    protocol
        ``openai``, ``anthropic`` or ``gemini``.
    base_url
        The provider's base URL (https; http only for loopback).
    model_id
        Model id sent to the API.
    key
        The API key (never echoed unmasked).
    env_key
        Env var name; default the preset's (known URL) or the protocol's.
    storage
        ``workspace`` → ``<workspace>/.qwen/.env`` (added to ``.gitignore`` in a git repo);
        ``user`` → ``<QWEN_HOME>/.env``.
    name
        Display name for the entry.
    verify
        Test the key and URL first (one model-list request); on failure nothing is written
        and the result carries the ``ProbeResult`` as ``verify``.
    timeout
        Seconds for that request.

    Returns
    -------
    dict
        ``SignInResult``.
    """
    try:
        if protocol not in PROTOCOLS:
            raise AuthError(f"Unknown protocol '{protocol}'. Use one of: {', '.join(PROTOCOLS)}.")
        url = check_url(base_url or "", "The base URL")
        model_id = (model_id or "").strip()
        if not model_id:
            raise AuthError("A model id is required (for example --model gpt-4o).")
        key = (key or "").strip()
        if not key:
            raise AuthError("An API key is required.")
        remember(key)
        env_key = (env_key or default_env_key(protocol, url)).strip()
        if looks_like_secret(env_key) or not _ENV_NAME.match(env_key):
            raise AuthError(
                "The env key must be the NAME of an environment variable (for example "
                "OPENAI_API_KEY), not the key itself."
            )
        found = presets.preset_for_base_url(url)
        if found is not None and found[0].key_prefix and not key.startswith(found[0].key_prefix):
            raise AuthError(f"Invalid API key. {found[0].label} keys start with "
                            f"\"{found[0].key_prefix}\". Please check.")
        if storage not in ("workspace", "user"):
            raise AuthError(f"Unknown key storage '{storage}'. Use 'workspace' or 'user'.")
        if storage == "workspace" and env.workspace is None:
            raise AuthError("There is no workspace folder to store the key in; use the user "
                            "storage (~/.qwen/.env).")
        scope, settings_file = env.persist_path()
        refusal = await env.store.check(settings_file)
        if refusal:
            raise AuthError(refusal)
        changes = plan_changes(env.layer_values().get(scope), protocol, url, model_id, env_key,
                               name)
    except AuthError as exc:
        return error_result(exc)
    checked = await _verify(protocol, url, key, model_id, timeout) if verify else None
    if checked is not None and not checked["ok"]:
        failed = result(False, "error", nothing_written(checked["message"]) +
                        " Fix it and try again, or save without the check (--no-verify).")
        failed["verify"] = checked
        return failed
    env_file = (Path(env.workspace) / ".qwen" / ".env" if storage == "workspace" and env.workspace
                else env.qwen_home / ".env")
    files: list[Path | None] = []
    snapshots = []
    try:
        snapshots.append(backup(env_file, workspace=env.workspace))
        files.append(write_env_var(env_file, env_key, key, workspace=env.workspace))
        if storage == "workspace" and env.workspace is not None:
            snapshots.append(backup(Path(env.workspace) / ".gitignore",
                                      workspace=env.workspace))
            files.append(ensure_gitignored(Path(env.workspace), ".qwen/.env"))
        outcome = await env.store.update(settings_file, changes)
    except (StoreError, ValueError, OSError) as exc:
        message = f"Could not save the API key setup: {exc}"
        if any(files):
            try:  # undo the files already written: no half setup stays behind
                for snap in reversed(snapshots):
                    restore(snap)
                files = []
            except (StoreError, OSError) as undo:
                message += (f" {env_file} was already written and could not be put back "
                            f"({undo}).")
        return result(False, "error", message, files)
    if outcome.changed:
        files.append(settings_file)
    message = (f"Configured {model_id} ({protocol}) at {url}. Key {mask(key)} saved to "
               f"{shown(env_file, files[0] or env_file)} as {env_key}; selected in "
               f"{shown(settings_file, outcome.target or settings_file)}.")
    if checked is not None:
        message += f" {_verified(checked, model_id)}"
    shell = env.environ.get(env_key)
    if shell and shell.strip() and shell.strip() != key:
        message += (f" Warning: {env_key} is also set in your shell environment ({mask(shell)}); "
                    "the shell value takes priority.")
    done = result(True, "signed-in", message, files, model=model_id)
    if checked is not None:
        done["verify"] = checked
    return done


async def _verify(protocol: str, url: str, key: str, model_id: str,
                  timeout: float) -> dict[str, Any]:
    """The ``ProbeResult`` of the key and URL the user typed (no confirmation: they typed it)."""
    from qwen_ls.probe import target
    from qwen_ls.probe.run import public, test_connection

    return public(await test_connection(target.typed(protocol, url, key, model_id),
                                        confirmed=True, timeout=timeout))


def _verified(checked: dict[str, Any], model_id: str) -> str:
    """One sentence on the check, with a warning when the endpoint does not list the model."""
    text = f"Verified: {checked['host']} accepted the key ({checked['latencyMs']} ms)."
    if checked.get("modelListed") is False:
        near = checked.get("closest") or []
        text += (f" Warning: the endpoint does not list '{model_id}' among its "
                 f"{checked.get('modelCount')} models"
                 + (f"; closest: {', '.join(near)}." if near else "."))
    return text
