"""``textDocument/prepareRename`` and ``textDocument/rename`` of a model id.

A model id is declared in ``modelProviders.<provider>[i].id`` and referenced by ``model.name``,
the selector keys (``fastModel``... as ``"<id>"`` or ``"<authType>:<id>"``) and ``modelFallbacks``
(comma-separated selectors). Renaming from any of these places changes the declaration, in
whichever scope file holds it, and every reference in every scope file (open buffers win over
disk). Nothing else is renamable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lsprotocol import types

from qwen_ls.analysis.context import AnalysisContext
from qwen_ls.features.common import Files, other_document, to_range
from qwen_ls.features.definition import is_model_reference, registry_of, resolve_reference
from qwen_ls.features.hover import split_selector
from qwen_ls.features.options import ClientFlags
from qwen_ls.jsonc import JsonDocument, Node
from qwen_ls.jsonc.types import Span
from qwen_ls.settings import known
from qwen_ls.settings.registry import ModelEntry, protocols_for_auth
from qwen_ls.settings.scopes import same_path


def _target(doc: JsonDocument, ctx: AnalysisContext, offset: int) -> tuple[ModelEntry, Span] | None:
    """The entry being renamed and the span of the id text under the cursor."""
    loc = doc.locate(offset)
    if loc.in_comment or not loc.path or (loc.on_key and loc.in_string):
        return None
    path = tuple(loc.path)
    node = doc.node_at_path(path)
    if node is None or node.kind != "string" or not isinstance(node.value, str):
        return None
    inner = Span(node.span.start + 1, node.span.end - 1)
    if len(path) == 4 and path[0] == "modelProviders" and path[3] == "id":
        registry, _ = registry_of(doc, ctx)
        for m in registry:
            if (
                m.provider == path[1]
                and m.index == path[2]
                and (ctx.path is None or m.path is None or same_path(m.path, ctx.path))
            ):
                return m, inner
        return None
    if is_model_reference(path) and "\\" not in node.text:
        entry = resolve_reference(doc, ctx, path, node.value)
        if entry is None:
            return None
        _, model_id = split_selector(node.value)
        start = inner.start + node.value.find(model_id)
        return entry, Span(start, start + len(model_id))
    return None


def prepare_rename(
    doc: JsonDocument, ctx: AnalysisContext, offset: int, flags: ClientFlags
) -> types.PrepareRenamePlaceholder | None:
    """Tell whether the cursor is on a renamable model id, and where.

    Parameters
    ----------
    doc, ctx
        The document and its context.
    offset
        Code-point offset of the cursor.
    flags
        Client capabilities (encoding).

    Returns
    -------
    types.PrepareRenamePlaceholder | None
        The id's range and text, or ``None`` (the client then says it cannot rename here).
    """
    found = _target(doc, ctx, offset)
    if found is None:
        return None
    entry, span = found
    return types.PrepareRenamePlaceholder(
        range=to_range(doc.lines, span, flags.encoding), placeholder=entry.id
    )


def _refers(value: str, entry: ModelEntry, auth: str | None) -> bool:
    sel_auth, model_id = split_selector(value)
    if model_id != entry.id:
        return False
    protocols = protocols_for_auth(sel_auth or auth) if (sel_auth or auth) else None
    return protocols is None or entry.protocol in protocols


def _renamed(value: str, old: str, new: str) -> str:
    head, sep, rest = value.partition("\0")
    auth, model_id = split_selector(head)
    if model_id != old:
        return value
    return (f"{auth}:{new}" if auth else new) + (sep + rest)


def _reference_edits(
    target: JsonDocument, entry: ModelEntry, new: str, auth: str | None, flags: ClientFlags
) -> list[types.TextEdit]:
    edits: list[types.TextEdit] = []

    def replace(node: Node | None, value: Any) -> None:
        if (
            node is not None
            and node.kind == "string"
            and isinstance(node.value, str)
            and node.value != value
        ):
            edits.append(
                types.TextEdit(
                    range=to_range(target.lines, node.span, flags.encoding),
                    new_text=json.dumps(value, ensure_ascii=False),
                )
            )

    name = target.node_at_path(("model", "name"))
    if name is not None and isinstance(name.value, str) and _refers(name.value, entry, auth):
        replace(name, _renamed(name.value, entry.id, new))
    for key in known.MODEL_SELECTOR_KEYS:
        node = target.node_at_path((key,))
        if node is not None and isinstance(node.value, str) and _refers(node.value, entry, None):
            replace(node, _renamed(node.value, entry.id, new))
    fallbacks = target.node_at_path((known.MODEL_FALLBACKS_KEY,))
    if fallbacks is not None and isinstance(fallbacks.value, str):
        parts = [p.strip() for p in fallbacks.value.split(",")]
        if any(_refers(p, entry, None) for p in parts):
            replace(
                fallbacks,
                ",".join(
                    _renamed(p, entry.id, new) if _refers(p, entry, None) else p for p in parts
                ),
            )
    return edits


def rename(
    doc: JsonDocument,
    ctx: AnalysisContext,
    offset: int,
    new_name: str,
    flags: ClientFlags,
    files: Files,
    *,
    uri: str,
) -> types.WorkspaceEdit | None:
    """Rename the model id under the cursor everywhere it is declared or referenced.

    Parameters
    ----------
    doc, ctx
        The document and its context.
    offset
        Code-point offset of the cursor.
    new_name
        The new id.
    flags
        Client capabilities (encoding).
    files
        Access to the other scope files.
    uri
        This document's URI.

    Returns
    -------
    types.WorkspaceEdit | None
        Edits per file, or ``None`` when nothing here can be renamed or the provider already
        declares ``new_name``.
    """
    found = _target(doc, ctx, offset)
    new_name = new_name.strip()
    if found is None or not new_name:
        return None
    entry, _ = found
    registry, effective = registry_of(doc, ctx)
    if any(m.provider == entry.provider and m.id == new_name and m is not entry for m in registry):
        return None  # two entries with one id: the CLI would only ever pick the first
    from qwen_ls.settings.registry import selected_auth_type

    auth = selected_auth_type(effective, ctx.environ)
    per_file: dict[str, tuple[JsonDocument, list[types.TextEdit]]] = {}

    def add(target: JsonDocument, target_uri: str, edits: list[types.TextEdit]) -> None:
        if edits:
            per_file.setdefault(target_uri, (target, []))[1].extend(edits)

    cache: dict = {}
    scope_files: list[tuple[JsonDocument, str, Path | None]] = [(doc, uri, ctx.path)]
    for layer in ctx.layers:
        if layer.path is None:
            continue
        other = other_document(files, layer.path, cache)
        if other is not None:
            scope_files.append((other, files.uri(layer.path), layer.path))
    for target, target_uri, path in scope_files:
        if (
            entry.path is not None
            and path is not None
            and same_path(entry.path, path)
            or (entry.path is None and target is doc)
        ):
            id_node = target.node_at_path(("modelProviders", entry.provider, entry.index, "id"))
            if id_node is not None:
                add(
                    target,
                    target_uri,
                    [
                        types.TextEdit(
                            range=to_range(target.lines, id_node.span, flags.encoding),
                            new_text=json.dumps(new_name, ensure_ascii=False),
                        )
                    ],
                )
        add(target, target_uri, _reference_edits(target, entry, new_name, auth, flags))
    if not per_file:
        return None
    return types.WorkspaceEdit(changes={u: edits for u, (_, edits) in per_file.items()})
