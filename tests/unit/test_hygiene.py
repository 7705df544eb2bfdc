"""Small defects of a tool not yet used for real (issue 13, point 4): ~/.qwen as an editor root,
searched-places messages that list a dozen folders."""

from __future__ import annotations

from pathlib import Path

from qwen_ls import jsonc
from qwen_ls.analysis import analyze, build_context
from qwen_ls.server.documents import Documents
from qwen_ls.settings import scopes
from qwen_ls.settings.env import brief_list


def test_home_and_qwen_home_are_never_projects(tmp_path):
    home = tmp_path / "home"
    environ = {"HOME": str(home)}
    assert scopes.project_folder(home, environ) is None
    assert scopes.project_folder(home / ".qwen", environ) is None
    assert scopes.project_folder(tmp_path / "q", {**environ, "QWEN_HOME": str(tmp_path / "q")}) is None
    assert scopes.project_folder(home / "proj", environ) == home / "proj"


def test_editor_rooted_at_dot_qwen_treats_the_file_as_the_user_file(tmp_path):
    home = tmp_path / "home"
    (home / ".qwen").mkdir(parents=True)
    user = home / ".qwen/settings.json"
    user.write_text('{"modelProviders": {"openai": [{"id": "m", "envKey": "NOPE_KEY"}]}}')
    docs = Documents({"HOME": str(home), "PATH": "/usr/bin"})
    docs.roots = [home / ".qwen"]
    doc = docs.open(user.as_uri(), user.read_text(), 1, "jsonc")
    assert doc is not None and doc.workspace is None and doc.scope == "user"
    snap = docs.snapshot(user.as_uri())
    text = " ".join(f.message for f in snap.findings)
    assert ".qwen/.qwen" not in text


def test_secret_target_of_the_user_file_is_qwen_home(tmp_path):
    home = tmp_path / "home"
    env_file, ws = scopes.secret_env_file(home / ".qwen/settings.json", {"HOME": str(home)})
    assert env_file == home / ".qwen/.env" and ws is None
    env_file, ws = scopes.secret_env_file(home / "p/.qwen/settings.json", {"HOME": str(home)})
    assert env_file == home / "p/.qwen/.env" and ws == home / "p"


def test_brief_list():
    assert brief_list(["a", "b", "c"]) == "a, b, c"
    assert brief_list([str(i) for i in range(6)]) == "0, 1, 2, 3, 4, 5"
    assert brief_list([str(i) for i in range(12)]) == "0, 1, 2, … 7 more, 10, 11"


def test_missing_key_message_is_short_and_related_lists_every_file(tmp_path):
    home = tmp_path / "home"
    deep = home / "a/b/c/d/e/proj"
    (deep / ".qwen").mkdir(parents=True)
    path = deep / ".qwen/settings.json"
    text = '{"modelProviders": {"openai": [{"id": "m", "envKey": "NOPE_KEY"}]}}'
    path.write_text(text)
    ctx = build_context(path, None, {"HOME": str(home)})
    (finding,) = [f for f in analyze(jsonc.parse(text), ctx) if f.code == "QLS402"]
    searched = finding.message.split("(searched: ", 1)[1].split("). ", 1)[0]
    assert "… 11 more" in searched and searched.count(", ") == 5, searched
    assert searched.startswith("shell environment, ~/a/b/c/d/e/proj/.qwen/.env (not found), ")
    files = [Path(r.path) for r in finding.related]
    assert deep / ".qwen/.env" in files and home / "a/.env" in files and home / ".qwen/.env" in files
    assert len(files) >= 14


def test_closed_pipe_ends_quietly(tmp_path):
    """`qwen-ls rules | head` must not die with a BrokenPipeError traceback."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(root)}
    for args in (["rules"], ["schema"], ["rules", "--format", "markdown"]):
        proc = subprocess.Popen([sys.executable, "-m", "qwen_ls", *args], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdout.close()  # the reader went away before the first byte
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 141, err
        assert err == ""
