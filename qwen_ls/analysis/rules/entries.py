"""QLS303-QLS306, QLS311, QLS313: the shape of each ``modelProviders`` entry."""

from __future__ import annotations

from collections.abc import Mapping

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.rules.examples import FAKE_KEY
from qwen_ls.analysis.rules.providers import protocol_mapping, protocol_of
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import remove_fix, set_fix
from qwen_ls.jsonc.types import Span
from qwen_ls.settings import known


def _claims_missing_id(path: tuple, kind: str) -> bool:
    """An entry without ``id`` (the model's ``required`` issue) is QLS303's."""
    return path[0] == "modelProviders" and kind == "required" and (
        len(path) == 3 or path[-1] == "id")


def _claims_wire_api(path: tuple, kind: str) -> bool:
    return path[-1] == "wireApi" and kind in ("enum", "type") and path[0] in (
        "security", "modelProviders")


MODEL_MISSING_ID = Rule(
    "QLS303",
    "model-missing-id",
    "error",
    'A provider entry without an id: the CLI throws "missing required field: id".',
    '{\n  "modelProviders": {"openai": [{"name": "GPT-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "name": "GPT-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
    claims=_claims_missing_id,
)
MODEL_MISSING_ENV_KEY = Rule(
    "QLS304",
    "model-missing-env-key",
    "warning",
    "A provider entry without envKey: once the model is selected the CLI reads its key from "
    "the protocol default variable only, and switching models may lose the key.",
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
)
DUPLICATE_MODEL = Rule(
    "QLS305",
    "duplicate-model",
    "warning",
    "Two entries with the same protocol, id and baseUrl: the CLI keeps the first and ignores "
    "the second.",
    '{\n  "modelProviders": {"openai": [\n'
    '    {"id": "gpt-4o", "envKey": "OPENAI_API_KEY", "baseUrl": "https://api.openai.com/v1"},\n'
    '    {"id": "gpt-4o", "envKey": "OPENAI_API_KEY", "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [\n'
    '    {"id": "gpt-4o", "envKey": "OPENAI_API_KEY", "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
)
INVALID_WIRE_API = Rule(
    "QLS306",
    "invalid-wire-api",
    "error",
    'wireApi must be "chat-completions" or "responses" and only on OpenAI-compatible '
    "providers; anything else is fatal at startup.",
    '{\n  "modelProviders": {"openai": [{"id": "gpt-5", "wireApi": "response", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-5", "wireApi": "responses", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
    claims=_claims_wire_api,
)
ANTHROPIC_MISSING_BASE_URL = Rule(
    "QLS311",
    "anthropic-missing-base-url",
    "error",
    'An anthropic provider entry needs a baseUrl ("Anthropic provider missing required '
    'baseUrl").',
    '{\n  "modelProviders": {"anthropic": [{"id": "claude-sonnet-4", "envKey": "ANTHROPIC_API_KEY"}]}\n}\n',
    '{\n  "modelProviders": {"anthropic": [{"id": "claude-sonnet-4", "envKey": "ANTHROPIC_API_KEY",\n'
    '    "baseUrl": "https://api.anthropic.com"}]}\n}\n',
    env={"ANTHROPIC_API_KEY": FAKE_KEY},
)
GENERATION_FIELD_IGNORED = Rule(
    "QLS313",
    "generation-field-ignored",
    "warning",
    "A provider model's generationConfig field that its protocol's content generator never "
    "reads (for example extra_body on anthropic or gemini, timeout on gemini, cacheRetention "
    "on openai): it silently has no effect.",
    '{\n  "modelProviders": {"anthropic": [{"id": "claude-sonnet-4", "envKey": "ANTHROPIC_API_KEY",\n'
    '    "baseUrl": "https://api.anthropic.com",\n'
    '    "generationConfig": {"extra_body": {"top_k": 5}}}]}\n}\n',
    '{\n  "modelProviders": {"anthropic": [{"id": "claude-sonnet-4", "envKey": "ANTHROPIC_API_KEY",\n'
    '    "baseUrl": "https://api.anthropic.com",\n'
    '    "generationConfig": {"samplingParams": {"top_k": 5}}}]}\n}\n',
    env={"ANTHROPIC_API_KEY": FAKE_KEY},
)

RULES = (MODEL_MISSING_ID, MODEL_MISSING_ENV_KEY, DUPLICATE_MODEL, INVALID_WIRE_API,
         ANTHROPIC_MISSING_BASE_URL, GENERATION_FIELD_IGNORED)

def suggest_env_key(entry: Mapping, protocol: str) -> str:
    """The variable an entry's key should live in: its preset's, else the protocol default."""
    from qwen_ls.settings import presets

    url = entry.get("baseUrl")
    if isinstance(url, str):
        found = presets.preset_for_base_url(url)
        if found:
            return found[0].env_key
    return known.DEFAULT_ENV_KEYS.get(protocol, "OPENAI_API_KEY")


_Entry = tuple[str, "str | None", int, Mapping, tuple, object]


def _entries(run: Run) -> list[_Entry]:
    """``(provider, protocol, index, entry, path, id)`` of each entry of this document."""

    def compute() -> list[_Entry]:
        mapping = protocol_mapping(run)
        protocols: dict[str, str | None] = {}
        out = []
        for provider, index, entry in run.provider_entries:
            if provider not in protocols:
                protocols[provider] = protocol_of(provider, mapping)
            out.append((provider, protocols[provider], index, entry,
                        ("modelProviders", provider, index), entry.get("id")))
        return out

    return run.once("entries", compute)


def _with_id(run: Run, *, protocol: bool = False) -> list[_Entry]:
    """:func:`_entries` with an id (and, with ``protocol``, a protocol): the others get QLS303."""

    def compute() -> list[_Entry]:
        return [item for item in _entries(run)
                if isinstance(item[5], str) and item[5] and (item[1] is not None or not protocol)]

    return run.once(f"entries-with-id-{protocol}", compute)


def check_missing_id(run: Run) -> None:
    """QLS303: an entry without an id (the CLI throws)."""
    for provider, protocol, index, entry, epath, model_id in _entries(run):
        if isinstance(model_id, str) and model_id:
            continue
        label = entry.get("name") if isinstance(entry.get("name"), str) else f"#{index}"
        span = run.span(epath)
        MODEL_MISSING_ID.report(
            run,
            f"Model entry {label} in modelProviders.{provider} has no id: the CLI throws "
            f'"{known.MODEL_MISSING_ID.format(auth_type=protocol or provider)}".',
            Span(span.start, min(span.end, span.start + 1)) if "id" not in entry
            else run.span((*epath, "id")),
            fixes=[set_fix("Add an id", [*epath, "id"],
                           entry["name"] if isinstance(entry.get("name"), str) else "model-id")],
        )


def check_wire_api(run: Run) -> None:
    """QLS306: a wireApi that is not one, or on a provider that is not OpenAI-compatible."""
    for provider, protocol, _index, entry, epath, _id in _with_id(run):
        wire = entry.get("wireApi")
        if wire is None:
            continue
        # The CLI validates wireApi wherever the provider has a protocol, qwen-oauth included
        # (validateModelProvidersConfig), and ignores it under an unmapped provider.
        mapped = run.get(("providerProtocol", provider), effective=True)
        wire_protocol = protocol or ("qwen-oauth" if "qwen-oauth" in (provider, mapped) else None)
        if wire_protocol is None:
            continue
        if wire in known.WIRE_APIS and wire_protocol not in ("openai", "openai-responses"):
            INVALID_WIRE_API.report(
                run,
                known.WIRE_API_NOT_OPENAI.format(provider=provider, protocol=wire_protocol)
                + " The CLI stops at startup.",
                run.span((*epath, "wireApi"), key=True),
                fixes=[remove_fix("Remove wireApi", [*epath, "wireApi"])],
            )
        elif wire not in known.WIRE_APIS:
            INVALID_WIRE_API.report(
                run,
                known.INVALID_WIRE_API.format(value=wire, provider=provider)
                + " The CLI stops at startup.",
                run.span((*epath, "wireApi")),
                fixes=[set_fix(f"Change to '{w}'", [*epath, "wireApi"], w,
                               preferred=w == "responses")
                       for w in known.WIRE_APIS],
            )


def check_missing_env_key(run: Run) -> None:
    """QLS304: an entry without envKey."""
    for _provider, protocol, _index, entry, epath, model_id in _with_id(run, protocol=True):
        if "envKey" in entry:
            continue
        default = suggest_env_key(entry, protocol)
        MODEL_MISSING_ENV_KEY.report(
            run,
            f"Model '{model_id}' has no envKey: once it is selected the CLI reads its key only "
            f"from {known.DEFAULT_ENV_KEYS.get(protocol, 'the protocol default')}, and switching "
            f'models may lose the key. Add "envKey": "{default}".',
            run.span((*epath, "id")),
            fixes=[set_fix(f'Add envKey "{default}"', [*epath, "envKey"], default,
                           preferred=True)],
        )


def check_anthropic_base_url(run: Run) -> None:
    """QLS311: an anthropic entry without baseUrl."""
    for _provider, protocol, _index, entry, epath, model_id in _with_id(run, protocol=True):
        if protocol == "anthropic" and not entry.get("baseUrl"):
            ANTHROPIC_MISSING_BASE_URL.report(
                run,
                known.ANTHROPIC_MISSING_BASE_URL + f" (model '{model_id}')",
                run.span((*epath, "id")),
                fixes=[set_fix("Add baseUrl https://api.anthropic.com", [*epath, "baseUrl"],
                               "https://api.anthropic.com")],
            )


def check_generation_fields(run: Run) -> None:
    """QLS313: generationConfig fields this protocol's content generator never reads."""
    for _provider, protocol, _index, entry, epath, model_id in _with_id(run, protocol=True):
        config = entry.get("generationConfig")
        ignored = known.GENERATION_FIELDS_IGNORED.get(protocol, frozenset())
        if not isinstance(config, Mapping) or not ignored:
            continue
        for name in config:
            if name not in ignored:
                continue
            path = (*epath, "generationConfig", name)
            GENERATION_FIELD_IGNORED.report(
                run,
                f"generationConfig.{name} has no effect on {protocol} model '{model_id}': the "
                f"CLI's {protocol} content generator never reads it.",
                run.span(path, key=True),
                tags=["unnecessary"],
                fixes=[remove_fix(f"Remove {name}", path)],
            )


def check_duplicates(run: Run) -> None:
    """QLS305: a second entry with the same protocol, id and baseUrl."""
    seen: dict[tuple[str, str, str], tuple[str, int]] = {}
    for provider, protocol, index, entry, epath, model_id in _with_id(run, protocol=True):
        key = (protocol, model_id, str(entry.get("baseUrl") or ""))
        if key not in seen:
            seen[key] = (provider, index)
            continue
        first = seen[key]
        DUPLICATE_MODEL.report(
            run,
            f"Duplicate model id '{model_id}' for {protocol} at the same baseUrl: the CLI keeps "
            f"modelProviders.{first[0]}[{first[1]}] and ignores this one.",
            run.span((*epath, "id")),
            tags=["unnecessary"],
            fixes=[remove_fix("Remove this duplicate entry", epath)],
        )


CHECKS = (check_missing_id, check_wire_api, check_missing_env_key, check_anthropic_base_url,
          check_generation_fields, check_duplicates)
