"""Parse JSONC text into a :class:`JsonDocument` (tree, value, syntax issues, line index).

The fast path costs C-speed work only: tree-sitter parses the text (incrementally when the
previous document and the edit are given), and when the tree has no error the value is
``json.loads`` of the comment-free text, exactly what the Qwen Code CLI's reader computes
(strip BOM, strip comments, JSON.parse). Python-level work happens lazily, along the paths a
caller asks for. Only when the text is broken does the tolerant parser
(:mod:`qwen_ls.jsonc.tolerant`) walk the whole text, to give a best-effort tree, value and
precise issues.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from functools import cached_property
from typing import Any

import tree_sitter
import tree_sitter_json

from qwen_ls.jsonc.lines import LineIndex
from qwen_ls.jsonc.node import Node, ts_root
from qwen_ls.jsonc.offsets import ByteMap, encode
from qwen_ls.jsonc.tolerant import DUPLICATE_KEY, TolerantResult, parse_tolerant
from qwen_ls.jsonc.types import JsonPath, SyntaxIssue, TextEdit

logger = logging.getLogger(__name__)

_LANGUAGE = tree_sitter.Language(tree_sitter_json.language())

_COMMENT_START = re.compile(r"/[/*]")
_LINE_END = re.compile(r"[\r\n]")
_ESCAPE = re.compile(r"\\.", re.DOTALL)

BLOCKING_CODES = frozenset({"syntax", "trailing-comma"})
"""Issue codes that make the Qwen Code CLI's reader reject the file."""


def _reject_constant(name: str) -> Any:
    # json.loads accepts NaN/Infinity; JSON.parse does not.
    raise ValueError(f"{name} is not valid JSON")


class _DuplicateSeen:
    """``object_pairs_hook`` that builds dicts like json.loads and notes duplicate keys."""

    __slots__ = ("found",)

    def __init__(self) -> None:
        self.found = False

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        d = dict(pairs)
        if len(d) != len(pairs):
            self.found = True
        return d


class JsonDocument:
    """A parsed JSONC document. Build it with :func:`parse`.

    Attributes
    ----------
    text : str
        The document text.
    tree : tree_sitter.Tree
        The tree-sitter tree (kept for incremental re-parsing).
    """

    def __init__(self, text: str, tree: tree_sitter.Tree | None = None,
                 byte_map: ByteMap | None = None, *, old_tree: tree_sitter.Tree | None = None
                 ) -> None:
        self.text = text
        if tree is not None:
            self.__dict__["tree"] = tree
        self._old_tree = old_tree
        self._lines_hint: tuple[LineIndex, TextEdit] | None = None
        if byte_map is not None:
            self.__dict__["byte_map"] = byte_map
        self._fast_ok: bool | None = None
        self._fast_value: Any = None
        self._duplicates = False
        self._paths: dict[JsonPath, Node | None] = {}

    @cached_property
    def tree(self) -> tree_sitter.Tree:
        """The tree-sitter tree, parsed on first use (incrementally when an old tree was given).

        A valid document whose analysis needs no positions never pays for it: ``value`` and
        ``cli_readable`` come from ``json.loads`` alone.
        """
        data = encode(self.text)
        try:
            parser = _parser()
            old, self._old_tree = self._old_tree, None
            return parser.parse(data, old) if old is not None else parser.parse(data)
        except Exception:
            logger.warning("tree-sitter failed; parsing from scratch", exc_info=True)
            return tree_sitter.Parser(_LANGUAGE).parse(data)

    def __repr__(self) -> str:
        return f"JsonDocument(len={len(self.text)}, cli_readable={self.cli_readable})"

    @cached_property
    def byte_map(self) -> ByteMap:
        """UTF-8 byte <-> code-point offsets of ``text`` (built on first use)."""
        return ByteMap(self.text)

    # -- fast path ---------------------------------------------------------------------------
    @property
    def tree_ready(self) -> bool:
        """True when positions are cheap: the tree is built, or an incremental re-parse is ready."""
        return "tree" in self.__dict__ or self._old_tree is not None

    @property
    def tree_ok(self) -> bool:
        """True when tree-sitter found no error (the lazy tree-sitter-backed nodes are used)."""
        return not self.tree.root_node.has_error

    def _fast(self) -> bool:
        """Try ``json.loads`` of the comment-free text; True when it succeeded."""
        if self._fast_ok is None:
            self._fast_ok = False
            if self.text.strip(" \t\r\n\ufeff"):
                hook = _DuplicateSeen()
                try:
                    self._fast_value = json.loads(self._comment_free(), object_pairs_hook=hook,
                                                  parse_constant=_reject_constant)
                    self._fast_ok = True
                    self._duplicates = hook.found
                except (ValueError, RecursionError) as exc:
                    logger.debug("fast path declined (%s); using the tolerant parser",
                                 type(exc).__name__)
        return self._fast_ok

    def _comment_free(self) -> str:
        """Return the text without BOM and comments (each comment becomes one space).

        Needs no tree: candidates ``//`` and ``/*`` are found with a C-speed regex, and a
        candidate is a comment when it is outside a string. JSON strings cannot span lines, so
        the string state is the parity of unescaped quotes since the last line break (or the
        end of the previous comment), scanned once over the text in C-speed pieces. On broken
        text a wrong guess only makes ``json.loads`` fail, and the tolerant parser takes over.
        """
        text = self.text
        start = 1 if text.startswith("\ufeff") else 0
        if "/" not in text:
            return text[start:]
        pieces: list[str] = []
        pos = start  # end of the text already copied
        scan = start  # where quote counting resumes
        inside = False  # inside a string at ``scan``
        for m in _COMMENT_START.finditer(text, start):
            at = m.start()
            if at < pos:
                continue
            segment = text[scan:at]
            newline = max(segment.rfind("\n"), segment.rfind("\r"))
            if newline >= 0:
                segment = segment[newline + 1:]
                inside = False
            if "\\" in segment:
                segment = _ESCAPE.sub("", segment)
            if segment.count('"') % 2:
                inside = not inside
            scan = at
            if inside:
                continue
            if m.group(0) == "//":
                end = _LINE_END.search(text, at)
                stop = end.start() if end else len(text)
            else:
                close = text.find("*/", at + 2)
                stop = len(text) if close < 0 else close + 2
            pieces.append(text[pos:at])
            pieces.append(" ")
            pos = scan = stop
        if not pieces:
            return text[start:]
        pieces.append(text[pos:])
        return "".join(pieces)

    @cached_property
    def _tolerant(self) -> TolerantResult:
        return parse_tolerant(self.text, self)

    # -- public API --------------------------------------------------------------------------
    @cached_property
    def value(self) -> Any:
        """Best-effort Python value of the document (None for an empty document).

        For valid JSONC this is exactly ``json.loads`` of the comment-free text.
        """
        if self._fast():
            return self._fast_value
        return self._tolerant.value

    @cached_property
    def syntax_issues(self) -> list[SyntaxIssue]:
        """Syntax problems: codes ``syntax``, ``trailing-comma`` and ``duplicate-key``."""
        if self._fast():
            if not self._duplicates:
                return []
            return [i for i in self._tolerant.issues if i.code == DUPLICATE_KEY]
        return list(self._tolerant.issues)

    @cached_property
    def cli_readable(self) -> bool:
        """True when the Qwen Code CLI's reader accepts the text (comments and BOM are fine)."""
        if self._fast():
            return True
        return not any(i.code in BLOCKING_CODES for i in self.syntax_issues)

    @cached_property
    def lines(self) -> LineIndex:
        r"""Line index over ``text`` (\n, \r\n and \r only), built on first use.

        After a keystroke it is derived from the previous version's index (later lines shift)
        instead of re-scanning a large text.
        """
        hint, self._lines_hint = self._lines_hint, None
        if hint is not None:
            old, edit = hint
            derived = LineIndex.after_edit(old, self.text, edit.start, edit.end, edit.new_text)
            if derived is not None:
                return derived
        return LineIndex(self.text)

    @cached_property
    def root(self) -> Node | None:
        """The root value node (None for an empty document)."""
        if self.tree_ok:
            return ts_root(self, self.tree.root_node)
        return self._tolerant.root

    def node_at_path(self, path: JsonPath) -> Node | None:
        """Return the node at ``path`` (None when absent); results are cached.

        Parameters
        ----------
        path : JsonPath
            Keys and indices from the root, e.g. ``("modelProviders", "openai", 0)``.

        Returns
        -------
        Node | None
            The node; for duplicate keys the last one (JSON.parse keeps the last).
        """
        path = tuple(path)
        if path in self._paths:
            return self._paths[path]
        node = self.root
        for i, key in enumerate(path):
            if node is None:
                break
            cached = self._paths.get(path[: i + 1], False)
            node = node.get(key) if cached is False else cached
        self._paths[path] = node
        return node

    def locate(self, offset: int):  # noqa: ANN201 - Location is imported lazily
        """Describe what is at ``offset`` for completion and hover.

        Parameters
        ----------
        offset : int
            Code-point offset (clamped to the text).

        Returns
        -------
        Location
            See :class:`qwen_ls.jsonc.locate.Location`.
        """
        from qwen_ls.jsonc.locate import locate

        return locate(self, offset)


_local = threading.local()


def _parser() -> tree_sitter.Parser:
    # tree-sitter parsers are not thread-safe; pygls may run handlers in a thread pool.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = tree_sitter.Parser(_LANGUAGE)
    return parser


def _point(text: str, offset: int, byte_map: ByteMap) -> tuple[int, int]:
    """(row, byte column) of a code-point offset, for ``Tree.edit``."""
    row = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return row, byte_map.to_byte(offset) - byte_map.to_byte(line_start)


def parse(text: str, previous: JsonDocument | None = None,
          edit: TextEdit | None = None) -> JsonDocument:
    """Parse JSONC text; never raises.

    Parameters
    ----------
    text : str
        The whole new text (any ``str``: lone surrogates and NUL characters are fine).
    previous : JsonDocument | None
        The document before ``edit``, to re-parse incrementally.
    edit : TextEdit | None
        The single change that turned ``previous.text`` into ``text`` (offsets into the old text).

    Returns
    -------
    JsonDocument
        The parsed document; its value, issues and nodes are computed on first access.
    """
    if not isinstance(text, str):
        text = str(text)
    byte_map = None
    old_tree = None
    # An edit means an editing session: keep a tree from now on (built once for the previous
    # version if it never needed one), so every later version re-parses incrementally and
    # positions stay cheap.
    if previous is not None and edit is not None:
        try:
            byte_map = ByteMap(text)
            old_tree = _edited_tree(previous, text, edit, byte_map)
        except Exception:  # never let a bad edit description break parsing
            logger.debug("incremental re-parse unavailable; parsing from scratch", exc_info=True)
            old_tree = None
    doc = JsonDocument(text, None, byte_map, old_tree=old_tree)
    if previous is not None and edit is not None and "lines" in previous.__dict__:
        doc._lines_hint = (previous.lines, edit)
    return doc


def _edited_tree(previous: JsonDocument, text: str, edit: TextEdit,
                 byte_map: ByteMap) -> tree_sitter.Tree | None:
    old_text, old_map = previous.text, previous.byte_map
    if not (0 <= edit.start <= edit.end <= len(old_text)):
        return None
    new_end = edit.start + len(edit.new_text)
    if (len(old_text) - (edit.end - edit.start) + len(edit.new_text) != len(text)
            or text[edit.start:new_end] != edit.new_text):
        return None
    tree = previous.tree.copy()
    tree.edit(
        start_byte=old_map.to_byte(edit.start),
        old_end_byte=old_map.to_byte(edit.end),
        new_end_byte=byte_map.to_byte(new_end),
        start_point=_point(old_text, edit.start, old_map),
        old_end_point=_point(old_text, edit.end, old_map),
        new_end_point=_point(text, new_end, byte_map),
    )
    return tree
