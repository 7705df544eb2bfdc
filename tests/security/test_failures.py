"""Point 11: every command fails with a one-line message, never a traceback.

A folder where a file is expected (``oauth_creds.json``, ``settings.json``, ``.env``), a file
where a folder is expected (``QWEN_HOME``), and a read-only file system (``QWEN_HOME`` under
``/sys``, mounted read-only here) are built for real.
"""

from __future__ import annotations

import pytest
from hostile import Repo, run_cli

KEY = "sk-test-failures-0000000000"
API_KEY = ["auth", "api-key", "--protocol", "openai", "--base-url", "http://127.0.0.1:9/v1",
           "--model", "m1", "--env-key", "OPENAI_API_KEY", "--key", KEY, "--no-verify"]
COMMANDS = [("auth", "sign-out"), ("auth", "status"), ("model", "list"), ("model", "use", "m1"),
            ("check",), tuple(API_KEY), tuple(API_KEY + ["--scope", "workspace"]),
            ("auth", "coding-plan", "--region", "intl", "--key", "sk-sp-fake-0000000000",
             "--no-verify")]


def breakage(repo: Repo, kind: str) -> dict[str, str]:
    if kind == "creds-folder":
        (repo.home / ".qwen" / "oauth_creds.json").mkdir()
    elif kind == "settings-folder":
        (repo.home / ".qwen" / "settings.json").mkdir()
        (repo.qwen / "settings.json").mkdir()
    elif kind == "env-folder":
        (repo.home / ".qwen" / ".env").mkdir()
        (repo.qwen / ".env").mkdir()
    elif kind == "qwen-home-file":
        path = repo.write(repo.root / "not-a-folder", "x")
        return {"QWEN_HOME": str(path)}
    elif kind == "read-only":
        return {"QWEN_HOME": "/sys/qwen-ls-test-home"}
    return {}


@pytest.mark.parametrize("kind", ["creds-folder", "settings-folder", "env-folder",
                                  "qwen-home-file", "read-only"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_one_line_message_never_a_traceback(repo: Repo, kind: str, command):
    extra = breakage(repo, kind)
    proc = run_cli(repo, *command, timeout=60, **extra)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    assert out.strip(), "silence is not a message"
    if proc.returncode not in (0,):
        assert len(proc.stderr.strip().splitlines()) <= 3, proc.stderr
    assert KEY not in out
