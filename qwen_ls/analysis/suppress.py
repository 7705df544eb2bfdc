"""``// qwen-ls: ignore QLS406`` comments: the ``# noqa`` of settings.json.

A directive is a ``//`` or ``/* */`` comment whose text starts with ``qwen-ls: ignore``, followed
by codes or code prefixes separated by commas or spaces (no codes: every code). It suppresses the
findings that start on its own line; a directive alone on its line also suppresses the findings
on the next line, as ESLint's ``eslint-disable-next-line`` does::

    "env": {
      // qwen-ls: ignore QLS406 -- a throwaway key for the local mock server
      "OPENAI_API_KEY": "sk-test-local"
    }

Both the language server and ``qwen-ls check`` apply it (in :func:`qwen_ls.analysis.analyze`).
QLS001 (the file does not parse) can be suppressed too, but the CLI still refuses the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qwen_ls.jsonc.scanner import TOKEN
from qwen_ls.jsonc.types import TextEdit

MARKER = "qwen-ls:"
DIRECTIVE = re.compile(
    r"^(?://|/\*)\s*qwen-ls:\s*ignore\b(?P<codes>[^*\r\n]*)", re.IGNORECASE
)
_CODE = re.compile(r"QLS\d{0,3}", re.IGNORECASE)
ALL = frozenset({""})
"""The code set of a bare directive: the empty prefix matches every code."""


@dataclass(frozen=True, slots=True)
class Directive:
    """One ``qwen-ls: ignore`` comment."""

    line: int
    """0-based line of the comment."""
    codes: frozenset[str]
    """Codes or prefixes (upper case); :data:`ALL` for a bare directive."""
    own_line: bool
    """Whether the comment is alone on its line (then it also covers the next line)."""
    start: int
    """Offset of the comment in the text."""
    end: int
    """Offset just past the comment."""


def directives(text: str) -> list[Directive]:
    """Every ``qwen-ls: ignore`` comment of ``text`` (never inside a string).

    Only lines that contain the marker are tokenised, so a file without directives costs one
    substring search.
    """
    if MARKER not in text:
        return []
    found: list[Directive] = []
    line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    for line, start in enumerate(line_starts):
        end = line_starts[line + 1] if line + 1 < len(line_starts) else len(text)
        line_text = text[start:end]
        if MARKER not in line_text:
            continue
        first = True
        for token in TOKEN.finditer(line_text):
            kind = token.lastgroup
            if kind == "ws":
                continue
            if kind in ("lc", "bc"):
                match = DIRECTIVE.match(token.group(0))
                if match:
                    codes = frozenset(c.upper() for c in _CODE.findall(match.group("codes")))
                    found.append(
                        Directive(
                            line,
                            codes or ALL,
                            own_line=first,
                            start=start + token.start(),
                            end=start + token.end(),
                        )
                    )
            first = False
    return found


def covered_lines(found: list[Directive]) -> dict[int, frozenset[str]]:
    """Map each 0-based line to the code prefixes suppressed on it."""
    lines: dict[int, set[str]] = {}
    for d in found:
        for line in (d.line, d.line + 1) if d.own_line else (d.line,):
            lines.setdefault(line, set()).update(d.codes)
    return {line: frozenset(codes) for line, codes in lines.items()}


def is_suppressed(code: str, prefixes: frozenset[str]) -> bool:
    """Whether ``code`` matches one of the suppressed prefixes."""
    return any(code.startswith(p) for p in prefixes)


def apply(doc, findings: list) -> list:
    """Drop the findings a directive suppresses.

    Parameters
    ----------
    doc
        The :class:`qwen_ls.jsonc.JsonDocument`.
    findings
        Its findings.

    Returns
    -------
    list
        The findings that remain, in their order.
    """
    found = directives(doc.text)
    if not found:
        return findings
    lines = covered_lines(found)
    kept = []
    for finding in findings:
        line = doc.lines.position(finding.span.start, "utf-32")[0]
        prefixes = lines.get(line)
        if prefixes is None or not is_suppressed(finding.code, prefixes):
            kept.append(finding)
    return kept


def disable_edit(doc, line: int, code: str) -> TextEdit:
    """The edit that suppresses ``code`` on ``line`` (0-based): "Disable QLSxxx for this line".

    An own-line directive just above gains the code; otherwise a new comment line with the
    line's indentation is inserted above it.
    """
    text = doc.text
    for d in directives(text):
        if d.own_line and d.line == line - 1 and d.codes != ALL:
            comment = text[d.start : d.end]
            match = DIRECTIVE.match(comment)
            assert match is not None
            body = match.group("codes").rstrip()
            insert_at = d.start + match.start("codes") + len(body)
            return TextEdit(insert_at, insert_at, f", {code}")
    start = doc.lines.offset(line, 0, "utf-32")
    indent = re.match(r"[ \t]*", text[start:]).group(0)
    newline = "\r\n" if "\r\n" in text else "\n"
    return TextEdit(start, start, f"{indent}// qwen-ls: ignore {code}{newline}")
