"""Cursor location in whole and half-typed documents."""

from __future__ import annotations

from qwen_ls.jsonc import Span, parse


def loc_end(text):
    return parse(text).locate(len(text))


def test_half_typed_key():
    loc = loc_end('{"model": {"na')
    assert loc.on_key and loc.in_string
    assert loc.key_prefix == "na"
    assert loc.container_path == ("model",)
    assert loc.replace_span == Span(11, 14)


def test_half_typed_value():
    loc = loc_end('{"security": {"auth": {"selectedType": "')
    assert not loc.on_key and loc.in_string
    assert loc.path == ("security", "auth", "selectedType")
    assert loc.container_path == ("security", "auth")
    assert loc.key_prefix == ""


def test_key_after_comma_with_open_quote():
    loc = loc_end('{"a": 1, "')
    assert loc.on_key and loc.key_prefix == "" and loc.container_path == ()


def test_key_in_provider_model():
    loc = loc_end('{"modelProviders": {"openai": [{"id": "x", "')
    assert loc.on_key
    assert loc.container_path == ("modelProviders", "openai", 0)


def test_key_expected_without_quote():
    for text in ["{", '{"a": 1,', '{"a": {\n  ']:
        loc = loc_end(text)
        assert loc.on_key and loc.key_prefix == "" and not loc.in_string
        assert loc.replace_span == Span(len(text), len(text))


def test_value_expected_after_colon():
    loc = loc_end('{"model": {"name": ')
    assert not loc.on_key
    assert loc.path == ("model", "name")
    assert loc.container_path == ("model",)


def test_inside_array():
    loc = loc_end('{"a": [1, "x", ')
    assert loc.path == ("a", 2) and loc.container_path == ("a",) and not loc.on_key
    loc = loc_end('{"a": ["x", "y')
    assert loc.path == ("a", 1) and loc.key_prefix == "y" and loc.in_string


def test_inside_complete_key_and_value():
    text = '{"model": {"name": "qwen"}}'
    doc = parse(text)
    loc = doc.locate(text.index("name") + 2)
    assert loc.on_key and loc.key_prefix == "na" and loc.path == ("model", "name")
    assert loc.node.value == "qwen"
    loc = doc.locate(text.index("qwen") + 1)
    assert not loc.on_key and loc.key_prefix == "q" and loc.path == ("model", "name")
    assert loc.replace_span == Span(text.index('"qwen"'), text.index('"qwen"') + 6)
    # right after the closing quote: no longer inside the string
    loc = doc.locate(text.index('"}') + 1)
    assert not loc.in_string and loc.after_value


def test_in_comment():
    text = '{"a": 1, // comment\n}'
    assert parse(text).locate(text.index("comm")).in_comment
