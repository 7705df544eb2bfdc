"""Where the real server's log lines go: each once, with its level, stderr only for warnings.

A raw JSON-RPC session over the server's stdio (not pytest-lsp, which forwards the server's
stderr to ours), so that stdout (window/logMessage) and stderr can be compared line by line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_messages(data: bytes) -> list[dict]:
    out = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        out.append(json.loads(rest[:length]))
        data = rest[length:]
    return out


def session(tmp_path: Path, *server_args: str, init_options: dict | None = None):
    home = tmp_path / "home"
    ws = tmp_path / "ws"
    (home / ".qwen").mkdir(parents=True)
    (ws / ".qwen").mkdir(parents=True)
    settings = ws / ".qwen/settings.json"
    settings.write_text('{"ui": {"theem": 1}}\n')
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": None, "rootUri": ws.as_uri(), "capabilities": {},
            "initializationOptions": init_options or {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": settings.as_uri(), "languageId": "jsonc", "version": 1,
            "text": settings.read_text()}}},
        {"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles", "params": {
            "changes": [{"uri": settings.as_uri(), "type": 2}]}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "qwen_ls", *server_args],
                          input=b"".join(frame(m) for m in messages), capture_output=True,
                          env=env, cwd=ws, timeout=60)
    logs = [m["params"] for m in read_messages(proc.stdout) if m.get("method") == "window/logMessage"]
    return logs, proc.stderr.decode().splitlines()


def test_info_goes_to_log_message_only_and_each_line_once(tmp_path):
    # An invalid option gives a warning before the client is connected: stderr carries it.
    logs, stderr = session(tmp_path, init_options={"logLevel": "chatty"})
    assert any(m["type"] == 3 and "watched files changed" in m["message"] for m in logs), logs
    assert not [line for line in stderr if " INFO " in line or " DEBUG " in line], stderr
    warnings = [line for line in stderr if " WARNING " in line]
    assert len(warnings) == 1 and "logLevel" in warnings[0], stderr
    # Nothing is in both channels, and nothing twice in one.
    texts = [m["message"] for m in logs]
    stderr_texts = [line.split(" ", 2)[2] for line in stderr if line[:1].isdigit()]
    assert len(texts) == len(set(texts))
    assert not set(texts) & {t.split(" ", 1)[1] for t in stderr_texts}


def test_log_file_gets_every_line(tmp_path):
    log = tmp_path / "server.log"
    logs, stderr = session(tmp_path, "--log-file", str(log))
    written = log.read_text()
    assert "INFO" in written and "watched files changed" in written
    assert not [line for line in stderr if " INFO " in line]
