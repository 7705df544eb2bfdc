"""Quick fixes from diagnostic data, fix-all, and the move-secret command end to end."""

from __future__ import annotations

import stat

import pytest
from lsprotocol import types

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")


def ident(uri):
    return types.TextDocumentIdentifier(uri=uri)


async def actions(client, uri, diags, only=None):
    rng = diags[0].range if diags else types.Range(types.Position(0, 0), types.Position(0, 0))
    result = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=ident(uri), range=rng,
        context=types.CodeActionContext(diagnostics=diags, only=only)))
    return list(result or [])


async def test_quick_fix_from_diagnostic_data(client):
    paths = client.paths
    text = '{\n  "$version": 4,\n  "selectedAuthType": "openai"\n}\n'
    uri = client.open(paths.write(paths.workspace_settings, text))
    diags = [d for d in await client.diagnostics_for(uri) if d.code == "QLS110"]
    found = await actions(client, uri, diags, [types.CodeActionKind.QuickFix])
    fix = next(a for a in found if a.kind == types.CodeActionKind.QuickFix)
    assert fix.is_preferred and fix.diagnostics[0].code == "QLS110"
    edit = fix.edit.document_changes[0]
    assert edit.text_document.uri == uri and edit.text_document.version == client.versions[uri]
    client.apply_workspace_edit(types.ApplyWorkspaceEditParams(edit=fix.edit))
    assert '"selectedAuthType"' not in client.texts[uri]
    assert '"selectedType": "openai"' in client.texts[uri]
    diags = await client.diagnostics_for(uri)
    assert "QLS110" not in [d.code for d in diags]


async def test_fix_all_applies_safe_fixes(client):
    paths = client.paths
    text = '{\n  "selectedAuthType": "openai",\n  "theme": "Qwen Dark"\n}\n'
    uri = client.open(paths.write(paths.workspace_settings, text))
    await client.diagnostics_for(uri)
    found = await actions(client, uri, [], ["source.fixAll.qwen-ls"])
    assert [a.kind for a in found] == ["source.fixAll.qwen-ls"]
    client.apply_workspace_edit(types.ApplyWorkspaceEditParams(edit=found[0].edit))
    diags = await client.diagnostics_for(uri)
    assert not [d for d in diags if d.code == "QLS110"], diags


async def test_move_secret_to_env(client):
    paths = client.paths
    secret = "sk-abcdefghijklmnopqrstuv9999"
    text = '{\n  "$version": 4,\n  "env": {"OPENAI_API_KEY": "' + secret + '"}\n}\n'
    (paths.workspace / ".git").mkdir()
    uri = client.open(paths.write(paths.workspace_settings, text))
    diags = [d for d in await client.diagnostics_for(uri) if d.code == "QLS406"]
    assert diags and secret not in diags[0].message
    found = await actions(client, uri, diags)
    move = next(a for a in found if a.command is not None
                and a.command.command == "qwen-ls.moveSecretToEnv")
    # It writes a second file, so its title says so, and it asks first.
    assert move.title == "Move OPENAI_API_KEY to .qwen/.env… (writes .qwen/.env, asks first)"
    result = await client.command(move.command.command, move.command.arguments[0])
    assert result["ok"], result
    (asked,) = client.asked
    assert "Undo" in asked.message and "mode 0600" in asked.message
    env_file = paths.workspace / ".qwen" / ".env"
    assert f"OPENAI_API_KEY={secret}" in env_file.read_text()
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert secret not in client.texts[uri]  # removed through workspace/applyEdit
    assert client.applied_edits
    assert ".qwen/.env" in (paths.workspace / ".gitignore").read_text()
    assert all(secret not in m.message for m in client.log_messages + client.messages)


async def test_move_secret_declined_writes_nothing(client):
    paths = client.paths
    secret = "sk-test-abcdefghijklmnopqrstuv9999"
    text = '{\n  "env": {"OPENAI_API_KEY": "' + secret + '"}\n}\n'
    uri = client.open(paths.write(paths.workspace_settings, text))
    diags = [d for d in await client.diagnostics_for(uri) if d.code == "QLS406"]
    move = next(a for a in await actions(client, uri, diags)
                if a.command is not None and a.command.command == "qwen-ls.moveSecretToEnv")
    client.answer = "Cancel"
    result = await client.command(move.command.command, move.command.arguments[0])
    assert result["status"] == "cancelled" and not result["ok"]
    assert not (paths.workspace / ".qwen" / ".env").exists()
    assert secret in client.texts[uri] and not client.applied_edits
    client.answer = None  # dismissed
    result = await client.command(move.command.command, move.command.arguments[0])
    assert result["status"] == "cancelled"
    assert not (paths.workspace / ".qwen" / ".env").exists()


async def test_disable_rule_for_this_line(client):
    paths = client.paths
    text = '{\n  "ui": {\n    "theem": "Qwen Dark"\n  }\n}\n'
    uri = client.open(paths.write(paths.workspace_settings, text))
    diags = [d for d in await client.diagnostics_for(uri) if d.code == "QLS101"]
    found = await actions(client, uri, diags, [types.CodeActionKind.QuickFix])
    titles = [a.title for a in found]
    assert "Disable QLS101 for this line" in titles
    assert "Show documentation for QLS101" in titles
    disable = next(a for a in found if a.title == "Disable QLS101 for this line")
    client.apply_workspace_edit(types.ApplyWorkspaceEditParams(edit=disable.edit))
    assert client.texts[uri] == '{\n  "ui": {\n    // qwen-ls: ignore QLS101\n' \
        '    "theem": "Qwen Dark"\n  }\n}\n'
    await client.wait_diagnostics(uri, lambda ds: "QLS101" not in [d.code for d in ds])


async def test_show_documentation_opens_the_rule_page(client):
    paths = client.paths
    uri = client.open(paths.write(paths.workspace_settings, '{"ui": {"theem": 1}}\n'))
    diags = [d for d in await client.diagnostics_for(uri) if d.code == "QLS101"]
    show = next(a for a in await actions(client, uri, diags)
                if a.title == "Show documentation for QLS101")
    result = await client.command(show.command.command, show.command.arguments[0])
    assert result["ok"]
    (shown,) = client.shown_documents
    assert shown.external and shown.uri.endswith("docs/rules.md#qls101")


async def test_sign_in_quick_fix_on_a_model_without_auth_type(client):
    paths = client.paths
    text = ('{\n  "$version": 4,\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": '
            '"OPENAI_API_KEY", "baseUrl": "https://api.openai.com/v1"}]},\n'
            '  "model": {"name": "gpt-4o"}\n}\n')
    uri = client.open(paths.write(paths.workspace_settings, text))
    diags = [d for d in await client.diagnostics_for(uri) if d.code == "QLS204"]
    assert diags
    found = await actions(client, uri, diags, [types.CodeActionKind.QuickFix])
    sign_in = next(a for a in found if a.title == "Sign in…")
    assert sign_in.kind == types.CodeActionKind.QuickFix and sign_in.edit is None
    assert sign_in.command.command == "qwen-ls.signIn"
    (argument,) = sign_in.command.arguments
    assert dict(argument) == {"code": "QLS204", "uri": uri}
    assert "qwen-ls.signIn" in client.init_result.capabilities.execute_command_provider.commands
    # A client without its own sign-in flow runs it on the server: it says what to do.
    result = await client.command("qwen-ls.signIn", dict(argument))
    assert result["status"] == "cancelled" and "`qwen-ls auth sign-in`" in result["message"]
