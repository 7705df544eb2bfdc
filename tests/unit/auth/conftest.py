"""Fixtures for the auth tests: a temporary HOME, a fake provider, fast polling."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from fakeprovider import FakeProvider  # noqa: E402

from qwen_ls.auth.context import AuthEnv  # noqa: E402
from qwen_ls.auth.oauth import PollOptions  # noqa: E402

CP_KEY = "sk-sp-test0000secret9876"
API_KEY = "sk-live-abcdef0123456789"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    return home


@pytest.fixture
def workspace(home: Path) -> Path:
    ws = home / "project"
    ws.mkdir()
    return ws


@pytest.fixture
def environ(home: Path) -> dict[str, str]:
    return {"HOME": str(home), "PATH": "/usr/bin:/bin"}


@pytest.fixture
def env(workspace: Path, environ: dict[str, str]) -> AuthEnv:
    return AuthEnv(workspace, environ)


@pytest.fixture
def provider():
    with FakeProvider(valid_keys=(CP_KEY,)) as fp:
        yield fp


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def wall(self) -> float:
        return 1_800_000_000.0 + self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def fast(fake_time: FakeTime) -> PollOptions:
    return PollOptions(request_timeout=5.0, clock=fake_time.clock, sleep=fake_time.sleep,
                       wall_clock=fake_time.wall)
