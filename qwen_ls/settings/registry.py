"""The one model registry: which provider entries the CLI registers, and which one it selects.

Everything that talks about models — diagnostics, completion, hover, definition, rename, auth
status, ``qwen-ls doctor``, ``model list/use`` and the editor's picker — reads this module, so
they cannot describe different worlds. It mirrors Qwen Code 0.24.4's ``ModelRegistry`` and
``resolveModelSelectionAuthType`` (``packages/core/src/models/modelRegistry.ts``; facts §1.4, §8):

- a ``modelProviders`` key resolves to a protocol through an explicit ``providerProtocol`` entry
  (which wins even for a built-in id), else the key itself when it is an auth type; unmapped keys
  and ``qwen-oauth`` register nothing;
- an entry's own ``wireApi`` turns an OpenAI-compatible entry into ``openai`` (chat-completions)
  or ``openai-responses``;
- ``modelProviders`` merges per provider key with REPLACE, so each key's array comes from exactly
  one scope file: the highest one that defines it;
- selector-only entries (``imageOnly``, ``voiceOnly``, ``realtimeOnly``) are registered (the CLI
  refuses them as the primary model); the picker hides ``realtimeOnly`` ones and duplicates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qwen_ls.settings import known

AUTH_TYPES = frozenset(known.AUTH_TYPES)
OPENAI_FAMILY = ("openai", "openai-responses")
RUNTIME_PREFIX = "$runtime|"
#: Picker order of the protocol groups (``/model``).
PROTOCOL_ORDER = ("openai", "openai-responses", "anthropic", "gemini", "vertex-ai", "qwen-oauth")


@dataclass(frozen=True, slots=True)
class ModelEntry:
    """One registered model, with the scope file that defines it."""

    protocol: str
    """The entry's effective protocol (after ``providerProtocol`` and ``wireApi``)."""
    provider: str
    """The ``modelProviders`` key it sits under."""
    index: int
    """Its position in that array."""
    id: str
    entry: Mapping[str, Any]
    """The raw entry object."""
    scope: str
    path: Path | None
    """The settings file whose ``modelProviders.<provider>`` array is the effective one."""
    provider_protocol: str = ""
    """The protocol of the provider key, before the entry's own ``wireApi``."""

    @property
    def config(self) -> Mapping[str, Any]:
        """The raw entry (picker and status name it so)."""
        return self.entry

    @property
    def scope_file(self) -> Path | None:
        """The defining settings file."""
        return self.path

    @property
    def name(self) -> str:
        """Display name (defaults to the id)."""
        name = self.entry.get("name")
        return name if isinstance(name, str) and name else self.id

    @property
    def base_url(self) -> str | None:
        """The entry's own ``baseUrl`` (``None`` when it has none or it is empty)."""
        url = self.entry.get("baseUrl")
        return url if isinstance(url, str) and url else None

    @property
    def resolved_base_url(self) -> str:
        """The URL requests go to: its own, else the protocol default ("" = the SDK default)."""
        return self.base_url or known.DEFAULT_BASE_URLS.get(self.protocol, "")

    @property
    def env_key(self) -> str | None:
        """The entry's own ``envKey``, if any."""
        key = self.entry.get("envKey")
        return key if isinstance(key, str) and key else None

    @property
    def effective_env_key(self) -> str | None:
        """The variable the key is read from: ``envKey``, else the protocol default."""
        return self.env_key or known.DEFAULT_ENV_KEYS.get(self.protocol)

    @property
    def selector_only(self) -> str | None:
        """``Image``, ``Voice`` or ``Realtime`` when the model cannot be the primary model."""
        for flag, label in (
            ("imageOnly", "Image"),
            ("voiceOnly", "Voice"),
            ("realtimeOnly", "Realtime"),
        ):
            if self.entry.get(flag) is True:
                return label
        return None


def get_path(mapping: Any, *keys: str) -> Any:
    """``mapping[k1][k2]...``, or ``None`` where a step is missing or not a mapping."""
    for key in keys:
        if not isinstance(mapping, Mapping):
            return None
        mapping = mapping.get(key)
    return mapping


def provider_protocol(provider: str, effective: Mapping[str, Any]) -> str | None:
    """Resolve a ``modelProviders`` key to the protocol it registers under, or ``None``.

    ``None`` when the CLI registers none of its models: unmapped, mapped to a non-protocol, or
    ``qwen-oauth`` (hard-coded models only).
    """
    mapping = effective.get("providerProtocol")
    if isinstance(mapping, Mapping) and provider in mapping:
        target = mapping.get(provider)
    else:
        target = provider
    if isinstance(target, str) and target in AUTH_TYPES and target != "qwen-oauth":
        return target
    return None


def entry_protocol(protocol: str, entry: Mapping[str, Any]) -> str | None:
    """An entry's protocol given its provider's, honouring ``wireApi``; ``None`` if invalid."""
    wire = entry.get("wireApi")
    if wire is None:
        return protocol
    if wire not in ("chat-completions", "responses") or protocol not in OPENAI_FAMILY:
        return None
    return "openai-responses" if wire == "responses" else "openai"


def provider_sources(
    items: Sequence[tuple[str, Mapping[str, Any], Path | None]],
) -> dict[str, tuple[str, Path | None]]:
    """For each provider key, the scope and file whose array is the effective one.

    ``items`` are ``(scope, value, path)``, lowest precedence first.
    """
    sources: dict[str, tuple[str, Path | None]] = {}
    for scope, value, path in items:
        providers = value.get("modelProviders") if isinstance(value, Mapping) else None
        if isinstance(providers, Mapping):
            for key in providers:
                sources[key] = (scope, path)
    return sources


def build_registry(
    effective: Mapping[str, Any], sources: Mapping[str, tuple[str, Path | None]] | None = None
) -> list[ModelEntry]:
    """List the models the CLI registers from the effective settings, in order.

    Entries without a string ``id`` and entries with an invalid ``wireApi`` are left out (the CLI
    refuses to start on them; the analysis reports them).
    """
    providers = effective.get("modelProviders")
    if not isinstance(providers, Mapping):
        return []
    out: list[ModelEntry] = []
    for provider, entries in providers.items():
        protocol = provider_protocol(provider, effective)
        if protocol is None or not isinstance(entries, list):
            continue
        scope, path = (sources or {}).get(provider, ("user", None))
        for index, entry in enumerate(entries):
            if not isinstance(entry, Mapping):
                continue
            ident = entry.get("id")
            proto = entry_protocol(protocol, entry)
            if isinstance(ident, str) and ident and proto is not None:
                out.append(ModelEntry(proto, provider, index, ident, entry, scope, path, protocol))
    return out


def registry_from_layers(effective: Mapping[str, Any], layers: Sequence[Any]) -> list[ModelEntry]:
    """:func:`build_registry` with each provider's scope taken from loaded ``scopes.Layer``s."""
    items = [(layer.scope, layer.value, layer.path) for layer in layers
             if isinstance(layer.value, Mapping)]
    return build_registry(effective, provider_sources(items))


def picker_models(registry: Sequence[ModelEntry]) -> list[ModelEntry]:
    """The models ``/model`` lists.

    ``realtimeOnly`` entries are hidden, duplicate (protocol, id, baseUrl) kept once (the first).
    """
    seen: set[tuple[str, str, str]] = set()
    out: list[ModelEntry] = []
    for model in registry:
        if model.entry.get("realtimeOnly") is True:
            continue
        key = (model.protocol, model.id, model.base_url or "")
        if key in seen:
            continue
        seen.add(key)
        out.append(model)
    return out


def protocols_for_auth(auth_type: str) -> tuple[str, ...]:
    """The entry protocols whose models an auth type can select (openai reaches responses)."""
    if auth_type in OPENAI_FAMILY:
        return OPENAI_FAMILY if auth_type == "openai" else ("openai-responses", "openai")
    return (auth_type,)


def strip_runtime(name: Any) -> str | None:
    """``model.name`` without a ``$runtime|<authType>|`` prefix (``None`` when unset or empty)."""
    if not isinstance(name, str) or not name:
        return None
    if name.startswith(RUNTIME_PREFIX):
        parts = name.split("|", 2)
        return parts[2] if len(parts) == 3 else name
    return name


def infer_auth_type(environ: Mapping[str, str]) -> str | None:
    """The auth type the CLI infers from the environment alone (``getAuthTypeFromEnv``).

    A variable counts when it is set to a non-empty string, as JavaScript truthiness has it
    (``QWEN_OAUTH=" "`` selects Qwen OAuth).
    """

    def has(name: str) -> bool:
        return bool(environ.get(name))

    if has("QWEN_OAUTH"):
        return "qwen-oauth"
    if has("OPENAI_API_KEY") and (has("OPENAI_MODEL") or has("QWEN_MODEL")) \
            and has("OPENAI_BASE_URL"):
        return "openai"
    if has("GEMINI_API_KEY") and has("GEMINI_MODEL"):
        return "gemini"
    if (has("GOOGLE_API_KEY") or has("GOOGLE_CLOUD_PROJECT")) and has("GOOGLE_MODEL"):
        return "vertex-ai"
    if has("ANTHROPIC_API_KEY") and has("ANTHROPIC_MODEL") and has("ANTHROPIC_BASE_URL"):
        return "anthropic"
    return None


def selected_type(effective: Mapping[str, Any]) -> str | None:
    """``security.auth.selectedType`` when set to a non-empty string."""
    selected = get_path(effective, "security", "auth", "selectedType")
    return selected if isinstance(selected, str) and selected else None


def selected_auth_type(effective: Mapping[str, Any], environ: Mapping[str, str]) -> str | None:
    """``security.auth.selectedType``, else what the CLI infers from the environment (facts §8)."""
    return selected_type(effective) or infer_auth_type(environ)


def selection_auth_type(
    registry: Sequence[ModelEntry], auth_type: str | None, model_id: str | None,
    base_url: str | None = None,
) -> str | None:
    """The auth type a model selection really uses (``resolveModelSelectionAuthType``).

    With ``openai`` or ``openai-responses`` selected, a model id that only an entry of the other
    wire defines switches to that wire; an entry whose ``baseUrl`` equals ``base_url`` wins.
    """
    if not model_id or auth_type not in OPENAI_FAMILY:
        return auth_type
    candidates = [
        m for m in registry if m.id == model_id and m.protocol in OPENAI_FAMILY
        and (m.protocol == auth_type or m.entry.get("wireApi") is not None
             or m.provider_protocol == "openai-responses")
    ]

    def preferred(found: list[ModelEntry]) -> ModelEntry | None:
        return next((m for m in found if m.protocol == auth_type), found[0] if found else None)

    exact = None
    if base_url is not None:
        exact = preferred([m for m in candidates if (m.base_url or None) == (base_url or None)])
    chosen = exact or preferred(candidates)
    return chosen.protocol if chosen is not None else auth_type


def find_model(
    registry: Sequence[ModelEntry], model_id: str | None, auth_type: str | None,
    base_url: str | None = None,
) -> ModelEntry | None:
    """The entry the CLI resolves a model selection to (``resolveCliGenerationConfig``).

    The first entry of the selection's effective protocol with that id, preferring one whose
    ``baseUrl`` equals ``base_url`` (the persisted ``model.baseUrl``). With no ``auth_type``,
    any protocol.
    """
    if not model_id:
        return None
    protocol = selection_auth_type(registry, auth_type, model_id, base_url) if auth_type else None
    matches = [m for m in registry if m.id == model_id
               and (protocol is None or m.protocol == protocol)]
    if not matches:
        return None
    if base_url:
        for m in matches:
            if m.base_url == base_url:
                return m
    return matches[0]


def default_model(registry: Sequence[ModelEntry], protocol: str) -> ModelEntry | None:
    """The first registered model of ``protocol`` that can be the primary model.

    ``getDefaultModelForAuthType``: the CLI switches to it when the selection matches none.
    """
    seen: set[tuple[str, str]] = set()
    for m in registry:
        if m.protocol != protocol:
            continue
        key = (m.id, m.base_url or "")
        if key in seen:
            continue
        seen.add(key)
        if m.selector_only is None:
            return m
    return None


def current_selection(
    merged: Mapping[str, Any], environ: Mapping[str, str]
) -> tuple[str | None, str | None, str | None]:
    """``(auth_type, model_id, model_base_url)`` as the CLI reads them at start-up."""
    auth_type = selected_auth_type(merged, environ)
    model_id = strip_runtime(get_path(merged, "model", "name"))
    if model_id is None and auth_type:
        for var in known.MODEL_ENV_VARS.get(auth_type, ()):
            if environ.get(var):
                model_id = environ[var]
                break
    base = get_path(merged, "model", "baseUrl")
    return auth_type, model_id, base if isinstance(base, str) else None
