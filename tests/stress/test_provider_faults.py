"""Provider faults during every sign-in flow, as a matrix (flow x fault).

Flows: Qwen OAuth device-code request, OAuth token polling, OAuth refresh, Coding Plan ``/models``
verification (the API-key flow makes no request at all: proven separately). Faults: connection
refused (closed port), a timeout (the fake server answers after the client's timeout), 5xx,
malformed JSON, an HTML page, a redirect to another host, plain http to a non-loopback host.

Every cell asserts: a failed result with a clear message (what failed + that nothing was written
or the credentials were kept), no secret in it, no raw body, and the HOME tree unchanged byte for
byte (files, modes, no temp or lock file left).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from fakeprovider import (
    FakeProvider,
    Reply,
    device_ok,
    html_page,
    malformed_json,
    redirect,
    server_error,
    slow,
    token_ok,
)
from stress_helpers import (
    CREDS_TEXT,
    OLD_ACCESS,
    OLD_REFRESH,
    NetworkGuard,
    closed_port_url,
    run_python,
    tree,
    tree_diff,
)

from qwen_ls.auth import api_key, coding_plan, oauth
from qwen_ls.auth.common import AuthError
from qwen_ls.auth.context import AuthEnv
from qwen_ls.auth.oauth import PollOptions

CP_KEY = "sk-sp-test0000stress4242"
API_KEY = "sk-test-stress-key-98765"
SECRETS = (CP_KEY, API_KEY, OLD_ACCESS, OLD_REFRESH, "fake-access-token-0123456789",
           "fake-refresh-token-9876543210", "dev-code-0001")
TIMEOUT = 0.2  # client timeout in every timeout cell
SLOW = 1.5  # the fake server's delay: well past TIMEOUT
REMOTE = "http://provider.stress.test"  # plain http to a non-loopback host


@dataclass
class Outcome:
    ok: bool
    message: str


Flow = Callable[[AuthEnv, str], Awaitable[Outcome]]


def fast_options() -> PollOptions:
    return PollOptions(request_timeout=TIMEOUT, interval_scale=0.0)


async def run_device(env: AuthEnv, base: str) -> Outcome:
    res = await oauth.sign_in(env, base_url=base, options=fast_options())
    return Outcome(res["ok"], res["message"])


async def run_refresh(env: AuthEnv, base: str) -> Outcome:
    try:
        await oauth.refresh_credentials(env.qwen_home, base_url=base, environ=env.environ,
                                        options=fast_options())
    except AuthError as exc:
        return Outcome(False, str(exc))
    return Outcome(True, "refreshed")


async def run_verify(env: AuthEnv, base: str) -> Outcome:
    res = await coding_plan.sign_in(env, region="intl", key=CP_KEY, base_url=base, verify=True,
                                    timeout=TIMEOUT)
    return Outcome(res["ok"], res["message"])


# flow -> (fake-provider route the fault goes on, runner, url suffix, "nothing changed" words)
FLOWS: dict[str, tuple[str, Flow, str, str]] = {
    "oauth-device": ("device", run_device, "", "nothing was written"),
    "oauth-poll": ("token", run_device, "", "nothing was written"),
    "oauth-refresh": ("refresh", run_refresh, "", "the credentials were kept"),
    "coding-plan-verify": ("models", run_verify, "/v1", "nothing was written"),
}

# fault -> fake reply (None: handled specially)
FAULTS: dict[str, Reply | None] = {
    "refused": None,
    "timeout": slow(SLOW, token_ok()),
    "5xx": server_error(503),
    "malformed-json": malformed_json(),
    "html-page": html_page(),
    "redirect-other-host": redirect("https://evil.stress.test/steal"),
    "http-remote": None,
}

# what the message must say, per (flow, fault); "*" is the default for a fault
EXPECTED: dict[tuple[str, str], str] = {
    ("*", "refused"): "ConnectError",
    ("oauth-device", "timeout"): "did not answer in time",
    ("oauth-poll", "timeout"): "stopped answering in time",
    ("oauth-refresh", "timeout"): "did not answer the refresh in time",
    ("coding-plan-verify", "timeout"): f"did not answer within {TIMEOUT:g} s",
    ("oauth-device", "5xx"): "Device authorization failed: HTTP 503",
    ("oauth-poll", "5xx"): "keeps failing (HTTP 503)",
    ("oauth-refresh", "5xx"): "failed to refresh the token (HTTP 503)",
    ("coding-plan-verify", "5xx"): "answered HTTP 503",
    ("oauth-refresh", "malformed-json"): "invalid JSON",
    ("*", "malformed-json"): "not valid JSON",
    ("*", "html-page"): "an HTML page instead of JSON",
    ("*", "redirect-other-host"): "redirect to evil.stress.test",
    ("*", "http-remote"): "plain http to provider.stress.test",
}

NOT_APPLICABLE = {
    # the poll goes to the same base URL as the device request: an http URL is refused before
    # the device request already (the oauth-device cell)
    ("oauth-poll", "http-remote"),
}

MATRIX = [pytest.param(flow, fault, id=f"{flow}-x-{fault}")
          for flow in FLOWS for fault in FAULTS if (flow, fault) not in NOT_APPLICABLE]


def expected_words(flow: str, fault: str) -> str:
    return EXPECTED.get((flow, fault)) or EXPECTED[("*", fault)]


@pytest.mark.parametrize(("flow", "fault"), MATRIX)
async def test_provider_fault(flow: str, fault: str, home: Path, workspace: Path,
                              environ: dict[str, str], net: NetworkGuard) -> None:
    route, run, suffix, unchanged_words = FLOWS[flow]
    env = AuthEnv(workspace, environ)
    before = tree(home)
    with FakeProvider(valid_keys=(CP_KEY,)) as fp:
        base = fp.url + suffix
        if fault == "refused":
            if flow == "oauth-poll":
                # the device request succeeds (and closes its connection); then the server goes
                # away, so the first poll finds a closed port
                fp.script("device", Reply(200, device_ok().body,
                                          headers={"Connection": "close"}))
                fp.script("token", Reply(200, {}))

                async def run_then_stop(env: AuthEnv, base: str) -> Outcome:
                    res = await oauth.sign_in(env, base_url=base, options=fast_options(),
                                              on_code=lambda *a: fp.stop())
                    return Outcome(res["ok"], res["message"])

                run = run_then_stop
            else:
                base = closed_port_url() + suffix
        elif fault == "http-remote":
            base = REMOTE + suffix
        else:
            reply = FAULTS[fault]
            assert reply is not None
            fp.script(route, reply)
        requests_before = list(fp.requests)
        out = await run(env, base)
        requests = fp.requests[len(requests_before):]

    message = out.message
    assert not out.ok, message
    assert expected_words(flow, fault) in message, message
    assert unchanged_words in message.lower(), message
    for secret in SECRETS:
        assert secret not in message, f"secret leaked: {message}"
    assert "upstream exploded" not in message and "<h1>" not in message
    # nothing written, nothing left behind (no temp file, no lock file, same modes)
    assert tree_diff(before, tree(home)) == []
    assert tree(home) == before
    # network: only the loopback fake provider was ever contacted
    assert all(host in ("127.0.0.1", "localhost") for host in net.lookups), net.lookups
    assert all(a[0] == "127.0.0.1" for a in net.connects if isinstance(a, tuple)), net.connects
    if fault == "http-remote":
        assert net.untouched, (net.lookups, net.connects, net.sends)
        assert requests == []
    if fault == "redirect-other-host":
        assert [r.route for r in requests].count(route) == 1  # never followed, never retried
        assert not any("evil" in url for url in net.sends)
    if flow == "oauth-device":
        assert not [r for r in requests if r.route == "token"]  # no poll after a failed start


async def test_api_key_flow_makes_no_request(home: Path, workspace: Path, environ: dict[str, str],
                                             net: NetworkGuard) -> None:
    """Without the check ("Save anyway", --no-verify) the API-key flow contacts no provider."""
    env = AuthEnv(workspace, environ)
    res = await api_key.sign_in(env, protocol="openai", base_url=closed_port_url() + "/v1",
                                model_id="stress-model", key=API_KEY, env_key="STRESS_API_KEY",
                                verify=False)
    assert res["ok"], res
    assert net.untouched, (net.lookups, net.connects, net.sends)
    assert API_KEY not in res["message"]


async def test_api_key_plain_http_remote_refused(home: Path, workspace: Path,
                                                 environ: dict[str, str],
                                                 net: NetworkGuard) -> None:
    env = AuthEnv(workspace, environ)
    before = tree(home)
    res = await api_key.sign_in(env, protocol="openai", base_url=REMOTE + "/v1",
                                model_id="stress-model", key=API_KEY)
    assert not res["ok"]
    assert "plain http to provider.stress.test" in res["message"]
    assert API_KEY not in res["message"]
    assert net.untouched and tree(home) == before


async def test_refresh_http_remote_from_environment(home: Path, environ: dict[str, str],
                                                    net: NetworkGuard) -> None:
    """``QWEN_LS_OAUTH_BASE_URL`` is checked the same way as an explicit base URL."""
    before = tree(home)
    with pytest.raises(AuthError, match="plain http"):
        await oauth.refresh_credentials(home / ".qwen", environ={"QWEN_LS_OAUTH_BASE_URL": REMOTE})
    assert net.untouched and tree(home) == before


async def test_cancel_during_a_slow_verification_is_prompt(home: Path, workspace: Path,
                                                           environ: dict[str, str]) -> None:
    """A verification that hangs is bounded by the configured timeout, not the server."""
    env = AuthEnv(workspace, environ)
    with FakeProvider(valid_keys=(CP_KEY,)) as fp:
        fp.script("models", slow(SLOW))
        loop = asyncio.get_running_loop()
        started = loop.time()
        res = await coding_plan.sign_in(env, region="china", key=CP_KEY,
                                        base_url=fp.models_url, timeout=TIMEOUT)
        assert loop.time() - started < SLOW
    assert not res["ok"] and "--no-verify" in res["message"]


# -- the same faults through the command line: exit 1, the message on stderr, no traceback ------

CLI_CASES = [
    pytest.param(["auth", "qwen-oauth", "--no-browser", "--base-url", "{closed}"],
                 "Could not reach the Qwen OAuth service", id="cli-oauth-x-refused"),
    pytest.param(["auth", "qwen-oauth", "--no-browser", "--base-url", REMOTE],
                 "plain http", id="cli-oauth-x-http-remote"),
    pytest.param(["auth", "coding-plan", "--region", "intl", "--key", CP_KEY, "--base-url",
                  "{closed}/v1"], "is unreachable", id="cli-coding-plan-x-refused"),
    pytest.param(["auth", "coding-plan", "--region", "intl", "--key", CP_KEY, "--base-url",
                  "{html}/v1"], "an HTML page instead of JSON", id="cli-coding-plan-x-html-page"),
]


@pytest.mark.parametrize(("argv", "words"), CLI_CASES)
def test_cli_reports_provider_faults(argv: list[str], words: str, home: Path,
                                     workspace: Path) -> None:
    with FakeProvider() as fp:
        fp.script("models", html_page())
        args = [a.replace("{closed}", closed_port_url()).replace("{html}", fp.url) for a in argv]
        before = tree(home)
        env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "QWEN_LS_OAUTH_INTERVAL_SCALE": "0"}
        code = "import sys; from qwen_ls.cli import main; sys.exit(main(sys.argv[1:]))"
        proc = run_python(code, *args, "--workspace", str(workspace), env=env)
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert words in proc.stderr and "nothing was written" in proc.stderr.lower(), proc.stderr
    assert "Traceback" not in proc.stderr
    assert CP_KEY not in proc.stderr + proc.stdout
    assert tree(home) == before


def test_matrix_ids_are_readable() -> None:
    """The report lists these ids; keep them stable and readable."""
    ids = [p.id for p in MATRIX]
    assert len(ids) == len(set(ids)) == len(FLOWS) * len(FAULTS) - len(NOT_APPLICABLE)
    assert "oauth-refresh-x-redirect-other-host" in ids
    json.dumps(ids)
    assert sys.version_info >= (3, 11)
    assert CREDS_TEXT.startswith("{")
