"""``features.rename``: a model id, renamed where it is declared and everywhere it is referenced.

Real documents parsed with qwen_ls.jsonc and real scope files under a temporary HOME; the
end-to-end twin is ``tests/e2e/test_navigation.py``.
"""

from __future__ import annotations

import json

import pytest
from feature_sandbox import PLAIN, USER_SETTINGS, VSCODE, offset_of

from qwen_ls.features.common import to_span
from qwen_ls.features.rename import prepare_rename, rename
from qwen_ls.jsonc import LineIndex
from qwen_ls.jsonc.edits import apply_edits
from qwen_ls.jsonc.types import TextEdit

WORKSPACE = ('{\n  "model": {"name": "qwen3-coder-plus"},\n'
             '  "fastModel": "openai:qwen3-coder-plus",\n'
             '  "modelFallbacks": "gpt-5,qwen3-coder-plus"\n}\n')


@pytest.fixture
def user(sandbox):
    sandbox.write(sandbox.user_settings, USER_SETTINGS)
    return sandbox


def renamed(sandbox, doc, ctx, needle, new_name, files, delta=2, flags=VSCODE):
    """The rename's edits applied: {path: new text}; ``None`` when nothing was renamed."""
    uri = sandbox.workspace_settings.as_uri()
    edit = rename(doc, ctx, offset_of(doc, needle, delta), new_name, flags, files, uri=uri)
    if edit is None:
        return None
    out = {}
    for target_uri, edits in edit.changes.items():
        path = sandbox.workspace_settings if target_uri == uri else sandbox.user_settings
        assert target_uri == path.as_uri()
        target = doc if path == sandbox.workspace_settings else None
        text = target.text if target is not None else path.read_text("utf-8")
        lines = LineIndex(text)
        spans = [(to_span(lines, e.range, flags.encoding), e.new_text) for e in edits]
        out[path] = apply_edits(text, [TextEdit(span.start, span.end, new) for span, new in spans])
    return out


def test_rename_from_a_reference_renames_the_declaration_and_every_reference(user, files):
    doc, ctx = user.open(user.workspace_settings, WORKSPACE)
    prep = prepare_rename(doc, ctx, offset_of(doc, "qwen3-coder-plus", 2), VSCODE)
    assert prep.placeholder == "qwen3-coder-plus"
    assert (prep.range.start.line, prep.range.start.character) == (1, 21)  # the id, no quotes
    out = renamed(user, doc, ctx, "qwen3-coder-plus", "qcp", files)
    ws, us = json.loads(out[user.workspace_settings]), json.loads(out[user.user_settings])
    assert ws == {"model": {"name": "qcp"}, "fastModel": "openai:qcp",
                  "modelFallbacks": "gpt-5,qcp"}
    assert [m["id"] for m in us["modelProviders"]["openai"]] == ["qcp", "gpt-5"]


def test_rename_from_the_declaration(user, files):
    doc, ctx = user.open(user.user_settings)
    uri = user.user_settings.as_uri()
    edit = rename(doc, ctx, offset_of(doc, '"gpt-5"', 2), "gpt-6", PLAIN, files, uri=uri)
    assert list(edit.changes) == [uri] and [e.new_text for e in edit.changes[uri]] == ['"gpt-6"']


def test_the_same_id_under_another_provider_is_left_alone(user, files):
    # gpt-5 is an openai model and an anthropic one: renaming the openai one (the selected auth
    # type) keeps the anthropic entry and the reference qualified with anthropic.
    settings = json.loads(json.dumps(USER_SETTINGS))
    settings["modelProviders"]["anthropic"] = [
        {"id": "gpt-5", "envKey": "ANTHROPIC_API_KEY", "baseUrl": "https://anthropic.test"}]
    user.write(user.user_settings, settings)
    doc, ctx = user.open(user.workspace_settings,
                         '{"model": {"name": "gpt-5"}, "fastModel": "anthropic:gpt-5"}')
    out = renamed(user, doc, ctx, "gpt-5", "gpt-6", files)
    ws, us = json.loads(out[user.workspace_settings]), json.loads(out[user.user_settings])
    assert ws == {"model": {"name": "gpt-6"}, "fastModel": "anthropic:gpt-5"}
    assert [m["id"] for m in us["modelProviders"]["openai"]] == ["qwen3-coder-plus", "gpt-6"]
    assert [m["id"] for m in us["modelProviders"]["anthropic"]] == ["gpt-5"]


def test_renaming_onto_an_id_already_declared_is_refused(user, files):
    doc, ctx = user.open(user.workspace_settings, WORKSPACE)
    assert renamed(user, doc, ctx, "qwen3-coder-plus", "gpt-5", files) is None


def test_new_name_is_trimmed_and_written_as_a_json_string(user, files):
    doc, ctx = user.open(user.workspace_settings, WORKSPACE)
    out = renamed(user, doc, ctx, "qwen3-coder-plus", '  qw"en/ü\\ ', files)
    assert json.loads(out[user.workspace_settings])["model"]["name"] == 'qw"en/ü\\'
    assert "ü" in out[user.user_settings]  # not \u00fc: the file stays readable
    for blank in ("", "   "):
        assert renamed(user, doc, ctx, "qwen3-coder-plus", blank, files) is None


def test_comments_and_formatting_outside_the_ids_are_kept(user, files):
    text = '{\n  // the main model\n  "model": {\n    "name": "qwen3-coder-plus" /* pinned */\n  }\n}\n'
    doc, ctx = user.open(user.workspace_settings, text)
    out = renamed(user, doc, ctx, "qwen3-coder-plus", "qcp", files)
    assert out[user.workspace_settings] == text.replace("qwen3-coder-plus", "qcp")


@pytest.mark.parametrize("needle, delta", [
    ('"$version"', 2),         # a key
    ('"model"', 2),            # a key above a reference
    ("// qwen3-coder-plus", 5),  # a comment
    ('"theme"', 12),           # a string value that is no reference
    ('"unknownKey"', 16),      # an unknown key's value that looks like a model id
    ('"nope"', 2),             # a reference to a model nobody declares
    ('"\\u0067pt-5"', 3),      # an escaped reference: its text is not the id
], ids=["version-key", "model-key", "comment", "theme", "unknown-key", "undeclared", "escaped"])
def test_nothing_renamable(user, files, needle, delta):
    text = ('{\n  "$version": 4,\n  // qwen3-coder-plus\n  "model": {"name": "nope"},\n'
            '  "ui": {"theme": "qwen3-coder-plus"}, "unknownKey": "qwen3-coder-plus",\n'
            '  "fastModel": "\\u0067pt-5"\n}\n')
    doc, ctx = user.open(user.workspace_settings, text)
    offset = offset_of(doc, needle, delta)
    assert prepare_rename(doc, ctx, offset, VSCODE) is None
    assert rename(doc, ctx, offset, "x", VSCODE, files, uri="file:///ws") is None


@pytest.mark.parametrize("text", [
    '{\n  "model": {"name": "qwen3-coder-plus"},\n  "ui": {',
    '{\n  "model": {"name": "qwen3-coder-plus"}\n  "ui": {"theme": 1,}\n}',
], ids=["unterminated", "missing-comma"])
def test_broken_json_renames_what_it_can(user, files, text):
    doc, ctx = user.open(user.workspace_settings, text)
    out = renamed(user, doc, ctx, "qwen3-coder-plus", "qcp", files)
    assert out[user.workspace_settings] == text.replace("qwen3-coder-plus", "qcp")
    assert '"id": "qcp"' in out[user.user_settings]


@pytest.mark.parametrize("text", ["", "{", "[]", '{"model": {"name": '],
                         ids=["empty", "open-brace", "array", "half-typed"])
def test_documents_with_nothing_to_rename(user, files, text):
    doc, ctx = user.open(user.workspace_settings, text)
    for offset in range(len(text) + 1):
        assert prepare_rename(doc, ctx, offset, VSCODE) is None
        assert rename(doc, ctx, offset, "x", VSCODE, files, uri="file:///ws") is None
