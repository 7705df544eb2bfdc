"""``gitindex.is_tracked`` against indexes that real ``git`` writes (versions 2, 3 and 4)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from qwen_ls.gitindex import is_tracked, parse_index


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True, timeout=60)


def _repo(root: Path) -> Path:
    root.mkdir()
    _git(root, "init", "-q")
    for rel in (".qwen/settings.json", "deep/a/b/c/long-name-" + "x" * 40 + ".json",
                "deep/a/b/c/long-name-" + "x" * 40 + "-2.json", "top.txt"):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}\n")
    (root / "untracked.json").write_text("{}\n")
    _git(root, "add", ".qwen", "deep", "top.txt")
    return root


@pytest.mark.parametrize("version", ["2", "3", "4"])
def test_tracked_and_untracked_files_in_every_index_version(tmp_path, version):
    root = _repo(tmp_path / "r")
    _git(root, "update-index", "--index-version", version)
    if version == "3":  # version 3 differs only by entries with extended flags
        _git(root, "add", "--intent-to-add", "untracked.json")
        _git(root, "update-index", "--index-version", version)
    assert is_tracked(root / ".qwen" / "settings.json")
    assert is_tracked(root / "deep/a/b/c" / ("long-name-" + "x" * 40 + "-2.json"))
    assert is_tracked(root / "top.txt")
    assert is_tracked(root / "untracked.json") is (version == "3")
    assert not is_tracked(root / "missing.json")


def test_linked_worktree_reads_its_own_index(tmp_path):
    root = _repo(tmp_path / "r")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "x")
    _git(root, "worktree", "add", "-q", str(tmp_path / "wt"))
    assert (tmp_path / "wt" / ".git").is_file()
    assert is_tracked(tmp_path / "wt" / ".qwen" / "settings.json")
    (tmp_path / "wt" / "new.json").write_text("{}")
    assert not is_tracked(tmp_path / "wt" / "new.json")


def test_outside_a_repository_and_garbage_indexes(tmp_path):
    (tmp_path / "f.json").write_text("{}")
    assert not is_tracked(tmp_path / "f.json")
    assert parse_index(b"") == frozenset()
    assert parse_index(b"DIRC\x00\x00\x00\x09\x00\x00\x00\x01") == frozenset()
    # a truncated index yields what it holds so far, never an exception
    root = _repo(tmp_path / "r")
    data = (root / ".git" / "index").read_bytes()
    assert parse_index(data[:80]) <= parse_index(data)
    assert ".qwen/settings.json" in parse_index(data)
