"""The generated JSON Schema: committed copy is fresh, and its shape suits VS Code."""

from __future__ import annotations

import json
from pathlib import Path

from qwen_ls.settings.schema import build_schema, schema_text

COMMITTED = Path(__file__).resolve().parents[3] / "qwen_ls" / "settings" / "settings.schema.json"


def _walk(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key not in {"default", "enum", "const", "defaultSnippets", "examples"}:
                yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, (*path, i))


def test_committed_schema_is_not_stale():
    assert COMMITTED.exists(), "run: python -m qwen_ls.settings.schema > " + str(COMMITTED)
    committed = COMMITTED.read_text(encoding="utf-8")
    assert json.loads(committed) == build_schema(), (
        "settings.schema.json is stale; regenerate it with "
        "`python -m qwen_ls.settings.schema > qwen_ls/settings/settings.schema.json`"
    )
    assert committed == schema_text()


def test_root_options():
    schema = build_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["allowComments"] is True
    assert schema["allowTrailingCommas"] is False
    assert schema["additionalProperties"] is False
    assert schema["type"] == "object"


def test_keys_are_sorted():
    for _, node in _walk(build_schema()):
        keys = list(node)
        assert keys == sorted(keys)


def test_known_objects_are_closed_and_maps_are_open():
    defs = build_schema()["$defs"]
    assert defs["GeneralSettings"]["additionalProperties"] is False
    assert defs["ModelConfig"]["additionalProperties"] is False
    assert defs["ExecutionSandbox"]["additionalProperties"] is False
    assert defs["SamplingParams"]["additionalProperties"] is True
    assert defs["ModelProviders"]["additionalProperties"]["items"] == {
        "$ref": "#/$defs/ModelConfig"
    }
    assert build_schema()["properties"]["env"]["additionalProperties"] == {"type": "string"}


def test_descriptions_and_extensions():
    schema = build_schema()
    props = schema["properties"]
    assert props["env"]["x-merge"] == "shallow_merge"
    assert props["env"]["x-requires-restart"] is True
    assert props["modelProviders"]["x-merge"] == "replace"
    auth = schema["$defs"]["SecurityAuthSettings"]["properties"]
    assert auth["apiKey"]["deprecated"] is True and auth["apiKey"]["deprecationMessage"]
    assert "`" in auth["selectedType"]["markdownDescription"]
    assert "`" not in auth["selectedType"]["description"]
    assert schema["$defs"]["ModelConfig"]["required"] == ["id"]
    assert schema["$defs"]["ModelConfig"]["defaultSnippets"]
    assert schema["$defs"]["McpServerConfig"]["defaultSnippets"]


def test_every_property_has_a_description():
    schema = build_schema()

    def described(node):
        if "description" in node:
            return True
        ref = node.get("$ref")  # pydantic drops a field description equal to the class's
        return bool(ref) and "description" in schema["$defs"][ref.rsplit("/", 1)[-1]]

    missing = [
        path
        for path, node in _walk(schema)
        if len(path) >= 2 and path[-2] == "properties" and not described(node)
    ]
    assert missing == []


def test_no_null_defaults_or_titles():
    for path, node in _walk(build_schema()):
        assert "title" not in node or path == ()
        if "default" in node:
            assert node["default"] is not None, path
