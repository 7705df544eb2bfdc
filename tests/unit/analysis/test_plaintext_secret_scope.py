"""QLS406 by where the file lives: user file (the CLI's documented setup), workspace, git-tracked."""

from __future__ import annotations

import subprocess

TEXT = '{\n  "$version": 4,\n  "env": {"OPENAI_API_KEY": "sk-test-plain0000000000000000"}\n}\n'


def _qls406(findings):
    found = [f for f in findings if f.code == "QLS406"]
    assert len(found) == 1
    assert "sk-test-plain0000000000000000" not in found[0].message
    return found[0]


def test_user_file_is_information(sandbox):
    _, findings = sandbox.analyze(TEXT, "user")
    finding = _qls406(findings)
    assert finding.severity == "information"
    assert "user settings" in finding.message


def test_workspace_file_is_a_warning(sandbox):
    _, findings = sandbox.analyze(TEXT, "workspace")
    finding = _qls406(findings)
    assert finding.severity == "warning"
    assert "workspace settings file" in finding.message


def test_a_file_git_tracks_is_an_error_in_any_scope(sandbox):
    project = sandbox.workspace
    subprocess.run(["git", "init", "-q", str(project)], check=True, timeout=60)
    sandbox.analyze(TEXT, "workspace")  # writes the file
    subprocess.run(["git", "-C", str(project), "add", ".qwen/settings.json"], check=True,
                   timeout=60)
    _, findings = sandbox.analyze(TEXT, "workspace")
    finding = _qls406(findings)
    assert finding.severity == "error"
    assert "git tracks" in finding.message
    # a dotfiles repository in HOME that tracks the user file
    subprocess.run(["git", "init", "-q", str(sandbox.home)], check=True, timeout=60)
    sandbox.analyze(TEXT, "user")
    subprocess.run(["git", "-C", str(sandbox.home), "add", ".qwen/settings.json"], check=True,
                   timeout=60)
    _, findings = sandbox.analyze(TEXT, "user")
    assert _qls406(findings).severity == "error"


def test_untracked_file_in_a_repository_keeps_its_scope_severity(sandbox):
    subprocess.run(["git", "init", "-q", str(sandbox.workspace)], check=True, timeout=60)
    _, findings = sandbox.analyze(TEXT, "workspace")
    assert _qls406(findings).severity == "warning"
