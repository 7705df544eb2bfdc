"""Facts about the Qwen Code CLI (0.24.4) expressed as data.

Everything here mirrors a constant or a message of the real CLI (see
``docs/reference/qwen-code-facts.md`` in the repository, cited as "facts §N"). Nothing in this
module does I/O; diagnostics, completion, hover and the auth flows read these tables.

Groups:

- auth types, protocols and their default env keys / model env vars / default models;
- the V1 → V2 legacy key map and workspace-restricted keys;
- env var rules: loader-affecting keys, hard-coded project exclusions, keys dropped silently;
- the names of the merge strategies;
- Qwen OAuth constants and the CLI's start-up error messages (shared by the start-up model in
  :mod:`qwen_ls.settings.startup` and the rules that quote them).

What the settings model already says is not restated here: the keys, fields and merge strategies
come from :mod:`qwen_ls.settings.models` (see :func:`qwen_ls.settings.catalog.merge_strategies`),
and a warning only one rule mirrors lives with that rule in :mod:`qwen_ls.analysis.rules`.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Final

#: The current settings file format version; the CLI rewrites files with a lower one.
SETTINGS_VERSION: Final = 4


# --------------------------------------------------------------------------------------------
# Auth types and protocols (facts §1.4, §1.5, §8)
# --------------------------------------------------------------------------------------------

#: The six ``AuthType`` values accepted by ``security.auth.selectedType`` and ``--auth-type``,
#: in the CLI's order.
AUTH_TYPES: Final[tuple[str, ...]] = (
    "openai",
    "openai-responses",
    "qwen-oauth",
    "gemini",
    "vertex-ai",
    "anthropic",
)

#: Values of ``modelProviders.*[].wireApi``.
WIRE_APIS: Final[tuple[str, ...]] = ("chat-completions", "responses")

#: ``DEFAULT_ENV_KEYS``: the env var holding the key when a model has no ``envKey``.
DEFAULT_ENV_KEYS: Final = MappingProxyType(
    {
        "openai": "OPENAI_API_KEY",
        "openai-responses": "OPENAI_API_KEY",
        "anthropic": "ANTHROPIC_API_KEY",
        "gemini": "GEMINI_API_KEY",
        "vertex-ai": "GOOGLE_API_KEY",
    }
)

#: Env vars read for the model id when neither ``--model`` nor ``model.name`` is set, in order.
MODEL_ENV_VARS: Final = MappingProxyType(
    {
        "openai": ("OPENAI_MODEL", "QWEN_MODEL"),
        "openai-responses": ("OPENAI_MODEL",),
        "gemini": ("GEMINI_MODEL",),
        "vertex-ai": ("GOOGLE_MODEL",),
        "anthropic": ("ANTHROPIC_MODEL",),
        "qwen-oauth": (),
    }
)

#: Env vars holding a base URL per auth type (``resolveModelConfig``).
BASE_URL_ENV_VARS: Final = MappingProxyType(
    {
        "openai": "OPENAI_BASE_URL",
        "openai-responses": "OPENAI_BASE_URL",
        "anthropic": "ANTHROPIC_BASE_URL",
    }
)

#: The model used when nothing names one. Only these two auth types have a CLI default.
DEFAULT_MODEL: Final = MappingProxyType({"openai": "qwen3.7-max", "qwen-oauth": "coder-model"})

#: The base URL a provider model without ``baseUrl`` gets (``applyResolvedModelDefaults``);
#: other protocols fall back to their SDK default.
DEFAULT_BASE_URLS: Final = MappingProxyType(
    {"openai": "https://api.openai.com/v1", "qwen-oauth": "DYNAMIC_QWEN_OAUTH_BASE_URL"}
)

#: Top-level settings keys that select a secondary model (``"<id>"`` or ``"<authType>:<id>"``).
MODEL_SELECTOR_KEYS: Final[tuple[str, ...]] = (
    "fastModel",
    "advisorModel",
    "visionModel",
    "compactionModel",
    "imageModel",
    "voiceModel",
)

#: ``modelFallbacks``: comma-separated model selectors (at most three).
MODEL_FALLBACKS_KEY: Final = "modelFallbacks"

#: Valid ``capabilities.reasoning.profile`` values.
REASONING_PROFILES: Final[tuple[str, ...]] = (
    "openai-effort",
    "openai-reasoning",
    "deepseek-openai",
    "dashscope-effort",
    "dashscope-thinking",
    "qwen-chat-template",
    "anthropic-manual",
    "anthropic-adaptive",
    "deepseek-anthropic",
    "gemini",
)

#: Top-level keys the CLI writes itself although its schema does not list them.
UNLISTED_TOP_LEVEL_KEYS: Final[frozenset[str]] = frozenset({"$version", "providerMetadata"})

#: Legacy top-level keys that the CLI migrates into ``providerMetadata`` (old key → metadata id).
LEGACY_METADATA_KEYS: Final = MappingProxyType(
    {"codingPlan": "coding-plan", "tokenPlan": "token-plan"}
)


# --------------------------------------------------------------------------------------------
# Qwen OAuth (facts §4)
# --------------------------------------------------------------------------------------------

QWEN_OAUTH_DISCONTINUED_DATE: Final = "2026-04-15"

#: ``validateAuthMethod('qwen-oauth')`` in 0.24.4, verbatim.
OAUTH_DISCONTINUED_MESSAGE: Final = (
    "Qwen OAuth free tier was discontinued on 2026-04-15. Run /auth to switch to Coding Plan, "
    "OpenRouter, Fireworks AI, or another provider."
)

QWEN_OAUTH_BASE_URL: Final = "https://chat.qwen.ai"
QWEN_OAUTH_DEVICE_CODE_PATH: Final = "/api/v1/oauth2/device/code"
QWEN_OAUTH_TOKEN_PATH: Final = "/api/v1/oauth2/token"
QWEN_OAUTH_CLIENT_ID: Final = "f0304373b74a44d2b584a3fb70ca9e56"
QWEN_OAUTH_SCOPE: Final = "openid profile email model.completion"
QWEN_OAUTH_GRANT_TYPE: Final = "urn:ietf:params:oauth:grant-type:device_code"
#: The credentials file name under ``QWEN_HOME`` and its exact keys.
QWEN_OAUTH_CREDS_FILE: Final = "oauth_creds.json"
QWEN_OAUTH_LOCK_FILE: Final = "oauth_creds.lock"
QWEN_OAUTH_CREDS_KEYS: Final[tuple[str, ...]] = (
    "access_token", "refresh_token", "token_type", "resource_url", "expiry_date"
)
QWEN_OAUTH_EXPIRY_MARGIN_MS: Final = 30000

#: The hard-coded models of the ``qwen-oauth`` provider (entries under
#: ``modelProviders.qwen-oauth`` are ignored). The CLI's description is abridged here.
QWEN_OAUTH_MODELS: Final[tuple[MappingProxyType, ...]] = (
    MappingProxyType(
        {
            "id": "coder-model",
            "name": "coder-model",
            "description": "Qwen 3.7 Max",
            "capabilities": MappingProxyType({"vision": True}),
        }
    ),
)
QWEN_OAUTH_MODEL_IDS: Final[frozenset[str]] = frozenset(m["id"] for m in QWEN_OAUTH_MODELS)


# --------------------------------------------------------------------------------------------
# Legacy keys, scope restrictions (facts §2)
# --------------------------------------------------------------------------------------------

#: The V1 → V2 migration map: flat legacy top-level key → new dotted path.
LEGACY_V1_KEYS: Final = MappingProxyType(
    {
        "accessibility": "ui.accessibility",
        "allowedTools": "tools.allowed",
        "allowMCPServers": "mcp.allowed",
        "autoAccept": "tools.autoAccept",
        "autoConfigureMaxOldSpaceSize": "advanced.autoConfigureMemory",
        "bugCommand": "advanced.bugCommand",
        "chatCompression": "model.chatCompression",
        "checkpointing": "general.checkpointing",
        "coreTools": "tools.core",
        "contextFileName": "context.fileName",
        "customThemes": "ui.customThemes",
        "customWittyPhrases": "ui.customWittyPhrases",
        "debugKeystrokeLogging": "general.debugKeystrokeLogging",
        "dnsResolutionOrder": "advanced.dnsResolutionOrder",
        "enforcedAuthType": "security.auth.enforcedType",
        "excludeTools": "tools.exclude",
        "excludeMCPServers": "mcp.excluded",
        "excludedProjectEnvVars": "advanced.excludedEnvVars",
        "fileFiltering": "context.fileFiltering",
        "folderTrustFeature": "security.folderTrust.featureEnabled",
        "folderTrust": "security.folderTrust.enabled",
        "hasSeenIdeIntegrationNudge": "ide.hasSeenNudge",
        "hideWindowTitle": "ui.hideWindowTitle",
        "showStatusInTitle": "ui.showStatusInTitle",
        "hideTips": "ui.hideTips",
        "showLineNumbers": "ui.showLineNumbers",
        "showCitations": "ui.showCitations",
        "ideMode": "ide.enabled",
        "includeDirectories": "context.includeDirectories",
        "loadMemoryFromIncludeDirectories": "context.loadFromIncludeDirectories",
        "maxSessionTurns": "model.maxSessionTurns",
        "mcpServerCommand": "mcp.serverCommand",
        "memoryImportFormat": "context.importFormat",
        "model": "model.name",
        "preferredEditor": "general.preferredEditor",
        "sandbox": "tools.sandbox",
        "selectedAuthType": "security.auth.selectedType",
        "shouldUseNodePtyShell": "tools.shell.enableInteractiveShell",
        "shellPager": "tools.shell.pager",
        "shellShowColor": "tools.shell.showColor",
        "skipNextSpeakerCheck": "model.skipNextSpeakerCheck",
        "theme": "ui.theme",
        "toolDiscoveryCommand": "tools.discoveryCommand",
        "toolCallCommand": "tools.callCommand",
        "usageStatisticsEnabled": "privacy.usageStatisticsEnabled",
        "useExternalAuth": "security.auth.useExternal",
        "useRipgrep": "tools.useRipgrep",
        "vimMode": "general.vimMode",
        "enableWelcomeBack": "ui.enableWelcomeBack",
        "approvalMode": "tools.approvalMode",
        "sessionTokenLimit": "model.sessionTokenLimit",
        "contentGenerator": "model.generationConfig",
        "skipLoopDetection": "model.skipLoopDetection",
        "skipStartupContext": "model.skipStartupContext",
        "enableOpenAILogging": "model.enableOpenAILogging",
        "tavilyApiKey": "advanced.tavilyApiKey",
    }
)

#: Keys ignored in the Workspace scope (honoured only from User, System or SystemDefaults).
WORKSPACE_RESTRICTED_KEYS: Final[frozenset[str]] = frozenset(
    {
        "tools.executionSandbox",
        "tools.workflowsEnabled",
        "security.allowPrivateNetworkHooks",
        "security.allowedInsecureVoiceBaseUrls",
        "goals.modelProposed",
        "outboundCorrelation.allowDynamicHeaderValues",
        "serve.tokenQr",
    }
)


# --------------------------------------------------------------------------------------------
# Env var rules (facts §3)
# --------------------------------------------------------------------------------------------

#: Loader-affecting keys rejected from every ``.env`` file and from ``settings.env``
#: (plus any ``BASH_FUNC_*``). Compare with :func:`is_loader_env_key`.
LOADER_ENV_KEYS: Final[frozenset[str]] = frozenset(
    {
        "NODE_OPTIONS",
        "npm_config_node_options",
        "npm_config_userconfig",
        "npm_config_globalconfig",
        "npm_config_script_shell",
        "npm_config_prefix",
        "NODE_PATH",
        "OPENSSL_CONF",
        "NODE_REPL_EXTERNAL_MODULE",
        "npm_config_node_gyp",
        "npm_config_init_module",
        "LD_PRELOAD",
        "LD_AUDIT",
        "DYLD_INSERT_LIBRARIES",
        "BASH_ENV",
        "ZDOTDIR",
    }
)


def _loader_norm(name: str) -> str:
    return name.lower().replace("_", "-")


_LOADER_NORMS = frozenset(_loader_norm(k) for k in LOADER_ENV_KEYS)


def is_loader_env_key(name: str) -> bool:
    """Tell whether the CLI refuses ``name`` from ``.env`` files and ``settings.env``.

    The CLI lowercases the name and turns ``_`` into ``-`` before comparing, so
    ``node_options`` and ``NODE-OPTIONS`` match too; any ``BASH_FUNC_*`` name matches.

    Parameters
    ----------
    name
        An environment variable name.

    Returns
    -------
    bool
        True when the variable is loader-affecting.
    """
    norm = _loader_norm(name)
    return norm in _LOADER_NORMS or norm.startswith("bash-func-")

#: ``PROJECT_ENV_HARDCODED_EXCLUSIONS``: never taken from a project ``.env`` and never from
#: ``settings.env`` at any scope. Compare with :func:`is_project_excluded_env_key`.
PROJECT_EXCLUDED_ENV_KEYS: Final[frozenset[str]] = frozenset(
    {
        "QWEN_HOME",
        "QWEN_RUNTIME_DIR",
        "QWEN_AGENT_EXECUTION_BACKEND",
        "QWEN_CODE_MCP_APPROVALS_PATH",
        "QWEN_CODE_TRUSTED_FOLDERS_PATH",
        "QWEN_CODE_SYSTEM_SETTINGS_PATH",
        "QWEN_CODE_SYSTEM_DEFAULTS_PATH",
        "QWEN_UPDATE_BASE_URL",
        "QWEN_CODE_WARNINGS_FILE",
        "QWEN_CODE_MEMORY_PROJECT_SCOPE",
        "QWEN_CODE_ENABLE_WORKFLOWS",
        "QWEN_CODE_DISABLE_WORKFLOWS",
        "QWEN_CODE_WORKFLOW_NAME_ONLY",
        "QWEN_REVIEW_PREBUILD",
        "QWEN_REVIEW_AUTOMATIC",
        "QWEN_TLS_INSECURE",
        "NODE_TLS_REJECT_UNAUTHORIZED",
        "NODE_EXTRA_CA_CERTS",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "CURL_CA_BUNDLE",
        "REQUESTS_CA_BUNDLE",
        "GIT_SSL_CAINFO",
        "GIT_SSL_CAPATH",
        "npm_config_cafile",
        "npm_config_ca",
        "npm_config_strict_ssl",
        "npm_config_strict-ssl",
        "PIP_CERT",
        "CURL_HOME",
        "WGETRC",
        "PIP_CONFIG_FILE",
        "GIT_SSH_COMMAND",
        "GIT_SSH",
        "GIT_EXEC_PATH",
        "GIT_TEMPLATE_DIR",
        "GIT_ASKPASS",
        "GIT_PROXY_COMMAND",
        "GIT_EDITOR",
        "GIT_SEQUENCE_EDITOR",
        "GIT_EXTERNAL_DIFF",
        "GIT_CONFIG_GLOBAL",
        "GIT_CONFIG_SYSTEM",
        "XDG_CONFIG_HOME",
        "GIT_CONFIG_COUNT",
        "GIT_CONFIG_PARAMETERS",
        "QWEN_SANDBOX",
        "QWEN_SANDBOX_IMAGE",
        "QWEN_SANDBOX_PROXY_COMMAND",
        "QWEN_SANDBOX_NET",
        "SANDBOX",
        "SANDBOX_ENFORCEMENT",
        "XDG_CACHE_HOME",
        "TMPDIR",
        "TMP",
        "TEMP",
        "SSH_ASKPASS",
        "LESSOPEN",
        "LESSCLOSE",
        "NODE_GYP_FORCE_PYTHON",
        "npm_config_python",
        "PYTHON",
        "PYTHONSTARTUP",
        "VISUAL",
        "EDITOR",
        "npm_config_git",
        "BROWSER",
        "QWEN_CLI_ENTRY",
        "QWEN_CDP_MCP_COMMAND",
        "QWEN_SERVE_CDP_TUNNEL_OVER_WS",
        "QWEN_SERVE_NEW_FILE_MODE",
        "QWEN_SERVE_MAX_WORKSPACES",
        "QWEN_SERVE_SESSION_ATTACHMENTS_ROOT",
        "DEV",
        # Private markers.
        "QWEN_CODE_SETTINGS_CORRUPTED_PATH",
        "QWEN_CODE_SETTINGS_WAS_RECOVERED",
        "QWEN_CODE_ACP_REPEATED_TOOL_FAILURE_GUARD",
    }
)

_PROJECT_EXCLUDED_UPPER = frozenset(k.upper() for k in PROJECT_EXCLUDED_ENV_KEYS)
_GIT_CONFIG_N = re.compile(r"GIT_CONFIG_(?:KEY|VALUE)_\d+", re.IGNORECASE)


def is_project_excluded_env_key(name: str) -> bool:
    """Tell whether ``name`` is a hard-coded project exclusion (case-insensitive).

    Parameters
    ----------
    name
        An environment variable name.

    Returns
    -------
    bool
        True for names in :data:`PROJECT_EXCLUDED_ENV_KEYS` and for ``GIT_CONFIG_KEY_<n>`` /
        ``GIT_CONFIG_VALUE_<n>``.
    """
    return name.upper() in _PROJECT_EXCLUDED_UPPER or bool(_GIT_CONFIG_N.fullmatch(name))

#: Keys that ``settings.env`` drops without any message (verified with 0.24.4).
SILENTLY_DROPPED_SETTINGS_ENV: Final[frozenset[str]] = frozenset(
    k for k in PROJECT_EXCLUDED_ENV_KEYS if k != "QWEN_AGENT_EXECUTION_BACKEND"
)

#: Default of ``advanced.excludedEnvVars`` (applies to project ``.env`` files outside ``.qwen``).
DEFAULT_EXCLUDED_ENV_VARS: Final[tuple[str, ...]] = ("DEBUG", "DEBUG_MODE")

#: Names never expanded as ``$VAR`` inside settings values.
NEVER_EXPANDED_ENV_KEYS: Final[frozenset[str]] = frozenset(
    {
        "SESSION_ID",
        "QWEN_CODE_SESSION_ID",
        "QWEN_SERVER_TOKEN",
        "QWEN_DAEMON_TOKEN",
        "QWEN_CODE_EXTERNAL_TOOL_GUARD_TOKEN",
    }
)


# --------------------------------------------------------------------------------------------
# Merge strategies (facts §2): the values of ``setting(merge=...)`` in the model
# --------------------------------------------------------------------------------------------

REPLACE: Final = "replace"
CONCAT: Final = "concat"
UNION: Final = "union"
SHALLOW_MERGE: Final = "shallow_merge"


# --------------------------------------------------------------------------------------------
# The CLI's start-up errors (use ``str.format`` with the named fields)
# --------------------------------------------------------------------------------------------

#: ``validateAuthMethod`` messages; ``{env_key}`` is the name that was checked.
MISSING_OPENAI_KEY_EXPLICIT: Final = (
    "Missing API key for OpenAI-compatible auth. Set the '{env_key}' environment variable."
)
MISSING_OPENAI_KEY_DEFAULT: Final = (
    "Missing API key for OpenAI-compatible auth. Set settings.security.auth.apiKey, or set the "
    "'{env_key}' environment variable."
)
MISSING_KEY_EXPLICIT: Final = (
    "{env_key} environment variable not found. Please set it in your .env file or environment "
    "variables."
)
MISSING_KEY_DEFAULT: Final = (
    "{env_key} environment variable not found (or set settings.security.auth.apiKey). Please set "
    "it in your .env file or environment variables."
)
VERTEX_ADC_HINT: Final = (
    " Alternatively, set GOOGLE_CLOUD_PROJECT to authenticate with Application Default "
    "Credentials instead of an API key."
)
ANTHROPIC_MISSING_BASE_URL: Final = (
    "Anthropic provider missing required baseUrl in modelProviders[].baseUrl."
)
ANTHROPIC_BASE_URL_ENV_MISSING: Final = "ANTHROPIC_BASE_URL environment variable not found."
INVALID_AUTH_METHOD: Final = "Invalid auth method selected."
ENFORCED_AUTH_MISMATCH: Final = (
    "The configured auth type is {enforced}, but the current auth type is {current}. Please "
    "re-authenticate with the correct type."
)
NO_AUTH_TYPE_NON_INTERACTIVE: Final = (
    "No auth type is selected. Please configure an auth type (e.g. via settings or "
    "`--auth-type`) before running in non-interactive mode."
)

#: Core model-config errors.
STRICT_MISSING_CREDENTIALS: Final = (
    "Missing credentials for modelProviders model '{model}'. Current configured envKey: "
    "'{env_key}'. Set that environment variable, or update "
    "modelProviders.{auth_type}[].envKey."
)
MISSING_API_KEY: Final = (
    "Missing API key for {auth_type} auth. Current model: '{model}', baseUrl: '{base_url}'. "
    "Provide an API key via settings (security.auth.apiKey), or set the environment variable "
    "'{env_key}'."
)

#: ``validateModelProvidersConfig`` (fatal at startup).
INVALID_WIRE_API: Final = (
    'Invalid wireApi "{value}" for provider "{provider}". Expected "chat-completions" or '
    '"responses".'
)
WIRE_API_NOT_OPENAI: Final = (
    'Provider "{provider}" uses protocol "{protocol}"; wireApi is only supported for '
    "OpenAI-compatible models."
)
#: generationConfig fields that a protocol's content generator never reads (read from the
#: 0.24.4 bundle, facts §1.3a): the Gemini/Vertex generator (llm-content-generator) sends no
#: timeout, extra body or Anthropic cache settings; the Anthropic generator sends no OpenAI
#: extra body or DashScope metadata; the OpenAI generators have no Anthropic cache scope or
#: retention. Fields every generator shares (retries, sampling, headers, ...) are not listed.
GENERATION_FIELDS_IGNORED: Final[dict[str, frozenset[str]]] = {
    "gemini": frozenset({"timeout", "extra_body", "thinkingMandatory", "enableRequestMetadata",
                         "forceGlobalCacheScope", "cacheRetention", "cacheRetentionByBlock"}),
    "anthropic": frozenset({"extra_body", "thinkingMandatory", "enableRequestMetadata"}),
    "openai": frozenset({"forceGlobalCacheScope", "cacheRetention", "cacheRetentionByBlock"}),
}
GENERATION_FIELDS_IGNORED["vertex-ai"] = GENERATION_FIELDS_IGNORED["gemini"]
GENERATION_FIELDS_IGNORED["openai-responses"] = GENERATION_FIELDS_IGNORED["openai"]

MODEL_MISSING_ID: Final = "Model config in authType '{auth_type}' missing required field: id"

CODING_PLAN_INVALID_KEY: Final = (
    'Invalid API key. Coding Plan API keys start with "sk-sp-". Please check.'
)
