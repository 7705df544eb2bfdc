"""``textDocument/documentSymbol``: the outline of a settings file.

Hierarchical when the client supports it: top-level sections, their direct keys, and under
``modelProviders`` each provider with its models (named by ``id``, with the display name as
detail) and under ``mcpServers`` each server. Flat ``SymbolInformation`` with container names
otherwise.

Only the levels shown are visited, so the cost is the number of symbols, not the size of the file.
"""

from __future__ import annotations

from lsprotocol import types

from qwen_ls.features.common import to_range
from qwen_ls.features.options import ClientFlags
from qwen_ls.jsonc import JsonDocument, Node
from qwen_ls.secrets import looks_like_secret, mask, names_a_secret, redact

_KIND = {
    "object": types.SymbolKind.Object,
    "array": types.SymbolKind.Array,
    "string": types.SymbolKind.String,
    "number": types.SymbolKind.Number,
    "true": types.SymbolKind.Boolean,
    "false": types.SymbolKind.Boolean,
    "null": types.SymbolKind.Null,
    "error": types.SymbolKind.Null,
}


def _symbol(
    doc: JsonDocument,
    node: Node,
    name: str,
    kind: types.SymbolKind,
    flags: ClientFlags,
    detail: str | None = None,
    children: list[types.DocumentSymbol] | None = None,
) -> types.DocumentSymbol:
    full = node.member_span or node.span
    selection = node.key_span or node.span
    return types.DocumentSymbol(
        name=name or '""',
        kind=kind,
        range=to_range(doc.lines, full, flags.encoding),
        selection_range=to_range(doc.lines, selection, flags.encoding),
        detail=detail,
        children=children,
    )


def _models(doc: JsonDocument, provider: Node, flags: ClientFlags) -> list[types.DocumentSymbol]:
    out = []
    if provider.kind != "array":
        return out
    for item in provider.children():
        if item.kind != "object":
            continue
        id_node = item.get("id")
        name_node = item.get("name")
        model_id = id_node.value if id_node is not None and isinstance(id_node.value, str) else None
        name = (
            name_node.value if name_node is not None and isinstance(name_node.value, str) else None
        )
        label = model_id or f"[{item.path[-1]}] (no id)"
        sym = _symbol(
            doc,
            item,
            label,
            types.SymbolKind.Class,
            flags,
            detail=name if name and name != model_id else None,
        )
        # The id's span is the selection range only when it lies inside the entry (in broken
        # text the tolerant parser can attach a later "id" to an earlier entry).
        if (id_node is not None and item.span.start <= id_node.span.start
                and id_node.span.end <= item.span.end):
            sym.selection_range = to_range(doc.lines, id_node.span, flags.encoding)
        out.append(sym)
    return out


def _scalar_detail(node: Node) -> str | None:
    if node.kind in ("object", "array"):
        return None
    # Values show in the outline: never an API key (env values, apiKey) in the clear, neither by
    # its shape nor under a secret's name ("OPENAI_API_KEY": "hunter2hunter2").
    text = redact(node.text)
    name = node.path[-1] if node.path else None
    if node.kind == "string" and (
        looks_like_secret(str(node.value)) or (isinstance(name, str) and names_a_secret(name))
    ):
        text = '"' + mask(str(node.value)) + '"'
    return text if len(text) <= 60 else text[:57] + "…"


def _section(doc: JsonDocument, node: Node, flags: ClientFlags) -> types.DocumentSymbol:
    key = str(node.path[-1])
    if key == "modelProviders" and node.kind == "object":
        providers = [
            _symbol(
                doc,
                p,
                str(p.path[-1]),
                types.SymbolKind.Package,
                flags,
                detail=f"{len(p.children())} models" if p.kind == "array" else None,
                children=_models(doc, p, flags),
            )
            for p in node.children()
        ]
        return _symbol(doc, node, key, types.SymbolKind.Module, flags, children=providers)
    children = None
    if node.kind == "object":
        children = [
            _symbol(
                doc,
                c,
                str(c.path[-1]),
                _KIND.get(c.kind, types.SymbolKind.Field),
                flags,
                detail=_scalar_detail(c),
            )
            for c in node.children()
        ]
    kind = (
        types.SymbolKind.Module
        if node.kind == "object"
        else _KIND.get(node.kind, types.SymbolKind.Field)
    )
    return _symbol(doc, node, key, kind, flags, detail=_scalar_detail(node), children=children)


def document_symbols(doc: JsonDocument, flags: ClientFlags, *, uri: str) -> list:
    """Compute the outline.

    Parameters
    ----------
    doc
        The parsed document.
    flags
        Client capabilities (hierarchical symbols, encoding).
    uri
        The document's URI (for flat ``SymbolInformation``).

    Returns
    -------
    list
        ``DocumentSymbol`` trees, or flat ``SymbolInformation`` for clients without hierarchy.
    """
    root = doc.root
    if root is None or root.kind != "object":
        return []
    tree = [_section(doc, child, flags) for child in root.children()]
    if flags.hierarchical_symbols:
        return tree
    flat: list[types.SymbolInformation] = []

    def walk(symbols: list[types.DocumentSymbol], container: str | None) -> None:
        for s in symbols:
            flat.append(
                types.SymbolInformation(
                    name=s.name,
                    kind=s.kind,
                    location=types.Location(uri=uri, range=s.range),
                    container_name=container,
                )
            )
            if s.children:
                walk(s.children, s.name)

    walk(tree, None)
    return flat
