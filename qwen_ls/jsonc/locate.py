"""Find what is at a cursor offset, for completion and hover, in whole or half-typed documents.

The locator scans tokens from the start of the text to the cursor with a small stack machine (the
same recovery rules as the tolerant parser), so it works in documents such as
``{"model": {"na`` where no tree can be trusted. That scan costs ~130 ms at the end of a 1.4 MB
file, so :func:`locate` first asks tree-sitter (when it parsed the document without error) for the
innermost object or array around the cursor, at C speed, scans that container's text alone and
shifts paths and spans back. Broken documents (typing in progress) get the full scan, which is
what it is for. One locator: ``JsonDocument.locate`` and every feature call :func:`locate`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qwen_ls.jsonc.scanner import TOKEN, decode_string
from qwen_ls.jsonc.types import JsonPath, Span

if TYPE_CHECKING:
    from qwen_ls.jsonc.document import JsonDocument
    from qwen_ls.jsonc.node import Node


@dataclass(frozen=True, slots=True)
class Location:
    """What is at a cursor offset.

    Attributes
    ----------
    path : JsonPath
        Path of the innermost value or member at the offset. For a key being typed it ends with
        the key text as typed (the whole token's text, e.g. ``"na"`` in ``{"na|``); where a value
        is expected it is the member's path (``("model", "name")`` after ``"name": ``) or the
        index of the next array item; elsewhere it is the container's path.
    on_key : bool
        The cursor is inside a key string, or where a key is expected (after ``{`` or ``,``).
    key_prefix : str
        The part of the key or value token before the cursor, without the opening quote.
    container_path : JsonPath
        The object or array the cursor is directly inside.
    node : Node | None
        The node at ``path``, when the document has one.
    in_string : bool
        The cursor is inside a (possibly unterminated) double-quoted string.
    replace_span : Span | None
        The token a completion should replace, quotes included; an empty span at the cursor
        where nothing has been typed yet; None inside comments.
    in_comment : bool
        The cursor is inside a comment (offer nothing).
    after_value : bool
        The cursor follows a complete value where ``,`` or a closing bracket is expected.
    """

    path: JsonPath
    on_key: bool
    key_prefix: str
    container_path: JsonPath
    node: Node | None
    in_string: bool
    replace_span: Span | None
    in_comment: bool = False
    after_value: bool = False


class _Frame:
    __slots__ = ("kind", "path", "state", "key", "index")

    def __init__(self, kind: str, path: JsonPath) -> None:
        self.kind = kind
        self.path = path
        self.state = "key" if kind == "object" else "value"
        self.key: str = ""
        self.index = 0

    def child(self) -> JsonPath:
        return self.path + ((self.key,) if self.kind == "object" else (self.index,))


def _value_done(stack: list[_Frame]) -> None:
    if stack:
        top = stack[-1]
        top.state = "comma"
        if top.kind == "array":
            top.index += 1


def scan(doc: JsonDocument, offset: int) -> Location:
    """Describe the cursor position ``offset`` in ``doc`` by scanning its tokens from the start.

    Parameters
    ----------
    doc : JsonDocument
        The parsed document.
    offset : int
        Code-point offset of the cursor (clamped to the text).

    Returns
    -------
    Location
        Path, role (key or value), typed prefix and replace span at the cursor.
    """
    text = doc.text
    offset = min(max(offset, 0), len(text))
    stack: list[_Frame] = []
    root_done = False
    pos = 1 if text.startswith("\ufeff") else 0
    for m in TOKEN.finditer(text, pos):
        start, end = m.span()
        if start >= offset:
            break
        kind = m.lastgroup
        tok = m.group()
        inside = offset < end or (offset == end and _open_ended(kind, tok))
        if inside:
            if kind in ("lc", "bc"):
                top = stack[-1].path if stack else ()
                return Location(top, False, "", top, None, False, None, in_comment=True)
            if kind in ("str", "sq", "num", "word"):
                return _at_token(doc, stack, kind, tok, start, end, offset)
        if kind in ("ws", "lc", "bc"):
            continue
        frame = stack[-1] if stack else None
        if kind == "punct":
            if tok in "{[":
                path = frame.child() if frame else ()
                if frame and frame.kind == "object" and frame.state != "value":
                    path = frame.path + ("",)
                stack.append(_Frame("object" if tok == "{" else "array", path))
            elif tok in "}]":
                want = "object" if tok == "}" else "array"
                while stack and stack[-1].kind != want:
                    stack.pop()
                if stack:
                    stack.pop()
                    _value_done(stack)
                if not stack:
                    root_done = True
            elif tok == ":":
                if frame and frame.kind == "object":
                    frame.state = "value"
            elif tok == ",":
                if frame:
                    if frame.kind == "array" and frame.state == "value":
                        frame.index += 1  # `[1,,` counts the missing item
                    frame.state = "key" if frame.kind == "object" else "value"
            continue
        # a scalar token that ends before the cursor
        if frame is None:
            root_done = True
            continue
        if frame.kind == "object" and frame.state in ("key", "comma") and kind != "num":
            frame.key = decode_string(tok) if kind in ("str", "sq") else tok
            frame.state = "colon"
        elif frame.kind == "object" and frame.state == "colon":
            frame.state = "value"
            _value_done(stack)
        else:
            _value_done(stack)
    return _between(doc, stack, offset, root_done)


def _open_ended(kind: str | None, tok: str) -> bool:
    """Whether a cursor right after this token is still inside it (still being typed)."""
    if kind in ("num", "word", "lc"):
        return True
    if kind in ("str", "sq"):
        return len(tok) < 2 or tok[-1] != tok[0] or tok.endswith("\\" + tok[0]) and (
            len(tok) - len(tok[:-1].rstrip("\\")) - 1) % 2 == 1
    if kind == "bc":
        return not (len(tok) >= 4 and tok.endswith("*/"))
    return False


def _at_token(doc: JsonDocument, stack: list[_Frame], kind: str, tok: str, start: int, end: int,
              offset: int) -> Location:
    frame = stack[-1] if stack else None
    quoted = kind in ("str", "sq")
    prefix = tok[1 : offset - start] if quoted else tok[: offset - start]
    full = decode_string(tok) if quoted else tok
    span = Span(start, end)
    if frame is None:
        return Location((), False, prefix, (), doc.node_at_path(()), kind == "str", span)
    is_key = frame.kind == "object" and frame.state in ("key", "comma") and kind != "num"
    if is_key:
        path = frame.path + (full,)
        return Location(path, True, prefix, frame.path, doc.node_at_path(path), kind == "str",
                        span)
    path = frame.child()
    return Location(path, False, prefix, frame.path, doc.node_at_path(path), kind == "str", span)


def _between(doc: JsonDocument, stack: list[_Frame], offset: int, root_done: bool) -> Location:
    here = Span(offset, offset)
    if not stack:
        return Location((), False, "", (), doc.node_at_path(()), False, here,
                        after_value=root_done)
    frame = stack[-1]
    if frame.kind == "object":
        if frame.state == "key":
            return Location(frame.path, True, "", frame.path, doc.node_at_path(frame.path),
                            False, here)
        if frame.state in ("value", "colon"):
            path = frame.child()
            return Location(path, False, "", frame.path, doc.node_at_path(path), False, here)
        return Location(frame.path, False, "", frame.path, doc.node_at_path(frame.path), False,
                        here, after_value=True)
    if frame.state == "value":
        path = frame.child()
        return Location(path, False, "", frame.path, doc.node_at_path(path), False, here)
    return Location(frame.path, False, "", frame.path, doc.node_at_path(frame.path), False, here,
                    after_value=True)


_SMALL = 4096
"""Below this many characters the plain scan is already cheap."""


def _ts_path(doc: JsonDocument, node) -> JsonPath | None:  # noqa: ANN001 - tree_sitter.Node
    """The JSON path of a tree-sitter value node, walking up its ancestors."""
    parts: list[str | int] = []
    text = doc.text
    to_cp = doc.byte_map.to_cp
    while True:
        parent = node.parent
        if parent is None:
            return None
        if parent.type == "document":
            break
        if parent.type == "pair":
            key = parent.child_by_field_name("key")
            if key is None:
                return None
            raw = text[to_cp(key.start_byte) : to_cp(key.end_byte)]
            parts.append(raw[1:-1] if "\\" not in raw else decode_string(raw))
            node = parent.parent
            if node is None or node.type != "object":
                return None
            continue
        if parent.type == "array":
            index = 0
            for item in parent.named_children:
                if item.type == "comment":
                    continue
                if item.id == node.id:
                    break
                index += 1
            parts.append(index)
            node = parent
            continue
        return None
    return tuple(reversed(parts))


def locate(doc: JsonDocument, offset: int) -> Location:
    """Describe the cursor position ``offset`` in ``doc`` (:func:`scan`'s answer, but faster).

    The time follows the size of the enclosing container, not of the text before the cursor.

    Parameters
    ----------
    doc
        The parsed document.
    offset
        Code-point offset of the cursor.

    Returns
    -------
    Location
        Where the cursor is.
    """
    if len(doc.text) < _SMALL or not doc.tree_ok:
        return scan(doc, offset)
    byte = doc.byte_map.to_byte(offset)
    node = doc.tree.root_node.descendant_for_byte_range(byte, byte)
    to_cp = doc.byte_map.to_cp
    while node is not None and not (
        node.type in ("object", "array") and to_cp(node.start_byte) < offset < to_cp(node.end_byte)
    ):
        node = node.parent
    if node is None:
        return scan(doc, offset)
    base = _ts_path(doc, node)
    if base is None:
        return scan(doc, offset)
    start, end = to_cp(node.start_byte), to_cp(node.end_byte)
    from qwen_ls.jsonc.document import parse

    loc = scan(parse(doc.text[start:end]), offset - start)
    path = base + tuple(loc.path)
    span = loc.replace_span
    return dataclasses.replace(
        loc,
        path=path,
        container_path=base + tuple(loc.container_path),
        node=doc.node_at_path(path) if loc.node is not None else None,
        replace_span=Span(span.start + start, span.end + start) if span is not None else None,
    )
