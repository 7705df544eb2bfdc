"""Parsing: values, syntax issues with exact ranges, robustness."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qwen_ls.jsonc import Span, TextEdit, parse

DATA = Path(__file__).parents[2] / "data" / "jsonc"
REAL = (DATA / "real-settings.json").read_text(encoding="utf-8")


def _cli_value(text: str):
    """What the CLI computes: strip BOM and comments (outside strings), JSON.parse."""
    text = text.removeprefix("\ufeff")
    text = re.sub(r'("(?:[^"\\]|\\.)*")|//[^\n]*|/\*[\s\S]*?\*/',
                  lambda m: m.group(1) or " ", text)
    return json.loads(text)


def test_real_file_value_matches_cli_reader():
    doc = parse(REAL)
    assert doc.cli_readable
    assert doc.syntax_issues == []
    assert doc.value == _cli_value(REAL)
    assert doc.value["env"]["GREETING"] == "héllo 👋 line\u2028sep"


def test_bom_and_comments_are_fine():
    doc = parse('\ufeff{"a": /* c */ 1 // d\n}')
    assert doc.cli_readable and doc.value == {"a": 1}


def test_comment_between_numbers_does_not_join_them():
    doc = parse("[1/**/2]")
    assert not doc.cli_readable


@pytest.mark.parametrize(
    ("text", "code", "message", "span"),
    [
        pytest.param('{"a": 1 "b": 2}', "syntax", "Expected ',' or '}' after property value",
                     (8, 11), id="missing-comma"),
        pytest.param('{"a": 1, 2: 3}', "syntax", "Expected a property name in double quotes",
                     (9, 10), id="number-key"),
        pytest.param('{"a": "xyz}', "syntax", "Unterminated string", (6, 11),
                     id="unterminated-string"),
        pytest.param('{"a": , "b": 1}', "syntax", "Missing value", (6, 7), id="missing-value"),
        pytest.param('{"a": 1', "syntax", "Unexpected end of file; '}' expected", (7, 7),
                     id="eof-object"),
        pytest.param('[1, 2', "syntax", "Unexpected end of file; ']' expected", (5, 5),
                     id="eof-array"),
        pytest.param('{"a": 1,\n}', "trailing-comma", "Trailing comma", (7, 8),
                     id="trailing-comma-object"),
        pytest.param('[1, 2, ]', "trailing-comma", "Trailing comma", (5, 6),
                     id="trailing-comma-array"),
        pytest.param("{'a': 1}", "syntax", "Single quotes are not allowed", (1, 4),
                     id="single-quotes"),
        pytest.param("{a: 1}", "syntax", "Unquoted property name", (1, 2), id="unquoted-key"),
        pytest.param('{"a": 1, "a": 2}', "duplicate-key",
                     "Duplicate key 'a' (a later one replaces this value)", (1, 4),
                     id="duplicate-key"),
        pytest.param('{"a" 1}', "syntax", "Expected ':' after property name", (5, 6),
                     id="missing-colon"),
        pytest.param('[1 2]', "syntax", "Expected ',' or ']' after array element", (3, 4),
                     id="missing-comma-array"),
        pytest.param('{"a": 01}', "syntax", "Invalid number '01'", (6, 8), id="bad-number"),
        pytest.param('{"a": "x\ty"}', "syntax", "Bad control character in string literal",
                     (6, 11), id="control-char"),
        pytest.param('{} {}', "syntax", "Unexpected text after the end of the JSON value",
                     (3, 4), id="extra-value"),
    ],
)
def test_issue_kinds(text, code, message, span):
    doc = parse(text)
    matching = [i for i in doc.syntax_issues if i.code == code]
    assert matching, doc.syntax_issues
    assert matching[0].message == message
    assert matching[0].span == Span(*span)
    assert doc.cli_readable is (code == "duplicate-key")


def test_trailing_comma_keeps_tree_usable():
    doc = parse('{\n  "model": {"name": "x",},\n}')
    assert doc.value == {"model": {"name": "x"}}
    assert doc.node_at_path(("model", "name")).value == "x"
    assert [i.code for i in doc.syntax_issues] == ["trailing-comma", "trailing-comma"]


def test_duplicate_key_later_wins():
    doc = parse('{"a": 1, "a": 2}')
    assert [i.span for i in doc.syntax_issues] == [Span(1, 4), Span(9, 12)]
    assert doc.value == {"a": 2}
    assert doc.node_at_path(("a",)).value == 2
    assert doc.root.keys() == ["a", "a"]


@pytest.mark.parametrize("text", ["", "   \n", "// only a comment\n"])
def test_empty_file_has_one_issue(text):
    doc = parse(text)
    assert doc.value is None and doc.root is None
    assert len(doc.syntax_issues) == 1
    assert not doc.cli_readable


def test_broken_value_skips_errors():
    doc = parse('{"a": 1, "b": tru, "c": [1, , 3], "d": {"e": 2}')
    assert doc.value == {"a": 1, "c": [1, 3], "d": {"e": 2}}


def test_never_raises_on_odd_input():
    for text in ["\x00", '{"a\x00": 1}', "\ud800", '{"\udfff": "\ud83d"}', "\ufeff", "{{{{",
                 "]]]]", '"', "/*", "{/", '{"a": [}', "{]", "[}", "\\", "\u2028"]:
        doc = parse(text)
        _ = doc.value, doc.syntax_issues, doc.root, doc.locate(len(text)), doc.cli_readable
        for issue in doc.syntax_issues:
            assert 0 <= issue.span.start <= issue.span.end <= len(text)


def test_lone_surrogate_offsets():
    text = '{"\ud800x": "é", "b": 1}'
    doc = parse(text)
    assert doc.value == {"\ud800x": "é", "b": 1}
    node = doc.node_at_path(("b",))
    assert text[node.span.start:node.span.end] == "1"
    assert text[node.key_span.start:node.key_span.end] == '"b"'


def test_deep_nesting_is_iterative():
    depth = 10_000
    text = "[" * depth + "]" * depth
    doc = parse(text)
    assert doc.cli_readable
    value = doc.value
    for _ in range(depth - 1):
        value = value[0]
    assert value == []
    broken = "[" * depth
    doc = parse(broken)
    assert not doc.cli_readable
    assert doc.syntax_issues[-1].message == "Unexpected end of file; ']' expected"
    deep_obj = '{"a":' * depth + "1" + "}" * depth
    assert parse(deep_obj).node_at_path(("a",) * 3).path == ("a", "a", "a")


def test_large_document():
    item = '{"id": "m%d", "name": "Model %d", "baseUrl": "https://x.example/v1"},\n'
    body = "".join(item % (i, i) for i in range(400_000))
    text = '{"modelProviders": {"openai": [' + body + '{"id": "last"}]}}'
    assert len(text) > 25_000_000
    doc = parse(text)
    assert doc.cli_readable
    assert doc.node_at_path(("modelProviders", "openai", -1)).value == {"id": "last"}


def test_incremental_reparse_matches_full():
    old = parse(REAL)
    start = REAL.index('"qwen3-coder-plus"')
    edit = TextEdit(start + 1, start + 5, "QWEN")
    new_text = REAL[: edit.start] + edit.new_text + REAL[edit.end:]
    new = parse(new_text, previous=old, edit=edit)
    assert new.value == parse(new_text).value
    assert new.value["model"]["name"] == "QWEN3-coder-plus"
    assert str(new.tree.root_node) == str(parse(new_text).tree.root_node)


def test_incremental_with_wrong_edit_falls_back():
    old = parse('{"a": 1}')
    new = parse('{"b": 2}', previous=old, edit=TextEdit(0, 0, "zzz"))
    assert new.value == {"b": 2}


def test_nodes():
    doc = parse(REAL)
    root = doc.root
    assert root.kind == "object"
    assert "modelProviders" in root.keys()
    model = doc.node_at_path(("modelProviders", "openai", 0))
    assert model.kind == "object" and model.path == ("modelProviders", "openai", 0)
    name = model.get("name")
    assert name.value == "Qwen3 Coder Plus (百炼)"
    assert REAL[name.key_span.start:name.key_span.end] == '"name"'
    assert REAL[name.member_span.start:name.member_span.end] == '"name": "Qwen3 Coder Plus (百炼)"'
    assert [c.kind for c in doc.node_at_path(("ui", "list")).children()] == [
        "number", "number", "number", "null", "true"]
    assert doc.node_at_path(("ui", "list", 1)).value == 2.5
    assert doc.node_at_path(("env", "ESCAPED")).value == 'tab\there é "q"'
    assert doc.node_at_path(("nope",)) is None
    assert doc.node_at_path(("ui", "theme", "x")) is None
    assert doc.node_at_path(("modelProviders", "openai", "x")) is None


def test_every_prefix_of_real_file():
    for cut in range(len(REAL) + 1):
        text = REAL[:cut]
        doc = parse(text)
        _ = doc.value
        for issue in doc.syntax_issues:
            assert 0 <= issue.span.start <= issue.span.end <= cut
        stack = [doc.root] if doc.root else []
        while stack:
            node = stack.pop()
            assert 0 <= node.span.start <= node.span.end <= cut
            if node.key_span:
                assert 0 <= node.key_span.start <= node.key_span.end <= cut
            stack.extend(node.children())
        loc = doc.locate(cut)
        if loc.replace_span:
            assert 0 <= loc.replace_span.start <= loc.replace_span.end <= cut
