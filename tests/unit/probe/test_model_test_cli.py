"""``qwen-ls model test [ID]`` in a subprocess, against the fake provider on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fakeprovider import FakeProvider, html_page

REPO = Path(__file__).resolve().parents[3]
KEY = "sk-cli-probe-0123456789abcdef"


@pytest.fixture
def provider():
    with FakeProvider(valid_keys=(KEY,)) as fp:
        yield fp


@pytest.fixture(autouse=True)
def _key(home: Path) -> None:
    (home / ".qwen" / ".env").write_text(f"PROBE_KEY={KEY}\n")


def settings(base_url: str, model: str = "qwen3-coder-plus") -> str:
    return json.dumps({"modelProviders": {"openai": [
        {"id": model, "baseUrl": base_url, "envKey": "PROBE_KEY"}]},
        "security": {"auth": {"selectedType": "openai"}}, "model": {"name": model}})


def run(args: list[str], home: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "qwen_ls", "model", "test", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)


def test_current_model_ok_exit_0(home: Path, workspace: Path, provider: FakeProvider) -> None:
    (home / ".qwen" / "settings.json").write_text(settings(provider.models_url))
    proc = run([], home, workspace)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Connected to 127.0.0.1 in ")
    assert "The endpoint lists qwen3-coder-plus" in proc.stdout
    assert KEY not in proc.stdout + proc.stderr

    proc = run(["qwen3-coder-plus", "--format", "json"], home, workspace)
    result = json.loads(proc.stdout)
    assert proc.returncode == 0 and result["ok"] and result["modelListed"] is True
    assert result["key"]["masked"] == "sk-…cdef" and "ids" not in result


def test_failure_exit_1_with_the_explanation(home: Path, workspace: Path,
                                             provider: FakeProvider) -> None:
    (home / ".qwen" / "settings.json").write_text(settings(provider.models_url))
    provider.script("models", html_page())
    proc = run([], home, workspace)
    assert proc.returncode == 1 and "HTML page instead of JSON" in proc.stderr
    proc = run(["no-such-model"], home, workspace)
    assert proc.returncode == 1 and "Model 'no-such-model' is not configured" in proc.stderr


def test_workspace_host_needs_yes(home: Path, workspace: Path, provider: FakeProvider) -> None:
    (workspace / ".qwen" / "settings.json").write_text(settings(provider.models_url))
    proc = run([], home, workspace)
    assert proc.returncode == 1 and "pass --yes to confirm" in proc.stderr
    assert provider.requests == [] and KEY not in proc.stderr
    proc = run(["--yes"], home, workspace)
    assert proc.returncode == 0, proc.stderr
    assert len(provider.requests) == 1
