"""``textDocument/codeAction``: quick fixes read back from diagnostic data, and fix-all.

Each qwen-ls diagnostic carries its fix descriptors in ``data["fixes"]`` (see
:func:`qwen_ls.analysis.types.fix`). A quick fix resolves its descriptor against the document *as it
is now* (:func:`qwen_ls.analysis.fixes.resolve_fix`), so a stale diagnostic never applies stale
offsets. ``move-secret-to-env`` writes a second file (``.qwen/.env``), so it is a command
(``qwen-ls.moveSecretToEnv``) rather than an edit.

``source.fixAll.qwen-ls`` applies every *safe* fix of the document at once (the ones analysis marks
``safe``), skipping any whose edits would overlap an earlier one.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any

from lsprotocol import types

from qwen_ls.analysis.context import AnalysisContext
from qwen_ls.analysis.fixes import FixError, apply_fixes, resolve_fix
from qwen_ls.analysis.types import Finding
from qwen_ls.features.common import SOURCE, to_range
from qwen_ls.features.options import ClientFlags
from qwen_ls.jsonc import JsonDocument
from qwen_ls.jsonc.edits import changed_span
from qwen_ls.jsonc.types import Span, TextEdit
from qwen_ls.protocol import MOVE_SECRET_TO_ENV, SHOW_DOCUMENTATION, SIGN_IN

logger = logging.getLogger(__name__)

FIX_ALL_KIND = "source.fixAll.qwen-ls"
MOVE_SECRET_COMMAND = MOVE_SECRET_TO_ENV
SHOW_DOCUMENTATION_COMMAND = SHOW_DOCUMENTATION
SIGN_IN_COMMAND = SIGN_IN
"""Runs the client's own sign-in (the VS Code extension intercepts it); other clients reach the
server, which says how to sign in from a terminal."""


@functools.cache
def sign_in_codes() -> frozenset[str]:
    """The rules whose problem a sign-in solves (``Rule.sign_in``); the table loads on first use."""
    from qwen_ls.analysis.rules import RULES

    return frozenset(code for code, rule in RULES.items() if rule.sign_in)


def _workspace_edit(
    doc: JsonDocument, edits: Iterable[TextEdit], flags: ClientFlags, uri: str, version: int | None
) -> types.WorkspaceEdit:
    lsp_edits = [
        types.TextEdit(
            range=to_range(doc.lines, Span(e.start, e.end), flags.encoding), new_text=e.new_text
        )
        for e in edits
    ]
    return types.WorkspaceEdit(
        document_changes=[
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=uri, version=version
                ),
                edits=lsp_edits,
            )
        ]
    )


def _wanted(only: list[str], kind: str) -> bool:
    if not only:
        return True
    return any(kind == k or kind.startswith(k + ".") for k in only)


def action_for(
    doc: JsonDocument,
    descriptor: dict[str, Any],
    flags: ClientFlags,
    uri: str,
    version: int | None,
    diagnostic: types.Diagnostic | None = None,
) -> types.CodeAction | None:
    """Build the code action of one fix descriptor, or ``None`` when it no longer applies.

    Parameters
    ----------
    doc
        The current document.
    descriptor
        ``{title, kind, safe, preferred, ...args}``.
    flags
        Client capabilities (encoding).
    uri, version
        The document, for the edit.
    diagnostic
        The diagnostic the fix belongs to.

    Returns
    -------
    types.CodeAction | None
        A quick fix with an edit, or with the ``moveSecretToEnv`` command.
    """
    title = str(descriptor.get("title") or "Fix")
    diagnostics = [diagnostic] if diagnostic is not None else None
    if descriptor.get("kind") == "move-secret-to-env":
        argument = {
            "uri": uri,
            "path": list(descriptor.get("path", [])),
            "name": descriptor.get("name"),
        }
        if "replace_with" in descriptor:
            argument["replaceWith"] = descriptor["replace_with"]
        return types.CodeAction(
            title=title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=diagnostics,
            is_preferred=bool(descriptor.get("preferred")) or None,
            command=types.Command(title=title, command=MOVE_SECRET_COMMAND, arguments=[argument]),
        )
    try:
        edits = resolve_fix(doc, descriptor)
    except FixError as exc:
        logger.info("fix %r does not apply: %s", title, exc)
        return None
    if not edits:
        return None
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=diagnostics,
        is_preferred=bool(descriptor.get("preferred")) or None,
        edit=_workspace_edit(doc, edits, flags, uri, version),
    )


def fix_all(
    doc: JsonDocument,
    findings: Iterable[Finding],
    flags: ClientFlags,
    uri: str,
    version: int | None,
) -> types.CodeAction | None:
    """One action applying every safe fix of the document.

    The same fixes as ``qwen-ls check --fix`` (:func:`qwen_ls.analysis.fixes.apply_fixes`),
    sent as one minimal edit of the original text.
    """
    text, applied = apply_fixes(doc, findings)
    change = changed_span(doc.text, text)
    if change is None:
        return None
    return types.CodeAction(
        title=f"Fix all safe qwen-ls problems ({len(applied)})",
        kind=FIX_ALL_KIND,
        edit=_workspace_edit(doc, [change], flags, uri, version),
    )


def rule_actions(
    doc: JsonDocument,
    diagnostics: list[types.Diagnostic],
    flags: ClientFlags,
    uri: str,
    version: int | None,
) -> list[types.CodeAction]:
    """ESLint's two actions per rule: "Disable QLSxxx for this line", "Show documentation".

    Disabling inserts (or extends) a ``// qwen-ls: ignore QLSxxx`` comment above the line
    (:mod:`qwen_ls.analysis.suppress`); the documentation action asks the client to open the
    rule's page (``qwen-ls.showDocumentation``, which sends ``window/showDocument``).
    """
    from qwen_ls.analysis import suppress

    disable: list[types.CodeAction] = []
    docs: list[types.CodeAction] = []
    seen_lines: set[tuple[str, int]] = set()
    seen_codes: set[str] = set()
    for diag in diagnostics:
        code = str(diag.code)
        line = diag.range.start.line
        if (code, line) not in seen_lines and line < doc.lines.line_count:
            seen_lines.add((code, line))
            edit = suppress.disable_edit(doc, line, code)
            disable.append(
                types.CodeAction(
                    title=f"Disable {code} for this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    edit=_workspace_edit(doc, [edit], flags, uri, version),
                )
            )
        if code not in seen_codes:
            seen_codes.add(code)
            docs.append(
                types.CodeAction(
                    title=f"Show documentation for {code}",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    command=types.Command(
                        title=f"Show documentation for {code}",
                        command=SHOW_DOCUMENTATION_COMMAND,
                        arguments=[{"code": code}],
                    ),
                )
            )
    return disable + docs


def sign_in_actions(diagnostics: list[types.Diagnostic], uri: str) -> list[types.CodeAction]:
    """One "Sign in…" quick fix for the diagnostics a sign-in solves (:func:`sign_in_codes`)."""
    codes = sign_in_codes()
    ours = [d for d in diagnostics if str(d.code) in codes]
    if not ours:
        return []
    title = "Sign in…"
    return [types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=ours,
        command=types.Command(title=title, command=SIGN_IN_COMMAND,
                              arguments=[{"code": str(ours[0].code), "uri": uri}]),
    )]


def code_actions(
    doc: JsonDocument,
    ctx: AnalysisContext,
    span: Span,
    diagnostics: list[types.Diagnostic],
    only: list[str],
    flags: ClientFlags,
    *,
    uri: str,
    version: int | None,
    findings: Callable[[], list[Finding]],
) -> list[types.CodeAction]:
    """Compute the code actions for a range.

    Parameters
    ----------
    doc
        The current document.
    ctx
        Its analysis context (unused today; kept for actions that need other scopes).
    span
        The requested range as code points.
    diagnostics
        The diagnostics the client sent in the request context (their ``data`` holds the fixes).
    only
        Requested kinds (``quickfix``, ``source.fixAll``...); empty for all.
    flags
        Client capabilities.
    uri, version
        The document.
    findings
        Lazily gives every finding of the document (for fix-all).

    Returns
    -------
    list[types.CodeAction]
        Quick fixes first, then the fix-all action when asked for (or when nothing was filtered).
    """
    out: list[types.CodeAction] = []
    if _wanted(only, types.CodeActionKind.QuickFix):
        ours = [d for d in diagnostics if d.source == SOURCE and isinstance(d.code, str)]
        for diag in ours:
            if not isinstance(diag.data, dict):
                continue
            for descriptor in diag.data.get("fixes") or []:
                if isinstance(descriptor, dict):
                    action = action_for(doc, descriptor, flags, uri, version, diag)
                    if action is not None:
                        out.append(action)
        out.extend(sign_in_actions(ours, uri))
        out.extend(rule_actions(doc, ours, flags, uri, version))
    explicit = any(
        k in (FIX_ALL_KIND, types.CodeActionKind.SourceFixAll, types.CodeActionKind.Source)
        for k in only
    )
    if explicit or (not only and out):
        action = fix_all(doc, findings(), flags, uri, version)
        if action is not None:
            out.append(action)
    return out
