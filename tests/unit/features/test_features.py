"""Unit tests of the pure feature functions (no pygls, no subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lsprotocol import types

from qwen_ls.analysis import analyze, build_context
from qwen_ls.features import code_actions, completion, diagnostics, hover
from qwen_ls.features.options import ClientFlags
from qwen_ls.jsonc import parse
from qwen_ls.jsonc.edits import changed_span
from qwen_ls.jsonc.locate import scan
from qwen_ls.server.config import parse_options

VSCODE = ClientFlags(encoding="utf-16", snippets=True, markdown=True, hierarchical_symbols=True)
PLAIN = ClientFlags(encoding="utf-8")


@pytest.fixture
def ctx(tmp_path: Path):
    home = tmp_path / "home"
    (home / ".qwen").mkdir(parents=True)
    (home / ".qwen" / "settings.json").write_text(json.dumps({
        "security": {"auth": {"selectedType": "openai"}},
        "modelProviders": {"openai": [{"id": "m1", "name": "Model One", "envKey": "K1",
                                       "baseUrl": "https://api.openai.com/v1"}]}}))
    (home / ".qwen" / ".env").write_text("K1=sk-abcdefghijkl1a2b\n")
    path = tmp_path / "ws" / ".qwen" / "settings.json"
    path.parent.mkdir(parents=True)
    environ = {"HOME": str(home), "QWEN_CODE_SYSTEM_SETTINGS_PATH": str(tmp_path / "none.json")}
    return build_context(path, None, environ)


@pytest.mark.parametrize("text, needle, label", [
    ('{"model": {"name": ""}}', '""', "m1"),
    ('{"security": {"auth": {"selectedType": ""}}}', '""', "openai"),
    ('{"modelProviders": {"openai": [{"envKey": ""}]}}', '""', "K1"),
], ids=["model-name", "auth-type", "env-key"])
def test_value_completion(ctx, text, needle, label):
    doc = parse(text)
    result = completion.complete(doc, ctx, text.index(needle) + 1, VSCODE)
    assert label in [i.label for i in result.items]


@pytest.mark.parametrize("flags", [VSCODE, PLAIN], ids=["snippets", "plain"])
def test_key_completion_keeps_json_valid(ctx, flags):
    text = '{\n  "ui": {\n    "theme": "x"\n    \n  }\n}'
    doc = parse(text)
    offset = text.index("    \n") + 4
    items = completion.complete(doc, ctx, offset, flags).items
    item = next(i for i in items if i.label == "hideTips")
    assert "theme" not in [i.label for i in items]
    assert (item.insert_text_format == types.InsertTextFormat.Snippet) == flags.snippets
    assert item.additional_text_edits  # the comma after "x"


def test_completion_in_broken_and_empty_documents(ctx):
    for text in ["", "{", '{"mo', '{"model": {"na', '{"model": {"name": "m']:
        completion.complete(parse(text), ctx, len(text), VSCODE)


def test_hover_masks_env_value(ctx):
    text = '{"modelProviders": {"openai": [{"id": "m1", "envKey": "K1"}]}}'
    h = hover.hover(parse(text), ctx, text.index('"K1"') + 2, VSCODE)
    assert "sk-…1a2b" in h.contents.value and "abcdefghijkl" not in h.contents.value


def test_hover_plain_text_client(ctx):
    text = '{"model": {"name": "m1"}}'
    h = hover.hover(parse(text), ctx, text.index("m1"), PLAIN)
    assert h.contents.kind == types.MarkupKind.PlainText and "Model One" in h.contents.value


def test_diagnostics_and_quick_fix_roundtrip(ctx):
    text = '{\n  "selectedAuthType": "openai"\n}\n'
    doc = parse(text)
    diags = diagnostics.to_diagnostics(doc, analyze(doc, ctx), VSCODE)
    legacy = next(d for d in diags if d.code == "QLS110")
    actions = code_actions.code_actions(doc, ctx, legacy_span(doc), [legacy], [], VSCODE,
                                        uri="file:///x", version=1, findings=lambda: [])
    assert actions[0].edit is not None and actions[0].kind == types.CodeActionKind.QuickFix


def legacy_span(doc):
    from qwen_ls.jsonc.types import Span

    return Span(0, len(doc.text))


def test_fast_locate_matches_the_scan():
    entries = [{"id": f"m{i}", "envKey": "K", "baseUrl": "https://x/v1"} for i in range(80)]
    text = json.dumps({"ui": {"theme": "x"}, "modelProviders": {"openai": entries}}, indent=2)
    doc = parse(text)
    for offset in range(0, len(text), 5):
        a, b = scan(doc, offset), doc.locate(offset)
        assert (a.path, a.on_key, a.replace_span, a.container_path, a.after_value) == \
            (b.path, b.on_key, b.replace_span, b.container_path, b.after_value)


@pytest.mark.parametrize("old, new", [("abc", "abXc"), ("", "x"), ("aaaa", "aa"), ("x\u2028y", "x\u2028zy")])
def test_changed_span(old, new):
    edit = changed_span(old, new)
    assert old[:edit.start] + edit.new_text + old[edit.end:] == new


def test_options_strip_nulls_and_report_bad_values():
    options, message = parse_options({"diagnosticDelayMs": 0, "inlayHints": None, "logLevel": 3})
    assert options.diagnostic_delay_ms == 0 and options.inlay_hints is True
    assert "logLevel" in message


@pytest.mark.parametrize("flags", [VSCODE, PLAIN, ClientFlags(encoding="utf-32",
                                                              related_information=False,
                                                              diagnostic_tags=False)],
                         ids=["vscode", "utf-8", "bare"])
def test_diagnostic_payloads_are_what_lsprotocol_sends(ctx, flags):
    # The server sends the dicts as they are; they must be exactly the converter's JSON of the
    # typed diagnostics (a key misspelt or a None left in would break this round trip).
    from lsprotocol.converters import get_converter

    from qwen_ls.features.common import MemoryFiles

    text = ('{\n  "selectedAuthType": "openai", "env": {"K1": "sk-abcdefghijkl9z9z"},\n'
            '  "ui": {"hideTipz": 1, "theme": "ü"},\n  "model": {"name": "nope"}\n}\n')
    doc = parse(text)
    findings = analyze(doc, ctx)
    files = MemoryFiles({p: p.read_text() for p in ctx.env({}).files if p.exists()})
    payloads = diagnostics.diagnostic_payloads(doc, findings, flags, files)
    typed = diagnostics.to_diagnostics(doc, findings, flags, files)
    assert len(payloads) == len(findings) >= 4
    assert get_converter().unstructure(typed) == payloads
    if flags.related_information:
        assert any("relatedInformation" in p for p in payloads)


def test_sign_in_action_for_the_rules_a_sign_in_solves():
    rng = types.Range(types.Position(0, 0), types.Position(0, 1))
    diags = [types.Diagnostic(range=rng, message="m", code=c, source="qwen-ls")
             for c in ("QLS101", "QLS402", "QLS204")]
    (action,) = code_actions.sign_in_actions(diags, "file:///x/.qwen/settings.json")
    assert action.title == "Sign in…" and [d.code for d in action.diagnostics] == ["QLS402",
                                                                                 "QLS204"]
    assert action.command.command == "qwen-ls.signIn"
    assert action.command.arguments == [{"code": "QLS402", "uri": "file:///x/.qwen/settings.json"}]
    assert code_actions.sign_in_actions(diags[:1], "file:///x") == []


def test_related_places_in_files_that_do_not_exist_are_left_out(tmp_path):
    # QLS402 names every .env file the CLI searched; only the ones that exist become links.
    from qwen_ls.analysis.types import Finding, Related
    from qwen_ls.features.common import MemoryFiles
    from qwen_ls.jsonc.types import Span

    here, gone = tmp_path / ".env", tmp_path / "sub" / ".env"
    doc = parse('{"a": 1}\n')
    finding = Finding("QLS402", "warning", "K is not set", Span(1, 4),
                      related=[Related(gone, "K: searched here, no file"),
                               Related(here, "K: searched here, not set", line=0)])
    payload, = diagnostics.diagnostic_payloads(doc, [finding], VSCODE, MemoryFiles({here: "X=1\n"}))
    assert [r["location"]["uri"] for r in payload["relatedInformation"]] == [here.as_uri()]
    payload, = diagnostics.diagnostic_payloads(doc, [finding], VSCODE, MemoryFiles({}))
    assert "relatedInformation" not in payload
