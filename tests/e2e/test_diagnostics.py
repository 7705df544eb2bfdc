"""Diagnostics end to end: push or pull per client, data, related information, tags, scopes."""

from __future__ import annotations

import pytest
from helpers import USER_ENV, USER_SETTINGS, WORKSPACE_USES_USER_MODEL
from lsprotocol import types

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")


def codes(diags):
    return sorted(d.code for d in diags)


async def test_push_or_pull_never_both(client):
    paths = client.paths
    uri = client.open(paths.write(paths.workspace_settings, '{"ui": {"theem": 1}}\n'))
    diags = await client.diagnostics_for(uri)
    assert "QLS101" in codes(diags)
    if client.pull:
        assert client.diagnostics == {}
    else:
        assert client.diagnostic_versions[uri] == 1


async def test_diagnostic_carries_data_tags_and_description(client):
    paths = client.paths
    text = '{\n  "$version": 4,\n  "selectedAuthType": "openai"\n}\n'
    uri = client.open(paths.write(paths.workspace_settings, text))
    diags = await client.diagnostics_for(uri)
    legacy = next(d for d in diags if d.code == "QLS110")
    assert legacy.source == "qwen-ls"
    assert types.DiagnosticTag.Deprecated in (legacy.tags or [])
    assert legacy.data["fixes"][0]["kind"] == "move-value"
    assert legacy.code_description.href.endswith("#qls110")
    assert legacy.range.start.line == 2


async def test_model_defined_only_in_user_file_is_no_error(client):
    paths = client.paths
    paths.write(paths.user_settings, USER_SETTINGS)
    paths.write(paths.home / ".qwen" / ".env", USER_ENV)
    uri = client.open(paths.write(paths.workspace_settings, WORKSPACE_USES_USER_MODEL))
    diags = await client.diagnostics_for(uri)
    assert not [d for d in diags if d.code in ("QLS203", "QLS207")], diags


async def test_unknown_model_has_related_and_clears_when_fixed(client):
    paths = client.paths
    paths.write(paths.user_settings, USER_SETTINGS)
    text = '{\n  "model": {"name": "qwen3-coder-pluss"}\n}\n'
    uri = client.open(paths.write(paths.workspace_settings, text))
    diags = await client.diagnostics_for(uri)
    assert "QLS203" in codes(diags)
    client.change(uri, text.replace("pluss", "plus"))
    diags = await client.diagnostics_for(uri)
    assert "QLS203" not in codes(diags)


async def test_close_clears_pushed_diagnostics(client):
    paths = client.paths
    uri = client.open(paths.write(paths.workspace_settings, '{"ui": {"theem": 1}}\n'))
    assert await client.diagnostics_for(uri)
    client.close(uri)
    if not client.pull:
        await client.wait_diagnostics(uri, lambda d: d == [])


async def test_env_file_change_on_disk_clears_the_diagnostic(client):
    paths = client.paths
    text = ('{\n  "modelProviders": {"openai": [{"id": "m", "baseUrl": "https://api.openai.com/v1",'
            ' "envKey": "MY_PROVIDER_KEY"}]},\n  "model": {"name": "m"},\n'
            '  "security": {"auth": {"selectedType": "openai"}}\n}\n')
    uri = client.open(paths.write(paths.workspace_settings, text))
    diags = await client.diagnostics_for(uri)
    assert "QLS402" in codes(diags)
    env_file = paths.write(paths.workspace / ".qwen" / ".env", "MY_PROVIDER_KEY=sk-local00000000abcd\n")
    if client.name == "visual-studio-code":
        assert any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in client.registrations)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=env_file.as_uri(), type=types.FileChangeType.Created)]))
    diags = await client.wait_diagnostics(uri, lambda d: "QLS402" not in codes(d))
    assert "QLS402" not in codes(diags)


async def test_unsaved_user_buffer_counts_for_the_workspace_file(client):
    paths = client.paths
    paths.write(paths.user_settings, '{"security": {"auth": {"selectedType": "openai"}}}\n')
    ws = client.open(paths.write(paths.workspace_settings, WORKSPACE_USES_USER_MODEL))
    assert "QLS203" in codes(await client.diagnostics_for(ws))
    user = client.open(paths.user_settings)
    client.change(user, USER_SETTINGS)
    await client.wait_diagnostics(ws, lambda d: "QLS203" not in codes(d))


async def test_u2028_in_a_string_keeps_positions_right(client):
    paths = client.paths
    text = '{\n  "ui": {"customWittyPhrases": ["a\u2028b"]},\n  "x": 1\n}\n'
    uri = client.open(paths.write(paths.workspace_settings, text))
    diags = await client.diagnostics_for(uri)
    unknown = next(d for d in diags if d.code == "QLS101")
    assert unknown.range.start.line == 2
    # An edit after the U+2028 line lands where the client meant it.
    edited = text.replace('"x": 1', '"y": 1,\n  "zz": 2')
    client.change(uri, edited)
    diags = await client.diagnostics_for(uri)
    lines = sorted(d.range.start.line for d in diags if d.code == "QLS101")
    assert lines == [2, 3], diags
    start = next(d for d in diags if d.code == "QLS101" and d.range.start.line == 3).range.start
    assert start == client.position(uri, '"zz"')


async def test_incremental_range_changes_after_u2028_land_where_the_client_meant(client):
    """Range changes are applied with LSP line breaks only (pygls' own copy would split on U+2028)."""
    paths = client.paths
    text = '{\n  "ui": {"customWittyPhrases": ["a\u2028b\u2029c"]},\n  "x": 1\n}\n'
    uri = client.open(paths.write(paths.workspace_settings, text))
    await client.diagnostics_for(uri)
    # replace "x" on line 2 with "zz" through a range change, the way editors send keystrokes
    start = client.position(uri, '"x"', 1)
    end = client.position(uri, '"x"', 2)
    client.versions[uri] += 1
    client.texts[uri] = text.replace('"x"', '"zz"')
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=client.versions[uri]),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=start, end=end), text="zz")]))
    diags = await client.diagnostics_for(uri)
    unknown = [d for d in diags if d.code == "QLS101"]
    assert len(unknown) == 1 and "'zz'" in unknown[0].message, diags
    assert unknown[0].range.start == client.position(uri, '"zz"')
