"""Run ``python -m qwen_ls`` and keep a copy of everything it emits (for the secret-hygiene test).

Usage: ``python tee_server.py DIR``. The client's stdin goes to the server unchanged; the server's
stdout (every LSP message: logs, messages, hovers, diagnostics, progress, command results) and
stderr are passed through and also appended to ``DIR/<pid>.stdout`` and ``DIR/<pid>.stderr``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path


def _pump(source, targets) -> None:
    while True:
        chunk = source.read1(65536) if hasattr(source, "read1") else source.read(65536)
        if not chunk:
            break
        for target in targets:
            target.write(chunk)
            target.flush()
    for target in targets[1:]:
        target.close()


def _forward_stdin(child: subprocess.Popen) -> None:
    try:
        while True:
            chunk = os.read(sys.stdin.fileno(), 65536)
            if not chunk:
                break
            child.stdin.write(chunk)
            child.stdin.flush()
    except (BrokenPipeError, OSError, ValueError):
        pass
    finally:
        try:
            child.stdin.close()
        except OSError:
            pass


def main() -> int:
    out_dir = Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    child = subprocess.Popen([sys.executable, "-m", "qwen_ls"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout_copy = (out_dir / f"{child.pid}.stdout").open("ab")
    stderr_copy = (out_dir / f"{child.pid}.stderr").open("ab")
    threads = [
        threading.Thread(target=_pump, args=(child.stdout, [sys.stdout.buffer, stdout_copy]),
                         daemon=True),
        threading.Thread(target=_pump, args=(child.stderr, [sys.stderr.buffer, stderr_copy]),
                         daemon=True),
    ]
    for t in threads:
        t.start()
    # stdin is forwarded by a daemon thread: when the server exits (after `exit`), the tee must
    # exit too, even though the client may keep its end of the pipe open.
    threading.Thread(target=_forward_stdin, args=(child,), daemon=True).start()
    code = child.wait()
    for t in threads:
        t.join(timeout=5)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
