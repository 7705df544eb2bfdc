"""Helpers every feature shares: spans to LSP ranges, other files, markup.

Offsets inside qwen-ls are code-point indices (``qwen_ls.jsonc.types.Span``); a range sent to the
client is in the negotiated encoding (UTF-16 for VS Code, UTF-8 for Neovim). Conversion goes
through the document's own :class:`~qwen_ls.jsonc.LineIndex`, which breaks lines on LSP line
endings only (never on U+2028).

Features that reach into another file (a provider entry in the user file, a ``.env`` line) get a
:class:`Files` object from the caller, so they stay free of I/O policy: the server answers from
open editor buffers first and the disk second; unit tests pass a dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from lsprotocol import types

from qwen_ls.jsonc import JsonDocument, LineIndex, parse
from qwen_ls.jsonc.types import Span

SOURCE = "qwen-ls"
"""``Diagnostic.source`` of everything qwen-ls reports."""


def to_range(lines: LineIndex, span: Span, encoding: str) -> types.Range:
    """Convert a code-point span to an LSP range in ``encoding``.

    Parameters
    ----------
    lines
        Line index of the text the span points into.
    span
        The span.
    encoding
        ``utf-8``, ``utf-16`` or ``utf-32``.

    Returns
    -------
    types.Range
        The range.
    """
    sl, sc = lines.position(span.start, encoding)
    el, ec = lines.position(span.end, encoding)
    return types.Range(types.Position(sl, sc), types.Position(el, ec))


def to_offset(lines: LineIndex, position: types.Position, encoding: str) -> int:
    """Convert an LSP position in ``encoding`` to a code-point offset (clamped)."""
    return lines.offset(position.line, position.character, encoding)


def to_span(lines: LineIndex, rng: types.Range, encoding: str) -> Span:
    """Convert an LSP range to a code-point span (clamped, start <= end)."""
    start = to_offset(lines, rng.start, encoding)
    end = to_offset(lines, rng.end, encoding)
    return Span(min(start, end), max(start, end))


def markup(text: str, markdown: bool) -> types.MarkupContent:
    """Wrap markdown ``text`` for the client (plain text keeps the words, drops the syntax)."""
    if markdown:
        return types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
    plain = text.replace("**", "").replace("`", "")
    return types.MarkupContent(kind=types.MarkupKind.PlainText, value=plain)


class Files(Protocol):
    """Read-only access to files other than the current document."""

    def text(self, path: Path) -> str | None:
        """The text of ``path`` (an open buffer wins over disk); ``None`` when unreadable."""
        ...

    def uri(self, path: Path) -> str:
        """The ``file:`` URI of ``path``."""
        ...


class MemoryFiles:
    """A :class:`Files` over a dict, for tests and for one-off lookups."""

    def __init__(self, texts: Mapping[Path, str] | None = None) -> None:
        self.texts = dict(texts or {})

    def text(self, path: Path) -> str | None:
        """Return the stored text of ``path``."""
        return self.texts.get(Path(path))

    def uri(self, path: Path) -> str:
        """Return ``path`` as a ``file:`` URI."""
        return Path(path).absolute().as_uri()


def other_document(files: Files, path: Path, cache: dict | None = None) -> JsonDocument | None:
    """Parse another settings file through ``files`` (memoised in ``cache`` by text)."""
    text = files.text(path)
    if text is None:
        return None
    if cache is not None:
        hit = cache.get(path)
        if hit is not None and hit.text == text:
            return hit
    doc = parse(text)
    if cache is not None:
        cache[path] = doc
    return doc
