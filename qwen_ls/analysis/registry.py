"""The effective model registry: which provider entries the CLI would register, and where.

Mirrors ``ModelRegistry`` (facts §1.4, §8): each ``modelProviders`` key is resolved to a protocol
(built-in id, or ``providerProtocol`` mapping); entries under unmapped keys, under ``qwen-oauth``
and without an ``id`` are not registered. ``modelProviders`` merges per provider key with REPLACE,
so each provider key comes from exactly one scope file: the highest one that defines it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qwen_ls.settings import known

AUTH_TYPES = frozenset(known.AUTH_TYPES)


@dataclass(frozen=True, slots=True)
class ModelEntry:
    """One registered model."""

    protocol: str
    provider: str
    index: int
    id: str
    entry: Mapping[str, Any]
    scope: str
    path: Path | None

    @property
    def name(self) -> str:
        """Display name (defaults to the id)."""
        name = self.entry.get("name")
        return name if isinstance(name, str) and name else self.id

    @property
    def base_url(self) -> str | None:
        """The entry's own baseUrl, if any."""
        url = self.entry.get("baseUrl")
        return url if isinstance(url, str) else None

    @property
    def env_key(self) -> str | None:
        """The entry's envKey, if any."""
        key = self.entry.get("envKey")
        return key if isinstance(key, str) and key else None

    @property
    def selector_only(self) -> str | None:
        """``image``, ``voice`` or ``realtime`` when the model cannot be the primary model."""
        for flag, label in (
            ("imageOnly", "Image"),
            ("voiceOnly", "Voice"),
            ("realtimeOnly", "Realtime"),
        ):
            if self.entry.get(flag) is True:
                return label
        return None


def provider_protocol(provider: str, effective: Mapping[str, Any]) -> str | None:
    """Resolve a ``modelProviders`` key to its protocol, or ``None`` when the CLI skips it."""
    if provider in AUTH_TYPES:
        return None if provider == "qwen-oauth" else provider
    mapping = effective.get("providerProtocol")
    if isinstance(mapping, Mapping):
        target = mapping.get(provider)
        if isinstance(target, str) and target in AUTH_TYPES and target != "qwen-oauth":
            return target
    return None


def provider_sources(
    items: list[tuple[str, dict, Path | None]],
) -> dict[str, tuple[str, Path | None]]:
    """For each provider key, the scope and file whose array is the effective one."""
    sources: dict[str, tuple[str, Path | None]] = {}
    for scope, value, path in items:
        providers = value.get("modelProviders")
        if isinstance(providers, Mapping):
            for key in providers:
                sources[key] = (scope, path)
    return sources


def build_registry(
    effective: Mapping[str, Any], sources: Mapping[str, tuple[str, Path | None]] | None = None
) -> list[ModelEntry]:
    """List the models the CLI would register from the effective settings, in order."""
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
            if isinstance(entry, Mapping) and isinstance(entry.get("id"), str) and entry["id"]:
                if protocol == "openai" and entry.get("wireApi") == "responses":
                    proto = "openai-responses"
                else:
                    proto = protocol
                out.append(ModelEntry(proto, provider, index, entry["id"], entry, scope, path))
    return out


def protocols_for_auth(auth_type: str) -> tuple[str, ...]:
    """The entry protocols whose models an auth type can use."""
    if auth_type == "openai":
        return ("openai", "openai-responses")
    return (auth_type,)


def selected_auth_type(effective: Mapping[str, Any], environ: Mapping[str, str]) -> str | None:
    """``security.auth.selectedType``, else what the CLI infers from the environment (facts §8)."""
    security = effective.get("security")
    auth = security.get("auth") if isinstance(security, Mapping) else None
    selected = auth.get("selectedType") if isinstance(auth, Mapping) else None
    if isinstance(selected, str) and selected:
        return selected
    return infer_auth_type(environ)


def infer_auth_type(environ: Mapping[str, str]) -> str | None:
    """The auth type the CLI infers from env variables alone, or ``None``."""

    def has(name: str) -> bool:
        return bool(environ.get(name, "").strip())

    if has("QWEN_OAUTH"):
        return "qwen-oauth"
    if (
        has("OPENAI_API_KEY")
        and (has("OPENAI_MODEL") or has("QWEN_MODEL"))
        and has("OPENAI_BASE_URL")
    ):
        return "openai"
    if has("GEMINI_API_KEY") and has("GEMINI_MODEL"):
        return "gemini"
    if (has("GOOGLE_API_KEY") or has("GOOGLE_CLOUD_PROJECT")) and has("GOOGLE_MODEL"):
        return "vertex-ai"
    if has("ANTHROPIC_API_KEY") and has("ANTHROPIC_MODEL") and has("ANTHROPIC_BASE_URL"):
        return "anthropic"
    return None


def find_model(
    registry: list[ModelEntry], model_id: str, auth_type: str | None, base_url: str | None = None
) -> ModelEntry | None:
    """The entry the CLI resolves ``model.name`` to (preferring a matching ``model.baseUrl``)."""
    protocols = protocols_for_auth(auth_type) if auth_type else None
    matches = [
        m for m in registry if m.id == model_id and (protocols is None or m.protocol in protocols)
    ]
    if not matches:
        return None
    if base_url:
        for m in matches:
            if (m.base_url or "") == base_url:
                return m
    return matches[0]
