"""Client capabilities, decided once at ``initialize``, as the options every feature reads.

Features read these flags and degrade; none of them looks at ``ClientCapabilities`` itself, and
unit tests build a ``ClientFlags(...)`` by hand. The
notable differences between the clients we test with: VS Code (pytest-lsp's 1.65 snapshot) speaks
UTF-16, has no pull diagnostics and registers file watchers dynamically; Neovim 0.11 offers UTF-8
first, pulls diagnostics and cannot register watchers dynamically.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lsprotocol import types


def _get(obj: Any, *names: str) -> Any:
    for name in names:
        if obj is None:
            return None
        obj = getattr(obj, name, None)
    return obj


@dataclass(frozen=True, slots=True)
class ClientFlags:
    """What the connected client can do."""

    encoding: str = "utf-16"
    """Position encoding both sides agreed on: ``utf-8``, ``utf-16`` or ``utf-32``."""
    snippets: bool = False
    """``textDocument.completion.completionItem.snippetSupport``."""
    markdown: bool = False
    """Markdown in hover (``textDocument.hover.contentFormat``)."""
    markdown_completion: bool = False
    """Markdown in completion documentation."""
    pull_diagnostics: bool = False
    """``textDocument.diagnostic``: serve pull and never push."""
    diagnostic_refresh: bool = False
    """``workspace.diagnostics.refreshSupport``."""
    related_information: bool = True
    """``publishDiagnostics.relatedInformation`` (pull clients assumed to support it)."""
    diagnostic_tags: bool = True
    """Deprecated / Unnecessary tags."""
    show_document: bool = False
    """``window.showDocument.support``: the server may open the sign-in URL in a browser."""
    work_done_progress: bool = False
    """``window.workDoneProgress``: server-initiated progress."""
    watched_files_dynamic: bool = False
    """``workspace.didChangeWatchedFiles.dynamicRegistration``."""
    watched_files_relative: bool = False
    """Relative glob patterns in file watchers."""
    apply_edit: bool = False
    """``workspace.applyEdit``."""
    configuration: bool = False
    """``workspace.configuration`` (pull of the ``qwen`` section)."""
    hierarchical_symbols: bool = False
    """``documentSymbol.hierarchicalDocumentSymbolSupport``."""
    code_action_literals: bool = False
    """``codeAction.codeActionLiteralSupport``: answer CodeAction objects, not bare Commands."""
    prepare_rename: bool = False
    """``rename.prepareSupport``."""
    inlay_hints: bool = False
    """``textDocument.inlayHint``."""
    label_details: bool = False
    """``completionItem.labelDetailsSupport``."""

    @classmethod
    def from_capabilities(cls, caps: types.ClientCapabilities, encoding: str) -> ClientFlags:
        """Work the flags out of what the client sent in ``initialize``.

        Parameters
        ----------
        caps
            The client's capabilities.
        encoding
            The negotiated position encoding (pygls picks it from ``general.positionEncodings``).

        Returns
        -------
        ClientFlags
            The flags.
        """
        td = caps.text_document
        hover_formats = _get(td, "hover", "content_format") or []
        doc_formats = _get(td, "completion", "completion_item", "documentation_format") or []
        return cls(
            encoding=str(getattr(encoding, "value", encoding) or "utf-16"),
            snippets=bool(_get(td, "completion", "completion_item", "snippet_support")),
            markdown=types.MarkupKind.Markdown in hover_formats,
            markdown_completion=types.MarkupKind.Markdown in doc_formats,
            pull_diagnostics=_get(td, "diagnostic") is not None,
            diagnostic_refresh=bool(_get(caps, "workspace", "diagnostics", "refresh_support")),
            related_information=bool(
                _get(td, "publish_diagnostics", "related_information")
                or _get(td, "diagnostic", "related_information")
                or _get(td, "diagnostic") is not None
            ),
            diagnostic_tags=bool(
                _get(td, "publish_diagnostics", "tag_support")
                or _get(td, "diagnostic", "tag_support")
                or _get(td, "diagnostic") is not None
            ),
            show_document=bool(_get(caps, "window", "show_document", "support")),
            work_done_progress=bool(_get(caps, "window", "work_done_progress")),
            watched_files_dynamic=bool(
                _get(caps, "workspace", "did_change_watched_files", "dynamic_registration")
            ),
            watched_files_relative=bool(
                _get(caps, "workspace", "did_change_watched_files", "relative_pattern_support")
            ),
            apply_edit=bool(_get(caps, "workspace", "apply_edit")),
            configuration=bool(_get(caps, "workspace", "configuration")),
            hierarchical_symbols=bool(
                _get(td, "document_symbol", "hierarchical_document_symbol_support")
            ),
            code_action_literals=_get(td, "code_action", "code_action_literal_support") is not None,
            prepare_rename=bool(_get(td, "rename", "prepare_support")),
            inlay_hints=_get(td, "inlay_hint") is not None,
            label_details=bool(_get(td, "completion", "completion_item", "label_details_support")),
        )
