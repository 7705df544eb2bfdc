"""``features.symbols``: the outline of a settings file, which never shows a secret.

Real documents parsed with qwen_ls.jsonc; the end-to-end twin is ``tests/e2e/test_navigation.py``.
"""

from __future__ import annotations

import json

import pytest
from feature_sandbox import PLAIN, SECRET, USER_SETTINGS, VSCODE
from lsprotocol import types
from lsprotocol.converters import get_converter

from qwen_ls.features.symbols import document_symbols
from qwen_ls.jsonc import parse
from qwen_ls.server.outgoing import sanitize

URI = "file:///home/u/.qwen/settings.json"


def outline(text, flags=VSCODE):
    return document_symbols(parse(text if isinstance(text, str) else json.dumps(text, indent=2)),
                            flags, uri=URI)


def named(symbols, name):
    return next(s for s in symbols if s.name == name)


def test_sections_providers_and_models():
    found = outline({**USER_SETTINGS, "ui": {"theme": "dark", "hideTips": True}})
    assert [s.name for s in found] == ["$version", "security", "modelProviders", "ui"]
    assert named(found, "$version").kind == types.SymbolKind.Number
    assert named(found, "$version").detail == "4"
    openai = named(named(found, "modelProviders").children, "openai")
    assert openai.kind == types.SymbolKind.Package and openai.detail == "2 models"
    assert [(m.name, m.detail, m.kind) for m in openai.children] == [
        ("qwen3-coder-plus", "Qwen3 Coder Plus", types.SymbolKind.Class),
        ("gpt-5", "GPT-5", types.SymbolKind.Class)]
    ui = named(found, "ui")
    assert [(c.name, c.kind, c.detail) for c in ui.children] == [
        ("theme", types.SymbolKind.String, '"dark"'), ("hideTips", types.SymbolKind.Boolean, "true")]


def test_ranges_cover_the_member_and_select_the_key_or_the_model_id():
    text = '{\n  "ui": {"theme": "x"},\n  "modelProviders": {"openai": [{"name": "n", "id": "m"}]}\n}'
    doc = parse(text)
    found = document_symbols(doc, VSCODE, uri=URI)
    ui = named(found, "ui")
    assert (ui.range.start.line, ui.range.start.character) == (1, 2)
    assert (ui.range.end.line, ui.range.end.character) == (1, 22)
    assert (ui.selection_range.start.character, ui.selection_range.end.character) == (2, 6)
    (model,) = named(named(found, "modelProviders").children, "openai").children
    assert model.selection_range.start.character == text.splitlines()[2].index('"m"')


def test_flat_symbols_for_clients_without_hierarchy():
    flat = outline('{"modelProviders": {"openai": [{"id": "a"}, {"id": "b"}]}}', PLAIN)
    assert all(isinstance(s, types.SymbolInformation) for s in flat)
    assert [(s.name, s.container_name) for s in flat] == [
        ("modelProviders", None), ("openai", "modelProviders"), ("a", "openai"), ("b", "openai")]
    assert {s.location.uri for s in flat} == {URI}


@pytest.mark.parametrize("env", [
    {"OPENAI_API_KEY": SECRET},                 # a key by its shape
    {"OPENAI_API_KEY": "hunter2hunter2"},       # a key by its name only
    {"DB_PASSWORD": "hunter2hunter2", "GITHUB_TOKEN": "plain-but-secret"},
    {"PROXY": "http://bob:hunter2hunter2@proxy.test:8080"},  # a password in a URL
], ids=["shape", "name", "password-and-token", "url"])
def test_the_outline_never_shows_a_secret(env):
    found = outline({"env": {**env, "HOME_DIR": "/home/u"}})
    shown = repr(found)
    for value in env.values():
        secret = value.split("bob:")[-1].split("@")[0]
        assert secret not in shown and secret[2:-4] not in shown
    assert '"/home/u"' in shown  # what is no secret is still shown
    if SECRET in env.values():
        assert "sk-…1a2b" in shown  # the mask says which key it is


def test_a_key_pasted_as_a_member_name_is_masked_on_the_wire():
    # The names are keys of the user's file; the server's outgoing gate masks them.
    pasted = "sk-pastedname00000000beef"
    found = outline({"env": {pasted: "x"}, pasted: 1, "security": {"auth": {"apiKey": SECRET}}})
    wire = json.dumps(sanitize(get_converter().unstructure(found)), ensure_ascii=False)
    assert pasted not in wire and SECRET not in wire and "sk-…beef" in wire


def test_long_values_are_cut():
    (theme,) = named(outline({"ui": {"theme": "x" * 200}}), "ui").children
    assert len(theme.detail) == 58 and theme.detail.endswith("…")


@pytest.mark.parametrize("text", [
    '{"modelProviders": {"openai": [{"id": "a"}, {"name": "n"}, 3]}, "ui": ',
    '{"modelProviders": {"openai": [{"id": "a"} {"id": "b"}]}',
    '{"ui": {"theme": "x",,}, "modelProviders": {"openai": [{"id": "a",}]},}',
], ids=["unterminated", "missing-comma", "extra-commas"])
def test_broken_json_still_has_an_outline(text):
    found = outline(text)
    providers = named(found, "modelProviders")
    models = named(providers.children, "openai").children
    assert models[0].name == "a"
    for m in models:  # every selection range lies inside its range
        assert (m.range.start.line, m.range.start.character) <= \
            (m.selection_range.start.line, m.selection_range.start.character)
        assert (m.selection_range.end.line, m.selection_range.end.character) <= \
            (m.range.end.line, m.range.end.character)


def test_entries_without_an_id_and_unknown_sections():
    found = outline({"modelProviders": {"openai": [{"name": "n"}, "x"], "custom": {}},
                     "unknownKey": [1, 2], "mcpServers": {"s": {"command": "c"}}})
    providers = named(found, "modelProviders").children
    assert [(m.name, m.detail) for m in named(providers, "openai").children] == [("[0] (no id)", "n")]
    assert named(providers, "custom").children == [] and named(providers, "custom").detail is None
    assert named(found, "unknownKey").kind == types.SymbolKind.Array
    assert [s.name for s in named(found, "mcpServers").children] == ["s"]


@pytest.mark.parametrize("text", ["", "{", "[1]", '"x"', "// only a comment", "{}"],
                         ids=["empty", "open-brace", "array", "string", "comment", "empty-object"])
def test_documents_without_an_outline(text):
    assert outline(text) == []
