"""Fixtures for the stress tests: a populated temporary HOME, a network guard, fault helpers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stress_helpers import NetworkGuard, populate_home  # noqa: E402


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A HOME with ~/.qwen/settings.json (comments), ~/.qwen/.env, ~/.qwen/oauth_creds.json."""
    return populate_home(tmp_path / "home")


@pytest.fixture
def workspace(home: Path) -> Path:
    ws = home / "project"
    ws.mkdir()
    (ws / "README.md").write_text("a project\n")
    return ws


@pytest.fixture
def environ(home: Path) -> dict[str, str]:
    return {"HOME": str(home), "PATH": "/usr/bin:/bin"}


@pytest.fixture
def net(monkeypatch: pytest.MonkeyPatch) -> NetworkGuard:
    """Record every DNS lookup and connect; refuse anything that is not 127.0.0.1."""
    guard = NetworkGuard()
    guard.install(monkeypatch)
    return guard
