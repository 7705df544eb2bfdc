"""``python -m qwen_ls auth ...`` / ``model ...`` in subprocesses with a temporary HOME."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import API_KEY, CP_KEY
from fakeprovider import pending

REPO = Path(__file__).resolve().parents[3]


def run(args: list[str], home: Path, cwd: Path, stdin: str = "", extra: dict | None = None,
        ) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO),
           "QWEN_LS_OAUTH_INTERVAL_SCALE": "0.001", **(extra or {})}
    return subprocess.run([sys.executable, "-m", "qwen_ls", *args], cwd=cwd, env=env,
                          input=stdin, capture_output=True, text=True, timeout=60)


def secrets_absent(proc: subprocess.CompletedProcess[str], *secrets: str) -> None:
    for secret in secrets:
        assert secret not in proc.stdout and secret not in proc.stderr


def test_coding_plan_status_model_flow(home, workspace, provider) -> None:
    proc = run(["auth", "status"], home, workspace)
    assert proc.returncode == 1 and "No authentication method configured" in proc.stdout

    proc = run(["auth", "coding-plan", "--region", "china", "--key", CP_KEY,
                "--base-url", provider.models_url], home, workspace)
    assert proc.returncode == 0, proc.stderr
    assert "Successfully authenticated with Alibaba Cloud Coding Plan" in proc.stdout
    secrets_absent(proc, CP_KEY)
    assert (home / ".qwen" / ".env").stat().st_mode & 0o777 == 0o600

    proc = run(["auth", "status", "--format", "json"], home, workspace)
    status = json.loads(proc.stdout)
    assert proc.returncode == 0 and status["complete"] and status["key"]["masked"] == "sk-…9876"
    secrets_absent(proc, CP_KEY)

    proc = run(["model", "list", "--format", "json"], home, workspace)
    ids = [m["id"] for g in json.loads(proc.stdout)["groups"] for m in g["models"]]
    assert "glm-5" in ids

    proc = run(["model", "use", "glm-5"], home, workspace)
    assert proc.returncode == 0 and "Selected" in proc.stdout
    proc = run(["model", "use", "does-not-exist"], home, workspace)
    assert proc.returncode == 1
    assert "Model 'does-not-exist' is not available for auth type 'openai'." in proc.stderr


def test_coding_plan_rejected_key_exit_1(home, workspace, provider) -> None:
    bad = "sk-sp-wrong-region-key-5555"
    proc = run(["auth", "coding-plan", "--region", "intl", "--key", bad,
                "--base-url", provider.models_url], home, workspace)
    assert proc.returncode == 1 and "rejected the key sk-…5555" in proc.stderr
    secrets_absent(proc, bad)
    assert not (home / ".qwen").exists()


def test_api_key_from_stdin_and_usage_errors(home, workspace) -> None:
    proc = run(["auth", "api-key", "--protocol", "openai", "--base-url",
                "https://api.example.com/v1", "--model", "m1", "--scope", "user",
                "--no-verify"],
               home, workspace, stdin=API_KEY + "\n")
    assert proc.returncode == 0, proc.stderr
    secrets_absent(proc, API_KEY)
    assert f"OPENAI_API_KEY={API_KEY}" in (home / ".qwen" / ".env").read_text()

    proc = run(["auth", "coding-plan", "--region", "china"], home, workspace)
    assert proc.returncode == 2 and "--key is required" in proc.stderr
    proc = run(["auth", "api-key", "--base-url", "https://x/v1"], home, workspace)
    assert proc.returncode == 2 and "--protocol is required" in proc.stderr
    proc = run(["auth", "coding-plan", "--region", "mars"], home, workspace)
    assert proc.returncode == 2


def test_qwen_oauth_and_sign_out(home, workspace, provider) -> None:
    proc = run(["auth", "qwen-oauth", "--no-browser"], home, workspace,
               extra={"QWEN_LS_OAUTH_BASE_URL": provider.url})
    assert proc.returncode == 0, proc.stderr
    assert "ABCD-1234" in proc.stdout and "user_code=ABCD-1234" in proc.stdout
    creds = home / ".qwen" / "oauth_creds.json"
    assert creds.stat().st_mode & 0o777 == 0o600
    secrets_absent(proc, "fake-access-token-0123456789", "fake-refresh-token-9876543210")
    proc = run(["auth", "status"], home, workspace)
    assert proc.returncode == 1 and "discontinued on 2026-04-15" in proc.stdout
    proc = run(["auth", "sign-out"], home, workspace)
    assert proc.returncode == 2 and "--yes" in proc.stderr and creds.exists()
    proc = run(["auth", "sign-out", "--yes"], home, workspace)
    assert proc.returncode == 0 and not creds.exists(), proc.stderr
    assert proc.stdout.startswith("Signed out of Qwen OAuth. Removed the Qwen OAuth credentials")
    assert "Cleared security.auth.selectedType." in proc.stdout
    assert "Run `qwen-ls auth sign-in` to sign in again." in proc.stdout


def test_sign_out_of_coding_plan_and_hand_written_keys(home, workspace, provider) -> None:
    proc = run(["auth", "coding-plan", "--region", "china", "--key", CP_KEY,
                "--base-url", provider.models_url], home, workspace)
    assert proc.returncode == 0, proc.stderr
    env_file = home / ".qwen" / ".env"
    proc = run(["auth", "sign-out", "--dry-run"], home, workspace)
    assert proc.returncode == 0 and "would remove BAILIAN_CODING_PLAN_API_KEY in ~/.qwen/.env" \
        in proc.stdout and CP_KEY in env_file.read_text()
    proc = run(["auth", "sign-out", "--keep-auth-type"], home, workspace)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == (
        "Signed out of Alibaba Cloud Coding Plan (custom endpoint). Removed "
        "BAILIAN_CODING_PLAN_API_KEY in ~/.qwen/.env. Run `qwen-ls auth sign-in` to sign in "
        "again.")
    assert f"  changed {env_file}" in proc.stdout
    assert CP_KEY not in env_file.read_text()
    secrets_absent(proc, CP_KEY)
    proc = run(["auth", "status"], home, workspace)
    assert proc.returncode == 1
    assert "  Not signed in." in proc.stdout.splitlines()
    assert proc.stdout.count("Run `qwen-ls auth sign-in`.") == 1  # said once, by the issue

    # The same variable written by hand into ~/.env: asked about, so refused without a terminal.
    (home / ".env").write_text(f"BAILIAN_CODING_PLAN_API_KEY={CP_KEY}\n")
    proc = run(["auth", "sign-out", "--keep-auth-type"], home, workspace)
    assert proc.returncode == 2 and "stdin is not a terminal" in proc.stderr
    assert CP_KEY in (home / ".env").read_text()
    proc = run(["auth", "sign-out", "--yes", "--format", "json"], home, workspace)
    res = json.loads(proc.stdout)
    assert proc.returncode == 0 and res["ok"] and res["selectedTypeCleared"]
    assert res["removed"] == ["BAILIAN_CODING_PLAN_API_KEY in ~/.env"]
    assert (home / ".env").read_text() == ""
    secrets_absent(proc, CP_KEY)


def test_sign_in_chooser_needs_a_method_without_a_terminal(home, workspace) -> None:
    proc = run(["auth", "sign-in"], home, workspace)
    assert proc.returncode == 2 and "--method is required" in proc.stderr
    proc = run(["auth", "sign-in", "--method", "coding-plan"], home, workspace)
    assert proc.returncode == 2 and "--region is required" in proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_during_polling_exits_130_and_writes_nothing(home, workspace, provider) -> None:
    provider.script("token", pending())
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO),
           "QWEN_LS_OAUTH_BASE_URL": provider.url, "QWEN_LS_OAUTH_INTERVAL_SCALE": "0.01"}
    proc = subprocess.Popen([sys.executable, "-m", "qwen_ls", "auth", "qwen-oauth",
                             "--no-browser"], cwd=workspace, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while len(provider.requests_for("token")) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, (out, err)
    assert "cancelled" in err.lower()
    assert not (home / ".qwen").exists()


def test_model_use_warns_when_the_key_is_missing(home, workspace) -> None:
    (home / ".qwen").mkdir()
    (home / ".qwen" / "settings.json").write_text(json.dumps({
        "security": {"auth": {"selectedType": "openai"}},
        "modelProviders": {"openai": [{"id": "m1", "baseUrl": "https://api.example.com/v1",
                                       "envKey": "EXAMPLE_KEY"}]}}))
    proc = run(["model", "use", "m1"], home, workspace)
    assert proc.returncode == 0 and proc.stdout.startswith("Selected m1 (openai)")
    assert "not set" not in proc.stdout
    assert proc.stderr.startswith("Warning: Its key EXAMPLE_KEY is not set (searched: ")
    assert ("Set it with `qwen-ls auth api-key --protocol openai --base-url "
            "https://api.example.com/v1 --model m1 --env-key EXAMPLE_KEY`.") in proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminal")
def test_sign_out_asks_on_a_terminal(home, workspace) -> None:
    import pty

    (home / ".qwen").mkdir()
    (home / ".qwen" / "settings.json").write_text(json.dumps({
        "security": {"auth": {"selectedType": "openai"}}, "model": {"name": "m1"},
        "modelProviders": {"openai": [{"id": "m1", "baseUrl": "https://api.example.com/v1",
                                       "envKey": "EXAMPLE_KEY"}]}}))
    (home / ".env").write_text(f"EXAMPLE_KEY={API_KEY}\n")
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO)}
    pid, fd = pty.fork()
    if pid == 0:  # the child: qwen-ls on the terminal
        os.chdir(workspace)
        os.execve(sys.executable, [sys.executable, "-m", "qwen_ls", "auth", "sign-out"], env)
    seen = b""
    answers = [b"y\n", b"n\n"]  # remove the hand-written key; keep the auth type
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if seen.count(b"[y/N]") > 2 - len(answers):
            os.write(fd, answers.pop(0))
    _, status = os.waitpid(pid, 0)
    text = seen.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "EXAMPLE_KEY in ~/.env was not written by qwen-ls's sign-in" in text
    assert "Also clear security.auth.selectedType" in text
    assert (home / ".env").read_text() == ""
    assert '"selectedType": "openai"' in (home / ".qwen" / "settings.json").read_text()
    assert API_KEY not in text
