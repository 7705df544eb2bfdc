"""Open documents, which of them qwen-ls manages, and their analysis cached by version.

Text sync is Incremental, applied to the server's own copy of each managed document's text, never
to pygls' copy (see ``pygls-practice.md`` §2: pygls' ``TextDocument`` splits lines with
``str.splitlines``, so an incremental change after a U+2028 would land at the wrong place there).
The server re-parses that text once per version (passing the changed span to the parser so
tree-sitter can re-parse incrementally) and converts positions with the document's own
:class:`~qwen_ls.jsonc.LineIndex`.

The analysis of a document depends on three things, and is cached on all three:

- its own text (the document version);
- the other scopes' settings: open buffers win over disk, so the versions of the other open managed
  documents are part of the key;
- files on disk: the other scope files and every ``.env`` file the env resolution read. Their
  ``stat`` signature (a handful of ``stat`` calls) is taken on each lookup, so an edit made outside
  the editor is seen even by clients that cannot watch files.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pygls.uris import from_fs_path, to_fs_path

from qwen_ls.jsonc import JsonDocument, TextEdit, parse
from qwen_ls.jsonc.edits import changed_span
from qwen_ls.settings import scopes

if TYPE_CHECKING:
    from qwen_ls.analysis.context import AnalysisContext
    from qwen_ls.analysis.types import Finding

# qwen_ls.analysis (and the pydantic settings model behind it) is imported on first analysis,
# not at start-up: the client waits for the initialize answer, not for the first diagnostic.

logger = logging.getLogger(__name__)

Signature = tuple[tuple[str, int, int], ...]


def disk_signature(paths: Iterable[Path]) -> Signature:
    """Return ``(path, mtime_ns, size)`` for each path (``-1`` values for a missing file)."""
    out = []
    for p in paths:
        try:
            st = os.stat(p)
            out.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(p), -1, -1))
    return tuple(out)


@dataclass
class Snapshot:
    """The analysis of one document version in one context."""

    version: int
    doc: JsonDocument
    ctx: AnalysisContext
    key: tuple
    """What the context was built from (other open versions, the generation, disk signature)."""
    watched: tuple[Path, ...]
    """Files whose change on disk invalidates the context."""
    _findings: list[Finding] | None = None
    cache: dict[str, Any] = field(default_factory=dict)
    """Per-snapshot memo for features (diagnostics, symbols)."""

    @property
    def findings(self) -> list[Finding]:
        """The analysis findings, computed on first use."""
        if self._findings is None:
            from qwen_ls.analysis import analyze

            self._findings = analyze(self.doc, self.ctx)
        return self._findings

    @property
    def result_id(self) -> str:
        """Identifies this analysis for pull diagnostics (``previousResultId``)."""
        return f"{self.version}:{abs(hash(self.key)):x}"


@dataclass
class ManagedDocument:
    """One open document that qwen-ls analyses."""

    uri: str
    path: Path | None
    scope: str | None
    workspace: Path | None
    version: int
    text: str
    language_id: str
    doc: JsonDocument | None = None
    """Parsed text of :attr:`version`; ``None`` until first needed."""
    snapshot: Snapshot | None = None

    def parsed(self) -> JsonDocument:
        """The parsed document for the current text (parsed lazily, once per version)."""
        if self.doc is None or self.doc.text != self.text:
            self.doc = parse(self.text)
        return self.doc


def is_settings_path(path: Path, environ: Mapping[str, str], roots: list[Path]) -> bool:
    """Tell whether ``path`` is a Qwen Code settings file qwen-ls should analyse.

    Parameters
    ----------
    path
        The document's file path.
    environ
        Environment (``QWEN_HOME``, system path overrides).
    roots
        Workspace folders.

    Returns
    -------
    bool
        True for ``**/.qwen/settings.json``, the ``$QWEN_HOME`` user file, and the system and
        system-defaults files, whatever language id the client gave them.
    """
    if path.name == "settings.json" and path.parent.name == ".qwen":
        return True
    try:
        candidates = [
            p for p in scopes.settings_paths(roots[0] if roots else None, environ).values()
        ]
    except Exception:
        logger.exception("could not compute the scope paths")
        return False
    return any(c is not None and scopes.same_path(c, path) for c in candidates)


class Documents:
    """The open documents qwen-ls manages, and their cached analysis."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        """The environment the CLI would inherit (the server's own)."""
        self.roots: list[Path] = []
        """Workspace folders, in the client's order."""
        self.trusted = True
        """Whether workspace folders are trusted (from the client options)."""
        self.generation = 0
        """Bumped whenever something outside the open documents may have changed (a watched file,
        the configuration, a save); part of every context key."""
        self._docs: dict[str, ManagedDocument] = {}
        self._other: dict[str, int] = {}

    # -- tracking ---------------------------------------------------------------------------
    def managed(self) -> list[ManagedDocument]:
        """Every open managed document."""
        return list(self._docs.values())

    def get(self, uri: str) -> ManagedDocument | None:
        """The managed document at ``uri``, or ``None`` (not open, or not a settings file)."""
        return self._docs.get(uri)

    def open(self, uri: str, text: str, version: int, language_id: str) -> ManagedDocument | None:
        """Start tracking a document; returns it when it is a settings file, else ``None``."""
        path = self._path(uri)
        if path is None or not is_settings_path(path, self.environ, self.roots):
            self._other[uri] = version
            return None
        # Neither HOME nor ~/.qwen itself is a project: an editor opened on ~/.qwen edits the
        # user file, and ~/.qwen/.qwen/.env is nothing the CLI reads.
        workspace = scopes.project_folder(
            path.parent.parent if path.parent.name == ".qwen" else None, self.environ
        )
        if workspace is None and self.roots:
            workspace = scopes.project_folder(self.roots[0], self.environ)
        try:
            scope = scopes.scope_of(path, workspace, self.environ)
        except Exception:
            scope = None
        doc = ManagedDocument(uri, path, scope, workspace, version, text, language_id)
        self._docs[uri] = doc
        return doc

    def change(
        self, uri: str, text: str, version: int, edit: TextEdit | None = None
    ) -> ManagedDocument | None:
        """Replace the text of an open managed document.

        ``edit``, when known (a single incremental change), lets the parser re-parse
        incrementally without comparing the old and new text.
        """
        doc = self._docs.get(uri)
        if doc is None:
            return None
        old_doc = doc.doc
        doc.version = version
        doc.text = text
        if old_doc is not None:
            edit = edit or changed_span(old_doc.text, text)
            doc.doc = parse(text, previous=old_doc, edit=edit) if edit else old_doc
        return doc

    def close(self, uri: str) -> ManagedDocument | None:
        """Stop tracking a document; returns it when it was managed."""
        self._other.pop(uri, None)
        return self._docs.pop(uri, None)

    def open_texts(self) -> dict[Path, str]:
        """Unsaved buffers of the managed documents, by path (they win over disk)."""
        return {d.path: d.text for d in self._docs.values() if d.path is not None}

    def path_for(self, uri: str) -> Path | None:
        """The file path of ``uri`` (``None`` for non-file URIs)."""
        return self._path(uri)

    @staticmethod
    def uri_for(path: Path) -> str:
        """The ``file:`` URI of ``path``."""
        return from_fs_path(str(path)) or path.as_uri()

    @staticmethod
    def _path(uri: str) -> Path | None:
        fs = to_fs_path(uri)
        return Path(fs) if fs else None

    # -- analysis ---------------------------------------------------------------------------
    def _context_key(self, doc: ManagedDocument) -> tuple:
        others = tuple(sorted((d.uri, d.version) for d in self._docs.values() if d.uri != doc.uri))
        return (self.generation, self.trusted, others)

    def snapshot(self, uri: str) -> Snapshot | None:
        """The analysis of the document's current version, rebuilt only when something changed.

        Parameters
        ----------
        uri
            The document.

        Returns
        -------
        Snapshot | None
            ``None`` when the document is not a managed settings file.
        """
        doc = self._docs.get(uri)
        if doc is None:
            return None
        key = self._context_key(doc)
        snap = doc.snapshot
        if (
            snap is not None
            and snap.key[:-1] == key
            and snap.key[-1] == disk_signature(snap.watched)
        ):
            if snap.version == doc.version:
                return snap
            # Same context, new text: reuse the context (and its env cache), re-analyse lazily.
            snap = Snapshot(doc.version, doc.parsed(), snap.ctx, snap.key, snap.watched)
            doc.snapshot = snap
            return snap
        from qwen_ls.analysis import build_context

        ctx = build_context(
            doc.path,
            doc.workspace,
            self.environ,
            open_texts=self.open_texts(),
            trusted=self.trusted,
        )
        watched = tuple(self._watched_paths(doc, ctx))
        snap = Snapshot(doc.version, doc.parsed(), ctx, (*key, disk_signature(watched)), watched)
        doc.snapshot = snap
        return snap

    def _watched_paths(self, doc: ManagedDocument, ctx: AnalysisContext) -> list[Path]:
        """Files on disk the context depends on: the other scope files and the ``.env`` files."""
        paths: list[Path] = []
        try:
            for p in scopes.settings_paths(doc.workspace, self.environ).values():
                if p is not None and (doc.path is None or not scopes.same_path(p, doc.path)):
                    paths.append(p)
        except Exception:
            logger.exception("could not compute the scope paths")
        try:
            effective = ctx.resolve(doc.parsed()).effective
            paths.extend(ctx.env(effective).files)
        except Exception:
            logger.exception("could not resolve the env files")
        return paths

    def watch_globs(self) -> list[str]:
        """Absolute paths worth a file watcher: the scope files and ``.env`` files of every doc."""
        seen: list[str] = []
        for doc in self._docs.values():
            snap = doc.snapshot
            for p in snap.watched if snap else ():
                if str(p) not in seen:
                    seen.append(str(p))
        return seen
