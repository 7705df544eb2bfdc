"""The API-key sign-in checks the key and URL with the Test connection request before writing."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakeprovider import FakeProvider

from qwen_ls.auth import api_key
from qwen_ls.auth.context import AuthEnv

KEY = "sk-verify-test-0123456789abcdef"


@pytest.fixture
def env(home: Path) -> AuthEnv:
    return AuthEnv(None, {"HOME": str(home), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def provider():
    with FakeProvider(valid_keys=(KEY,)) as fp:
        fp.model_ids = ["m-one", "m-two"]
        yield fp


async def test_a_rejected_key_writes_nothing(env: AuthEnv, provider: FakeProvider) -> None:
    res = await api_key.sign_in(env, protocol="openai", base_url=provider.models_url,
                                model_id="m-one", key="sk-wrong-000000000000000")
    assert not res["ok"] and res["status"] == "error" and res["files"] == []
    assert "rejected the key sk-…0000" in res["message"]
    assert "Nothing was written" in res["message"] and "--no-verify" in res["message"]
    assert res["verify"]["failure"] == "auth"
    assert list(env.qwen_home.iterdir()) == []


async def test_a_working_key_is_saved_with_the_check_in_the_message(
        env: AuthEnv, provider: FakeProvider) -> None:
    res = await api_key.sign_in(env, protocol="openai", base_url=provider.models_url,
                                model_id="m-tw0", key=KEY)
    assert res["ok"], res
    assert "Verified: 127.0.0.1 accepted the key" in res["message"]
    assert "does not list 'm-tw0' among its 2 models; closest: m-two" in res["message"]
    assert (env.qwen_home / ".env").read_text() == f"OPENAI_API_KEY={KEY}\n"
    assert KEY not in res["message"]


async def test_anthropic_and_gemini_are_checked_their_way(env: AuthEnv,
                                                          provider: FakeProvider) -> None:
    for protocol in ("anthropic", "gemini"):
        res = await api_key.sign_in(env, protocol=protocol, base_url=provider.url,
                                    model_id="m-one", key=KEY)
        assert res["ok"] and res["verify"]["modelListed"] is True, res
    assert len(provider.requests_for("anthropic-models")) == 1
    assert len(provider.requests_for("gemini-models")) == 1


async def test_no_verify_sends_nothing(env: AuthEnv, provider: FakeProvider) -> None:
    res = await api_key.sign_in(env, protocol="openai", base_url=provider.models_url,
                                model_id="m-one", key="sk-wrong-000000000000000", verify=False)
    assert res["ok"] and "verify" not in res and provider.requests == []
