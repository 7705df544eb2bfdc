"""Tolerant JSONC parser: a tree, a best-effort value and precise syntax issues for any text.

Used when tree-sitter reports an error (or ``json.loads`` rejects what tree-sitter accepted), and
to place duplicate keys. It is iterative (an explicit stack, so 10,000 levels of nesting are fine)
and recovers the way jsonc-parser does: a missing comma or colon is reported and assumed, a
value that cannot be read is reported and skipped, an unexpected closing bracket closes the
enclosing container that it matches.

Messages follow JSON.parse and jsonc-parser ("Expected ',' or '}' after property value", ...).
Each issue's span covers the offending token, or is empty at the end of the text for an
unexpected end of file.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qwen_ls.jsonc.node import Node
from qwen_ls.jsonc.scanner import STRICT_NUMBER, STRICT_STRING, TOKEN, decode_string
from qwen_ls.jsonc.types import JsonPath, Span, SyntaxIssue

if TYPE_CHECKING:
    from qwen_ls.jsonc.document import JsonDocument

logger = logging.getLogger(__name__)

SYNTAX = "syntax"
TRAILING_COMMA = "trailing-comma"
DUPLICATE_KEY = "duplicate-key"

MSG_EXPECTED_COMMA_OBJECT = "Expected ',' or '}' after property value"
MSG_EXPECTED_COMMA_ARRAY = "Expected ',' or ']' after array element"
MSG_EXPECTED_KEY = "Expected a property name in double quotes"
MSG_EXPECTED_COLON = "Expected ':' after property name"
MSG_UNTERMINATED_STRING = "Unterminated string"
MSG_UNTERMINATED_COMMENT = "Unterminated comment"
MSG_MISSING_VALUE = "Missing value"
MSG_EOF_OBJECT = "Unexpected end of file; '}' expected"
MSG_EOF_ARRAY = "Unexpected end of file; ']' expected"
MSG_EMPTY = "Empty file; expected a JSON object such as {}"
MSG_TRAILING_COMMA = "Trailing comma"
MSG_SINGLE_QUOTES = "Single quotes are not allowed"
MSG_UNQUOTED_KEY = "Unquoted property name"
MSG_END_EXPECTED = "Unexpected text after the end of the JSON value"
MSG_BAD_CONTROL = "Bad control character in string literal"
MSG_BAD_ESCAPE = "Bad escape sequence in string literal"

_SKIP: Any = object()  # a value that could not be read
_TRIVIA = frozenset({"ws", "lc", "bc"})
_WORDS = {"true": True, "false": False, "null": None}


@dataclass(slots=True)
class TolerantResult:
    """What the tolerant parser found."""

    root: Node | None
    value: Any
    issues: list[SyntaxIssue] = field(default_factory=list)


MAX_DEPTH = 512
"""Containers nested deeper than this are parsed (issues, value) but get no :class:`Node`."""


@dataclass(slots=True)
class _Frame:
    kind: str  # "object" | "array"
    start: int
    path: JsonPath
    key_span: Span | None  # of the member holding this container
    value: Any
    kids: list[Node]
    state: str
    attach: bool = True
    skipped: bool = False  # a well-placed value with no node (too deep): only its value counts
    key: str | None = None
    key_tok: Span | None = None
    comma: Span | None = None
    seen: dict[str, Span] = field(default_factory=dict)
    last_end: int = 0


def parse_tolerant(text: str, doc: JsonDocument | None = None) -> TolerantResult:
    """Parse any text as JSONC, never raising.

    Parameters
    ----------
    text : str
        The document text.
    doc : JsonDocument | None
        The document the nodes belong to (None when only the value is wanted).

    Returns
    -------
    TolerantResult
        Root node (None for an empty document), value (None for an empty document) and issues.
    """
    return _Parser(text, doc).run()


class _Parser:
    def __init__(self, text: str, doc: JsonDocument | None) -> None:
        self.text = text
        self.doc = doc
        self.issues: list[SyntaxIssue] = []
        self.stack: list[_Frame] = []
        self.root: Node | None = None
        self.root_value: Any = None
        self.done = False
        self.last_end = 0

    def issue(self, message: str, start: int, end: int, code: str = SYNTAX) -> None:
        self.issues.append(SyntaxIssue(code, message, Span(start, end)))

    # -- entry -------------------------------------------------------------------------------
    def run(self) -> TolerantResult:
        text = self.text
        pos = 1 if text.startswith("\ufeff") else 0
        for m in TOKEN.finditer(text, pos):
            kind = m.lastgroup
            if kind in _TRIVIA:
                if kind == "bc" and not m.group().endswith("*/") or m.group() == "/*/":
                    self.issue(MSG_UNTERMINATED_COMMENT, m.start(), m.end())
                continue
            if self.done:
                self.issue(MSG_END_EXPECTED, m.start(), m.end())
                break
            self.token(kind or "other", m.start(), m.end(), m.group())
            self.last_end = m.end()
        self.finish()
        return TolerantResult(self.root, self.root_value if self.root else None, self.issues)

    def finish(self) -> None:
        n = len(self.text)
        if self.stack:
            top = self.stack[-1]
            self.issue(MSG_EOF_OBJECT if top.kind == "object" else MSG_EOF_ARRAY, n, n)
            while self.stack:
                frame = self.stack[-1]
                if frame.kind == "object" and frame.state == "value" and frame.key is not None:
                    self.attach_missing(frame, n)
                self.close(self.last_end)
        elif self.root is None and not self.issues:
            self.issue(MSG_EMPTY, 0, 0)

    # -- token dispatch ----------------------------------------------------------------------
    def token(self, kind: str, start: int, end: int, tok: str) -> None:
        # A loop instead of recursion: a handler may ask for the same token to be looked at again
        # in a new state (after assuming a missing comma or colon).
        while True:
            frame = self.stack[-1] if self.stack else None
            state = frame.state if frame else "value"
            if frame is None:
                again = self.at_value(None, kind, start, end, tok)
            elif state in ("value", "value_or_close"):
                again = self.at_value(frame, kind, start, end, tok)
            elif state in ("key", "key_or_close"):
                again = self.at_key(frame, kind, start, end, tok)
            elif state == "colon":
                again = self.at_colon(frame, kind, start, end, tok)
            else:
                again = self.at_comma(frame, kind, start, end, tok)
            if not again:
                return

    def at_value(self, frame: _Frame | None, kind: str, start: int, end: int, tok: str) -> bool:
        if kind == "punct":
            if tok in "{[":
                self.open(frame, "object" if tok == "{" else "array", start)
                return False
            if frame is None:
                self.issue(f"Unexpected '{tok}'; expected a JSON value", start, end)
                return False
            if frame.kind == "object":
                if tok in ",}":
                    self.issue(MSG_MISSING_VALUE, start, end)
                    self.attach_missing(frame, start)
                    return True
                return self.mismatch(frame, tok, start, end, MSG_MISSING_VALUE)
            # array
            if tok == "]":
                if frame.state == "value" and frame.comma is not None:
                    self.issue(MSG_TRAILING_COMMA, frame.comma.start, frame.comma.end,
                               TRAILING_COMMA)
                self.close(end)
                return False
            if tok == ",":
                self.issue(MSG_MISSING_VALUE, start, end)
                frame.comma = Span(start, end)
                frame.state = "value"
                return False
            if tok == "}":
                return self.mismatch(frame, tok, start, end, MSG_MISSING_VALUE)
            self.issue(f"Unexpected '{tok}'; expected a JSON value", start, end)
            return False
        node_kind, value = self.scalar(kind, start, end, tok)
        if node_kind is None:
            return False
        self.attach(frame, node_kind, start, end, value)
        return False

    def at_key(self, frame: _Frame, kind: str, start: int, end: int, tok: str) -> bool:
        if kind == "str" or kind == "sq" or kind == "word":
            if kind == "str":
                key = self.string_value(tok, start, end)
            elif kind == "sq":
                self.issue(MSG_SINGLE_QUOTES, start, end)
                key = decode_string(tok)
            else:
                self.issue(MSG_UNQUOTED_KEY, start, end)
                key = tok
            span = Span(start, end)
            if key in frame.seen:
                # Mark every occurrence (as VS Code's JSON service does): the earlier one is the
                # value JSON.parse silently drops, so it matters most.
                first = frame.seen[key]
                if first is not None:
                    self.issue(f"Duplicate key '{key}' (a later one replaces this value)",
                               first.start, first.end, DUPLICATE_KEY)
                self.issue(f"Duplicate key '{key}'", start, end, DUPLICATE_KEY)
                span = None  # the earlier ones are marked once
            frame.seen[key] = span
            frame.key, frame.key_tok = key, Span(start, end)
            frame.state = "colon"
            return False
        if tok == "}":
            if frame.state == "key" and frame.comma is not None:
                self.issue(MSG_TRAILING_COMMA, frame.comma.start, frame.comma.end, TRAILING_COMMA)
            self.close(end)
            return False
        if tok == "]":
            return self.mismatch(frame, tok, start, end, MSG_EXPECTED_KEY)
        self.issue(MSG_EXPECTED_KEY, start, end)
        if tok in ("{", "["):
            # A value where a key belongs: read it (to keep brackets balanced) and drop it.
            self.open(frame, "object" if tok == "{" else "array", start, attach=False)
        return False

    def at_colon(self, frame: _Frame, kind: str, start: int, end: int, tok: str) -> bool:
        if tok == ":" and kind == "punct":
            frame.state = "value"
            return False
        self.issue(MSG_EXPECTED_COLON, start, end)
        if kind == "punct" and tok in ",}]":
            self.attach_missing(frame, start)
            return True
        frame.state = "value"
        return True

    def at_comma(self, frame: _Frame, kind: str, start: int, end: int, tok: str) -> bool:
        close = "}" if frame.kind == "object" else "]"
        message = MSG_EXPECTED_COMMA_OBJECT if frame.kind == "object" else MSG_EXPECTED_COMMA_ARRAY
        if kind == "punct":
            if tok == ",":
                frame.comma = Span(start, end)
                frame.state = "key" if frame.kind == "object" else "value"
                return False
            if tok == close:
                self.close(end)
                return False
            if tok in "}]":
                return self.mismatch(frame, tok, start, end, message)
            if tok in "{[" and frame.kind == "array":
                self.issue(message, start, end)
                frame.comma = None
                frame.state = "value"
                return True
            self.issue(message, start, end)
            return False
        self.issue(message, start, end)
        if frame.kind == "object" and kind in ("str", "sq", "word"):
            frame.comma = None
            frame.state = "key"
            return True
        if frame.kind == "array" and kind in ("str", "sq", "word", "num"):
            frame.comma = None
            frame.state = "value"
            return True
        return False

    def mismatch(self, frame: _Frame, tok: str, start: int, end: int, message: str) -> bool:
        """Handle a closing bracket that does not match the innermost container."""
        want = "object" if tok == "}" else "array"
        if any(f.kind == want for f in self.stack):
            # Close the inner containers: the bracket belongs to an outer one.
            self.issue(MSG_EXPECTED_COMMA_OBJECT if frame.kind == "object"
                       else MSG_EXPECTED_COMMA_ARRAY, start, end)
            while self.stack and self.stack[-1].kind != want:
                inner = self.stack[-1]
                if inner.kind == "object" and inner.state == "value" and inner.key is not None:
                    self.attach_missing(inner, start)
                self.close(self.last_end)
            return True
        self.issue(message, start, end)
        return False

    # -- values ------------------------------------------------------------------------------
    def scalar(self, kind: str, start: int, end: int, tok: str) -> tuple[str | None, Any]:
        if kind == "str":
            return "string", self.string_value(tok, start, end)
        if kind == "sq":
            self.issue(MSG_SINGLE_QUOTES, start, end)
            return "string", decode_string(tok)
        if kind == "num":
            if STRICT_NUMBER.fullmatch(tok):
                if "." in tok or "e" in tok or "E" in tok:
                    return "number", float(tok)
                return "number", int(tok)
            self.issue(f"Invalid number '{tok}'", start, end)
            return "error", _SKIP
        if kind == "word":
            if tok in _WORDS:
                return tok, _WORDS[tok]
            self.issue(f"Unexpected '{tok}'; expected a JSON value (strings need double quotes)",
                       start, end)
            return "error", _SKIP
        if tok == ":":
            self.issue(f"Unexpected '{tok}'; expected a JSON value", start, end)
            return None, None
        self.issue(f"Unexpected character {tok!r}", start, end)
        return None, None

    def string_value(self, tok: str, start: int, end: int) -> str:
        if STRICT_STRING.fullmatch(tok):
            return tok[1:-1] if "\\" not in tok else json.loads(tok)
        if len(tok) < 2 or not tok.endswith('"') or tok.endswith('\\"') and _odd_escape(tok):
            self.issue(MSG_UNTERMINATED_STRING, start, end)
        elif any(ord(c) < 0x20 for c in tok):
            self.issue(MSG_BAD_CONTROL, start, end)
        else:
            self.issue(MSG_BAD_ESCAPE, start, end)
        return decode_string(tok)

    # -- tree building -----------------------------------------------------------------------
    def child_path(self, frame: _Frame | None) -> JsonPath:
        if frame is None:
            return ()
        if frame.kind == "object":
            return frame.path + (frame.key if frame.key is not None else "",)
        return frame.path + (len(frame.kids),)

    def open(self, frame: _Frame | None, kind: str, start: int, attach: bool = True) -> None:
        skipped = False
        if frame is not None and frame.kind == "object" and frame.state != "value":
            attach = False
        elif frame is not None and (not frame.attach or len(self.stack) >= MAX_DEPTH):
            # Nothing under a detached container gets a node either, and containers deeper
            # than MAX_DEPTH get none: they are still parsed, checked and part of the value,
            # but every node holds its full path, so a 10,000-level document cost O(depth²)
            # (~1 GB and a second per version, found by tests/fuzz). No settings key is anywhere
            # near that deep.
            attach, skipped = False, True
        key_span = frame.key_tok if frame is not None and frame.kind == "object" and attach \
            else None
        self.stack.append(_Frame(
            kind=kind, start=start, path=self.child_path(frame) if attach else (),
            key_span=key_span, value={} if kind == "object" else [], kids=[],
            state="key_or_close" if kind == "object" else "value_or_close", attach=attach,
            skipped=skipped,
        ))

    def close(self, end: int) -> None:
        frame = self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        if not frame.attach:
            if frame.skipped and parent is not None:
                self.link(parent, None, frame.value)  # the value counts; no node for it
            return
        node = Node(self.doc, frame.kind, Span(frame.start, end), frame.path,  # type: ignore[arg-type]
                    key_span=frame.key_span,
                    member_span=Span(frame.key_span.start, end) if frame.key_span else None,
                    kids=frame.kids, value=frame.value)
        self.link(parent, node, frame.value)

    def attach(self, frame: _Frame | None, kind: str, start: int, end: int, value: Any) -> None:
        key_span = frame.key_tok if frame is not None and frame.kind == "object" else None
        node = Node(self.doc, kind, Span(start, end), self.child_path(frame),  # type: ignore[arg-type]
                    key_span=key_span,
                    member_span=Span(key_span.start, end) if key_span else None,
                    kids=[] if kind in ("object", "array") else None,
                    value=None if value is _SKIP else value)
        self.link(frame, node, value)

    def attach_missing(self, frame: _Frame, at: int) -> None:
        """Record a member whose value is missing (``{"a": }``) as an empty error node."""
        self.attach(frame, "error", at, at, _SKIP)

    def link(self, frame: _Frame | None, node: Node | None, value: Any) -> None:
        if frame is None:
            if self.root is None:
                self.root = node
                self.root_value = None if value is _SKIP else value
            self.done = True
            return
        if node is not None:
            frame.kids.append(node)
        if frame.kind == "object":
            if value is not _SKIP and frame.key is not None:
                frame.value[frame.key] = value
            frame.key = None
            frame.key_tok = None
        elif value is not _SKIP:
            frame.value.append(value)
        frame.comma = None
        frame.state = "comma"


def _odd_escape(tok: str) -> bool:
    n = 0
    i = len(tok) - 2
    while i >= 0 and tok[i] == "\\":
        n += 1
        i -= 1
    return n % 2 == 1
