"""Fixtures of the feature unit tests (the helpers are in ``feature_sandbox``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from feature_sandbox import DiskFiles, Sandbox


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    home = tmp_path / "home"
    project = tmp_path / "project"
    (home / ".qwen").mkdir(parents=True)
    project.mkdir()
    return Sandbox(home=home, project=project)


@pytest.fixture
def files() -> DiskFiles:
    return DiskFiles()
