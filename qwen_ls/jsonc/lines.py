r"""Line index: code-point offsets <-> LSP positions (line, character) in utf-8/utf-16/utf-32.

LSP breaks lines on ``\n``, ``\r\n`` and ``\r`` only. Python's ``str.splitlines`` also breaks on
U+2028, U+2029, ``\x85``, ``\x0b``, ``\x0c`` and ``\x1c``-``\x1e``, which shifts every position
after such a character (a JSON string may legally hold U+2028), so this index never uses it.

The index is built once per document text (on first use) and each conversion costs a bisect over
line starts plus work proportional to the length of that one line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from operator import add

_PLUS_ONE = (1).__add__

_NEWLINE = re.compile(r"\r\n|\r|\n")

ENCODINGS = ("utf-8", "utf-16", "utf-32")


def _units(s: str, encoding: str) -> int:
    """Length of ``s`` in code units of ``encoding`` (lone surrogates count as one char)."""
    if encoding == "utf-32" or s.isascii():
        return len(s)
    if encoding == "utf-8":
        return len(s.encode("utf-8", "surrogatepass"))
    return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)


class LineIndex:
    """Map code-point offsets of one text to LSP positions and back.

    Parameters
    ----------
    text : str
        The document text.
    """

    __slots__ = ("_text", "_starts", "_content_ends")

    def __init__(self, text: str) -> None:
        self._text = text
        if "\r" not in text:
            # The common case, at C speed (a 1 MB file has ~40,000 lines): line lengths from
            # str.split, running sums from itertools.accumulate.
            lengths = list(map(len, text.split("\n")))
            self._starts = list(accumulate(map(_PLUS_ONE, lengths[:-1]), initial=0))
            self._content_ends = list(map(add, self._starts, lengths))
            return
        starts = [0]
        ends = []
        for m in _NEWLINE.finditer(text):
            ends.append(m.start())
            starts.append(m.end())
        ends.append(len(text))
        self._starts = starts
        self._content_ends = ends

    @classmethod
    def after_edit(cls, old: LineIndex, new_text: str, start: int, end: int,
                   inserted: str) -> LineIndex | None:
        """Derive the index of ``new_text`` from ``old`` after one edit.

        Valid when the edit adds or removes no line break (a keystroke): later lines just shift.
        Returns ``None`` when the index must be rebuilt.
        """
        old_text = old._text
        if (any(c in inserted for c in "\r\n") or any(c in old_text[start:end] for c in "\r\n")
                or old_text[start - 1:start] == "\r"):
            return None
        delta = len(inserted) - (end - start)
        k = bisect_right(old._starts, start)
        index = cls.__new__(cls)
        index._text = new_text
        index._starts = old._starts[:k] + list(map(delta.__add__, old._starts[k:]))
        index._content_ends = old._content_ends[:k - 1] + list(
            map(delta.__add__, old._content_ends[k - 1:]))
        return index

    @property
    def line_count(self) -> int:
        """Number of lines (an empty text has one line)."""
        return len(self._starts)

    def line_of(self, offset: int) -> int:
        """Return the 0-based line holding code-point ``offset`` (clamped)."""
        offset = min(max(offset, 0), len(self._text))
        return bisect_right(self._starts, offset) - 1

    def line_start(self, line: int) -> int:
        """Return the offset where ``line`` starts (clamped to existing lines)."""
        line = min(max(line, 0), len(self._starts) - 1)
        return self._starts[line]

    def line_text(self, line: int) -> str:
        """Return the text of ``line`` without its line break ("" when out of range).

        Parameters
        ----------
        line : int
            0-based line number.

        Returns
        -------
        str
            The line's content.
        """
        if line < 0 or line >= len(self._starts):
            return ""
        return self._text[self._starts[line] : self._content_ends[line]]

    def position(self, offset: int, encoding: str = "utf-16") -> tuple[int, int]:
        r"""Convert a code-point offset to ``(line, character)``.

        Parameters
        ----------
        offset : int
            Code-point offset into the text; clamped to ``[0, len(text)]``. An offset inside a
            ``\r\n`` pair maps to the end of that line.
        encoding : str
            ``"utf-8"``, ``"utf-16"`` (LSP default) or ``"utf-32"``.

        Returns
        -------
        tuple[int, int]
            0-based line and character in code units of ``encoding``.
        """
        offset = min(max(offset, 0), len(self._text))
        line = bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        offset = min(offset, self._content_ends[line])
        return line, _units(self._text[start:offset], encoding)

    def offset(self, line: int, character: int, encoding: str = "utf-16") -> int:
        """Convert ``(line, character)`` to a code-point offset, clamping bad input.

        Parameters
        ----------
        line : int
            0-based line; below 0 gives offset 0, past the last line gives ``len(text)``.
        character : int
            Code units of ``encoding`` from the line start; clamped to the line's content. A
            character that falls inside a multi-unit character rounds down to that character.
        encoding : str
            ``"utf-8"``, ``"utf-16"`` or ``"utf-32"``.

        Returns
        -------
        int
            Code-point offset into the text.
        """
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self._text)
        start = self._starts[line]
        end = self._content_ends[line]
        character = max(character, 0)
        if encoding == "utf-32":
            return min(start + character, end)
        text = self._text[start:end]
        if text.isascii():
            return min(start + character, end)
        units = 0
        for i, ch in enumerate(text):
            cp = ord(ch)
            if encoding == "utf-8":
                width = 1 if cp < 0x80 else 2 if cp < 0x800 else 3 if cp < 0x10000 else 4
            else:
                width = 2 if cp > 0xFFFF else 1
            if units + width > character:
                return start + i
            units += width
        return end
