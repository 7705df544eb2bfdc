"""Hover, definition, document symbols, rename and inlay hints end to end."""

from __future__ import annotations

import pytest
from helpers import USER_ENV, USER_SETTINGS, WORKSPACE_USES_USER_MODEL
from lsprotocol import types

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")


def ident(uri):
    return types.TextDocumentIdentifier(uri=uri)


def hover_text(hover):
    contents = hover.contents
    return contents.value if isinstance(contents, types.MarkupContent) else str(contents)


async def test_hover_key_and_model_name(client):
    paths = client.paths
    paths.write(paths.user_settings, USER_SETTINGS)
    uri = client.open(paths.write(paths.workspace_settings, WORKSPACE_USES_USER_MODEL))
    key = await client.text_document_hover_async(types.HoverParams(
        text_document=ident(uri), position=client.position(uri, '"name"', 2)))
    assert "modelProviders" in hover_text(key)
    kind = key.contents.kind
    assert kind == (types.MarkupKind.Markdown if client.name == "visual-studio-code" or
                    kind == types.MarkupKind.Markdown else types.MarkupKind.PlainText)
    value = await client.text_document_hover_async(types.HoverParams(
        text_document=ident(uri), position=client.position(uri, "qwen3-coder-plus", 3)))
    text = hover_text(value)
    assert "modelProviders.openai[0]" in text and "user settings" in text
    assert value.range.start == client.position(uri, '"qwen3-coder-plus"')


async def test_hover_env_key_masks_the_value(client):
    paths = client.paths
    paths.write(paths.home / ".qwen" / ".env", USER_ENV)
    uri = client.open(paths.write(paths.user_settings, USER_SETTINGS))
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=ident(uri), position=client.position(uri, "DASHSCOPE_API_KEY", 2)))
    text = hover_text(hover)
    assert "sk-…1a2b" in text and "sk-dashscope000000001a2b" not in text
    assert ".env" in text
    missing = await client.text_document_hover_async(types.HoverParams(
        text_document=ident(uri), position=client.position(uri, '"OPENAI_API_KEY"', 2)))
    assert "not set" in hover_text(missing)


async def test_definition_into_the_user_file_and_env_file(client):
    paths = client.paths
    paths.write(paths.user_settings, USER_SETTINGS)
    env_file = paths.write(paths.home / ".qwen" / ".env", USER_ENV)
    uri = client.open(paths.write(paths.workspace_settings, WORKSPACE_USES_USER_MODEL))
    result = await client.text_document_definition_async(types.DefinitionParams(
        text_document=ident(uri), position=client.position(uri, "qwen3-coder-plus", 2)))
    loc = result[0]
    assert loc.uri == paths.user_settings.as_uri()
    user_text = paths.user_settings.read_text()
    line = user_text.splitlines()[loc.range.start.line]
    assert '"id": "qwen3-coder-plus"' in line
    user = client.open(paths.user_settings)
    result = await client.text_document_definition_async(types.DefinitionParams(
        text_document=ident(user), position=client.position(user, "DASHSCOPE_API_KEY", 1)))
    assert result[0].uri == env_file.as_uri() and result[0].range.start.line == 1


async def test_hierarchical_symbols(client):
    paths = client.paths
    uri = client.open(paths.write(paths.user_settings, USER_SETTINGS))
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=ident(uri)))
    names = [s.name for s in symbols]
    assert "modelProviders" in names and "security" in names
    if isinstance(symbols[0], types.DocumentSymbol):
        providers = next(s for s in symbols if s.name == "modelProviders")
        openai = next(c for c in providers.children if c.name == "openai")
        assert [m.name for m in openai.children] == ["qwen3-coder-plus", "gpt-5"]
        assert openai.children[0].detail == "Qwen3 Coder Plus"


async def test_rename_model_id_across_files(client):
    paths = client.paths
    paths.write(paths.user_settings, USER_SETTINGS)
    ws_text = WORKSPACE_USES_USER_MODEL.replace(
        '"model"', '"fastModel": "openai:qwen3-coder-plus",\n  "model"')
    uri = client.open(paths.write(paths.workspace_settings, ws_text))
    pos = client.position(uri, "qwen3-coder-plus", 3, nth=1)
    prep = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        text_document=ident(uri), position=pos))
    assert prep.placeholder == "qwen3-coder-plus"
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=ident(uri), position=pos, new_name="qcp"))
    changes = edit.changes
    assert set(changes) == {uri, paths.user_settings.as_uri()}
    assert sorted(e.new_text for e in changes[uri]) == ['"openai:qcp"', '"qcp"']
    assert [e.new_text for e in changes[paths.user_settings.as_uri()]] == ['"qcp"']
    none = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        text_document=ident(uri), position=client.position(uri, "$version", 2)))
    assert none is None


async def test_inlay_hints_after_env_keys(client):
    paths = client.paths
    paths.write(paths.home / ".qwen" / ".env", USER_ENV)
    uri = client.open(paths.write(paths.user_settings, USER_SETTINGS))
    end = client.position_at(uri, len(client.texts[uri]))
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=ident(uri), range=types.Range(types.Position(0, 0), end)))
    labels = [h.label for h in hints]
    assert labels == ["✓ ~/.qwen/.env", "✗ not set", "✗ not set"]
    assert hints[0].position == client.position(uri, '"DASHSCOPE_API_KEY"', len('"DASHSCOPE_API_KEY"'))
