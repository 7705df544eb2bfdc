"""Test connection: one real request per failure class against the fake provider on 127.0.0.1.

Each test sets up real files under a temporary HOME, resolves the entry as the CLI would, sends
the request to a real HTTP server and checks the result's failure code and the words that tell
the user what to do. Provider-specific 401 hints (DashScope, Coding Plan, Token Plan hosts) are
checked on the pure explain functions: those hosts cannot be served locally.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from fakeprovider import (
    FakeProvider,
    Reply,
    html_page,
    malformed_json,
    models_ok,
    redirect,
    slow,
)

from qwen_ls.auth.context import AuthEnv
from qwen_ls.probe import explain, target
from qwen_ls.probe.run import test_connection as probe
from qwen_ls.probe.target import Target, TargetError

KEY = "sk-probe-test-0123456789abcdef"
CP_KEY = "sk-sp-probe0000secret9876"


@pytest.fixture
def provider():
    with FakeProvider(valid_keys=(KEY,)) as fp:
        fp.model_ids = ["qwen3-coder-plus", "qwen3-coder-flash", "qwen3.5-plus"]
        yield fp


def write_user(home: Path, settings: dict, env_text: str = "") -> None:
    (home / ".qwen" / "settings.json").write_text(json.dumps(settings))
    if env_text:
        (home / ".qwen" / ".env").write_text(env_text)


def entry_settings(protocol: str, base_url: str, model: str = "qwen3-coder-plus",
                   env_key: str = "MY_KEY") -> dict:
    return {"modelProviders": {protocol: [{"id": model, "baseUrl": base_url,
                                           "envKey": env_key}]},
            "security": {"auth": {"selectedType": protocol}}, "model": {"name": model}}


def env_for(home: Path, workspace: Path | None = None) -> AuthEnv:
    return AuthEnv(workspace, {"HOME": str(home), "PATH": "/usr/bin:/bin"})


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def run_user_entry(home: Path, protocol: str, base_url: str, *, model: str =
                         "qwen3-coder-plus", key: str = KEY, timeout: float = 10.0) -> dict:
    write_user(home, entry_settings(protocol, base_url, model), f"MY_KEY={key}\n")
    env = env_for(home)
    tgt = target.for_path(env, home / ".qwen" / "settings.json",
                          ["modelProviders", protocol, 0])
    return await probe(tgt, timeout=timeout)


# -- success, per protocol ---------------------------------------------------------------------

async def test_openai_ok_lists_the_model(home: Path, provider: FakeProvider) -> None:
    res = await run_user_entry(home, "openai", provider.models_url)
    assert res["ok"] and res["status"] == "ok" and res["failure"] is None
    assert res["modelListed"] is True and res["modelCount"] == 3
    assert isinstance(res["latencyMs"], int) and res["latencyMs"] >= 0
    assert res["key"] == {"envKey": "MY_KEY", "source": "~/.qwen/.env:1",
                          "masked": "sk-…cdef"}
    assert KEY not in json.dumps(res)
    [rec] = provider.requests_for("models")
    assert rec.path == "/v1/models" and rec.headers["authorization"] == f"Bearer {KEY}"


async def test_model_not_listed_gives_closest_ids(home: Path, provider: FakeProvider) -> None:
    res = await run_user_entry(home, "openai", provider.models_url, model="qwen3-coderplus")
    assert res["ok"] and res["modelListed"] is False
    assert res["closest"][0] == "qwen3-coder-plus"
    assert "not among the 3 models" in res["message"]
    assert "Closest: qwen3-coder-plus" in res["message"]


async def test_anthropic_lists_models_with_x_api_key(home: Path, provider: FakeProvider) -> None:
    res = await run_user_entry(home, "anthropic", provider.url, model="qwen3.5-plus")
    assert res["ok"] and res["modelListed"] is True
    [rec] = provider.requests_for("anthropic-models")
    assert rec.path.startswith("/v1/models") and rec.headers["x-api-key"] == KEY
    assert rec.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in rec.headers


async def test_gemini_lists_models_with_header_key(home: Path, provider: FakeProvider) -> None:
    provider.model_ids = ["gemini-2.5-pro", "gemini-2.5-flash"]
    res = await run_user_entry(home, "gemini", provider.url, model="gemini-2.5-pro")
    assert res["ok"] and res["modelListed"] is True and res["modelCount"] == 2
    [rec] = provider.requests_for("gemini-models")
    assert rec.path.startswith("/v1beta/models") and rec.headers["x-goog-api-key"] == KEY
    assert "key=" not in rec.path  # never in the URL, where proxies log it


# -- failures, one per class ------------------------------------------------------------------

async def test_401_wrong_key(home: Path, provider: FakeProvider) -> None:
    res = await run_user_entry(home, "openai", provider.models_url, key="sk-wrong-0000000000000")
    assert not res["ok"] and res["failure"] == "auth" and res["httpStatus"] == 401
    assert "rejected the key sk-…0000" in res["message"]
    assert "wrong, expired or revoked" in res["message"]
    assert 'The provider says: "Incorrect API key provided"' in res["message"]


async def test_403_is_explained_as_permission(home: Path, provider: FakeProvider) -> None:
    provider.script("models", Reply(403, {"error": {"message": "no access"}}))
    res = await run_user_entry(home, "openai", provider.models_url)
    assert res["failure"] == "auth" and "refused the key" in res["message"]
    assert "not allowed here" in res["message"]


async def test_anthropic_bad_key(home: Path, provider: FakeProvider) -> None:
    res = await run_user_entry(home, "anthropic", provider.url, key="sk-ant-wrong-000000000")
    assert res["failure"] == "auth" and "invalid x-api-key" in res["message"]


async def test_gemini_bad_key_400_is_an_auth_failure(home: Path, provider: FakeProvider) -> None:
    res = await run_user_entry(home, "gemini", provider.url, key="AIzaWrongKey000000000")
    assert res["failure"] == "auth" and res["httpStatus"] == 400
    assert "rejected the key" in res["message"] and "(HTTP 400)" in res["message"]


async def test_404_base_url_without_v1(home: Path, provider: FakeProvider) -> None:
    provider.script("models", Reply(404, {"error": "not found"}))
    res = await run_user_entry(home, "openai", provider.url)
    assert res["failure"] == "not-found" and res["httpStatus"] == 404
    assert f"try {provider.url}/v1" in res["message"]


async def test_404_base_url_ending_in_chat_completions(home: Path,
                                                       provider: FakeProvider) -> None:
    provider.script("models", Reply(404, {"error": "not found"}))
    res = await run_user_entry(home, "openai", provider.models_url + "/chat/completions")
    assert res["failure"] == "not-found"
    assert f"ends in /chat/completions, which the SDK appends itself: use {provider.models_url}." \
        in res["message"]


async def test_404_anthropic_base_with_v1(home: Path, provider: FakeProvider) -> None:
    provider.script("anthropic-models", Reply(404, {"error": "not found"}))
    res = await run_user_entry(home, "anthropic", provider.url + "/v1")
    assert res["failure"] == "not-found" and "must not end in /v1" in res["message"]


async def test_429(home: Path, provider: FakeProvider) -> None:
    provider.script("models", Reply(429, {"error": {"message": "slow down"}},
                                    headers={"Retry-After": "7"}))
    res = await run_user_entry(home, "openai", provider.models_url)
    assert res["failure"] == "rate-limited" and "Retry after 7 s" in res["message"]


async def test_500(home: Path, provider: FakeProvider) -> None:
    provider.script("models", Reply(503, "upstream exploded", content_type="text/plain"))
    res = await run_user_entry(home, "openai", provider.models_url)
    assert res["failure"] == "server" and "on its side" in res["message"]
    assert "upstream exploded" not in res["message"]  # never the raw body


async def test_timeout(home: Path, provider: FakeProvider) -> None:
    provider.script("models", slow(2.5, models_ok(["x"])))
    res = await run_user_entry(home, "openai", provider.models_url, timeout=1.0)
    assert res["failure"] == "timeout" and "did not answer within 1 s" in res["message"]


async def test_html_page(home: Path, provider: FakeProvider) -> None:
    provider.script("models", html_page())
    res = await run_user_entry(home, "openai", provider.models_url)
    assert res["failure"] == "html" and "HTML page instead of JSON" in res["message"]
    assert "Sign in" not in res["message"]


async def test_garbage_json(home: Path, provider: FakeProvider) -> None:
    provider.script("models", malformed_json())
    res = await run_user_entry(home, "openai", provider.models_url)
    assert res["failure"] == "bad-json" and "not valid JSON" in res["message"]


async def test_json_that_is_not_a_model_list(home: Path, provider: FakeProvider) -> None:
    provider.script("models", Reply(200, {"hello": "world"}))
    res = await run_user_entry(home, "openai", provider.models_url)
    assert res["failure"] == "bad-json" and "not a model list" in res["message"]


async def test_redirect_to_another_host_is_not_followed(home: Path,
                                                        provider: FakeProvider) -> None:
    with FakeProvider(valid_keys=(KEY,)) as other:
        provider.script("models", redirect(other.models_url.replace("127.0.0.1", "localhost")
                                           + "/models"))
        res = await run_user_entry(home, "openai", provider.models_url)
        assert other.requests == []  # the key never went there
    assert res["failure"] == "redirect" and res["httpStatus"] == 302
    assert "does not follow redirects with your key" in res["message"]
    assert "to http://localhost" in res["message"]


async def test_tls_to_a_plain_http_server(home: Path, provider: FakeProvider) -> None:
    res = await run_user_entry(home, "openai", provider.models_url.replace("http://", "https://"))
    assert res["failure"] == "tls" and "does not speak TLS" in res["message"]


async def test_dns_failure(home: Path) -> None:
    res = await run_user_entry(home, "openai", "https://no-such-provider.invalid/v1")
    assert res["failure"] == "dns"
    assert "no-such-provider.invalid does not resolve" in res["message"]


async def test_connection_refused(home: Path) -> None:
    res = await run_user_entry(home, "openai", f"http://127.0.0.1:{closed_port()}/v1")
    assert res["failure"] == "refused" and "nothing listens there" in res["message"]


async def test_too_large_answer(home: Path, provider: FakeProvider) -> None:
    provider.script("models", Reply(200, b"[" + b"1," * 600_000 + b"1]"))
    res = await run_user_entry(home, "openai", provider.models_url)
    assert res["failure"] == "too-large"


async def test_plain_http_to_a_remote_host_is_refused_before_sending(home: Path) -> None:
    res = await run_user_entry(home, "openai", "http://api.example.com/v1")
    assert res["failure"] == "bad-url" and "plain http" in res["message"]
    assert res["httpStatus"] is None


async def test_no_key(home: Path, provider: FakeProvider) -> None:
    write_user(home, entry_settings("openai", provider.models_url))
    with pytest.raises(TargetError) as err:
        target.for_path(env_for(home), home / ".qwen" / "settings.json",
                        ["modelProviders", "openai", 0])
    assert err.value.failure == "no-key" and "MY_KEY is not set" in str(err.value)
    assert provider.requests == []


# -- which entry, which key --------------------------------------------------------------------

async def test_model_name_and_model_id_resolve_the_entry(home: Path,
                                                         provider: FakeProvider) -> None:
    write_user(home, entry_settings("openai", provider.models_url), f"MY_KEY={KEY}\n")
    env = env_for(home)
    via_name = target.for_path(env, home / ".qwen" / "settings.json", ["model", "name"])
    via_id = target.for_model(env, "qwen3-coder-plus")
    current = target.for_model(env)
    for t in (via_name, via_id, current):
        assert (t.protocol, t.model_id, t.base_url) == ("openai", "qwen3-coder-plus",
                                                         provider.models_url)
    assert via_name.json_path == ("model", "name")
    assert via_id.json_path == ("modelProviders", "openai", 0)


def test_entry_without_env_key_uses_the_protocol_default_then_security_auth(
        home: Path) -> None:
    settings = {"modelProviders": {"openai": [{"id": "m", "baseUrl": "https://api.openai.com/v1"}]},
                "security": {"auth": {"apiKey": "sk-settings-fallback-00001"}}}
    write_user(home, settings)
    t = target.for_model(env_for(home), "m")
    assert t.env_key is None and t.key_source == "security.auth.apiKey (settings)"
    (home / ".qwen" / ".env").write_text("OPENAI_API_KEY=sk-from-env-file-0000001\n")
    t = target.for_model(env_for(home), "m")
    assert t.env_key == "OPENAI_API_KEY" and t.key == "sk-from-env-file-0000001"


def test_workspace_entry_on_unknown_host_needs_confirmation(home: Path,
                                                            workspace: Path) -> None:
    (home / ".qwen" / ".env").write_text(f"MY_KEY={KEY}\n")
    ws_file = workspace / ".qwen" / "settings.json"
    ws_file.write_text(json.dumps(entry_settings("openai", "https://collector.example/v1")))
    t = target.for_path(env_for(home, workspace), ws_file, ["modelProviders", "openai", 0])
    assert t.scope == "workspace" and target.needs_confirmation(t)
    ws_file.write_text(json.dumps(entry_settings("openai", "https://api.deepseek.com/v1")))
    t = target.for_path(env_for(home, workspace), ws_file, ["modelProviders", "openai", 0])
    assert not target.needs_confirmation(t)


def test_a_nested_settings_file_counts_as_workspace_content(home: Path, workspace: Path) -> None:
    (home / ".qwen" / ".env").write_text(f"MY_KEY={KEY}\n")
    nested = workspace / "sub" / ".qwen" / "settings.json"
    nested.parent.mkdir(parents=True)
    nested.write_text(json.dumps(entry_settings("openai", "https://collector.example/v1")))
    t = target.for_path(env_for(home, workspace), nested, ["modelProviders", "openai", 0])
    assert t.scope == "workspace" and target.needs_confirmation(t)


async def test_unconfirmed_workspace_entry_sends_nothing(home: Path, workspace: Path,
                                                         provider: FakeProvider) -> None:
    (home / ".qwen" / ".env").write_text(f"MY_KEY={KEY}\n")
    ws_file = workspace / ".qwen" / "settings.json"
    ws_file.write_text(json.dumps(entry_settings("openai", provider.models_url)))
    t = target.for_path(env_for(home, workspace), ws_file, ["modelProviders", "openai", 0])
    res = await probe(t)
    assert res["status"] == "cancelled" and res["failure"] == "needs-confirmation"
    assert provider.requests == []
    res = await probe(t, confirmed=True)
    assert res["ok"] and len(provider.requests) == 1


# -- provider-specific explanations (pure) -----------------------------------------------------

def _t(base_url: str, key: str, env_key: str = "K") -> Target:
    return Target("openai", "m", base_url, key, env_key, "~/.qwen/.env:1")


def test_coding_plan_key_on_the_standard_dashscope_endpoint() -> None:
    failure, msg = explain.http_status(
        _t("https://dashscope.aliyuncs.com/compatible-mode/v1", CP_KEY), 401, "u", None)
    assert failure == "auth" and "This is a Coding Plan key (sk-sp-…)" in msg
    assert "https://coding.dashscope.aliyuncs.com/v1" in msg and CP_KEY not in msg


def test_token_plan_key_on_the_coding_plan_endpoint() -> None:
    failure, msg = explain.http_status(
        _t("https://coding.dashscope.aliyuncs.com/v1", "sk-tokenplan-000000000000",
           "BAILIAN_TOKEN_PLAN_API_KEY"), 401, "u", None)
    assert failure == "auth" and "this is a Token Plan key" in msg
    assert "token-plan.cn-beijing.maas.aliyuncs.com" in msg


def test_expired_coding_plan_key() -> None:
    _, msg = explain.http_status(_t("https://coding-intl.dashscope.aliyuncs.com/v1", CP_KEY),
                                 401, "u", None)
    assert "other region" in msg and "expired" in msg


def test_provider_excerpt_is_short_printable_and_masked() -> None:
    data = {"error": {"message": f"bad key {KEY}\x1b[31m" + "x" * 500}}
    excerpt = explain.provider_says(data)
    assert KEY not in excerpt and "\x1b" not in excerpt and len(excerpt) < 220
