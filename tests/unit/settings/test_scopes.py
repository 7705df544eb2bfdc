"""Tests for qwen_ls.settings.scopes: paths, lenient reading, merge strategies."""

import sys
from pathlib import Path

import pytest

from qwen_ls.settings import scopes
from qwen_ls.settings.scopes import Layer, load_layers, merge, persist_scope_for_model_selection

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/: the reference CLI reader
from cli_reader import strip_json_comments  # noqa: E402


@pytest.fixture
def home(tmp_path):
    h = tmp_path / "home"
    h.mkdir()
    return h


@pytest.fixture
def ws(tmp_path):
    w = tmp_path / "proj"
    w.mkdir()
    return w


def env(home, **extra):
    return {"HOME": str(home), **extra}


# ---- paths -----------------------------------------------------------------------------


def test_qwen_home_default_and_overrides(home, tmp_path):
    assert scopes.qwen_home(env(home)) == home / ".qwen"
    assert scopes.qwen_home(env(home, QWEN_HOME="~/custom")) == home / "custom"
    assert scopes.qwen_home(env(home, QWEN_HOME="~")) == home
    assert scopes.qwen_home(env(home, QWEN_HOME=str(tmp_path / "abs"))) == tmp_path / "abs"
    assert scopes.qwen_home(env(home, QWEN_HOME="rel/q"), cwd=tmp_path) == tmp_path / "rel/q"
    assert scopes.qwen_home(env(home, QWEN_HOME="a/../b"), cwd=tmp_path) == tmp_path / "b"


def test_qwen_home_without_home_uses_tmpdir():
    assert scopes.qwen_home({}).name == ".qwen"


def test_settings_paths_linux_defaults(home, ws):
    paths = scopes.settings_paths(ws, env(home), platform="linux")
    assert paths == {
        "system-defaults": Path("/etc/qwen-code/system-defaults.json"),
        "user": home / ".qwen" / "settings.json",
        "workspace": ws / ".qwen" / "settings.json",
        "system": Path("/etc/qwen-code/settings.json"),
    }


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("darwin", "/Library/Application Support/QwenCode/settings.json"),
        ("win32", "C:\\ProgramData\\qwen-code\\settings.json"),
    ],
)
def test_settings_paths_platform_defaults(home, ws, platform, expected):
    paths = scopes.settings_paths(ws, env(home), platform=platform)
    assert str(paths["system"]) == str(Path(expected))
    assert paths["system-defaults"] == Path(expected).parent / "system-defaults.json"


def test_settings_paths_overrides(home, ws, tmp_path):
    e = env(
        home,
        QWEN_HOME=str(tmp_path / "qh"),
        QWEN_CODE_SYSTEM_SETTINGS_PATH=str(tmp_path / "sys" / "s.json"),
    )
    paths = scopes.settings_paths(ws, e)
    assert paths["user"] == tmp_path / "qh" / "settings.json"
    assert paths["system"] == tmp_path / "sys" / "s.json"
    assert paths["system-defaults"] == tmp_path / "sys" / "system-defaults.json"
    e["QWEN_CODE_SYSTEM_DEFAULTS_PATH"] = str(tmp_path / "d.json")
    assert scopes.settings_paths(ws, e)["system-defaults"] == tmp_path / "d.json"


def test_workspace_is_none_at_home(home):
    assert scopes.settings_paths(home, env(home))["workspace"] is None
    assert scopes.settings_paths(None, env(home))["workspace"] is None


def test_scope_of(home, ws, tmp_path):
    e = env(home, QWEN_CODE_SYSTEM_SETTINGS_PATH=str(tmp_path / "sys.json"))
    assert scopes.scope_of(home / ".qwen" / "settings.json", ws, e) == "user"
    assert scopes.scope_of(ws / ".qwen" / "settings.json", ws, e) == "workspace"
    assert scopes.scope_of(ws / ".qwen" / ".." / ".qwen" / "settings.json", ws, e) == "workspace"
    assert scopes.scope_of(tmp_path / "sys.json", ws, e) == "system"
    assert scopes.scope_of(tmp_path / "system-defaults.json", ws, e) == "system-defaults"
    assert scopes.scope_of(ws / "settings.json", ws, e) is None


def test_same_path_follows_links_and_dots(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    assert scopes.same_path(real / "settings.json", tmp_path / "link" / "settings.json")
    assert scopes.same_path(real / "x" / ".." / "settings.json", str(real / "settings.json"))
    assert not scopes.same_path(real / "settings.json", real / "Settings.json")
    assert not scopes.same_path(real / "settings.json", tmp_path / "settings.json")


def test_same_path_survives_a_symlink_loop_and_a_nul_byte(tmp_path):
    # Path.resolve() raises RuntimeError on a loop (Python 3.11): a hostile workspace can hold one.
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert scopes.same_path(tmp_path / "a", tmp_path / "a")
    assert not scopes.same_path(tmp_path / "a", tmp_path / "c")
    assert scopes.scope_of(tmp_path / "a", tmp_path, {"HOME": str(tmp_path)}) is None
    assert not scopes.same_path(tmp_path / "x\0y", tmp_path / "x")
    assert scopes.same_path(tmp_path / "x\0y" / ".." / "z", tmp_path / "z")


# ---- reading ---------------------------------------------------------------------------


def test_strip_comments_keeps_strings():
    text = '{"a": "http://x//y", /* c */ "b": 1 // tail\n}'
    assert scopes.parse_settings_text(text) == {"a": "http://x//y", "b": 1}
    assert len(strip_json_comments(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('\ufeff{"a": 1}', {"a": 1}),
        ('{"a": 1,}', None),  # trailing comma: the CLI's JSON.parse rejects it
        ("{'a': 1}", None),
        ("", None),
        ('{"a": "unterminated', None),
    ],
)
def test_parse_settings_text(text, value):
    assert scopes.parse_settings_text(text) == value


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_load_layers_reads_existing_files_in_order(home, ws, tmp_path):
    e = env(home, QWEN_CODE_SYSTEM_SETTINGS_PATH=str(tmp_path / "etc" / "settings.json"))
    write(ws / ".qwen" / "settings.json", '// c\n{"model": {"name": "ws"}}')
    write(home / ".qwen" / "settings.json", '{"model": {"name": "user"}}')
    write(tmp_path / "etc" / "settings.json", "not json")
    write(tmp_path / "etc" / "system-defaults.json", "[1, 2]")
    layers = load_layers(ws, e)
    assert [ly.scope for ly in layers] == ["system-defaults", "user", "workspace", "system"]
    assert layers[0].value is None  # root not an object
    assert layers[1].value == {"model": {"name": "user"}}
    assert layers[2].value == {"model": {"name": "ws"}}
    assert layers[3].value is None and layers[3].text == "not json"
    assert "ws" not in repr(layers[2])


def test_load_layers_open_buffer_wins(home, ws, tmp_path):
    e = env(home, QWEN_CODE_SYSTEM_SETTINGS_PATH=str(tmp_path / "none.json"))
    user = write(home / ".qwen" / "settings.json", '{"a": 1}')
    unsaved = ws / ".qwen" / "settings.json"  # not on disk, open in the editor
    layers = load_layers(ws, e, open_texts={user: '{"a": 2}', unsaved: '{"b": 3}'})
    assert [(ly.scope, ly.value) for ly in layers] == [("user", {"a": 2}), ("workspace", {"b": 3})]


def test_load_layers_missing_everything(home, ws, tmp_path):
    e = env(home, QWEN_CODE_SYSTEM_SETTINGS_PATH=str(tmp_path / "none.json"))
    assert load_layers(ws, e) == []


# ---- merge -----------------------------------------------------------------------------


def test_merge_default_replace_and_deep_merge():
    out = merge(
        [
            ("user", {"ui": {"theme": "a", "hideTips": True}, "proxy": "http://a", "list": [1]}),
            ("workspace", {"ui": {"theme": "b"}, "proxy": "http://b", "list": [2]}),
        ]
    )
    assert out == {"ui": {"theme": "b", "hideTips": True}, "proxy": "http://b", "list": [2]}


def test_merge_model_providers_replace_per_provider():
    user = {"modelProviders": {"openai": [{"id": "u1"}], "anthropic": [{"id": "a1"}]}}
    ws = {"modelProviders": {"openai": [{"id": "w1"}]}}
    out = merge([("user", user), ("workspace", ws)])
    assert out["modelProviders"] == {"openai": [{"id": "w1"}], "anthropic": [{"id": "a1"}]}
    out = merge(
        [
            ("user", {"providerProtocol": {"x": "openai"}}),
            ("workspace", {"providerProtocol": {"y": "anthropic"}}),
        ]
    )
    assert out["providerProtocol"] == {"x": "openai", "y": "anthropic"}


def test_merge_shallow_merge_env_and_mcp():
    out = merge(
        [
            ("system-defaults", {"env": {"A": "1", "B": "1"}}),
            ("user", {"env": {"B": "2"}, "mcpServers": {"s": {"command": "x", "args": ["1"]}}}),
            ("workspace", {"mcpServers": {"s": {"url": "http://u"}, "t": {"command": "y"}}}),
            ("system", {"env": {"C": "3"}}),
        ]
    )
    assert out["env"] == {"A": "1", "B": "2", "C": "3"}
    # shallow: the workspace's "s" replaces the user's "s" entirely
    assert out["mcpServers"] == {"s": {"url": "http://u"}, "t": {"command": "y"}}


def test_merge_shallow_with_empty_objects_is_js_truthy():
    out = merge([("user", {"env": {}}), ("workspace", {"env": {"A": "1"}})])
    assert out["env"] == {"A": "1"}


def test_merge_concat():
    out = merge(
        [
            (
                "user",
                {
                    "context": {"includeDirectories": ["a", "b"]},
                    "mcp": {"allowed": ["x"]},
                    "hooks": {"PreToolUse": [{"hooks": [{"type": "command"}]}]},
                },
            ),
            (
                "workspace",
                {
                    "context": {"includeDirectories": ["b", "c"]},
                    "mcp": {"allowed": ["x"]},
                    "hooks": {"PreToolUse": [{"matcher": "m"}]},
                },
            ),
        ]
    )
    assert out["context"]["includeDirectories"] == ["a", "b", "b", "c"]
    assert out["mcp"]["allowed"] == ["x", "x"]
    assert out["hooks"]["PreToolUse"] == [{"hooks": [{"type": "command"}]}, {"matcher": "m"}]


def test_merge_union():
    out = merge(
        [
            (
                "user",
                {
                    "permissions": {"allow": ["a", "b"]},
                    "tools": {"exclude": ["t1"]},
                    "advanced": {"excludedEnvVars": ["DEBUG", "DEBUG_MODE"]},
                    "skills": {"disabled": ["s"]},
                    "slashCommands": {"disabled": ["x"]},
                },
            ),
            (
                "workspace",
                {
                    "permissions": {"allow": ["b", "c"]},
                    "tools": {"exclude": ["t1", "t2"]},
                    "advanced": {"excludedEnvVars": ["DEBUG", "FOO"]},
                    "skills": {"disabled": ["s", "t"]},
                    "slashCommands": {"disabled": ["x"]},
                },
            ),
        ]
    )
    assert out["permissions"]["allow"] == ["a", "b", "c"]
    assert out["tools"]["exclude"] == ["t1", "t2"]
    assert out["advanced"]["excludedEnvVars"] == ["DEBUG", "DEBUG_MODE", "FOO"]
    assert out["skills"]["disabled"] == ["s", "t"]
    assert out["slashCommands"]["disabled"] == ["x"]


def test_merge_union_keeps_js_set_semantics():
    out = merge(
        [
            ("user", {"tools": {"exclude": [1, True, "1"]}}),
            ("workspace", {"tools": {"exclude": [1, "1", True]}}),
        ]
    )
    assert out["tools"]["exclude"] == [1, True, "1"]


def test_merge_concat_with_scalar_source_wraps_it():
    out = merge([("user", {"mcp": {"allowed": ["a"]}}), ("workspace", {"mcp": {"allowed": "b"}})])
    assert out["mcp"]["allowed"] == ["a", "b"]


def test_merge_drops_workspace_restricted_keys_and_skips_none():
    out = merge(
        [
            ("user", {"tools": {"executionSandbox": {"filesystem": "read-only"}}}),
            (
                "workspace",
                {
                    "tools": {"executionSandbox": {"filesystem": "workspace-write"}},
                    "serve": {"tokenQr": True},
                },
            ),
            ("system", None),
        ]
    )
    assert out["tools"]["executionSandbox"] == {"filesystem": "read-only"}
    assert "tokenQr" not in out.get("serve", {})


def test_merge_does_not_mutate_inputs():
    user = {"env": {"A": "1"}, "ui": {"theme": "x"}}
    ws = {"env": {"B": "2"}, "ui": {"hideTips": True}}
    out = merge([("user", user), ("workspace", ws)])
    out["ui"]["theme"] = "changed"
    assert user == {"env": {"A": "1"}, "ui": {"theme": "x"}}
    assert ws == {"env": {"B": "2"}, "ui": {"hideTips": True}}


def test_merge_layers_untrusted_skips_workspace(tmp_path):
    layers = [
        Layer("workspace", tmp_path / "w", "", {"a": 2}),
        Layer("user", tmp_path / "u", "", {"a": 1}),
    ]
    assert scopes.merge_layers(layers) == {"a": 2}
    assert scopes.merge_layers(layers, trusted=False) == {"a": 1}


# ---- persist scope ---------------------------------------------------------------------


def test_persist_scope(tmp_path):
    user = Layer("user", tmp_path / "u", "", {"modelProviders": {"openai": []}})
    ws_with = Layer("workspace", tmp_path / "w", "", {"modelProviders": {"openai": []}})
    ws_without = Layer("workspace", tmp_path / "w", "", {"model": {"name": "x"}})
    assert persist_scope_for_model_selection([user, ws_with]) == "workspace"
    assert persist_scope_for_model_selection([user, ws_with], trusted=False) == "user"
    assert persist_scope_for_model_selection([user, ws_without]) == "user"
    assert persist_scope_for_model_selection([user]) == "user"
    broken = Layer("workspace", tmp_path / "w", "{", None)
    assert persist_scope_for_model_selection([broken]) == "user"
