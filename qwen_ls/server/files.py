"""Other files as the features see them: open editor buffers first, then the disk.

Implements :class:`qwen_ls.features.common.Files` and the store's ``EditSink``
(:class:`qwen_ls.store.EditSink`): a settings file that is open in the client is changed with
``workspace/applyEdit`` (so the user's unsaved buffer is respected and undo works); anything else is
written by the store, atomically.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from qwen_ls.features.common import to_range
from qwen_ls.jsonc import LineIndex
from qwen_ls.jsonc.types import Span, TextEdit
from qwen_ls.settings.scopes import same_path

if TYPE_CHECKING:
    from qwen_ls.server.server import QwenLanguageServer

logger = logging.getLogger(__name__)


class ServerFiles:
    """Read access to files for features, and the ``EditSink`` for the store."""

    def __init__(self, ls: QwenLanguageServer) -> None:
        self.ls = ls

    def _open(self, path: Path):  # noqa: ANN202 - ManagedDocument | None
        for doc in self.ls.documents.managed():
            if doc.path is not None and same_path(doc.path, Path(path)):
                return doc
        return None

    def text(self, path: Path) -> str | None:
        """Return the buffer text when open, else the file's text (``None`` when unreadable)."""
        doc = self._open(path)
        if doc is not None:
            return doc.text
        from qwen_ls import safeio

        try:  # bounded, regular files only: a FIFO or /dev/zero here must not hang the server
            return safeio.read_text(path)
        except (OSError, UnicodeDecodeError):
            return None

    def uri(self, path: Path) -> str:
        """Return the ``file:`` URI of ``path`` (the open document's URI when it is open)."""
        doc = self._open(path)
        return doc.uri if doc is not None else self.ls.documents.uri_for(Path(path))

    # -- EditSink ---------------------------------------------------------------------------
    def open_text(self, path: Path) -> str | None:
        """Return the buffer text when ``path`` is open in the client, else ``None``."""
        if not self.ls.flags.apply_edit:
            return None
        doc = self._open(path)
        return doc.text if doc is not None else None

    async def apply(self, path: Path, edits: list[TextEdit], base_text: str) -> bool:
        """Send ``edits`` (code-point offsets into ``base_text``) as ``workspace/applyEdit``.

        Parameters
        ----------
        path
            The open settings file.
        edits
            The store's minimal edits.
        base_text
            The text the offsets refer to.

        Returns
        -------
        bool
            Whether the client applied the edit.
        """
        doc = self._open(path)
        if doc is None or doc.text != base_text:
            return False
        lines = LineIndex(base_text)
        text_edits = [
            types.TextEdit(
                range=to_range(lines, Span(e.start, e.end), self.ls.flags.encoding),
                new_text=e.new_text,
            )
            for e in edits
        ]
        edit = types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=doc.uri, version=doc.version
                    ),
                    edits=text_edits,
                )
            ]
        )
        result = await self.ls.workspace_apply_edit_async(
            types.ApplyWorkspaceEditParams(edit=edit, label="qwen-ls")
        )
        if not result.applied:
            logger.warning(
                "the client did not apply an edit to %s: %s", path, result.failure_reason
            )
        return bool(result.applied)
