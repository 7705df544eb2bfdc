"""Nodes of a parsed JSONC document, with lazy children.

A :class:`Node` is backed either by a tree-sitter node (valid documents: nothing is materialised
in Python until a caller descends, so cost follows the paths asked for) or by a node the tolerant
parser built (broken documents: children and values already known). Both look the same to callers.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from qwen_ls.jsonc.scanner import decode_string, strip_comments
from qwen_ls.jsonc.types import JsonPath, Span

if TYPE_CHECKING:
    import tree_sitter

    from qwen_ls.jsonc.document import JsonDocument

logger = logging.getLogger(__name__)

KINDS = ("object", "array", "string", "number", "true", "false", "null", "error")

_UNSET: Any = object()
_SKIP_TYPES = frozenset({"comment"})


class Node:
    """One JSON value in a document, with where it sits.

    Attributes
    ----------
    kind : str
        ``"object"``, ``"array"``, ``"string"``, ``"number"``, ``"true"``, ``"false"``, ``"null"``
        or ``"error"`` (a value the tolerant parser could not read).
    span : Span
        The value's text.
    key_span : Span | None
        The member's key string, quotes included, when the parent is an object.
    member_span : Span | None
        From the key's start to the value's end, when the parent is an object (else the value).
    path : JsonPath
        Path from the document root.
    """

    __slots__ = ("_doc", "kind", "span", "key_span", "member_span", "path", "_ts", "_kids",
                 "_value", "_members")

    def __init__(
        self,
        doc: JsonDocument,
        kind: str,
        span: Span,
        path: JsonPath,
        key_span: Span | None = None,
        member_span: Span | None = None,
        ts: tree_sitter.Node | None = None,
        kids: list[Node] | None = None,
        value: Any = _UNSET,
    ) -> None:
        self._doc = doc
        self.kind = kind
        self.span = span
        self.path = path
        self.key_span = key_span
        self.member_span = member_span if member_span is not None else span
        self._ts = ts
        self._kids = kids
        self._value = value
        self._members: dict[str, Node | None] | None = None
        """Members looked up by :meth:`get` before :meth:`children` built them all."""

    def __repr__(self) -> str:
        return f"Node({self.kind}, path={self.path!r}, span=({self.span.start}, {self.span.end}))"

    @property
    def key(self) -> str | int | None:
        """The last path element (member name or item index); None for the root."""
        return self.path[-1] if self.path else None

    @property
    def text(self) -> str:
        """The value's source text."""
        return self._doc.text[self.span.start : self.span.end]

    @property
    def value(self) -> Any:
        """The Python value of this node (computed on first access, then cached)."""
        if self._value is _UNSET:
            self._value = self._compute_value()
        return self._value

    def _compute_value(self) -> Any:
        if not self.path:
            return self._doc.value
        text = self.text
        if self.kind == "string" and "\\" not in text:
            return text[1:-1]
        try:
            return json.loads(strip_comments(text))
        except (ValueError, RecursionError):
            # Deep nesting or a construct json rejects: read it with the tolerant parser.
            from qwen_ls.jsonc.tolerant import parse_tolerant

            return parse_tolerant(text).value

    def children(self) -> list[Node]:
        """Members (object) or items (array), in document order; [] for scalars."""
        if self._kids is None:
            self._kids = self._ts_children() if self._ts is not None else []
        return self._kids

    def get(self, key: str | int) -> Node | None:
        """Return the member named ``key`` (object) or the item at index ``key`` (array).

        Parameters
        ----------
        key : str | int
            Member name, or array index (negative indices count from the end).

        Returns
        -------
        Node | None
            The child, or None. For duplicate keys the last member wins, as in JSON.parse.
        """
        if self.kind == "object" and isinstance(key, str):
            if self._kids is None and self._ts is not None:
                members = self._members
                if members is None:
                    members = self._members = {}
                if key not in members:
                    members[key] = self._ts_member(key)
                return members[key]
            found = None
            for child in self.children():
                if child.path[-1] == key:
                    found = child
            return found
        if self.kind == "array" and isinstance(key, int) and not isinstance(key, bool):
            kids = self.children()
            if -len(kids) <= key < len(kids):
                return kids[key]
        return None

    def keys(self) -> list[str]:
        """Member names of an object in document order (duplicates kept); [] otherwise."""
        if self.kind != "object":
            return []
        return [str(child.path[-1]) for child in self.children()]

    def _ts_member(self, key: str) -> Node | None:
        """The member ``key`` of a tree-backed object, building only that one node.

        Analysis asks for one key of thousands of objects (each provider model's ``envKey``):
        comparing key texts is several times cheaper than building every member's node.
        """
        ts = self._ts
        assert ts is not None
        doc = self._doc
        text = doc.text
        byte_map = doc.byte_map
        to_cp = None if byte_map.identity else byte_map.to_cp
        quoted = f'"{key}"'
        found = None
        for pair in ts.named_children:
            if pair.type != "pair":
                continue
            key_ts = pair.child_by_field_name("key")
            if key_ts is None:
                continue
            ks, ke = key_ts.start_byte, key_ts.end_byte
            if to_cp is not None:
                ks, ke = to_cp(ks), to_cp(ke)
            raw = text[ks:ke]
            if (raw == quoted or ("\\" in raw and decode_string(raw) == key)) and (
                pair.child_by_field_name("value") is not None
            ):
                found = pair
        if found is None:
            return None
        return self._pair_node(found)

    def _pair_node(self, pair: tree_sitter.Node) -> Node | None:
        """The node of one ``pair`` of a tree-backed object (None for a half-built pair)."""
        key_ts = pair.child_by_field_name("key")
        val_ts = pair.child_by_field_name("value")
        if key_ts is None or val_ts is None:
            return None
        doc = self._doc
        to_cp = doc.byte_map.to_cp
        ks, ke = to_cp(key_ts.start_byte), to_cp(key_ts.end_byte)
        raw = doc.text[ks:ke]
        key = raw[1:-1] if "\\" not in raw else decode_string(raw)
        vs, ve = to_cp(val_ts.start_byte), to_cp(val_ts.end_byte)
        return Node(doc, _kind(val_ts), Span(vs, ve), self.path + (key,),
                    key_span=Span(ks, ke), member_span=Span(ks, ve), ts=val_ts)

    def _ts_children(self) -> list[Node]:
        ts = self._ts
        assert ts is not None
        doc = self._doc
        to_cp = doc.byte_map.to_cp
        kids: list[Node] = []
        if self.kind == "object":
            known = self._members or {}
            for pair in ts.named_children:
                if pair.type == "pair":
                    node = self._pair_node(pair)
                    if node is not None:
                        seen = known.get(node.path[-1])  # the same object get() returned
                        kids.append(seen if seen is not None and seen.span == node.span
                                    else node)
        elif self.kind == "array":
            for item in ts.named_children:
                if item.type in _SKIP_TYPES:
                    continue
                vs, ve = to_cp(item.start_byte), to_cp(item.end_byte)
                kids.append(Node(doc, _kind(item), Span(vs, ve), self.path + (len(kids),),
                                 ts=item))
        return kids


def _kind(ts: tree_sitter.Node) -> str:
    t = ts.type
    return t if t in KINDS else "error"


def ts_root(doc: JsonDocument, document_node: tree_sitter.Node) -> Node | None:
    """Wrap the value under a tree-sitter ``document`` node (None when there is none)."""
    for child in document_node.named_children:
        if child.type not in _SKIP_TYPES:
            to_cp = doc.byte_map.to_cp
            return Node(doc, _kind(child), Span(to_cp(child.start_byte), to_cp(child.end_byte)),
                        (), ts=child)
    return None
