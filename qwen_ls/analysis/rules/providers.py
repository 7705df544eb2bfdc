"""QLS301, QLS302, QLS307-QLS309, QLS312: ``modelProviders`` and ``providerProtocol`` keys.

Which protocol each provider registers its models under, if any, and what the CLI skips.
"""

from __future__ import annotations

from collections.abc import Mapping

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.rules.examples import FAKE_KEY
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import remove_fix, set_fix
from qwen_ls.settings import known

PROVIDER_NOT_BUILTIN = Rule(
    "QLS301",
    "provider-not-builtin",
    "warning",
    "A modelProviders key that is neither a built-in protocol nor mapped in providerProtocol: "
    "the CLI skips all its models.",
    '{\n  "modelProviders": {"deepseek": [{"id": "deepseek-chat", "envKey": "DEEPSEEK_API_KEY",\n'
    '    "baseUrl": "https://api.deepseek.com"}]}\n}\n',
    '{\n  "providerProtocol": {"deepseek": "openai"},\n'
    '  "modelProviders": {"deepseek": [{"id": "deepseek-chat", "envKey": "DEEPSEEK_API_KEY",\n'
    '    "baseUrl": "https://api.deepseek.com"}]}\n}\n',
    env={"DEEPSEEK_API_KEY": FAKE_KEY},
)
PROVIDER_NOT_ARRAY = Rule(
    "QLS302",
    "provider-not-array",
    "error",
    "A modelProviders value must be an array of model entries; in a $version 4 file anything "
    "else is silently skipped.",
    '{\n  "$version": 4,\n  "modelProviders": {"openai": {"protocol": "openai", "models": []}}\n}\n',
    '{\n  "$version": 4,\n  "modelProviders": {"openai": []}\n}\n',
    claims=lambda path, kind: path[:1] == ("modelProviders",) and len(path) == 2,
)
QWEN_OAUTH_PROVIDER_IGNORED = Rule(
    "QLS307",
    "qwen-oauth-provider-ignored",
    "warning",
    "Models under modelProviders.qwen-oauth (or a provider mapped to qwen-oauth) are ignored: "
    "Qwen OAuth uses its hard-coded model only.",
    '{\n  "modelProviders": {"qwen-oauth": [{"id": "qwen3-coder-plus"}]}\n}\n',
    '{\n  "modelProviders": {}\n}\n',
)
INVALID_PROVIDER_PROTOCOL = Rule(
    "QLS308",
    "invalid-provider-protocol",
    "warning",
    "providerProtocol maps a provider to something that is not a protocol: its models are "
    "ignored.",
    '{\n  "providerProtocol": {"deepseek": "openai-compatible"}\n}\n',
    '{\n  "providerProtocol": {"deepseek": "openai"}\n}\n',
)
EMPTY_MODEL_PROVIDERS = Rule(
    "QLS309",
    "empty-model-providers",
    "information",
    "An empty modelProviders object in a workspace file has no effect with the CLI's merge.",
    '{\n  "modelProviders": {}\n}\n',
    '{\n  "ui": {"theme": "Qwen Dark"}\n}\n',
    scope="workspace",
)
LEGACY_OPENAI_RESPONSES_PROVIDER = Rule(
    "QLS312",
    "legacy-openai-responses-provider",
    "information",
    'modelProviders.openai-responses is a legacy key; use openai with wireApi "responses".',
    '{\n  "modelProviders": {"openai-responses": [{"id": "gpt-5", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-5", "wireApi": "responses", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
)

RULES = (PROVIDER_NOT_BUILTIN, PROVIDER_NOT_ARRAY, QWEN_OAUTH_PROVIDER_IGNORED,
         INVALID_PROVIDER_PROTOCOL, EMPTY_MODEL_PROVIDERS, LEGACY_OPENAI_RESPONSES_PROVIDER)

# The CLI's startup warnings, verbatim (``str.format`` with the named fields).
PROVIDER_NOT_BUILTIN_WARNING = (
    'modelProviders provider "{provider}" is not a built-in protocol (openai, qwen-oauth, '
    'gemini, vertex-ai, anthropic) and has no providerProtocol mapping; its {count} model(s) '
    'are ignored. Add providerProtocol["{provider}"] (e.g. "openai") to enable them.'
)
PROVIDER_PROTOCOL_UNKNOWN_WARNING = (
    'providerProtocol["{provider}"] = "{value}" is not a known protocol (expected one of: '
    "{expected}); its {count} model(s) are ignored."
)
PROVIDER_PROTOCOL_QWEN_OAUTH_WARNING = (
    'modelProviders provider "{provider}" maps to "qwen-oauth" via providerProtocol, but '
    "qwen-oauth uses hard-coded models only; its {count} model(s) are ignored."
)
EMPTY_MODEL_PROVIDERS_WARNING = (
    "'{path}' defines an empty 'modelProviders' object. This has no effect with current merge "
    "behavior."
)


def protocol_mapping(run: Run) -> Mapping:
    """The effective ``providerProtocol`` mapping (empty when it is not an object)."""
    mapping = run.get(("providerProtocol",), effective=True)
    return mapping if isinstance(mapping, Mapping) else {}


def protocol_of(provider: str, mapping: Mapping) -> str | None:
    """The protocol the entries under ``modelProviders[provider]`` are validated as, or ``None``.

    A built-in provider key is its own protocol (``openai-responses`` included) whatever the
    mapping says; ``qwen-oauth``, an unmapped key and a key mapped to ``qwen-oauth`` or to no
    protocol have none.
    """
    if provider == "qwen-oauth":
        return None
    if provider in known.AUTH_TYPES:
        return provider
    target = mapping.get(provider)
    if target is None or target == "qwen-oauth" or target not in known.AUTH_TYPES:
        return None
    return str(target)


def check_provider_keys(run: Run) -> None:
    """QLS301, QLS307, QLS312 on each provider key, QLS302 on a value that is not an array."""
    providers = run.get(("modelProviders",))
    if not isinstance(providers, Mapping):
        return
    mapping = protocol_mapping(run)
    version = run.get(("$version",))
    for provider, entries in providers.items():
        ppath = ("modelProviders", provider)
        count = len(entries) if isinstance(entries, list) else 0
        key_span = run.lazy_span(ppath, key=True)
        if provider == "qwen-oauth":
            QWEN_OAUTH_PROVIDER_IGNORED.report(
                run,
                "Entries under modelProviders.qwen-oauth are ignored: Qwen OAuth uses "
                "its hard-coded model ('coder-model') only.",
                key_span,
                tags=["unnecessary"],
            )
        elif provider == "openai-responses":
            LEGACY_OPENAI_RESPONSES_PROVIDER.report(
                run,
                "modelProviders.openai-responses is legacy: put these models under "
                'openai with "wireApi": "responses".',
                key_span,
                tags=["deprecated"],
            )
        elif provider not in known.AUTH_TYPES:
            target = mapping.get(provider)
            if target is None:
                PROVIDER_NOT_BUILTIN.report(
                    run,
                    "Warning: " + PROVIDER_NOT_BUILTIN_WARNING.format(provider=provider,
                                                                      count=count),
                    key_span,
                    fixes=[set_fix(f'Add providerProtocol["{provider}"] = "{p}"',
                                   ["providerProtocol", provider], p, preferred=p == "openai")
                           for p in ("openai", "anthropic", "gemini")],
                )
            elif target == "qwen-oauth":
                QWEN_OAUTH_PROVIDER_IGNORED.report(
                    run,
                    "Warning: "
                    + PROVIDER_PROTOCOL_QWEN_OAUTH_WARNING.format(provider=provider, count=count),
                    key_span,
                    tags=["unnecessary"],
                )
        if not isinstance(entries, list):
            _not_array(run, provider, entries, version)


def _not_array(run: Run, provider: str, entries: object, version: object) -> None:
    ppath = ("modelProviders", provider)
    migrated = not (isinstance(version, (int, float)) and version >= 4)
    PROVIDER_NOT_ARRAY.report(
        run,
        f"modelProviders.{provider} must be an array of model entries. "
        + (
            "The CLI's v5→v4 migration rewrites a {protocol, models} object on its next "
            "start."
            if migrated and isinstance(entries, Mapping) and "models" in entries
            else "The CLI skips it; none of its models are registered."
        ),
        run.span(ppath),
        fixes=[set_fix("Replace with its models array", ppath, entries["models"])]
        if isinstance(entries, Mapping) and isinstance(entries.get("models"), list)
        else [],
    )


def check_provider_protocol(run: Run) -> None:
    """QLS308: each ``providerProtocol`` value of this document that is no protocol."""
    own = run.get(("providerProtocol",))
    if not isinstance(own, Mapping):
        return
    providers = run.get(("modelProviders",), effective=True)
    for provider, target in own.items():
        if isinstance(target, str) and target in known.AUTH_TYPES:
            continue
        entries = providers.get(provider) if isinstance(providers, Mapping) else None
        count = len(entries) if isinstance(entries, list) else 0
        INVALID_PROVIDER_PROTOCOL.report(
            run,
            "Warning: "
            + PROVIDER_PROTOCOL_UNKNOWN_WARNING.format(
                provider=provider, value=target, expected=", ".join(known.AUTH_TYPES), count=count
            ),
            run.span(("providerProtocol", provider)),
            fixes=[set_fix(f"Change to '{p}'", ["providerProtocol", provider], p,
                           preferred=p == "openai")
                   for p in ("openai", "openai-responses", "gemini")],
        )


def check_empty(run: Run) -> None:
    """QLS309: an empty ``modelProviders`` object in a workspace file."""
    providers = run.get(("modelProviders",))
    if isinstance(providers, Mapping) and not providers and run.ctx.effective_scope == "workspace":
        EMPTY_MODEL_PROVIDERS.report(
            run,
            EMPTY_MODEL_PROVIDERS_WARNING.format(path=run.ctx.display_path()),
            run.span(("modelProviders",)),
            tags=["unnecessary"],
            fixes=[remove_fix("Remove the empty modelProviders", ["modelProviders"])],
        )


CHECKS = (check_provider_protocol, check_empty, check_provider_keys)
