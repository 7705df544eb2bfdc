"""One version: qwen_ls/__init__.py is the source; the wheel, the extension and the changelog agree."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import qwen_ls

REPO = Path(__file__).resolve().parents[2]


def test_pyproject_reads_the_version_from_the_package() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "qwen_ls/__init__.py"


def test_the_extension_and_its_changelog_carry_the_same_version() -> None:
    package = json.loads((REPO / "editors" / "vscode" / "package.json").read_text())
    assert package["version"] == qwen_ls.__version__
    changelog = (REPO / "editors" / "vscode" / "CHANGELOG.md").read_text()
    assert f"\n## {qwen_ls.__version__}\n" in changelog


def test_the_extension_declares_restricted_mode_and_ships_its_marketplace_files() -> None:
    package = json.loads((REPO / "editors" / "vscode" / "package.json").read_text())
    untrusted = package["capabilities"]["untrustedWorkspaces"]
    assert untrusted["supported"] == "limited"
    assert untrusted["restrictedConfigurations"] == ["qwen.server.command"]
    assert (REPO / "editors" / "vscode" / package["icon"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shipped = (REPO / "editors" / "vscode" / ".vscodeignore").read_text().split()
    for entry in ("!README.md", "!CHANGELOG.md", "!LICENSE", "!images/*.png", "!server/**"):
        assert entry in shipped
