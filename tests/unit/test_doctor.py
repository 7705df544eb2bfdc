"""``qwen-ls doctor``: the start-up resolution, masked, as text and JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

KEY = "sk-test-doctor0000secret1234"


def _run(home: Path, ws: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "HOME": str(home),
           "QWEN_CODE_SYSTEM_SETTINGS_PATH": str(home / "none.json")}
    return subprocess.run([sys.executable, "-m", "qwen_ls", "doctor", "--workspace", str(ws),
                           *args], capture_output=True, text=True, env=env, check=False)


def test_doctor_resolves_model_key_and_source_masked(tmp_path):
    home, ws = tmp_path / "home", tmp_path / "ws"
    (home / ".qwen").mkdir(parents=True)
    ws.mkdir()
    (home / ".qwen" / "settings.json").write_text(json.dumps({
        "$version": 4, "security": {"auth": {"selectedType": "openai"}},
        "model": {"name": "m1"},
        "modelProviders": {"openai": [{"id": "m1", "envKey": "MY_KEY",
                                       "baseUrl": "http://127.0.0.1:9/v1"}]}}))
    (home / ".qwen" / ".env").write_text(f"MY_KEY={KEY}\n")
    proc = _run(home, ws, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert KEY not in proc.stdout
    report = json.loads(proc.stdout)
    assert (report["authType"], report["model"], report["baseUrl"]) == (
        "openai", "m1", "http://127.0.0.1:9/v1")
    assert report["key"]["var"] == "MY_KEY"
    assert report["key"]["source"]["file"] == str(home / ".qwen" / ".env")
    assert report["rewrites"] == []


def test_doctor_says_why_qwen_would_not_start(tmp_path):
    home, ws = tmp_path / "home", tmp_path / "ws"
    (home / ".qwen").mkdir(parents=True)
    ws.mkdir()
    (home / ".qwen" / "settings.json").write_text(json.dumps({
        "modelProviders": {"openai": [{"id": "m1", "envKey": "MY_KEY"}]}}))
    proc = _run(home, ws)
    assert proc.returncode == 1
    assert "No auth type is selected" in proc.stdout
    assert "QLS211" in proc.stdout
    assert "rewrites" in proc.stdout  # no $version: the CLI rewrites the file
