"""The pydantic settings models: strictness, aliases and agreement with ``known.py``."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from qwen_ls.settings import known
from qwen_ls.settings.models import GenerationConfig, ModelConfig, Settings


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


def test_fields_agree_with_known():
    assert set(GenerationConfig.model_fields) == set(known.GENERATION_CONFIG_FIELDS)
    aliases = {f.alias or name for name, f in ModelConfig.model_fields.items()}
    assert aliases == set(known.MODEL_CONFIG_FIELDS)
    top = {f.alias or name for name, f in Settings.model_fields.items()}
    assert top == set(known.TOP_LEVEL_KEYS) | {"$version", "providerMetadata", "codingPlan",
                                              "tokenPlan"}
