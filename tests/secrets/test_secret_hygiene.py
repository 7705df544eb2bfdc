"""Secret hygiene: run the whole LSP end-to-end suite and the sign-in CLI with known fake keys and
tokens, then search everything the server and the CLI emitted for them unmasked.

"Everything" is: every byte the language server wrote to stdout (all LSP traffic: logMessage,
showMessage, hovers, diagnostics, progress, command results, edits) and stderr, captured by
``tests/e2e/tee_server.py``; and the stdout/stderr of ``qwen-ls`` CLI runs (check, auth status,
model list, the sign-in flows against the fake provider). The real-VS-Code test is left out of the
inner run: it runs in the main suite and does the same search over its own logs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from fakeprovider import FakeProvider  # noqa: E402

# Every key-shaped literal of the e2e tests, plus the fake provider's tokens and this file's keys.
_KEY_LITERAL = re.compile(r"sk-[A-Za-z0-9_\-]{10,}")
PROVIDER_TOKENS = ["fake-access-token-0123456789", "fake-refresh-token-9876543210"]
CLI_KEYS = ["sk-sp-test-hygiene-0000000000cafe", "sk-test-hygiene-apikey-000000beef",
            "sk-test-hygiene-settings-env-0000f00d"]


def known_secrets() -> list[str]:
    found: set[str] = set(PROVIDER_TOKENS) | set(CLI_KEYS)
    for source in (REPO / "tests" / "e2e").glob("*.py"):
        found.update(_KEY_LITERAL.findall(source.read_text()))
    return sorted(found)


def leaks(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s in text]


def test_secret_list_is_not_empty():
    secrets = known_secrets()
    assert len(secrets) >= 6, secrets
    assert all(len(s) >= 10 for s in secrets)


def test_no_secret_in_anything_the_server_emitted_during_the_e2e_suite(tmp_path: Path):
    tee = tmp_path / "tee"
    env = {**os.environ, "QWEN_LS_TEE_DIR": str(tee), "QWEN_LS_SKIP_VSCODE_E2E": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", str(REPO / "tests" / "e2e"), "-q", "-p", "no:cacheprovider",
         "-x", "--deselect", "tests/e2e/test_vscode_extension.py"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    files = sorted(tee.glob("*.std*"))
    stdout_files = [f for f in files if f.suffix == ".stdout"]
    assert len(stdout_files) >= 20, "the tee captured too few server runs"
    emitted = "".join(f.read_text(errors="replace") for f in files)
    assert "window/logMessage" in emitted or "textDocument/publishDiagnostics" in emitted
    secrets = known_secrets()
    found = {s: [f.name for f in files if s in f.read_text(errors="replace")]
             for s in leaks(emitted, secrets)}
    assert found == {}, f"unmasked secrets in server output: {found}"
    # The masked forms did reach the client (the tests exercise hovers/hints on these keys).
    # (JSON-RPC bodies carry the ellipsis as \u2026.)
    assert "sk-\\u2026" in emitted or "sk-…" in emitted


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / "proj" / ".qwen").mkdir(parents=True)
    return home


def _cli(home: Path, *args: str, stdin: str | None = None, **extra: str):
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "PYTHONPATH": str(REPO), "LANG": "C.UTF-8", **extra}
    return subprocess.run([sys.executable, "-m", "qwen_ls", *args], cwd=home / "proj", env=env,
                          input=stdin, capture_output=True, text=True, timeout=60)


def test_no_secret_in_cli_output(home: Path):
    cp_key, api_key, settings_key = CLI_KEYS
    # a settings file that holds secrets in plain text, and a key in envKey by mistake
    (home / "proj" / ".qwen" / "settings.json").write_text(json.dumps({
        "env": {"OPENAI_API_KEY": settings_key},
        "modelProviders": {"openai": [{"id": "m1", "envKey": api_key,
                                       "baseUrl": "https://api.example.com/v1"}]},
        "security": {"auth": {"selectedType": "openai", "apiKey": settings_key}},
        "model": {"name": "m1"}}, indent=2))
    outputs = []
    with FakeProvider(valid_keys=(cp_key,)) as provider:
        runs = [
            _cli(home, "check"),
            _cli(home, "check", "--format", "json"),
            _cli(home, "auth", "coding-plan", "--region", "intl", "--key", cp_key,
                 "--base-url", provider.url + "/v1", "--verify"),
            _cli(home, "auth", "api-key", "--protocol", "openai", "--base-url",
                 "https://api.example.com/v1", "--model", "m2", "--env-key", "HYGIENE_KEY",
                 "--key", api_key, "--scope", "user", "--no-verify"),
            _cli(home, "auth", "status"),
            _cli(home, "auth", "status", "--format", "json"),
            _cli(home, "model", "list", "--format", "json"),
            # m1's envKey holds a key: "not set" names it (masked), and nothing is sent
            _cli(home, "model", "test", "m1", "--yes", "--format", "json"),
            _cli(home, "auth", "qwen-oauth", "--no-browser", "--base-url", provider.url,
                 QWEN_LS_OAUTH_INTERVAL_SCALE="0.01"),
            _cli(home, "auth", "status", "--format", "json"),
            _cli(home, "check"),
        ]
    assert json.loads(runs[7].stdout)["failure"] == "no-key"
    for run in runs:
        assert "Traceback" not in run.stderr, run.stderr
        outputs.append(run.stdout + run.stderr)
    text = "\n".join(outputs)
    assert "sk-…" in text  # masked forms are shown
    assert leaks(text, known_secrets()) == []
    # and the keys did land where the CLI reads them, mode 0600
    env_file = home / ".qwen" / ".env"
    assert cp_key in env_file.read_text() and (env_file.stat().st_mode & 0o777) == 0o600
