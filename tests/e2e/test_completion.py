"""Completion end to end, including a file typed one keystroke at a time."""

from __future__ import annotations

import json

import pytest
from helpers import USER_ENV, USER_SETTINGS
from lsprotocol import types

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")


async def complete(client, uri, pos):
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=pos))
    if result is None:
        return []
    return list(result.items if isinstance(result, types.CompletionList) else result)


def apply(client, uri, item):
    text = client.texts[uri]
    edits = [item.text_edit, *(item.additional_text_edits or [])]
    spans = sorted(((client.offset_at(uri, e.range.start), client.offset_at(uri, e.range.end),
                     e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


async def test_keys_not_present_with_correct_json(client):
    paths = client.paths
    text = '{\n  "model": {\n    "name": "x"\n    \n  }\n}\n'
    uri = client.open(paths.write(paths.workspace_settings, text))
    items = await complete(client, uri, client.position(uri, "    \n", 4))
    labels = {i.label for i in items}
    assert "generationConfig" in labels and "name" not in labels
    item = next(i for i in items if i.label == "reasoningEffort")
    new = apply(client, uri, item)
    assert '"x",' in new and '"reasoningEffort":' in new
    if item.insert_text_format != types.InsertTextFormat.Snippet:
        json.loads(new)


async def test_new_provider_snippet(client):
    paths = client.paths
    text = '{\n  "modelProviders": {\n    \n  }\n}\n'
    uri = client.open(paths.write(paths.workspace_settings, text))
    items = await complete(client, uri, client.position(uri, "    \n", 4))
    openai = next(i for i in items if i.label == "openai")
    if client.name == "visual-studio-code":  # snippet support
        assert openai.insert_text_format == types.InsertTextFormat.Snippet
        for key in ("id", "name", "baseUrl", "envKey"):
            assert f'"{key}"' in openai.text_edit.new_text
        assert "${1" in openai.text_edit.new_text


async def test_model_name_values_from_every_scope(client):
    paths = client.paths
    paths.write(paths.user_settings, USER_SETTINGS)
    text = '{\n  "model": {"name": ""}\n}\n'
    uri = client.open(paths.write(paths.workspace_settings, text))
    items = await complete(client, uri, client.position(uri, '""', 1))
    labels = [i.label for i in items]
    assert labels[:2] == ["qwen3-coder-plus", "gpt-5"]  # selected protocol (openai) first
    assert "claude-x" in labels
    first = items[0]
    assert "Qwen3 Coder Plus" in first.detail and "openai" in first.detail
    assert '"model": {"name": "qwen3-coder-plus"}' in apply(client, uri, first)


async def test_auth_type_env_key_and_base_url_values(client):
    paths = client.paths
    paths.write(paths.user_settings, USER_SETTINGS)
    paths.write(paths.home / ".qwen" / ".env", USER_ENV)
    text = ('{\n  "security": {"auth": {"selectedType": ""}},\n'
            '  "modelProviders": {"openai": [{"id": "a", "envKey": "", "baseUrl": ""}]}\n}\n')
    uri = client.open(paths.write(paths.workspace_settings, text))
    auth = await complete(client, uri, client.position(uri, '""', 1))
    assert [i.label for i in auth][:1] and {"openai", "anthropic", "qwen-oauth"} <= {i.label for i in auth}
    assert "model" in next(i for i in auth if i.label == "openai").detail
    env = await complete(client, uri, client.position(uri, '"envKey": ""', 11))
    dash = next(i for i in env if i.label == "DASHSCOPE_API_KEY")
    assert ".env" in dash.detail and "sk-" not in dash.detail
    urls = await complete(client, uri, client.position(uri, '"baseUrl": ""', 12))
    assert any("dashscope" in i.label for i in urls)


async def test_typing_from_empty_one_keystroke_at_a_time(client):
    paths = client.paths
    paths.write(paths.user_settings, USER_SETTINGS)
    final = ('{\n  "$version": 4,\n  "model": {"name": "qwen3-coder-plus"},\n'
             '  "modelProviders": {"openai": [{"id": "m\u00e9", "envKey": "K"}]}\n}\n')
    uri = client.open(paths.write(paths.workspace_settings, ""), text="")
    for i in range(1, len(final) + 1):
        text = final[:i]
        client.change(uri, text)
        await client.diagnostics_for(uri)
        await complete(client, uri, client.position_at(uri, i))
    diags = await client.diagnostics_for(uri)
    assert not [d for d in diags if d.severity == types.DiagnosticSeverity.Error], diags
    assert not [m for m in client.messages if m.type == types.MessageType.Error]
