"""End to end with the real ``qwen`` binary: after each qwen-ls sign-in command, ``qwen -p`` works.

For every sign-in command (``auth api-key`` on the openai, anthropic and gemini protocols,
``auth coding-plan``, ``model use``), ``isolated_run.py`` runs the real qwen-ls commands under a
temporary HOME against a model stub on 127.0.0.1 (``tests/fakeprovider.py``), then runs the real
``qwen -p "hi"`` (``tests/oracle/node_modules/.bin/qwen``, the pinned 0.24.4) non-interactively,
bounded by a timeout. The test asserts that qwen answered with the stub's text, that every
model request used the protocol, model and key qwen-ls configured, that qwen made no other
request, and that it left the files qwen-ls wrote alone (text, mode and mtime). The CLI's own
start-up modules (the oracle harness) then confirm on the same text that it would not rewrite
the file, which it does for a file without ``"$version": 4``.

Nothing reaches the internet: every URL points at 127.0.0.1; telemetry, usage statistics and
the update check are off (system settings and env); and where the machine allows it the whole
run happens in a new network namespace with only a loopback interface (``unshare -rn``).

Coding Plan runs here too: 0.24.4 reads the Coding Plan models' ``baseUrl`` from
``modelProviders`` like any other entry, and ``qwen-ls auth coding-plan --base-url`` points
them at the stub (the key check ``GET /models`` goes to the stub as well).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from oracle import QWEN_BIN, Case, materialize, require_oracle, run_oracle  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).resolve().parent / "isolated_run.py"
QWEN_LS = [sys.executable, "-m", "qwen_ls"]
TIMEOUT = 120


@dataclass(frozen=True)
class Scenario:
    """Sign-in commands, and the protocol, model and key ``qwen`` must then use."""

    name: str
    steps: tuple[tuple[str, ...], ...]
    protocol: str
    model: str
    key: str
    valid_keys: tuple[str, ...] = ()


def _api_key(protocol: str, base: str, model: str, key: str, *extra: str) -> tuple[str, ...]:
    return ("auth", "api-key", "--protocol", protocol, "--base-url", base, "--model", model,
            "--key", key, "--no-verify", *extra)


OPENAI_KEY = "sk-test-openai-e2e-0000000000"
ANTHROPIC_KEY = "sk-test-anthropic-e2e-000000"
GEMINI_KEY = "sk-test-gemini-e2e-000000000"
CODING_PLAN_KEY = "sk-sp-fake-e2e-0000000000000"

SCENARIOS = [
    Scenario("api-key-openai",
             (_api_key("openai", "{stub}/v1", "stub-gpt", OPENAI_KEY),),
             "openai", "stub-gpt", OPENAI_KEY),
    # The Anthropic SDK appends /v1/messages itself: the base URL has no /v1.
    Scenario("api-key-anthropic",
             (_api_key("anthropic", "{stub}", "stub-claude", ANTHROPIC_KEY,
                       "--env-key", "STUB_ANTHROPIC_KEY"),),
             "anthropic", "stub-claude", ANTHROPIC_KEY),
    Scenario("api-key-gemini",
             (_api_key("gemini", "{stub}", "stub-gemini", GEMINI_KEY),),
             "gemini", "stub-gemini", GEMINI_KEY),
    Scenario("coding-plan",
             (("auth", "coding-plan", "--region", "intl", "--base-url", "{stub}/v1",
               "--key", CODING_PLAN_KEY, "--verify"),),
             "openai", "qwen3.5-plus", CODING_PLAN_KEY, valid_keys=(CODING_PLAN_KEY,)),
    # Two providers, the second one selected; `model use` switches back across protocols.
    Scenario("model-use",
             (_api_key("openai", "{stub}/v1", "stub-gpt", OPENAI_KEY),
              _api_key("anthropic", "{stub}", "stub-claude", ANTHROPIC_KEY),
              ("model", "use", "stub-gpt")),
             "openai", "stub-gpt", OPENAI_KEY),
]


@cache
def _can_isolate() -> bool:
    """Whether ``unshare -rn`` gives this process a private network namespace."""
    if shutil.which("unshare") is None:
        return False
    proc = subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=30,
                          check=False)
    return proc.returncode == 0


def _run(scenario: Scenario, tmp_path: Path) -> dict:
    home, ws = tmp_path / "home", tmp_path / "ws"
    ws.mkdir(parents=True)
    home.mkdir()
    steps = [[*QWEN_LS, *step[:2], "--workspace", str(ws), *step[2:]] for step in scenario.steps]
    spec = {
        "home": str(home), "workspace": str(ws), "valid_keys": list(scenario.valid_keys),
        "steps": steps, "qwen": [str(QWEN_BIN), "-p", "hi"], "timeout": TIMEOUT,
        "watch": [str(home / ".qwen" / "settings.json"), str(home / ".qwen" / ".env"),
                  str(ws / ".qwen" / "settings.json")],
    }
    argv = [sys.executable, str(RUNNER)]
    if _can_isolate():
        argv = ["unshare", "-rn", *argv, "--isolated"]
    proc = subprocess.run(argv, input=json.dumps(spec), capture_output=True, text=True,
                          timeout=TIMEOUT + 300, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module", autouse=True)
def _oracle_installed():
    require_oracle()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_real_qwen_uses_what_qwen_ls_configured_and_keeps_the_file(scenario, tmp_path):
    report = _run(scenario, tmp_path)
    if report["isolated"]:
        assert report["internet_reachable"] is False
    for step in report["steps"]:
        assert step["rc"] == 0, (step["argv"][3:5], step["stderr"][-2000:])

    qwen = report["qwen"]
    assert qwen["rc"] == 0, qwen["stderr"][-3000:]
    assert "hello from the stub" in qwen["stdout"]

    calls = report["calls"]
    assert calls, "qwen made no model request"
    expected = {"protocol": scenario.protocol, "model": scenario.model, "key": scenario.key}
    assert [{k: c[k] for k in expected} for c in calls] == [expected] * len(calls)
    # Nothing but model calls while qwen ran (no update check, no telemetry on the stub).
    assert {r["route"] for r in report["qwen_requests"]} == {scenario.protocol}

    settings = str(tmp_path / "home" / ".qwen" / "settings.json")
    before, after = report["before"], report["after"]
    assert before[settings] is not None
    assert after == before, "qwen rewrote a file qwen-ls wrote"
    assert before[settings]["mode"] == "0o600"
    assert json.loads(before[settings]["text"])["$version"] == 4
    # The CLI's own start-up modules on the same text: same choice, no rewrite.
    (answer,) = _oracle([before[settings]["text"]], tmp_path / "oracle")
    assert (answer["authType"], answer["model"], answer["rewritten"]) == (
        scenario.protocol, scenario.model, [])


def _oracle(user_texts: list[str], tmp_path: Path) -> list[dict]:
    """The CLI's start-up (oracle harness) on worlds whose user file is each text."""
    requests = []
    for n, text in enumerate(user_texts):
        home, ws, environ = materialize(Case(str(n), {"user": text}), tmp_path / str(n))
        requests.append({"id": str(n), "home": str(home), "cwd": str(ws),
                         "env": {k: v for k, v in environ.items() if k != "HOME"}})
    return run_oracle(requests)


def test_the_clis_loader_rewrites_only_an_unversioned_file(tmp_path):
    """The oracle's ``rewritten`` field on what ``auth api-key`` wrote, and on it minus $version."""
    home = tmp_path / "home"
    proc = subprocess.run(
        [*QWEN_LS, *_api_key("openai", "http://127.0.0.1:9/v1", "m", OPENAI_KEY)],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
        timeout=60, cwd=ROOT, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    text = (home / ".qwen" / "settings.json").read_text()
    unversioned = json.loads(text)
    del unversioned["$version"]
    kept, rewritten = _oracle([text, json.dumps(unversioned, indent=2)], tmp_path / "oracle")
    assert kept["rewritten"] == []
    assert [r["path"].endswith("/home/.qwen/settings.json") for r in rewritten["rewritten"]] == [
        True
    ]
