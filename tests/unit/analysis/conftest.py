"""Helpers to analyse a settings text in a real temporary HOME and workspace."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from qwen_ls import jsonc
from qwen_ls.analysis import analyze, build_context


@dataclass
class Sandbox:
    home: Path
    workspace: Path

    def environ(self, **extra: str) -> dict[str, str]:
        return {"HOME": str(self.home), "PATH": "/usr/bin:/bin", **extra}

    def path_for(self, scope: str) -> Path:
        if scope == "workspace":
            return self.workspace / ".qwen" / "settings.json"
        return self.home / ".qwen" / "settings.json"

    def write(self, rel: str, text: str) -> Path:
        path = self.home / rel if not rel.startswith("ws/") else self.workspace / rel[3:]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def analyze(self, text: str, scope: str = "user", env: dict[str, str] | None = None):
        path = self.path_for(scope)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        ctx = build_context(path, self.workspace, self.environ(**(env or {})))
        doc = jsonc.parse(text)
        return doc, analyze(doc, ctx)


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    home = tmp_path / "home"
    workspace = home / "project"
    workspace.mkdir(parents=True)
    return Sandbox(home=home, workspace=workspace)
