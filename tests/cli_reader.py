"""A plain, independent copy of the Qwen Code CLI's settings reader, for tests to check files with.

The CLI strips a BOM, removes comments with ``strip-json-comments`` and calls ``JSON.parse``. qwen-ls
itself reads through its JSONC layer; tests that want to prove "the CLI can read what we wrote"
use this character-by-character version instead, so they do not check qwen-ls with qwen-ls.
"""

from __future__ import annotations

import json
from typing import Any


def strip_json_comments(text: str) -> str:
    """Remove ``//`` and ``/* */`` comments outside strings, as ``strip-json-comments`` does.

    Comments are replaced by spaces (newlines kept), so offsets of the remaining text and JSON
    error positions stay meaningful. Trailing commas are left alone: the CLI rejects them.
    """
    out: list[str] = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                in_string = False
            i += 1
            continue
        if ch == '"':
            in_string = True
            out.append(ch)
            i += 1
        elif ch == "/" and i + 1 < n and text[i + 1] == "/":
            end = i
            while end < n and text[end] not in "\r\n":
                end += 1
            out.append(" " * (end - i))
            i = end
        elif ch == "/" and i + 1 < n and text[i + 1] == "*":
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append("".join(c if c in "\r\n" else " " for c in text[i:end]))
            i = end
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def read_settings(text: str) -> Any:
    """Read settings text exactly as the CLI does; raises ``ValueError`` when it would refuse it."""
    return json.loads(strip_json_comments(text.removeprefix("\ufeff")))
