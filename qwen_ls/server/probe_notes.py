"""The "Test connection" result shown on a document, until that document changes.

:mod:`qwen_ls.server.probe` puts a result here after a test; :mod:`qwen_ls.server.diagnostics`
merges it into the document's pushed or pulled diagnostics (kept apart so that neither of the
two imports the other).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qwen_ls.server.server import QwenLanguageServer


@dataclass(frozen=True)
class Note:
    """A test result shown on one document version."""

    version: int
    serial: int
    path: tuple[Any, ...]
    result: dict[str, Any]


def current_note(ls: QwenLanguageServer, uri: str) -> Note | None:
    """The test result still shown on ``uri`` (``None`` once the document changed)."""
    note = ls.probe_notes.get(uri)
    doc = ls.documents.get(uri)
    if note is None or doc is None or doc.version != note.version:
        ls.probe_notes.pop(uri, None)
        return None
    return note


def extra_diagnostics(ls: QwenLanguageServer, uri: str, snap: Any) -> list[dict[str, Any]]:
    """The test-result diagnostic of ``uri``, to merge into its published or pulled ones."""
    note = current_note(ls, uri)
    if note is None:
        return []
    from qwen_ls.features.code_lens import probe_diagnostic

    diag = probe_diagnostic(snap.doc, list(note.path), note.result, ls.flags)
    return [diag] if diag is not None else []


def result_suffix(ls: QwenLanguageServer, uri: str) -> str:
    """Part of the pull result id, so that a new test result is not answered ``unchanged``."""
    note = current_note(ls, uri)
    return f"|t{note.serial}" if note is not None else ""
