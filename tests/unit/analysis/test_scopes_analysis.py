"""Diagnostics are computed against the effective settings of every scope."""

from __future__ import annotations

import json

USER = {
    "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",
                                   "baseUrl": "https://api.openai.com/v1"}]},
    "security": {"auth": {"selectedType": "openai"}},
}


def test_workspace_model_defined_only_in_user_file_is_not_an_error(sandbox):
    sandbox.write(".qwen/settings.json", json.dumps(USER))
    _, findings = sandbox.analyze('{"model": {"name": "gpt-4o"}}', "workspace",
                                  {"OPENAI_API_KEY": "sk-test-0000000000000000"})
    assert findings == []


def test_workspace_model_missing_everywhere_is_reported(sandbox):
    sandbox.write(".qwen/settings.json", json.dumps(USER))
    text = '{"model": {"name": "gpt-4"}}'
    _, findings = sandbox.analyze(text, "workspace", {"OPENAI_API_KEY": "sk-test-0000000000000"})
    assert [f.code for f in findings] == ["QLS203"]
    assert text[findings[0].span.start:findings[0].span.end] == '"gpt-4"'
    assert "'gpt-4o'" in findings[0].message


def test_workspace_model_providers_replace_user_provider_key(sandbox):
    sandbox.write(".qwen/settings.json", json.dumps({**USER, "model": {"name": "gpt-4o"}}))
    # the workspace redefines modelProviders.openai: the user's gpt-4o is no longer registered
    ws = {"modelProviders": {"openai": [{"id": "local", "envKey": "OPENAI_API_KEY",
                                         "baseUrl": "http://localhost:8000/v1"}]}}
    sandbox.write("ws/.qwen/settings.json", json.dumps(ws))
    user_text = json.dumps({**USER, "model": {"name": "gpt-4o"}})
    _, findings = sandbox.analyze(user_text, "user", {"OPENAI_API_KEY": "sk-test-000000000000"})
    assert [f.code for f in findings] == ["QLS203"]


def test_env_key_provided_by_user_settings_env_counts(sandbox):
    sandbox.write(".qwen/settings.json", json.dumps({"env": {"MY_KEY": "not-a-secret-value"}}))
    ws = {"modelProviders": {"openai": [{"id": "m", "envKey": "MY_KEY",
                                         "baseUrl": "https://api.example.com/v1"}]},
          "security": {"auth": {"selectedType": "openai"}}, "model": {"name": "m"}}
    _, findings = sandbox.analyze(json.dumps(ws), "workspace")
    assert [f.code for f in findings] == []


def test_missing_env_key_lists_sources_searched(sandbox):
    ws = {"modelProviders": {"openai": [{"id": "m", "envKey": "MY_KEY",
                                         "baseUrl": "https://api.example.com/v1"}]},
          "security": {"auth": {"selectedType": "openai"}}, "model": {"name": "m"}}
    _, findings = sandbox.analyze(json.dumps(ws), "workspace")
    assert [f.code for f in findings] == ["QLS402"]
    message = findings[0].message
    assert "shell" in message and "~/.qwen/.env" in message and "~/.env" in message


def test_project_env_file_provides_key_and_change_clears_warning(sandbox):
    ws = {"modelProviders": {"openai": [{"id": "m", "envKey": "MY_KEY",
                                         "baseUrl": "https://api.example.com/v1"}]},
          "security": {"auth": {"selectedType": "openai"}}, "model": {"name": "m"}}
    _, findings = sandbox.analyze(json.dumps(ws), "workspace")
    assert [f.code for f in findings] == ["QLS402"]
    sandbox.write("ws/.qwen/.env", "MY_KEY=sk-test-00000000000000\n")
    _, findings = sandbox.analyze(json.dumps(ws), "workspace")
    assert findings == []


def test_secret_never_appears_in_messages(sandbox):
    secret = "sk-test-SECRETVALUE1234567890"
    text = json.dumps({"env": {"OPENAI_API_KEY": secret},
                       "modelProviders": {"openai": [{"id": "m", "envKey": secret,
                                                      "baseUrl": "https://api.openai.com/v1"}]}})
    _, findings = sandbox.analyze(text)
    assert findings
    for f in findings:
        assert "SECRETVALUE" not in f.message
