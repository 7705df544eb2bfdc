"""``textDocument/foldingRange``: objects, arrays and block comments that span lines.

VS Code's JSON server folds Qwen settings files when they are ``jsonc``; with their own language
id (``qwen-settings``, see the README) qwen-ls folds them instead. One C-speed regex pass over the
text finds strings (skipped), comments and brackets, so a 1 MB file folds in milliseconds.
"""

from __future__ import annotations

import re

from lsprotocol import types

from qwen_ls.jsonc import JsonDocument

_TOKENS = re.compile(
    r'"[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*"?|//[^\r\n]*|/\*[\s\S]*?(?:\*/|$)|[{}\[\]]'
)
_CLOSE = {"}": "{", "]": "["}


def folding_ranges(doc: JsonDocument) -> list[types.FoldingRange]:
    """Every multi-line object, array and block comment, as VS Code's JSON server folds them.

    A range ends on the line before its closing bracket (which stays visible, as in VS Code), and
    never on its opening line. Unbalanced brackets of a half-typed file are skipped.
    """
    line_of = doc.lines.line_of
    found: list[tuple[int, int, bool]] = []
    stack: list[tuple[str, int]] = []
    for match in _TOKENS.finditer(doc.text):
        first = match.group(0)[0]
        if first == '"':
            continue
        if first == "/":
            if match.group(0)[1] == "*":
                start, end = line_of(match.start()), line_of(match.end())
                if end > start:
                    found.append((start, end, True))
            continue
        if first in "{[":
            stack.append((first, match.start()))
            continue
        while stack and stack[-1][0] != _CLOSE[first]:
            stack.pop()  # an unclosed bracket inside: drop it
        if not stack:
            continue
        opened = stack.pop()[1]
        start, end = line_of(opened), line_of(match.start()) - 1
        if end > start:
            found.append((start, end, False))
    found.sort()
    comment = types.FoldingRangeKind.Comment
    return [
        types.FoldingRange(start, end, kind=comment if is_comment else None)
        for start, end, is_comment in found
    ]
