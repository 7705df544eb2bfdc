"""The pydantic settings models: strictness, aliases and agreement with the CLI's key lists.

The lists below are the CLI's (0.24.4, facts §1.2, §1.3): the package derives them from the
model and never restates them, so here is where a model that drifts from the CLI fails.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from qwen_ls.settings.models import GenerationConfig, ModelConfig, Settings

#: ``MODEL_GENERATION_CONFIG_FIELDS``: every field the runtime reads from a ``generationConfig``
#: (both ``model.generationConfig`` and ``modelProviders.*[].generationConfig``).
GENERATION_CONFIG_FIELDS = (
    "samplingParams",
    "timeout",
    "streamIdleTimeoutMs",
    "maxRetries",
    "retryInitialDelayMs",
    "retryMaxDelayMs",
    "retryErrorCodes",
    "enableCacheControl",
    "enableRequestMetadata",
    "forceGlobalCacheScope",
    "cacheRetention",
    "cacheRetentionByBlock",
    "schemaCompliance",
    "reasoning",
    "contextWindowSize",
    "customHeaders",
    "extra_body",
    "thinkingMandatory",
    "modalities",
    "splitToolMedia",
    "toolResultContentFormat",
)

#: Fields of a ``modelProviders.*[]`` entry (``ModelConfig``).
MODEL_CONFIG_FIELDS = (
    "id",
    "name",
    "description",
    "envKey",
    "baseUrl",
    "wireApi",
    "generationConfig",
    "capabilities",
    "fastOnly",
    "voiceOnly",
    "visionOnly",
    "imageOnly",
    "realtimeOnly",
    "supportsImageGeneration",
)

#: Top-level keys of the 0.24.4 schema (facts §1.2), without ``$version``.
TOP_LEVEL_KEYS = tuple(
    """mcpServers channels serve modelProviders providerProtocol plansDirectory env proxy general
    review output dualOutput ui ide privacy telemetry outboundCorrelation fastModel advisorModel
    visionModel compactionModel imageModel visionBridgeTimeoutMs modelFallbacks voiceModel model
    modelPricing context memory slashCommands skills permissions tools policy mcp security
    advanced goals agents disableAllHooks stopHookBlockingCap hooks experimental artifact
    worktree omni""".split()
)


def test_settings_parse_by_json_keys():
    settings = Settings.model_validate(
        {
            "$version": 4,
            "modelProviders": {"openai": [{"id": "m"}], "custom": [{"id": "c"}]},
            "security": {"auth": {"selectedType": "anthropic"}},
        }
    )
    assert settings.version == 4
    assert settings.modelProviders.openai[0].id == "m"
    assert settings.modelProviders.model_extra == {"custom": [ModelConfig(id="c")]}
    assert settings.security.auth.selectedType == "anthropic"


def test_model_config_requires_id_and_forbids_unknown_keys():
    with pytest.raises(ValidationError):
        ModelConfig.model_validate({"name": "x"})
    with pytest.raises(ValidationError):
        ModelConfig.model_validate({"id": "x", "api": "responses"})


def test_generation_config_aliases():
    config = GenerationConfig.model_validate({"cacheRetentionByBlock": {"user.last": "1h"}})
    assert config.cacheRetentionByBlock.user_last == "1h"


def test_strict_mode():
    with pytest.raises(ValidationError):
        Settings.model_validate({"general": {"vimMode": 1}})
    with pytest.raises(ValidationError):
        Settings.model_validate({"ui": {"shellOutputMaxLines": "5"}})


def test_fields_agree_with_the_cli():
    assert set(GenerationConfig.model_fields) == set(GENERATION_CONFIG_FIELDS)
    assert len(GENERATION_CONFIG_FIELDS) == 21
    aliases = {f.alias or name for name, f in ModelConfig.model_fields.items()}
    assert aliases == set(MODEL_CONFIG_FIELDS)
    top = {f.alias or name for name, f in Settings.model_fields.items()}
    assert top == set(TOP_LEVEL_KEYS) | {"$version", "providerMetadata", "codingPlan",
                                         "tokenPlan"}
