"""``features.definition``: from a model reference to its entry, from an ``envKey`` to its value.

Real documents parsed with qwen_ls.jsonc, real scope files and ``.env`` files under a temporary
HOME; the end-to-end twin is ``tests/e2e/test_navigation.py``.
"""

from __future__ import annotations

import pytest
from feature_sandbox import PLAIN, SECRET, USER_SETTINGS, VSCODE, offset_of

from qwen_ls.features.definition import definition

WORKSPACE = '{\n  "model": {"name": "qwen3-coder-plus"},\n  "fastModel": "openai:gpt-5"\n}\n'


SETTINGS_ENV_ORIGIN = pytest.mark.xfail(strict=True, reason=(
    "AnalysisContext.env labels settings.env sources with the other scopes' files only: the "
    "document being analysed is not a layer there, so its own env block has no path yet"))


def where(sandbox, doc, ctx, needle, files, delta=2, nth=0, flags=VSCODE):
    uri = sandbox.workspace_settings.as_uri() if ctx.path == sandbox.workspace_settings \
        else ctx.path.as_uri()
    return definition(doc, ctx, offset_of(doc, needle, delta, nth), flags, files, uri=uri)


def line_at(path, loc):
    return path.read_text("utf-8").splitlines()[loc.range.start.line]


@pytest.fixture
def user(sandbox):
    sandbox.write(sandbox.user_settings, USER_SETTINGS)
    sandbox.write(sandbox.user_env, f"# keys\nDASHSCOPE_API_KEY={SECRET}\n")
    return sandbox


def test_model_name_in_the_workspace_jumps_to_the_user_file(user, files):
    doc, ctx = user.open(user.workspace_settings, WORKSPACE)
    (loc,) = where(user, doc, ctx, "qwen3-coder-plus", files)
    assert loc.uri == user.user_settings.as_uri()
    assert '"id": "qwen3-coder-plus"' in line_at(user.user_settings, loc)


def test_selector_with_an_auth_prefix_jumps_to_that_entry(user, files):
    doc, ctx = user.open(user.workspace_settings, WORKSPACE)
    (loc,) = where(user, doc, ctx, "openai:gpt-5", files, delta=9)
    assert '"id": "gpt-5"' in line_at(user.user_settings, loc)


def test_a_workspace_provider_list_replaces_the_users(user, files):
    # modelProviders merge per provider: the workspace's openai list hides the user's.
    text = ('{\n  "modelProviders": {"openai": [\n    {"id": "qwen3-coder-plus", '
            '"envKey": "WS_KEY", "baseUrl": "https://example.test/v1"}\n  ]},\n'
            '  "model": {"name": "qwen3-coder-plus"}\n}\n')
    doc, ctx = user.open(user.workspace_settings, text)
    (loc,) = where(user, doc, ctx, "qwen3-coder-plus", files, nth=1)
    assert loc.uri == user.workspace_settings.as_uri()
    assert loc.range.start.line == 2  # the id in this document, not the user file's
    assert files.read == []  # nothing else had to be read


def test_env_key_jumps_to_its_line_in_the_env_file(user, files):
    doc, ctx = user.open(user.user_settings)
    (loc,) = where(user, doc, ctx, "DASHSCOPE_API_KEY", files)
    assert loc.uri == user.user_env.as_uri()
    assert loc.range.start.line == 1  # after the comment line
    assert loc.range.end.character == len(f"DASHSCOPE_API_KEY={SECRET}")


@SETTINGS_ENV_ORIGIN
def test_env_key_in_a_settings_env_block_of_this_document(sandbox, files):
    text = ('{\n  "env": {"MY_KEY": "x"},\n  "modelProviders": {"openai": [\n'
            '    {"id": "m", "envKey": "MY_KEY", "baseUrl": "https://example.test/v1"}\n  ]}\n}\n')
    doc, ctx = sandbox.open(sandbox.user_settings, text)
    (loc,) = where(sandbox, doc, ctx, '"MY_KEY"', files, nth=1)
    assert loc.uri == sandbox.user_settings.as_uri()
    assert (loc.range.start.line, loc.range.start.character) == (1, 10)  # the env key itself


def test_env_key_defined_in_the_env_block_of_another_scope(sandbox, files):
    sandbox.write(sandbox.user_settings, {"env": {"MY_KEY": "x"}})
    text = ('{"modelProviders": {"openai": [\n'
            '  {"id": "m", "envKey": "MY_KEY", "baseUrl": "https://example.test/v1"}]}}\n')
    doc, ctx = sandbox.open(sandbox.workspace_settings, text)
    (loc,) = where(sandbox, doc, ctx, '"MY_KEY"', files)
    assert loc.uri == sandbox.user_settings.as_uri()
    assert '"MY_KEY"' in line_at(sandbox.user_settings, loc)


def test_env_key_from_the_shell_or_nowhere_has_no_definition(user, files):
    doc, ctx = user.open(user.user_settings, environ={"DASHSCOPE_API_KEY": "sk-shell0000000001a2b"})
    assert where(user, doc, ctx, "DASHSCOPE_API_KEY", files) == []  # no file to open
    assert where(user, doc, ctx, "OPENAI_API_KEY", files) == []  # set nowhere


def test_positions_follow_the_client_encoding(sandbox, files):
    text = ('{"modelProviders": {"openai": [{"name": "😀😀", "id": "m", '
            '"baseUrl": "https://example.test/v1"}]},\n "model": {"name": "m"}}\n')
    doc, ctx = sandbox.open(sandbox.user_settings, text)
    (utf16,) = where(sandbox, doc, ctx, '"name": "m"', files, delta=10)
    (utf8,) = where(sandbox, doc, ctx, '"name": "m"', files, delta=10, flags=PLAIN)
    assert utf16.uri == sandbox.user_settings.as_uri() and utf16.range.start.line == 0
    assert utf8.range.start.character == utf16.range.start.character + 4  # 2×4 bytes, 2×2 units


@pytest.mark.parametrize("needle, delta", [
    ('"model"', 2),            # a key
    ('"fastModel"', 3),        # a key whose value is a reference
    ("// qwen3-coder-plus", 5),  # a comment
    ('"theme"', 12),           # a value that is no reference
    ('"nope"', 2),             # a model nobody declares
], ids=["key", "reference-key", "comment", "unknown-value", "unknown-model"])
def test_nothing_to_jump_to(user, files, needle, delta):
    text = ('{\n  // qwen3-coder-plus\n  "model": {"name": "nope"},\n  "fastModel": "gpt-5",\n'
            '  "ui": {"theme": "qwen3-coder-plus"}, "unknownKey": "qwen3-coder-plus"\n}\n')
    doc, ctx = user.open(user.workspace_settings, text)
    assert where(user, doc, ctx, needle, files, delta=delta) == []


def test_unknown_key_with_a_model_id_is_no_reference(user, files):
    doc, ctx = user.open(user.workspace_settings, '{"unknownKey": "qwen3-coder-plus"}')
    assert where(user, doc, ctx, "qwen3-coder-plus", files) == []


@pytest.mark.parametrize("text", [
    '{\n  "model": {"name": "qwen3-coder-plus"},\n  "ui": {',
    '{\n  "model": {"name": "qwen3-coder-plus"}\n  "ui": {"theme": 1,}\n}',
    '{\n  "model": {"name": "qwen3-coder-plus"},,\n}',
], ids=["unterminated", "missing-comma", "double-comma"])
def test_broken_json_still_resolves_what_it_can(user, files, text):
    doc, ctx = user.open(user.workspace_settings, text)
    assert not doc.tree_ok or doc.issues
    (loc,) = where(user, doc, ctx, "qwen3-coder-plus", files)
    assert '"id": "qwen3-coder-plus"' in line_at(user.user_settings, loc)


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", '"just a string"', '{"model": {"name": '],
                         ids=["empty", "open-brace", "array", "string", "half-typed"])
def test_documents_with_nothing_to_resolve(user, files, text):
    doc, ctx = user.open(user.workspace_settings, text)
    for offset in range(len(text) + 1):
        assert definition(doc, ctx, offset, VSCODE, files, uri="file:///ws") == []
