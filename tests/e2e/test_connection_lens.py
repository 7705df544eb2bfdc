"""Test connection end to end: the code lens, the command, the information diagnostic, the
confirmation before a workspace file sends a key, and provider model ids in completion.

The real server runs as a subprocess with a temporary HOME; the provider is a real HTTP server
on 127.0.0.1 (tests/fakeprovider.py).
"""

from __future__ import annotations

import json

import pytest
from fakeprovider import FakeProvider
from lsprotocol import types

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")

KEY = "sk-probe-e2e-0123456789abcdef"
TEST = "qwen-ls.testConnection"


@pytest.fixture
def provider():
    with FakeProvider(valid_keys=(KEY,)) as fp:
        fp.model_ids = ["qwen3-coder-plus", "qwen3.5-plus", "kimi-k2.5"]
        yield fp


def settings(base_url: str, model: str = "qwen3-coder-plus") -> str:
    return json.dumps({
        "modelProviders": {"openai": [
            {"id": model, "baseUrl": base_url, "envKey": "PROBE_KEY"},
        ]},
        "security": {"auth": {"selectedType": "openai"}},
        "model": {"name": model},
    }, indent=2) + "\n"


async def open_settings(client, provider, *, key: str = KEY, workspace: bool = False) -> str:
    """Write the key to ~/.qwen/.env and one entry on the provider into a settings file; open it."""
    paths = client.paths
    paths.write(paths.home / ".qwen" / ".env", f"PROBE_KEY={key}\n")
    file = paths.workspace_settings if workspace else paths.user_settings
    paths.write(file, settings(provider.models_url))
    uri = client.open(file)
    await client.diagnostics_for(uri)
    return uri


async def lenses(client, uri: str) -> list[types.CodeLens]:
    return await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri)))


def probe_diags(diags) -> list[types.Diagnostic]:
    return [d for d in diags if d.code == "test-connection"]


async def test_lens_runs_the_test_and_the_result_shows_until_the_file_changes(client, provider):
    caps = client.init_result.capabilities
    assert caps.code_lens_provider is not None and not caps.code_lens_provider.resolve_provider
    assert TEST in caps.execute_command_provider.commands
    uri = await open_settings(client, provider)
    assert probe_diags(await client.diagnostics_for(uri)) == []
    found = await lenses(client, uri)
    assert provider.requests == []  # computing lenses sends nothing
    by_path = {tuple(lens.command.arguments[0]["path"]): lens for lens in found}
    assert set(by_path) == {("model", "name"), ("modelProviders", "openai", 0)}
    lens = by_path[("modelProviders", "openai", 0)]
    assert lens.command.title == "Test connection" and lens.command.command == TEST

    result = await client.command(TEST, lens.command.arguments[0])
    assert result["ok"] is True and result["modelListed"] is True, result
    assert result["uri"] == uri and KEY not in json.dumps(result)
    [rec] = provider.requests_for("models")
    assert rec.headers["authorization"] == f"Bearer {KEY}"

    diags = await client.wait_diagnostics(uri, lambda ds: bool(probe_diags(ds)))
    [diag] = probe_diags(diags)
    assert diag.severity == types.DiagnosticSeverity.Information
    assert diag.message.startswith("Test connection ok: Connected to 127.0.0.1")
    id_value = client.position(uri, '"qwen3-coder-plus"', nth=0)
    assert diag.range.start == id_value  # on the entry's id

    client.change(uri, client.texts[uri].replace('"qwen3-coder-plus"', '"qwen3.5-plus"'))
    await client.wait_diagnostics(uri, lambda ds: not probe_diags(ds))


async def test_failure_is_explained_on_the_entry(client, provider):
    uri = await open_settings(client, provider, key="sk-wrong-key-000000000000")
    result = await client.command(TEST, {"uri": uri, "path": ["model", "name"]})
    assert result["ok"] is False and result["failure"] == "auth" and result["httpStatus"] == 401
    diags = await client.wait_diagnostics(uri, lambda ds: bool(probe_diags(ds)))
    [diag] = probe_diags(diags)
    assert "rejected the key sk-…0000" in diag.message
    assert diag.range.start == client.position(uri, '"qwen3-coder-plus"', nth=1)  # model.name


async def test_workspace_entry_asks_before_sending_the_key(client, provider):
    uri = await open_settings(client, provider, workspace=True)
    argument = {"uri": uri, "path": ["modelProviders", "openai", 0]}

    client.answer = "Cancel"
    result = await client.command(TEST, argument)
    assert result["status"] == "cancelled" and result["failure"] == "needs-confirmation"
    assert provider.requests == []
    [asked] = client.asked
    assert "127.0.0.1" in asked.message and "sk-…cdef" in asked.message
    assert KEY not in asked.message

    client.answer = "Send the key"
    result = await client.command(TEST, argument)
    assert result["ok"] is True and len(provider.requests) == 1


async def test_listed_ids_are_offered_in_completion_after_a_test(client, provider):
    uri = await open_settings(client, provider)

    async def labels_at_id() -> set[str]:
        pos = client.position(uri, '"qwen3-coder-plus"', delta=1, nth=0)
        answer = await client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=pos))
        items = answer.items if isinstance(answer, types.CompletionList) else answer or []
        return {i.label for i in items}

    assert "kimi-k2.5" not in await labels_at_id()
    result = await client.command(TEST, {"modelId": "qwen3-coder-plus"})
    assert result["ok"], result
    cache = client.paths.home / ".cache" / "qwen-ls" / "model-ids.json"
    assert cache.stat().st_mode & 0o777 == 0o600 and KEY not in cache.read_text()
    assert {"kimi-k2.5", "qwen3.5-plus"} <= await labels_at_id()
    provider.stop()  # offline: completion answers from the cache
    assert "kimi-k2.5" in await labels_at_id()
