"""Picking a model whose key is missing says so (``select_model`` result fields)."""

from __future__ import annotations

from conftest import API_KEY
from test_sign_out import OPENAI_ENTRY, user_settings

from qwen_ls.auth.context import AuthEnv


async def test_picking_a_model_whose_key_is_missing_says_so(env, workspace, environ) -> None:
    from qwen_ls.auth.models import select_model

    other = {"id": "claude-x", "baseUrl": "https://api.anthropic.com", "envKey": "ANTH_KEY"}
    user_settings(env, {"security": {"auth": {"selectedType": "openai"}},
                        "model": {"name": "gpt-4o"},
                        "modelProviders": {"openai": [OPENAI_ENTRY], "anthropic": [other]}})
    (env.qwen_home / ".env").write_text(f"OPENAI_API_KEY={API_KEY}\n")
    res = await select_model(env, "claude-x")
    assert res["ok"] and res["status"] == "selected" and res["keyStatus"] == "missing"
    assert res["setKey"] == {"method": "api-key", "protocol": "anthropic",
                             "baseUrl": "https://api.anthropic.com", "modelId": "claude-x",
                             "envKey": "ANTH_KEY"}
    assert "Its key ANTH_KEY is not set (searched: " in res["message"]
    assert res["message"].endswith(
        "qwen will not start with this model. Set it with `qwen-ls auth api-key --protocol "
        "anthropic --base-url https://api.anthropic.com --model claude-x --env-key ANTH_KEY`.")
    res = await select_model(env, "gpt-4o")
    assert res["keyStatus"] == "set" and res["setKey"] is None and res["warning"] is None
    assert "not set" not in res["message"]
    editor = AuthEnv(workspace, environ, editor=True)
    res = await select_model(editor, "claude-x")
    assert res["message"].endswith("qwen will not start with this model. Set the key.")
