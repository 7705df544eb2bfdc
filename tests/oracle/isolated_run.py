"""Run qwen-ls sign-in commands and then the real ``qwen -p`` against a model stub, offline.

``tests/oracle/test_real_qwen.py`` starts this script, inside a fresh network namespace when
the machine allows one (``unshare -rn``: only a loopback interface exists, so nothing can reach
the internet whatever the CLI tries), else directly. It reads a JSON spec on stdin::

    {"home": DIR, "workspace": DIR, "valid_keys": [...],
     "steps": [[argv...], ...],            # qwen-ls commands; "{stub}" becomes the stub's URL
     "qwen": [argv...], "timeout": 120,
     "watch": [FILE, ...]}                 # files that must not change while qwen runs

and prints one JSON report: each step's exit code and output, qwen's, every request the stub
saw (model calls as protocol/model/key), and the watched files' text, mode and mtime before and
after qwen ran.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import struct
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from fakeprovider import FakeProvider  # noqa: E402

_SIOCGIFFLAGS, _SIOCSIFFLAGS, _IFF_UP = 0x8913, 0x8914, 0x1


def loopback_up() -> None:
    """Bring ``lo`` up (a new network namespace starts with it down); no ``ip`` binary needed."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sh", b"lo", 0)
        flags = struct.unpack("16sh", fcntl.ioctl(s, _SIOCGIFFLAGS, request))[1]
        if not flags & _IFF_UP:
            fcntl.ioctl(s, _SIOCSIFFLAGS, struct.pack("16sh", b"lo", flags | _IFF_UP))


def internet_reachable() -> bool:
    """Whether a TCP connection to a public address gets anywhere (it must not, when isolated)."""
    try:
        socket.create_connection(("1.1.1.1", 443), timeout=2).close()
    except OSError:
        return False
    return True


def file_state(path: str) -> dict | None:
    """Text, permission bits and mtime of ``path`` (``None`` when it does not exist)."""
    try:
        st = os.stat(path)
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return None
    return {"text": text, "mode": oct(st.st_mode & 0o777), "mtime_ns": st.st_mtime_ns}


def offline_env(spec: dict, stub: str) -> dict[str, str]:
    """The environment for ``qwen``: temporary HOME, stub URLs, no telemetry or update check."""
    home = Path(spec["home"])
    system = home.parent / "system"
    system.mkdir(exist_ok=True)
    # System settings (not the user file under test) switch off what would phone home.
    (system / "settings.json").write_text(json.dumps({
        "$version": 4,
        "general": {"enableAutoUpdate": False},
        "privacy": {"usageStatisticsEnabled": False},
        "telemetry": {"enabled": False},
    }))
    return {
        "HOME": str(home),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "NO_COLOR": "1",
        "TERM": "dumb",
        "QWEN_CODE_SYSTEM_SETTINGS_PATH": str(system / "settings.json"),
        "QWEN_CODE_SYSTEM_DEFAULTS_PATH": str(system / "system-defaults.json"),
        "QWEN_TELEMETRY_ENABLED": "false",
        "QWEN_USAGE_STATISTICS_ENABLED": "false",
        # Any update check lands on the stub, where it shows up as an unexpected request.
        "QWEN_UPDATE_BASE_URL": stub + "/update-check",
        "NO_PROXY": "127.0.0.1,localhost",
    }


def run(spec: dict) -> dict:
    """Start the stub, run the steps and qwen; return the report."""
    with FakeProvider(valid_keys=tuple(spec.get("valid_keys", ()))) as fp:
        stub = fp.url
        env = offline_env(spec, stub)
        steps = []
        for argv in spec["steps"]:
            argv = [a.replace("{stub}", stub) for a in argv]
            proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120,
                                  stdin=subprocess.DEVNULL, check=False)
            steps.append({"argv": argv, "rc": proc.returncode, "stdout": proc.stdout,
                          "stderr": proc.stderr})
        before = {f: file_state(f) for f in spec["watch"]}
        signin_requests = len(fp.requests)
        try:
            proc = subprocess.run(spec["qwen"], cwd=spec["workspace"], env=env,
                                  capture_output=True, text=True, timeout=spec["timeout"],
                                  stdin=subprocess.DEVNULL, check=False)
            qwen = {"rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}
        except subprocess.TimeoutExpired as exc:
            qwen = {"rc": None, "stdout": str(exc.stdout or ""), "stderr": "timed out"}
        after = {f: file_state(f) for f in spec["watch"]}
        calls = [c.__dict__ for c in fp.model_calls()]
        requests = [{"route": r.route, "method": r.method, "path": r.path}
                    for r in fp.requests]
    return {
        "stub": stub,
        "steps": steps,
        "qwen": qwen,
        "signin_requests": requests[:signin_requests],
        "qwen_requests": requests[signin_requests:],
        "calls": calls,
        "before": before,
        "after": after,
    }


def main() -> int:
    """Read the spec, isolate when asked, print the report."""
    spec = json.loads(sys.stdin.read())
    isolated = "--isolated" in sys.argv
    if isolated:
        loopback_up()
    report = run(spec)
    report["isolated"] = isolated
    report["internet_reachable"] = internet_reachable() if isolated else None
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
