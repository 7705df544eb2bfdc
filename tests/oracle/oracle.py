"""Run the oracle (the real CLI's modules, ``harness.mjs``) on many cases in one Node process.

A *case* is a small world: the user and workspace settings files, the ``.env`` files at every
level and the shell environment. :func:`materialize` writes it under a temporary root;
:func:`run_oracle` feeds every case to one harness process and returns its answers;
:func:`qwen_ls_answer` gives qwen-ls's answer for the same world (``resolve_startup`` and the
analysis of every settings file), in the same shape.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
HARNESS = HERE / "harness.mjs"
PACKAGE = HERE / "node_modules" / "@qwen-code" / "qwen-code"
QWEN_BIN = HERE / "node_modules" / ".bin" / "qwen"

#: Where each file of a case goes, relative to the case root.
LOCATIONS = {
    "user": "home/.qwen/settings.json",
    "workspace": "ws/.qwen/settings.json",
    "qwen_home_env": "home/.qwen/.env",
    "home_env": "home/.env",
    "project_qwen_env": "ws/.qwen/.env",
    "project_env": "ws/.env",
}


def require_oracle() -> None:
    """Fail (not skip) with the command that installs the oracle when it is missing."""
    if shutil.which("node") is None or not PACKAGE.is_dir():
        raise RuntimeError(
            "The oracle (npm @qwen-code/qwen-code, tests/oracle/package-lock.json) is not "
            "installed: run `make oracle` (make test does it)."
        )
    version = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
    if version != "0.24.4":
        raise RuntimeError(f"the oracle is qwen-code {version}, not the pinned 0.24.4")


@dataclass
class Case:
    """One world: file texts by :data:`LOCATIONS` key, and the shell environment."""

    id: str
    files: dict[str, str] = field(default_factory=dict)
    shell: dict[str, str] = field(default_factory=dict)
    origin: str = "generated"


def materialize(case: Case, root: Path) -> tuple[Path, Path, dict[str, str]]:
    """Write the case under ``root``; return ``(home, workspace, environ)``."""
    home, ws = root / "home", root / "ws"
    (home / ".qwen").mkdir(parents=True, exist_ok=True)
    (ws / ".qwen").mkdir(parents=True, exist_ok=True)
    for key, text in case.files.items():
        path = root / LOCATIONS[key]
        path.write_text(text, encoding="utf-8")
    environ = {
        "HOME": str(home),
        "QWEN_CODE_SYSTEM_SETTINGS_PATH": str(home / ".oracle-system" / "settings.json"),
        "QWEN_CODE_SYSTEM_DEFAULTS_PATH": str(home / ".oracle-system" / "system-defaults.json"),
        **case.shell,
    }
    return home, ws, environ


def run_oracle(requests: Iterable[Mapping[str, Any]], timeout: float = 600) -> list[dict]:
    """Evaluate every request (``{id, home, cwd, env}``) in one harness process."""
    require_oracle()
    payload = "".join(json.dumps(r) + "\n" for r in requests)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NO_COLOR": "1"}
    proc = subprocess.run(
        ["node", str(HARNESS)], input=payload, capture_output=True, text=True,
        timeout=timeout, env=env, cwd=HERE, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"oracle failed ({proc.returncode}): {proc.stderr[-2000:]}")
    out = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    broken = [o for o in out if "harnessError" in o]
    if broken:
        raise RuntimeError(f"oracle harness error: {broken[0]['harnessError'][:2000]}")
    return out


def sha256(text: str | None) -> str | None:
    """The digest the harness prints for a key."""
    return hashlib.sha256(text.encode()).hexdigest() if text is not None else None


def qwen_ls_answer(home: Path, ws: Path, environ: Mapping[str, str]) -> dict[str, Any]:
    """qwen-ls's resolution (``resolve_startup``) in the oracle's result shape."""
    from qwen_ls.settings.startup import resolve_startup

    s = resolve_startup(ws, environ)
    source = None
    if s.key_source is not None:
        source = {"kind": s.key_source.kind, "file": str(s.key_source.file)
                  if s.key_source.file and s.key_source.kind == "dotenv" else None}
    return {
        "loadError": s.load_error, "fatal": s.fatal, "authType": s.auth_type,
        "model": s.model, "baseUrl": s.base_url, "keyVar": s.key_var, "keySource": source,
        "keySha256": sha256(s.key_value), "startError": s.start_error, "starts": s.starts,
        "rewritten": sorted(str(p) for p in s.rewrites),
    }


def oracle_view(result: Mapping[str, Any]) -> dict[str, Any]:
    """The oracle's result reduced to the fields doctor resolves."""
    source = result.get("keySource")
    if source is not None:
        source = {"kind": source.get("kind"),
                  "file": source.get("file") if source.get("kind") == "dotenv" else None}
    return {
        "loadError": result["loadError"], "fatal": result["fatal"],
        "authType": result["authType"], "model": result["model"], "baseUrl": result["baseUrl"],
        "keyVar": result["keyVar"], "keySource": source, "keySha256": result["keySha256"],
        "startError": result["startError"], "starts": result["starts"],
        "rewritten": sorted(r["path"] for r in result["rewritten"]),
    }
