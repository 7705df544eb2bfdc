"""The JSON Schema of ``settings.json``, generated from the pydantic models.

:func:`build_schema` turns :class:`~qwen_ls.settings.models.Settings` into a draft 2020-12 schema
that both qwen-ls (completion, hover, :mod:`qwen_ls.settings.catalog`) and VS Code's JSON language
service can use: strict where the CLI is strict (``additionalProperties: false`` on known
objects), with ``markdownDescription``, ``deprecationMessage``, ``defaultSnippets`` and the CLI's
merge strategy and restart flag as ``x-merge`` / ``x-requires-restart``. The root allows comments
and rejects trailing commas, as the CLI's reader does.

The committed copy beside this module is written by::

    python -m qwen_ls.settings.schema > qwen_ls/settings/settings.schema.json

and a test fails when it is stale.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from qwen_ls.settings.models import Settings

__all__ = ["SCHEMA_ID", "build_schema", "schema_text"]

SCHEMA_ID = "https://github.com/qwen-ls/qwen-ls/settings.schema.json"

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_CODE = re.compile(r"`([^`]*)`")
_EMPHASIS = re.compile(r"\*\*([^*]+)\*\*")


def _plain(markdown: str) -> str:
    """Strip the little markdown our descriptions use (code spans, bold)."""
    return _EMPHASIS.sub(r"\1", _CODE.sub(r"\1", markdown))


def _polish(node: Any) -> Any:
    """Recursively tidy pydantic's output into the schema we ship."""
    if isinstance(node, list):
        return [_polish(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title":
            continue  # pydantic's titles are class/field names; editors show them as noise
        if key in {"default", "const", "enum", "defaultSnippets", "examples"}:
            out[key] = value  # JSON values: keep as they are
        elif key in {"properties", "$defs"}:
            out[key] = {name: _polish(sub) for name, sub in value.items()}
        else:
            out[key] = _polish(value)
    if "description" in out:
        out["markdownDescription"] = out["description"]
        out["description"] = _plain(out["description"])
    if out.get("deprecated") and "deprecationMessage" in out:
        out["deprecationMessage"] = _plain(out["deprecationMessage"])
    return out


def _sorted(node: Any) -> Any:
    """Sort object keys recursively, except inside JSON values, for stable diffs."""
    if isinstance(node, list):
        return [_sorted(item) for item in node]
    if isinstance(node, dict):
        return {key: _sorted(node[key]) for key in sorted(node)}
    return node


def build_schema() -> dict[str, Any]:
    """Build the settings JSON Schema from the models.

    Returns
    -------
    dict
        A draft 2020-12 JSON Schema with keys sorted, ready for ``json.dumps``.
    """
    raw = Settings.model_json_schema(by_alias=True, mode="validation")
    schema = _polish(raw)
    schema.update(
        {
            "$schema": _DIALECT,
            "$id": SCHEMA_ID,
            "title": "Qwen Code settings",
            "description": "Settings of the Qwen Code CLI (~/.qwen/settings.json and "
            ".qwen/settings.json), as read by Qwen Code 0.24.4.",
            "allowComments": True,
            "allowTrailingCommas": False,
        }
    )
    schema.pop("markdownDescription", None)
    return _sorted(schema)


def schema_text() -> str:
    """Return the schema as the text of the committed ``settings.schema.json``.

    Returns
    -------
    str
        Two-space indented JSON with a final newline.
    """
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(schema_text())
