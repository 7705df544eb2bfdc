"""``catalog.validate``: every issue kind, at the right JSON path, in the CLI's wording."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qwen_ls.settings.catalog import SchemaIssue, format_path, validate

SEED = Path(__file__).resolve().parents[3] / "docs" / "reference" / "seed-authentication.txt"

CODING_PLAN = {
    "modelProviders": {
        "openai": [
            {
                "id": "qwen3-coder-plus",
                "name": "qwen3-coder-plus (Coding Plan)",
                "baseUrl": "https://coding.dashscope.aliyuncs.com/v1",
                "description": "qwen3-coder-plus from Alibaba Cloud Coding Plan",
                "envKey": "BAILIAN_CODING_PLAN_API_KEY",
            }
        ]
    },
    "env": {"BAILIAN_CODING_PLAN_API_KEY": "sk-sp-xxxxxxxxx"},
    "security": {"auth": {"selectedType": "openai"}},
    "model": {"name": "qwen3-coder-plus"},
}

REALISTIC = {
    "$version": 4,
    "modelProviders": {
        "openai": [
            {
                "id": "qwen3.6-plus",
                "name": "[ModelStudio Coding Plan] qwen3.6-plus",
                "baseUrl": "https://coding.dashscope.aliyuncs.com/v1",
                "envKey": "BAILIAN_CODING_PLAN_API_KEY",
                "wireApi": "chat-completions",
                "generationConfig": {
                    "timeout": 120000,
                    "maxRetries": 3,
                    "contextWindowSize": 1000000,
                    "samplingParams": {"temperature": 0.7, "top_p": 0.8, "enable_search": True},
                    "extra_body": {"enable_thinking": True},
                    "customHeaders": {"X-Session": "${session_id}"},
                    "modalities": {"image": True, "pdf": True},
                    "reasoning": {"effort": "high", "budget_tokens": 8000},
                    "cacheRetentionByBlock": {"user.last": "1h"},
                },
                "capabilities": {
                    "vision": True,
                    "reasoning": {"profile": "dashscope-thinking", "efforts": ["low", "high"]},
                },
            },
            {"id": "gpt-5", "wireApi": "responses", "generationConfig": {"reasoning": False}},
        ],
        "idealab": [{"id": "custom-1", "baseUrl": "http://localhost:8000/v1"}],
    },
    "providerProtocol": {"idealab": "openai"},
    "providerMetadata": {
        "coding-plan": {"version": "a1b2", "baseUrl": "https://coding.dashscope.aliyuncs.com/v1",
                        "region": "china", "builtinIds": ["qwen3.6-plus"], "future": 1}
    },
    "codingPlan": {"region": "china", "version": "old"},
    "tokenPlan": {"region": "intl"},
    "env": {"BAILIAN_CODING_PLAN_API_KEY": "sk-sp-x"},
    "security": {"auth": {"selectedType": "openai", "useExternal": False}},
    "model": {"name": "qwen3.6-plus", "generationConfig": {"contextWindowSize": 192000}},
    "mcpServers": {
        "github": {"command": "npx", "args": ["-y", "server-github"], "env": {"TOKEN": "$GH"}},
        "remote": {"httpUrl": "https://example.com/mcp", "headers": {"A": "b"}, "trust": True},
    },
    "hooks": {
        "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "check.sh",
                                                      "async": True, "shell": "bash"}]}]
    },
    "general": {"gitCoAuthor": False, "vimMode": True},
    "ui": {"statusLine": None, "customAsciiArt": {"small": "Q", "large": {"path": "art.txt"}}},
    "context": {"fileName": ["QWEN.md", "AGENTS.md"]},
    "tools": {"sandbox": "docker", "approvalMode": "yolo",
              "executionSandbox": {"filesystem": "workspace-write", "network": "closed"}},
    "channels": {"slack": {"anything": [1, 2]}},
    "agents": {"maxParallelAgentsByModel": {"qwen3-max": 2}},
    "serve": {"maxConcurrentSubSessionsTotal": 1024},
    "model.extra": None,
}
del REALISTIC["model.extra"]


def _seed_examples() -> list[dict]:
    """The complete settings examples of the seed page (one-line JSON after the intro)."""
    found = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.startswith("{ ") and '"modelProviders"' in line and '"security"' in line:
            found.append(json.loads(line))
    return found


def _pairs(issues: list[SchemaIssue]) -> set[tuple[tuple, str]]:
    return {(i.path, i.code) for i in issues}


def test_coding_plan_example_is_valid():
    assert validate(CODING_PLAN) == []


def test_realistic_file_is_valid():
    assert validate(REALISTIC) == []


def test_seed_examples_are_valid():
    examples = _seed_examples()
    assert len(examples) == 2  # Coding Plan and API key
    for example in examples:
        assert validate(example) == []


def test_empty_object_is_valid():
    assert validate({}) == []


@pytest.mark.parametrize("root", [[], "x", 3, None], ids=repr)
def test_root_must_be_an_object(root):
    assert validate(root) == [SchemaIssue((), "type", "Value must be an object", ["object"])]


CASES = [
    ("bool-from-int", {"general": {"vimMode": 1}}, ("general", "vimMode"), "type",
     "Value must be a boolean"),
    ("number-from-string", {"ui": {"shellOutputMaxLines": "5"}},
     ("ui", "shellOutputMaxLines"), "type", "Value must be a finite number"),
    ("integer-from-fraction", {"model": {"maxSessionTurns": 1.5}},
     ("model", "maxSessionTurns"), "type", "Value must be an integer"),
    ("string-from-number", {"model": {"name": 3}}, ("model", "name"), "type",
     "Value must be a string"),
    ("object-from-string", {"general": "x"}, ("general",), "type", "Value must be an object"),
    ("null-for-string", {"proxy": None}, ("proxy",), "type", "Value must be a string"),
    ("enum", {"tools": {"approvalMode": "always"}}, ("tools", "approvalMode"), "enum",
     "Value must be one of: plan, default, auto-edit, auto, yolo"),
    ("auth-type", {"security": {"auth": {"selectedType": "openai-compatible"}}},
     ("security", "auth", "selectedType"), "enum",
     "Value must be one of: openai, openai-responses, qwen-oauth, gemini, vertex-ai, anthropic"),
    ("minimum", {"mcp": {"toolIdleTimeoutMs": 10}}, ("mcp", "toolIdleTimeoutMs"), "range",
     "Value must be >= 10000"),
    ("maximum", {"context": {"autoCompactThreshold": 2}}, ("context", "autoCompactThreshold"),
     "range", "Value must be <= 1"),
    ("fraction-minimum", {"context": {"autoCompactThreshold": 0}},
     ("context", "autoCompactThreshold"), "range", "Value must be >= 0.01"),
    ("missing-id", {"modelProviders": {"openai": [{"name": "x"}]}},
     ("modelProviders", "openai", 0), "required", "Missing required field 'id'"),
    ("wire-api", {"modelProviders": {"openai": [{"id": "m", "wireApi": "api"}]}},
     ("modelProviders", "openai", 0, "wireApi"), "enum",
     "Value must be one of: chat-completions, responses"),
    ("env-number", {"env": {"PORT": 8080}}, ("env", "PORT"), "type", "Value must be a string"),
    ("provider-not-array", {"modelProviders": {"openai": {"protocol": "openai", "models": []}}},
     ("modelProviders", "openai"), "type", "Value must be an array"),
    ("custom-provider-not-array", {"modelProviders": {"x": {"models": []}}},
     ("modelProviders", "x"), "type", "Value must be an array"),
    ("reasoning-true", {"model": {"generationConfig": {"reasoning": True}}},
     ("model", "generationConfig", "reasoning"), "type", "Value must be false or an object"),
    ("reasoning-effort", {"model": {"generationConfig": {"reasoning": {"effort": "huge"}}}},
     ("model", "generationConfig", "reasoning", "effort"), "enum",
     "Value must be one of: low, medium, high, xhigh, max"),
    ("union-sandbox", {"tools": {"sandbox": 1}}, ("tools", "sandbox"), "type",
     "Value must be a boolean or a string"),
    ("union-list-item", {"context": {"fileName": ["a", 2]}}, ("context", "fileName", 1),
     "type", "Value must be a string"),
    ("git-co-author-field", {"general": {"gitCoAuthor": {"commit": "yes"}}},
     ("general", "gitCoAuthor", "commit"), "type", "Value must be a boolean"),
    ("sandbox-exact", {"tools": {"executionSandbox": {"filesystem": "read-only"}}},
     ("tools", "executionSandbox"), "required", "Missing required field 'network'"),
    ("hook-type", {"hooks": {"Stop": [{"hooks": [{"type": "function"}]}]}},
     ("hooks", "Stop", 0, "hooks", 0, "type"), "enum", "Value must be one of: command, http"),
    ("mcp-args", {"mcpServers": {"s": {"command": "x", "args": "-y"}}},
     ("mcpServers", "s", "args"), "type", "Value must be an array"),
    ("provider-protocol", {"providerProtocol": {"idealab": "openai-compatible"}},
     ("providerProtocol", "idealab"), "enum",
     "Value must be one of: openai, openai-responses, qwen-oauth, gemini, vertex-ai, anthropic"),
    ("version-type", {"$version": "4"}, ("$version",), "type",
     "Value must be a finite number"),
]


@pytest.mark.parametrize(
    ("value", "path", "code", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_issue_kinds(value, path, code, message):
    issues = validate(value)
    assert [(i.path, i.code, i.message) for i in issues] == [(path, code, message)]


def test_unknown_keys_at_the_key_path_with_siblings():
    issues = validate(
        {
            "general": {"vimmode": True},
            "modelProviders": {"openai": [{"id": "m", "api": "responses"}]},
            "selectedAuthType": "openai",
            "mcpServers": {"s": {"command": "x", "disabled": True}},
        }
    )
    by_path = {i.path: i for i in issues}
    assert set(by_path) == {
        ("general", "vimmode"),
        ("modelProviders", "openai", 0, "api"),
        ("selectedAuthType",),
        ("mcpServers", "s", "disabled"),
    }
    assert all(i.code == "unknown-key" for i in issues)
    assert "vimMode" in by_path[("general", "vimmode")].expected
    assert "wireApi" in by_path[("modelProviders", "openai", 0, "api")].expected
    assert "security" in by_path[("selectedAuthType",)].expected
    assert by_path[("general", "vimmode")].message == "Unknown setting 'vimmode' in general"


def test_execution_sandbox_rejects_extra_keys():
    issues = validate(
        {"tools": {"executionSandbox": {"filesystem": "read-only", "network": "open", "x": 1}}}
    )
    assert _pairs(issues) == {(("tools", "executionSandbox", "x"), "unknown-key")}


def test_reports_every_issue():
    value = {
        "general": {"vimMode": "yes", "language": "xx"},
        "ui": {"theme": 1},
        "modelProviders": {"openai": [{"name": "a"}, {"id": "b", "envKey": 5}]},
        "serve": {"maxConcurrentSubSessionsTotal": 0},
    }
    assert _pairs(validate(value)) == {
        (("general", "vimMode"), "type"),
        (("general", "language"), "enum"),
        (("ui", "theme"), "type"),
        (("modelProviders", "openai", 0), "required"),
        (("modelProviders", "openai", 1, "envKey"), "type"),
        (("serve", "maxConcurrentSubSessionsTotal"), "range"),
    }


@pytest.mark.parametrize(
    "value",
    [
        {"$version": 4},
        {"providerMetadata": {"coding-plan": {"version": "1", "anything": True}}},
        {"codingPlan": {"region": "china", "version": "x"}},
        {"tokenPlan": {"region": "intl", "version": 2}},
        {"env": {"ANY_NAME_AT_ALL": "v"}},
        {"modelProviders": {"openai": [{"id": "m", "generationConfig": {
            "customHeaders": {"X-A": "1"}, "extra_body": {"x": {"y": [1]}},
            "samplingParams": {"temperature": 1, "my_param": [1]}}}]}},
        {"mcpServers": {"s": {"command": "c", "env": {"A": "b"}, "headers": {"H": "v"}}}},
        {"channels": {"anything": {"goes": True}}},
        {"modelPricing": {"m": {"inputPerMillionTokens": 0.3}}},
        {"model": {"maxSessionTurns": 5.0}},
        {"telemetry": {"enabled": True, "someNewKey": 1}},
    ],
    ids=lambda v: next(iter(v)),
)
def test_not_flagged(value):
    assert validate(value) == []


def test_strict_types():
    assert _pairs(validate({"general": {"vimMode": "true"}})) == {
        (("general", "vimMode"), "type")
    }
    assert _pairs(validate({"ui": {"shellOutputMaxLines": True}})) == {
        (("ui", "shellOutputMaxLines"), "type")
    }


def test_paths_point_at_values_in_the_document():
    """Every reported path (minus the key for required) exists in the value."""
    value = {
        "modelProviders": {"openai": [{"id": 1, "generationConfig": {"timeout": "x", "bad": 1,
                                                                      "reasoning": "high"}}]},
        "hooks": {"Stop": [{"matcher": 1, "hooks": [{"type": "http", "timeout": "1"}]}]},
        "ui": {"customAsciiArt": {"path": 3}},
    }
    issues = validate(value)
    assert len(issues) == 7
    for issue in issues:
        node = value
        for segment in issue.path:
            node = node[segment]


def test_format_path():
    assert format_path(("modelProviders", "openai", 0, "envKey")) == (
        "modelProviders.openai[0].envKey"
    )
    assert format_path(()) == "(root)"


def test_messages_use_cli_wording():
    wording = re.compile(
        r"^(Value must be (a boolean|a finite number|an integer|a string|an object|an array|"
        r"one of: .+|[<>]=? .+|.+ or .+)|Missing required field '.+'|Unknown setting '.+'( in .+)?)$"
    )
    value = {"general": {"vimMode": 1, "x": 1}, "mcp": {"toolIdleTimeoutMs": 1},
             "modelProviders": {"openai": [{}]}}
    for issue in validate(value):
        assert wording.match(issue.message), issue.message
