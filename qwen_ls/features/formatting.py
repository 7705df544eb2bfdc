"""``textDocument/formatting``: pretty-print a settings file, keeping every comment.

With their own language id (``qwen-settings``) Qwen settings files lose VS Code's JSON formatter,
so qwen-ls formats them: one member per line, the client's indentation, ``"key": value``, empty
``{}``/``[]`` kept short, at most one blank line kept where there was one, line comments staying
at the end of their line or on their own line as they were. Only valid JSONC is formatted, and
the result is checked before it is offered: the same JSON value and the same comments in the
same order, or no edit at all.
"""

from __future__ import annotations

from qwen_ls.jsonc import JsonDocument, parse
from qwen_ls.jsonc.edits import changed_span, detect_newline
from qwen_ls.jsonc.scanner import TOKEN
from qwen_ls.jsonc.types import TextEdit

_OPEN = {"{": "}", "[": "]"}


def format_text(doc: JsonDocument, indent: str) -> str | None:
    """The formatted text, or ``None`` when the document is not valid JSONC.

    Parameters
    ----------
    doc
        The document.
    indent
        One indentation unit: two spaces, a tab...
    """
    if doc.syntax_issues or doc.root is None:
        return None
    text = doc.text
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    newline = detect_newline(text)
    tokens: list[tuple[str, str, int]] = []  # (kind, text, line breaks before it)
    breaks = 0
    for match in TOKEN.finditer(text, len(bom)):
        kind, value = match.lastgroup or "", match.group(0)
        if kind == "ws":
            breaks += value.count("\n") or value.count("\r")
            continue
        if kind in ("other", "sq"):
            return None
        tokens.append((kind, value, breaks))
        breaks = 0

    out: list[str] = []
    depth = 0
    pending = False  # a line break is due before the next token
    space = False  # a space is due before the next token (after an inline block comment)
    skip = -1
    for i, (kind, value, before) in enumerate(tokens):
        if i == skip:
            continue
        is_comment = kind in ("lc", "bc")
        if is_comment and before == 0 and out:
            # Stays where it was, after the previous token.
            out.append(value if out[-1].endswith(" ") else " " + value)
            pending = pending or kind == "lc"
            space = kind == "bc" and not pending
            continue
        if value in ("}", "]"):
            depth -= 1
            pending = True
        if out and (pending or (is_comment and before)):
            out.append(newline * (2 if before > 1 else 1) + indent * depth)
        elif out and (space or is_comment):
            out.append(" ")
        pending = space = False
        out.append(value)
        following = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        if value in _OPEN:
            if following == _OPEN[value]:
                out.append(following)  # {} and [] stay on one line
                skip = i + 1
                continue
            depth += 1
            pending = True
        elif value == ",":
            pending = True
        elif value == ":":
            out.append(" ")
        elif kind == "lc":
            pending = True
        elif kind == "bc":
            space = True
    result = bom + "".join(out)
    if text.endswith(("\n", "\r")):
        result += newline
    return result if _same_content(doc, result) else None


def _comments(text: str) -> list[str]:
    return [m.group(0) for m in TOKEN.finditer(text) if m.lastgroup in ("lc", "bc")]


def _same_content(doc: JsonDocument, formatted: str) -> bool:
    """Whether formatting kept the value and every comment (else it is not offered)."""
    new = parse(formatted)
    return not new.syntax_issues and new.value == doc.value and _comments(formatted) == _comments(
        doc.text
    )


def formatting_edits(doc: JsonDocument, tab_size: int, insert_spaces: bool) -> list[TextEdit]:
    """The one minimal edit that formats ``doc`` (none when it is formatted or not valid)."""
    unit = " " * max(1, tab_size) if insert_spaces else "\t"
    formatted = format_text(doc, unit)
    if formatted is None:
        return []
    change = changed_span(doc.text, formatted)
    return [change] if change is not None else []
