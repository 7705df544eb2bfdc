"""QLS504-QLS506: a provider entry's key variable and its endpoint do not belong together."""

from __future__ import annotations

from functools import lru_cache

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.rules.base_url import base_urls
from qwen_ls.analysis.rules.examples import FAKE_KEY
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import set_fix
from qwen_ls.secrets import mask
from qwen_ls.settings import presets

CODING_PLAN_MISMATCH = Rule(
    "QLS504",
    "coding-plan-mismatch",
    "warning",
    "Coding Plan's key (BAILIAN_CODING_PLAN_API_KEY) with a URL that is not a Coding Plan "
    "endpoint, or a Coding Plan endpoint with another key: requests fail with 401.",
    '{\n  "modelProviders": {"openai": [{"id": "qwen3-coder-plus", "envKey": "BAILIAN_CODING_PLAN_API_KEY",\n'
    '    "baseUrl": "https://dashscope.aliyuncs.com/compatible-mode/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "qwen3-coder-plus", "envKey": "BAILIAN_CODING_PLAN_API_KEY",\n'
    '    "baseUrl": "https://coding.dashscope.aliyuncs.com/v1"}]}\n}\n',
    env={"BAILIAN_CODING_PLAN_API_KEY": "sk-sp-test-00000000abcd"},
)
CODING_PLAN_KEY_FORMAT = Rule(
    "QLS505",
    "coding-plan-key-format",
    "warning",
    "The key that reaches a Coding Plan endpoint does not start with sk-sp- (Coding Plan keys "
    "do; a Token Plan or standard DashScope key gets a 401 there).",
    '{\n  "modelProviders": {"openai": [{"id": "qwen3-coder-plus", "envKey": "BAILIAN_CODING_PLAN_API_KEY",\n'
    '    "baseUrl": "https://coding.dashscope.aliyuncs.com/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "qwen3-coder-plus", "envKey": "BAILIAN_CODING_PLAN_API_KEY",\n'
    '    "baseUrl": "https://coding.dashscope.aliyuncs.com/v1"}]}\n}\n',
    env={"BAILIAN_CODING_PLAN_API_KEY": "sk-test-0000000000abcd"},
    good_env={"BAILIAN_CODING_PLAN_API_KEY": "sk-sp-test-000000abcd"},
)
PRESET_KEY_MISMATCH = Rule(
    "QLS506",
    "preset-key-mismatch",
    "information",
    "A well-known endpoint used with another provider's key variable (e.g. the OpenRouter URL "
    "with DEEPSEEK_API_KEY); usually a copy-paste slip.",
    '{\n  "modelProviders": {"openai": [{"id": "deepseek-chat", "envKey": "DEEPSEEK_API_KEY",\n'
    '    "baseUrl": "https://openrouter.ai/api/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "deepseek-chat", "envKey": "DEEPSEEK_API_KEY",\n'
    '    "baseUrl": "https://api.deepseek.com"}]}\n}\n',
    env={"DEEPSEEK_API_KEY": FAKE_KEY},
)

RULES = (CODING_PLAN_MISMATCH, CODING_PLAN_KEY_FORMAT, PRESET_KEY_MISMATCH)


@lru_cache(maxsize=4096)
def _classify(url: str) -> tuple[str, object]:
    """``(normalised url, preset match)`` for a baseUrl; cached because entries repeat URLs."""
    return presets.normalize_url(url), presets.preset_for_base_url(url)


def _coding_urls() -> set[str]:
    return {presets.normalize_url(u) for u in presets.CODING_PLAN_REGIONS.values()}


def _keyed(run: Run) -> list[tuple[tuple, str, str | None, str, object]]:
    """``(entry path, url, envKey or None, normalised url, preset match)`` of entries with a URL."""
    return run.once("keyed-urls", lambda: [
        (path[:-1], url, entry.get("envKey") if isinstance(entry.get("envKey"), str) else None,
         *_classify(url))
        for entry, path, url in base_urls(run)
    ])


def check_mismatch(run: Run) -> None:
    """QLS504: Coding Plan's key with another endpoint, or the Coding Plan endpoint with another."""
    coding_urls = _coding_urls()
    token_urls = {presets.normalize_url(u) for u in presets.TOKEN_PLAN_REGIONS.values()}
    key = presets.CODING_PLAN_ENV_KEY
    for epath, url, env_key, norm, _found in _keyed(run):
        if env_key == key and norm not in coding_urls:
            region = "intl" if "intl" in url or "ap-southeast" in url else "china"
            target = presets.CODING_PLAN_REGIONS[region]
            what = "a Token Plan endpoint" if norm in token_urls else "not a Coding Plan endpoint"
            CODING_PLAN_MISMATCH.report(
                run,
                f"{env_key} is a Coding Plan key, but {url} is {what}: "
                f"requests will fail with 401. Coding Plan uses {target} "
                "(China) or the -intl host (International).",
                run.span((*epath, "baseUrl")),
                fixes=[set_fix(f"Use the Coding Plan URL ({r})", [*epath, "baseUrl"], u,
                               preferred=r == region)
                       for r, u in presets.CODING_PLAN_REGIONS.items()],
            )
        elif norm in coding_urls and env_key and env_key != key:
            token = " (a Token Plan key: use the Token Plan URL)"
            CODING_PLAN_MISMATCH.report(
                run,
                f"{url} is a Coding Plan endpoint, but the key comes from {env_key}"
                + (token if env_key == presets.TOKEN_PLAN_ENV_KEY else "")
                + f". Coding Plan keys live in {key}.",
                run.span((*epath, "envKey")),
                fixes=[set_fix(f"Use envKey {key}", [*epath, "envKey"], key)],
            )


def check_key_format(run: Run) -> None:
    """QLS505: the key that reaches a Coding Plan endpoint does not start with sk-sp-."""
    coding_urls = _coding_urls()
    for epath, _url, env_key, norm, _found in _keyed(run):
        if norm not in coding_urls or not env_key:
            continue
        source = run.env.lookup(env_key)
        if (source is not None and source.value
                and not source.value.startswith(presets.CODING_PLAN_KEY_PREFIX)):
            CODING_PLAN_KEY_FORMAT.report(
                run,
                f"The key in {env_key} ({mask(source.value)}, from "
                f"{source.label}) does not start with sk-sp-: Coding Plan keys do. "
                "A Token Plan or standard DashScope key gets 401 here.",
                run.span((*epath, "envKey")),
            )


def check_preset_key(run: Run) -> None:
    """QLS506: a well-known endpoint with another provider's key variable."""
    plans = ("coding-plan", "token-plan")
    for epath, url, env_key, _norm, found in _keyed(run):
        if not found or not env_key:
            continue
        preset = found[0]
        other = presets.PRESET_ENV_KEYS.get(env_key)
        if (other is None or other.id == preset.id or preset.env_key == env_key
                or preset.id in plans or other.id in plans):
            continue
        PRESET_KEY_MISMATCH.report(
            run,
            f"{url} is {preset.label}, whose key is usually "
            f"{preset.env_key}, but this entry reads {env_key} ({other.label}).",
            run.span((*epath, "envKey")),
            fixes=[set_fix(f"Use envKey {preset.env_key}", [*epath, "envKey"], preset.env_key)],
        )


CHECKS = (check_mismatch, check_key_format, check_preset_key)
