"""Sign-out of every method (:mod:`qwen_ls.auth.sign_out`), called directly with real files."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import API_KEY, CP_KEY
from fakeprovider import FakeProvider

from qwen_ls.auth import api_key, coding_plan
from qwen_ls.auth import creds as creds_mod
from qwen_ls.auth.context import AuthEnv
from qwen_ls.auth.sign_out import Question, plan_sign_out, sign_out
from qwen_ls.auth.status import auth_status

OPENAI_ENTRY = {"id": "gpt-4o", "baseUrl": "https://api.openai.com/v1", "envKey": "OPENAI_API_KEY"}


class Answers:
    """An ``Ask`` that records the questions and answers from a table by kind."""

    def __init__(self, **answers: bool) -> None:
        self.answers = answers
        self.asked: list[Question] = []

    async def __call__(self, question: Question) -> bool:
        self.asked.append(question)
        return self.answers.get(question.kind.replace("-", "_"), False)


def user_settings(env: AuthEnv, value: dict) -> Path:
    path = env.user_settings()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2) + "\n")
    return path


def no_secret(res: dict, *secrets: str) -> None:
    text = json.dumps(res)
    for secret in secrets:
        assert secret not in text


async def test_coding_plan_key_is_attributable_and_removed_without_a_question(env) -> None:
    env_file = env.qwen_home / ".env"
    env_file.parent.mkdir()
    env_file.write_text("# my notes\nOTHER=1\n")
    res = await coding_plan.sign_in(env, region="china", key=CP_KEY, verify=False)
    assert res["ok"], res
    ask = Answers(selected_type=True)
    out = await sign_out(env, ask)
    assert out["ok"] and out["status"] == "signed-out", out
    assert [q.kind for q in ask.asked] == ["selected-type"]  # no hand-written question
    assert env_file.read_text() == "# my notes\nOTHER=1\n"  # only the key's line went
    assert out["selectedTypeCleared"] and out["signedIn"] is False
    assert out["message"] == (
        "Signed out of Alibaba Cloud Coding Plan (China (Beijing)). Removed "
        "BAILIAN_CODING_PLAN_API_KEY in ~/.qwen/.env. Cleared security.auth.selectedType. "
        "Run `qwen-ls auth sign-in` to sign in again.")
    assert set(out["files"]) == {str(env_file), str(env.user_settings())}
    settings = json.loads(env.user_settings().read_text())
    assert "selectedType" not in settings["security"]["auth"]
    assert settings["modelProviders"]["openai"]  # the plan entries stay: only the key goes
    status = auth_status(None, {}, env=env)
    assert status["signedIn"] is False and status["nextStep"] == "Run `qwen-ls auth sign-in`."
    no_secret(out, CP_KEY)


async def test_keeping_selected_type_leaves_the_method_but_not_signed_in(env) -> None:
    await coding_plan.sign_in(env, region="intl", key=CP_KEY, verify=False)
    out = await sign_out(env, Answers(selected_type=False))
    assert out["ok"] and not out["selectedTypeCleared"]
    status = auth_status(None, {}, env=env)
    assert status["authType"] == "openai" and status["method"] == "coding-plan"
    assert status["signedIn"] is False
    assert any(p.startswith("Not signed in: BAILIAN_CODING_PLAN_API_KEY is not set")
               and p.endswith("Run `qwen-ls auth sign-in`.") for p in status["problems"])


async def test_coding_plan_key_in_settings_env_is_removed_through_the_store(env) -> None:
    await coding_plan.sign_in(env, region="china", key=CP_KEY, verify=False, storage="settings")
    text = env.user_settings().read_text()
    assert CP_KEY in text
    out = await sign_out(env, Answers(), clear_selected_type=False)
    assert out["ok"], out
    after = env.user_settings().read_text()
    assert CP_KEY not in after and '"selectedType": "openai"' in after
    assert out["removed"] == ["env.BAILIAN_CODING_PLAN_API_KEY in ~/.qwen/settings.json"]


async def test_api_key_in_workspace_env_is_attributable(env, workspace) -> None:
    with FakeProvider(valid_keys=(API_KEY,)) as provider:  # a local stub, should it be asked
        res = await api_key.sign_in(env, protocol="openai", base_url=provider.models_url,
                                    model_id="m1", key=API_KEY, env_key="EXAMPLE_KEY",
                                    storage="workspace")
    assert res["ok"], res
    ask = Answers(selected_type=False)
    out = await sign_out(env, ask)
    assert out["ok"] and [q.kind for q in ask.asked] == ["selected-type"]
    assert "EXAMPLE_KEY" not in (workspace / ".qwen" / ".env").read_text()
    assert out["removed"] == ["EXAMPLE_KEY in ~/project/.qwen/.env"]
    no_secret(out, API_KEY)


async def test_hand_written_key_is_asked_about_and_kept_on_no(env, home) -> None:
    user_settings(env, {"security": {"auth": {"selectedType": "openai"}},
                        "model": {"name": "gpt-4o"}, "modelProviders": {"openai": [OPENAI_ENTRY]}})
    hand = home / ".env"  # not a file qwen-ls's sign-in writes
    hand.write_text(f"OPENAI_API_KEY={API_KEY}\n")
    plan = plan_sign_out(env)
    assert [(r.kind, r.attributable) for r in plan.removals] == [("env-file", False)]
    dry = await sign_out(env, None, dry_run=True)
    assert dry["message"] == ("Signing out of OpenAI-compatible provider would remove nothing; it "
                              "would ask before removing OPENAI_API_KEY in ~/.env.")
    ask = Answers(hand_written=False, selected_type=False)
    out = await sign_out(env, ask)
    assert [q.kind for q in ask.asked] == ["hand-written", "selected-type"]
    assert ask.asked[0].message.startswith("OPENAI_API_KEY in ~/.env was not written by qwen-ls")
    assert (ask.asked[0].yes, ask.asked[0].no) == ("Remove it", "Keep it")
    assert not out["ok"] and out["status"] == "cancelled" and out["signedIn"] is True
    assert out["message"] == ("Still signed in to OpenAI-compatible provider. "
                              "Kept OPENAI_API_KEY in ~/.env (not written by qwen-ls).")
    assert hand.read_text() == f"OPENAI_API_KEY={API_KEY}\n" and out["files"] == []
    no_secret(out, API_KEY)

    out = await sign_out(env, Answers(hand_written=True, selected_type=False))
    assert out["ok"] and hand.read_text() == ""


async def test_default_variable_without_env_key_is_hand_written(env) -> None:
    entry = {k: v for k, v in OPENAI_ENTRY.items() if k != "envKey"}
    user_settings(env, {"security": {"auth": {"selectedType": "openai"}},
                        "model": {"name": "gpt-4o"}, "modelProviders": {"openai": [entry]}})
    (env.qwen_home / ".env").write_text(f"OPENAI_API_KEY={API_KEY}\n")
    plan = plan_sign_out(env)
    assert [r.attributable for r in plan.removals] == [False]
    out = await sign_out(env, None)  # nobody to ask: keep
    assert out["status"] == "cancelled" and API_KEY in (env.qwen_home / ".env").read_text()
    out = await sign_out(env, None, remove_hand_written=True, clear_selected_type=True)
    assert out["ok"] and out["selectedTypeCleared"]


async def test_shell_key_cannot_be_removed_and_says_so(workspace, environ) -> None:
    env = AuthEnv(workspace, {**environ, "OPENAI_API_KEY": API_KEY})
    user_settings(env, {"security": {"auth": {"selectedType": "openai"}},
                        "model": {"name": "gpt-4o"}, "modelProviders": {"openai": [OPENAI_ENTRY]}})
    out = await sign_out(env, Answers(selected_type=False))
    assert not out["ok"] and out["status"] == "error" and out["signedIn"] is True
    assert "OPENAI_API_KEY is set in the shell environment (sk-…6789); qwen-ls cannot unset it" \
        in out["message"]
    no_secret(out, API_KEY)


async def test_qwen_oauth_credentials_are_removed(env) -> None:
    user_settings(env, {"security": {"auth": {"selectedType": "qwen-oauth"}}})
    creds_mod.write_credentials(env.qwen_home, creds_mod.Credentials(
        "access-token-000000000", "refresh-token-00000000", "Bearer", "portal.qwen.ai",
        4_000_000_000_000))
    path = creds_mod.creds_path(env.qwen_home)
    out = await sign_out(env, Answers(selected_type=True))
    assert out["ok"] and not path.exists() and out["selectedTypeCleared"]
    assert out["message"].startswith("Signed out of Qwen OAuth. Removed the Qwen OAuth "
                                     "credentials ~/.qwen/oauth_creds.json.")
    again = await sign_out(env, Answers())
    assert again["ok"] and again["message"] == (
        "Not signed in; nothing to remove. Run `qwen-ls auth sign-in` to sign in again.")


async def test_dry_run_writes_nothing_and_editor_wording(workspace, environ) -> None:
    env = AuthEnv(workspace, environ, editor=True)
    await coding_plan.sign_in(env, region="china", key=CP_KEY, verify=False)
    before = (env.qwen_home / ".env").read_text()
    ask = Answers()
    plan = await sign_out(env, ask, dry_run=True)
    assert plan["status"] == "planned" and plan["ok"] and ask.asked == []
    assert plan["plan"]["removals"] == [{
        "kind": "env-file", "path": str(env.qwen_home / ".env"),
        "name": "BAILIAN_CODING_PLAN_API_KEY", "attributable": True,
        "label": "BAILIAN_CODING_PLAN_API_KEY in ~/.qwen/.env"}]
    assert plan["plan"]["selectedType"] == {"value": "openai",
                                            "files": [str(env.user_settings())]}
    assert (env.qwen_home / ".env").read_text() == before
    out = await sign_out(env, ask, clear_selected_type=False)
    assert out["message"].endswith('Run "Qwen: Sign in" to sign in again.')
    status = auth_status(None, {}, env=env)
    assert status["nextStep"] == 'Run "Qwen: Sign in".'
    assert not any("qwen-ls auth" in p for p in status["problems"])

