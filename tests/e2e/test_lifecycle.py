"""Start-up, capabilities chosen per client, which documents are managed, fail-soft."""

from __future__ import annotations

import pytest
from lsprotocol import types

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")


async def test_capabilities_follow_the_client(client):
    caps = client.init_result.capabilities
    assert caps.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    assert set(caps.completion_provider.trigger_characters) == {'"', ":"}
    assert caps.hover_provider
    assert caps.inlay_hint_provider
    if client.name == "neovim":
        assert client.encoding == "utf-8"
        assert caps.diagnostic_provider is not None
    else:
        assert client.encoding == "utf-16"
        assert caps.diagnostic_provider is None
    assert "qwen-ls.signIn.qwenOAuth" in caps.execute_command_provider.commands


async def test_workspace_settings_get_diagnostics(client):
    paths = client.paths
    uri = client.open(paths.write(paths.workspace_settings, '{\n  "ui": {"theem": "x"}\n}\n'))
    diags = await client.diagnostics_for(uri)
    assert any(d.code == "QLS101" for d in diags), diags
    d = next(d for d in diags if d.code == "QLS101")
    assert d.source == "qwen-ls"
    assert d.code_description is not None and "qls101" in d.code_description.href


async def test_other_json_files_are_left_alone(client):
    paths = client.paths
    other = paths.write(paths.workspace / "package.json", '{"name": ')
    uri = client.open(other, language_id="json")
    if client.pull:
        assert await client.diagnostics_for(uri) == []
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 3)))
    assert hover is None
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 9)))
    assert not result or not (result.items if hasattr(result, "items") else result)
    assert uri not in client.diagnostics
