"""Catalog lookups against the CLI's key table: every key, its type, default, enum and bounds."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from qwen_ls.settings.catalog import MISSING, child_keys, key_info

TSV = Path(__file__).resolve().parents[3] / "docs" / "reference" / "qwen-code-settings-keys.tsv"


def _rows() -> list[dict[str, str]]:
    with TSV.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _rows()

#: TSV "object" keys whose value may also be something else (notes: anyOf/oneOf/legacyTypes).
UNION_TYPES = {
    "general.gitCoAuthor": {"boolean", "object"},
    "ui.customAsciiArt": {"string", "object"},
    "context.fileName": {"string", "array"},
    "tools.sandbox": {"boolean", "string"},
    "ui.statusLine": {"object", "null"},
    "omni.memory.recall.sideQuery.model": {"string", "null"},
}


def test_table_has_all_392_keys():
    assert len(ROWS) == 392


@pytest.mark.parametrize("row", ROWS, ids=[r["path"] for r in ROWS])
def test_every_key_has_info(row):
    path = tuple(row["path"].split("."))
    info = key_info(path)
    assert info is not None, row["path"]
    assert info.name == path[-1]
    assert info.description, f"{row['path']} has no description"

    types = set(info.types)
    kind = row["type"]
    if row["path"] in UNION_TYPES:
        assert types == UNION_TYPES[row["path"]]
    elif kind == "enum" or row["enum"]:
        assert info.enum == row["enum"].split("|")
        assert types == {"string"}
    elif kind == "number" and "jsonType:integer" in row["notes"]:
        assert types == {"integer"}
    else:
        assert types == {kind}, (row["path"], types)

    expected_default = json.loads(row["default"]) if row["default"] else MISSING
    assert info.default == expected_default
    if expected_default is not MISSING:
        assert type(info.default) is type(expected_default) or isinstance(
            info.default, int | float
        )
    assert info.minimum == (float(row["min"]) if row["min"] else None)
    assert info.maximum == (float(row["max"]) if row["max"] else None)
    assert info.merge == (row["merge"] or None)
    assert info.requires_restart is (row["restart"] == "restart")


def test_unknown_paths_have_no_info():
    assert key_info(("general", "vimmode")) is None
    assert key_info(("nope",)) is None
    assert key_info(("general", "vimMode", "deeper")) is None
    assert key_info(("modelProviders", "openai", 0, "api")) is None


def test_paths_through_maps_and_arrays():
    info = key_info(("modelProviders", "idealab", 3, "envKey"))
    assert info is not None and info.types == ("string",) and "environment variable" in (
        info.description
    )
    wire = key_info(("modelProviders", "openai", 0, "wireApi"))
    assert wire is not None and wire.enum == ["chat-completions", "responses"]
    effort = key_info(
        ("modelProviders", "openai", 0, "generationConfig", "reasoning", "effort")
    )
    assert effort is not None and effort.enum == ["low", "medium", "high", "xhigh", "max"]
    env = key_info(("env", "DASHSCOPE_API_KEY"))
    assert env is not None and env.types == ("string",)
    server = key_info(("mcpServers", "github", "command"))
    assert server is not None and server.types == ("string",)
    hook = key_info(("hooks", "PreToolUse", 0, "hooks", 1, "type"))
    assert hook is not None and hook.enum == ["command", "http"] and hook.required


def test_free_form_map_entries_are_open():
    info = key_info(("channels", "slack"))
    assert info is not None and info.types == () and info.open
    assert key_info(("modelProviders",)).open
    assert key_info(("env",)).open


def test_required_fields():
    assert key_info(("modelProviders", "openai", 0, "id")).required
    assert not key_info(("modelProviders", "openai", 0, "name")).required
    assert key_info(("tools", "executionSandbox", "network")).required


def test_deprecated_keys_carry_a_message():
    for path in [("security", "auth", "apiKey"), ("security", "auth", "baseUrl"), ("codingPlan",)]:
        info = key_info(path)
        assert info is not None and info.deprecated, path
    assert key_info(("security", "auth", "selectedType")).deprecated is None


def test_auth_types_are_an_enum():
    for name in ("selectedType", "enforcedType"):
        info = key_info(("security", "auth", name))
        assert info.enum == [
            "openai", "openai-responses", "qwen-oauth", "gemini", "vertex-ai", "anthropic"
        ]


def test_child_keys_of_model_entry_and_root():
    names = {k.name for k in child_keys(("modelProviders", "custom", 0))}
    assert {"id", "name", "envKey", "baseUrl", "wireApi", "generationConfig", "capabilities",
            "fastOnly", "voiceOnly", "visionOnly", "imageOnly", "realtimeOnly",
            "supportsImageGeneration", "description"} == names
    root = {k.name for k in child_keys(())}
    assert {"$version", "providerMetadata", "modelProviders", "security", "hooks"} <= root
    assert child_keys(("env",)) == []
    assert {k.name for k in child_keys(("modelProviders",))} >= {"openai", "anthropic", "gemini"}
    assert {k.name for k in child_keys(("general", "gitCoAuthor"))} == {"commit", "pr"}


def test_generation_config_has_every_runtime_field():
    from qwen_ls.settings.models import GenerationConfig

    for base in [("model", "generationConfig"), ("modelProviders", "openai", 0, "generationConfig")]:
        names = {k.name for k in child_keys(base)}
        assert names == set(GenerationConfig.model_fields), base


def test_model_config_fields_match_the_model():
    from qwen_ls.settings.models import ModelConfig

    fields = {f.alias or name for name, f in ModelConfig.model_fields.items()}
    assert {k.name for k in child_keys(("modelProviders", "openai", 0))} == fields


def test_snippets():
    assert key_info(("general", "vimMode")).snippet == "${1|false,true|}"
    assert key_info(("general", "voice", "mode")).snippet == '"${1|hold,tap|}"'
    assert key_info(("model", "maxToolCallsPerTurn")).snippet == "${1:100}"
    model_snippet = key_info(("modelProviders", "openai", 0)).snippet
    assert model_snippet is not None and '"id": "${1:model-id}"' in model_snippet
    server_snippet = key_info(("mcpServers", "x")).snippet
    assert server_snippet is not None and '"command"' in server_snippet


def test_lists_accept_list_input():
    assert key_info(["modelProviders", "openai", 0, "id"]) == key_info(
        ("modelProviders", "openai", 0, "id")
    )
