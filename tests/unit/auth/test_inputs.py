"""The watched input files and their signature (:mod:`qwen_ls.auth.inputs`)."""

from __future__ import annotations

import os
from pathlib import Path

from qwen_ls.auth import inputs


def test_every_scope_env_candidate_and_oauth_file_is_listed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ws = home / "a" / "b"
    ws.mkdir(parents=True)
    environ = {"HOME": str(home), "QWEN_CODE_SYSTEM_SETTINGS_PATH": str(tmp_path / "sys.json")}
    paths = [str(p) for p in inputs.input_paths([ws, None, ws], environ)]
    expected = [home / ".qwen", home / ".qwen" / "oauth_creds.json", tmp_path / "sys.json",
                home / ".qwen" / "settings.json", ws / ".qwen" / "settings.json",
                ws / ".qwen" / ".env", ws / ".env", home / "a" / ".qwen" / ".env",
                home / "a" / ".env", home / ".qwen" / ".env", home / ".env"]
    for path in expected:
        assert str(path) in paths
    assert len(paths) == len(set(paths))  # no repeats across workspaces
    untrusted = [str(p) for p in inputs.input_paths([ws], environ, trusted=False)]
    assert str(ws / ".env") not in untrusted and str(home / ".env") in untrusted


def test_custom_qwen_home_and_the_bound(tmp_path: Path) -> None:
    qhome = tmp_path / "qh"
    environ = {"HOME": str(tmp_path / "home"), "QWEN_HOME": str(qhome)}
    paths = inputs.input_paths([None], environ, extra=[tmp_path / f"x{i}" for i in range(500)])
    assert paths[:2] == [qhome, qhome / "oauth_creds.json"]
    assert qhome / ".env" in paths and tmp_path / "home" / ".qwen" / ".env" in paths
    assert len(paths) == inputs.MAX_PATHS


def test_signature_sees_creation_rewrite_and_retargeting(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    link = tmp_path / "link"
    paths = [env, link]
    before = inputs.signature(paths)
    assert before == inputs.signature(paths)
    env.write_text("A=1\n")
    created = inputs.signature(paths)
    assert inputs.changed(before, created) == [str(env)]
    other = tmp_path / "other"
    other.write_text("B=22\n")
    os.symlink(env, link)
    linked = inputs.signature(paths)
    os.unlink(link)
    os.symlink(other, link)
    assert inputs.changed(linked, inputs.signature(paths)) == [str(link)]


def test_fifo_link_loop_and_device_never_block(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    loop = tmp_path / "loop"
    os.symlink(loop, loop)
    sig = inputs.signature([fifo, loop, Path("/dev/zero"), tmp_path / "missing\0name"])
    assert sig[0][1] is not None  # a FIFO is stat'ed, never opened
    assert sig[1][1] is not None and sig[1][2] is None  # the loop itself, no target
    assert sig[3][1:] == (None, None)


def test_a_folder_counts_by_identity_not_by_its_entries(tmp_path: Path) -> None:
    qhome = tmp_path / ".qwen"
    qhome.mkdir()
    before = inputs.signature([qhome])
    (qhome / "tmp").mkdir()  # the CLI's own files: no change
    assert inputs.signature([qhome]) == before
    qhome.rename(tmp_path / "old")
    qhome.mkdir()  # a new folder in its place is one
    assert inputs.changed(before, inputs.signature([qhome])) == [str(qhome)]
