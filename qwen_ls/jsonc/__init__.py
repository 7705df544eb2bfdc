"""The JSONC document layer: parse settings.json text with positions, locate the cursor, edit.

See ``docs/CONTRACTS.md`` ("qwen_ls/jsonc"). Offsets are code-point indices into the ``str``.
"""

from qwen_ls.jsonc.document import JsonDocument, parse
from qwen_ls.jsonc.lines import LineIndex
from qwen_ls.jsonc.locate import Location
from qwen_ls.jsonc.node import Node
from qwen_ls.jsonc.types import JsonPath, Span, SyntaxIssue, TextEdit

__all__ = [
    "JsonDocument",
    "JsonPath",
    "LineIndex",
    "Location",
    "Node",
    "Span",
    "SyntaxIssue",
    "TextEdit",
    "parse",
]
