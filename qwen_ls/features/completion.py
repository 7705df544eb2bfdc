"""``textDocument/completion``: keys and values at any depth, in whole or half-typed files.

What is offered where (the cursor is located with :meth:`JsonDocument.locate`, which works in
documents that do not parse):

- where a key goes: the catalog's keys for that object that are not already there, each inserted
  with its colon and a value (a snippet with tab stops when the client supports snippets, e.g. a
  new ``modelProviders`` array holds an entry with ``id``, ``name``, ``baseUrl`` and ``envKey``);
- ``model.name``: the ids of the effective model registry (label = id; detail = name, protocol,
  base URL; models of the selected protocol first); the model selectors (``fastModel``...) too;
- ``security.auth.selectedType`` / ``enforcedType``: the auth types, saying which have models;
- ``envKey``: names the env sources define (the source, never the value) and conventional names;
- ``baseUrl``: known endpoints (service and region);
- ``modelProviders.*[].id`` (and, after the configured ids, ``model.name``): the ids the entry's
  endpoint listed at its last "Test connection" (:mod:`qwen_ls.probe.cache`; never a request);
- enum and boolean values, and a new ``modelProviders`` entry inside a provider's array.

The JSON around the insertion is made right: quotes, the colon after a key, a comma before (after
a complete value) and after (when another member follows).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from qwen_ls.analysis.context import AnalysisContext
from qwen_ls.features.common import to_range
from qwen_ls.features.options import ClientFlags
from qwen_ls.jsonc import JsonDocument, Location
from qwen_ls.jsonc.types import JsonPath, Span
from qwen_ls.settings import known, presets
from qwen_ls.settings.catalog import MISSING, KeyInfo, child_keys, key_info
from qwen_ls.settings.registry import selected_auth_type

EMPTY = types.CompletionList(is_incomplete=False, items=[])

MAX_MODEL_ITEMS = 200
"""Model ids offered at once; past that the list is marked incomplete and the client asks again
as the user types (a 2,000-model file would otherwise send 2,000 items per keystroke)."""

NEW_PROVIDER_ENTRY = (
    '{\n  "id": "${1:model-id}",\n  "name": "${2:Display name}",\n'
    '  "baseUrl": "${3:https://api.example.com/v1}",\n  "envKey": "${4:PROVIDER_API_KEY}"\n}'
)
"""Snippet of a new ``modelProviders.<protocol>[]`` entry."""

NEW_PROVIDER_ENTRY_PLAIN = '{\n  "id": "",\n  "name": "",\n  "baseUrl": "",\n  "envKey": ""\n}'

_AUTH_PATHS = {("security", "auth", "selectedType"), ("security", "auth", "enforcedType")}
_BASE_URL_PATHS = {("model", "baseUrl"), ("security", "auth", "baseUrl")}
_SPACE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.S)


def complete(
    doc: JsonDocument, ctx: AnalysisContext, offset: int, flags: ClientFlags
) -> types.CompletionList:
    """Compute completions at ``offset``.

    Parameters
    ----------
    doc
        The parsed document (may be broken or half-typed).
    ctx
        Its analysis context (other scopes, env sources).
    offset
        Code-point offset of the cursor.
    flags
        Client capabilities (snippets, encoding, markdown).

    Returns
    -------
    types.CompletionList
        Possibly empty; never raises on odd input.
    """
    loc = doc.locate(offset)
    if loc.in_comment or loc.replace_span is None:
        return EMPTY
    if not doc.text.strip():
        return _root_object(doc, offset, flags)
    container = doc.node_at_path(loc.container_path) if loc.container_path else doc.root
    container_kind = container.kind if container is not None else "object"
    wants_key = loc.on_key or (loc.after_value and container_kind == "object")
    if wants_key:
        items = _key_items(doc, loc, offset, flags)
    else:
        items = _value_items(doc, ctx, loc, offset, flags)
    if len(items) > MAX_MODEL_ITEMS:
        prefix = loc.key_prefix.lower()
        matching = [i for i in items if prefix in i.label.lower()]
        return types.CompletionList(is_incomplete=True, items=matching[:MAX_MODEL_ITEMS])
    return types.CompletionList(is_incomplete=False, items=items)


# -- helpers for the JSON around the cursor ---------------------------------------------------
def _next_char(text: str, pos: int) -> str:
    m = _SPACE.match(text, pos)
    end = m.end() if m else pos
    return text[end] if end < len(text) else ""


def _prev_char(text: str, pos: int) -> str:
    i = pos - 1
    while i >= 0 and text[i] in " \t\r\n":
        i -= 1
    return text[i] if i >= 0 else ""


def _edit_range(doc: JsonDocument, loc: Location, offset: int, flags: ClientFlags) -> types.Range:
    span = loc.replace_span or Span(offset, offset)
    start = min(span.start, offset)
    end = max(span.end, offset)
    # A replace range must stay on the cursor's line (an unterminated string runs to its end).
    line_end = doc.text.find("\n", offset)
    if line_end != -1:
        end = min(end, line_end if doc.text[line_end - 1 : line_end] != "\r" else line_end - 1)
    return to_range(doc.lines, Span(start, max(end, offset)), flags.encoding)


def _typed(doc: JsonDocument, loc: Location, offset: int) -> str:
    span = loc.replace_span or Span(offset, offset)
    return doc.text[min(span.start, offset) : offset]


def _needs_comma_after(doc: JsonDocument, loc: Location, offset: int) -> bool:
    span = loc.replace_span or Span(offset, offset)
    return _next_char(doc.text, max(span.end, offset)) in {'"', "{", "["} or (
        _next_char(doc.text, max(span.end, offset)).isalnum()
    )


def _comma_before(
    doc: JsonDocument, loc: Location, offset: int, flags: ClientFlags
) -> list[types.TextEdit]:
    """An edit adding the comma a member typed after a complete value needs."""
    if not loc.after_value:
        return []
    span = loc.replace_span or Span(offset, offset)
    i = span.start - 1
    text = doc.text
    while i >= 0 and text[i] in " \t\r\n":
        i += -1
    if i < 0 or text[i] in ",{[":
        return []
    return [
        types.TextEdit(range=to_range(doc.lines, Span(i + 1, i + 1), flags.encoding), new_text=",")
    ]


def _placeholder(info: KeyInfo | None, snippets: bool) -> str:
    """The value inserted after a completed key."""
    if info is not None and snippets and info.snippet:
        return info.snippet
    kinds = info.types if info is not None else ()
    default = info.default if info is not None else MISSING
    if default is not MISSING and default is not None and not isinstance(default, dict | list):
        return json.dumps(default)
    if info is not None and info.enum:
        return json.dumps(info.enum[0])
    kind = kinds[0] if kinds else ""
    return {"boolean": "false", "integer": "0", "number": "0", "array": "[]", "object": "{}"}.get(
        kind, '""'
    )


def _doc_markup(text: str, flags: ClientFlags) -> types.MarkupContent | str | None:
    if not text:
        return None
    if flags.markdown_completion:
        return types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
    return text.replace("`", "")


# -- keys -------------------------------------------------------------------------------------
def _root_object(doc: JsonDocument, offset: int, flags: ClientFlags) -> types.CompletionList:
    """An empty file: offer the skeleton of a settings object."""
    body = '{\n  "$version": 4,\n  $0\n}' if flags.snippets else '{\n  "$version": 4\n}'
    item = types.CompletionItem(
        label="{ } settings",
        kind=types.CompletionItemKind.Snippet
        if flags.snippets
        else types.CompletionItemKind.Struct,
        detail="New Qwen Code settings file",
        text_edit=types.TextEdit(
            range=to_range(doc.lines, Span(0, len(doc.text)), flags.encoding), new_text=body
        ),
        insert_text_format=types.InsertTextFormat.Snippet
        if flags.snippets
        else types.InsertTextFormat.PlainText,
    )
    return types.CompletionList(is_incomplete=False, items=[item])


def _key_items(
    doc: JsonDocument, loc: Location, offset: int, flags: ClientFlags
) -> list[types.CompletionItem]:
    container_path = loc.container_path
    container = doc.node_at_path(container_path) if container_path else doc.root
    typed_key = (
        loc.path[-1]
        if (loc.on_key and loc.in_string and loc.path and len(loc.path) > len(container_path))
        else None
    )
    present = (
        set(container.keys()) if container is not None and container.kind == "object" else set()
    )
    if typed_key is not None:
        present.discard(typed_key)
    infos = [i for i in child_keys(container_path) if i.name not in present and not i.deprecated]
    span = loc.replace_span or Span(offset, offset)
    has_colon = _next_char(doc.text, max(span.end, offset)) == ":"
    comma_after = not has_colon and _needs_comma_after(doc, loc, offset)
    rng = _edit_range(doc, loc, offset, flags)
    before = _comma_before(doc, loc, offset, flags)
    typed = _typed(doc, loc, offset)
    items = []
    for order, info in enumerate(infos):
        key_text = json.dumps(info.name)
        if has_colon:
            new_text, snippet = key_text, False
        else:
            value = _placeholder(info, flags.snippets)
            snippet = flags.snippets and info.snippet is not None and value == info.snippet
            if flags.snippets and not snippet:
                # Keep the snippet syntax valid: escape what a plain value may hold.
                value = value.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")
                snippet = True
            new_text = f"{key_text}: {value}" + ("," if comma_after else "")
        items.append(
            types.CompletionItem(
                label=info.name,
                kind=types.CompletionItemKind.Property,
                detail=info.type_label or None,
                documentation=_doc_markup(info.description, flags),
                filter_text=key_text if typed.startswith('"') else info.name,
                sort_text=f"{order:04d}",
                text_edit=types.TextEdit(range=rng, new_text=new_text),
                additional_text_edits=before or None,
                insert_text_format=types.InsertTextFormat.Snippet
                if snippet
                else types.InsertTextFormat.PlainText,
            )
        )
    return items


# -- values -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Insertion:
    """What every value completion at one cursor shares: computed once per request."""

    typed: str
    lead_space: bool
    comma_after: bool
    range: types.Range


def _insertion(doc: JsonDocument, loc: Location, offset: int, flags: ClientFlags) -> _Insertion:
    typed = _typed(doc, loc, offset)
    lead = (
        _prev_char(doc.text, offset) == ":"
        and not typed
        and offset > 0
        and doc.text[offset - 1] == ":"
    )
    return _Insertion(
        typed, lead, _needs_comma_after(doc, loc, offset), _edit_range(doc, loc, offset, flags)
    )


def _value_item(
    doc: JsonDocument,
    loc: Location,
    offset: int,
    flags: ClientFlags,
    value: Any,
    *,
    label: str | None = None,
    detail: str | None = None,
    documentation: str | None = None,
    kind: types.CompletionItemKind = types.CompletionItemKind.Value,
    order: int = 0,
    snippet: str | None = None,
    tags: list[types.CompletionItemTag] | None = None,
    ins: _Insertion | None = None,
) -> types.CompletionItem:
    ins = ins or _insertion(doc, loc, offset, flags)
    text = json.dumps(value) if snippet is None else snippet
    if ins.lead_space:
        text = " " + text
    if ins.comma_after:
        text += ","
    use_snippet = snippet is not None and flags.snippets
    return types.CompletionItem(
        label=label
        if label is not None
        else (value if isinstance(value, str) else json.dumps(value)),
        kind=kind,
        detail=detail,
        documentation=_doc_markup(documentation or "", flags),
        filter_text=json.dumps(value)
        if ins.typed.startswith('"') and isinstance(value, str)
        else None,
        sort_text=f"{order:05d}",
        text_edit=types.TextEdit(range=ins.range, new_text=text),
        insert_text_format=types.InsertTextFormat.Snippet
        if use_snippet
        else types.InsertTextFormat.PlainText,
        tags=tags,
    )


def _effective(doc: JsonDocument, ctx: AnalysisContext) -> dict:
    resolved = ctx.resolve(doc)
    try:
        return resolved.effective
    except Exception:
        return resolved.value


def _registry(doc: JsonDocument, ctx: AnalysisContext) -> tuple[list, dict]:
    """The effective model registry (built once per document version and context)."""
    return ctx.resolve(doc).registry, _effective(doc, ctx)


def _model_items(
    doc: JsonDocument,
    ctx: AnalysisContext,
    loc: Location,
    offset: int,
    flags: ClientFlags,
    selector: bool,
) -> list[types.CompletionItem]:
    registry, effective = _registry(doc, ctx)
    auth = selected_auth_type(effective, ctx.environ)
    wanted = {"openai", "openai-responses"} if auth == "openai" else {auth}
    ordered = sorted(range(len(registry)), key=lambda i: (registry[i].protocol not in wanted, i))
    ins = _insertion(doc, loc, offset, flags)
    # Filter before building items: a file with thousands of models must stay instant. One item
    # past the cap tells complete() that the list is incomplete.
    prefix = ins.typed.lstrip('"').lower()
    items = []
    seen: set[str] = set()
    for rank, i in enumerate(ordered):
        m = registry[i]
        value = m.id if (not selector or m.protocol in wanted) else f"{m.protocol}:{m.id}"
        if value in seen or (prefix and prefix not in value.lower()):
            continue
        if len(items) > MAX_MODEL_ITEMS:
            break
        seen.add(value)
        where = f"{m.scope} settings" if m.scope else "settings"
        detail = " · ".join(
            p for p in (m.name if m.name != m.id else "", m.protocol, m.base_url or "") if p
        )
        items.append(
            _value_item(
                doc,
                loc,
                offset,
                flags,
                value,
                label=value,
                detail=detail or None,
                documentation=f"`modelProviders.{m.provider}[{m.index}]` in {where}",
                kind=types.CompletionItemKind.EnumMember,
                order=rank,
                ins=ins,
            )
        )
    if not selector:
        items += _listed_items(doc, ctx, loc, offset, flags, wanted, seen, prefix, ins)
    if auth == "qwen-oauth" and not selector:
        for model in getattr(known, "QWEN_OAUTH_MODELS", ()):
            mid = model.get("id") if isinstance(model, dict) else None
            if isinstance(mid, str) and mid not in seen:
                items.append(
                    _value_item(doc, loc, offset, flags, mid, detail="qwen-oauth", order=len(items))
                )
    return items


def _listed(doc: JsonDocument, ctx: AnalysisContext, protocol: str | None,
            config: Any) -> tuple[list[str], str] | None:
    """The ids an entry's endpoint listed at its last test (from the cache, offline)."""
    if protocol is None or not isinstance(config, dict):
        return None
    from qwen_ls.probe.cache import listed_for_entry  # lazy: only where ids are completed

    effective = _effective(doc, ctx)
    return listed_for_entry(ctx.environ, ctx.env(effective), effective, protocol, config)


def _listed_items(doc: JsonDocument, ctx: AnalysisContext, loc: Location, offset: int,
                  flags: ClientFlags, protocols: set, seen: set[str], prefix: str,
                  ins: _Insertion) -> list[types.CompletionItem]:
    """``model.name``: ids the selected protocol's endpoints listed that are not configured."""
    registry, _ = _registry(doc, ctx)
    items: list[types.CompletionItem] = []
    endpoints: set[tuple[str, str]] = set()
    for m in registry:
        if m.protocol not in protocols or (m.protocol, m.base_url or "") in endpoints:
            continue
        if len(endpoints) >= 64:  # the cache holds no more endpoints than this
            break
        endpoints.add((m.protocol, m.base_url or ""))
        found = _listed(doc, ctx, m.protocol, dict(m.entry))
        for ident in (found or ([], ""))[0]:
            if ident in seen or (prefix and prefix not in ident.lower()) \
                    or len(items) > MAX_MODEL_ITEMS:
                continue
            seen.add(ident)
            items.append(_value_item(
                doc, loc, offset, flags, ident, detail=f"listed by {found[1]}; not configured",
                documentation="Listed by the endpoint at its last Test connection, but not in "
                "`modelProviders`: add an entry for it first, or Qwen Code falls back to "
                "another model.", order=10_000 + len(items), ins=ins))
    return items


def _listed_id_items(doc: JsonDocument, ctx: AnalysisContext, loc: Location, offset: int,
                     flags: ClientFlags, path: JsonPath) -> list[types.CompletionItem]:
    """``modelProviders.<p>[i].id``: the ids this entry's endpoint listed."""
    entries = doc.value.get("modelProviders", {}) if isinstance(doc.value, dict) else {}
    provider = entries.get(path[1]) if isinstance(entries, dict) else None
    config = provider[path[2]] if isinstance(provider, list) and isinstance(path[2], int) \
        and 0 <= path[2] < len(provider) else None
    found = _listed(doc, ctx, _protocol_of(path, doc, ctx), config)
    if not found:
        return []
    ids, host = found
    ins = _insertion(doc, loc, offset, flags)
    prefix = ins.typed.lstrip('"').lower()
    chosen = [i for i in ids if not prefix or prefix in i.lower()][:MAX_MODEL_ITEMS]
    return [_value_item(doc, loc, offset, flags, ident, detail=f"listed by {host}",
                        kind=types.CompletionItemKind.EnumMember, order=n, ins=ins)
            for n, ident in enumerate(chosen)]


def _auth_items(
    doc: JsonDocument, ctx: AnalysisContext, loc: Location, offset: int, flags: ClientFlags
) -> list[types.CompletionItem]:
    registry, _ = _registry(doc, ctx)
    counts: dict[str, int] = {}
    for m in registry:
        counts[m.protocol] = counts.get(m.protocol, 0) + 1
    counts["openai"] = counts.get("openai", 0) + counts.get("openai-responses", 0)
    items = []
    for order, auth in enumerate(known.AUTH_TYPES):
        n = counts.get(auth, 0)
        if auth == "qwen-oauth":
            detail = "discontinued on 2026-04-15"
            tags = [types.CompletionItemTag.Deprecated]
        else:
            detail = f"{n} model{'s' if n != 1 else ''} configured" if n else "no models configured"
            tags = None
        items.append(
            _value_item(
                doc,
                loc,
                offset,
                flags,
                auth,
                detail=detail,
                order=order + (0 if n else 100),
                tags=tags,
                kind=types.CompletionItemKind.EnumMember,
            )
        )
    return items


def _conventional_env_keys() -> Iterable[str]:
    yield from known.DEFAULT_ENV_KEYS.values()
    yield from presets.PRESET_ENV_KEYS
    yield from ("OPENROUTER_API_KEY", "DASHSCOPE_API_KEY", "BAILIAN_CODING_PLAN_API_KEY")


def _env_key_items(
    doc: JsonDocument, ctx: AnalysisContext, loc: Location, offset: int, flags: ClientFlags
) -> list[types.CompletionItem]:
    effective = _effective(doc, ctx)
    try:
        names = ctx.env(effective).names()
    except Exception:
        names = {}
    # Variables the sources define first (shell variables only when they look like keys), then
    # the conventional names nothing sets yet.
    defined = [
        (name, f"set in {source.label}", 0)
        for name, source in sorted(names.items(), key=lambda kv: (kv[1].kind == "shell", kv[0]))
        if source.kind != "shell" or re.search(r"(KEY|TOKEN|SECRET)", name)
    ]
    unset = [(name, "not set in any source", 500) for name in _conventional_env_keys()]
    items = []
    seen: set[str] = set()
    for name, detail, base in defined + unset:
        if name in seen:
            continue
        seen.add(name)
        items.append(
            _value_item(
                doc,
                loc,
                offset,
                flags,
                name,
                detail=detail,
                kind=types.CompletionItemKind.Variable,
                order=base + len(items),
            )
        )
    return items


def _base_url_items(
    doc: JsonDocument, loc: Location, offset: int, flags: ClientFlags, protocol: str | None
) -> list[types.CompletionItem]:
    items = []
    preferred = (
        {p.base_urls[0][0] for p in presets.PRESETS if p.protocol == protocol}
        if protocol
        else set()
    )
    for order, (url, (service, region)) in enumerate(presets.KNOWN_ENDPOINTS.items()):
        detail = f"{service} — {region}" if region else service
        items.append(
            _value_item(
                doc,
                loc,
                offset,
                flags,
                url,
                detail=detail,
                kind=types.CompletionItemKind.Value,
                order=order + (0 if url in preferred else 1000),
            )
        )
    return items


def _protocol_of(path: JsonPath, doc: JsonDocument, ctx: AnalysisContext) -> str | None:
    if len(path) >= 2 and path[0] == "modelProviders" and isinstance(path[1], str):
        provider = path[1]
        if provider in known.AUTH_TYPES:
            return provider
        mapping = _effective(doc, ctx).get("providerProtocol")
        if isinstance(mapping, dict) and isinstance(mapping.get(provider), str):
            return mapping[provider]
    return None


def _value_items(
    doc: JsonDocument, ctx: AnalysisContext, loc: Location, offset: int, flags: ClientFlags
) -> list[types.CompletionItem]:
    path = tuple(loc.path)
    if path == ("model", "name"):
        return _model_items(doc, ctx, loc, offset, flags, selector=False)
    if len(path) == 1 and path[0] in known.MODEL_SELECTOR_KEYS:
        return _model_items(doc, ctx, loc, offset, flags, selector=True)
    if path in _AUTH_PATHS:
        return _auth_items(doc, ctx, loc, offset, flags)
    if len(path) == 4 and path[0] == "modelProviders" and path[3] == "id":
        return _listed_id_items(doc, ctx, loc, offset, flags, path)
    if len(path) == 4 and path[0] == "modelProviders" and path[3] == "envKey":
        return _env_key_items(doc, ctx, loc, offset, flags)
    if (
        len(path) == 4 and path[0] == "modelProviders" and path[3] == "baseUrl"
    ) or path in _BASE_URL_PATHS:
        return _base_url_items(doc, loc, offset, flags, _protocol_of(path, doc, ctx))
    if len(path) == 2 and path[0] == "providerProtocol":
        return [
            _value_item(
                doc, loc, offset, flags, p, order=i, kind=types.CompletionItemKind.EnumMember
            )
            for i, p in enumerate(known.AUTH_TYPES)
            if p != "qwen-oauth"
        ]
    if len(path) == 3 and path[0] == "modelProviders" and isinstance(path[2], int):
        typed = _typed(doc, loc, offset)
        if typed.strip():
            return []
        return [
            _value_item(
                doc,
                loc,
                offset,
                flags,
                {},
                label="new model entry",
                detail="id, name, baseUrl, envKey",
                kind=types.CompletionItemKind.Snippet,
                snippet=NEW_PROVIDER_ENTRY if flags.snippets else NEW_PROVIDER_ENTRY_PLAIN,
            )
        ]
    info = key_info(path)
    if info is None:
        return []
    if info.enum:
        return [
            _value_item(
                doc,
                loc,
                offset,
                flags,
                v,
                order=i,
                kind=types.CompletionItemKind.EnumMember,
                detail="default" if v == info.default else None,
            )
            for i, v in enumerate(info.enum)
        ]
    items = []
    if "boolean" in info.types:
        items += [
            _value_item(
                doc, loc, offset, flags, v, order=i, detail="default" if v == info.default else None
            )
            for i, v in enumerate((True, False))
        ]
    elif info.default is not MISSING and info.default is not None:
        items.append(_value_item(doc, loc, offset, flags, info.default, detail="default"))
    return items
