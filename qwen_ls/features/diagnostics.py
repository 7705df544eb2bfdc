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
from pathlib import Path

from lsprotocol import types

from qwen_ls.analysis.rules import doc_url
from qwen_ls.analysis.types import Finding
from qwen_ls.features.common import SOURCE, Files, to_range
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


def to_diagnostics(
    doc: JsonDocument,
    findings: Iterable[Finding],
    flags: ClientFlags,
    files: Files | None = None,
) -> list[types.Diagnostic]:
    """Convert findings to diagnostics in the client's position encoding.

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
    list[types.Diagnostic]
        One diagnostic per finding, in the findings' order.
    """
    other_lines: dict[Path, LineIndex | None] = {}

    def lines_of(path: Path) -> LineIndex | None:
        if path not in other_lines:
            text = files.text(path) if files is not None else None
            other_lines[path] = LineIndex(text) if text is not None else None
        return other_lines[path]

    out = []
    for f in findings:
        related = None
        if flags.related_information and f.related and files is not None:
            related = []
            for r in f.related:
                lines = lines_of(Path(r.path))
                if lines is None:
                    rng = types.Range(
                        types.Position(r.line or 0, 0), types.Position(r.line or 0, 0)
                    )
                elif r.span is not None:
                    rng = to_range(lines, r.span, flags.encoding)
                else:
                    line = r.line or 0
                    rng = types.Range(
                        types.Position(line, 0),
                        types.Position(
                            line,
                            len(lines.line_text(line).encode("utf-16-le")) // 2
                            if flags.encoding == "utf-16"
                            else len(lines.line_text(line).encode("utf-8"))
                            if flags.encoding == "utf-8"
                            else len(lines.line_text(line)),
                        ),
                    )
                related.append(
                    types.DiagnosticRelatedInformation(
                        location=types.Location(uri=files.uri(Path(r.path)), range=rng),
                        message=r.message,
                    )
                )
        tags = [TAGS[t] for t in f.tags if t in TAGS] if flags.diagnostic_tags else []
        out.append(
            types.Diagnostic(
                range=to_range(doc.lines, f.span, flags.encoding),
                message=f.message,
                severity=SEVERITY.get(f.severity, types.DiagnosticSeverity.Warning),
                code=f.code,
                code_description=types.CodeDescription(href=doc_url(f.code)),
                source=SOURCE,
                related_information=related or None,
                tags=tags or None,
                data=f.data,
            )
        )
    return out
