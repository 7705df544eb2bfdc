"""Tests for qwen_ls.settings.presets."""

import hashlib
import json

import pytest

from qwen_ls.settings import presets as p

EXPECTED_IDS = [
    "qwen3.5-plus",
    "qwen3.6-plus",
    "qwen3.7-plus",
    "glm-5",
    "kimi-k2.5",
    "MiniMax-M2.5",
    "qwen3-coder-plus",
    "qwen3-coder-next",
    "qwen3-max-2026-01-23",
    "glm-4.7",
]


@pytest.mark.parametrize(
    ("region", "url", "prefix"),
    [
        ("china", "https://coding.dashscope.aliyuncs.com/v1", "[ModelStudio Coding Plan] "),
        (
            "intl",
            "https://coding-intl.dashscope.aliyuncs.com/v1",
            "[ModelStudio Coding Plan for Global/Intl] ",
        ),
        (
            "global",
            "https://coding-intl.dashscope.aliyuncs.com/v1",
            "[ModelStudio Coding Plan for Global/Intl] ",
        ),
    ],
)
def test_coding_plan_models_as_cli_writes(region, url, prefix):
    models = p.coding_plan_models(region)
    assert [m["id"] for m in models] == EXPECTED_IDS
    for m in models:
        assert m["envKey"] == "BAILIAN_CODING_PLAN_API_KEY"
        assert m["baseUrl"] == url
        assert m["name"] == prefix + m["id"]
        assert p.is_coding_plan_owned(m)
        assert list(m)[:2] == ["id", "name"]
        assert list(m)[-3:] == ["baseUrl", "envKey", "generationConfig"]


def test_coding_plan_thinking_and_capabilities():
    by_id = {m["id"]: m for m in p.coding_plan_models("china")}
    thinking = {
        "qwen3.5-plus",
        "qwen3.6-plus",
        "qwen3.7-plus",
        "glm-5",
        "kimi-k2.5",
        "MiniMax-M2.5",
        "qwen3-max-2026-01-23",
        "glm-4.7",
    }
    for model_id, m in by_id.items():
        gen = m["generationConfig"]
        if model_id in thinking:
            assert gen["extra_body"] == {"enable_thinking": True}
            has_caps = not (model_id.startswith("glm-") or model_id.startswith("MiniMax"))
            assert ("capabilities" in m) == has_caps
            if has_caps:
                assert m["capabilities"] == {
                    "reasoning": {
                        "thinking": True,
                        "toggleOnly": True,
                        "disableField": "enable_thinking",
                    }
                }
        else:
            assert "extra_body" not in gen and "capabilities" not in m
    assert by_id["qwen3.5-plus"]["generationConfig"]["contextWindowSize"] == 1000000
    assert by_id["glm-5"]["generationConfig"]["contextWindowSize"] == 202752
    assert by_id["MiniMax-M2.5"]["generationConfig"]["contextWindowSize"] == 196608
    assert by_id["kimi-k2.5"]["generationConfig"]["modalities"] == {"image": True, "video": True}
    assert "modalities" not in by_id["qwen3.7-plus"]["generationConfig"]
    assert by_id["qwen3.6-plus"]["description"] == "Currently available to Pro subscribers only."
    # key order of generationConfig follows buildGenerationConfig
    assert list(by_id["qwen3.5-plus"]["generationConfig"]) == [
        "extra_body",
        "contextWindowSize",
        "modalities",
    ]


def test_coding_plan_models_are_fresh_copies():
    a = p.coding_plan_models("china")
    a[0]["capabilities"]["reasoning"]["thinking"] = False
    assert p.coding_plan_models("china")[0]["capabilities"]["reasoning"]["thinking"] is True


def test_template_version_is_sha256_of_js_stringify():
    models = p.coding_plan_models("intl")
    compact = json.dumps(models, separators=(",", ":"), ensure_ascii=False)
    assert compact.startswith('[{"id":"qwen3.5-plus","name":"[ModelStudio Coding Plan for')
    assert p.template_version("intl") == hashlib.sha256(compact.encode()).hexdigest()
    assert p.template_version("china") != p.template_version("intl")
    assert len(p.template_version("china")) == 64


def test_js_json_stringify_matches_js_forms():
    assert p.js_json_stringify({"a": [1, 2.0, "é"], "b": None}) == '{"a":[1,2,"é"],"b":null}'


def test_unknown_region_raises():
    with pytest.raises(ValueError):
        p.coding_plan_models("mars")


@pytest.mark.parametrize(
    "entry",
    [
        {"id": "x", "envKey": "OPENAI_API_KEY", "baseUrl": p.CODING_PLAN_CHINA_BASE_URL},
        {"id": "x", "envKey": p.CODING_PLAN_ENV_KEY, "baseUrl": p.CODING_PLAN_CHINA_BASE_URL + "/"},
        {"id": "x", "envKey": p.CODING_PLAN_ENV_KEY, "baseUrl": p.TOKEN_PLAN_CHINA_BASE_URL},
        {"id": "x", "envKey": p.CODING_PLAN_ENV_KEY},
        "not a dict",
    ],
)
def test_not_coding_plan_owned(entry):
    assert not p.is_coding_plan_owned(entry)


def test_owns_model_other_presets():
    or_model = p.build_models(p.OPENROUTER, "https://openrouter.ai/api/v1")[0]
    assert or_model["generationConfig"]["customHeaders"].keys() == {
        "HTTP-Referer",
        "X-OpenRouter-Title",
    }
    assert p.owns_model(p.OPENROUTER, or_model)
    assert not p.owns_model(p.OPENROUTER, {**or_model, "baseUrl": "https://example.com/v1"})
    ds = p.build_models(p.DEEPSEEK, "https://api.deepseek.com")
    assert ds[0]["name"] == "[DeepSeek] deepseek-v4-pro" and p.owns_model(p.DEEPSEEK, ds[0])
    assert not p.owns_model(p.DEEPSEEK, {**ds[0], "name": "mine"})
    tp = p.build_models(p.TOKEN_PLAN, p.TOKEN_PLAN_INTL_BASE_URL, ["qwen3.6-plus", "custom-x"])
    assert tp[0]["name"] == "[ModelStudio Token Plan for Global/Intl] qwen3.6-plus"
    assert tp[1] == {
        "id": "custom-x",
        "name": "[ModelStudio Token Plan for Global/Intl] custom-x",
        "baseUrl": p.TOKEN_PLAN_INTL_BASE_URL,
        "envKey": "BAILIAN_TOKEN_PLAN_API_KEY",
    }
    assert p.owns_model(p.TOKEN_PLAN, tp[1])


@pytest.mark.parametrize(
    ("url", "preset_id", "region"),
    [
        ("https://coding.dashscope.aliyuncs.com/v1", "coding-plan", "China (Beijing)"),
        (
            "HTTPS://Coding-Intl.DashScope.aliyuncs.com/v1/",
            "coding-plan",
            "Singapore (International)",
        ),
        (
            "https://token-plan.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1",
            "token-plan",
            "Singapore (International)",
        ),
        ("  https://openrouter.ai/api/v1// ", "openrouter", ""),
        (
            "https://dashscope-us.aliyuncs.com/compatible-mode/v1",
            "alibabaStandard",
            "US (Virginia)",
        ),
        ("https://api.z.ai/api/coding/paas/v4", "zai", "Coding Plan"),
        ("https://api.moonshot.cn/v1", "moonshot", "China"),
        ("https://router.requesty.ai/v1", "requesty", ""),
        ("https://api-inference.modelscope.cn/v1", "modelscope", ""),
        ("https://idealab.alibaba-inc.com/api/openai/v1", "idealab", ""),
        ("https://api.x.ai/v1", "grok", ""),
        ("https://api.minimaxi.com/v1", "minimax", "China"),
        ("https://api.deepseek.com", "deepseek", ""),
    ],
)
def test_preset_for_base_url(url, preset_id, region):
    found = p.preset_for_base_url(url)
    assert found is not None
    assert (found[0].id, found[1]) == (preset_id, region)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.openai.com/v1",
        "openrouter.ai/api/v1",
        "",
        42,
        "https://coding.dashscope.aliyuncs.com/V1",
    ],
)
def test_preset_for_base_url_misses(url):
    assert p.preset_for_base_url(url) is None


def test_presets_table():
    ids = [x.id for x in p.PRESETS]
    assert ids == [
        "coding-plan",
        "token-plan",
        "alibabaStandard",
        "deepseek",
        "grok",
        "minimax",
        "zai",
        "moonshot",
        "idealab",
        "modelscope",
        "openrouter",
        "requesty",
    ]
    assert p.PRESET_ENV_KEYS["DASHSCOPE_API_KEY"].id == "alibabaStandard"
    assert p.CODING_PLAN.key_prefix == "sk-sp-" and p.TOKEN_PLAN.key_prefix is None
    for preset in p.PRESETS:
        assert preset.protocol == "openai" and preset.base_urls and preset.default_models


def test_known_endpoints():
    assert p.endpoint_info("https://api.openai.com/v1/") == ("OpenAI", "")
    assert p.endpoint_info("https://api.anthropic.com") == ("Anthropic", "")
    assert p.endpoint_info("https://generativelanguage.googleapis.com")[0] == "Google Gemini"
    assert p.endpoint_info(p.CODING_PLAN_INTL_BASE_URL) == (
        "Alibaba Cloud Coding Plan",
        "Singapore (International)",
    )
    assert p.endpoint_info("https://example.com") is None
    for preset in p.PRESETS:
        for url, _ in preset.base_urls:
            assert url in p.KNOWN_ENDPOINTS


def test_custom_env_key():
    key = p.custom_env_key("openai", "http://localhost:8000/v1")
    digest = hashlib.sha256(b"openai\0http://localhost:8000/v1").hexdigest()[:12].upper()
    assert key == f"QWEN_CUSTOM_API_KEY_OPENAI_HTTP_LOCALHOST_8000_V1_{digest}"
    # trailing slash and surrounding whitespace give the same bucket
    assert p.custom_env_key("openai", " http://localhost:8000/v1/ ") == key
    # different separators collapse in the readable part but not in the hash
    a = p.custom_env_key("openai", "https://api.example.com")
    b = p.custom_env_key("openai", "https://api-example.com")
    assert a.rsplit("_", 1)[0] == b.rsplit("_", 1)[0] and a != b
    assert p.custom_env_key("anthropic", "https://x.y").startswith("QWEN_CUSTOM_API_KEY_ANTHROPIC_")
    assert p.is_custom_env_key(key) and not p.is_custom_env_key("OPENAI_API_KEY")
