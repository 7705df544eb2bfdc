"""Minimal edits: set, remove, insert, rename; property tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qwen_ls.jsonc import TextEdit, parse
from qwen_ls.jsonc.edits import (
    EditError,
    apply_edits,
    changed_span,
    insert_array_item,
    remove_value,
    rename_key,
    set_value,
)

REAL = (Path(__file__).parents[2] / "data" / "jsonc" / "real-settings.json").read_text("utf-8")


def cli_value(text):
    text = text.removeprefix("\ufeff")
    text = re.sub(r'("(?:[^"\\]|\\.)*")|//[^\n]*|/\*[\s\S]*?\*/',
                  lambda m: m.group(1) or " ", text)
    return json.loads(text)


def edit(text, fn, *args, **kw):
    doc = parse(text)
    out = apply_edits(text, fn(doc, *args, **kw))
    assert parse(out).cli_readable, out
    return out


def test_replace_keeps_everything_else():
    out = edit(REAL, set_value, ("model", "name"), "gpt-4o")
    assert out == REAL.replace('"name": "qwen3-coder-plus"', '"name": "gpt-4o"', 1)


def test_add_member_after_last_with_comment():
    text = '{\n    "a": 1,\n    "b": 2 // note\n}\n'
    out = edit(text, set_value, ("c",), {"x": [1]})
    assert out == '{\n    "a": 1,\n    "b": 2, // note\n    "c": {\n        "x": [\n' \
        '            1\n        ]\n    }\n}\n'


def test_create_parents_and_crlf():
    text = '{\r\n\t"a": 1\r\n}\r\n'
    out = edit(text, set_value, ("security", "auth", "selectedType"), "openai")
    assert out == ('{\r\n\t"a": 1,\r\n\t"security": {\r\n\t\t"auth": {\r\n'
                   '\t\t\t"selectedType": "openai"\r\n\t\t}\r\n\t}\r\n}\r\n')
    assert "\n" not in out.replace("\r\n", "")


@pytest.mark.parametrize(("text", "expected"), [
    ("{}", '{\n  "k": 1\n}'),
    ("{ }", '{\n  "k": 1\n}'),
    ('{"a": {}}', '{"a": {}, "k": 1}'),
    ("", '{\n  "k": 1\n}\n'),
    ("// header\n", '// header\n{\n  "k": 1\n}\n'),
    ('{ /* c */ }', '{\n  "k": 1 /* c */ \n}'),
])
def test_empty_containers(text, expected):
    assert edit(text, set_value, ("k",), 1) == expected


def test_nested_empty_object():
    text = '{\n  "a": {}\n}'
    assert edit(text, set_value, ("a", "b"), True) == '{\n  "a": {\n    "b": true\n  }\n}'


def test_remove_member_own_line_and_comma():
    text = '{\n  "a": 1, // about a\n  // about b\n  "b": 2,\n  "c": 3\n}'
    assert edit(text, remove_value, ("a",)) == '{\n  // about b\n  "b": 2,\n  "c": 3\n}'
    assert edit(text, remove_value, ("c",)) == '{\n  "a": 1, // about a\n  // about b\n  "b": 2\n}'
    assert edit(text, remove_value, ("b",)) == '{\n  "a": 1, // about a\n  // about b\n  "c": 3\n}'


def test_remove_inline():
    assert edit('{"a": 1, "b": 2, "c": 3}', remove_value, ("b",)) == '{"a": 1, "c": 3}'
    assert edit('{"a": 1, "b": 2}', remove_value, ("b",)) == '{"a": 1}'
    assert edit('{"a": 1}', remove_value, ("a",)) == "{}"
    assert edit('{\n  "a": 1\n}', remove_value, ("a",)) == "{}"
    assert edit("[1, 2, 3]", remove_value, (0,)) == "[2, 3]"


def test_remove_missing_is_noop():
    assert remove_value(parse('{"a": 1}'), ("b",)) == []


def test_insert_array_item():
    text = '{\n  "l": [\n    1,\n    2\n  ]\n}'
    assert edit(text, insert_array_item, ("l",), 3) == '{\n  "l": [\n    1,\n    2,\n    3\n  ]\n}'
    assert edit(text, insert_array_item, ("l",), 0, 0) == \
        '{\n  "l": [\n    0,\n    1,\n    2\n  ]\n}'
    assert edit('{"l": []}', insert_array_item, ("l",), "x") == '{"l": [\n  "x"\n]}'
    assert edit('{"a": 1}', insert_array_item, ("l",), "x") == '{"a": 1, "l": ["x"]}'


def test_rename():
    assert edit('{"a": 1, "b": 2}', rename_key, ("a",), "é") == '{"é": 1, "b": 2}'
    with pytest.raises(EditError, match="already has"):
        rename_key(parse('{"a": 1, "b": 2}'), ("a",), "b")


def test_refusals():
    with pytest.raises(EditError, match="not an object"):
        set_value(parse('{"a": 1}'), ("a", "b"), 2)
    with pytest.raises(EditError, match="syntax error"):
        set_value(parse('{"a": 1 "b": 2}'), ("c",), 2)
    with pytest.raises(EditError, match="syntax error"):
        set_value(parse('{"a": 1,}'), ("a",), 2)
    with pytest.raises(EditError, match="insert_array_item"):
        set_value(parse('{"a": []}'), ("a", 0), 2)
    with pytest.raises(EditError):
        remove_value(parse("{}"), ())


def test_error_in_unrelated_sibling_is_fine():
    text = '{"a": {"x": [1 2]}, "b": {"y": 1}}'
    out = apply_edits(text, set_value(parse(text), ("b", "y"), 5))
    assert out == '{"a": {"x": [1 2]}, "b": {"y": 5}}'


def test_apply_edits_rejects_overlap():
    with pytest.raises(ValueError):
        apply_edits("abcdef", [TextEdit(0, 3, "x"), TextEdit(2, 4, "y")])


json_scalars = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids,
                                                              max_size=3),
    max_leaves=8,
)
keys = st.sampled_from(["model", "name", "env", "new", "é😀", "ui", "a\u2028b"])


def _expected(value, path, new):
    if not path:
        return new
    value = dict(value)
    head = path[0]
    child = value.get(head)
    value[head] = _expected(child if isinstance(child, dict) else {}, path[1:], new)
    return value


@settings(max_examples=150, deadline=None)
@given(path=st.lists(keys, min_size=1, max_size=3), new=json_values,
       crlf=st.booleans())
def test_set_value_property(path, new, crlf):
    text = REAL.replace("\n", "\r\n") if crlf else REAL
    doc = parse(text)
    before = doc.value
    # only paths that do not cross a non-object
    node = doc.root
    for key in path[:-1]:
        node = node.get(key) if node is not None else None
        if node is not None and node.kind != "object":
            with pytest.raises(EditError):
                set_value(doc, tuple(path), new)
            return
    edits = set_value(doc, tuple(path), new)
    out = apply_edits(text, edits)
    assert cli_value(out) == _expected(before, path, new)
    # every byte outside the edited spans is identical
    first, last = min(e.start for e in edits), max(e.end for e in edits)
    assert out[:first] == text[:first]
    tail = len(text) - last
    assert out[len(out) - tail:] == text[last:]
    # comments survive and the newline style is kept
    assert out.count("//") == text.count("//")
    if crlf:
        assert "\n" not in out.replace("\r\n", "")


@settings(max_examples=60, deadline=None)
@given(value=st.dictionaries(st.sampled_from(list("abcdef")), json_scalars, min_size=1,
                             max_size=6),
       data=st.data(), multiline=st.booleans())
def test_remove_value_property(value, data, multiline):
    text = json.dumps(value, indent=2 if multiline else None)
    key = data.draw(st.sampled_from(sorted(value)))
    out = apply_edits(text, remove_value(parse(text), (key,)))
    expected = dict(value)
    del expected[key]
    assert json.loads(out) == expected


@pytest.mark.parametrize("old, new", [
    ("a\r\nb", "a\nb"),                      # CRLF → LF
    ("a\nb", "a\r\nb"),                      # LF → CRLF
    ("{\r\n}", '{\r\n  "k": 1\r\n}'),       # an insertion after a CRLF line
    ('{\r\n  "k": 1\r\n}', "{\r\n}"),
    ("x\r\n", "x\r\r\n"),
    ("\r\n", "\r\r\n"),
])
def test_changed_span_never_splits_a_crlf(old, new):
    edit = changed_span(old, new)
    assert old[:edit.start] + edit.new_text + old[edit.end:] == new
    for offset in (edit.start, edit.end):  # an LSP position cannot point between CR and LF
        assert not (0 < offset < len(old) and old[offset - 1] == "\r" and old[offset] == "\n")
