"""``textDocument/definition``: from a use to where it is defined, across scope files.

- ``model.name`` and the model selectors (``fastModel``, ``visionModel``...): the
  ``modelProviders`` entry the id resolves to, in whichever scope file defines it (a workspace file
  often names a model that only the user file defines);
- ``envKey``: the line of the ``.env`` file (or the ``settings.env`` member) that provides the
  variable the CLI will use.
"""

from __future__ import annotations

from lsprotocol import types

from qwen_ls.analysis.context import AnalysisContext
from qwen_ls.features.common import Files, other_document, to_range
from qwen_ls.features.hover import split_selector
from qwen_ls.features.options import ClientFlags
from qwen_ls.jsonc import JsonDocument, LineIndex
from qwen_ls.jsonc.types import JsonPath, Span
from qwen_ls.settings import known
from qwen_ls.settings.registry import (
    ModelEntry,
    find_model,
    selected_auth_type,
)
from qwen_ls.settings.scopes import same_path


def is_model_reference(path: JsonPath) -> bool:
    """Whether the value at ``path`` names a model (``model.name`` or a selector key)."""
    return path == ("model", "name") or (len(path) == 1 and path[0] in known.MODEL_SELECTOR_KEYS)


def registry_of(doc: JsonDocument, ctx: AnalysisContext) -> tuple[list[ModelEntry], dict]:
    """The effective model registry with this document's current text merged in."""
    resolved = ctx.resolve(doc)
    return resolved.registry, resolved.effective


def resolve_reference(
    doc: JsonDocument, ctx: AnalysisContext, path: JsonPath, value: str
) -> ModelEntry | None:
    """The registry entry a model reference resolves to, as the CLI resolves it."""
    registry, effective = registry_of(doc, ctx)
    auth, model_id = split_selector(value)
    if auth is None:
        auth = selected_auth_type(effective, ctx.environ)
    base = None
    if path == ("model", "name") and isinstance(effective.get("model"), dict):
        base = effective["model"].get("baseUrl")
    entry = find_model(registry, model_id, auth, base if isinstance(base, str) else None)
    if entry is None:  # fall back to any protocol: better a jump than nothing
        entry = next((m for m in registry if m.id == model_id), None)
    return entry


def entry_location(
    doc: JsonDocument,
    ctx: AnalysisContext,
    entry: ModelEntry,
    files: Files,
    flags: ClientFlags,
    uri: str,
) -> types.Location | None:
    """Where an entry's ``id`` is written (this document or another scope file)."""
    path = ("modelProviders", entry.provider, entry.index, "id")
    if entry.path is None or (ctx.path is not None and same_path(entry.path, ctx.path)):
        target, target_uri = doc, uri
    else:
        target = other_document(files, entry.path)
        target_uri = files.uri(entry.path)
    if target is None:
        return None
    node = target.node_at_path(path) or target.node_at_path(path[:-1])
    if node is None:
        return None
    return types.Location(uri=target_uri, range=to_range(target.lines, node.span, flags.encoding))


def definition(
    doc: JsonDocument,
    ctx: AnalysisContext,
    offset: int,
    flags: ClientFlags,
    files: Files,
    *,
    uri: str,
) -> list[types.Location]:
    """Compute the definition of the value at ``offset``.

    Parameters
    ----------
    doc
        The parsed document.
    ctx
        Its analysis context.
    offset
        Code-point offset of the cursor.
    flags
        Client capabilities (encoding).
    files
        Access to the other scope files and ``.env`` files.
    uri
        This document's URI.

    Returns
    -------
    list[types.Location]
        Zero or one location.
    """
    loc = doc.locate(offset)
    if loc.in_comment or not loc.path or (loc.on_key and loc.in_string):
        return []
    path = tuple(loc.path)
    node = doc.node_at_path(path)
    if node is None or not isinstance(node.value, str):
        return []
    if is_model_reference(path):
        entry = resolve_reference(doc, ctx, path, node.value)
        if entry is None:
            return []
        found = entry_location(doc, ctx, entry, files, flags, uri)
        return [found] if found else []
    if len(path) == 4 and path[0] == "modelProviders" and path[3] == "envKey":
        source = ctx.env(ctx.resolve(doc).effective).lookup(node.value)
        if source is None or source.path is None:
            return []
        if source.kind == "settings-env":
            target = (
                doc
                if ctx.path is not None and same_path(source.path, ctx.path)
                else other_document(files, source.path)
            )
            member = target.node_at_path(("env", node.value)) if target is not None else None
            if member is not None and target is not None:
                span = member.key_span or member.span
                target_uri = uri if target is doc else files.uri(source.path)
                return [
                    types.Location(
                        uri=target_uri, range=to_range(target.lines, span, flags.encoding)
                    )
                ]
        text = files.text(source.path)
        if text is None:
            return []
        lines = LineIndex(text)
        line = max((source.line or 1) - 1, 0)
        start = lines.line_start(line)
        span = Span(start, start + len(lines.line_text(line)))
        return [
            types.Location(uri=files.uri(source.path), range=to_range(lines, span, flags.encoding))
        ]
    return []
