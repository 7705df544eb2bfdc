"""Fault injection on every kind of write qwen-ls makes to a user's files.

Targets: ``settings.json`` (``SettingsStore.update``), ``.env`` (``write_env_var``) and
``oauth_creds.json`` (``write_json_file`` and the OAuth sign-in). Faults: a crash between the
complete temp file and the rename (a real subprocess exits at the failpoint), no space left on the
device (monkeypatched ``os.write``/``os.fsync`` and, when this machine lets us mount, a real tiny
tmpfs), a read-only folder, a change on disk after the file was read, symlinks, and the exact
preservation of a missing final newline, CRLF line ends and a BOM.

In every case: the original is intact or the new one is complete, modes are kept (0600 for new
credential / .env files), and the message says what failed and that nothing was written.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cli_reader import strip_json_comments
from dotenv import dotenv_values
from fakeprovider import FakeProvider, token_ok
from stress_helpers import (
    CREDS,
    CREDS_TEXT,
    ENV_TEXT,
    SETTINGS_TEXT,
    fail_fd_calls,
    fill_up,
    make_read_only,
    mode_of,
    run_python,
    tiny_tmpfs,
    tree,
    tree_diff,
)

from qwen_ls import store
from qwen_ls.auth import api_key, coding_plan, oauth
from qwen_ls.auth import creds as creds_mod
from qwen_ls.auth.common import AuthError
from qwen_ls.auth.context import AuthEnv
from qwen_ls.auth.oauth import PollOptions
from qwen_ls.jsonc import parse
from qwen_ls.settings.env import read_env_file
from qwen_ls.store import SettingsStore, StoreError, write_env_var, write_json_file

NEW_KEY = "sk-sp-test-new-key-1111"
NEW_CREDS = dict(CREDS, access_token="new-access-token-test-1111", expiry_date=9_999_999_999_999)


# -- the three targets ----------------------------------------------------------------------------

def settings_value(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(strip_json_comments(text.removeprefix("\ufeff")))


@dataclass
class Target:
    """One kind of file, how qwen-ls writes it and how its readers see it."""

    name: str
    original: str
    mode: int
    write: Callable[[Path], Any]
    code: str
    """Python code doing the same write in a subprocess (``sys.argv[1]`` is the path)."""
    seen: Callable[[Path], Any]
    """The value the CLI / qwen-ls readers take from the file."""
    old: Any
    new: Any


def _write_settings(path: Path) -> Any:
    return asyncio.run(SettingsStore().update(path, [(("model", "name"), "new-model")]))


TARGETS = {
    "settings.json": Target(
        "settings.json", SETTINGS_TEXT, 0o644, _write_settings,
        "import asyncio, sys; from pathlib import Path; from qwen_ls.store import SettingsStore;"
        "asyncio.run(SettingsStore().update(Path(sys.argv[1]), [(('model', 'name'), 'new-model')]))",
        lambda p: settings_value(p)["model"]["name"], "old-model", "new-model"),
    ".env": Target(
        ".env", ENV_TEXT, 0o600,
        lambda p: write_env_var(p, "BAILIAN_CODING_PLAN_API_KEY", NEW_KEY),
        "import sys; from pathlib import Path; from qwen_ls.store import write_env_var;"
        f"write_env_var(Path(sys.argv[1]), 'BAILIAN_CODING_PLAN_API_KEY', {NEW_KEY!r})",
        lambda p: read_env_file(p)[0]["BAILIAN_CODING_PLAN_API_KEY"][0],
        "sk-sp-test-old-0000", NEW_KEY),
    "oauth_creds.json": Target(
        "oauth_creds.json", CREDS_TEXT, 0o600, lambda p: write_json_file(p, NEW_CREDS),
        "import sys; from pathlib import Path; from qwen_ls.store import write_json_file;"
        f"write_json_file(Path(sys.argv[1]), {NEW_CREDS!r})",
        lambda p: creds_mod.read_credentials(p.parent).access_token,
        CREDS["access_token"], NEW_CREDS["access_token"]),
}
TARGET_IDS = list(TARGETS)


def assert_clear_write_message(message: str, path: Path, reason: str) -> None:
    assert f"Could not write {path}" in message, message
    assert reason in message, message
    assert "nothing was written" in message, message
    assert NEW_KEY not in message and "new-access-token" not in message


# -- 1. a crash between the temp file and the rename ---------------------------------------------

@pytest.mark.parametrize("name", TARGET_IDS)
def test_crash_before_rename_keeps_the_original(name: str, home: Path) -> None:
    target = TARGETS[name]
    path = home / ".qwen" / name
    before = path.read_bytes()
    env = dict(os.environ, QWEN_LS_FAILPOINT="crash-before-rename")
    proc = run_python(target.code, str(path), env=env)
    assert proc.returncode == 86, proc.stderr  # killed at the failpoint, no cleanup ran
    assert path.read_bytes() == before and mode_of(path) == target.mode
    assert target.seen(path) == target.old  # every reader still sees the original
    leftovers = [p for p in path.parent.iterdir() if p.name not in TARGETS]
    assert len(leftovers) == 1, leftovers  # the complete temp file of the dead process
    stray = leftovers[0]
    # it can never be mistaken for the real file: another name, and none of the readers'
    # names (settings.json, .env, oauth_creds.json) is a prefix-match for a loader
    assert stray.name not in TARGETS and stray.name.startswith((f".{name}.", f"{name}.tmp."))
    assert mode_of(stray) == (0o600 if name != "settings.json" else target.mode)
    # the next write works and is not confused by the stray file
    target.write(path)
    assert target.seen(path) == target.new
    assert mode_of(path) == target.mode


def test_crash_during_oauth_sign_in_keeps_old_credentials_and_settings(home: Path,
                                                                       workspace: Path) -> None:
    """The whole ``qwen-ls auth qwen-oauth`` process dies right before publishing the creds."""
    before = tree(home)
    with FakeProvider() as fp:
        fp.script("token", token_ok())
        env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "QWEN_LS_FAILPOINT": "crash-before-rename", "QWEN_LS_OAUTH_INTERVAL_SCALE": "0"}
        code = "import sys; from qwen_ls.cli import main; sys.exit(main(sys.argv[1:]))"
        proc = run_python(code, "auth", "qwen-oauth", "--no-browser", "--base-url", fp.url,
                          "--workspace", str(workspace), env=env)
        assert fp.requests_for("token")
    assert proc.returncode == 86, proc.stderr
    after = tree(home)
    added = [k for k in after if k not in before]
    assert len(added) == 1 and added[0].startswith(".qwen/oauth_creds.json.tmp."), added
    assert {k: v for k, v in after.items() if k not in added} == before
    creds = creds_mod.read_credentials(home / ".qwen")
    assert creds is not None and creds.access_token == CREDS["access_token"]


# -- 2. no space left on the device ---------------------------------------------------------------

@pytest.mark.parametrize("call", ["write", "fsync"])
@pytest.mark.parametrize("name", TARGET_IDS)
def test_enospc_monkeypatched(name: str, call: str, home: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    target = TARGETS[name]
    path = home / ".qwen" / name
    before = tree(home)
    hits = fail_fd_calls(monkeypatch, home, call)
    with pytest.raises(StoreError) as info:
        target.write(path)
    monkeypatch.undo()
    assert hits, "the fault was never hit"
    assert isinstance(info.value, OSError) and info.value.errno == errno.ENOSPC
    assert_clear_write_message(str(info.value), path, "no space left on the device")
    assert "was not changed" in str(info.value)
    assert tree_diff(before, tree(home)) == []  # original intact, temp file removed, same mode


@pytest.mark.parametrize("name", TARGET_IDS)
def test_enospc_on_a_real_full_tmpfs(name: str, tmp_path: Path) -> None:
    target = TARGETS[name]
    with tiny_tmpfs(tmp_path / "full") as folder:
        path = folder / name
        path.write_text(target.original)
        os.chmod(path, target.mode)
        fill_up(folder)
        before = tree(folder)
        with pytest.raises(StoreError) as info:
            target.write(path)
        assert_clear_write_message(str(info.value), path, "no space left on the device")
        assert tree(folder) == before
        assert target.seen(path) == target.old


def test_enospc_for_a_new_file_says_not_created(home: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / "project" / ".qwen" / ".env"
    fail_fd_calls(monkeypatch, home, "write")
    with pytest.raises(StoreError) as info:
        write_env_var(path, "SOME_KEY", NEW_KEY)
    assert "was not created" in str(info.value) and "nothing was written" in str(info.value)
    assert not path.exists()


# -- 3. a read-only folder -------------------------------------------------------------------------

@pytest.mark.parametrize("existing", [True, False], ids=["existing-file", "new-file"])
@pytest.mark.parametrize("name", TARGET_IDS)
def test_read_only_folder(name: str, existing: bool, home: Path,
                          monkeypatch: pytest.MonkeyPatch, record_property: Any) -> None:
    target = TARGETS[name]
    folder = home / ".qwen"
    path = folder / name
    if not existing:
        path.unlink()
    before = tree(home)
    ro = make_read_only(folder, monkeypatch)
    record_property("read_only_method", ro.method)
    try:
        with pytest.raises(StoreError) as info:
            target.write(path)
    finally:
        monkeypatch.undo()
        ro.undo()
    message = str(info.value)
    assert f"Could not write {path}" in message and "nothing was written" in message, message
    assert ("permission denied" in message or "not permitted" in message
            or "read-only" in message), message
    assert ("was not changed" if existing else "was not created") in message
    assert tree(home) == before, ro.method


# -- 4. a file changed on disk after it was read ---------------------------------------------------

def change_during_write(monkeypatch: pytest.MonkeyPatch, path: Path,
                        edits: list[Callable[[str], str]]) -> list[str]:
    """Let "another program" rewrite ``path`` each time qwen-ls fsyncs one of its temp files.

    The temp file is complete at that moment and qwen-ls's read is older: exactly the window
    between read and rename. ``edits[i]`` produces the other program's i-th version.
    """
    real_fsync = os.fsync
    seen: list[str] = []

    def fsync(fd: int) -> None:
        name = os.readlink(f"/proc/self/fd/{fd}") if os.path.exists(f"/proc/self/fd/{fd}") else ""
        if ".tmp" in name and Path(name).parent == path.parent.resolve() and edits:
            text = path.read_text()
            new = edits.pop(0)(text)
            seen.append(new)
            path.write_text(new)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return seen


def test_settings_changed_on_disk_is_reapplied(home: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / ".qwen" / "settings.json"
    theirs = change_during_write(monkeypatch, path, [
        lambda t: t.replace('"ui": {"theme": "Qwen Dark"}', '"ui": {"theme": "Theirs"}')])
    out = _write_settings(path)
    assert theirs and out.changed
    value = settings_value(path)
    assert value["ui"]["theme"] == "Theirs"  # the concurrent change survives
    assert value["model"]["name"] == "new-model"  # and ours is applied on top
    assert "// my settings; keep this comment" in path.read_text()
    assert mode_of(path) == 0o644


def test_env_changed_on_disk_is_reapplied(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / ".qwen" / ".env"
    change_during_write(monkeypatch, path, [lambda t: t + "THEIRS=added-meanwhile\n"])
    write_env_var(path, "BAILIAN_CODING_PLAN_API_KEY", NEW_KEY)
    values = dotenv_values(path, interpolate=False)
    assert values["THEIRS"] == "added-meanwhile" and values["BAILIAN_CODING_PLAN_API_KEY"] == NEW_KEY
    assert values["OTHER_VAR"] == "keep-me" and mode_of(path) == 0o600


@pytest.mark.parametrize("name", ["settings.json", ".env"])
def test_file_that_keeps_changing_is_never_overwritten(name: str, home: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / ".qwen" / name
    marker = "// theirs {}\n" if name == "settings.json" else "# theirs {}\n"
    edits = [lambda t, i=i: t + marker.format(i) for i in range(10)]
    seen = change_during_write(monkeypatch, path, edits)
    with pytest.raises(StoreError) as info:
        TARGETS[name].write(path)
    message = str(info.value)
    assert "kept changing on disk" in message and "nothing was written" in message
    assert path.read_text() == seen[-1]  # the other program's last version, untouched
    assert not [p for p in path.parent.iterdir() if ".tmp" in p.name]


def test_settings_broken_meanwhile_is_refused(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = home / ".qwen" / "settings.json"
    seen = change_during_write(monkeypatch, path, [lambda t: t.replace("}\n", "", 1)])
    with pytest.raises(StoreError, match="syntax error.*nothing was written"):
        _write_settings(path)
    assert path.read_text() == seen[-1]


async def test_concurrent_refresh_is_not_overwritten(home: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process refreshes while we wait for the lock: its credentials are kept."""
    qwen = home / ".qwen"
    lock = creds_mod.lock_path(qwen)
    lock.write_text("other-process")
    theirs = dict(NEW_CREDS, access_token="their-access-token-test-2222")

    async def other_process() -> None:
        await asyncio.sleep(0.15)
        write_json_file(creds_mod.creds_path(qwen), theirs)
        lock.unlink()

    with FakeProvider() as fp:
        task = asyncio.ensure_future(other_process())
        fresh = await oauth.refresh_credentials(qwen, base_url=fp.url)
        await task
        assert not fp.requests  # no refresh of our own: theirs is fresh
    assert fresh.access_token == "their-access-token-test-2222"
    assert json.loads(creds_mod.creds_path(qwen).read_text()) == theirs


# -- 5. symlinks -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["absolute", "relative-chain", "dangling"])
@pytest.mark.parametrize("name", TARGET_IDS)
def test_symlinked_file(name: str, kind: str, home: Path) -> None:
    target = TARGETS[name]
    link = home / ".qwen" / name
    real = home / "dotfiles" / name
    real.parent.mkdir()
    link.unlink()
    if kind != "dangling":
        real.write_text(target.original)
        os.chmod(real, target.mode)
    if kind == "relative-chain":
        middle = home / "dotfiles" / f"current-{name}"
        middle.symlink_to(name)  # relative, same folder
        link.symlink_to(os.path.relpath(middle, link.parent))
    else:
        link.symlink_to(real)
    link_text = os.readlink(link)
    target.write(link)
    assert link.is_symlink() and os.readlink(link) == link_text  # the link is kept
    assert target.seen(real) == target.new  # the target changed
    assert mode_of(real) == (target.mode if kind != "dangling" else 0o600)
    assert not [p for p in real.parent.iterdir() if ".tmp" in p.name]
    assert not [p for p in link.parent.iterdir() if ".tmp" in p.name]


# -- 6. a missing final newline, CRLF, a BOM: preserved exactly -----------------------------------

SETTINGS_VARIANTS = {
    "no-final-newline": (lambda t: t.rstrip("\n")),
    "crlf": (lambda t: t.replace("\n", "\r\n")),
    "bom": (lambda t: "\ufeff" + t),
    "bom-crlf-no-final-newline": (lambda t: "\ufeff" + t.rstrip("\n").replace("\n", "\r\n")),
}


@pytest.mark.parametrize("variant", list(SETTINGS_VARIANTS))
def test_settings_text_conventions_preserved(variant: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    transform = SETTINGS_VARIANTS[variant]
    plain = tmp_path / "plain" / ".qwen" / "settings.json"
    plain.parent.mkdir(parents=True)
    plain.write_text(SETTINGS_TEXT)
    _write_settings(plain)
    expected = transform(plain.read_text())  # same edit, then the file's own conventions

    path = tmp_path / "proj" / ".qwen" / "settings.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(transform(SETTINGS_TEXT).encode("utf-8"))
    _write_settings(path)
    assert path.read_bytes() == expected.encode("utf-8")
    text = path.read_text(encoding="utf-8")
    assert parse(text).cli_readable  # the Qwen Code CLI's reader accepts it
    assert settings_value(path)["model"]["name"] == "new-model"
    from qwen_ls.cli import main

    code = main(["check", str(path), "--select", "QLS0"])
    out = capsys.readouterr().out
    assert code == 0 and "QLS0" not in out, out


ENV_VARIANTS = {
    # (original, expected after setting BAILIAN_CODING_PLAN_API_KEY and adding NEW_VAR)
    "no-final-newline": ("A=1\nBAILIAN_CODING_PLAN_API_KEY=old",
                         f"A=1\nBAILIAN_CODING_PLAN_API_KEY={NEW_KEY}\nNEW_VAR=v\n"),
    "no-final-newline-replace-only": ("A=1\nBAILIAN_CODING_PLAN_API_KEY=old",
                                      f"A=1\nBAILIAN_CODING_PLAN_API_KEY={NEW_KEY}"),
    "crlf": ("A=1\r\nBAILIAN_CODING_PLAN_API_KEY=old\r\n",
             f"A=1\r\nBAILIAN_CODING_PLAN_API_KEY={NEW_KEY}\r\nNEW_VAR=v\r\n"),
    "bom-first-line": ("\ufeffBAILIAN_CODING_PLAN_API_KEY=old\nA=1\n",
                       f"\ufeffBAILIAN_CODING_PLAN_API_KEY={NEW_KEY}\nA=1\nNEW_VAR=v\n"),
}


@pytest.mark.parametrize("variant", list(ENV_VARIANTS))
def test_env_text_conventions_preserved(variant: str, tmp_path: Path) -> None:
    original, expected = ENV_VARIANTS[variant]
    path = tmp_path / ".env"
    path.write_bytes(original.encode("utf-8"))
    write_env_var(path, "BAILIAN_CODING_PLAN_API_KEY", NEW_KEY)
    if "replace-only" not in variant:
        write_env_var(path, "NEW_VAR", "v")
    assert path.read_bytes() == expected.encode("utf-8")
    entries, note = read_env_file(path)
    assert note is None and entries is not None
    assert entries["BAILIAN_CODING_PLAN_API_KEY"][0] == NEW_KEY
    assert list(entries).count("BAILIAN_CODING_PLAN_API_KEY") == 1


def test_env_with_bom_remove_keeps_bom(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_bytes("\ufeffGONE=x\nA=1\n".encode())
    assert store.remove_env_var(path, "GONE")
    assert path.read_bytes() == "\ufeffA=1\n".encode()


# -- 7. modes of new secret files ------------------------------------------------------------------

@pytest.mark.parametrize("name", [".env", "oauth_creds.json"])
def test_new_secret_files_are_0600_whatever_the_umask(name: str, tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        path = tmp_path / "fresh" / ".qwen" / name
        TARGETS[name].write(path)
    finally:
        os.umask(old)
    assert mode_of(path) == 0o600 and mode_of(path.parent) == 0o700


def test_world_readable_env_is_never_published_readable(home: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An existing 0644 .env becomes 0600 *before* the new secret lands in it."""
    path = home / ".qwen" / ".env"
    os.chmod(path, 0o644)
    modes: list[int] = []
    real = store._rename

    def spy(src: str, dst: str) -> None:
        modes.append(mode_of(Path(src)))
        real(src, dst)

    monkeypatch.setattr(store, "_rename", spy)
    write_env_var(path, "BAILIAN_CODING_PLAN_API_KEY", NEW_KEY)
    assert modes == [0o600] and mode_of(path) == 0o600


# -- 8. write faults inside the sign-in flows: clear message, no half setup -----------------------

@pytest.fixture
def env(workspace: Path, environ: dict[str, str]) -> AuthEnv:
    return AuthEnv(workspace, environ)


async def test_coding_plan_settings_write_fails_env_is_rolled_back(
        env: AuthEnv, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(home)
    hits = fail_fd_calls(monkeypatch, home, "write", match="settings.json")
    res = await coding_plan.sign_in(env, region="intl", key=NEW_KEY, verify=False)
    monkeypatch.undo()
    assert hits and not res["ok"], res
    assert_clear_write_message(res["message"], home / ".qwen" / "settings.json",
                               "no space left on the device")
    assert res["files"] == []
    assert tree_diff(before, tree(home)) == []  # the .env written first was put back


async def test_api_key_settings_write_fails_env_and_gitignore_rolled_back(
        env: AuthEnv, home: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    subprocess.run(["git", "init", "-q", str(workspace)], check=True)
    before = tree(home)
    fail_fd_calls(monkeypatch, home, "fsync", match="settings.json")
    res = await api_key.sign_in(env, protocol="openai", base_url="https://api.example.com/v1",
                                model_id="m-test", key="sk-test-api-key-0000", storage="workspace",
                                verify=False)
    monkeypatch.undo()
    assert not res["ok"] and "no space left on the device" in res["message"], res
    assert "sk-test-api-key-0000" not in res["message"]
    assert tree_diff(before, tree(home)) == []


async def test_oauth_sign_in_creds_write_fails_cleanly(env: AuthEnv, home: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(home)
    with FakeProvider() as fp:
        fail_fd_calls(monkeypatch, home, "write", match="oauth_creds.json")
        res = await oauth.sign_in(env, base_url=fp.url,
                                  options=PollOptions(interval_scale=0.0, request_timeout=5))
        monkeypatch.undo()
    assert not res["ok"] and res["status"] == "error", res
    assert "credentials could not be saved" in res["message"]
    assert_clear_write_message(res["message"], home / ".qwen" / "oauth_creds.json",
                               "no space left on the device")
    assert "fake-access-token" not in res["message"]
    assert tree(home) == before


async def test_oauth_sign_in_into_read_only_home(env: AuthEnv, home: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(home)
    ro = make_read_only(home / ".qwen", monkeypatch)
    try:
        with FakeProvider() as fp:
            res = await oauth.sign_in(env, base_url=fp.url,
                                      options=PollOptions(interval_scale=0.0, request_timeout=5))
    finally:
        monkeypatch.undo()
        ro.undo()
    assert not res["ok"] and "nothing was written" in res["message"], res
    assert tree(home) == before, ro.method


async def test_refresh_write_fails_old_credentials_kept(home: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(home)
    with FakeProvider() as fp:
        fail_fd_calls(monkeypatch, home, "fsync", match="oauth_creds.json")
        with pytest.raises(AuthError) as info:
            await oauth.refresh_credentials(home / ".qwen", base_url=fp.url)
        monkeypatch.undo()
    message = str(info.value)
    assert "could not be saved" in message and "old credentials were kept" in message
    assert "fake-access-token" not in message and "fake-refresh-token" not in message
    assert tree(home) == before
