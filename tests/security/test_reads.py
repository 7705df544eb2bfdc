"""Points 3 and 4: only regular files are read, never without a bound, and nothing read through a
link to another file is echoed.

Each hostile file is put for real where qwen-ls reads (workspace settings, ``.qwen/.env``,
``~/.qwen/oauth_creds.json``, the user settings the server reads beside an open document) and the
real CLI and server run against it under a timeout: a hang fails, a traceback fails, silence fails.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from hostile import RawLsp, Repo, run_cli

LIMIT = "4096"
ENVIRON_SECRET = "sk-test-environ-leak-000000c0ffee"
TOKEN = "ghp_TESTtokenFILEcontent000000000000"


def plant(repo: Repo, path: Path, kind: str) -> str:
    """Put a hostile ``kind`` at ``path``; return the phrase the refusal must contain."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
        return "FIFO"
    if kind == "dev-zero":
        path.symlink_to("/dev/zero")
        return "character device"
    if kind == "proc-environ":
        path.symlink_to("/proc/self/environ")
        return "pseudo-file"
    if kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        repo.__dict__.setdefault("_sockets", []).append(sock)
        return "socket"
    if kind == "huge":
        path.write_text('{"a": "' + "x" * 10_000 + '"}')
        return "larger than the 4096-byte limit"
    if kind == "folder":
        path.mkdir()
        return "folder"
    raise AssertionError(kind)


KINDS = ["fifo", "dev-zero", "proc-environ", "socket", "huge"]


@pytest.mark.parametrize("kind", KINDS)
def test_check_refuses_special_settings_files(repo: Repo, kind: str):
    phrase = plant(repo, repo.qwen / "settings.json", kind)
    proc = run_cli(repo, "check", timeout=30, QWEN_LS_MAX_FILE_BYTES=LIMIT,
                   LEAK=ENVIRON_SECRET)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert phrase in proc.stderr and str(repo.qwen / "settings.json") in proc.stderr
    assert "Traceback" not in proc.stderr and ENVIRON_SECRET not in proc.stdout + proc.stderr


@pytest.mark.parametrize("where", ["workspace-settings", "user-settings", "workspace-env",
                                   "home-env", "oauth-creds"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", [("auth", "status"), ("model", "list"), ("doctor",)])
def test_auth_status_and_model_list_never_hang_on_special_files(repo: Repo, kind: str,
                                                                 where: str, command):
    path = {"workspace-settings": repo.qwen / "settings.json",
            "user-settings": repo.home / ".qwen" / "settings.json",
            "workspace-env": repo.qwen / ".env",
            "home-env": repo.home / ".env",
            "oauth-creds": repo.home / ".qwen" / "oauth_creds.json"}[where]
    plant(repo, path, kind)
    proc = run_cli(repo, *command, timeout=30, QWEN_LS_MAX_FILE_BYTES=LIMIT,
                   LEAK=ENVIRON_SECRET)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    assert proc.stdout.strip() and "Traceback" not in proc.stderr
    assert ENVIRON_SECRET not in proc.stdout + proc.stderr


@pytest.mark.parametrize("command", [("auth", "status"), ("model", "list"),
                                     ("model", "use", "m1"), ("check",), ("doctor",)])
def test_deep_nesting_in_every_reader(repo: Repo, command):
    deep = "[" * 100_000 + "]" * 100_000
    repo.write(repo.qwen / "settings.json", '{"modelProviders": {"openai": [{"id": "m1", '
               '"baseUrl": "http://127.0.0.1:9/v1", "envKey": "K", "x": ' + deep + "}]}}")
    repo.write(repo.home / ".qwen" / "settings.json", '{"mcpServers": {"a": {"env": '
               + "{\"k\": " * 5000 + "1" + "}" * 5000 + "}}}")
    proc = run_cli(repo, *command, timeout=60)
    assert "Traceback" not in proc.stderr and "RecursionError" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1) and proc.stdout.strip()


def test_server_keeps_answering_with_special_files_beside_the_open_document(repo: Repo):
    plant(repo, repo.home / ".qwen" / "settings.json", "fifo")
    plant(repo, repo.qwen / ".env", "dev-zero")
    plant(repo, repo.home / ".qwen" / "oauth_creds.json", "fifo")
    settings = repo.write(repo.qwen / "settings.json", '{"model": {"name": "qwen3-coder-plus"}}')
    server = RawLsp(repo, LEAK=ENVIRON_SECRET)
    server.initialize()
    uri = server.open(settings)
    hover = server.call("textDocument/hover", {"textDocument": {"uri": uri},
                                               "position": {"line": 0, "character": 3}})
    assert "result" in hover and hover["result"] is not None
    status = server.call("workspace/executeCommand", {"command": "qwen-ls.authStatus",
                                                       "arguments": [{}]})
    assert "result" in status and status["result"]["method"]
    server.drain(1.0)
    assert any(m.get("method") == "textDocument/publishDiagnostics" for m in server.messages)
    stderr = server.close()
    assert ENVIRON_SECRET not in server.raw.decode() + stderr
    assert "Traceback" not in stderr


# -- 4. nothing read through a link is echoed ---------------------------------------------------

@pytest.mark.parametrize("content", [
    TOKEN + "\n",
    json.dumps({"access_token": TOKEN, "note": "x"}),
    "{\n  \"a\": 1,\n  " + TOKEN + "\n}",
])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_never_echoes_a_linked_token_file(repo: Repo, content: str, fmt: str):
    token_file = repo.write(repo.home / ".config" / "gh" / "token", content)
    (repo.qwen / "settings.json").symlink_to(token_file)
    proc = run_cli(repo, "check", "--format", fmt, timeout=30)
    assert proc.returncode in (0, 1), proc.stderr
    out = proc.stdout + proc.stderr
    assert TOKEN not in out and TOKEN[-12:] not in out
    if fmt == "text":
        assert "source not shown" in proc.stdout


def test_check_still_shows_the_users_own_dotfiles_link(repo: Repo):
    dotfiles = repo.write(repo.root / "dotfiles" / "qwen.json", '{"unknownKeyHere": 1}\n')
    (repo.home / ".qwen" / "settings.json").symlink_to(dotfiles)
    proc = run_cli(repo, "check", str(repo.home / ".qwen" / "settings.json"), timeout=30)
    assert '{"unknownKeyHere": 1}' in proc.stdout  # the user's own file: echoed as usual


@pytest.mark.parametrize("limit", [None, 4096])
def test_server_size_limit_from_initialization_options(repo: Repo, limit):
    repo.write(repo.home / ".qwen" / "settings.json", json.dumps(
        {"security": {"auth": {"selectedType": "openai"}}, "pad": "x" * 10_000}))
    server = RawLsp(repo)
    server.initialize(**({"maxFileBytes": limit} if limit else {}))
    status = server.call("workspace/executeCommand", {"command": "qwen-ls.authStatus",
                                                       "arguments": [{}]})["result"]
    server.close()
    # above the limit the user file is refused unread, so its auth type is not seen
    assert status["authType"] == (None if limit else "openai"), status
