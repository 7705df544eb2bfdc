"""``textDocument/hover``: what a key means, and what a value resolves to.

On a key: its description, type, default, allowed values, whether it needs a restart and its
deprecation. On a value, besides the key's documentation:

- ``model.name`` and the model selectors: the provider entry the id resolves to and which scope
  file defines it (or that none does, for the selected auth type);
- ``envKey``: which env source provides the variable, with the value masked (``sk-…1a2b``), or that
  none does and which sources were searched;
- ``baseUrl``: the service and region of a known endpoint.

Markdown when the client renders it, plain text otherwise.
"""

from __future__ import annotations

import json
from typing import Any

from lsprotocol import types

from qwen_ls.analysis.context import AnalysisContext, display
from qwen_ls.features.common import markup, to_range
from qwen_ls.features.options import ClientFlags
from qwen_ls.jsonc import JsonDocument
from qwen_ls.jsonc.types import JsonPath
from qwen_ls.secrets import looks_like_secret, mask
from qwen_ls.settings import known, presets
from qwen_ls.settings.catalog import MISSING, key_info
from qwen_ls.settings.registry import (
    find_model,
    selected_auth_type,
)


def hover(
    doc: JsonDocument, ctx: AnalysisContext, offset: int, flags: ClientFlags
) -> types.Hover | None:
    """Compute the hover at ``offset``.

    Parameters
    ----------
    doc
        The parsed document.
    ctx
        Its analysis context.
    offset
        Code-point offset of the cursor.
    flags
        Client capabilities (markdown, encoding).

    Returns
    -------
    types.Hover | None
        ``None`` where there is nothing to say (whitespace, comments, unknown keys).
    """
    loc = doc.locate(offset)
    if loc.in_comment or not loc.path:
        return None
    path = tuple(loc.path)
    node = doc.node_at_path(path)
    on_key = loc.on_key and loc.in_string
    if node is None:
        return None
    span = node.key_span if on_key and node.key_span is not None else node.span
    if not (span.start <= offset <= span.end):
        return None
    parts: list[str] = []
    if not on_key:
        parts += _value_notes(doc, ctx, path, node.value)
    parts += _key_doc(path)
    if not parts:
        return None
    return types.Hover(
        contents=markup("\n\n".join(parts), flags.markdown),
        range=to_range(doc.lines, span, flags.encoding),
    )


def _key_doc(path: JsonPath) -> list[str]:
    info = key_info(path)
    if info is None:
        return []
    shown = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in path).replace(
        ".[", "["
    )
    lines = [f"**{shown}**" + (f" — `{info.type_label}`" if info.type_label else "")]
    if info.deprecated:
        lines.append(f"**Deprecated:** {info.deprecated}")
    if info.description:
        lines.append(info.description)
    facts = []
    if info.default is not MISSING and info.default not in (None, {}, []):
        facts.append(f"Default: `{json.dumps(info.default)}`")
    if info.enum:
        facts.append("Allowed: " + ", ".join(f"`{v}`" for v in info.enum))
    if info.minimum is not None or info.maximum is not None:
        lo = "" if info.minimum is None else f">= {info.minimum:g}"
        hi = "" if info.maximum is None else f"<= {info.maximum:g}"
        facts.append("Range: " + ", ".join(p for p in (lo, hi) if p))
    if info.requires_restart:
        facts.append("Takes effect after restarting Qwen Code.")
    if facts:
        lines.append("  \n".join(facts))
    return ["\n\n".join(lines)]


def _value_notes(doc: JsonDocument, ctx: AnalysisContext, path: JsonPath, value: Any) -> list[str]:
    if not isinstance(value, str):
        return []
    if path == ("model", "name") or (len(path) == 1 and path[0] in known.MODEL_SELECTOR_KEYS):
        return [_model_note(doc, ctx, path, value)]
    if len(path) == 4 and path[0] == "modelProviders" and path[3] == "envKey":
        return [_env_note(doc, ctx, value)]
    if path[-1] == "baseUrl":
        info = presets.endpoint_info(value)
        if info is not None:
            service, region = info
            return [f"**{service}**" + (f" — {region}" if region else "")]
        return []
    return []


def _effective(doc: JsonDocument, ctx: AnalysisContext) -> tuple[dict, dict]:
    resolved = ctx.resolve(doc)
    return resolved.value, resolved.effective


def split_selector(value: str) -> tuple[str | None, str]:
    """Split a model selector ``"[<authType>:]<id>[<NUL><baseUrl>]"`` into (auth type, id)."""
    text = value.split("\0", 1)[0]
    head, sep, tail = text.partition(":")
    if sep and head in known.AUTH_TYPES:
        return head, tail
    return None, text


def _model_note(doc: JsonDocument, ctx: AnalysisContext, path: JsonPath, value: str) -> str:
    _, effective = _effective(doc, ctx)
    registry = ctx.resolve(doc).registry
    auth, model_id = split_selector(value)
    if path == ("model", "name") or auth is None:
        auth = auth or selected_auth_type(effective, ctx.environ)
    base = (
        effective.get("model", {}).get("baseUrl")
        if path == ("model", "name") and isinstance(effective.get("model"), dict)
        else None
    )
    entry = find_model(registry, model_id, auth, base if isinstance(base, str) else None)
    if entry is None:
        others = [m for m in registry if m.id == model_id]
        if others:
            return (
                f"`{model_id}` is defined for `{others[0].protocol}`, not for the selected auth "
                f"type `{auth}`."
            )
        return f"No `modelProviders` entry has the id `{model_id}`" + (
            f" for auth type `{auth}`." if auth else "."
        )
    where = display(entry.path, ctx.environ) if entry.path else f"{entry.scope} settings"
    lines = [
        f"**{entry.name}** → `modelProviders.{entry.provider}[{entry.index}]` in "
        f"{entry.scope} settings (`{where}`)"
    ]
    details = [f"protocol `{entry.protocol}`"]
    if entry.base_url:
        details.append(f"base URL `{entry.base_url}`")
    if entry.env_key:
        details.append(f"key from `{entry.env_key}`")
    lines.append(", ".join(details))
    return "\n\n".join(lines)


def _env_note(doc: JsonDocument, ctx: AnalysisContext, name: str) -> str:
    if looks_like_secret(name):
        return (
            f"`{mask(name)}` looks like an API key, not the **name** of an environment "
            "variable. Move the key into a `.env` file and put its variable name here."
        )
    _, effective = _effective(doc, ctx)
    env = ctx.env(effective)
    source = env.lookup(name)
    if source is None or not source.value.strip():
        searched = ", ".join(env.searched) if env.searched else "no sources"
        return f"`{name}` is **not set** in any source. Searched: {searched}."
    note = f"`{name}` = `{mask(source.value)}` from {source.label}"
    shadowed = [s.label for s in env.all_sources(name) if s is not source]
    if shadowed:
        note += "\n\nAlso defined (not used): " + ", ".join(shadowed)
    return note
