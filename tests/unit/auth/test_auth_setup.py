"""Coding Plan and API-key setup, status and the model picker, with real files under a tmp HOME."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
from pathlib import Path

from cli_reader import strip_json_comments
from conftest import API_KEY, CP_KEY
from dotenv import dotenv_values
from fakeprovider import slow

from qwen_ls.auth import api_key, coding_plan
from qwen_ls.auth.context import AuthEnv
from qwen_ls.auth.models import list_models, select_model
from qwen_ls.auth.status import auth_status, format_status
from qwen_ls.settings import presets

USER_FILE = """{
  // my own provider, keep it
  "modelProviders": {
    "openai": [
      {"id": "my-local", "baseUrl": "http://localhost:8000/v1", "envKey": "LOCAL_KEY"},
      {"id": "glm-4.7", "name": "[Bailian Coding Plan] glm-4.7",
       "baseUrl": "https://coding.dashscope.aliyuncs.com/v1",
       "envKey": "BAILIAN_CODING_PLAN_API_KEY"}
    ]
  },
  "codingPlan": {"region": "china", "version": "abc"},
  "model": {"name": "kimi-k2.5"}
}
"""


def load(path: Path) -> dict:
    return json.loads(strip_json_comments(path.read_text()))


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


async def test_coding_plan_verified_install(env: AuthEnv, provider, caplog, capsys) -> None:
    caplog.set_level(logging.DEBUG)
    user = env.user_settings()
    user.parent.mkdir(mode=0o700)
    user.write_text(USER_FILE)
    res = await coding_plan.sign_in(env, region="china", key=CP_KEY, base_url=provider.models_url)
    assert res["ok"], res
    assert res["model"] == "kimi-k2.5"  # the current model is still offered
    # verification request
    req = provider.requests_for("models")[0]
    assert req.path == "/v1/models" and req.headers["authorization"] == f"Bearer {CP_KEY}"
    # settings
    text = user.read_text()
    assert "// my own provider, keep it" in text
    value = load(user)
    openai = value["modelProviders"]["openai"]
    template = [m["id"] for m in presets.coding_plan_models("china")]
    assert [m["id"] for m in openai] == [*template, "my-local"]
    assert all(m["baseUrl"] == provider.models_url for m in openai[:-1])
    assert value["providerMetadata"]["coding-plan"]["region"] == "china"
    assert value["providerMetadata"]["coding-plan"]["baseUrl"] == provider.models_url
    assert len(value["providerMetadata"]["coding-plan"]["version"]) == 64
    assert "codingPlan" not in value
    assert value["security"]["auth"]["selectedType"] == "openai"
    assert value["model"] == {"name": "kimi-k2.5", "baseUrl": provider.models_url}
    assert "env" not in value
    # key in ~/.qwen/.env
    env_file = env.qwen_home / ".env"
    assert mode(env_file) == 0o600
    assert dotenv_values(env_file) == {"BAILIAN_CODING_PLAN_API_KEY": CP_KEY}
    out = capsys.readouterr()
    assert CP_KEY not in out.out + out.err + caplog.text + json.dumps(res)
    assert "sk-…9876" in res["message"]


async def test_coding_plan_template_urls_and_first_model(env: AuthEnv) -> None:
    res = await coding_plan.sign_in(env, region="intl", key=CP_KEY, verify=False,
                                    storage="settings")
    assert res["ok"]
    value = load(env.user_settings())
    first = presets.coding_plan_models("intl")[0]["id"]
    assert value["model"]["name"] == first == res["model"]
    assert value["modelProviders"]["openai"] == presets.coding_plan_models("intl")
    assert value["env"] == {"BAILIAN_CODING_PLAN_API_KEY": CP_KEY}
    assert not (env.qwen_home / ".env").exists()
    assert mode(env.user_settings()) == 0o600


async def test_coding_plan_rejected_key_writes_nothing(env: AuthEnv, provider) -> None:
    bad = "sk-sp-other-region-key-0000"
    res = await coding_plan.sign_in(env, region="intl", key=bad, base_url=provider.models_url)
    assert not res["ok"]
    assert "rejected the key sk-…0000 (HTTP 401)" in res["message"]
    assert "other region" in res["message"] and "Token Plan" in res["message"]
    assert bad not in res["message"]
    assert not env.qwen_home.exists()


async def test_coding_plan_bad_prefix_and_timeout(env: AuthEnv, provider) -> None:
    res = await coding_plan.sign_in(env, region="china", key="sk-abc123456789", verify=False)
    assert res["message"] == 'Invalid API key. Coding Plan API keys start with "sk-sp-". Please check.'
    provider.script("models", slow(1.0))
    res = await coding_plan.sign_in(env, region="china", key=CP_KEY, base_url=provider.models_url,
                                    timeout=0.2)
    assert not res["ok"] and "--no-verify" in res["message"]
    assert not env.qwen_home.exists()


async def test_coding_plan_warns_about_a_different_shell_key(workspace, environ) -> None:
    environ["BAILIAN_CODING_PLAN_API_KEY"] = "sk-sp-shell-value-4321"
    env = AuthEnv(workspace, environ)
    res = await coding_plan.sign_in(env, region="china", key=CP_KEY, verify=False)
    assert res["ok"]
    assert "also set in your shell environment (sk-…4321)" in res["message"]
    assert "sk-sp-shell-value-4321" not in res["message"]


async def test_coding_plan_writes_workspace_when_it_defines_providers(env: AuthEnv,
                                                                      workspace) -> None:
    ws_file = workspace / ".qwen" / "settings.json"
    ws_file.parent.mkdir()
    ws_file.write_text('{"modelProviders": {"openai": []}}')
    res = await coding_plan.sign_in(env, region="china", key=CP_KEY, verify=False)
    assert res["ok"]
    assert str(ws_file) in res["files"]
    assert load(ws_file)["security"]["auth"]["selectedType"] == "openai"
    assert not env.user_settings().exists()


async def test_api_key_add_then_update_then_select(env: AuthEnv, workspace) -> None:
    subprocess.run(["git", "init", "-q", str(workspace)], check=True)
    res = await api_key.sign_in(env, protocol="openai", base_url="https://openrouter.ai/api/v1",
                                model_id="qwen/qwen3-coder", key=API_KEY, storage="workspace",
                                verify=False)
    assert res["ok"], res
    entry = load(env.user_settings())["modelProviders"]["openai"][0]
    assert entry["envKey"] == "OPENROUTER_API_KEY"  # the preset's env key
    assert entry["name"] == "[OpenRouter] qwen/qwen3-coder"
    ws_env = workspace / ".qwen" / ".env"
    assert dotenv_values(ws_env) == {"OPENROUTER_API_KEY": API_KEY} and mode(ws_env) == 0o600
    assert "/.qwen/.env" in (workspace / ".gitignore").read_text()
    # same identity again: updated in place, not duplicated
    res = await api_key.sign_in(env, protocol="openai", base_url="https://openrouter.ai/api/v1/",
                                model_id="qwen/qwen3-coder", key=API_KEY, env_key="MY_OR_KEY",
                                name="Coder", verify=False)
    value = load(env.user_settings())
    assert len(value["modelProviders"]["openai"]) == 1
    assert value["modelProviders"]["openai"][0]["envKey"] == "MY_OR_KEY"
    assert value["modelProviders"]["openai"][0]["name"] == "Coder"
    assert value["model"] == {"name": "qwen/qwen3-coder",
                              "baseUrl": "https://openrouter.ai/api/v1"}
    assert dotenv_values(env.qwen_home / ".env") == {"MY_OR_KEY": API_KEY}
    assert API_KEY not in json.dumps(res)


async def test_api_key_refuses_secret_as_env_key(env: AuthEnv) -> None:
    res = await api_key.sign_in(env, protocol="anthropic", base_url="https://api.anthropic.com",
                                model_id="claude", key=API_KEY, env_key=API_KEY, verify=False)
    assert not res["ok"] and "NAME of an environment variable" in res["message"]
    assert API_KEY not in res["message"]
    assert not env.qwen_home.exists()


def test_presets_for_client_shape() -> None:
    items = api_key.presets_for_client()
    cp = next(p for p in items if p["id"] == "coding-plan")
    assert cp["envKey"] == "BAILIAN_CODING_PLAN_API_KEY" and cp["protocol"] == "openai"
    assert {"url": "https://coding.dashscope.aliyuncs.com/v1", "label": "China (Beijing)"} \
        in cp["baseUrls"]
    assert cp["models"] and set(items[0]) == {"id", "label", "protocol", "baseUrls", "envKey",
                                              "models"}


# ---- status and models -------------------------------------------------------------------------

async def test_status_after_coding_plan(env: AuthEnv, workspace, environ) -> None:
    await coding_plan.sign_in(env, region="china", key=CP_KEY, verify=False)
    status = auth_status(workspace, environ)
    assert status["method"] == "coding-plan" and status["complete"], status
    assert status["key"] == {"envKey": "BAILIAN_CODING_PLAN_API_KEY", "present": True,
                             "source": "~/.qwen/.env:1", "masked": "sk-…9876"}
    assert status["baseUrl"] == "https://coding.dashscope.aliyuncs.com/v1"
    assert CP_KEY not in json.dumps(status) and CP_KEY not in format_status(status)
    (env.qwen_home / ".env").unlink()
    status = auth_status(workspace, environ)
    assert not status["complete"]
    assert any(p.startswith("Not signed in: BAILIAN_CODING_PLAN_API_KEY is not set in any env source "
                            "(searched: ") for p in status["problems"])


def test_status_none_and_oauth(env: AuthEnv, workspace, environ) -> None:
    status = auth_status(workspace, environ)
    assert status["method"] == "none" and not status["complete"]
    env.user_settings().parent.mkdir()
    env.user_settings().write_text('{"security": {"auth": {"selectedType": "qwen-oauth"}}}')
    status = auth_status(workspace, environ)
    assert status["method"] == "qwen-oauth"
    assert any("discontinued on 2026-04-15" in p for p in status["problems"])
    env.user_settings().write_text('{"security": {"auth": {"selectedType": "openai"}}}')
    status = auth_status(workspace, environ)
    assert any(p.startswith("No model is selected") for p in status["problems"])


async def test_list_and_select_models(env: AuthEnv, workspace, environ) -> None:
    await coding_plan.sign_in(env, region="china", key=CP_KEY, verify=False)
    await api_key.sign_in(env, protocol="anthropic", base_url="https://api.anthropic.com",
                          model_id="claude-x", key=API_KEY, verify=False)
    listing = list_models(workspace, environ)
    assert [g["protocol"] for g in listing["groups"]] == ["openai", "anthropic"]
    assert listing["current"] == {"id": "claude-x", "protocol": "anthropic",
                                  "baseUrl": "https://api.anthropic.com"}
    row = listing["groups"][0]["models"][0]
    assert row["keyStatus"] == "set" and row["keySource"] == "~/.qwen/.env:1"
    assert row["scope"] == "user" and row["scopeFile"] == str(env.user_settings())
    assert row["contextWindow"] == 1_000_000 and not row["current"]
    res = await select_model(env, "glm-5")
    assert res["ok"] and res["status"] == "selected", res
    value = load(env.user_settings())
    assert value["model"] == {"name": "glm-5",
                              "baseUrl": "https://coding.dashscope.aliyuncs.com/v1"}
    assert value["security"]["auth"]["selectedType"] == "openai"
    res = await select_model(env, "nope", protocol="openai")
    assert res["message"].startswith("Model 'nope' is not available for auth type 'openai'. "
                                     "Available models for 'openai': qwen3.5-plus, ")


async def test_command_dispatcher(env: AuthEnv, provider) -> None:
    from qwen_ls.auth import commands

    res = await commands.run_command(commands.SIGN_IN_CODING_PLAN,
                                     {"region": "china", "key": CP_KEY,
                                      "baseUrl": provider.models_url}, env)
    assert res["ok"], res
    status = await commands.run_command(commands.AUTH_STATUS, None, env)
    assert status["authType"] == "openai" and status["key"]["present"]
    listing = await commands.run_command(commands.LIST_MODELS, {}, env)
    assert listing["current"]["id"] == "qwen3.5-plus"
    res = await commands.run_command(commands.SELECT_MODEL, {"id": "glm-5"}, env)
    assert res["status"] == "selected"
    assert (await commands.run_command(commands.SELECT_MODEL, {}, env))["status"] == "error"
    assert await commands.run_command(commands.API_KEY_PRESETS, {}, env)
    assert (await commands.run_command("qwen-ls.nope", {}, env))["ok"] is False
