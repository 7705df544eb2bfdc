"""Tests for qwen_ls.settings.env: the CLI's .env and settings.env precedence, with real files."""

import os
from pathlib import Path

import pytest

from qwen_ls.settings.env import read_env_file, resolve_env
from qwen_ls.settings.scopes import load_layers, merge_layers

SECRET = "sk-verysecretvalue-1234567890"


@pytest.fixture
def home(tmp_path):
    h = tmp_path / "home"
    h.mkdir()
    return h


@pytest.fixture
def ws(home):
    w = home / "code" / "proj"
    w.mkdir(parents=True)
    return w


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def env(home, **extra):
    return {"HOME": str(home), **extra}


def test_full_precedence_chain(home, ws):
    write(ws / ".env", "A=project\nB=project\n")
    write(home / ".qwen" / ".env", "A=qhome\nB=qhome\nC=qhome\n")
    write(home / ".env", "A=home\nB=home\nC=home\nD=home\n")
    settings = {"env": {"A": "s", "B": "s", "C": "s", "D": "s", "E": "s"}}
    res = resolve_env(ws, env(home, A="shell"), settings)
    assert {n: res.lookup(n).kind for n in "ABCDE"} == {
        "A": "shell",
        "B": "project-env",
        "C": "qwen-home-env",
        "D": "home-env",
        "E": "settings-env",
    }
    assert res.value("B") == "project" and res.value("D") == "home"
    assert [s.kind for s in res.all_sources("A")] == [
        "shell",
        "project-env",
        "qwen-home-env",
        "home-env",
        "settings-env",
    ]


def test_empty_value_is_filled_by_later_source(home, ws):
    write(home / ".qwen" / ".env", "K=\nL=\n")
    res = resolve_env(ws, env(home, K=""), {"env": {"K": "from-settings"}})
    assert res.lookup("K").kind == "settings-env" and res.value("K") == "from-settings"
    # every source empty: the value stays empty
    assert res.value("L") == ""


def test_qwen_env_before_dotenv_in_same_dir_and_only_first_project_file(home, ws):
    write(ws / ".qwen" / ".env", "X=qwen-dir\n")
    write(ws / ".env", "X=plain\nY=plain\n")
    write(ws.parent / ".env", "Z=parent\n")
    res = resolve_env(ws, env(home), {})
    assert res.value("X") == "qwen-dir"
    assert res.lookup("Y") is None  # ws/.env is never read once ws/.qwen/.env exists
    assert res.lookup("Z") is None  # only the nearest project file counts
    assert ws / ".env" not in res.files


def test_walks_up_to_nearest_project_file(home, ws):
    write(ws.parent / ".env", "Z=parent\n")
    res = resolve_env(ws, env(home), {})
    assert res.lookup("Z").kind == "project-env"
    assert res.searched[:4] == [
        "shell environment",
        "~/code/proj/.qwen/.env (not found)",
        "~/code/proj/.env (not found)",
        "~/code/.qwen/.env (not found)",
    ]
    assert res.searched[4] == "~/code/.env"


def test_walk_stops_at_home(home, ws):
    write(home / ".env", "H=home\n")
    res = resolve_env(ws, env(home), {})
    # the home .env is a home candidate, never a project file
    assert [s.kind for s in res.all_sources("H")] == ["home-env"]
    assert "~/.qwen/.env (not found)" in res.searched
    assert home / ".qwen" / ".env" in res.files and home / "code" / ".env" in res.files


def test_files_lists_every_candidate(home, ws):
    res = resolve_env(ws, env(home), {})
    assert res.files == [
        ws / ".qwen" / ".env",
        ws / ".env",
        ws.parent / ".qwen" / ".env",
        ws.parent / ".env",
        home / ".qwen" / ".env",
        home / ".env",
    ]


def test_no_project_file_when_workspace_is_home(home):
    write(home / ".qwen" / ".env", "DEBUG=1\nQWEN_HOME=/x\n")
    res = resolve_env(home, env(home), {})
    # the home files are read once, as home files: no project filtering applies
    assert [s.kind for s in res.all_sources("DEBUG")] == ["qwen-home-env"]
    assert res.lookup("QWEN_HOME").kind == "qwen-home-env"
    assert res.files == [home / ".qwen" / ".env", home / ".env"]


def test_untrusted_workspace_skips_project(home, ws):
    write(ws / ".env", "P=1\n")
    res = resolve_env(ws, env(home), {}, trusted=False)
    assert res.lookup("P") is None
    assert "project .env files (skipped: workspace not trusted)" in res.searched


def test_workspace_outside_home_walks_to_root(tmp_path, home):
    outside = tmp_path / "srv" / "app"
    outside.mkdir(parents=True)
    write(tmp_path / "srv" / ".env", "S=1\n")
    res = resolve_env(outside, env(home), {})
    assert res.lookup("S").path == tmp_path / "srv" / ".env"


def test_realpath_of_workspace(home, ws, tmp_path):
    write(ws / ".env", "R=real\n")
    link = tmp_path / "link"
    os.symlink(ws, link)
    res = resolve_env(link, env(home), {})
    assert res.lookup("R").path == ws / ".env"


def test_custom_qwen_home_order(home, ws, tmp_path):
    qh = tmp_path / "qh"
    write(qh / ".env", "A=custom\n")
    write(home / ".qwen" / ".env", "A=default\nB=default\n")
    write(home / ".env", "B=home\nC=home\n")
    res = resolve_env(ws, env(home, QWEN_HOME=str(qh)), {})
    assert res.value("A") == "custom" and res.value("B") == "default" and res.value("C") == "home"
    home_files = res.files[-3:]
    assert home_files == [qh / ".env", home / ".qwen" / ".env", home / ".env"]
    assert res.lookup("B").kind == "qwen-home-env"


def test_excluded_env_vars_only_for_project_dotenv_outside_qwen(home, ws):
    write(ws / ".env", "DEBUG=1\nDEBUG_MODE=1\nKEEP=1\n")
    write(home / ".qwen" / ".env", "DEBUG=home\n")
    res = resolve_env(ws, env(home), {})
    assert res.lookup("KEEP").kind == "project-env"
    assert res.lookup("DEBUG").kind == "qwen-home-env"
    assert res.lookup("DEBUG_MODE") is None
    reasons = {(i.name, i.reason) for i in res.ignored}
    assert ("DEBUG", "excluded-env-vars") in reasons
    assert ("DEBUG_MODE", "excluded-env-vars") in reasons


def test_excluded_env_vars_do_not_apply_inside_qwen_dir(home, ws):
    write(ws / ".qwen" / ".env", "DEBUG=1\n")
    res = resolve_env(ws, env(home), {})
    assert res.lookup("DEBUG").kind == "project-env"


def test_excluded_env_vars_from_settings_and_override(home, ws):
    write(ws / ".env", "DEBUG=1\nFOO=1\n")
    settings = {"advanced": {"excludedEnvVars": ["FOO"]}}
    res = resolve_env(ws, env(home), settings)
    assert res.lookup("FOO") is None and res.lookup("DEBUG") is not None
    res = resolve_env(ws, env(home), settings, excluded=[])
    assert res.lookup("FOO") is not None


def test_hard_coded_exclusions(home, ws):
    write(ws / ".qwen" / ".env", "QWEN_HOME=/evil\nbrowser=x\nGIT_CONFIG_KEY_0=a\nOK=1\n")
    write(home / ".qwen" / ".env", "BROWSER=firefox\n")
    settings = {"env": {"QWEN_HOME": "/x", "TMPDIR": "/t", "QWEN_AGENT_EXECUTION_BACKEND": "y"}}
    res = resolve_env(ws, env(home), settings)
    assert res.lookup("QWEN_HOME") is None
    assert res.lookup("browser") is None and res.lookup("GIT_CONFIG_KEY_0") is None
    assert res.lookup("BROWSER").kind == "qwen-home-env"  # home files are not filtered
    assert res.lookup("OK").kind == "project-env"
    assert res.lookup("TMPDIR") is None
    ignored = {(i.kind, i.name, i.reason) for i in res.ignored}
    assert ("project-env", "QWEN_HOME", "project-excluded") in ignored
    assert ("settings-env", "QWEN_HOME", "project-excluded") in ignored
    assert ("settings-env", "QWEN_AGENT_EXECUTION_BACKEND", "project-excluded") in ignored


def test_loader_keys_never_from_files_or_settings(home, ws):
    write(ws / ".qwen" / ".env", "NODE_OPTIONS=--x\n")
    write(home / ".qwen" / ".env", "LD_PRELOAD=/x.so\nBASH_FUNC_f%%=() { :; }\n")
    settings = {"env": {"NODE_OPTIONS": "--y", "node_path": "/n"}}
    res = resolve_env(ws, env(home, NODE_OPTIONS="--shell"), settings)
    assert [s.kind for s in res.all_sources("NODE_OPTIONS")] == ["shell"]
    assert res.lookup("LD_PRELOAD") is None and res.lookup("node_path") is None
    loader = {(i.kind, i.name) for i in res.ignored if i.reason == "loader"}
    assert loader == {
        ("project-env", "NODE_OPTIONS"),
        ("qwen-home-env", "LD_PRELOAD"),
        ("qwen-home-env", "BASH_FUNC_f%%"),
        ("settings-env", "NODE_OPTIONS"),
        ("settings-env", "node_path"),
    }


def test_non_string_settings_env_values_ignored(home, ws):
    res = resolve_env(ws, env(home), {"env": {"N": 5, "B": True, "S": "ok", "O": {"a": 1}}})
    assert res.lookup("N") is None and res.lookup("B") is None and res.lookup("O") is None
    assert res.value("S") == "ok"
    assert {i.name for i in res.ignored if i.reason == "non-string"} == {"N", "B", "O"}


def test_labels_and_lines(home, ws):
    write(home / ".qwen" / ".env", "# comment\n\nexport A=1\nB='two words'\nA=again\n")
    res = resolve_env(ws, env(home), {})
    a = res.lookup("A")
    assert a.value == "again" and a.line == 5 and a.label == "~/.qwen/.env:5"
    assert res.lookup("B").value == "two words" and res.lookup("B").line == 4


def test_no_interpolation(home, ws):
    write(home / ".qwen" / ".env", "A=x\nB=${A}-y\n")
    assert resolve_env(ws, env(home), {}).value("B") == "${A}-y"


def test_settings_env_label_from_layers(home, ws, tmp_path):
    e = env(home, QWEN_CODE_SYSTEM_SETTINGS_PATH=str(tmp_path / "none.json"))
    write(home / ".qwen" / "settings.json", '{\n  "env": {\n    "U": "user", "W": "user"\n  }\n}')
    write(ws / ".qwen" / "settings.json", '{"env": {"W": "ws"}}')
    layers = load_layers(ws, e)
    res = resolve_env(ws, e, merge_layers(layers), layers=layers)
    u, w = res.lookup("U"), res.lookup("W")
    assert u.label == "settings.env (user: ~/.qwen/settings.json)" and u.line == 3
    assert u.path == home / ".qwen" / "settings.json"
    assert (
        w.value == "ws" and w.label == "settings.env (workspace: ~/code/proj/.qwen/settings.json)"
    )
    assert resolve_env(ws, e, merge_layers(layers)).lookup("U").label == "settings.env"


def test_names_and_searched(home, ws):
    write(home / ".env", "H=1\n")
    res = resolve_env(ws, env(home, S="1"), {"env": {"E": "1"}})
    assert set(res.names()) == {"S", "H", "E", "HOME"}
    assert res.searched[0] == "shell environment" and res.searched[-1] == "settings.env"
    assert "~/.env" in res.searched and "~/.qwen/.env (not found)" in res.searched


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"A=1\x00\x01", "binary"), (b"A=\xff\xfe\n", "not UTF-8")],
)
def test_bad_files_are_skipped_with_note(home, ws, content, fragment):
    path = home / ".qwen" / ".env"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    res = resolve_env(ws, env(home), {})
    assert res.lookup("A") is None
    assert any(fragment in n for n in res.notes)
    assert "~/.qwen/.env (skipped)" in res.searched


def test_huge_file_skipped(home, ws, monkeypatch):
    import qwen_ls.settings.env as env_mod

    monkeypatch.setattr(env_mod, "MAX_ENV_FILE_BYTES", 10)
    write(home / ".env", "A=" + "x" * 50 + "\n")
    res = resolve_env(ws, env(home), {})
    assert res.lookup("A") is None and any("larger than" in n for n in res.notes)


def test_unreadable_file_skipped(home, ws, monkeypatch):
    from qwen_ls import safeio

    path = write(home / ".env", "A=1\n")
    real_read_bytes = safeio.read_bytes

    def deny(p, **kwargs):
        if Path(p) == path:
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(p, **kwargs)

    # every reader goes through qwen_ls.safeio (root ignores chmod 000, so simulate the refusal)
    monkeypatch.setattr(safeio, "read_bytes", deny)
    res = resolve_env(ws, env(home), {})
    assert res.lookup("A") is None and any("unreadable (Permission denied)" in n for n in res.notes)


def test_project_dir_that_is_a_directory_named_env(home, ws):
    (ws / ".env").mkdir()
    write(ws.parent / ".env", "P=parent\n")
    assert resolve_env(ws, env(home), {}).value("P") == "parent"


def test_values_never_in_repr(home, ws):
    write(home / ".qwen" / ".env", f"OPENAI_API_KEY={SECRET}\n")
    res = resolve_env(ws, env(home, OTHER=SECRET), {"env": {"X": SECRET}})
    for source in res.sources:
        assert SECRET not in repr(source) and SECRET not in str(source)
    assert SECRET not in repr(res)
    assert "sk-…7890" in repr(res.lookup("OPENAI_API_KEY"))


def test_read_env_file_missing(tmp_path):
    assert read_env_file(tmp_path / "nope") == (None, None)
