"""The pre-commit hook, installed for real by `pre-commit try-repo` from this repository.

pre-commit clones this repository (with its uncommitted changes), builds a virtualenv and
pip-installs qwen-ls into it (from PyPI only: the hook is `language: python`), then runs the hook
on a sample repository. About a minute, most of it pip.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args],
                   cwd=cwd, check=True, capture_output=True)


def test_manifest_is_valid():
    proc = subprocess.run([*PRE_COMMIT, "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_try_repo_on_a_sample_repository(tmp_path):
    sample = tmp_path / "sample"
    for rel, text in {
        ".qwen/settings.json": '{"ui": {"hideTips": true,}}\n',  # QLS002, an error
        "sub/.qwen/settings.json": '{"ui": {"theme": "Qwen Dark"}}\n',  # clean
        "other/settings.json": '{"ui": {"hideTips": "yes",}}\n',  # not a Qwen settings file
    }.items():
        (sample / rel).parent.mkdir(parents=True, exist_ok=True)
        (sample / rel).write_text(text)
    git(sample.parent, "init", "-q", str(sample))
    git(sample, "add", "-A")
    git(sample, "commit", "-qm", "sample")
    env = {
        "HOME": str(tmp_path / "home"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    for name in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CONFIG_FILE", "PIP_CACHE_DIR"):
        if name in os.environ:
            env[name] = os.environ[name]
    proc = subprocess.run([*PRE_COMMIT, "try-repo", str(REPO), "qwen-ls-check", "--all-files"],
                          cwd=sample, env=env, capture_output=True, text=True, timeout=900)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "qwen-ls check" in out and "Failed" in out
    assert ".qwen/settings.json:1:25: QLS002 [*] error Trailing comma" in out
    assert "other/settings.json" not in out
    assert "Found 1 problem in 2 files." in out  # both .qwen/settings.json files, nothing else

    # With the safe fixes applied the hook passes.
    git(sample, "checkout", "-q", ".")
    (sample / ".qwen/settings.json").write_text('{"ui": {"hideTips": true}}\n')
    git(sample, "commit", "-qam", "fixed")
    proc = subprocess.run([*PRE_COMMIT, "try-repo", str(REPO), "qwen-ls-check", "--all-files"],
                          cwd=sample, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "qwen-ls check" in proc.stdout and "Passed" in proc.stdout
