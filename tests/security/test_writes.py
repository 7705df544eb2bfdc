"""Points 1, 2 and 8 of the threat model: writes go only to the file they name, ``.env`` values
never execute or expand, and a concurrent editor never loses its save.

The headline attack: a repository whose ``.qwen/.env`` is a symlink to the user's shell start-up
file, with a settings ``env`` value holding a quote and ``$(...)``. Accepting the quick fix for its
own plaintext-secret warning (``qwen-ls.moveSecretToEnv``) must not touch ``~/.bashrc``, and no
value qwen-ls writes may run anything when the file is sourced.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest
from dotenv import dotenv_values
from hostile import RawLsp, Repo, run_cli

from qwen_ls import store
from qwen_ls.store import StoreError, quote_env_value, write_env_var

BASHRC = "# my shell start-up\nexport EDITOR=vim\n"
HOSTILE = "sk-test-x'$(touch /tmp/qwen-ls-pwned-$PPID)'y"


def _move_secret(repo: Repo, settings_text: str) -> tuple[dict, RawLsp]:
    settings = repo.write(repo.qwen / "settings.json", settings_text)
    server = RawLsp(repo)
    server.initialize()
    uri = server.open(settings)
    answer = server.call("workspace/executeCommand", {
        "command": "qwen-ls.moveSecretToEnv",
        "arguments": [{"uri": uri, "path": ["env", "OPENAI_API_KEY"], "name": "OPENAI_API_KEY",
                       "confirmed": True}]})
    return answer, server


@pytest.mark.parametrize("link", ["file", "folder", "dangling"])
def test_move_secret_never_writes_through_a_link_out_of_the_workspace(repo: Repo, link: str):
    bashrc = repo.write(repo.home / ".bashrc", BASHRC)
    if link == "file":
        (repo.qwen / ".env").symlink_to(bashrc)
    elif link == "folder":  # .qwen/ itself leads to a folder outside (its .env would be written)
        outside = repo.root / "outside"
        outside.mkdir()
        (outside / "settings.json").write_text("{}")
        repo.qwen.rmdir()
        repo.qwen.symlink_to(outside)
    else:
        (repo.qwen / ".env").symlink_to(repo.root / "nowhere" / ".env")
    answer, server = _move_secret(
        repo, json.dumps({"env": {"OPENAI_API_KEY": "sk-test-moved-secret-00001111"}}))
    server.close()
    result = answer["result"]
    assert result["ok"] is False, result
    assert "Refusing to write" in result["message"] and str(repo.qwen) in result["message"]
    assert ("outside the workspace" in result["message"]) == (link != "dangling")
    assert bashrc.read_text() == BASHRC  # untouched
    assert not (repo.root / "nowhere").exists()  # no folder created through the link
    if link == "folder":
        assert not (repo.root / "outside" / ".env").exists()


def test_hostile_value_in_settings_env_is_written_inert_or_refused(repo: Repo, tmp_path: Path):
    answer, server = _move_secret(repo, json.dumps({"env": {"OPENAI_API_KEY": HOSTILE}}))
    server.close()
    env_file = repo.qwen / ".env"
    result = answer["result"]
    if result["ok"]:  # written: must be inert in every reader
        _assert_inert(env_file, "OPENAI_API_KEY", HOSTILE, tmp_path)
    else:
        assert "single quote" in result["message"], result
        assert not env_file.exists() or "pwned" not in env_file.read_text()


def test_a_link_inside_the_workspace_is_followed_and_named(repo: Repo):
    real = repo.write(repo.workspace / "secrets" / "qwen.env", "# mine\n")
    (repo.qwen / ".env").symlink_to(Path("..") / "secrets" / "qwen.env")
    answer, server = _move_secret(
        repo, json.dumps({"env": {"OPENAI_API_KEY": "sk-test-moved-secret-00002222"}}))
    server.close()
    result = answer["result"]
    assert result["ok"], result
    assert (repo.qwen / ".env").is_symlink()
    assert "OPENAI_API_KEY=sk-test-moved-secret-00002222" in real.read_text()
    assert f"a link to {real}" in result["message"]  # never "wrote .qwen/.env" alone


def test_cli_api_key_refuses_workspace_env_link_and_keeps_user_dotfiles_link(repo: Repo):
    bashrc = repo.write(repo.home / ".bashrc", BASHRC)
    (repo.qwen / ".env").symlink_to(bashrc)
    args = ["auth", "api-key", "--protocol", "openai", "--base-url", "http://127.0.0.1:9/v1",
            "--model", "m1", "--env-key", "OPENAI_API_KEY", "--key", "sk-test-cli-key-00003333",
            "--no-verify"]
    proc = run_cli(repo, *args, "--scope", "workspace")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "outside the workspace" in proc.stdout + proc.stderr
    assert bashrc.read_text() == BASHRC
    # the user's own ~/.qwen/.env linked into a dotfiles folder outside HOME: followed, link kept
    dotfiles = repo.write(repo.root / "dotfiles" / "qwen.env", "# dotfiles\n")
    (repo.home / ".qwen" / ".env").symlink_to(dotfiles)
    proc = run_cli(repo, *args, "--scope", "user")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (repo.home / ".qwen" / ".env").is_symlink()
    assert "OPENAI_API_KEY=sk-test-cli-key-00003333" in dotfiles.read_text()


def test_store_refuses_folder_links_and_never_creates_folders_through_links(repo: Repo):
    outside = repo.root / "elsewhere"
    outside.mkdir()
    (repo.workspace / "sub").symlink_to(outside)
    with pytest.raises(StoreError, match="outside the workspace"):
        store.SettingsStore(workspace=repo.workspace)._update_disk(
            repo.workspace / "sub" / ".qwen" / "settings.json", [(("a",), 1)])
    assert list(outside.iterdir()) == []  # no .qwen folder created through the link
    (repo.workspace / ".git").mkdir()
    (repo.workspace / ".gitignore").symlink_to(repo.home / ".bashrc")
    repo.write(repo.home / ".bashrc", BASHRC)
    with pytest.raises(StoreError, match="outside the workspace"):
        store.ensure_gitignored(repo.workspace)
    assert (repo.home / ".bashrc").read_text() == BASHRC


def test_special_files_are_never_replaced(repo: Repo):
    fifo = repo.qwen / "settings.json"
    os.mkfifo(fifo)
    with pytest.raises(StoreError, match="FIFO"):
        store.SettingsStore(workspace=repo.workspace)._update_disk(fifo, [(("a",), 1)])
    assert fifo.is_fifo()


# -- 2. .env values --------------------------------------------------------------------------

INERT_VALUES = [
    "sk-test-plain-0000", "with space", "semi;colon", "hash # not a comment", "a$b", "$HOME",
    "$(touch MARKER)", "`touch MARKER`", "x;touch MARKER", "a|b&c", "<in >out", "~/tilde",
    "=leading", "*glob?", "back`tick", "dollar$(", "tab-free \u00e9\u00e8 unicode", "!bang",
    "a\"quote", "{brace}", "-dash", "p=q=r",
]
REFUSED_VALUES = ["it's", "back\\slash", "${HOME}", "line\nbreak", "cr\rhere", "esc\x1b[31m",
                  "bel\x07", "nul\x00", "c1\x85", "a'$(touch MARKER)'b"]


def _assert_inert(env_file: Path, name: str, value: str, tmp_path: Path) -> None:
    marker_dir = tmp_path / "run"
    marker_dir.mkdir(exist_ok=True)
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-c",
                           f'set -a; . "{env_file}"; printf "%s" "${name}"'],
                          cwd=marker_dir, capture_output=True, text=True, timeout=10,
                          env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == value  # a shell that sources the file reads the literal value
    assert list(marker_dir.iterdir()) == []  # and ran nothing
    assert dotenv_values(env_file)[name] == value  # python-dotenv, default interpolation
    assert dotenv_values(env_file, interpolate=False)[name] == value  # as the CLI's npm dotenv


@pytest.mark.parametrize("value", INERT_VALUES)
def test_written_values_are_literal_in_bash_and_python_dotenv(value: str, tmp_path: Path):
    env_file = tmp_path / ".env"
    write_env_var(env_file, "K", value)
    _assert_inert(env_file, "K", value, tmp_path)


@pytest.mark.parametrize("value", REFUSED_VALUES)
def test_values_that_cannot_be_inert_are_refused_with_a_reason(value: str, tmp_path: Path):
    with pytest.raises(ValueError, match="contains"):
        quote_env_value(value)
    env_file = tmp_path / ".env"
    with pytest.raises(ValueError):
        write_env_var(env_file, "K", value)
    assert not env_file.exists()


@pytest.mark.parametrize("name", ["PROMPT_COMMAND", "PS1", "BASH_ENV", "LD_PRELOAD", "PATH",
                                  "NODE_OPTIONS", "A-B", "A.B", "x=$(id)", "1ABC"])
def test_shell_sensitive_or_invalid_names_are_refused(name: str, tmp_path: Path):
    with pytest.raises(ValueError):
        write_env_var(tmp_path / ".env", name, "sk-test-0000000000")
    assert not (tmp_path / ".env").exists()


# -- 8. a concurrent editor saving in place ---------------------------------------------------

def test_editor_saving_in_place_during_model_use_never_loses_the_file(repo: Repo):
    """An editor that truncates then writes, in a loop, while ``model use`` runs repeatedly."""
    base = {"modelProviders": {"openai": [
        {"id": "m1", "baseUrl": "http://127.0.0.1:9/v1", "envKey": "OPENAI_API_KEY"},
        {"id": "m2", "baseUrl": "http://127.0.0.1:9/v1", "envKey": "OPENAI_API_KEY"}]},
        "security": {"auth": {"selectedType": "openai"}}, "ui": {"theme": "editor-kept"}}
    settings = repo.home / ".qwen" / "settings.json"
    text = json.dumps(base, indent=2) + "\n"
    settings.write_text(text)
    stop = threading.Event()

    def editor() -> None:
        while not stop.is_set():
            with open(settings, "r+", encoding="utf-8") as fh:  # same inode, like vim/VS Code
                current = fh.read()
                fh.seek(0)
                fh.truncate()
                fh.flush()
                fh.write(current or text)

    thread = threading.Thread(target=editor, daemon=True)
    thread.start()
    outcomes = []
    try:
        for i in range(12):
            proc = run_cli(repo, "model", "use", "m2" if i % 2 else "m1")
            outcomes.append(proc.returncode)
            assert "Traceback" not in proc.stderr, proc.stderr
            assert proc.returncode == 0 or proc.stderr.strip() or proc.stdout.strip()
    finally:
        stop.set()
        thread.join(timeout=10)
    final = json.loads(settings.read_text())
    assert "ui" in final, final  # the editor's content survived every run
    assert final["ui"]["theme"] == "editor-kept" and "modelProviders" in final
    assert len(outcomes) == 12


def test_owner_and_group_kept_when_root(repo: Repo):
    if os.geteuid() != 0:
        pytest.skip("only root can hand a file to another owner")
    settings = repo.write(repo.home / ".qwen" / "settings.json", "{}\n")
    env_file = repo.write(repo.home / ".qwen" / ".env", "A=1\n")
    for path in (settings, env_file):
        os.chown(path, 4321, 4322)
    store.update_settings_sync(settings, [(("ui", "theme"), "x")])
    write_env_var(env_file, "B", "sk-test-owner-000000")
    for path in (settings, env_file):
        st = os.stat(path)
        assert (st.st_uid, st.st_gid) == (4321, 4322)


# -- 10. no program from the workspace -------------------------------------------------------

def test_no_git_from_the_workspace_is_ever_run(repo: Repo):
    (repo.workspace / ".git").mkdir()
    marker = repo.root / "git-was-run"
    fake = repo.write(repo.workspace / "bin" / "git", f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    os.chmod(fake, 0o755)
    proc = run_cli(repo, "auth", "api-key", "--protocol", "openai", "--base-url",
                   "http://127.0.0.1:9/v1", "--model", "m1", "--env-key", "OPENAI_API_KEY",
                   "--key", "sk-test-nogit-00004444", "--scope", "workspace", "--no-verify",
                   PATH=f"bin:.:{os.environ['PATH']}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not marker.exists()
    assert "/.qwen/.env" in (repo.workspace / ".gitignore").read_text()


@pytest.mark.parametrize(("rules", "added"), [("*.env\n", False), (".qwen/\n", False),
                                              ("*.env\n!.qwen/.env\n", True), ("", True),
                                              ("/other\n", True)])
def test_gitignore_rules_are_read_like_git(repo: Repo, rules: str, added: bool):
    (repo.workspace / ".git").mkdir()
    repo.write(repo.workspace / ".gitignore", rules)
    written = store.ensure_gitignored(repo.workspace)
    assert (written is not None) == added
    assert ("/.qwen/.env" in (repo.workspace / ".gitignore").read_text()) == added


def test_check_fix_never_writes_through_a_link_out_of_the_workspace(repo: Repo):
    outside = repo.write(repo.root / "outside" / "settings.json",
                         '{"security": {"auth": {"selectedType": "openai"}}, "modle": {}}\n')
    before = outside.read_text()
    (repo.qwen / "settings.json").symlink_to(outside)
    proc = run_cli(repo, "check", "--fix", "--unsafe-fixes", timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert outside.read_text() == before
    assert "outside the workspace" in proc.stdout + proc.stderr
