"""``features.inlay_hints``: after each ``envKey``, where its variable comes from, never its value.

Real documents parsed with qwen_ls.jsonc and real ``.env`` files under a temporary HOME; the
end-to-end twin is ``tests/e2e/test_navigation.py``.
"""

from __future__ import annotations

import json

import pytest
from feature_sandbox import PLAIN, SECRET, USER_SETTINGS, VSCODE

from qwen_ls.features.inlay_hints import inlay_hints
from qwen_ls.jsonc.types import Span


def hints(doc, ctx, span=None, flags=VSCODE):
    return inlay_hints(doc, ctx, span or Span(0, len(doc.text)), flags)


def provider(*entries):
    return {"modelProviders": {"openai": [
        {"id": f"m{i}", "envKey": key, "baseUrl": "https://example.test/v1"}
        for i, key in enumerate(entries)]}}


@pytest.fixture
def user_env(sandbox):
    sandbox.write(sandbox.user_env, f"# keys\nDASHSCOPE_API_KEY={SECRET}\n")
    return sandbox


def test_each_env_key_says_where_its_variable_comes_from(user_env):
    doc, ctx = user_env.open(user_env.user_settings, USER_SETTINGS)
    found = hints(doc, ctx)
    assert [h.label for h in found] == ["✓ ~/.qwen/.env", "✗ not set"]
    key_end = doc.text.index('"DASHSCOPE_API_KEY"') + len('"DASHSCOPE_API_KEY"')
    assert (found[0].position.line, found[0].position.character) == doc.lines.position(key_end)
    assert found[0].padding_left
    assert found[0].tooltip == "DASHSCOPE_API_KEY is provided by ~/.qwen/.env:2"
    assert "not set in any source" in found[1].tooltip


def test_every_kind_of_source(sandbox):
    sandbox.write(sandbox.project / ".qwen" / ".env", "PROJECT_KEY=sk-project000000001111\n")
    settings = provider("SHELL_KEY", "PROJECT_KEY", "SETTINGS_KEY", "BLANK_KEY")
    settings["env"] = {"SETTINGS_KEY": "sk-settings00000002222"}
    doc, ctx = sandbox.open(sandbox.workspace_settings, settings,
                            environ={"SHELL_KEY": "sk-shell000000003333", "BLANK_KEY": "  "})
    labels = [h.label for h in hints(doc, ctx)]
    assert labels == ["✓ shell", f"✓ {sandbox.project / '.qwen' / '.env'}", "✓ settings.env",
                      "✗ not set"]  # a blank value counts as unset


def test_hints_never_show_a_value_nor_a_key_pasted_into_env_key(user_env):
    pasted = "sk-pasted0000000000000beef"
    settings = json.loads(json.dumps(USER_SETTINGS))
    settings["modelProviders"]["openai"][1]["envKey"] = pasted
    doc, ctx = user_env.open(user_env.user_settings, settings)
    found = hints(doc, ctx)
    assert [h.label for h in found] == ["✓ ~/.qwen/.env"]  # none after the pasted key
    shown = repr(found)
    for secret in (SECRET, pasted):
        assert secret not in shown and secret[3:-4] not in shown


def test_only_the_requested_range_is_visited(user_env):
    doc, ctx = user_env.open(user_env.user_settings, USER_SETTINGS)
    second = doc.text.index('"gpt-5"')
    assert [h.label for h in hints(doc, ctx, Span(second, len(doc.text)))] == ["✗ not set"]
    assert [h.label for h in hints(doc, ctx, Span(0, doc.text.index('"gpt-5"') - 40))] == \
        ["✓ ~/.qwen/.env"]
    assert hints(doc, ctx, Span(0, 5)) == []


@pytest.mark.parametrize("text", [
    '{"modelProviders": []}',
    '{"modelProviders": {"openai": {"envKey": "K"}}}',
    '{"modelProviders": {"openai": ["K", 1, null, {"envKey": 5}, {"envKey": ""},'
    ' {"envKey": "   "}, {"envkey": "K"}, {"apiKeyEnv": "K"}]}}',
    '{"envKey": "K", "env": {"envKey": "K"}}',
], ids=["providers-array", "provider-object", "odd-entries", "env-key-elsewhere"])
def test_unknown_keys_and_odd_shapes_get_no_hint(sandbox, text):
    doc, ctx = sandbox.open(sandbox.user_settings, text, environ={"K": "sk-k00000000000004444"})
    assert hints(doc, ctx) == []


@pytest.mark.parametrize("text", [
    '{"modelProviders": {"openai": [{"id": "a", "envKey": "DASHSCOPE_API_KEY"}, {"id": "b",',
    '{"modelProviders": {"openai": [{"id": "a", "envKey": "DASHSCOPE_API_KEY",}]},}',
    '{"modelProviders": {"openai": [{"id": "a" "envKey": "DASHSCOPE_API_KEY"}]}}',
], ids=["unterminated", "trailing-commas", "missing-comma"])
def test_broken_json_still_gets_its_hints(user_env, text):
    doc, ctx = user_env.open(user_env.user_settings, text)
    assert [h.label for h in hints(doc, ctx)] == ["✓ ~/.qwen/.env"]


@pytest.mark.parametrize("text", ["", "{", "[]", '"x"', '{"modelProviders": {"openai": [{"envKey": '],
                         ids=["empty", "open-brace", "array", "string", "half-typed"])
def test_documents_without_env_keys(sandbox, text):
    doc, ctx = sandbox.open(sandbox.user_settings, text)
    assert hints(doc, ctx) == []


def test_positions_follow_the_client_encoding(user_env):
    text = '{"modelProviders": {"openai": [{"name": "😀", "envKey": "DASHSCOPE_API_KEY"}]}}'
    doc, ctx = user_env.open(user_env.user_settings, text)
    (utf16,), (utf8,) = hints(doc, ctx), hints(doc, ctx, flags=PLAIN)
    end = text.index("}]")
    assert utf16.position.character == end + 1  # the emoji is two UTF-16 units
    assert utf8.position.character == end + 3  # and four UTF-8 bytes
