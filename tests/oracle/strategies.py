"""Hypothesis strategies for whole Qwen Code worlds: scopes, providers, selections, env files.

Values come from small pools on purpose, so that ids, env keys and URLs collide across scopes,
providers and env sources often enough to exercise the CLI's precedence rules.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st
from oracle import Case

PROTOCOL_KEYS = ["openai", "anthropic", "gemini", "vertex-ai", "openai-responses",
                 "qwen-oauth", "myprov"]
AUTH_TYPES = [None, "openai", "anthropic", "gemini", "vertex-ai", "qwen-oauth",
              "openai-responses", "openai-compatible"]
MODEL_IDS = ["m1", "m2", "qwen3-coder-plus"]
ENV_KEYS = [None, "MY_KEY", "OTHER_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
            "GEMINI_API_KEY", "GOOGLE_API_KEY"]
URLS = [None, "http://127.0.0.1:9/v1", "https://api.example.test/v1"]
KEY_VALUES = ["sk-test-aaaa1111", "sk-test-bbbb2222", "sk-sp-fake3333", " ", ""]
ENV_NAMES = ["MY_KEY", "OTHER_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL",
             "QWEN_MODEL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL",
             "GEMINI_API_KEY", "GEMINI_MODEL", "GOOGLE_API_KEY", "GOOGLE_MODEL",
             "GOOGLE_CLOUD_PROJECT", "QWEN_OAUTH"]


_CACHE: dict[tuple, st.SearchStrategy] = {}


def pick(values: list) -> st.SearchStrategy:
    """``st.sampled_from``, built once per pool (building strategies dominates drawing)."""
    key = tuple(values)
    if key not in _CACHE:
        _CACHE[key] = st.sampled_from(values)
    return _CACHE[key]


def _env_value(name: str) -> st.SearchStrategy[str]:
    if name.endswith("_BASE_URL"):
        return pick(["http://127.0.0.1:9/v1", "https://api.example.test/v1", ""])
    if name.endswith("_MODEL"):
        return pick(MODEL_IDS + ["nope"])
    if name in ("GOOGLE_CLOUD_PROJECT", "QWEN_OAUTH"):
        return pick(["1", "proj", " "])
    return pick(KEY_VALUES)


_NAMES = {n: st.lists(st.sampled_from(ENV_NAMES), max_size=n, unique=True) for n in range(5)}
_BOOL = st.booleans()
_INTS = {n: st.integers(0, n) for n in (2, 3, 4, 5, 6, 9, 14)}


@st.composite
def env_vars(draw, max_size: int = 4) -> dict[str, str]:
    """A set of environment variables from the pool."""
    names = draw(_NAMES[max_size])
    return {n: draw(_env_value(n)) for n in names}


@st.composite
def provider_entry(draw) -> dict:
    """One ``modelProviders`` entry."""
    entry: dict = {"id": draw(pick(MODEL_IDS))}
    if (key := draw(pick(ENV_KEYS))) is not None:
        entry["envKey"] = key
    if (url := draw(pick(URLS))) is not None:
        entry["baseUrl"] = url
    wire = draw(pick([None, None, None, "responses", "chat-completions", "bogus"]))
    if wire is not None:
        entry["wireApi"] = wire
    if draw(_INTS[9]) == 0:
        entry["generationConfig"] = {"timeout": 5000}
    flag = draw(pick([None] * 12 + ["imageOnly", "realtimeOnly", "voiceOnly"]))
    if flag:
        entry[flag] = True
    return entry


_PROVIDER_KEYS = st.lists(st.sampled_from(PROTOCOL_KEYS), min_size=1, max_size=3, unique=True)
_ENTRIES = st.lists(provider_entry(), max_size=3)


@st.composite
def settings_file(draw) -> dict:
    """One scope's settings object."""
    out: dict = {}
    version = draw(pick(["absent", 4, 4, 4, 3, 2, 5, "4"]))
    if version != "absent":
        out["$version"] = version
    if draw(_BOOL):
        keys = draw(_PROVIDER_KEYS)
        out["modelProviders"] = {k: draw(_ENTRIES) for k in keys}
        if "myprov" in keys and draw(_BOOL):
            out["providerProtocol"] = {"myprov": draw(pick(["openai", "anthropic",
                                                                       "bogus"]))}
    auth: dict = {}
    selected = draw(pick(AUTH_TYPES))
    if selected is not None:
        auth["selectedType"] = selected
    if draw(_INTS[14]) == 0:
        auth["enforcedType"] = draw(pick(["openai", "anthropic"]))
    if draw(_INTS[9]) == 0:
        auth["apiKey"] = draw(pick(KEY_VALUES[:3]))
    if draw(_INTS[14]) == 0:
        auth["baseUrl"] = "http://127.0.0.1:9/v1"
    if auth:
        out["security"] = {"auth": auth}
    model: dict = {}
    name = draw(pick([None, None, "m1", "m2", "nope", "qwen3-coder-plus",
                                 "$runtime|openai|m1"]))
    if name is not None:
        model["name"] = name
    if draw(_INTS[5]) == 0:
        model["baseUrl"] = draw(pick(["", "http://127.0.0.1:9/v1",
                                                 "https://stale.example.test/v1"]))
    if draw(_INTS[6]) == 0:
        model["generationConfig"] = {"timeout": 1000, "contextWindowSize": 1000}
    if model:
        out["model"] = model
    if draw(_INTS[3]) == 0:
        out["env"] = draw(_ENV3)
    legacy = draw(pick([None] * 10 + ["selectedAuthType", "model"]))
    if legacy == "selectedAuthType":
        out["selectedAuthType"] = draw(pick(["openai", "anthropic"]))
    elif legacy == "model" and "model" not in out:
        out["model"] = draw(pick(MODEL_IDS))
    return out


_ENV3 = env_vars(max_size=3)
_ENV4 = env_vars()
_SETTINGS = settings_file()


def _dotenv(values: dict[str, str]) -> str:
    return "".join(f"{k}={v}\n" for k, v in values.items())


@st.composite
def worlds(draw) -> Case:
    """A whole world: user and workspace settings, ``.env`` files at every level, shell."""
    files: dict[str, str] = {}
    if draw(_INTS[4]) > 0:
        files["user"] = json.dumps(draw(_SETTINGS), indent=2)
    if draw(_BOOL):
        files["workspace"] = json.dumps(draw(_SETTINGS), indent=2)
    for where in ("qwen_home_env", "home_env", "project_qwen_env", "project_env"):
        if draw(_INTS[2]) == 0:
            files[where] = _dotenv(draw(_ENV4))
    shell = draw(_ENV4) if draw(_BOOL) else {}
    return Case(id="", files=files, shell=shell)
