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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qwen_ls.auth.common import result
from qwen_ls.auth.context import AuthEnv
from qwen_ls.settings.known import (
    AUTH_TYPES,
    DEFAULT_BASE_URLS,
    DEFAULT_ENV_KEYS,
    MODEL_ENV_VARS,
    QWEN_OAUTH_MODELS,
)
from qwen_ls.store import StoreError

PROTOCOL_ORDER = ("openai", "openai-responses", "anthropic", "gemini", "vertex-ai", "qwen-oauth")
RUNTIME_PREFIX = "$runtime|"


@dataclass(frozen=True)
class ModelEntry:
    """One model of the registry, with where it is defined."""

    protocol: str
    provider: str
    config: Mapping[str, Any]
    scope: str | None
    scope_file: Path | None

    @property
    def id(self) -> str:
        """The model id."""
        return str(self.config.get("id"))

    @property
    def base_url(self) -> str:
        """The entry's own ``baseUrl`` ("" when it has none)."""
        value = self.config.get("baseUrl")
        return value if isinstance(value, str) else ""

    @property
    def env_key(self) -> str | None:
        """The entry's ``envKey`` or the protocol default."""
        value = self.config.get("envKey")
        if isinstance(value, str) and value.strip():
            return value.strip()
        return DEFAULT_ENV_KEYS.get(self.protocol)


def _get(mapping: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(mapping, Mapping):
            return None
        mapping = mapping.get(key)
    return mapping


def strip_runtime(name: Any) -> str | None:
    """Return ``model.name`` without a ``$runtime|<authType>|`` prefix (``None`` if unset)."""
    if not isinstance(name, str) or not name.strip():
        return None
    if name.startswith(RUNTIME_PREFIX):
        parts = name.split("|", 2)
        return parts[2] if len(parts) == 3 else name
    return name


def registry(merged: Mapping[str, Any], layers: list[Any]) -> list[ModelEntry]:
    """Build the model registry from merged settings.

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
    providers = merged.get("modelProviders")
    mapping = merged.get("providerProtocol")
    mapping = mapping if isinstance(mapping, Mapping) else {}
    out: list[ModelEntry] = []
    seen: set[tuple[str, str, str]] = set()
    if not isinstance(providers, Mapping):
        return out
    for provider, entries in providers.items():
        protocol = provider if provider in AUTH_TYPES else mapping.get(provider)
        if protocol not in AUTH_TYPES or protocol == "qwen-oauth" or not isinstance(entries, list):
            continue
        scope, scope_file = None, None
        for layer in reversed(layers):  # highest precedence defines the list (REPLACE)
            if isinstance(_get(layer.value, "modelProviders", provider), list):
                scope, scope_file = layer.scope, layer.path
                break
        for entry in entries:
            if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str):
                continue
            if entry.get("realtimeOnly") is True:
                continue
            model = ModelEntry(str(protocol), str(provider), entry, scope, scope_file)
            ident = (model.protocol, model.id, model.base_url)
            if ident in seen:
                continue
            seen.add(ident)
            out.append(model)
    return out


def current_selection(merged: Mapping[str, Any],
                      environ: Mapping[str, str]) -> tuple[str | None, str | None, str | None]:
    """Return ``(auth_type, model_id, model_base_url)`` as the CLI resolves them at startup."""
    auth_type = _get(merged, "security", "auth", "selectedType")
    auth_type = auth_type if isinstance(auth_type, str) and auth_type else infer_auth_type(environ)
    model_id = strip_runtime(_get(merged, "model", "name"))
    if model_id is None and auth_type:
        for var in MODEL_ENV_VARS.get(auth_type, ()):
            if environ.get(var):
                model_id = environ[var]
                break
    base = _get(merged, "model", "baseUrl")
    return auth_type, model_id, base if isinstance(base, str) else None


def infer_auth_type(environ: Mapping[str, str]) -> str | None:
    """Infer the auth type from env vars when settings select none (``getAuthTypeFromEnv``)."""
    e = {k: v for k, v in environ.items() if v}
    if "QWEN_OAUTH" in e:
        return "qwen-oauth"
    if "OPENAI_API_KEY" in e and ("OPENAI_MODEL" in e or "QWEN_MODEL" in e) \
            and "OPENAI_BASE_URL" in e:
        return "openai"
    if "GEMINI_API_KEY" in e and "GEMINI_MODEL" in e:
        return "gemini"
    if "GOOGLE_MODEL" in e and ("GOOGLE_API_KEY" in e or "GOOGLE_CLOUD_PROJECT" in e):
        return "vertex-ai"
    if {"ANTHROPIC_API_KEY", "ANTHROPIC_MODEL", "ANTHROPIC_BASE_URL"} <= e.keys():
        return "anthropic"
    return None


def find_entry(models: list[ModelEntry], protocol: str | None, model_id: str | None,
               base_url: str | None) -> ModelEntry | None:
    """Return the entry the CLI uses: id + protocol, preferring ``baseUrl == model.baseUrl``.

    For ``openai``, an id that only exists in ``openai-responses`` is accepted as well.
    """
    if not protocol or not model_id:
        return None
    protocols = [protocol] + (["openai-responses"] if protocol == "openai" else [])
    for proto in protocols:
        matches = [m for m in models if m.protocol == proto and m.id == model_id]
        if not matches:
            continue
        if base_url:
            for m in matches:
                if m.base_url == base_url:
                    return m
        return matches[0]
    return None


def _row(model: ModelEntry, current: bool, resolution: Any) -> dict[str, Any]:
    config = model.config
    env_key = model.env_key
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
        "baseUrl": model.base_url or DEFAULT_BASE_URLS.get(model.protocol, ""),
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
    chosen = find_entry(models, auth_type, model_id, base)
    try:
        resolution = env.env_resolution(merged)
    except Exception:  # advisory: a broken .env must not break the picker
        resolution = None
    groups: dict[str, list[dict[str, Any]]] = {}
    for model in models:
        groups.setdefault(model.protocol, []).append(_row(model, model is chosen, resolution))
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
        current = {"id": chosen.id, "protocol": chosen.protocol, "baseUrl": chosen.base_url}
    elif auth_type and model_id:
        current = {"id": model_id, "protocol": auth_type, "baseUrl": base or ""}
    ordered = sorted(groups, key=lambda p: PROTOCOL_ORDER.index(p) if p in PROTOCOL_ORDER else 99)
    return {"current": current,
            "groups": [{"protocol": p, "models": groups[p]} for p in ordered]}


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
    entry = find_entry(models, wanted, model_id, base_url)
    if entry is None and protocol is None:
        others = [m for m in models if m.id == model_id]
        if len({m.protocol for m in others}) == 1:
            entry = find_entry(models, others[0].protocol, model_id, base_url)
    if entry is None:
        return result(False, "error",
                      unavailable_message(model_id, wanted or "openai", models))
    changes: list[Any] = [(("model", "name"), entry.id), (("model", "baseUrl"), entry.base_url)]
    if entry.protocol != auth_type or _get(merged, "security", "auth", "selectedType") is None:
        changes.append((("security", "auth", "selectedType"), entry.protocol))
    scope, path = env.persist_path()
    try:
        outcome = await env.store.update(path, changes)
    except StoreError as exc:
        return result(False, "error", str(exc))
    name = entry.config.get("name") if isinstance(entry.config.get("name"), str) else entry.id
    return result(True, "selected",
                  f"Selected {name} ({entry.protocol}) in the {scope} settings ({path}).",
                  [path] if outcome.changed else [], model=entry.id)
