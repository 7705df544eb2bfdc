"""Tests of qwen_ls.store: minimal settings edits, atomic writes, .env and JSON files."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the reference CLI reader
from cli_reader import strip_json_comments  # noqa: E402

from qwen_ls import store  # noqa: E402
from qwen_ls.jsonc.edits import apply_edits
from qwen_ls.store import (
    DELETE,
    InsertAt,
    SettingsStore,
    StoreError,
    ensure_gitignored,
    quote_env_value,
    update_settings_sync,
    write_env_var,
    write_json_file,
)

COMMENTED = """{
  // my favourite model
  "model": {
    "name": "old" /* keep me */
  },
  "ui": {"theme": "Qwen Dark"}
}
"""


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_update_keeps_comments_and_unrelated_bytes(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(COMMENTED)
    out = update_settings_sync(path, [(("model", "name"), "new"),
                                      (("security", "auth", "selectedType"), "openai")])
    text = path.read_text()
    assert out.changed and not out.created
    assert "// my favourite model" in text and "/* keep me */" in text
    assert '"ui": {"theme": "Qwen Dark"}' in text
    assert json.loads(_strip(text))["model"]["name"] == "new"
    assert json.loads(_strip(text))["security"]["auth"]["selectedType"] == "openai"


def _strip(text: str) -> str:
    return strip_json_comments(text)


def test_delete_and_insert(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"codingPlan": {"region": "china"}, "modelProviders": {"openai": [{"id": "a"}]}}')
    update_settings_sync(path, [(("codingPlan",), DELETE),
                                (("modelProviders", "openai"), InsertAt(0, {"id": "b"}))])
    value = json.loads(path.read_text())
    assert "codingPlan" not in value
    assert [e["id"] for e in value["modelProviders"]["openai"]] == ["b", "a"]


def test_syntax_error_refused_nothing_written(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    broken = '{\n  "model": {\n    "name": "x"\n  \n  "ui": {}\n}\n'
    path.write_text(broken)
    with pytest.raises(StoreError) as info:
        update_settings_sync(path, [(("model", "name"), "y")])
    message = str(info.value)
    assert "has a syntax error at line" in message
    assert "fix it first; nothing was written" in message
    assert path.read_text() == broken


def test_new_file_and_folder_modes(tmp_path: Path) -> None:
    path = tmp_path / "home" / ".qwen" / "settings.json"
    out = update_settings_sync(path, [(("model", "name"), "m")])
    assert out.created
    assert mode_of(path) == 0o600
    assert mode_of(path.parent) == 0o700
    assert mode_of(path.parent.parent) == 0o700
    assert path.read_text().endswith("}\n")


def test_existing_mode_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{}\n")
    os.chmod(path, 0o644)
    update_settings_sync(path, [(("a",), 1)])
    assert mode_of(path) == 0o644


def test_symlink_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "settings.json"
    real.parent.mkdir()
    real.write_text('{"a": 1}')
    link = tmp_path / "settings.json"
    link.symlink_to(real)
    update_settings_sync(link, [(("b",), 2)])
    assert link.is_symlink()
    assert json.loads(real.read_text()) == {"a": 1, "b": 2}


def test_bom_crlf_and_missing_final_newline_preserved(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b'\xef\xbb\xbf{\r\n  "a": 1\r\n}')
    update_settings_sync(path, [(("b", "c"), True)])
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert not data.endswith(b"\n")
    assert json.loads(data[3:].decode()) == {"a": 1, "b": {"c": True}}


def test_concurrent_change_is_reapplied_not_overwritten(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{\n  "a": 1\n}\n')
    original = store.apply_changes
    calls = {"n": 0}

    def racing(text, changes):
        calls["n"] += 1
        if calls["n"] == 1:  # another program saves the file while we compute our edit
            path.write_text('{\n  "a": 1,\n  "other": "theirs"\n}\n')
        return original(text, changes)

    monkeypatch.setattr(store, "apply_changes", racing)
    update_settings_sync(path, [(("mine",), "ours")])
    assert json.loads(path.read_text()) == {"a": 1, "other": "theirs", "mine": "ours"}
    assert calls["n"] == 2


def test_failed_rename_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"a": 1}')

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store, "_rename", boom)
    with pytest.raises(OSError):
        update_settings_sync(path, [(("a",), 2)])
    assert path.read_text() == '{"a": 1}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


def test_crash_between_temp_write_and_rename_keeps_old_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"a": 1}')
    code = ("import sys; from pathlib import Path; from qwen_ls.store import update_settings_sync;"
            "update_settings_sync(Path(sys.argv[1]), [(('a',), 2)])")
    env = dict(os.environ, QWEN_LS_FAILPOINT="crash-before-rename")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], env=env, timeout=60)
    assert proc.returncode == 86  # the simulated power cut
    assert path.read_text() == '{"a": 1}'
    leftovers = [p for p in tmp_path.iterdir() if p.name != "settings.json"]
    assert len(leftovers) == 1 and json.loads(leftovers[0].read_text()) == {"a": 2}


class FakeSink:
    def __init__(self, texts: dict[Path, str], accept: bool = True) -> None:
        self.texts = texts
        self.accept = accept
        self.calls: list[tuple[Path, list, str]] = []

    def open_text(self, path: Path) -> str | None:
        return self.texts.get(path)

    async def apply(self, path, edits, base_text) -> bool:
        self.calls.append((path, edits, base_text))
        if self.accept:
            self.texts[path] = apply_edits(base_text, edits)
        return self.accept


async def test_open_document_goes_through_sink(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"on": "disk"}')
    buffer = '{\n  // unsaved buffer\n  "model": {"name": "a"}\n}\n'
    sink = FakeSink({path: buffer})
    out = await SettingsStore(sink).update(path, [(("model", "name"), "b")])
    assert out.via_editor and out.changed
    assert path.read_text() == '{"on": "disk"}'  # disk untouched
    assert "// unsaved buffer" in sink.texts[path] and '"b"' in sink.texts[path]
    assert sink.calls[0][2] == buffer


async def test_sink_refusal_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    sink = FakeSink({path: "{}"}, accept=False)
    with pytest.raises(StoreError, match="editor did not apply"):
        await SettingsStore(sink).update(path, [(("a",), 1)])


def test_write_json_file(tmp_path: Path, monkeypatch) -> None:
    names: list[str] = []
    real = store._rename

    def spy(src: str, dst: str) -> None:
        names.append(Path(src).name)
        real(src, dst)

    monkeypatch.setattr(store, "_rename", spy)
    path = tmp_path / "q" / "oauth_creds.json"
    write_json_file(path, {"b": 1, "a": [1]})
    assert path.read_text() == '{\n  "b": 1,\n  "a": [\n    1\n  ]\n}'
    assert mode_of(path) == 0o600 and mode_of(path.parent) == 0o700
    assert names[0].startswith(f"oauth_creds.json.tmp.{os.getpid()}.")


def test_env_file_create_update_keep_comments(tmp_path: Path) -> None:
    path = tmp_path / ".qwen" / ".env"
    write_env_var(path, "KEY_A", "sk-first-value-1234")
    assert mode_of(path) == 0o600 and mode_of(path.parent) == 0o700
    path.write_text("# my keys\nexport KEY_A=old\nOTHER='x y'\n")
    os.chmod(path, 0o644)
    write_env_var(path, "KEY_A", "sk-second-value-5678")
    write_env_var(path, "NEW_ONE", "v")
    assert path.read_text() == ("# my keys\nexport KEY_A=sk-second-value-5678\nOTHER='x y'\n"
                                "NEW_ONE=v\n")
    assert mode_of(path) == 0o600
    assert dotenv_values(path) == {"KEY_A": "sk-second-value-5678", "OTHER": "x y",
                                   "NEW_ONE": "v"}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40))
def test_env_quoting_round_trips_through_python_dotenv(tmp_path_factory, value: str) -> None:
    try:
        line = quote_env_value(value)
    except ValueError:
        assert "\\" in value or "'" in value or "${" in value
        return
    path = tmp_path_factory.mktemp("env") / ".env"
    path.write_text(f"K={line}\n")
    # read as qwen-ls (settings/env.py) and npm dotenv do: no ${VAR} interpolation
    assert dotenv_values(path, interpolate=False)["K"] == value


def test_ensure_gitignored(tmp_path: Path) -> None:
    assert ensure_gitignored(tmp_path) is None  # not a repo
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    written = ensure_gitignored(tmp_path, ".qwen/.env")
    assert written == tmp_path / ".gitignore"
    assert "/.qwen/.env" in (tmp_path / ".gitignore").read_text()
    assert ensure_gitignored(tmp_path, ".qwen/.env") is None  # already ignored
