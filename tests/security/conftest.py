"""Fixtures of the security suite; the helpers live in ``hostile.py`` (a unique module name, so
that this suite runs together with the others, whose ``conftest`` modules share that name)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostile import RawLsp, Repo, make_repo  # noqa: E402


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return make_repo(tmp_path)


@pytest.fixture
def lsp(repo: Repo):
    server = RawLsp(repo)
    yield server
    if server.proc.poll() is None:
        server.close()
