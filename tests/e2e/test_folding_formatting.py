"""Folding and formatting from the real server: what VS Code's JSON server gave these files
before they got their own language id (qwen-settings)."""

from __future__ import annotations

import pytest
from lsprotocol import types

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")

TEXT = '{\n  // keep me\n  "ui": {"theme":"Qwen Dark",\n  "hideTips":true}\n}\n'
PRETTY = '{\n  // keep me\n  "ui": {\n    "theme": "Qwen Dark",\n    "hideTips": true\n  }\n}\n'


async def test_folding_ranges(client):
    paths = client.paths
    uri = client.open(paths.write(paths.workspace_settings, PRETTY))
    ranges = await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert [(r.start_line, r.end_line) for r in ranges] == [(0, 5), (2, 4)]


async def test_formatting_keeps_comments(client):
    paths = client.paths
    uri = client.open(paths.write(paths.workspace_settings, TEXT))
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
    client.apply_workspace_edit(types.ApplyWorkspaceEditParams(edit=types.WorkspaceEdit(
        changes={uri: edits})))
    assert client.texts[uri] == PRETTY
