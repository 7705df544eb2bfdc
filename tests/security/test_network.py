"""Points 6 and 7: no terminal or UI injection, and bounded network answers.

A real HTTP server on 127.0.0.1 (``tests/fakeprovider.py``) plays a hostile provider: unsafe
verification addresses, control characters, huge bodies, absurd numbers. Files with control
characters in keys and values go through ``check`` and the server. ``$BROWSER`` is a real script
that records what it was asked to open.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from fakeprovider import FakeProvider, Reply, device_ok, token_ok
from hostile import RawLsp, Repo, run_cli, shown_part

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def provider():
    with FakeProvider() as fake:
        yield fake


@pytest.fixture
def browser(repo: Repo):
    log = repo.root / "browser.log"
    script = repo.root / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{log}"\n')
    os.chmod(script, 0o755)
    return script, log


def oauth(repo: Repo, provider: FakeProvider, browser, *extra: str):
    script, _ = browser
    return run_cli(repo, "auth", "qwen-oauth", *extra, timeout=60,
                   QWEN_LS_OAUTH_BASE_URL=provider.url, QWEN_LS_OAUTH_INTERVAL_SCALE="0.001",
                   BROWSER=f"{script} %s")


@pytest.mark.parametrize("uri", ["javascript:alert(document.cookie)", "file:///etc/passwd",
                                 "data:text/html,<script>x</script>", "http://evil.example/a",
                                 "https://ok.example/a b", "https://ok.example/\x1b[2J"])
def test_device_flow_never_opens_an_unsafe_address(repo, provider, browser, uri):
    provider.script("device", device_ok(verification_uri=uri))
    proc = oauth(repo, provider, browser)
    _, log = browser
    assert not log.exists()  # the browser was never started
    assert proc.returncode != 0 and "was not opened" in proc.stderr + proc.stdout
    assert not RAW_CONTROL.search(proc.stdout + proc.stderr)
    assert not (repo.home / ".qwen" / "oauth_creds.json").exists()


def test_device_flow_opens_only_the_https_address_it_shows(repo, provider, browser):
    reply = device_ok()
    reply.body["verification_uri_complete"] = "javascript:alert(1)"
    provider.script("device", reply)
    proc = oauth(repo, provider, browser)
    assert proc.returncode == 0, proc.stderr
    _, log = browser
    opened = log.read_text().split()
    assert opened == ["https://chat.qwen.ai/authorize"]
    assert "Open https://chat.qwen.ai/authorize " in proc.stdout


def test_show_document_only_for_https(repo: Repo, provider: FakeProvider):
    provider.script("device", device_ok(verification_uri="javascript:alert(1)"))
    server = RawLsp(repo, QWEN_LS_OAUTH_BASE_URL=provider.url,
                    QWEN_LS_OAUTH_INTERVAL_SCALE="0.001")
    server.initialize()
    answer = server.call("workspace/executeCommand", {
        "command": "qwen-ls.signIn.qwenOAuth", "arguments": [{"openBrowser": True}]}, timeout=30)
    server.drain(0.5)
    server.close()
    assert answer["result"]["ok"] is False and "was not opened" in answer["result"]["message"]
    assert not [m for m in server.messages if m.get("method") == "window/showDocument"]


def test_control_characters_from_the_provider_never_reach_the_terminal(repo, provider, browser):
    provider.script("device", device_ok(user_code="AB\x1b]0;owned\x07CD"))
    proc = oauth(repo, provider, browser)
    assert proc.returncode != 0 and not RAW_CONTROL.search(proc.stdout + proc.stderr)
    provider.script("device", Reply(400, {"error": "bad\x1b[2Jthing",
                                          "error_description": "x\x9b31m\x07"}))
    proc = oauth(repo, provider, browser)
    assert proc.returncode != 0 and proc.stderr.strip()
    assert not RAW_CONTROL.search(proc.stdout + proc.stderr)


# -- 7. bounded answers ------------------------------------------------------------------------

@pytest.mark.parametrize("route", ["device", "token"])
def test_huge_bodies_are_cut_off_with_a_message(repo, provider, browser, route):
    huge = Reply(200, b'{"device_code": "' + b"x" * 3_000_000 + b'"}')
    provider.script(route, huge)
    proc = oauth(repo, provider, browser, "--no-browser")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "ResponseTooLarge" in proc.stderr or "too large" in proc.stderr.lower()


@pytest.mark.parametrize("expires", ["1e999", "-1e999", "NaN", "1e300", "-5", "\"soon\""])
def test_absurd_numbers_are_clamped(repo, provider, browser, expires):
    device = json.dumps(device_ok(expires_in=1).body).replace('"expires_in": 1',
                                                               f'"expires_in": {expires}')
    token = json.dumps(token_ok().body).replace('"expires_in": 3600', f'"expires_in": {expires}')
    provider.script("device", Reply(200, device.encode()))
    provider.script("token", Reply(200, token.encode()))
    proc = oauth(repo, provider, browser, "--no-browser")
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stdout + proc.stderr
    creds = json.loads((repo.home / ".qwen" / "oauth_creds.json").read_text())
    assert isinstance(creds["expiry_date"], int) and 0 < creds["expiry_date"] < 253402300800000
    status = run_cli(repo, "auth", "status")
    assert "Traceback" not in status.stderr and status.stdout.strip()


@pytest.mark.parametrize("expiry", ["1e300", "-1e300", "1e999", "NaN", "9007199254740993"])
def test_absurd_expiry_date_in_creds_never_crashes_auth_status(repo: Repo, expiry: str):
    repo.write(repo.home / ".qwen" / "oauth_creds.json",
               '{"access_token": "a-test-token-0000", "refresh_token": "r-test-token-0000", '
               f'"token_type": "Bearer", "expiry_date": {expiry}}}', mode=0o600)
    repo.write(repo.home / ".qwen" / "settings.json",
               '{"security": {"auth": {"selectedType": "qwen-oauth"}}}')
    for fmt in ("text", "json"):
        proc = run_cli(repo, "auth", "status", "--format", fmt)
        assert "Traceback" not in proc.stderr and proc.returncode in (0, 1), proc.stderr


# -- 6. control characters from files ----------------------------------------------------------

HOSTILE_KEYS = {"a\x1b[2Jb": 1, "bell\x07": 2, "c1\x9b31m": 3, "nul\x00x": 4,
                "\u202eevil": 5, "osc\x1b]0;title\x07": 6}


def test_check_escapes_control_characters(repo: Repo):
    repo.write(repo.qwen / "settings.json",
               json.dumps({**HOSTILE_KEYS, "model": {"name": "m\x1b[31m"}}))
    for fmt in ("text", "json"):
        proc = run_cli(repo, "check", "--format", fmt)
        assert proc.returncode in (0, 1) and proc.stdout.strip()
        assert not RAW_CONTROL.search(proc.stdout + proc.stderr), proc.stdout
        assert "\u202e" not in proc.stdout
    proc = run_cli(repo, "check")
    assert "\\x1b[2J" in proc.stdout  # shown, visibly escaped


def test_server_messages_carry_no_raw_control_characters(repo: Repo):
    settings = repo.write(repo.qwen / "settings.json",
                          json.dumps({**HOSTILE_KEYS, "model": {"name": "m\x1b[31m"}}, indent=2))
    server = RawLsp(repo)
    server.initialize()
    uri = server.open(settings)
    lines = settings.read_text().splitlines()
    for i in range(len(lines)):
        server.call("textDocument/hover", {"textDocument": {"uri": uri},
                                           "position": {"line": i, "character": 4}})
    server.call("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    server.call("workspace/executeCommand", {"command": "qwen-ls.authStatus", "arguments": [{}]})
    server.drain(1.0)
    server.close()
    diagnostics = [m for m in server.messages if m.get("method") ==
                   "textDocument/publishDiagnostics"]
    assert diagnostics
    for message in server.messages:
        assert not RAW_CONTROL.search(shown_part(message)), message
