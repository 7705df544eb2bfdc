"""Byte offset <-> code-point offset mapping for one document text.

tree-sitter works in UTF-8 byte offsets; the rest of qwen-ls works in code-point offsets into
the ``str``. For ASCII-only text the two are the same and the map is the identity. Otherwise the
map keeps one entry per non-ASCII character (its code-point index and byte offsets), so each
conversion is a bisect: O(log k) for k non-ASCII characters.

Lone surrogates (possible in a Python ``str`` built by hand or decoded with ``surrogateescape``)
are encoded with ``surrogatepass`` (3 bytes each), the encoding :func:`encode` hands to
tree-sitter.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def encode(text: str) -> bytes:
    """Encode ``text`` as UTF-8 for tree-sitter, never raising.

    Parameters
    ----------
    text : str
        Any Python string, lone surrogates included.

    Returns
    -------
    bytes
        UTF-8 bytes; lone surrogates become their 3-byte ``surrogatepass`` form.
    """
    return text.encode("utf-8", "surrogatepass")


def _utf8_len(ch: str) -> int:
    cp = ord(ch)
    if cp < 0x80:
        return 1
    if cp < 0x800:
        return 2
    if cp < 0x10000:
        return 3
    return 4


class ByteMap:
    """Convert between UTF-8 byte offsets and code-point offsets of one text.

    Parameters
    ----------
    text : str
        The document text.
    """

    __slots__ = ("_cps", "_bytes_after", "_byte_starts", "identity", "length", "byte_length")

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.identity = text.isascii()
        self._cps: list[int] = []
        self._bytes_after: list[int] = []
        self._byte_starts: list[int] = []
        if self.identity:
            self.byte_length = self.length
            return
        extra = 0
        cps, after, starts = self._cps, self._bytes_after, self._byte_starts
        for m in _NON_ASCII.finditer(text):
            i = m.start()
            n = _utf8_len(m.group())
            starts.append(i + extra)
            extra += n - 1
            cps.append(i)
            after.append(i + 1 + extra)
        self.byte_length = self.length + extra

    def to_byte(self, offset: int) -> int:
        """Return the UTF-8 byte offset of code-point ``offset`` (clamped to the text)."""
        offset = min(max(offset, 0), self.length)
        if self.identity:
            return offset
        k = bisect_right(self._cps, offset - 1)
        if k == 0:
            return offset
        # The k-th non-ASCII char ends at _bytes_after[k-1]; ASCII follows up to ``offset``.
        return self._bytes_after[k - 1] + (offset - self._cps[k - 1] - 1)

    def to_cp(self, byte: int) -> int:
        """Return the code-point offset of byte offset ``byte`` (clamped; mid-char rounds down)."""
        byte = min(max(byte, 0), self.byte_length)
        if self.identity:
            return byte
        k = bisect_right(self._byte_starts, byte) - 1
        if k < 0:
            return byte
        after = self._bytes_after[k]
        if byte < after:  # inside (or at the start of) a multi-byte char
            return self._cps[k]
        return self._cps[k] + 1 + (byte - after)
