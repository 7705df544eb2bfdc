"""The model picker: list configured models grouped by protocol, and select one (facts §7, §8).

:func:`list_models` mirrors ``/model``: models come from the merged ``modelProviders`` (each
provider id resolved to a protocol, directly or through ``providerProtocol``), duplicates of
(protocol, id, baseUrl) keep the first, ``realtimeOnly`` models are hidden, and each row carries
its key status (masked source) and the scope file that defines it. :func:`select_model`
persists ``model.name``, ``model.baseUrl`` (the entry's, or ``""``) and — when the protocol
changes — ``security.auth.selectedType``, in the scope the CLI would write.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qwen_ls.auth.context import AuthEnv
from qwen_ls.protocol import result
from qwen_ls.settings import registry as reg
from qwen_ls.settings.known import QWEN_OAUTH_MODELS
from qwen_ls.settings.registry import PROTOCOL_ORDER, ModelEntry, current_selection, find_model
from qwen_ls.store import StoreError


def registry(merged: Mapping[str, Any], layers: list[Any]) -> list[ModelEntry]:
    """The models ``/model`` lists, from the one registry (:mod:`qwen_ls.settings.registry`).

    Parameters
    ----------
    merged
        Effective settings.
    layers
        Loaded ``scopes.Layer`` objects (to name the scope file defining each provider list).

    Returns
    -------
    list[ModelEntry]
        In provider order, duplicates (protocol, id, baseUrl) and ``realtimeOnly`` removed.
    """
    return reg.picker_models(reg.registry_from_layers(merged, layers))


def _row(model: ModelEntry, current: bool, resolution: Any) -> dict[str, Any]:
    config = model.config
    env_key = model.effective_env_key
    source = resolution.lookup(env_key) if env_key and resolution is not None else None
    has_key = source is not None and bool((source.value or "").strip())
    gen = config.get("generationConfig")
    window = gen.get("contextWindowSize") if isinstance(gen, Mapping) else None
    return {
        "id": model.id,
        "name": config.get("name") if isinstance(config.get("name"), str) else model.id,
        "description": config.get("description") if isinstance(config.get("description"),
                                                               str) else "",
        "protocol": model.protocol,
        "baseUrl": model.resolved_base_url,
        "contextWindow": window if isinstance(window, int) else None,
        "envKey": env_key,
        "keyStatus": "set" if has_key else "missing",
        "keySource": source.label if has_key else None,
        "scope": model.scope,
        "scopeFile": str(model.scope_file) if model.scope_file else None,
        "current": current,
    }


def list_models(workspace: Path | None, environ: Mapping[str, str],
                open_texts: Mapping[Path, str] | None = None, *,
                env: AuthEnv | None = None) -> dict[str, Any]:
    """Return ``{current, groups}`` for ``qwen-ls.listModels`` and ``qwen-ls model list``.

    Parameters
    ----------
    workspace
        Workspace folder.
    environ
        Environment.
    open_texts
        Unsaved buffers by path.
    env
        A ready :class:`AuthEnv` (overrides the three arguments above).

    Returns
    -------
    dict
        ``{current: {id, protocol, baseUrl} | None, groups: [{protocol, models: [ModelRow]}]}``.
    """
    env = env or AuthEnv(workspace, environ, open_texts=open_texts)
    layers = env.layers()
    merged = env.merged()
    models = registry(merged, layers)
    auth_type, model_id, base = current_selection(merged, env.environ)
    chosen = find_model(reg.registry_from_layers(merged, layers), model_id, auth_type, base)
    try:
        resolution = env.env_resolution(merged)
    except Exception:  # advisory: a broken .env must not break the picker
        resolution = None
    groups: dict[str, list[dict[str, Any]]] = {}
    for model in models:
        groups.setdefault(model.protocol, []).append(_row(model, _same(model, chosen), resolution))
    if auth_type == "qwen-oauth":
        for spec in QWEN_OAUTH_MODELS:
            groups.setdefault("qwen-oauth", []).append({
                "id": spec["id"], "name": spec["name"], "description": spec["description"],
                "protocol": "qwen-oauth", "baseUrl": "", "contextWindow": None, "envKey": None,
                "keyStatus": "set" if (env.qwen_home / "oauth_creds.json").exists()
                else "missing",
                "keySource": "oauth_creds.json", "scope": None, "scopeFile": None,
                "current": model_id in (None, spec["id"]),
            })
    current = None
    if chosen is not None:
        current = {"id": chosen.id, "protocol": chosen.protocol, "baseUrl": chosen.base_url or ""}
    elif auth_type and model_id:
        current = {"id": model_id, "protocol": auth_type, "baseUrl": base or ""}
    ordered = sorted(groups, key=lambda p: PROTOCOL_ORDER.index(p) if p in PROTOCOL_ORDER else 99)
    return {"current": current,
            "groups": [{"protocol": p, "models": groups[p]} for p in ordered]}


def _same(model: ModelEntry, chosen: ModelEntry | None) -> bool:
    return chosen is not None and (model.protocol, model.id, model.base_url) == (
        chosen.protocol, chosen.id, chosen.base_url)


def unavailable_message(model_id: str, auth_type: str, models: list[ModelEntry]) -> str:
    """Return the CLI's ``/model <id>`` message for an id not configured for ``auth_type``."""
    ids = list(dict.fromkeys(m.id for m in models if m.protocol == auth_type))
    head = f"Model '{model_id}' is not available for auth type '{auth_type}'."
    if ids:
        return f"{head} Available models for '{auth_type}': {', '.join(ids)}."
    return f"{head} No models are configured for auth type '{auth_type}'."


async def select_model(env: AuthEnv, model_id: str, protocol: str | None = None,
                       base_url: str | None = None) -> dict[str, Any]:
    """Select a configured model and persist it; return a ``SignInResult`` (``selected``).

    Parameters
    ----------
    env
        Workspace, environment and store.
    model_id
        The model id.
    protocol
        Its protocol; default the current auth type (then any protocol with a unique match).
    base_url
        Distinguishes same-id entries.

    Returns
    -------
    dict
        ``SignInResult``; an unknown id gives the CLI's "not available" message.
    """
    merged = env.merged()
    models = registry(merged, env.layers())
    auth_type, _, _ = current_selection(merged, env.environ)
    wanted = protocol or auth_type
    entry = find_model(models, model_id, wanted, base_url)
    if entry is None and protocol is None:
        others = [m for m in models if m.id == model_id]
        if len({m.protocol for m in others}) == 1:
            entry = find_model(models, model_id, others[0].protocol, base_url)
    if entry is None:
        return result(False, "error",
                      unavailable_message(model_id, wanted or "openai", models))
    changes: list[Any] = [(("model", "name"), entry.id),
                          (("model", "baseUrl"), entry.base_url or "")]
    if entry.protocol != auth_type or reg.selected_type(merged) is None:
        changes.append((("security", "auth", "selectedType"), entry.protocol))
    scope, path = env.persist_path()
    try:
        outcome = await env.store.update(path, changes)
    except StoreError as exc:
        return result(False, "error", str(exc))
    name = entry.config.get("name") if isinstance(entry.config.get("name"), str) else entry.id
    key = key_check(env, merged, entry)
    message = f"Selected {name} ({entry.protocol}) in the {scope} settings ({path})."
    if key["warning"]:
        message += " " + key["warning"]
    out = result(True, "selected", message, [path] if outcome.changed else [], model=entry.id)
    return {**out, **key}


def key_check(env: AuthEnv, merged: Mapping[str, Any], entry: ModelEntry) -> dict[str, Any]:
    """Whether the key of ``entry`` reaches the CLI, and how to set it when it does not.

    Returns
    -------
    dict
        ``{keyStatus: "set"|"missing"|None, envKey, setKey: SetKey|None, warning: str|None}``;
        ``SetKey = {method, protocol, baseUrl, modelId, envKey}`` pre-fills the client's
        Coding Plan or API-key flow ("Set the key").
    """
    from qwen_ls.settings import presets
    from qwen_ls.settings.env import brief_list

    env_key = entry.effective_env_key
    none = {"keyStatus": None, "envKey": env_key, "setKey": None, "warning": None}
    if not env_key:
        return none
    try:
        resolution = env.env_resolution(merged)
        source = resolution.lookup(env_key)
        searched = brief_list(list(resolution.searched))
    except Exception:  # advisory: a broken .env must not fail a finished selection
        return none
    if source is not None and (source.value or "").strip():
        return {**none, "keyStatus": "set"}
    protocol = "openai" if entry.protocol == "openai-responses" else entry.protocol
    method = "coding-plan" if env_key == presets.CODING_PLAN_ENV_KEY else "api-key"
    set_key = None
    if method == "coding-plan" or protocol in ("openai", "anthropic", "gemini"):
        set_key = {"method": method, "protocol": protocol, "baseUrl": entry.resolved_base_url,
                   "modelId": entry.id, "envKey": env_key}
    if env.editor:
        how = "Set the key."
    elif method == "coding-plan":
        how = "Set it with `qwen-ls auth coding-plan`."
    elif set_key is not None:
        how = (f"Set it with `qwen-ls auth api-key --protocol {protocol} --base-url "
               f"{entry.resolved_base_url} --model {entry.id} --env-key {env_key}`.")
    else:
        how = f"Export {env_key} or add it to ~/.qwen/.env."
    warning = (f"Its key {env_key} is not set (searched: {searched}); qwen will not start with "
               f"this model. {how}")
    return {"keyStatus": "missing", "envKey": env_key, "setKey": set_key, "warning": warning}
