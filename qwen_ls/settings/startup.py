"""What ``qwen`` will do when started here: the start-up resolution behind ``qwen-ls doctor``.

Follows Qwen Code 0.24.4's start-up for ``qwen -p`` step by step (facts §1.1, §2, §3, §8), the
same steps the oracle (``tests/oracle/harness.mjs``) runs inside the real CLI:

1. ``loadSettings``: read every scope file (comments and BOM stripped, strict JSON); a broken
   user or system file is fatal, a broken workspace file is reset to ``{}``; files without
   ``$version: 4`` are migrated and rewritten; ``$VAR`` references are expanded from the shell and
   the home ``.env`` files; ``.env`` files and ``settings.env`` fill the environment.
2. ``validateModelProvidersConfig``: a bad ``wireApi`` is fatal.
3. ``resolveCliGenerationConfig``: auth type (``selectedType``, else inferred from env), model id
   (``model.name``, else the protocol's model variable, else the default), the provider entry,
   then key and base URL by layer; an auth type that is not one crashes the CLI.
4. ``validateNonInteractiveAuth`` and ``refreshAuth``: no auth type, ``enforcedType`` mismatch,
   ``validateAuthMethod``'s key checks, the fallback to the first configured model when the
   selection matches none, and the final credential check.

The differential suite (``tests/oracle``) holds this module to the CLI's answer field by field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qwen_ls import jsonc
from qwen_ls.settings import known, scopes
from qwen_ls.settings import registry as reg
from qwen_ls.settings.env import EnvResolution, read_env_file, resolve_env

#: The env vars each auth type reads its key, base URL and model from (``resolveModelConfig``).
AUTH_ENV = {
    auth: {
        "apiKey": tuple(v for v in (known.DEFAULT_ENV_KEYS.get(auth),) if v),
        "baseUrl": tuple(v for v in (known.BASE_URL_ENV_VARS.get(auth),) if v),
        "model": known.MODEL_ENV_VARS[auth],
    }
    for auth in known.AUTH_TYPES
}
_ENV_REF = re.compile(r"\$(?:(\w+)|\{([^}]+)\})")


@dataclass
class KeySource:
    """Where the API key that would be sent comes from (never the key itself)."""

    kind: str
    """``shell``, ``dotenv``, ``settings.env`` or ``settings`` (``security.auth.apiKey``)."""
    name: str | None = None
    """The variable name (``None`` for ``security.auth.apiKey``)."""
    file: Path | None = None
    """The ``.env`` or settings file that defines it."""


@dataclass
class Startup:
    """The resolution: what ``qwen -p`` would do, and why not when it would not start."""

    load_error: str | None = None
    """A fatal settings error (``loadSettings`` throws)."""
    fatal: str | None = None
    """A fatal configuration error after loading (bad ``wireApi``, crash on a bad auth type)."""
    auth_type: str | None = None
    model: str | None = None
    base_url: str | None = None
    key_var: str | None = None
    """The variable the key is read from."""
    key_source: KeySource | None = None
    key_value: str | None = field(default=None, repr=False)
    """The key (internal; callers mask it)."""
    start_error: str | None = None
    """Why ``qwen -p`` stops before the first request."""
    rewrites: list[Path] = field(default_factory=list)
    """Files the CLI rewrites on start (migration, ``$version``, a reset workspace file)."""
    reset: list[Path] = field(default_factory=list)
    """Workspace files the CLI resets to ``{}`` (invalid JSON)."""

    @property
    def starts(self) -> bool:
        """True when ``qwen -p`` would start and send requests."""
        return not (self.load_error or self.fatal or self.start_error)


def _has(value: Any) -> bool:
    """JavaScript truthiness of an env value."""
    return isinstance(value, str) and value != ""


def _present(value: Any) -> bool:
    """``isValuePresent``: set, and not only whitespace."""
    return value is not None and not (isinstance(value, str) and value.strip() == "")


def needs_rewrite(value: Mapping[str, Any]) -> bool:
    """Whether the CLI migrates or normalises this file on load (and so rewrites it)."""
    version = value.get("$version")
    if isinstance(version, bool) or not isinstance(version, int | float):
        return True
    return version != known.SETTINGS_VERSION


def migrate_v1(value: dict[str, Any]) -> dict[str, Any]:
    """The V1→V2 migration of the keys that matter for start-up, for a file below ``$version`` 2.

    Flat legacy keys with a primitive or array value move to their nested path
    (``selectedAuthType`` → ``security.auth.selectedType``, ``model`` → ``model.name``, ...).
    """
    version = value.get("$version")
    if isinstance(version, int | float) and not isinstance(version, bool) and version >= 2:
        return value
    legacy = [k for k in value if k in known.LEGACY_V1_KEYS and not isinstance(value[k], dict)]
    if not legacy:
        return value
    out: dict[str, Any] = {k: v for k, v in value.items() if k not in legacy}
    for key in legacy:
        parts = known.LEGACY_V1_KEYS[key].split(".")
        target = out
        for part in parts[:-1]:
            nxt = target.get(part)
            if not isinstance(nxt, dict):
                nxt = target[part] = {}
            target = nxt
        target.setdefault(parts[-1], value[key])  # a nested value already there wins
    return out


def _home_env_values(environ: Mapping[str, str]) -> dict[str, str]:
    """Keys of ``<QWEN_HOME>/.env`` and, without ``QWEN_HOME``, ``~/.env``.

    ``getHomeEnvFallbackVars``: what ``$VAR`` references in settings values may expand to.
    """
    out: dict[str, str] = {}
    candidates = [scopes.qwen_home(environ) / ".env"]
    home = scopes.home_dir(environ)
    if not environ.get("QWEN_HOME") and home is not None:
        candidates.append(home / ".env")
    for path in candidates:
        values, _ = read_env_file(path)
        for name, (val, _line) in (values or {}).items():
            out.setdefault(name, val)
    return out


def expand_env_refs(value: Any, lookup: Mapping[str, str]) -> Any:
    """``resolveEnvVarsInObject``: expand ``$NAME``/``${NAME}`` in every string value."""
    if isinstance(value, str):
        def sub(match: re.Match[str]) -> str:
            name = match.group(1) or match.group(2)
            if name in known.NEVER_EXPANDED_ENV_KEYS or name not in lookup:
                return match.group(0)
            return lookup[name]
        return _ENV_REF.sub(sub, value) if "$" in value else value
    if isinstance(value, dict):
        return {k: expand_env_refs(v, lookup) for k, v in value.items()}
    if isinstance(value, list):
        return [expand_env_refs(v, lookup) for v in value]
    return value


def _load(read: Sequence[scopes.Layer], out: Startup) -> list[scopes.Layer]:
    """Take the scope files as ``loadSettings`` does; fill load errors and rewrites."""
    errors: list[str] = []
    layers: list[scopes.Layer] = []
    for layer in read:
        if layer.problem is not None:  # a FIFO, a device, above the size limit: not read
            errors.append(f"Error in {layer.path}: {layer.problem}")
            continue
        doc = jsonc.parse(layer.text)
        if not doc.cli_readable:
            if layer.scope == "workspace":
                out.reset.append(layer.path)
                out.rewrites.append(layer.path)
                layers.append(scopes.Layer(layer.scope, layer.path, "{}", {}))
                continue
            errors.append(f"Error in {layer.path}: the file is not valid JSON")
            continue
        if not isinstance(doc.value, dict):
            errors.append(f"Error in {layer.path}: Settings file is not a valid JSON object.")
            continue
        value = scopes.bound_depth(doc.value)  # the expansion and the merge recurse
        if needs_rewrite(value):
            out.rewrites.append(layer.path)
            value = migrate_v1(value)
        layers.append(scopes.Layer(layer.scope, layer.path, layer.text, value))
    if errors:
        out.load_error = "\n".join(errors) + "\nPlease fix the configuration file(s) and try again."
    return layers


def _env_value(res: EnvResolution, name: str | None) -> str | None:
    if not name:
        return None
    value = res.value(name)
    return value if isinstance(value, str) else None


def _key_source(res: EnvResolution, name: str) -> KeySource:
    source = res.lookup(name)
    if source is None or source.kind == "shell":
        return KeySource("shell", name)
    if source.kind == "settings-env":
        return KeySource("settings.env", name, source.path)
    return KeySource("dotenv", name, source.path)


def resolve_startup(
    workspace: Path | None,
    environ: Mapping[str, str],
    open_texts: Mapping[Path, str] | None = None,
    *,
    trusted: bool = True,
    layers: Sequence[scopes.Layer] | None = None,
) -> Startup:
    """Resolve what ``qwen -p`` would do when started in ``workspace`` with ``environ``.

    Parameters
    ----------
    workspace
        The folder ``qwen`` is started in (``None``: the home folder).
    environ
        The shell environment it inherits (``HOME``, ``QWEN_HOME``, keys, model variables).
    open_texts
        Unsaved editor buffers by path; they take the place of the files.
    trusted
        Whether the workspace folder is trusted.
    layers
        The scope files as :func:`qwen_ls.settings.scopes.load_layers` reads them (with
        ``open_texts`` in place), when the caller has them already.

    Returns
    -------
    Startup
        Never raises on bad input; the key is in ``key_value`` only (mask it before showing).
    """
    out = Startup()
    if layers is None:
        layers = scopes.load_layers(workspace, environ, open_texts=open_texts)
    layers = _load(layers, out)
    if out.load_error:
        return out
    lookup = {**_home_env_values(environ), **{k: v for k, v in environ.items()}}
    expanded = [scopes.Layer(ly.scope, ly.path, ly.text, expand_env_refs(ly.value, lookup))
                for ly in layers]
    merged = scopes.merge_layers(expanded, trusted=trusted)
    res = resolve_env(workspace, environ, merged, trusted=trusted, layers=expanded)
    env = {name: src.value for name, src in res.names().items()}

    providers = merged.get("modelProviders")
    providers = providers if isinstance(providers, Mapping) else {}
    fatal = _provider_config_error(providers, merged.get("providerProtocol"))
    if fatal:
        out.fatal = fatal
        return out
    registry = reg.registry_from_layers(merged, expanded)

    # resolveCliGenerationConfig
    selected = reg.selected_type(merged) or reg.infer_auth_type(env)
    model_id: str | None = None
    source_var: str | None = None
    from_settings = False
    if _has(reg.get_path(merged, "model", "name")):
        model_id = reg.strip_runtime(reg.get_path(merged, "model", "name"))
        from_settings = True
    elif selected in known.MODEL_ENV_VARS:
        for var in known.MODEL_ENV_VARS[selected]:
            if _has(env.get(var)):
                model_id, source_var = env[var], var
                break
    persisted = reg.get_path(merged, "model", "baseUrl")
    persisted = persisted if isinstance(persisted, str) else None
    auth = (reg.selection_auth_type(registry, selected, model_id,
                                    persisted if from_settings else None)
            if selected and model_id is not None else selected)
    provider = None
    if model_id and auth:
        candidates = [m for m in registry if m.protocol == auth]
        if from_settings and persisted:
            provider = next((m for m in candidates if m.id == model_id
                             and m.entry.get("baseUrl") == persisted), None)
        if provider is None:
            provider = next((m for m in candidates if m.id == model_id), None)
    if auth is not None and auth not in AUTH_ENV:
        out.fatal = ("An unexpected critical error occurred: TypeError: Cannot read properties "
                     "of undefined (reading 'model')")
        out.auth_type = auth
        return out
    model_env = {k: v for k, v in env.items()
                 if k not in {v2 for m in AUTH_ENV.values() for v2 in m["model"]}
                 or k == source_var}
    mapping = AUTH_ENV.get(auth or "", {"apiKey": (), "baseUrl": (), "model": ()})
    # model: provider id, env model vars (filtered), settings model, default
    if auth == "qwen-oauth":
        resolved_model = "coder-model"
    else:
        resolved_model = next(
            (v for v in ([provider.id] if provider else [])
             + [model_env.get(k) for k in mapping["model"]]
             + [model_id if from_settings else None] if _present(v)),
            known.DEFAULT_MODEL.get(auth or "", ""))
    api_key: tuple[str, KeySource] | None = None
    if auth and provider is not None and provider.env_key and _has(env.get(provider.env_key)):
        api_key = (env[provider.env_key], _key_source(res, provider.env_key))
    if api_key is None:
        for var in mapping["apiKey"]:
            if _present(env.get(var)):
                api_key = (env[var], _key_source(res, var))
                break
    if api_key is None and _present(reg.get_path(merged, "security", "auth", "apiKey")):
        api_key = (str(reg.get_path(merged, "security", "auth", "apiKey")), KeySource("settings"))
    base_url = None
    for candidate in ([provider.entry.get("baseUrl")] if provider else []) + \
            [env.get(v) for v in mapping["baseUrl"]] + \
            [reg.get_path(merged, "security", "auth", "baseUrl")]:
        if _present(candidate) and isinstance(candidate, str):
            base_url = candidate
            break

    # ModelsConfig, as Config's constructor builds it; its registry throws on an entry
    # without an id.
    for provider_id, entries in providers.items():
        protocol = reg.provider_protocol(provider_id, merged)
        if protocol is None or not isinstance(entries, list):
            continue
        for entry in entries:
            if isinstance(entry, Mapping) and not entry.get("id"):
                proto = reg.entry_protocol(protocol, entry) or protocol
                out.fatal = ("An unexpected critical error occurred: Error: Model config in "
                             f"authType '{proto}' missing required field: id")
                return out
    models = _Registry(registry)
    gen: dict[str, Any] = {"model": resolved_model or None, "baseUrl": base_url,
                           "apiKey": api_key, "apiKeyEnvKey": provider.env_key if provider
                           and provider.env_key else None}
    kinds = {"model": "modelProviders" if provider else (
                 "env" if source_var else ("settings" if from_settings else "default")),
             "apiKey": None if api_key is None else (
                 "settings" if api_key[1].kind == "settings" else "env"),
             "baseUrl": None if base_url is None else (
                 "modelProviders" if provider and _present(provider.entry.get("baseUrl"))
                 else ("settings" if base_url == reg.get_path(merged, "security", "auth", "baseUrl")
                       and not any(env.get(v) == base_url for v in mapping["baseUrl"])
                       else "env"))}
    initial_registry_base = (None if provider is None else (provider.base_url or _NULL))
    current = (reg.selection_auth_type(
        registry, auth, None if kinds["model"] == "default" else gen["model"],
        None if initial_registry_base in (None, _NULL) else initial_registry_base)
        if auth else None)
    current_registry_base: Any = _UNSET
    if current and gen["model"]:
        found = models.get(current, gen["model"], initial_registry_base)
        if found is not None:
            current_registry_base = found.base_url or _NULL
    out.auth_type = current
    out.model = gen["model"] or "coder-model"
    if not current:
        out.start_error = known.NO_AUTH_TYPE_NON_INTERACTIVE
        return out
    enforced = reg.get_path(merged, "security", "auth", "enforcedType")
    if _has(enforced) and enforced != current:
        out.start_error = known.ENFORCED_AUTH_MISMATCH.format(enforced=enforced, current=current)
        return out
    if reg.get_path(merged, "security", "auth", "useExternal") is not True:
        error = _validate_auth(current, merged, registry, out.model, gen["baseUrl"],
                               gen["apiKey"], env)
        if error:
            out.start_error = error
            return out

    # Config.refreshAuth → ModelsConfig.syncAfterAuthRefresh(current, getModel()).
    model_id = out.model
    provider_base = (current_registry_base if current_registry_base is not _UNSET
                     else (gen["baseUrl"] if kinds["baseUrl"] == "modelProviders" else None))
    resolved = None
    if model_id:
        resolved = models.get(current, model_id, provider_base) or models.get(current, model_id)
    was_registered = (current in reg.OPENAI_FAMILY and current_registry_base is not _UNSET)
    if was_registered and resolved is None:
        out.start_error = (f"Model '{model_id}' is no longer configured for authType "
                           f"'{current}'. Select an available model.")
        return out
    if resolved is not None and resolved.selector_only:
        out.base_url = gen["baseUrl"]
        out.start_error = (f"{resolved.selector_only}-only model '{model_id}' cannot be used "
                           "as the primary model")
        return out
    strict = False

    def apply(model: reg.ModelEntry) -> None:
        gen["model"] = model.id
        gen["apiKey"] = None
        gen["apiKeyEnvKey"] = model.env_key
        if model.env_key and _has(env.get(model.env_key)):
            gen["apiKey"] = (env[model.env_key], _key_source(res, model.env_key))
        gen["baseUrl"] = model.resolved_base_url or None
        kinds["baseUrl"] = "modelProviders"

    if resolved is not None:
        applied = kinds["baseUrl"] == "modelProviders"
        changed = applied and (gen["apiKeyEnvKey"] != resolved.env_key
                               or gen["baseUrl"] != (resolved.resolved_base_url or None))
        unchanged = gen["model"] == model_id and not changed
        saved_key = gen["apiKey"] if unchanged else None
        saved_base = (gen["baseUrl"] if unchanged and gen["baseUrl"]
                      and kinds["baseUrl"] in ("env", "settings") else None)
        apply(resolved)
        if unchanged and gen["apiKey"] is None and saved_key is not None:
            gen["apiKey"] = saved_key
        if saved_base:
            gen["baseUrl"] = saved_base
        strict = True
    else:
        existing = (gen["apiKey"] is not None) or (gen["baseUrl"] is not None
                                                   and kinds["baseUrl"] != "modelProviders")
        if not existing:
            fallback = models.default(current)
            if fallback is not None:
                apply(fallback)
                strict = True
    out.model = gen["model"] or model_id
    out.base_url = gen["baseUrl"]
    key_var = gen["apiKeyEnvKey"]
    if gen["apiKey"] is not None:
        out.key_value, out.key_source = gen["apiKey"]
    out.key_var = key_var or (out.key_source.name if out.key_source else None)
    if current == "qwen-oauth":
        return out
    vertex_adc = (current == "vertex-ai" and not key_var
                  and _present(env.get("GOOGLE_CLOUD_PROJECT")))
    if gen["apiKey"] is None and not vertex_adc:
        if strict:
            out.start_error = known.STRICT_MISSING_CREDENTIALS.format(
                model=out.model, env_key=key_var, auth_type=current)
        else:
            var = key_var or known.DEFAULT_ENV_KEYS.get(current, "")
            out.start_error = known.MISSING_API_KEY.format(
                auth_type=current, model=out.model, base_url=out.base_url or "", env_key=var)
    return out


_UNSET = object()
_NULL = "\0null"


class _Registry:
    """``ModelRegistry``'s lookups: per protocol, the first entry of each (id, baseUrl) key."""

    def __init__(self, registry: list[reg.ModelEntry]) -> None:
        self.by_protocol: dict[str, dict[str, reg.ModelEntry]] = {}
        for m in registry:
            key = f"{m.id}\0{m.base_url}" if m.base_url else m.id
            self.by_protocol.setdefault(m.protocol, {}).setdefault(key, m)

    def get(self, protocol: str, model_id: str, base_url: Any = None) -> reg.ModelEntry | None:
        """``getModel``; ``base_url`` is ``None`` (omitted), ``_NULL`` (null) or a URL."""
        models = self.by_protocol.get(protocol)
        if not models:
            return None
        if base_url is not None:
            exact = models.get(model_id if base_url == _NULL else f"{model_id}\0{base_url}")
            if exact is not None:
                return exact
            if base_url == _NULL:
                return None
            plain = models.get(model_id)
            return plain if plain is not None and plain.resolved_base_url == base_url else None
        plain = models.get(model_id)
        if plain is not None:
            return plain
        return next((m for m in models.values() if m.id == model_id), None)

    def default(self, protocol: str) -> reg.ModelEntry | None:
        """``getDefaultModelForAuthType``."""
        return next((m for m in self.by_protocol.get(protocol, {}).values()
                     if m.selector_only is None), None)


def _provider_config_error(providers: Mapping[str, Any], mapping: Any) -> str | None:
    """``validateModelProvidersConfig``: the first invalid ``wireApi``, as the CLI words it."""
    mapping = mapping if isinstance(mapping, Mapping) else {}
    for provider_id in list(dict.fromkeys([*providers.keys(), *mapping.keys()])):
        entries = providers.get(provider_id)
        if not isinstance(entries, list):
            continue
        target = mapping[provider_id] if provider_id in mapping else provider_id
        protocol = target if target in reg.AUTH_TYPES else None
        for entry in entries:
            if not isinstance(entry, Mapping) or protocol is None:
                continue
            wire = entry.get("wireApi")
            if wire is None:
                continue
            if wire not in ("chat-completions", "responses"):
                return known.INVALID_WIRE_API.format(value=wire, provider=provider_id)
            if protocol not in reg.OPENAI_FAMILY:
                return known.WIRE_API_NOT_OPENAI.format(provider=provider_id, protocol=protocol)
    return None


def _validate_auth(auth: str, merged: Mapping[str, Any], registry: list[reg.ModelEntry],
                   model_id: str | None, base_url: str | None,
                   api_key: tuple[str, KeySource] | None, env: Mapping[str, str]) -> str | None:
    """``validateAuthMethod`` with the start-up config (packages/cli/src/config/auth.ts)."""
    if auth == "qwen-oauth":
        return known.OAUTH_DISCONTINUED_MESSAGE
    if auth not in AUTH_ENV:
        return "Invalid auth method selected."
    entry = None
    if model_id:
        found = [m for m in registry if m.protocol == auth and m.id == model_id]
        if base_url:
            entry = next((m for m in found if m.entry.get("baseUrl") == base_url), None)
        entry = entry or (found[0] if found else None)
    default_var = known.DEFAULT_ENV_KEYS.get(auth)
    settings_env = merged.get("env") if isinstance(merged.get("env"), Mapping) else {}

    def has_env(name: str | None) -> bool:
        if not name:
            return False
        if _has(env.get(name)):
            return True
        value = settings_env.get(name)
        return isinstance(value, str) and value.strip() != ""

    def key_check() -> tuple[bool, str | None, bool]:
        if api_key is not None:
            return True, (entry.env_key if entry else None) or default_var, bool(
                entry and entry.env_key)
        if entry is not None and entry.env_key:
            return has_env(entry.env_key), entry.env_key, True
        if default_var and has_env(default_var):
            return True, default_var, False
        if reg.get_path(merged, "security", "auth", "apiKey"):
            return True, default_var, False
        return False, default_var, False

    has_key, checked, explicit = key_check()
    if auth in reg.OPENAI_FAMILY:
        if has_key:
            return None
        template = (known.MISSING_OPENAI_KEY_EXPLICIT if explicit
                    else known.MISSING_OPENAI_KEY_DEFAULT)
        return template.format(env_key=checked or "OPENAI_API_KEY")

    def key_error() -> str | None:
        if has_key:
            return None
        template = known.MISSING_KEY_EXPLICIT if explicit else known.MISSING_KEY_DEFAULT
        return template.format(env_key=checked or default_var)

    if auth == "anthropic":
        error = key_error()
        if error:
            return error
        if entry is not None and not entry.entry.get("baseUrl"):
            return known.ANTHROPIC_MISSING_BASE_URL
        if entry is None and not _has(env.get("ANTHROPIC_BASE_URL")):
            return known.ANTHROPIC_BASE_URL_ENV_MISSING
        return None
    if auth == "gemini":
        return key_error()
    # vertex-ai
    adc = entry is None or not entry.env_key
    project = env.get("GOOGLE_CLOUD_PROJECT")
    if project is None:
        value = settings_env.get("GOOGLE_CLOUD_PROJECT")
        project = value if isinstance(value, str) else None
    if not adc or not (project or "").strip():
        error = key_error()
        if error:
            return error + known.VERTEX_ADC_HINT if adc else error
    return None
