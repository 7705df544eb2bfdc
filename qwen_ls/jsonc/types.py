"""Value types shared by the JSONC layer and everything above it.

Offsets are **code-point indices into the document's ``str``** (what Python's ``text[i]`` uses),
end-exclusive. Conversion to client positions (UTF-16 for VS Code, UTF-8 for Neovim) happens only
at the edge, through :class:`qwen_ls.jsonc.lines.LineIndex`.
"""

from __future__ import annotations

from dataclasses import dataclass

JsonPath = tuple[str | int, ...]
"""A path into a JSON value: object keys are ``str``, array indices are ``int``."""


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of code-point offsets into a document."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace ``text[start:end]`` with ``new_text`` (code-point offsets)."""

    start: int
    end: int
    new_text: str


@dataclass(frozen=True, slots=True)
class SyntaxIssue:
    """A syntax problem found while parsing.

    ``code`` is one of ``"syntax"`` (anything JSON.parse rejects, with a precise message such as
    "Expected ':' after property name"), ``"trailing-comma"`` (accepted by editors, rejected by
    the Qwen Code CLI) or ``"duplicate-key"``.
    """

    code: str
    message: str
    span: Span
