"""Sign-out of each method and the live status, end to end (real server, temporary HOME).

The live-status tests change files from outside the editor and send nothing — no didChange, no
didSave, no didChangeWatchedFiles — so only the server's own watching can see the change.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from helpers import wait_for
from lsprotocol import types

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")

CP_KEY = "sk-sp-e2e00000secret4321"
OWN_KEY = "sk-own-hand0000written99"
PROVIDERS = {"openai": [{"id": "m1", "baseUrl": "https://api.example.com/v1",
                         "envKey": "MY_PROVIDER_KEY"}]}


async def settle() -> None:
    """Let the status check that follows a didOpen (0.3 s later) pass before changing files, so
    that only the server's own watching can report the change."""
    await asyncio.sleep(0.6)


def codes(diags) -> set[str]:
    return {str(d.code) for d in diags}


def last_status(client) -> dict:
    return client.status_notifications[-1] if client.status_notifications else {}


def user_settings(paths, value: dict) -> None:
    paths.write(paths.user_settings, json.dumps({"$version": 4, **value}, indent=2) + "\n")


async def test_env_file_created_outside_the_editor_updates_status_and_diagnostics(client):
    paths = client.paths
    user_settings(paths, {"security": {"auth": {"selectedType": "openai"}},
                          "model": {"name": "m1"}, "modelProviders": PROVIDERS})
    uri = client.open(paths.write(paths.workspace_settings, '{\n  "$version": 4\n}\n'))
    status = await client.command("qwen-ls.authStatus")
    assert status["signedIn"] is False and status["nextStep"] == 'Run "Qwen: Sign in".'
    assert not any("qwen-ls auth" in p for p in status["problems"])  # editor wording
    user = client.open(paths.user_settings)
    assert "QLS402" in codes(await client.diagnostics_for(user))
    await settle()
    seen = len(client.status_notifications)
    # From a terminal: a key in ~/.qwen/.env, nothing sent by the client.
    paths.write(paths.home / ".qwen" / ".env", "MY_PROVIDER_KEY=sk-term000000000abcd\n")
    await wait_for(lambda: len(client.status_notifications) > seen
                   and last_status(client).get("signedIn") is True)
    assert last_status(client)["key"]["masked"] == "sk-…abcd"
    if not client.pull:  # pushed by the server: nobody typed, saved or asked
        await client.wait_published(user, 1, predicate=lambda d: "QLS402" not in codes(d))
    # A pull client without workspace/diagnostic/refresh (Neovim 0.11) gets fresh ones on its
    # next pull.
    diags = await client.wait_diagnostics(user, lambda d: "QLS402" not in codes(d))
    assert "QLS402" not in codes(diags)
    assert uri in client.texts and client.versions[user] == 1  # no didChange was needed


async def test_user_settings_edited_on_disk_after_being_opened_once(client):
    paths = client.paths
    user_settings(paths, {"security": {"auth": {"selectedType": "openai"}},
                          "model": {"name": "m1"}, "modelProviders": PROVIDERS})
    paths.write(paths.home / ".qwen" / ".env", "MY_PROVIDER_KEY=sk-term000000000abcd\n")
    user = client.open(paths.user_settings)
    await client.diagnostics_for(user)
    client.close(user)
    status = await client.command("qwen-ls.authStatus")
    assert status["signedIn"] is True and status["authType"] == "openai"
    user_settings(paths, {"security": {"auth": {"selectedType": "anthropic"}}})
    await wait_for(lambda: last_status(client).get("authType") == "anthropic")


async def test_oauth_credentials_appearing_are_seen(client):
    paths = client.paths
    user_settings(paths, {"security": {"auth": {"selectedType": "qwen-oauth"}}})
    status = await client.command("qwen-ls.authStatus")
    assert status["signedIn"] is False
    paths.write(paths.home / ".qwen" / "oauth_creds.json", json.dumps({
        "access_token": "a" * 20, "refresh_token": "r" * 20, "token_type": "Bearer",
        "resource_url": "portal.qwen.ai", "expiry_date": 4_000_000_000_000}))
    await wait_for(lambda: last_status(client).get("signedIn") is True)


async def test_a_fifo_and_a_link_loop_in_the_watched_set_hang_nothing(client):
    import os

    paths = client.paths
    user_settings(paths, {"security": {"auth": {"selectedType": "openai"}},
                          "model": {"name": "m1"}, "modelProviders": PROVIDERS})
    os.mkfifo(paths.workspace / ".qwen" / ".env")
    os.symlink(paths.home / ".env", paths.home / ".env")  # a loop
    uri = client.open(paths.write(paths.workspace_settings, '{\n  "$version": 4\n}\n'))
    await client.diagnostics_for(uri)
    assert (await client.command("qwen-ls.authStatus"))["signedIn"] is False
    await settle()
    paths.write(paths.home / ".qwen" / ".env", "MY_PROVIDER_KEY=sk-term000000000abcd\n")
    await wait_for(lambda: last_status(client).get("signedIn") is True)


async def test_sign_out_of_coding_plan_asks_only_about_the_auth_type(client):
    paths = client.paths
    signed = await client.command("qwen-ls.signIn.codingPlan",
                                  {"region": "china", "key": CP_KEY, "verify": False})
    assert signed["ok"], signed
    await wait_for(lambda: last_status(client).get("signedIn") is True)
    client.answer = "Clear it"
    result = await client.command("qwen-ls.signOut", {})
    assert result["ok"] and result["status"] == "signed-out", result
    assert [a.message.split(" (")[0] for a in client.asked] == [
        "Also clear security.auth.selectedType"]
    assert result["message"] == (
        "Signed out of Alibaba Cloud Coding Plan (China (Beijing)). Removed "
        "BAILIAN_CODING_PLAN_API_KEY in ~/.qwen/.env. Cleared security.auth.selectedType. "
        'Run "Qwen: Sign in" to sign in again.')
    assert CP_KEY not in (paths.home / ".qwen" / ".env").read_text()
    assert "selectedType" not in paths.user_settings.read_text()
    await wait_for(lambda: last_status(client).get("signedIn") is False)
    assert last_status(client)["nextStep"] == 'Run "Qwen: Sign in".'
    assert CP_KEY not in json.dumps(result)


async def test_sign_out_keeps_a_hand_written_key_when_told_to(client):
    paths = client.paths
    user_settings(paths, {"security": {"auth": {"selectedType": "openai"}},
                          "model": {"name": "m1"}, "modelProviders": PROVIDERS})
    hand = paths.write(paths.home / ".env", f"# mine\nMY_PROVIDER_KEY={OWN_KEY}\n")
    client.answer = "Keep it"
    result = await client.command("qwen-ls.signOut", {})
    assert result["status"] == "cancelled" and not result["ok"]
    assert client.asked[0].message.startswith("MY_PROVIDER_KEY in ~/.env was not written by "
                                              "qwen-ls's sign-in")
    assert [a.title for a in client.asked[0].actions] == ["Remove it", "Keep it"]
    assert OWN_KEY in hand.read_text()
    result = await client.command("qwen-ls.signOut", {"confirmed": True,
                                                      "clearSelectedType": False})
    assert result["ok"] and hand.read_text() == "# mine\n"
    assert len(client.asked) == 2  # the second call asked nothing
    assert OWN_KEY not in json.dumps(result)


async def test_sign_out_of_qwen_oauth_through_an_open_settings_buffer(client):
    paths = client.paths
    user_settings(paths, {"security": {"auth": {"selectedType": "qwen-oauth"}}})
    creds = paths.write(paths.home / ".qwen" / "oauth_creds.json", json.dumps({
        "access_token": "a" * 20, "refresh_token": "r" * 20, "token_type": "Bearer",
        "resource_url": "portal.qwen.ai", "expiry_date": 4_000_000_000_000}))
    uri = client.open(paths.user_settings)
    result = await client.command("qwen-ls.signOut", {"clearSelectedType": True})
    assert result["ok"] and not creds.exists() and result["selectedTypeCleared"], result
    assert client.asked == []
    # The open buffer was edited through workspace/applyEdit (the user saves it).
    assert "selectedType" not in client.texts[uri]
    assert any(isinstance(e, types.ApplyWorkspaceEditParams) for e in client.applied_edits)


async def test_sign_out_dry_run_writes_and_asks_nothing(client):
    paths = client.paths
    await client.command("qwen-ls.signIn.codingPlan",
                         {"region": "intl", "key": CP_KEY, "verify": False})
    before = (paths.home / ".qwen" / ".env").read_text()
    result = await client.command("qwen-ls.signOut", {"dryRun": True})
    assert result["status"] == "planned" and client.asked == []
    assert result["plan"]["removals"][0]["attributable"] is True
    assert (paths.home / ".qwen" / ".env").read_text() == before


async def test_select_model_with_a_missing_key_offers_to_set_it(client):
    paths = client.paths
    user_settings(paths, {"security": {"auth": {"selectedType": "openai"}},
                          "model": {"name": "m1"}, "modelProviders": PROVIDERS})
    result = await client.command("qwen-ls.selectModel", {"id": "m1"})
    assert result["ok"] and result["keyStatus"] == "missing", result
    assert result["setKey"] == {"method": "api-key", "protocol": "openai",
                                "baseUrl": "https://api.example.com/v1", "modelId": "m1",
                                "envKey": "MY_PROVIDER_KEY"}
    assert result["message"].endswith("qwen will not start with this model. Set the key.")


async def test_sign_out_of_an_api_key_sign_in_made_by_qwen_ls(client):
    paths = client.paths
    signed = await client.command("qwen-ls.signIn.apiKey", {
        "protocol": "anthropic", "baseUrl": "https://api.anthropic.com", "modelId": "claude-x",
        "key": OWN_KEY, "envKey": "MY_ANTHROPIC_KEY", "storage": "workspace", "verify": False})
    assert signed["ok"], signed
    env_file = paths.workspace / ".qwen" / ".env"
    assert OWN_KEY in env_file.read_text()
    result = await client.command("qwen-ls.signOut", {"clearSelectedType": False})
    assert result["ok"] and client.asked == [], result  # attributable: nothing to ask
    assert result["removed"] == [f"MY_ANTHROPIC_KEY in {env_file}"]  # outside HOME: no ~
    assert "MY_ANTHROPIC_KEY" not in env_file.read_text()
    await wait_for(lambda: last_status(client).get("signedIn") is False)
    assert OWN_KEY not in json.dumps(result)
