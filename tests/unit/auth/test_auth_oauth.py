"""Qwen OAuth device flow, refresh and sign-out against a fake provider on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import os
import stat
import time
from pathlib import Path

import pytest
from conftest import FakeTime
from fakeprovider import (
    Reply,
    denied,
    device_ok,
    expired,
    html_page,
    malformed_json,
    oauth_error,
    pending,
    redirect,
    server_error,
    slow,
    slow_down,
    token_ok,
)

from qwen_ls.auth import creds as creds_mod
from qwen_ls.auth import oauth
from qwen_ls.auth.context import AuthEnv
from qwen_ls.auth.oauth import PollOptions

ACCESS = "fake-access-token-0123456789"
REFRESH = "fake-refresh-token-9876543210"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def creds_file(env: AuthEnv) -> Path:
    return env.qwen_home / "oauth_creds.json"


async def test_success_after_pending_and_slow_down(env, provider, fast, fake_time, caplog,
                                                   capsys) -> None:
    caplog.set_level(logging.DEBUG)
    settings = env.user_settings()
    settings.parent.mkdir(mode=0o700)
    settings.write_text('{\n  // keep this comment\n  "ui": {"theme": "Qwen Dark"}\n}\n')
    provider.script("token", pending(), slow_down(), slow_down(), pending(), token_ok())
    seen: list[tuple] = []
    progress: list[str] = []

    res = await oauth.sign_in(env, base_url=provider.url, on_code=lambda *a: seen.append(a),
                              progress=progress.append, options=fast)

    assert res["ok"] and res["status"] == "signed-in", res
    assert seen == [("ABCD-1234", "https://chat.qwen.ai/authorize",
                     "https://chat.qwen.ai/authorize?user_code=ABCD-1234&client=qwen-code", 600)]
    # 2 s start, slow_down x1.5 twice, back to 2 s after a plain pending
    assert fake_time.sleeps == [2.0, 2.0, 3.0, 4.5, 2.0]
    path = creds_file(env)
    data = json.loads(path.read_text())
    assert list(data) == ["access_token", "refresh_token", "token_type", "resource_url",
                          "expiry_date"]
    assert data["access_token"] == ACCESS and data["refresh_token"] == REFRESH
    assert data["resource_url"] == "portal.qwen.ai" and data["token_type"] == "Bearer"
    assert data["expiry_date"] == int(fake_time.wall() * 1000) + 3600 * 1000
    assert path.read_text().startswith('{\n  "access_token": ')
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    text = settings.read_text()
    assert "// keep this comment" in text and '"selectedType": "qwen-oauth"' in text
    assert sorted(res["files"]) == sorted([str(path), str(settings)])
    # protocol details
    device = provider.requests_for("device")[0]
    assert device.headers["content-type"] == "application/x-www-form-urlencoded"
    assert device.headers["accept"] == "application/json"
    assert device.headers.get("x-request-id")
    assert device.form["client_id"] == "f0304373b74a44d2b584a3fb70ca9e56"
    assert device.form["scope"] == "openid profile email model.completion"
    assert device.form["code_challenge_method"] == "S256"
    polls = provider.requests_for("token")
    assert len(polls) == 5
    verifier = polls[0].form["code_verifier"]
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert device.form["code_challenge"] == digest.decode()
    assert polls[0].form["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code"
    assert polls[0].form["device_code"] == "dev-code-0001"
    # no secret in any output
    out = capsys.readouterr()
    everything = out.out + out.err + caplog.text + json.dumps(res) + " ".join(progress)
    assert ACCESS not in everything and REFRESH not in everything and verifier not in everything


async def test_slow_down_is_capped_at_ten_seconds(env, provider, fast, fake_time) -> None:
    provider.script("token", *[slow_down()] * 8, token_ok())
    res = await oauth.sign_in(env, base_url=provider.url, options=fast)
    assert res["ok"]
    assert max(fake_time.sleeps) == 10.0
    assert fake_time.sleeps[:4] == [2.0, 3.0, 4.5, 6.75]


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (expired(), "expired"),
        (denied(), "denied"),
        (oauth_error(400, "invalid_grant"), "invalid_grant"),
        (oauth_error(401, "unauthorized"), "Device code expired or invalid"),
        (malformed_json(), "not valid JSON"),
        (html_page(), "HTML page"),
        (redirect(), "redirect to evil.invalid"),
    ],
    ids=["expired", "denied", "invalid-grant", "401", "malformed-json", "html", "redirect"],
)
async def test_poll_failures_write_nothing(env, provider, fast, reply, words) -> None:
    provider.script("token", pending(), reply)
    res = await oauth.sign_in(env, base_url=provider.url, options=fast)
    assert not res["ok"] and res["status"] == "error"
    assert words in res["message"]
    assert not env.qwen_home.exists()


async def test_code_expiry_stops_polling(env, provider, fast, fake_time) -> None:
    provider.script("device", device_ok(expires_in=9))
    provider.script("token", pending())  # forever
    res = await oauth.sign_in(env, base_url=provider.url, options=fast)
    assert not res["ok"] and "Authorization timeout" in res["message"]
    assert sum(fake_time.sleeps) <= 9.0 + 1e-9
    assert len(provider.requests_for("token")) == 4
    assert not env.qwen_home.exists()


async def test_overall_deadline(env, provider, fast) -> None:
    provider.script("token", pending())
    res = await oauth.sign_in(env, base_url=provider.url, options=fast, deadline=5.0)
    assert not res["ok"] and "did not finish in time" in res["message"]


async def test_cancel_mid_poll_writes_nothing(env, provider, fast) -> None:
    provider.script("token", pending(), pending(), token_ok())
    cancel = asyncio.Event()
    res = await oauth.sign_in(env, base_url=provider.url, options=fast, cancel=cancel,
                              progress=lambda msg: cancel.set())
    assert res["status"] == "cancelled" and not res["ok"]
    assert len(provider.requests_for("token")) == 1
    assert not env.qwen_home.exists()


async def test_cancel_interrupts_a_slow_request_and_a_sleep(env, provider) -> None:
    provider.script("token", slow(3.0, token_ok()))
    cancel = asyncio.Event()
    opts = PollOptions(interval_scale=0.001, request_timeout=10.0)
    loop = asyncio.get_running_loop()
    loop.call_later(0.3, cancel.set)
    started = time.monotonic()
    res = await oauth.sign_in(env, base_url=provider.url, options=opts, cancel=cancel)
    assert res["status"] == "cancelled"
    assert time.monotonic() - started < 2.0
    assert not creds_file(env).exists()
    # during a (real, long) sleep
    cancel2 = asyncio.Event()
    loop.call_later(0.2, cancel2.set)
    started = time.monotonic()
    res = await oauth.sign_in(env, base_url=provider.url, cancel=cancel2,
                              options=PollOptions(interval_scale=100.0))
    assert res["status"] == "cancelled" and time.monotonic() - started < 2.0


async def test_transient_5xx_and_timeouts_are_retried(env, provider, fake_time) -> None:
    provider.script("token", server_error(502), slow(1.0, pending()), pending(), token_ok())
    opts = PollOptions(request_timeout=0.3, clock=fake_time.clock, sleep=fake_time.sleep,
                       wall_clock=fake_time.wall)
    res = await oauth.sign_in(env, base_url=provider.url, options=opts)
    assert res["ok"], res


async def test_repeated_5xx_gives_up(env, provider, fast) -> None:
    provider.script("token", server_error(503))
    res = await oauth.sign_in(env, base_url=provider.url, options=fast)
    assert not res["ok"] and "keeps failing (HTTP 503)" in res["message"]
    assert "upstream exploded" not in res["message"]


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (server_error(500), "Device authorization failed: HTTP 500"),
        (html_page(), "HTML page"),
        (malformed_json(), "not valid JSON"),
        (redirect("https://elsewhere.example/x"), "redirect to elsewhere.example"),
        (Reply(403, {"error": "forbidden", "error_description": "free tier discontinued"}),
         "discontinued on 2026-04-15"),
        (Reply(200, {"error": "invalid_client", "error_description": "bad client"}),
         "invalid_client - bad client"),
    ],
    ids=["5xx", "html", "malformed", "redirect", "discontinued-body", "error-200"],
)
async def test_device_code_failures(env, provider, fast, reply, words) -> None:
    provider.script("device", reply)
    res = await oauth.sign_in(env, base_url=provider.url, options=fast)
    assert not res["ok"] and words in res["message"], res["message"]
    assert "<html" not in res["message"] and "upstream exploded" not in res["message"]
    assert not provider.requests_for("token")
    assert not env.qwen_home.exists()


def test_official_host_refusal_explains_discontinuation() -> None:
    err = oauth._device_failure("https://chat.qwen.ai", 404, "<html>nope</html>", None)
    text = str(err)
    assert "discontinued on 2026-04-15" in text and "Coding Plan" in text and "API key" in text
    assert "<html>" not in text


async def test_device_code_timeout(env, provider) -> None:
    provider.script("device", slow(2.0, device_ok()))
    res = await oauth.sign_in(env, base_url=provider.url,
                              options=PollOptions(request_timeout=0.3))
    assert not res["ok"] and "did not answer in time" in res["message"]


async def test_plain_http_to_remote_host_refused_before_connecting(env) -> None:
    res = await oauth.sign_in(env, base_url="http://oauth.example.com")
    assert not res["ok"] and "plain http" in res["message"]


def test_base_url_from_environment(provider) -> None:
    url = oauth.resolve_base_url(None, {"QWEN_LS_OAUTH_BASE_URL": provider.url + "/"})
    assert url == provider.url
    assert oauth.resolve_base_url(None, {}) == "https://chat.qwen.ai"


async def test_syntax_error_in_settings_refuses_before_network(env, provider, fast) -> None:
    settings = env.user_settings()
    settings.parent.mkdir()
    settings.write_text('{"ui": {,}')
    res = await oauth.sign_in(env, base_url=provider.url, options=fast)
    assert not res["ok"] and "syntax error at line 1" in res["message"]
    assert not provider.requests
    assert not creds_file(env).exists()


# ---- refresh and sign-out -------------------------------------------------------------------

def write_creds(env: AuthEnv, expiry_ms: int, refresh: str = REFRESH) -> None:
    creds_mod.write_credentials(env.qwen_home, creds_mod.Credentials(
        "old-access-token-000000", refresh, "Bearer", "portal.qwen.ai", expiry_ms))


async def test_refresh_keeps_old_refresh_token(env, provider, fake_time) -> None:
    opts = PollOptions(wall_clock=fake_time.wall, sleep=fake_time.sleep)
    write_creds(env, int(fake_time.wall() * 1000) + 10_000)  # within 30 s of expiry
    provider.script("refresh", token_ok(access_token="new-access-token-111111",
                                        refresh_token=None, expires_in=7200))
    fresh = await oauth.refresh_credentials(env.qwen_home, base_url=provider.url, options=opts)
    assert fresh.access_token == "new-access-token-111111"
    assert fresh.refresh_token == REFRESH
    saved = json.loads(creds_file(env).read_text())
    assert saved["refresh_token"] == REFRESH
    assert saved["expiry_date"] == int(fake_time.wall() * 1000) + 7_200_000
    form = provider.requests_for("refresh")[0].form
    assert form == {"grant_type": "refresh_token", "refresh_token": REFRESH,
                    "client_id": "f0304373b74a44d2b584a3fb70ca9e56"}
    assert not (env.qwen_home / "oauth_creds.lock").exists()


async def test_no_refresh_when_valid(env, provider, fake_time) -> None:
    write_creds(env, int(fake_time.wall() * 1000) + 3_600_000)
    opts = PollOptions(wall_clock=fake_time.wall)
    await oauth.refresh_credentials(env.qwen_home, base_url=provider.url, options=opts)
    assert not provider.requests


@pytest.mark.parametrize("status", [400, 401])
async def test_refused_refresh_deletes_creds(env, provider, fake_time, status) -> None:
    write_creds(env, 0)
    provider.script("refresh", oauth_error(status, "invalid_grant"))
    with pytest.raises(oauth.AuthError) as info:
        await oauth.refresh_credentials(env.qwen_home, base_url=provider.url,
                                        options=PollOptions(wall_clock=fake_time.wall))
    assert "Refresh token expired or invalid" in str(info.value)
    assert "were removed" in str(info.value)
    assert not creds_file(env).exists()


async def test_refresh_5xx_keeps_creds(env, provider, fake_time) -> None:
    write_creds(env, 0)
    provider.script("refresh", server_error())
    with pytest.raises(oauth.AuthError, match="credentials were kept"):
        await oauth.refresh_credentials(env.qwen_home, base_url=provider.url,
                                        options=PollOptions(wall_clock=fake_time.wall))
    assert creds_file(env).exists()


async def test_refresh_waits_for_a_held_lock_then_gives_up(env, provider) -> None:
    fake = FakeTime()
    fake.now = time.time() - 1_800_000_000.0  # wall() == real time, so the lock is fresh
    write_creds(env, 0)
    (env.qwen_home / "oauth_creds.lock").write_text("someone-else")
    with pytest.raises(oauth.AuthError, match="Another program is refreshing"):
        await oauth.refresh_credentials(
            env.qwen_home, base_url=provider.url,
            options=PollOptions(wall_clock=fake.wall, sleep=fake.sleep))
    assert len(fake.sleeps) == 20
    assert fake.sleeps[:6] == [0.1, 0.2, 0.4, 0.8, 1.6, 2.0]
    assert (env.qwen_home / "oauth_creds.lock").read_text() == "someone-else"
    assert not provider.requests


async def test_stale_lock_is_taken_over(env, provider) -> None:
    write_creds(env, 0)
    lock = env.qwen_home / "oauth_creds.lock"
    lock.write_text("crashed-process")
    old = time.time() - 60
    os.utime(lock, (old, old))
    fresh = await oauth.refresh_credentials(env.qwen_home, base_url=provider.url)
    assert fresh.access_token == ACCESS
    assert not lock.exists()
