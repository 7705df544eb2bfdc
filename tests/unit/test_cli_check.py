"""`qwen-ls check`, `rules` and `schema` through a real subprocess, under a temporary HOME."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], home: Path, cwd: Path | None = None, **env: str):
    environ = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, "-m", "qwen_ls", *args], cwd=cwd or home, env=environ,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / ".qwen").mkdir(parents=True)
    return home


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_error_exits_1_with_location_source_and_caret(home):
    f = write(home / "ws/.qwen/settings.json", '{\n  "security": {"auth": {"selectedType": "oai"}}\n}\n')
    proc = run(["check", str(f), "--no-color"], home)
    assert proc.returncode == 1, proc.stderr
    first = proc.stdout.splitlines()[0]
    assert first.startswith("ws/.qwen/settings.json:2:41: QLS201 error ")
    assert '2 |   "security": {"auth": {"selectedType": "oai"}}' in proc.stdout
    caret_line = proc.stdout.splitlines()[2]
    assert caret_line.strip() == "^^^^^"


def test_warnings_only_exit_0(home):
    f = write(home / ".qwen/settings.json", '{"ui": {"theem": "Qwen Dark"}}')
    proc = run(["check", str(f)], home)
    assert proc.returncode == 0
    assert "QLS101 warning" in proc.stdout and "Did you mean 'theme'?" in proc.stdout


def test_clean_file_exit_0_and_summary(home):
    f = write(home / ".qwen/settings.json", '{"ui": {"theme": "Qwen Dark"}}')
    proc = run(["check", str(f)], home)
    assert proc.returncode == 0
    assert "All checks passed" in proc.stdout


def test_json_format(home):
    f = write(home / ".qwen/settings.json", '{"ui": {"hideTips": "yes",}}')
    proc = run(["check", str(f), "--format", "json"], home)
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    codes = sorted(d["code"] for d in data)
    assert codes == ["QLS002", "QLS102"]
    comma = next(d for d in data if d["code"] == "QLS002")
    assert (comma["line"], comma["column"], comma["endColumn"]) == (1, 26, 27)


def test_select_and_ignore(home):
    f = write(home / ".qwen/settings.json", '{"ui": {"hideTips": "yes",}}')
    proc = run(["check", str(f), "--format", "json", "--select", "QLS0"], home)
    assert [d["code"] for d in json.loads(proc.stdout)] == ["QLS002"]
    proc = run(["check", str(f), "--format", "json", "--ignore", "QLS002,QLS1"], home)
    assert json.loads(proc.stdout) == [] and proc.returncode == 0


def test_default_paths_are_the_scope_files(home):
    write(home / ".qwen/settings.json", '{"ui": {"hideTips": "yes"}}')
    ws = home / "proj"
    write(ws / ".qwen/settings.json", '{"tools": {"approvalMode": "nope"}}')
    proc = run(["check", "--format", "json"], home, cwd=ws)
    paths = {Path(d["path"]).relative_to(home).as_posix() for d in json.loads(proc.stdout)}
    assert paths == {".qwen/settings.json", "proj/.qwen/settings.json"}


def test_usage_error_exits_2(home):
    proc = run(["check", "--format", "yaml"], home)
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr


def test_unreadable_path_exits_2(home):
    proc = run(["check", str(home / "missing.json")], home)
    assert proc.returncode == 2
    assert "cannot read" in proc.stderr


def test_secret_is_masked_in_output_including_source_line(home):
    secret = "sk-test-VERYSECRET000000000000"
    f = write(home / ".qwen/settings.json", f'{{"env": {{"OPENAI_API_KEY": "{secret}"}}}}')
    proc = run(["check", str(f)], home)
    assert "QLS406" in proc.stdout
    assert "VERYSECRET" not in proc.stdout + proc.stderr


def test_binary_file_does_not_crash(home):
    f = home / ".qwen/settings.json"
    f.write_bytes(b"\x00\xff\xfe{\x80 garbage")
    proc = run(["check", str(f)], home)
    assert proc.returncode == 1
    assert "QLS001" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_rules_lists_every_rule(home):
    from qwen_ls.analysis.rules import RULES

    proc = run(["rules", "--format", "json"], home)
    assert [r["code"] for r in json.loads(proc.stdout)] == list(RULES)


def test_docs_rules_md_is_current():
    from qwen_ls.analysis.rules_doc import rules_markdown

    committed = (ROOT / "docs/rules.md").read_text()
    assert committed == rules_markdown(), "docs/rules.md is stale: run `.venv/bin/python tools/gen_docs.py`"


def test_schema_command_prints_the_committed_schema(home):
    proc = run(["schema"], home)
    assert proc.returncode == 0
    committed = json.loads((ROOT / "qwen_ls/settings/settings.schema.json").read_text())
    assert json.loads(proc.stdout) == committed


def test_readme_rule_table_is_current():
    from qwen_ls.analysis.rules_doc import rules_table

    readme = (ROOT / "README.md").read_text()
    start = readme.index("\n", readme.index("<!-- rules:start")) + 1
    end = readme.index("<!-- rules:end -->")
    assert readme[start:end] == rules_table(), "README rule table is stale: run `.venv/bin/python tools/gen_docs.py`"
