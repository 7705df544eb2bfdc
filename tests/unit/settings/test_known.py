"""Tests for qwen_ls.settings.known (CLI facts as data) and the CLI messages the rules quote."""

import pytest

from qwen_ls.settings import known


def test_auth_types_are_the_six_cli_values():
    assert set(known.AUTH_TYPES) == {
        "openai",
        "openai-responses",
        "qwen-oauth",
        "gemini",
        "vertex-ai",
        "anthropic",
    }


def test_default_env_keys_per_protocol():
    assert known.DEFAULT_ENV_KEYS["openai"] == "OPENAI_API_KEY"
    assert known.DEFAULT_ENV_KEYS["openai-responses"] == "OPENAI_API_KEY"
    assert known.DEFAULT_ENV_KEYS["anthropic"] == "ANTHROPIC_API_KEY"
    assert known.DEFAULT_ENV_KEYS["gemini"] == "GEMINI_API_KEY"
    assert known.DEFAULT_ENV_KEYS["vertex-ai"] == "GOOGLE_API_KEY"
    assert "qwen-oauth" not in known.DEFAULT_ENV_KEYS


def test_model_env_vars_and_defaults():
    assert known.MODEL_ENV_VARS["openai"] == ("OPENAI_MODEL", "QWEN_MODEL")
    assert known.MODEL_ENV_VARS["openai-responses"] == ("OPENAI_MODEL",)
    assert known.DEFAULT_MODEL["openai"] == "qwen3.7-max"
    assert known.DEFAULT_MODEL["qwen-oauth"] == "coder-model"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("model", "model.name"),
        ("selectedAuthType", "security.auth.selectedType"),
        ("useExternalAuth", "security.auth.useExternal"),
        ("contentGenerator", "model.generationConfig"),
        ("excludedProjectEnvVars", "advanced.excludedEnvVars"),
        ("tavilyApiKey", "advanced.tavilyApiKey"),
        ("usageStatisticsEnabled", "privacy.usageStatisticsEnabled"),
    ],
)
def test_legacy_v1_map(old, new):
    assert known.LEGACY_V1_KEYS[old] == new


def test_legacy_map_is_complete_and_containers_known():
    from qwen_ls.analysis.rules import legacy

    assert len(known.LEGACY_V1_KEYS) == 56
    assert legacy.containers() == frozenset({"model"})
    for key in ("mcpServers", "telemetry", "extensions"):
        assert key not in known.LEGACY_V1_KEYS


@pytest.mark.parametrize(
    "name",
    [
        "NODE_OPTIONS",
        "node_options",
        "NODE-OPTIONS",
        "npm_config_prefix",
        "NPM-CONFIG-PREFIX",
        "LD_PRELOAD",
        "BASH_FUNC_foo%%",
        "bash_func_x",
        "ZDOTDIR",
    ],
)
def test_loader_keys_match_cli_comparison(name):
    assert known.is_loader_env_key(name)


@pytest.mark.parametrize("name", ["OPENAI_API_KEY", "NODE_ENV", "BASH", "PATH"])
def test_non_loader_keys(name):
    assert not known.is_loader_env_key(name)


@pytest.mark.parametrize(
    "name",
    [
        "QWEN_HOME",
        "qwen_home",
        "BROWSER",
        "GIT_CONFIG_KEY_0",
        "git_config_value_12",
        "NPM_CONFIG_CAFILE",
        "npm_config_strict-ssl",
        "TMPDIR",
        "DEV",
    ],
)
def test_project_excluded_keys(name):
    assert known.is_project_excluded_env_key(name)


@pytest.mark.parametrize("name", ["OPENAI_API_KEY", "GIT_CONFIG_KEY_", "GIT_CONFIG_KEY_x", "HOME"])
def test_not_project_excluded(name):
    assert not known.is_project_excluded_env_key(name)


def test_silently_dropped_settings_env():
    assert "QWEN_HOME" in known.SILENTLY_DROPPED_SETTINGS_ENV
    assert "BROWSER" in known.SILENTLY_DROPPED_SETTINGS_ENV
    # This one prints its own stderr message.
    assert "QWEN_AGENT_EXECUTION_BACKEND" not in known.SILENTLY_DROPPED_SETTINGS_ENV


def test_merge_strategies_cover_facts():
    from qwen_ls.settings.catalog import merge_strategies

    ms = {".".join(path): strategy for path, strategy in merge_strategies().items()}
    assert len(ms) == 55
    assert ms["env"] == ms["mcpServers"] == ms["channels"] == ms["serve"] == known.SHALLOW_MERGE
    assert ms["modelProviders"] == ms["providerProtocol"] == known.REPLACE
    assert ms["context.includeDirectories"] == ms["mcp.allowed"] == known.CONCAT
    assert ms["hooks.PreToolUse"] == ms["hooks.InstructionsLoaded"] == known.CONCAT
    assert ms["permissions.allow"] == ms["tools.exclude"] == ms["skills.enabled"] == known.UNION
    assert ms["advanced.excludedEnvVars"] == ms["slashCommands.disabled"] == known.UNION
    assert len([k for k in ms if k.startswith("hooks.")]) == 22


def test_oauth_constants_and_message():
    device_url = known.QWEN_OAUTH_BASE_URL + known.QWEN_OAUTH_DEVICE_CODE_PATH
    assert device_url == "https://chat.qwen.ai/api/v1/oauth2/device/code"
    assert known.QWEN_OAUTH_BASE_URL + known.QWEN_OAUTH_TOKEN_PATH == (
        "https://chat.qwen.ai/api/v1/oauth2/token")
    assert known.QWEN_OAUTH_CLIENT_ID == "f0304373b74a44d2b584a3fb70ca9e56"
    assert known.QWEN_OAUTH_GRANT_TYPE == "urn:ietf:params:oauth:grant-type:device_code"
    assert known.QWEN_OAUTH_DISCONTINUED_DATE in known.OAUTH_DISCONTINUED_MESSAGE
    assert known.OAUTH_DISCONTINUED_MESSAGE.startswith("Qwen OAuth free tier was discontinued")
    assert known.QWEN_OAUTH_MODELS[0]["id"] == "coder-model"
    assert known.SETTINGS_VERSION == 4


def test_message_templates_format():
    from qwen_ls.analysis.rules import generation_config, legacy, providers, workspace

    text = legacy.LEGACY_SETTING_WARNING.format(old_key="theme", path="/p", new_path="ui.theme")
    assert text == "Legacy setting 'theme' will be ignored in /p. Please use 'ui.theme' instead."
    text = providers.PROVIDER_NOT_BUILTIN_WARNING.format(provider="idealab", count=2)
    assert text.startswith('modelProviders provider "idealab" is not a built-in protocol (openai, ')
    assert 'Add providerProtocol["idealab"] (e.g. "openai") to enable them.' in text
    text = known.MISSING_OPENAI_KEY_DEFAULT.format(env_key="OPENAI_API_KEY")
    assert text == (
        "Missing API key for OpenAI-compatible auth. Set settings.security.auth.apiKey, or set "
        "the 'OPENAI_API_KEY' environment variable."
    )
    text = generation_config.GENERATION_CONFIG_IGNORED_WARNING.format(
        field="contextWindowSize", model="m", provider="openai"
    )
    assert "modelProviders.openai[].generationConfig" in text
    text = workspace.WORKSPACE_RESTRICTED_WARNING.format(key="serve.tokenQr", path="/w")
    assert text.startswith("serve.tokenQr in workspace settings (/w) is ignored.")


def test_reasoning_profiles_and_selectors():
    assert "dashscope-thinking" in known.REASONING_PROFILES
    assert known.MODEL_SELECTOR_KEYS == (
        "fastModel",
        "advisorModel",
        "visionModel",
        "compactionModel",
        "imageModel",
        "voiceModel",
    )
