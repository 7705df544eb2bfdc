"""Fixtures of the Test connection tests: a temporary HOME with a project, no proxy variables."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/fakeprovider.py


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the developer's shell must not turn a DNS or TLS failure into another."""
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / ".qwen").mkdir(parents=True)
    return home


@pytest.fixture
def workspace(home: Path) -> Path:
    ws = home / "project"
    (ws / ".qwen").mkdir(parents=True)
    return ws
