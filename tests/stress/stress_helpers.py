"""Helpers for the stress tests: HOME snapshots, fault injection, read-only folders, networking."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]

SETTINGS_TEXT = """{
  // my settings; keep this comment
  "ui": {"theme": "Qwen Dark"},
  "model": {
    "name": "old-model" /* and this one */
  }
}
"""
ENV_TEXT = "# my keys\nOTHER_VAR=keep-me\nBAILIAN_CODING_PLAN_API_KEY=sk-sp-test-old-0000\n"
OLD_ACCESS = "old-access-token-test-0000"
OLD_REFRESH = "old-refresh-token-test-0000"
CREDS = {
    "access_token": OLD_ACCESS,
    "refresh_token": OLD_REFRESH,
    "token_type": "Bearer",
    "resource_url": "portal.qwen.ai",
    "expiry_date": 1_000,  # long expired: a refresh is due
}
CREDS_TEXT = json.dumps(CREDS, indent=2)


def populate_home(home: Path) -> Path:
    """Create a HOME with a user settings file (0644), a .env (0600) and OAuth creds (0600)."""
    qwen = home / ".qwen"
    qwen.mkdir(parents=True)
    os.chmod(qwen, 0o700)
    (qwen / "settings.json").write_text(SETTINGS_TEXT)
    os.chmod(qwen / "settings.json", 0o644)
    (qwen / ".env").write_text(ENV_TEXT)
    os.chmod(qwen / ".env", 0o600)
    (qwen / "oauth_creds.json").write_text(CREDS_TEXT)
    os.chmod(qwen / "oauth_creds.json", 0o600)
    return home


def tree(root: Path) -> dict[str, tuple[str, int, bytes | str | None]]:
    """Every entry under ``root``: relative path -> (kind, mode, content / link target)."""
    out: dict[str, tuple[str, int, bytes | str | None]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(root))
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", 0, os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", stat.S_IMODE(st.st_mode), None)
            else:
                out[rel] = ("file", stat.S_IMODE(st.st_mode), path.read_bytes())
    return out


def tree_diff(before: dict, after: dict) -> list[str]:
    """Human-readable differences between two :func:`tree` results."""
    diffs = []
    for key in sorted(set(before) | set(after)):
        if key not in after:
            diffs.append(f"removed {key}")
        elif key not in before:
            diffs.append(f"added {key}")
        elif before[key] != after[key]:
            diffs.append(f"changed {key}")
    return diffs


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# -- fault injection ------------------------------------------------------------------------------

def _fd_path(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


def fail_fd_calls(monkeypatch: pytest.MonkeyPatch, under: Path, call: str,
                  code: int = errno.ENOSPC, match: str = "") -> list[str]:
    """Make ``os.<call>`` (``write`` or ``fsync``) raise ``OSError(code)`` for files under ``under``.

    Only file descriptors that point below ``under`` (and whose path contains ``match``) fail, so
    pytest's own output is unaffected. Returns the paths that failed (to prove the fault was hit).
    """
    real = getattr(os, call)
    hits: list[str] = []
    prefix = str(under.resolve())

    def faulty(fd: int, *args: Any) -> Any:
        target = _fd_path(fd)
        if target.startswith(prefix) and match in target:
            hits.append(target)
            raise OSError(code, os.strerror(code))
        return real(fd, *args)

    monkeypatch.setattr(os, call, faulty)
    return hits


def can_mount() -> bool:
    """Tell whether this process may mount a tmpfs (root with CAP_SYS_ADMIN, ``mount`` present)."""
    return os.geteuid() == 0 and shutil.which("mount") is not None and sys.platform == "linux"


@contextlib.contextmanager
def tiny_tmpfs(where: Path, size: str = "64k") -> Iterator[Path]:
    """Mount a tiny tmpfs at ``where`` (skips the test when mounting is impossible)."""
    where.mkdir(parents=True, exist_ok=True)
    if not can_mount():
        pytest.skip("mounting a tmpfs needs root; the monkeypatched ENOSPC tests cover this")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                           str(where)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill_up(folder: Path) -> None:
    """Fill the file system of ``folder`` until it reports ENOSPC."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        chunk = b"\0" * 4096
        while True:
            try:
                os.write(fd, chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                break
    finally:
        os.close(fd)


@dataclass
class ReadOnly:
    """How a folder was made read-only (reported by the tests)."""

    method: str
    undo: Callable[[], None] = field(default=lambda: None)


def make_read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> ReadOnly:
    """Make ``folder`` refuse new files, in the most real way this machine allows.

    - not root: ``chmod 0500`` (the permission bits are honoured);
    - root (who bypasses permission bits): ``chattr +i`` (immutable folder) when the file
      system supports it, else a read-only bind mount of the folder onto itself;
    - neither works: monkeypatch ``os.open`` to raise ``EACCES`` for new files in the folder
      (the same error the kernel would give), which exercises the same code path.
    """
    probe = folder / ".probe"
    if os.geteuid() != 0:
        old = mode_of(folder)
        os.chmod(folder, 0o500)
        return ReadOnly("chmod 0500", lambda: os.chmod(folder, old))
    if shutil.which("chattr"):
        proc = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
        if proc.returncode == 0:
            try:
                probe.touch()
            except OSError:
                return ReadOnly("chattr +i (root bypasses chmod)",
                                lambda: subprocess.run(["chattr", "-i", str(folder)], check=False))
            probe.unlink()
            subprocess.run(["chattr", "-i", str(folder)], check=False)
    if can_mount():
        ok = subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(folder)],
                            capture_output=True, check=False).returncode == 0
        if ok:
            try:
                probe.touch()
            except OSError:
                return ReadOnly("read-only bind mount (root bypasses chmod)",
                                lambda: subprocess.run(["umount", str(folder)], check=False))
            probe.unlink()
            subprocess.run(["umount", str(folder)], check=False)
    real_open = os.open
    prefix = str(folder.resolve()) + os.sep

    def refusing_open(path: Any, flags: int, *args: Any, **kw: Any) -> int:
        if str(Path(path).resolve()).startswith(prefix) and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kw)

    # root ignores 0500 and neither chattr nor a bind mount is available: simulate the kernel's
    # answer to creating a file in a folder without write permission.
    monkeypatch.setattr(os, "open", refusing_open)
    return ReadOnly("monkeypatched os.open -> EACCES (root, no chattr/mount)")


# -- networking -----------------------------------------------------------------------------------

class NetworkGuard:
    """Record every name lookup and connect; only 127.0.0.1 may be reached."""

    def __init__(self) -> None:
        self.lookups: list[str] = []
        self.connects: list[Any] = []
        self.sends: list[str] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import httpx

        real_getaddrinfo = socket.getaddrinfo
        real_connect = socket.socket.connect
        real_connect_ex = socket.socket.connect_ex
        real_send = httpx.AsyncClient.send
        guard = self

        def getaddrinfo(host: Any, *args: Any, **kw: Any) -> Any:
            guard.lookups.append(str(host))
            if str(host) not in ("127.0.0.1", "localhost", "::1"):
                raise socket.gaierror(socket.EAI_NONAME, "blocked by the test network guard")
            return real_getaddrinfo(host, *args, **kw)

        def connect(sock: socket.socket, address: Any) -> Any:
            guard.connects.append(address)
            if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1"):
                raise ConnectionRefusedError("blocked by the test network guard")
            return real_connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> Any:
            guard.connects.append(address)
            if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1"):
                return errno.ECONNREFUSED
            return real_connect_ex(sock, address)

        async def send(client: Any, request: Any, *args: Any, **kw: Any) -> Any:
            guard.sends.append(str(request.url))
            return await real_send(client, request, *args, **kw)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(httpx.AsyncClient, "send", send)

    @property
    def untouched(self) -> bool:
        """No lookup, connect or HTTP request happened."""
        return not (self.lookups or self.connects or self.sends)


def closed_port_url() -> str:
    """A loopback URL on a port nothing listens on (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def run_python(code: str, *args: str, env: dict[str, str] | None = None,
               timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with the repo on ``sys.path``."""
    full_env = dict(os.environ if env is None else env)
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-c", code, *args], env=full_env, timeout=timeout,
                          capture_output=True, text=True, check=False)
