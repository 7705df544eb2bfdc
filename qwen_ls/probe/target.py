"""Which provider entry to test, and the base URL and key the CLI would use for it.

An entry is named by its place in a settings file (``modelProviders.<provider>[i]``, or
``model.name``, which stands for the entry it selects), by a model id, or not at all (the current
model). The key follows the CLI (facts §8): an entry with its own ``envKey`` reads only that
variable (``applyResolvedModelDefaults``); one without reads the protocol's default variable, then
``security.auth.apiKey``. Variables come from every env source in the CLI's order
(:mod:`qwen_ls.settings.env`); whitespace-only values count as absent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from qwen_ls.auth.context import AuthEnv
from qwen_ls.secrets import remember
from qwen_ls.settings import known, presets
from qwen_ls.settings import registry as reg
from qwen_ls.settings.env import brief_list

PROBED_PROTOCOLS = ("openai", "openai-responses", "anthropic", "gemini")
"""Protocols with an API-key model list to ask; vertex-ai uses Google Cloud credentials."""

DEFAULT_PROBE_URLS: Mapping[str, str] = {
    **known.DEFAULT_BASE_URLS,
    "openai-responses": known.DEFAULT_BASE_URLS["openai"],
    "anthropic": "https://api.anthropic.com",
    "gemini": "https://generativelanguage.googleapis.com",
}
"""Where the SDKs send requests when an entry has no ``baseUrl``."""


class TargetError(Exception):
    """The entry cannot be tested; ``failure`` is a ``ProbeResult.failure`` code."""

    def __init__(self, failure: str, message: str) -> None:
        super().__init__(message)
        self.failure = failure


@dataclass(frozen=True, repr=False)
class Target:
    """One provider entry, ready to test. ``key`` is a secret: never shown by ``repr``."""

    protocol: str
    model_id: str | None
    base_url: str
    key: str = field(repr=False)
    env_key: str | None
    key_source: str | None
    scope: str | None = None
    """The scope of the settings file defining the entry (``None`` for a typed-in target)."""
    file: Path | None = None
    json_path: tuple[Any, ...] | None = None

    @property
    def host(self) -> str:
        """The base URL's host name (lower case, ``""`` when there is none)."""
        return (urlsplit(self.base_url).hostname or "").lower()

    def __repr__(self) -> str:
        return f"Target({self.protocol}, {self.model_id!r}, {self.base_url!r})"


def known_hosts() -> frozenset[str]:
    """Hosts of the provider presets and well-known endpoints (safe to send a key to)."""
    urls = [*presets.KNOWN_ENDPOINTS, *DEFAULT_PROBE_URLS.values()]
    urls += [url for preset in presets.PRESETS for url, _ in preset.base_urls]
    return frozenset(h.lower() for h in (urlsplit(u).hostname for u in urls) if h)


def needs_confirmation(target: Target) -> bool:
    """Whether to ask before sending the key: a workspace file pointing at an unknown host.

    A workspace settings file is attacker input (a cloned repository): its ``baseUrl`` could send
    the user's own key, read from ``~/.qwen/.env``, to any host.
    """
    return target.scope == "workspace" and target.host not in known_hosts()


def _blank(value: Any) -> bool:
    return not isinstance(value, str) or not value.strip()


def key_from(protocol: str, env_key: str | None, resolution: Any,
             merged: Mapping[str, Any]) -> tuple[str, str | None, str] | None:
    """``(key, variable name, source label)`` from an ``EnvResolution``; ``None`` when unset.

    An entry's own ``envKey`` is the only variable read for it; without one, the protocol's
    default variable, then ``security.auth.apiKey``.
    """
    name = env_key or known.DEFAULT_ENV_KEYS.get(protocol)
    source = resolution.lookup(name) if name else None
    if source is not None and not _blank(source.value):
        remember(source.value.strip())
        return source.value.strip(), name, source.label
    if not env_key:
        fallback = reg.get_path(merged, "security", "auth", "apiKey")
        if not _blank(fallback):
            remember(fallback.strip())
            return fallback.strip(), None, "security.auth.apiKey (settings)"
    return None


def resolve_key(protocol: str, env_key: str | None, env: AuthEnv,
                merged: Mapping[str, Any]) -> tuple[str, str | None, str]:
    """Return ``(key, variable name, source label)`` as the CLI resolves them.

    Raises
    ------
    TargetError
        ``no-key`` when no source gives a non-blank key (the message names what was searched).
    """
    try:
        resolution = env.env_resolution(merged)
    except Exception as exc:  # a broken .env: say so rather than fail
        raise TargetError("no-key", f"The env sources could not be read ({type(exc).__name__})."
                          ) from None
    found = key_from(protocol, env_key, resolution, merged)
    if found is not None:
        return found
    searched = brief_list(list(resolution.searched)) or "shell environment"
    name = env_key or known.DEFAULT_ENV_KEYS.get(protocol) or "an API key variable"
    hint = ("" if env_key else " (or security.auth.apiKey)")
    raise TargetError("no-key", f"No API key: {name}{hint} is not set in any env source "
                                f"(searched: {searched}). Nothing was sent.")


def base_url_of(protocol: str, config: Mapping[str, Any]) -> str:
    """The URL requests go to: the entry's ``baseUrl``, else where the SDK sends them."""
    base = config.get("baseUrl")
    if isinstance(base, str) and base.strip():
        return base.strip()
    return DEFAULT_PROBE_URLS.get(protocol, "")


def env_key_of(config: Mapping[str, Any]) -> str | None:
    """The entry's own ``envKey`` (``None`` when missing or blank)."""
    value = config.get("envKey")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _target(protocol: str, config: Mapping[str, Any],
            model_id: str | None, env: AuthEnv, merged: Mapping[str, Any], scope: str | None,
            file: Path | None, json_path: tuple[Any, ...] | None) -> Target:
    if protocol not in PROBED_PROTOCOLS:
        raise TargetError("no-entry", f"Test connection does not support the {protocol} "
                          "protocol (it uses Google Cloud credentials, not an API key).")
    key, name, source = resolve_key(protocol, env_key_of(config), env, merged)
    return Target(protocol, model_id, base_url_of(protocol, config), key, name, source, scope,
                  file, json_path)


def _scope_and_value(env: AuthEnv, file: Path) -> tuple[str, Mapping[str, Any]]:
    """The scope and parsed value of ``file`` (its open buffer when there is one).

    A settings file that is none of the scopes here (a nested project's ``.qwen/settings.json``)
    counts as a workspace file: it is repository content all the same.
    """
    wanted = _same_file_key(file)
    for layer in env.layers():
        if _same_file_key(layer.path) == wanted:
            return layer.scope, layer.value if isinstance(layer.value, Mapping) else {}
    from qwen_ls import safeio
    from qwen_ls.jsonc import parse

    text = dict(env.open_texts or {}).get(Path(file))
    if text is None:
        try:
            text = safeio.read_text(file, errors="replace")
        except OSError:
            raise TargetError("no-entry", f"{file} could not be read.") from None
    value = parse(text).value
    return "workspace", value if isinstance(value, Mapping) else {}


def _same_file_key(path: Path | str) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):
        return str(path)


def for_path(env: AuthEnv, file: Path, json_path: Sequence[Any]) -> Target:
    """The entry at ``json_path`` in ``file`` (its open buffer when there is one).

    ``["modelProviders", <provider>, <index>]`` (or a path inside that entry) tests that entry
    as written; ``["model", "name"]`` tests the entry that value selects.
    """
    path = tuple(json_path)
    scope, value = _scope_and_value(env, file)
    merged = env.merged()
    if len(path) >= 3 and path[0] == "modelProviders" and isinstance(path[1], str) \
            and isinstance(path[2], int) and not isinstance(path[2], bool):
        provider, index = path[1], path[2]
        entries = reg.get_path(value, "modelProviders", provider)
        if not isinstance(entries, list) or not 0 <= index < len(entries) \
                or not isinstance(entries[index], Mapping):
            raise TargetError("no-entry", f"There is no entry modelProviders.{provider}[{index}] "
                              f"in {file} any more.")
        config = entries[index]
        base_protocol = reg.provider_protocol(provider, merged)
        protocol = reg.entry_protocol(base_protocol, config) if base_protocol else None
        if protocol is None:
            raise TargetError("no-entry", f"modelProviders.{provider} is not a protocol Qwen "
                              "Code knows (map it with providerProtocol), so it registers no "
                              "model to test.")
        model_id = config.get("id") if isinstance(config.get("id"), str) else None
        return _target(protocol, config, model_id, env, merged, scope, Path(file), path[:3])
    if path[:2] == ("model", "name"):
        name = reg.strip_runtime(reg.get_path(value, "model", "name"))
        if name is None:
            raise TargetError("no-entry", f"model.name is not set in {file}.")
        base = reg.get_path(value, "model", "baseUrl")
        return for_model(env, name, None, base if isinstance(base, str) else None,
                         json_path=("model", "name"), file=Path(file))
    raise TargetError("no-entry", "Test connection works on a modelProviders entry or on "
                      "model.name.")


def for_model(env: AuthEnv, model_id: str | None = None, protocol: str | None = None,
              base_url: str | None = None, *, json_path: tuple[Any, ...] | None = None,
              file: Path | None = None) -> Target:
    """The registered entry with ``model_id`` (default: the current model), as ``/model`` finds it.

    The target keeps the place of that entry (file and path), so that the result can be shown
    on it.
    """
    merged = env.merged()
    layers = env.layers()
    registry = reg.registry_from_layers(merged, layers)
    auth_type, current, current_base = reg.current_selection(merged, env.environ)
    if model_id is None:
        model_id, base_url = current, base_url or current_base
        if model_id is None:
            raise TargetError("no-entry", "No model is selected here (model.name is not set); "
                              "name one: qwen-ls model test ID.")
    wanted = protocol or auth_type
    entry = reg.find_model(registry, model_id, wanted, base_url)
    if entry is None and protocol is None:
        same = {m.protocol for m in registry if m.id == model_id}
        if len(same) == 1:
            entry = reg.find_model(registry, model_id, same.pop(), base_url)
    if entry is None:
        ids = ", ".join(dict.fromkeys(m.id for m in registry)) or "none"
        raise TargetError("no-entry", f"Model '{model_id}' is not configured in modelProviders"
                          f"{f' for {wanted}' if wanted else ''} (configured: {ids}).")
    place = (file, json_path) if json_path is not None else \
        (entry.path, ("modelProviders", entry.provider, entry.index))
    return _target(entry.protocol, entry.entry, entry.id, env, merged, entry.scope,
                   place[0], place[1])


def typed(protocol: str, base_url: str, key: str, model_id: str | None = None) -> Target:
    """A target the user typed in (the API-key sign-in): no file, nothing to confirm."""
    remember(key)
    return Target(protocol, model_id, base_url.strip(), key.strip(), None, None)
