"""Provider presets of the Qwen Code CLI: Coding Plan, Token Plan and the third-party providers.

Mirrors ``packages/core/src/providers/presets/*.ts`` and ``provider-config.ts`` of 0.24.4 (facts
§5): which env var holds each provider's key, its base URLs per region, the ``[prefix] <id>``
display names, and the exact ``modelProviders`` entries ``/auth`` writes. Diagnostics use it to
spot "key X with base URL Y" mismatches; completion and hover use :data:`KNOWN_ENDPOINTS`; the
sign-in flows use :func:`coding_plan_models` and :func:`build_models` to write what the CLI writes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

# --------------------------------------------------------------------------------------------
# Coding Plan
# --------------------------------------------------------------------------------------------

CODING_PLAN_ENV_KEY = "BAILIAN_CODING_PLAN_API_KEY"
CODING_PLAN_CHINA_BASE_URL = "https://coding.dashscope.aliyuncs.com/v1"
CODING_PLAN_INTL_BASE_URL = "https://coding-intl.dashscope.aliyuncs.com/v1"
#: Coding Plan keys start with this (``validateApiKey``); Token Plan keys have no rule.
CODING_PLAN_KEY_PREFIX = "sk-sp-"
CODING_PLAN_NAME_PREFIX = "ModelStudio Coding Plan"
CODING_PLAN_INTL_NAME_PREFIX = "ModelStudio Coding Plan for Global/Intl"
#: Names used by the old hard-coded template (≈0.10–0.12).
LEGACY_CODING_PLAN_NAME_PREFIXES = ("Bailian Coding Plan", "Bailian Coding Plan for Global/Intl")
CODING_PLAN_METADATA_KEY = "coding-plan"

#: Region id → base URL. ``"global"`` (the old enum and the VS Code companion's value) is an
#: alias of ``"intl"``.
CODING_PLAN_REGIONS: Mapping[str, str] = {
    "china": CODING_PLAN_CHINA_BASE_URL,
    "intl": CODING_PLAN_INTL_BASE_URL,
}
_REGION_ALIASES = {"global": "intl", "aliyun": "china", "alibabacloud": "intl"}

_REASONING_TOGGLE = {"thinking": True, "toggleOnly": True, "disableField": "enable_thinking"}


def _spec(
    model_id: str,
    context: int,
    *,
    thinking: bool = False,
    reasoning: bool = False,
    modalities: Mapping[str, bool] | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """Build a ``ModelSpec`` (the preset's model description before it becomes a ModelConfig)."""
    spec: dict[str, Any] = {"id": model_id, "contextWindowSize": context}
    if thinking:
        spec["enableThinking"] = True
    if reasoning:
        spec["capabilities"] = {"reasoning": dict(_REASONING_TOGGLE)}
    if modalities:
        spec["modalities"] = dict(modalities)
    if description:
        spec["description"] = description
    return spec


_IMG_VIDEO = {"image": True, "video": True}

#: The 0.24.4 Coding Plan template, in order. Thinking models carry
#: ``capabilities.reasoning`` except glm-* and MiniMax.
CODING_PLAN_SPECS: tuple[dict[str, Any], ...] = (
    _spec("qwen3.5-plus", 1000000, thinking=True, reasoning=True, modalities=_IMG_VIDEO),
    _spec(
        "qwen3.6-plus",
        1000000,
        thinking=True,
        reasoning=True,
        modalities=_IMG_VIDEO,
        description="Currently available to Pro subscribers only.",
    ),
    _spec("qwen3.7-plus", 1000000, thinking=True, reasoning=True),
    _spec("glm-5", 202752, thinking=True),
    _spec("kimi-k2.5", 262144, thinking=True, reasoning=True, modalities=_IMG_VIDEO),
    _spec("MiniMax-M2.5", 196608, thinking=True),
    _spec("qwen3-coder-plus", 1000000),
    _spec("qwen3-coder-next", 262144),
    _spec("qwen3-max-2026-01-23", 262144, thinking=True, reasoning=True),
    _spec("glm-4.7", 202752, thinking=True),
)

# --------------------------------------------------------------------------------------------
# Token Plan
# --------------------------------------------------------------------------------------------

TOKEN_PLAN_ENV_KEY = "BAILIAN_TOKEN_PLAN_API_KEY"
TOKEN_PLAN_CHINA_BASE_URL = "https://token-plan.cn-beijing.maas.aliyuncs.com/compatible-mode/v1"
TOKEN_PLAN_INTL_BASE_URL = "https://token-plan.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1"
TOKEN_PLAN_NAME_PREFIX = "ModelStudio Token Plan"
TOKEN_PLAN_INTL_NAME_PREFIX = "ModelStudio Token Plan for Global/Intl"
TOKEN_PLAN_METADATA_KEY = "token-plan"
TOKEN_PLAN_REGIONS: Mapping[str, str] = {
    "china": TOKEN_PLAN_CHINA_BASE_URL,
    "intl": TOKEN_PLAN_INTL_BASE_URL,
}

#: Token Plan default models (the list moves faster than the CLI releases; ids only matter for
#: suggestions, never for diagnostics).
TOKEN_PLAN_SPECS: tuple[dict[str, Any], ...] = (
    _spec("qwen3.6-plus", 1000000, thinking=True, modalities=_IMG_VIDEO),
    _spec("qwen3.7-max", 1000000, thinking=True),
    _spec("qwen3.6-flash", 1000000, thinking=True, modalities=_IMG_VIDEO),
    _spec("deepseek-v4-pro", 1000000),
    _spec("deepseek-v4-flash", 1000000),
    _spec("deepseek-v3.2", 131072),
    _spec("kimi-k2.6", 262144, thinking=True, modalities=_IMG_VIDEO),
    _spec("kimi-k2.5", 262144, thinking=True, modalities=_IMG_VIDEO),
    _spec("glm-5.1", 202752, thinking=True),
    _spec("glm-5", 202752, thinking=True),
    _spec("MiniMax-M2.5", 196608),
)

# --------------------------------------------------------------------------------------------
# Preset table
# --------------------------------------------------------------------------------------------

#: Headers the OpenRouter preset adds to ``generationConfig.customHeaders``. The header names are
#: the CLI's; the values are our best reading (not verified against 0.24.4).
OPENROUTER_HEADERS: Mapping[str, str] = {
    "HTTP-Referer": "https://github.com/QwenLM/qwen-code",
    "X-OpenRouter-Title": "Qwen Code",
}


@dataclass(frozen=True)
class Preset:
    """One provider preset of ``/auth``.

    Attributes
    ----------
    id
        The preset id (also the ``providerMetadata`` key for the plans).
    label
        Human label as the CLI shows it.
    protocol
        The ``modelProviders`` key the models are written under.
    env_key
        Env var that holds the API key.
    base_urls
        ``(url, region_label)`` pairs, first is the default.
    name_prefix
        Display-name prefix: models are named ``[<prefix>] <id>``; empty for none.
    default_models
        Model ids the preset offers by default, in order.
    name_prefixes
        Per-URL prefix overrides (Coding Plan and Token Plan international regions).
    specs
        The preset's ``ModelSpec`` dicts, used by :func:`build_models`.
    custom_headers
        Headers added to every model's ``generationConfig.customHeaders``.
    key_prefix
        Required API key prefix, or ``None`` when there is no rule.
    """

    id: str
    label: str
    protocol: str
    env_key: str
    base_urls: tuple[tuple[str, str], ...]
    name_prefix: str
    default_models: tuple[str, ...]
    name_prefixes: tuple[tuple[str, str], ...] = ()
    specs: tuple[dict[str, Any], ...] = field(default=(), repr=False, compare=False)
    custom_headers: tuple[tuple[str, str], ...] = ()
    key_prefix: str | None = None

    def prefix_for(self, base_url: str) -> str:
        """Return the display-name prefix the CLI uses for ``base_url``."""
        for url, prefix in self.name_prefixes:
            if url == base_url:
                return prefix
        return self.name_prefix

    @property
    def all_name_prefixes(self) -> tuple[str, ...]:
        """Every prefix this preset may have written (default first)."""
        return tuple(dict.fromkeys([self.name_prefix, *(p for _, p in self.name_prefixes)]))


def _simple(ids_ctx: tuple[tuple[str, int], ...]) -> tuple[dict[str, Any], ...]:
    return tuple(_spec(i, c) for i, c in ids_ctx)


def _preset(**kwargs: Any) -> Preset:
    specs = kwargs.get("specs", ())
    kwargs.setdefault("default_models", tuple(s["id"] for s in specs))
    return Preset(**kwargs)


CODING_PLAN = _preset(
    id="coding-plan",
    label="Coding Plan",
    protocol="openai",
    env_key=CODING_PLAN_ENV_KEY,
    base_urls=(
        (CODING_PLAN_CHINA_BASE_URL, "China (Beijing)"),
        (CODING_PLAN_INTL_BASE_URL, "Singapore (International)"),
    ),
    name_prefix=CODING_PLAN_NAME_PREFIX,
    name_prefixes=((CODING_PLAN_INTL_BASE_URL, CODING_PLAN_INTL_NAME_PREFIX),),
    specs=CODING_PLAN_SPECS,
    key_prefix=CODING_PLAN_KEY_PREFIX,
)

TOKEN_PLAN = _preset(
    id="token-plan",
    label="Token Plan",
    protocol="openai",
    env_key=TOKEN_PLAN_ENV_KEY,
    base_urls=(
        (TOKEN_PLAN_CHINA_BASE_URL, "China (Beijing)"),
        (TOKEN_PLAN_INTL_BASE_URL, "Singapore (International)"),
    ),
    name_prefix=TOKEN_PLAN_NAME_PREFIX,
    name_prefixes=((TOKEN_PLAN_INTL_BASE_URL, TOKEN_PLAN_INTL_NAME_PREFIX),),
    specs=TOKEN_PLAN_SPECS,
)

ALIBABA_STANDARD = _preset(
    id="alibabaStandard",
    label="Standard API Key",
    protocol="openai",
    env_key="DASHSCOPE_API_KEY",
    base_urls=(
        ("https://dashscope.aliyuncs.com/compatible-mode/v1", "China (Beijing)"),
        ("https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "Singapore"),
        ("https://dashscope-us.aliyuncs.com/compatible-mode/v1", "US (Virginia)"),
        ("https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1", "China (Hong Kong)"),
    ),
    name_prefix="ModelStudio Standard",
    specs=(
        _spec("qwen3.6-plus", 1000000, thinking=True, reasoning=True),
        _spec("qwen3.7-plus", 1000000, thinking=True, reasoning=True),
        _spec("qwen3.7-max", 1000000, thinking=True, reasoning=True),
        _spec("glm-5.1", 202752, thinking=True),
    ),
)

DEEPSEEK = _preset(
    id="deepseek",
    label="DeepSeek API Key",
    protocol="openai",
    env_key="DEEPSEEK_API_KEY",
    base_urls=(("https://api.deepseek.com", ""),),
    name_prefix="DeepSeek",
    specs=(
        _spec("deepseek-v4-pro", 1000000, thinking=True, modalities=_IMG_VIDEO),
        _spec("deepseek-v4-flash", 1000000),
    ),
)

GROK = _preset(
    id="grok",
    label="Grok (xAI) API Key",
    protocol="openai",
    env_key="XAI_API_KEY",
    base_urls=(("https://api.x.ai/v1", ""),),
    name_prefix="Grok",
    specs=_simple((("grok-4.3", 1000000), ("grok-build-0.1", 262144))),
)

MINIMAX = _preset(
    id="minimax",
    label="MiniMax API Key",
    protocol="openai",
    env_key="MINIMAX_API_KEY",
    base_urls=(
        ("https://api.minimax.io/v1", "Global"),
        ("https://api.minimaxi.com/v1", "China"),
    ),
    name_prefix="MiniMax",
    specs=_simple((("MiniMax-M2.7", 204800), ("MiniMax-M2.5", 196608))),
)

ZAI = _preset(
    id="zai",
    label="Z.AI API Key",
    protocol="openai",
    env_key="ZAI_API_KEY",
    base_urls=(
        ("https://api.z.ai/api/paas/v4", "Standard API Key"),
        ("https://api.z.ai/api/coding/paas/v4", "Coding Plan"),
    ),
    name_prefix="Z.AI",
    specs=(
        _spec("GLM-5.1", 204800, thinking=True),
        _spec("GLM-5", 204800),
        _spec("GLM-5-Turbo", 204800),
    ),
)

MOONSHOT = _preset(
    id="moonshot",
    label="Kimi (Moonshot AI) API Key",
    protocol="openai",
    env_key="MOONSHOT_API_KEY",
    base_urls=(
        ("https://api.moonshot.ai/v1", "International"),
        ("https://api.moonshot.cn/v1", "China"),
    ),
    name_prefix="Kimi",
    specs=(_spec("kimi-k2.6", 262144, modalities=_IMG_VIDEO),),
)

IDEALAB = _preset(
    id="idealab",
    label="Idealab API Key",
    protocol="openai",
    env_key="IDEALAB_API_KEY",
    base_urls=(("https://idealab.alibaba-inc.com/api/openai/v1", ""),),
    name_prefix="Idealab",
    specs=(
        _spec("Qwen3.6-Plus-DogFooding", 1000000, thinking=True, modalities=_IMG_VIDEO),
        _spec("bailian/kimi-k2.6", 262144, thinking=True, modalities=_IMG_VIDEO),
    ),
)

MODELSCOPE = _preset(
    id="modelscope",
    label="ModelScope API Key",
    protocol="openai",
    env_key="MODELSCOPE_API_KEY",
    base_urls=(("https://api-inference.modelscope.cn/v1", ""),),
    name_prefix="ModelScope",
    specs=(
        _spec("deepseek-ai/DeepSeek-V4-Flash", 1000000, thinking=True),
        _spec("Qwen/Qwen3.5-397B-A17B", 1000000, thinking=True),
        _spec("ZhipuAI/GLM-5.1", 1000000, thinking=True),
    ),
)

OPENROUTER = _preset(
    id="openrouter",
    label="OpenRouter",
    protocol="openai",
    env_key="OPENROUTER_API_KEY",
    base_urls=(("https://openrouter.ai/api/v1", ""),),
    name_prefix="OpenRouter",
    specs=_simple((("z-ai/glm-4.5-air:free", 128000), ("openai/gpt-oss-120b:free", 131072))),
    custom_headers=tuple(OPENROUTER_HEADERS.items()),
)

REQUESTY = _preset(
    id="requesty",
    label="Requesty",
    protocol="openai",
    env_key="REQUESTY_API_KEY",
    base_urls=(("https://router.requesty.ai/v1", ""),),
    name_prefix="Requesty",
    specs=_simple((("openai/gpt-4o-mini", 128000), ("openai/gpt-4o", 128000))),
)

#: Every preset, in the order ``/auth`` lists them.
PRESETS: tuple[Preset, ...] = (
    CODING_PLAN,
    TOKEN_PLAN,
    ALIBABA_STANDARD,
    DEEPSEEK,
    GROK,
    MINIMAX,
    ZAI,
    MOONSHOT,
    IDEALAB,
    MODELSCOPE,
    OPENROUTER,
    REQUESTY,
)
PRESETS_BY_ID: Mapping[str, Preset] = {p.id: p for p in PRESETS}

#: Env var names that belong to a preset (env key → preset).
PRESET_ENV_KEYS: Mapping[str, Preset] = {p.env_key: p for p in PRESETS}

# --------------------------------------------------------------------------------------------
# URL normalisation and lookup
# --------------------------------------------------------------------------------------------


def normalize_url(url: str) -> str:
    """Normalise a base URL for comparison.

    Strips whitespace and trailing slashes and lowercases the scheme and host (paths stay
    case-sensitive, as servers treat them).

    Parameters
    ----------
    url
        A base URL as written in settings.

    Returns
    -------
    str
        The comparable form; the input stripped when it is not a URL.
    """
    text = url.strip().rstrip("/")
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    if not parts.scheme or not parts.netloc:
        return text
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, parts.fragment)
    ).rstrip("/")


_PRESET_BY_URL: dict[str, tuple[Preset, str]] = {
    normalize_url(url): (preset, region) for preset in PRESETS for url, region in preset.base_urls
}


def preset_for_base_url(url: str) -> tuple[Preset, str] | None:
    """Find the preset that owns a base URL.

    Parameters
    ----------
    url
        A base URL (trailing slash and host case are ignored).

    Returns
    -------
    tuple[Preset, str] | None
        The preset and the region label of that URL (``""`` for single-URL presets), or ``None``.
    """
    if not isinstance(url, str):
        return None
    return _PRESET_BY_URL.get(normalize_url(url))


#: Known endpoints for completion and hover: URL → (service, region).
KNOWN_ENDPOINTS: Mapping[str, tuple[str, str]] = {
    **{
        url: (preset.label if preset.id != "alibabaStandard" else "ModelStudio Standard", region)
        for preset in PRESETS
        for url, region in preset.base_urls
    },
    CODING_PLAN_CHINA_BASE_URL: ("Alibaba Cloud Coding Plan", "China (Beijing)"),
    CODING_PLAN_INTL_BASE_URL: ("Alibaba Cloud Coding Plan", "Singapore (International)"),
    TOKEN_PLAN_CHINA_BASE_URL: ("Alibaba Cloud Token Plan", "China (Beijing)"),
    TOKEN_PLAN_INTL_BASE_URL: ("Alibaba Cloud Token Plan", "Singapore (International)"),
    "https://api.openai.com/v1": ("OpenAI", ""),
    "https://api.anthropic.com": ("Anthropic", ""),
    "https://api.anthropic.com/v1": ("Anthropic", ""),
    "https://generativelanguage.googleapis.com": ("Google Gemini", ""),
}
_ENDPOINT_BY_NORM = {normalize_url(u): v for u, v in KNOWN_ENDPOINTS.items()}


def endpoint_info(url: str) -> tuple[str, str] | None:
    """Return ``(service, region)`` for a known endpoint URL, or ``None``."""
    if not isinstance(url, str):
        return None
    return _ENDPOINT_BY_NORM.get(normalize_url(url))


# --------------------------------------------------------------------------------------------
# Building the ModelConfig entries the CLI writes
# --------------------------------------------------------------------------------------------


def _generation_config(spec: Mapping[str, Any]) -> dict[str, Any] | None:
    """Mirror ``buildGenerationConfig``, keeping its key order."""
    gen: dict[str, Any] = {}
    if spec.get("enableThinking"):
        gen["extra_body"] = {"enable_thinking": True}
    if spec.get("thinkingMandatory"):
        gen["thinkingMandatory"] = True
    if spec.get("contextWindowSize"):
        gen["contextWindowSize"] = spec["contextWindowSize"]
    modalities = spec.get("modalities")
    if modalities and any(modalities.values()):
        gen["modalities"] = dict(modalities)
    return gen or None


def spec_to_model_config(
    spec: Mapping[str, Any], prefix: str, base_url: str, env_key: str
) -> dict[str, Any]:
    """Turn one ``ModelSpec`` into the ``ModelConfig`` dict the CLI writes (0.24.4 key order).

    Parameters
    ----------
    spec
        A model spec (``id``, ``contextWindowSize``, ``enableThinking``, ``capabilities`` ...).
    prefix
        Display-name prefix; empty gives ``name == id``.
    base_url, env_key
        Written as ``baseUrl`` and ``envKey``.

    Returns
    -------
    dict
        ``{id, name, description?, capabilities?, baseUrl, envKey, generationConfig?}``.
    """
    model_id = spec["id"]
    entry: dict[str, Any] = {
        "id": model_id,
        "name": f"[{prefix}] {model_id}" if prefix else model_id,
    }
    if spec.get("description"):
        entry["description"] = spec["description"]
    if spec.get("capabilities"):
        entry["capabilities"] = json.loads(json.dumps(spec["capabilities"]))
    entry["baseUrl"] = base_url
    entry["envKey"] = env_key
    gen = _generation_config(spec)
    if gen:
        entry["generationConfig"] = gen
    return entry


def build_models(
    preset: Preset, base_url: str, model_ids: list[str] | None = None
) -> list[dict[str, Any]]:
    """Build the ``modelProviders.<protocol>`` entries a preset install writes.

    Parameters
    ----------
    preset
        The preset.
    base_url
        One of the preset's URLs (or a custom one).
    model_ids
        Ids to install; ``None`` for the preset's defaults. Unknown ids get a bare entry.

    Returns
    -------
    list[dict]
        ModelConfig dicts, with the preset's custom headers merged in.
    """
    prefix = preset.prefix_for(base_url)
    by_id = {s["id"]: s for s in preset.specs}
    ids = list(preset.default_models) if model_ids is None else model_ids
    models = [
        spec_to_model_config(by_id.get(i, {"id": i}), prefix, base_url, preset.env_key) for i in ids
    ]
    if preset.custom_headers:
        for model in models:
            gen = model.setdefault("generationConfig", {})
            gen["customHeaders"] = {**dict(preset.custom_headers), **gen.get("customHeaders", {})}
    return models


def _region_url(regions: Mapping[str, str], region: str) -> str:
    key = _REGION_ALIASES.get(region, region)
    try:
        return regions[key]
    except KeyError:
        raise ValueError(f"unknown region {region!r}; expected one of {sorted(regions)}") from None


def coding_plan_base_url(region: str) -> str:
    """Return the Coding Plan base URL of ``region`` (``china``, ``intl``; ``global`` = intl)."""
    return _region_url(CODING_PLAN_REGIONS, region)


def coding_plan_models(region: str) -> list[dict[str, Any]]:
    """Return the ten ModelConfig dicts ``/auth`` writes for Coding Plan in ``region``.

    Parameters
    ----------
    region
        ``"china"`` or ``"intl"`` (``"global"`` accepted).

    Returns
    -------
    list[dict]
        Fresh dicts in template order, ready for ``modelProviders.openai``.

    Raises
    ------
    ValueError
        For an unknown region.
    """
    base_url = coding_plan_base_url(region)
    return [
        spec_to_model_config(s, CODING_PLAN.prefix_for(base_url), base_url, CODING_PLAN_ENV_KEY)
        for s in CODING_PLAN_SPECS
    ]


def js_json_stringify(value: Any) -> str:
    """Serialise like JavaScript ``JSON.stringify(value)`` for JSON-safe data.

    Compact separators, insertion order, non-ASCII kept as is. Integral floats are written
    without ``.0`` as JavaScript does.
    """

    def fix(v: Any) -> Any:
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
            return int(v)
        if isinstance(v, Mapping):
            return {k: fix(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [fix(x) for x in v]
        return v

    return json.dumps(fix(value), separators=(",", ":"), ensure_ascii=False)


def model_list_version(models: list[dict[str, Any]]) -> str:
    """Return ``computeModelListVersion``: sha256 hex of ``JSON.stringify(models)``."""
    return hashlib.sha256(js_json_stringify(models).encode("utf-8")).hexdigest()


def template_version(region: str) -> str:
    """Return the Coding Plan template version hash the CLI stores for ``region``.

    Parameters
    ----------
    region
        ``"china"`` or ``"intl"``.

    Returns
    -------
    str
        64 hex characters, compared with ``providerMetadata["coding-plan"].version``.
    """
    return model_list_version(coding_plan_models(region))


def token_plan_base_url(region: str) -> str:
    """Return the Token Plan base URL of ``region`` (``china`` or ``intl``)."""
    return _region_url(TOKEN_PLAN_REGIONS, region)


def is_coding_plan_owned(entry: Any) -> bool:
    """Tell whether a ``modelProviders`` entry belongs to Coding Plan (``ownsModel``).

    The CLI's rule: ``envKey`` is ``BAILIAN_CODING_PLAN_API_KEY`` and ``baseUrl`` is exactly one
    of the two Coding Plan URLs. Reinstall and update replace these entries.
    """
    return (
        isinstance(entry, Mapping)
        and entry.get("envKey") == CODING_PLAN_ENV_KEY
        and entry.get("baseUrl") in (CODING_PLAN_CHINA_BASE_URL, CODING_PLAN_INTL_BASE_URL)
    )


def owns_model(preset: Preset, entry: Any) -> bool:
    """Tell whether ``entry`` was written by ``preset`` (the CLI's ``resolveOwnsModel``).

    Coding Plan uses :func:`is_coding_plan_owned`; OpenRouter and Requesty need their env key
    and host; the others need their env key and a name starting with ``[<prefix>] ``.
    """
    if not isinstance(entry, Mapping) or entry.get("envKey") != preset.env_key:
        return False
    if preset is CODING_PLAN:
        return is_coding_plan_owned(entry)
    if preset.id in ("openrouter", "requesty"):
        try:
            host = urlsplit(str(entry.get("baseUrl") or "")).hostname or ""
        except ValueError:  # an unclosed IPv6 bracket
            host = ""
        domain = "openrouter.ai" if preset.id == "openrouter" else "requesty.ai"
        return host == domain or host.endswith("." + domain) or host == "router." + domain
    name = entry.get("name")
    if not preset.name_prefix:
        return True
    return isinstance(name, str) and any(
        name.startswith(f"[{p}] ") for p in preset.all_name_prefixes
    )


# --------------------------------------------------------------------------------------------
# Custom provider
# --------------------------------------------------------------------------------------------

CUSTOM_API_KEY_ENV_PREFIX = "QWEN_CUSTOM_API_KEY_"
CUSTOM_PROTOCOLS = ("openai", "anthropic", "gemini")


def _env_segment(value: str) -> str:
    out: list[str] = []
    for ch in value.strip().upper():
        if ("A" <= ch <= "Z") or ("0" <= ch <= "9"):
            out.append(ch)
        elif not out or out[-1] != "_":
            out.append("_")
    return "".join(out).strip("_")


def custom_env_key(protocol: str, base_url: str) -> str:
    r"""Return the env var name the Custom Provider flow generates for its key.

    ``QWEN_CUSTOM_API_KEY_<PROTOCOL>_<URL>_<HASH>``, following ``generateCustomEnvKey``: each
    readable segment is trimmed, upper-cased, every run of characters outside ``A-Z0-9``
    becomes one ``_`` and leading/trailing ``_`` are stripped; ``HASH`` is the first 12 hex
    characters (upper case) of ``sha256(protocol + "\0" + base_url.strip().rstrip("/"))``.

    Parameters
    ----------
    protocol
        ``openai``, ``anthropic`` or ``gemini``.
    base_url
        The base URL as entered.

    Returns
    -------
    str
        For example ``QWEN_CUSTOM_API_KEY_OPENAI_HTTP_LOCALHOST_8000_V1_1A2B3C4D5E6F``.
    """
    canonical = base_url.strip().rstrip("/")
    suffix = hashlib.sha256(f"{protocol}\0{canonical}".encode()).hexdigest()[:12].upper()
    return f"{CUSTOM_API_KEY_ENV_PREFIX}{_env_segment(protocol)}_{_env_segment(base_url)}_{suffix}"


def is_custom_env_key(name: Any) -> bool:
    """Tell whether ``name`` looks like a key generated by :func:`custom_env_key`."""
    return isinstance(name, str) and name.startswith(CUSTOM_API_KEY_ENV_PREFIX)
