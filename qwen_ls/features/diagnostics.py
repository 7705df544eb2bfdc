"""Diagnostics: analysis findings as LSP ``Diagnostic`` values.

Used for both ``textDocument/publishDiagnostics`` (push) and ``textDocument/diagnostic`` (pull);
the server decides which per client. Each diagnostic carries:

- ``code`` (stable rule code) and ``codeDescription`` (its entry in the rule reference);
- ``source`` ``"qwen-ls"``;
- ``relatedInformation`` for the other places involved (a provider entry in another scope file, a
  ``.env`` line), when the client supports it;
- ``tags`` Deprecated / Unnecessary, when the client supports them;
- ``data``: the finding's fix descriptors, read back by ``textDocument/codeAction``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from lsprotocol import types

from qwen_ls.analysis.rules import doc_url
from qwen_ls.analysis.types import Finding, Related
from qwen_ls.features.common import SOURCE, Files
from qwen_ls.features.options import ClientFlags
from qwen_ls.jsonc import JsonDocument, LineIndex

logger = logging.getLogger(__name__)

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}

TAGS = {
    "deprecated": types.DiagnosticTag.Deprecated,
    "unnecessary": types.DiagnosticTag.Unnecessary,
}


def diagnostic_payloads(
    doc: JsonDocument,
    findings: Iterable[Finding],
    flags: ClientFlags,
    files: Files | None = None,
) -> list[dict[str, Any]]:
    """Convert findings to LSP ``Diagnostic`` objects as JSON-ready dicts.

    The server sends these as they are: a large file can have thousands of findings, and
    building ``lsprotocol`` objects only for cattrs to take them apart again cost more than the
    analysis itself. The dicts are exactly what the ``lsprotocol`` converter makes of the
    equivalent :func:`to_diagnostics` values (camelCase keys, no ``None`` fields).

    Parameters
    ----------
    doc
        The document the findings are about.
    findings
        What :func:`qwen_ls.analysis.analyze` reported.
    flags
        Client capabilities (encoding, related information, tags).
    files
        Access to other files, to place related information that points into them. Without it,
        related locations in other files are left out.

    Returns
    -------
    list[dict]
        One diagnostic per finding, in the findings' order.
    """
    other_lines: dict[Path, LineIndex | None] = {}

    def lines_of(path: Path) -> LineIndex | None:
        if path not in other_lines:
            text = files.text(path) if files is not None else None
            other_lines[path] = LineIndex(text) if text is not None else None
        return other_lines[path]

    encoding = flags.encoding
    position = doc.lines.position
    hrefs: dict[str, dict[str, str]] = {}  # one codeDescription per rule, shared
    # Thousands of findings can point at the same few .env files: each place is worked out
    # (URI, line) once and the dict shared, as the codeDescription is.
    # A place in a file that cannot be read (a .env the CLI searched but that does not exist) is
    # left out: the message names every file searched, and a link to no file opens nothing.
    placed_related: dict[Related, dict[str, Any] | None] = {}
    out = []
    for f in findings:
        sl, sc = position(f.span.start, encoding)
        el, ec = position(f.span.end, encoding)
        item: dict[str, Any] = {
            "range": {"start": {"line": sl, "character": sc},
                      "end": {"line": el, "character": ec}},
            "message": f.message,
            "severity": SEVERITY.get(f.severity, types.DiagnosticSeverity.Warning).value,
            "code": f.code,
        }
        href = hrefs.get(f.code)
        if href is None:
            href = hrefs[f.code] = {"href": doc_url(f.code)}
        item["codeDescription"] = href
        item["source"] = SOURCE
        if flags.diagnostic_tags:
            tags = [TAGS[t].value for t in f.tags if t in TAGS]
            if tags:
                item["tags"] = tags
        if flags.related_information and f.related and files is not None:
            related = []
            for r in f.related:
                if r not in placed_related:
                    lines = lines_of(Path(r.path))
                    placed_related[r] = (_related(r, lines, files, encoding)
                                         if lines is not None else None)
                placed = placed_related[r]
                if placed is not None:
                    related.append(placed)
            if related:
                item["relatedInformation"] = related
        if f.data is not None:
            item["data"] = f.data
        out.append(item)
    return out


def _related(r: Related, lines: LineIndex | None, files: Files, encoding: str) -> dict[str, Any]:
    """One ``DiagnosticRelatedInformation`` as a dict (a ``.env`` line, another settings file)."""
    if lines is None:
        sl = el = r.line or 0
        sc = ec = 0
    elif r.span is not None:
        sl, sc = lines.position(r.span.start, encoding)
        el, ec = lines.position(r.span.end, encoding)
    else:
        sl = el = r.line or 0
        sc = 0
        ec = lines.position(lines.line_start(sl) + len(lines.line_text(sl)), encoding)[1]
    return {
        "location": {
            "uri": files.uri(Path(r.path)),
            "range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}},
        },
        "message": r.message,
    }


def to_diagnostics(
    doc: JsonDocument,
    findings: Iterable[Finding],
    flags: ClientFlags,
    files: Files | None = None,
) -> list[types.Diagnostic]:
    """The same diagnostics as :func:`diagnostic_payloads`, as ``lsprotocol`` values.

    For callers that work with the typed objects (tests, code actions); the server sends the
    payloads.
    """
    converter = _converter()
    return [converter.structure(d, types.Diagnostic)
            for d in diagnostic_payloads(doc, findings, flags, files)]


@cache
def _converter() -> Any:
    from lsprotocol.converters import get_converter

    return get_converter()
