"""The rule catalogue: every diagnostic qwen-ls reports, with a stable code.

Codes are grouped by hundreds, as linters such as ruff do:

- ``QLS0xx`` syntax: what the Qwen Code CLI's reader (strip comments, then ``JSON.parse``) rejects;
- ``QLS1xx`` schema: unknown keys, types, enums, ranges, legacy and deprecated keys, scope rules;
- ``QLS2xx`` auth and model selection: ``security.auth.*``, ``model.*`` and the model selectors;
- ``QLS3xx`` ``modelProviders`` and ``providerProtocol``;
- ``QLS4xx`` keys and environment: ``envKey``, ``env`` and ``.env`` sources;
- ``QLS5xx`` endpoints: ``baseUrl`` values.

Each rule carries a bad and a good example. The README's rule reference is generated from them,
and the test suite proves, for every rule, that the bad example triggers it and the good one
does not (so removing a rule fails a test).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qwen_ls.analysis.types import Severity

DOCS_BASE = "https://github.com/qwen-ls/qwen-ls/blob/main/docs/rules.md"


@dataclass(frozen=True, slots=True)
class Rule:
    """One diagnostic rule."""

    code: str
    name: str
    severity: Severity
    summary: str
    bad: str
    """A settings.json (JSONC) that triggers the rule."""
    good: str
    """The same file, fixed."""
    env: dict[str, str] = field(default_factory=dict)
    """Shell environment the examples are analysed with (fake values)."""
    scope: str = "user"
    """The scope the examples are analysed in."""
    good_env: dict[str, str] | None = None
    """Shell environment for the fixed example when it differs from :attr:`env`."""


def doc_url(code: str) -> str:
    """Return the documentation link of a rule (its anchor in ``docs/rules.md``)."""
    return f"{DOCS_BASE}#{code.lower()}"


_FAKE_KEY = "sk-test-0000000000000000abcd"

_RULE_LIST: list[Rule] = [
    # ---- QLS0xx syntax ---------------------------------------------------------------------
    Rule(
        "QLS001",
        "json-syntax",
        "error",
        "The file is not valid JSON. The CLI refuses to start on a broken user or system file, "
        "and resets a broken workspace file to {} (keeping a .corrupted copy).",
        '{\n  "model": {"name": "qwen3-coder-plus"\n}\n',
        '{\n  "model": {"name": "qwen3-coder-plus"}\n}\n',
    ),
    Rule(
        "QLS002",
        "trailing-comma",
        "error",
        "A trailing comma. Editors accept it, but the Qwen Code CLI's reader (JSON.parse after "
        "stripping comments) rejects the whole file.",
        '{\n  "ui": {"theme": "Qwen Dark",},\n}\n',
        '{\n  "ui": {"theme": "Qwen Dark"}\n}\n',
    ),
    Rule(
        "QLS003",
        "root-not-object",
        "error",
        "The root of settings.json must be a JSON object; anything else is fatal "
        '("Settings file is not a valid JSON object.").',
        '["model", "qwen3-coder-plus"]\n',
        '{"model": {"name": "qwen3-coder-plus"}}\n',
    ),
    Rule(
        "QLS004",
        "duplicate-key",
        "warning",
        "The same key twice in one object: JSON.parse keeps the last one and silently drops the "
        "first.",
        '{\n  "ui": {"theme": "Qwen Dark"},\n  "ui": {"hideTips": true}\n}\n',
        '{\n  "ui": {"theme": "Qwen Dark", "hideTips": true}\n}\n',
    ),
    # ---- QLS1xx schema ---------------------------------------------------------------------
    Rule(
        "QLS101",
        "unknown-key",
        "warning",
        "A key the CLI does not know. It is ignored without any visible message; usually a typo "
        "(a did-you-mean is offered).",
        '{\n  "ui": {"theem": "Qwen Dark"}\n}\n',
        '{\n  "ui": {"theme": "Qwen Dark"}\n}\n',
    ),
    Rule(
        "QLS102",
        "wrong-type",
        "error",
        'A value of the wrong type (the CLI\'s own wording: "Value must be a boolean", ...). '
        "It is ignored or breaks the feature.",
        '{\n  "ui": {"hideTips": "yes"}\n}\n',
        '{\n  "ui": {"hideTips": true}\n}\n',
    ),
    Rule(
        "QLS103",
        "invalid-enum",
        "error",
        "A value that is not one of the allowed values.",
        '{\n  "tools": {"approvalMode": "always"}\n}\n',
        '{\n  "tools": {"approvalMode": "auto-edit"}\n}\n',
    ),
    Rule(
        "QLS104",
        "out-of-range",
        "error",
        "A number outside the allowed range.",
        '{\n  "serve": {"maxConcurrentSubSessionsTotal": 5000}\n}\n',
        '{\n  "serve": {"maxConcurrentSubSessionsTotal": 64}\n}\n',
    ),
    Rule(
        "QLS105",
        "missing-required",
        "error",
        "A required field is missing from an object.",
        '{\n  "hooks": {"Stop": [{"hooks": [{"command": "echo done"}]}]}\n}\n',
        '{\n  "hooks": {"Stop": [{"hooks": [{"type": "command", "command": "echo done"}]}]}\n}\n',
    ),
    Rule(
        "QLS110",
        "legacy-key",
        "warning",
        "A flat V1 key. In a $version 4 file the CLI ignores it (\"Legacy setting '<k>' will be "
        'ignored"); in an older file it migrates it and rewrites the file.',
        '{\n  "$version": 4,\n  "theme": "Qwen Dark"\n}\n',
        '{\n  "$version": 4,\n  "ui": {"theme": "Qwen Dark"}\n}\n',
    ),
    Rule(
        "QLS111",
        "legacy-metadata",
        "information",
        "The legacy top-level codingPlan/tokenPlan metadata; the CLI migrates it to "
        "providerMetadata.",
        '{\n  "codingPlan": {"region": "china", "version": "abc"}\n}\n',
        '{\n  "providerMetadata": {"coding-plan": {"version": "abc", '
        '"baseUrl": "https://coding.dashscope.aliyuncs.com/v1"}}\n}\n',
    ),
    Rule(
        "QLS112",
        "deprecated-key",
        "warning",
        "A deprecated key that still works as a low-priority fallback, e.g. "
        "security.auth.apiKey (a secret in plain text) and security.auth.baseUrl.",
        '{\n  "security": {"auth": {"selectedType": "openai", "baseUrl": "https://api.example.com/v1"}}\n}\n',
        '{\n  "security": {"auth": {"selectedType": "openai"}}\n}\n',
    ),
    Rule(
        "QLS113",
        "old-settings-version",
        "information",
        "$version is missing or older than 4: on its next start the CLI migrates the file and "
        "rewrites it on disk.",
        '{\n  "$version": 2,\n  "ui": {"theme": "Qwen Dark"}\n}\n',
        '{\n  "$version": 4,\n  "ui": {"theme": "Qwen Dark"}\n}\n',
    ),
    Rule(
        "QLS120",
        "workspace-restricted",
        "warning",
        "A key that the CLI only honours in the user or system file; in a workspace file it is "
        "ignored with a startup warning.",
        '{\n  "tools": {"workflowsEnabled": true}\n}\n',
        '{\n  "tools": {"approvalMode": "default"}\n}\n',
        scope="workspace",
    ),
    # ---- QLS2xx auth and model -------------------------------------------------------------
    Rule(
        "QLS201",
        "invalid-auth-type",
        "error",
        "security.auth.selectedType is not an auth type the CLI knows; 0.24.4 crashes at "
        "startup (\"Cannot read properties of undefined (reading 'model')\").",
        '{\n  "security": {"auth": {"selectedType": "openai-compatible"}}\n}\n',
        '{\n  "security": {"auth": {"selectedType": "openai"}}\n}\n',
    ),
    Rule(
        "QLS202",
        "qwen-oauth-discontinued",
        "warning",
        "Qwen OAuth is selected, but the hosted free tier was discontinued on 2026-04-15; the "
        "CLI refuses it. Switch to Coding Plan or an API key (or keep it for a deployment that "
        "still accepts it).",
        '{\n  "security": {"auth": {"selectedType": "qwen-oauth"}}\n}\n',
        '{\n  "security": {"auth": {"selectedType": "openai"}}\n}\n',
    ),
    Rule(
        "QLS203",
        "model-not-found",
        "warning",
        "model.name matches no model id configured for the selected auth type. The CLI then "
        "silently falls back to another model or to api.openai.com with OPENAI_API_KEY.",
        '{\n  "modelProviders": {"openai": [{"id": "qwen3-coder-plus", "envKey": "DASHSCOPE_API_KEY",\n'
        '    "baseUrl": "https://dashscope.aliyuncs.com/compatible-mode/v1"}]},\n'
        '  "security": {"auth": {"selectedType": "openai"}},\n'
        '  "model": {"name": "qwen3-coder"}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "qwen3-coder-plus", "envKey": "DASHSCOPE_API_KEY",\n'
        '    "baseUrl": "https://dashscope.aliyuncs.com/compatible-mode/v1"}]},\n'
        '  "security": {"auth": {"selectedType": "openai"}},\n'
        '  "model": {"name": "qwen3-coder-plus"}\n}\n',
        env={"DASHSCOPE_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS204",
        "model-without-auth-type",
        "warning",
        "model.name is set but no scope sets security.auth.selectedType: the CLI opens the auth "
        "dialog (or fails in non-interactive mode) instead of using the model.",
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]},\n'
        '  "model": {"name": "gpt-4o"}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]},\n'
        '  "security": {"auth": {"selectedType": "openai"}},\n'
        '  "model": {"name": "gpt-4o"}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS205",
        "no-model-selected",
        "information",
        "An auth type is selected and models are configured for it, but model.name is not set: "
        "the CLI uses the protocol's model env variable or its built-in default instead.",
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]},\n'
        '  "security": {"auth": {"selectedType": "openai"}}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]},\n'
        '  "security": {"auth": {"selectedType": "openai"}},\n'
        '  "model": {"name": "gpt-4o"}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS206",
        "stale-model-base-url",
        "warning",
        "model.baseUrl (written by the /model picker) matches no provider entry of model.name; the "
        "CLI warns and uses the first entry with that id.",
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]},\n'
        '  "security": {"auth": {"selectedType": "openai"}},\n'
        '  "model": {"name": "gpt-4o", "baseUrl": "https://old.example.com/v1"}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]},\n'
        '  "security": {"auth": {"selectedType": "openai"}},\n'
        '  "model": {"name": "gpt-4o", "baseUrl": "https://api.openai.com/v1"}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS207",
        "selector-model-not-found",
        "warning",
        "A model selector (fastModel, visionModel, ...) names a model id that no provider entry "
        "defines.",
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]},\n'
        '  "fastModel": "gpt-4o-mini"\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]},\n'
        '  "fastModel": "gpt-4o"\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS208",
        "enforced-type-mismatch",
        "warning",
        "security.auth.enforcedType differs from selectedType: the CLI asks to re-authenticate.",
        '{\n  "security": {"auth": {"selectedType": "openai", "enforcedType": "anthropic"}}\n}\n',
        '{\n  "security": {"auth": {"selectedType": "openai", "enforcedType": "openai"}}\n}\n',
    ),
    Rule(
        "QLS209",
        "selector-only-primary-model",
        "warning",
        "model.name names an image-, voice- or realtime-only model, which cannot be the primary "
        "model.",
        '{\n  "modelProviders": {"openai": [{"id": "img-1", "imageOnly": true, "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}, {"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]},\n'
        '  "security": {"auth": {"selectedType": "openai"}},\n'
        '  "model": {"name": "img-1"}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "img-1", "imageOnly": true, "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}, {"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]},\n'
        '  "security": {"auth": {"selectedType": "openai"}},\n'
        '  "model": {"name": "gpt-4o"}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS210",
        "unsupported-qwen-oauth-model",
        "warning",
        "With Qwen OAuth only 'coder-model' is allowed; the CLI falls back to it.",
        '{\n  "security": {"auth": {"selectedType": "qwen-oauth"}},\n  "model": {"name": "qwen3-coder-plus"}\n}\n',
        '{\n  "security": {"auth": {"selectedType": "qwen-oauth"}},\n  "model": {"name": "coder-model"}\n}\n',
    ),
    Rule(
        "QLS211",
        "no-auth-type",
        "warning",
        "modelProviders configures models but no scope sets security.auth.selectedType (and no "
        "env variable selects an auth type): the CLI opens the auth dialog, and qwen -p stops with "
        "\"No auth type is selected\".",
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]},\n'
        '  "security": {"auth": {"selectedType": "openai"}}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS212",
        "key-without-env-key",
        "warning",
        "qwen -p would stop for a missing API key that no envKey names: the selected model has "
        "no provider entry with an envKey (or is the protocol's default model), so the CLI reads "
        "the protocol's default variable (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY) or "
        "security.auth.apiKey, and nothing provides it. Reported on the model.name (or "
        "selectedType) that picks the model.",
        '{\n  "security": {"auth": {"selectedType": "openai"}},\n  "model": {"name": "gpt-4o"}\n}\n',
        '{\n  "security": {"auth": {"selectedType": "openai"}},\n  "model": {"name": "gpt-4o"}\n}\n',
        good_env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    # ---- QLS3xx modelProviders ---------------------------------------------------------------
    Rule(
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
        env={"DEEPSEEK_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS302",
        "provider-not-array",
        "error",
        "A modelProviders value must be an array of model entries; in a $version 4 file anything "
        "else is silently skipped.",
        '{\n  "$version": 4,\n  "modelProviders": {"openai": {"protocol": "openai", "models": []}}\n}\n',
        '{\n  "$version": 4,\n  "modelProviders": {"openai": []}\n}\n',
    ),
    Rule(
        "QLS303",
        "model-missing-id",
        "error",
        'A provider entry without an id: the CLI throws "missing required field: id".',
        '{\n  "modelProviders": {"openai": [{"name": "GPT-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "name": "GPT-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS304",
        "model-missing-env-key",
        "warning",
        "A provider entry without envKey: once the model is selected the CLI reads its key from "
        "the protocol default variable only, and switching models may lose the key.",
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
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
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS306",
        "invalid-wire-api",
        "error",
        'wireApi must be "chat-completions" or "responses" and only on OpenAI-compatible '
        "providers; anything else is fatal at startup.",
        '{\n  "modelProviders": {"openai": [{"id": "gpt-5", "wireApi": "response", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-5", "wireApi": "responses", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS307",
        "qwen-oauth-provider-ignored",
        "warning",
        "Models under modelProviders.qwen-oauth (or a provider mapped to qwen-oauth) are ignored: "
        "Qwen OAuth uses its hard-coded model only.",
        '{\n  "modelProviders": {"qwen-oauth": [{"id": "qwen3-coder-plus"}]}\n}\n',
        '{\n  "modelProviders": {}\n}\n',
    ),
    Rule(
        "QLS308",
        "invalid-provider-protocol",
        "warning",
        "providerProtocol maps a provider to something that is not a protocol: its models are "
        "ignored.",
        '{\n  "providerProtocol": {"deepseek": "openai-compatible"}\n}\n',
        '{\n  "providerProtocol": {"deepseek": "openai"}\n}\n',
    ),
    Rule(
        "QLS309",
        "empty-model-providers",
        "information",
        "An empty modelProviders object in a workspace file has no effect with the CLI's merge.",
        '{\n  "modelProviders": {}\n}\n',
        '{\n  "ui": {"theme": "Qwen Dark"}\n}\n',
        scope="workspace",
    ),
    Rule(
        "QLS310",
        "generation-config-ignored",
        "warning",
        "model.generationConfig is ignored for a model that comes from modelProviders: the "
        "provider entry's generationConfig is sealed.",
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]},\n'
        '  "security": {"auth": {"selectedType": "openai"}},\n'
        '  "model": {"name": "gpt-4o", "generationConfig": {"contextWindowSize": 128000}}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1", "generationConfig": {"contextWindowSize": 128000}}]},\n'
        '  "security": {"auth": {"selectedType": "openai"}},\n'
        '  "model": {"name": "gpt-4o"}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS311",
        "anthropic-missing-base-url",
        "error",
        'An anthropic provider entry needs a baseUrl ("Anthropic provider missing required '
        'baseUrl").',
        '{\n  "modelProviders": {"anthropic": [{"id": "claude-sonnet-4", "envKey": "ANTHROPIC_API_KEY"}]}\n}\n',
        '{\n  "modelProviders": {"anthropic": [{"id": "claude-sonnet-4", "envKey": "ANTHROPIC_API_KEY",\n'
        '    "baseUrl": "https://api.anthropic.com"}]}\n}\n',
        env={"ANTHROPIC_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS312",
        "legacy-openai-responses-provider",
        "information",
        'modelProviders.openai-responses is a legacy key; use openai with wireApi "responses".',
        '{\n  "modelProviders": {"openai-responses": [{"id": "gpt-5", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-5", "wireApi": "responses", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
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
        env={"ANTHROPIC_API_KEY": _FAKE_KEY},
    ),
    # ---- QLS4xx keys and environment ---------------------------------------------------------
    Rule(
        "QLS401",
        "env-key-is-secret",
        "error",
        "envKey holds the API key itself instead of the NAME of the variable that holds it (the "
        "CLI would even print it in its error).",
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "' + _FAKE_KEY + '",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS402",
        "env-key-not-set",
        "warning",
        "No env source provides the variable named by envKey (shell, project .qwen/.env or .env, "
        '~/.qwen/.env, ~/.env, settings env): the CLI stops with "Missing API key".',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "MY_OPENAI_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS403",
        "env-value-not-string",
        "warning",
        "A settings env value that is not a string is silently ignored by the CLI.",
        '{\n  "env": {"QWEN_CODE_API_TIMEOUT_MS": 60000}\n}\n',
        '{\n  "env": {"QWEN_CODE_API_TIMEOUT_MS": "60000"}\n}\n',
    ),
    Rule(
        "QLS404",
        "env-loader-key",
        "warning",
        "settings env (and .env files) cannot set loader-affecting variables such as NODE_OPTIONS; "
        "the CLI drops them.",
        '{\n  "env": {"NODE_OPTIONS": "--max-old-space-size=8192"}\n}\n',
        '{\n  "env": {}\n}\n',
    ),
    Rule(
        "QLS405",
        "env-excluded-key",
        "warning",
        "A variable that settings env may never set (QWEN_HOME, TLS and git/ssh controls, ...); "
        "the CLI drops it.",
        '{\n  "env": {"QWEN_HOME": "/opt/qwen"}\n}\n',
        '{\n  "env": {}\n}\n',
    ),
    Rule(
        "QLS406",
        "plaintext-secret",
        "warning",
        "An API key in plain text in settings.json env: information in the user file (the CLI "
        "documents that setup), a warning in a workspace file, an error when git tracks the file. "
        "Move it to .qwen/.env (mode 0600, git-ignored).",
        '{\n  "env": {"OPENAI_API_KEY": "' + _FAKE_KEY + '"}\n}\n',
        '{\n  "env": {}\n}\n',
        scope="workspace",
    ),
    Rule(
        "QLS407",
        "env-shadowed",
        "information",
        "A settings env variable that the shell or a .env file also defines: that value wins and "
        "this one is never used.",
        '{\n  "env": {"OPENAI_BASE_URL": "https://api.example.com/v1"}\n}\n',
        '{\n  "env": {"OPENAI_MODEL": "gpt-4o"}\n}\n',
        env={"OPENAI_BASE_URL": "https://proxy.example.com/v1"},
    ),
    Rule(
        "QLS408",
        "unresolved-env-reference",
        "information",
        "A $VAR reference in a value that neither the environment nor the home .env files define: "
        "the CLI keeps the literal text.",
        '{\n  "proxy": "$CORP_PROXY"\n}\n',
        '{\n  "proxy": "$HTTPS_PROXY"\n}\n',
        env={"HTTPS_PROXY": "http://proxy.example.com:3128"},
    ),
    # ---- QLS5xx endpoints --------------------------------------------------------------------
    Rule(
        "QLS501",
        "base-url-no-scheme",
        "error",
        "A baseUrl without http:// or https://; the SDK cannot use it.",
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENROUTER_API_KEY",\n'
        '    "baseUrl": "openrouter.ai/api/v1"}]}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENROUTER_API_KEY",\n'
        '    "baseUrl": "https://openrouter.ai/api/v1"}]}\n}\n',
        env={"OPENROUTER_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS502",
        "base-url-endpoint-suffix",
        "warning",
        "A baseUrl that ends in /chat/completions or /responses: the SDK appends the endpoint "
        "itself, so requests go to .../chat/completions/chat/completions.",
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1/chat/completions"}]}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS503",
        "base-url-insecure",
        "warning",
        "Plain http:// to a host that is not on this machine sends your API key unencrypted.",
        '{\n  "modelProviders": {"openai": [{"id": "m", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "http://llm.example.com/v1"}]}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "m", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "http://localhost:8000/v1"}]}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY},
    ),
    Rule(
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
    ),
    Rule(
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
    ),
    Rule(
        "QLS506",
        "preset-key-mismatch",
        "information",
        "A well-known endpoint used with another provider's key variable (e.g. the OpenRouter URL "
        "with DEEPSEEK_API_KEY); usually a copy-paste slip.",
        '{\n  "modelProviders": {"openai": [{"id": "deepseek-chat", "envKey": "DEEPSEEK_API_KEY",\n'
        '    "baseUrl": "https://openrouter.ai/api/v1"}]}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "deepseek-chat", "envKey": "DEEPSEEK_API_KEY",\n'
        '    "baseUrl": "https://api.deepseek.com"}]}\n}\n',
        env={"DEEPSEEK_API_KEY": _FAKE_KEY},
    ),
    Rule(
        "QLS507",
        "base-url-not-inherited",
        "information",
        "An openai entry without baseUrl while OPENAI_BASE_URL is set: the entry does not inherit "
        "it and talks to https://api.openai.com/v1.",
        '{\n  "modelProviders": {"openai": [{"id": "local-model", "envKey": "OPENAI_API_KEY"}]}\n}\n',
        '{\n  "modelProviders": {"openai": [{"id": "local-model", "envKey": "OPENAI_API_KEY",\n'
        '    "baseUrl": "http://localhost:8000/v1"}]}\n}\n',
        env={"OPENAI_API_KEY": _FAKE_KEY, "OPENAI_BASE_URL": "http://localhost:8000/v1"},
    ),
]

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULE_LIST}
"""Every rule, by code."""

RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in _RULE_LIST}
