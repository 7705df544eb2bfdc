"""Commands end to end: status, models, the OAuth device flow with progress and cancellation."""

from __future__ import annotations

import asyncio
import json

import pytest
from fakeprovider import FakeProvider, device_ok, pending, token_ok
from helpers import USER_ENV, USER_SETTINGS, wait_for
from lsprotocol import types

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")


@pytest.fixture
def provider():
    with FakeProvider() as fp:
        yield fp


async def test_status_and_models(client):
    paths = client.paths
    paths.write(paths.user_settings, USER_SETTINGS)
    paths.write(paths.home / ".qwen" / ".env", USER_ENV)
    status = await client.command("qwen-ls.authStatus")
    assert status["authType"] == "openai"
    assert client.status_notifications and client.status_notifications[-1]["authType"] == "openai"
    models = await client.command("qwen-ls.listModels")
    ids = [m["id"] for g in models["groups"] for m in g["models"]]
    assert "qwen3-coder-plus" in ids
    bad = await client.command("qwen-ls.selectModel", {})
    assert bad["ok"] is False and bad["status"] == "error"


async def test_select_model_writes_and_notifies(client):
    paths = client.paths
    paths.write(paths.user_settings, USER_SETTINGS)
    uri = client.open(paths.user_settings)
    result = await client.command("qwen-ls.selectModel", {"id": "gpt-5"})
    assert result["ok"], result
    assert '"gpt-5"' in client.texts[uri].split('"model"', 1)[-1]  # applied via applyEdit
    await wait_for(lambda: any((s.get("model") or {}).get("id") == "gpt-5"
                               for s in client.status_notifications))


async def test_oauth_device_flow(client, provider):
    provider.script("device", device_ok())
    provider.script("token", token_ok())
    result = await client.command("qwen-ls.signIn.qwenOAuth", {"baseUrl": provider.url},
                                  timeout=30)
    assert result["status"] == "signed-in", result
    creds = client.paths.home / ".qwen" / "oauth_creds.json"
    assert json.loads(creds.read_text())["access_token"]
    reports = [r for rs in client.progress_reports.values() for r in rs]
    if client.capabilities.window and client.capabilities.window.work_done_progress:
        assert reports[0].kind == "begin" and reports[-1].kind == "end"
        assert any("ABCD-1234" in (getattr(r, "message", "") or "") for r in reports)
    else:
        assert any("ABCD-1234" in m.message for m in client.messages)
    if client.capabilities.window and client.capabilities.window.show_document:
        assert client.shown_documents[0].uri.startswith("https://chat.qwen.ai/authorize")


async def test_oauth_cancel_stops_polling_and_writes_nothing(client, provider):
    provider.script("device", device_ok())
    provider.script("token", pending())
    task = asyncio.ensure_future(client.command(
        "qwen-ls.signIn.qwenOAuth", {"baseUrl": provider.url, "openBrowser": False}, timeout=30))
    await wait_for(lambda: bool(client.progress_reports) or any(
        "ABCD-1234" in m.message for m in client.messages))
    if client.progress_reports:
        token = next(iter(client.progress_reports))
        client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    else:
        await client.command("qwen-ls.cancel", {})
    result = await asyncio.wait_for(task, 10)
    assert result["status"] == "cancelled"
    polls = len(provider.requests_for("token"))
    assert not (client.paths.home / ".qwen" / "oauth_creds.json").exists()
    await asyncio.sleep(0)  # let any stray poll surface (none expected)
    assert len(provider.requests_for("token")) == polls


async def test_bad_arguments_give_structured_errors(client):
    result = await client.command("qwen-ls.signIn.apiKey", {"protocol": "openai"})
    assert result["ok"] is False and result["status"] == "error"
    result = await client.command("qwen-ls.moveSecretToEnv", {"uri": 3})
    assert result["ok"] is False


async def test_oauth_reports_on_the_clients_work_done_token(client, provider):
    provider.script("device", device_ok())
    provider.script("token", token_ok())
    token = "client-token-1"
    client.progress_reports[token] = []  # the client created it (client-initiated progress)
    result = await asyncio.wait_for(client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="qwen-ls.signIn.qwenOAuth", work_done_token=token,
                                   arguments=[{"baseUrl": provider.url, "openBrowser": False}])),
        30)
    assert result["status"] == "signed-in"
    kinds = [r.kind for r in client.progress_reports[token]]
    assert kinds[0] == "begin" and kinds[-1] == "end"
    assert any("ABCD-1234" in (getattr(r, "message", "") or "") for r in client.progress_reports[token])


async def test_status_carries_the_doctor_resolution_and_doctor_answers(client):
    """authStatus (and so the status bar) and qwen-ls.doctor say what `qwen -p` does here."""
    paths = client.paths
    settings = json.loads(USER_SETTINGS)
    settings["model"] = {"name": "qwen3-coder-plus"}
    text = json.dumps(settings, indent=2) + "\n"
    paths.write(paths.user_settings, text)
    paths.write(paths.home / ".qwen" / ".env", USER_ENV)
    status = await client.command("qwen-ls.authStatus")
    startup = status["startup"]
    assert (startup["starts"], startup["stops"]) == (True, None)
    assert (startup["authType"], startup["model"]) == ("openai", "qwen3-coder-plus")
    assert startup["key"]["var"] == "DASHSCOPE_API_KEY"
    assert startup["key"]["masked"] == "sk-…1a2b"
    assert startup["key"]["source"]["file"].endswith(".qwen/.env")
    assert client.status_notifications[-1]["startup"] == startup
    # An unsaved buffer counts: a model.name nothing configures makes qwen -p stop.
    uri = client.open(paths.user_settings)
    broken = text.replace('"selectedType": "openai"', '"selectedType": "gemini"')
    client.change(uri, broken)
    report = await client.command("qwen-ls.doctor")
    assert report["ok"] is True and report["starts"] is False
    assert "GEMINI_API_KEY" in report["stops"]
    assert {p["code"] for p in report["problems"]} >= {"QLS212"}
    assert "sk-dashscope000000001a2b" not in json.dumps(report)
    status = await client.command("qwen-ls.authStatus")
    assert status["startup"]["starts"] is False
