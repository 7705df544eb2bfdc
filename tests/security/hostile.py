"""Helpers of the security suite: hostile repositories built for real under a temporary HOME, and the two ways to attack them.

``run_cli`` runs ``python -m qwen_ls ...`` in a subprocess (no stdin, a timeout: a hang is a
failure, never a stuck suite); :class:`RawLsp` speaks JSON-RPC to the real server over its stdio
with hand-framed messages, so a test can send what no well-behaved client library would
(``params: null``, wrong types, requests after ``shutdown``) and keep every byte the server wrote.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))


@dataclass
class Repo:
    """One test's folders: a HOME, a cloned (hostile) workspace inside it, and outside files."""

    root: Path
    home: Path
    workspace: Path

    @property
    def qwen(self) -> Path:
        return self.workspace / ".qwen"

    def write(self, path: Path, text: str, mode: int | None = None) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if mode is not None:
            os.chmod(path, mode)
        return path

    def environ(self, **extra: str) -> dict[str, str]:
        return {"HOME": str(self.home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "PYTHONPATH": str(REPO), "QWEN_CODE_SYSTEM_SETTINGS_PATH":
                str(self.root / "system" / "settings.json"),
                "QWEN_CODE_SYSTEM_DEFAULTS_PATH": str(self.root / "system" / "defaults.json"),
                **extra}


def make_repo(tmp_path: Path) -> Repo:
    """Build the folders: ``<tmp>/home`` with ``~/.qwen``, and a clone at ``~/src/cloned``."""
    home = tmp_path / "home"
    workspace = home / "src" / "cloned"
    (workspace / ".qwen").mkdir(parents=True)
    (home / ".qwen").mkdir(parents=True)
    return Repo(tmp_path, home, workspace)


def run_cli(repo: Repo, *args: str, timeout: float = 60, **extra: str,
            ) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in the workspace; a hang past ``timeout`` fails the test."""
    return subprocess.run([sys.executable, "-m", "qwen_ls", *args], cwd=repo.workspace,
                          env=repo.environ(**extra), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


class RawLsp:
    """The real server as a subprocess, spoken to with hand-written JSON-RPC frames."""

    def __init__(self, repo: Repo, **extra: str) -> None:
        self.repo = repo
        self.proc = subprocess.Popen([sys.executable, "-m", "qwen_ls"], cwd=repo.workspace,
                                     env=repo.environ(**extra), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.next_id = 1
        self.buffer = b""
        self.raw = b""  # every byte the server wrote to stdout
        self.messages: list[dict[str, Any]] = []

    # -- sending -----------------------------------------------------------------------------
    def send(self, message: dict[str, Any] | bytes) -> None:
        body = message if isinstance(message, bytes) else json.dumps(message).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: Any = None, *, omit_params: bool = False) -> int:
        rid = self.next_id
        self.next_id += 1
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": rid, "method": method}
        if not omit_params:
            message["params"] = params
        self.send(message)
        return rid

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    # -- receiving ---------------------------------------------------------------------------
    def _read_some(self, deadline: float) -> bool:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return False
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return False
        self.buffer += chunk
        self.raw += chunk
        while True:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if not sep:
                break
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length")))
            if len(rest) < length:
                break
            self.messages.append(json.loads(rest[:length]))
            self.buffer = rest[length:]
        return True

    def response(self, rid: int, timeout: float = 20) -> dict[str, Any]:
        """Wait for the answer to request ``rid`` (answering the server's own requests)."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for message in self.messages[seen:]:
                if message.get("id") == rid and "method" not in message:
                    return message
                if "method" in message and "id" in message:  # a server-to-client request
                    self.send({"jsonrpc": "2.0", "id": message["id"],
                               "result": {"applied": True} if message["method"] ==
                               "workspace/applyEdit" else None})
            seen = len(self.messages)
            if time.monotonic() > deadline or not self._read_some(deadline):
                if time.monotonic() > deadline:
                    raise AssertionError(f"no answer to request {rid} within {timeout}s")

    def call(self, method: str, params: Any = None, timeout: float = 20) -> dict[str, Any]:
        return self.response(self.request(method, params), timeout)

    def drain(self, seconds: float = 0.5) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self._read_some(deadline):
            pass

    def initialize(self, **options: Any) -> dict[str, Any]:
        answer = self.call("initialize", {
            "processId": None, "rootUri": self.repo.workspace.as_uri(),
            "workspaceFolders": [{"uri": self.repo.workspace.as_uri(), "name": "ws"}],
            "capabilities": {"workspace": {"applyEdit": True, "workspaceEdit":
                                           {"documentChanges": True}},
                             "window": {"showDocument": {"support": True}}},
            "initializationOptions": options or None})
        self.notify("initialized", {})
        return answer

    def open(self, path: Path, text: str | None = None) -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "jsonc", "version": 1,
            "text": path.read_text() if text is None else text}})
        return uri

    def close(self) -> str:
        """Stop the server and return everything it wrote to stderr."""
        try:
            rid = self.request("shutdown")
            self.response(rid, timeout=10)
            self.notify("exit")
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a test that failed must still not leak a process
            self.proc.kill()
            self.proc.wait(timeout=10)
        assert self.proc.stderr is not None
        return self.proc.stderr.read().decode("utf-8", "replace")



def shown_part(message: object) -> str:
    """Everything of a server message that a client may show, as JSON text.

    Left out: texts that are applied, not shown (``newText``, ``insertText``), and what the
    client hands back to the server unread (``data``, ``arguments``).
    """
    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()
                    if k not in ("newText", "insertText", "data", "arguments")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return json.dumps(strip(message), ensure_ascii=False)
