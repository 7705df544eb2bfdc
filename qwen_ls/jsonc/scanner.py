"""Tokenizer for JSONC text and the C-speed comment stripper.

The tokenizer is tolerant: every character of any ``str`` belongs to exactly one token, so the
tolerant parser (:mod:`qwen_ls.jsonc.tolerant`) and the cursor locator (:mod:`qwen_ls.jsonc.locate`)
can read half-typed documents. Token kinds:

``ws``      whitespace JSON allows (space, tab, CR, LF)
``lc``      ``// line comment`` (up to, not including, the line break)
``bc``      ``/* block comment */`` (possibly unterminated)
``str``     ``"double-quoted string"`` (possibly unterminated: it then ends at the line end)
``sq``      ``'single-quoted string'`` (JSON.parse rejects it)
``num``     a number-like run (validated separately)
``word``    an identifier-like run (``true``, ``false``, ``null`` or an unquoted name)
``punct``   one of ``{ } [ ] : ,``
``other``   any other single character
"""

from __future__ import annotations

import re

TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
    |(?P<lc>//[^\r\n]*)
    |(?P<bc>/\*[^*]*\*+(?:[^/*][^*]*\*+)*/|/\*[\s\S]*)
    |(?P<str>"[^"\\\r\n]*(?:\\[^\r\n][^"\\\r\n]*)*(?:"|\\)?)
    |(?P<sq>'[^'\\\r\n]*(?:\\[^\r\n][^'\\\r\n]*)*(?:'|\\)?)
    |(?P<num>[-+]?\.?[0-9](?:[eE][-+]|[0-9A-Za-z_.])*)
    |(?P<word>[A-Za-z_$][0-9A-Za-z_$]*)
    |(?P<punct>[{}\[\]:,])
    |(?P<other>[\s\S])
    """,
    re.VERBOSE,
)
"""One token per match; ``m.lastgroup`` is the kind."""

STRICT_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
"""A string token JSON.parse accepts."""

STRICT_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
"""A number token JSON.parse accepts."""

_STRIP = re.compile(r'("[^"\\]*(?:\\[\s\S][^"\\]*)*")|//[^\n]*|/\*[\s\S]*?\*/')
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[\s\S])")
_SIMPLE_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def strip_comments(text: str) -> str:
    """Remove ``//`` and ``/* */`` comments outside strings, as strip-json-comments does.

    Runs as one ``re.sub`` (C speed). Each string keeps its text and gains one trailing space, and
    each comment becomes one space, so ``1/**/2`` stays two tokens; neither changes the JSON value.

    Parameters
    ----------
    text : str
        JSONC text (without a BOM).

    Returns
    -------
    str
        Text for ``json.loads``.
    """
    if "/" not in text:
        return text
    return _STRIP.sub(r"\1 ", text)


def decode_string(token: str) -> str:
    """Best-effort decoding of a (possibly invalid or unterminated) string token.

    Parameters
    ----------
    token : str
        The token text including its opening quote (``"`` or ``'``).

    Returns
    -------
    str
        The string's content with valid escapes decoded and invalid ones kept as typed.
    """
    quote = token[0]
    body = token[1:-1] if len(token) > 1 and token.endswith(quote) and not _ends_escaped(token) \
        else token[1:]
    if "\\" not in body:
        return body

    def repl(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc[0] == "u" and len(esc) == 5:
            return chr(int(esc[1:], 16))
        if esc in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[esc]
        if esc in "\"\\/'":
            return esc
        return m.group(0)

    return _join_surrogates(_ESCAPE.sub(repl, body))


def _ends_escaped(token: str) -> bool:
    """Whether the token's last quote is preceded by an odd number of backslashes."""
    n = 0
    i = len(token) - 2
    while i > 0 and token[i] == "\\":
        n += 1
        i -= 1
    return n % 2 == 1


def _join_surrogates(s: str) -> str:
    r"""Combine escaped surrogate pairs (``\ud83d\ude00``) the way json.loads does."""
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in s):
        return s
    return s.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
