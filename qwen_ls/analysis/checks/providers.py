"""QLS3xx: the shape of ``modelProviders`` and ``providerProtocol``."""

from __future__ import annotations

from collections.abc import Mapping

from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import fix
from qwen_ls.jsonc.types import Span
from qwen_ls.settings import known

_PROTOCOLS = [p for p in known.AUTH_TYPES if p != "qwen-oauth"]


def check(run: Run) -> None:
    """Check every provider key and entry of this document's ``modelProviders``."""
    providers = run.get(("modelProviders",))
    mapping = run.get(("providerProtocol",), effective=True)
    mapping = mapping if isinstance(mapping, Mapping) else {}
    _provider_protocol(run, mapping)
    if not isinstance(providers, Mapping):
        return
    if not providers and run.ctx.effective_scope == "workspace":
        run.report(
            "QLS309",
            known.EMPTY_MODEL_PROVIDERS_WARNING.format(path=run.ctx.display_path()),
            run.span(("modelProviders",)),
            tags=["unnecessary"],
            fixes=[fix("Remove the empty modelProviders", "remove-value", path=["modelProviders"])],
        )
    version = run.get(("$version",))
    seen: dict[tuple[str, str, str], tuple] = {}
    for provider, entries in providers.items():
        ppath = ("modelProviders", provider)
        count = len(entries) if isinstance(entries, list) else 0
        protocol = _protocol_of(run, provider, mapping, count)
        if not isinstance(entries, list):
            migrated = not (isinstance(version, (int, float)) and version >= 4)
            run.report(
                "QLS302",
                f"modelProviders.{provider} must be an array of model entries. "
                + (
                    "The CLI's v5→v4 migration rewrites a {protocol, models} object on its next "
                    "start."
                    if migrated and isinstance(entries, Mapping) and "models" in entries
                    else "The CLI skips it; none of its models are registered."
                ),
                run.span(ppath),
                fixes=[
                    fix(
                        "Replace with its models array",
                        "set-value",
                        path=list(ppath),
                        value=entries["models"],
                    )
                ]
                if isinstance(entries, Mapping) and isinstance(entries.get("models"), list)
                else [],
            )
            continue
        for index, entry in enumerate(entries):
            if isinstance(entry, Mapping):
                _entry(run, provider, protocol, index, entry, seen)


def _protocol_of(run: Run, provider: str, mapping: Mapping, count: int) -> str | None:
    ppath = ("modelProviders", provider)
    if provider == "qwen-oauth":
        run.report(
            "QLS307",
            "Entries under modelProviders.qwen-oauth are ignored: Qwen OAuth uses "
            "its hard-coded model ('coder-model') only.",
            run.span(ppath, key=True),
            tags=["unnecessary"],
        )
        return None
    if provider == "openai-responses":
        run.report(
            "QLS312",
            "modelProviders.openai-responses is legacy: put these models under "
            'openai with "wireApi": "responses".',
            run.span(ppath, key=True),
            tags=["deprecated"],
        )
        return "openai-responses"
    if provider in known.AUTH_TYPES:
        return provider
    target = mapping.get(provider)
    if target is None:
        run.report(
            "QLS301",
            "Warning: " + known.PROVIDER_NOT_BUILTIN_WARNING.format(provider=provider, count=count),
            run.span(ppath, key=True),
            fixes=[
                fix(
                    f'Add providerProtocol["{provider}"] = "{p}"',
                    "set-value",
                    preferred=p == "openai",
                    path=["providerProtocol", provider],
                    value=p,
                )
                for p in ("openai", "anthropic", "gemini")
            ],
        )
        return None
    if target == "qwen-oauth":
        run.report(
            "QLS307",
            "Warning: "
            + known.PROVIDER_PROTOCOL_QWEN_OAUTH_WARNING.format(provider=provider, count=count),
            run.span(ppath, key=True),
            tags=["unnecessary"],
        )
        return None
    if target not in known.AUTH_TYPES:
        return None  # reported on providerProtocol itself
    return str(target)


def _provider_protocol(run: Run, mapping: Mapping) -> None:
    own = run.get(("providerProtocol",))
    if not isinstance(own, Mapping):
        return
    providers = run.get(("modelProviders",), effective=True)
    for provider, target in own.items():
        if isinstance(target, str) and target in known.AUTH_TYPES:
            continue
        entries = providers.get(provider) if isinstance(providers, Mapping) else None
        count = len(entries) if isinstance(entries, list) else 0
        run.report(
            "QLS308",
            "Warning: "
            + known.PROVIDER_PROTOCOL_UNKNOWN_WARNING.format(
                provider=provider, value=target, expected=", ".join(known.AUTH_TYPES), count=count
            ),
            run.span(("providerProtocol", provider)),
            fixes=[
                fix(
                    f"Change to '{p}'",
                    "set-value",
                    preferred=p == "openai",
                    path=["providerProtocol", provider],
                    value=p,
                )
                for p in _PROTOCOLS[:3]
            ],
        )


def _entry(
    run: Run, provider: str, protocol: str | None, index: int, entry: Mapping, seen: dict
) -> None:
    epath = ("modelProviders", provider, index)
    model_id = entry.get("id")
    if not isinstance(model_id, str) or not model_id:
        label = entry.get("name") if isinstance(entry.get("name"), str) else f"#{index}"
        run.report(
            "QLS303",
            f"Model entry {label} in modelProviders.{provider} has no id: the CLI throws "
            f"\"Model config in authType '{protocol or provider}' missing required field: id\".",
            _opening(run.span(epath)) if "id" not in entry else run.span((*epath, "id")),
            fixes=[
                fix(
                    "Add an id",
                    "set-value",
                    path=[*epath, "id"],
                    value=entry["name"] if isinstance(entry.get("name"), str) else "model-id",
                )
            ],
        )
        return
    wire = entry.get("wireApi")
    # The CLI validates wireApi wherever the provider has a protocol, qwen-oauth included
    # (validateModelProvidersConfig), and ignores it under an unmapped provider.
    mapped = run.get(("providerProtocol", provider), effective=True)
    wire_protocol = protocol or ("qwen-oauth" if "qwen-oauth" in (provider, mapped) else None)
    if wire is not None and wire_protocol is not None:
        if wire in known.WIRE_APIS and wire_protocol not in ("openai", "openai-responses"):
            run.report(
                "QLS306",
                known.WIRE_API_NOT_OPENAI.format(provider=provider, protocol=wire_protocol)
                + " The CLI stops at startup.",
                run.span((*epath, "wireApi"), key=True),
                fixes=[fix("Remove wireApi", "remove-value", path=[*epath, "wireApi"])],
            )
        elif wire not in known.WIRE_APIS:
            run.report(
                "QLS306",
                known.INVALID_WIRE_API.format(value=wire, provider=provider)
                + " The CLI stops at startup.",
                run.span((*epath, "wireApi")),
                fixes=[
                    fix(
                        f"Change to '{w}'",
                        "set-value",
                        preferred=w == "responses",
                        path=[*epath, "wireApi"],
                        value=w,
                    )
                    for w in known.WIRE_APIS
                ],
            )
    if protocol is None:
        return
    if "envKey" not in entry:
        default = _suggest_env_key(entry, protocol)
        run.report(
            "QLS304",
            f"Model '{model_id}' has no envKey: once it is selected the CLI reads its key only "
            f"from {known.DEFAULT_ENV_KEYS.get(protocol, 'the protocol default')}, and switching "
            f'models may lose the key. Add "envKey": "{default}".',
            run.span((*epath, "id")),
            fixes=[
                fix(
                    f'Add envKey "{default}"',
                    "set-value",
                    preferred=True,
                    path=[*epath, "envKey"],
                    value=default,
                )
            ],
        )
    if protocol == "anthropic" and not entry.get("baseUrl"):
        run.report(
            "QLS311",
            known.ANTHROPIC_MISSING_BASE_URL + f" (model '{model_id}')",
            run.span((*epath, "id")),
            fixes=[
                fix(
                    "Add baseUrl https://api.anthropic.com",
                    "set-value",
                    path=[*epath, "baseUrl"],
                    value="https://api.anthropic.com",
                )
            ],
        )
    _ignored_generation_fields(run, epath, entry, protocol, model_id)
    key = (protocol, model_id, str(entry.get("baseUrl") or ""))
    if key in seen:
        first = seen[key]
        run.report(
            "QLS305",
            f"Duplicate model id '{model_id}' for {protocol} at the same baseUrl: the CLI keeps "
            f"modelProviders.{first[1]}[{first[2]}] and ignores this one.",
            run.span((*epath, "id")),
            tags=["unnecessary"],
            fixes=[fix("Remove this duplicate entry", "remove-value", path=list(epath))],
        )
    else:
        seen[key] = (protocol, provider, index)


def _ignored_generation_fields(
    run: Run, epath: tuple, entry: Mapping, protocol: str, model_id: str
) -> None:
    """QLS313: generationConfig fields this protocol's content generator never reads."""
    config = entry.get("generationConfig")
    ignored = known.GENERATION_FIELDS_IGNORED.get(protocol, frozenset())
    if not isinstance(config, Mapping) or not ignored:
        return
    for name in config:
        if name not in ignored:
            continue
        path = (*epath, "generationConfig", name)
        run.report(
            "QLS313",
            f"generationConfig.{name} has no effect on {protocol} model '{model_id}': the CLI's "
            f"{protocol} content generator never reads it.",
            run.span(path, key=True),
            tags=["unnecessary"],
            fixes=[fix(f"Remove {name}", "remove-value", path=list(path))],
        )


def _opening(span: Span) -> Span:
    """The opening brace of an object: where "a field is missing" is underlined."""
    return Span(span.start, min(span.end, span.start + 1))


def _suggest_env_key(entry: Mapping, protocol: str) -> str:
    from qwen_ls.settings import presets

    url = entry.get("baseUrl")
    if isinstance(url, str):
        found = presets.preset_for_base_url(url)
        if found:
            return found[0].env_key
    return known.DEFAULT_ENV_KEYS.get(protocol, "OPENAI_API_KEY")
