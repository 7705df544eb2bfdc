"""``textDocument/codeLens``: "Test connection" on each provider entry and on ``model.name``.

A lens only carries the command (``qwen-ls.testConnection`` with ``{uri, path}``); clicking it is
the explicit user action that may send a request. Nothing is sent when lenses are computed.
:func:`probe_diagnostic` places the result of a test on the entry as an information diagnostic.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from qwen_ls.features.common import SOURCE, to_range
from qwen_ls.features.options import ClientFlags
from qwen_ls.jsonc import JsonDocument
from qwen_ls.jsonc.types import Span
from qwen_ls.protocol import TEST_CONNECTION

TITLE = "Test connection"
DIAGNOSTIC_CODE = "test-connection"
MAX_LENSES = 500
"""Lenses per document (a generated file with thousands of entries gets the first ones)."""


def _lens(doc: JsonDocument, start: int, uri: str, path: list[Any],
          flags: ClientFlags) -> types.CodeLens:
    return types.CodeLens(
        range=to_range(doc.lines, Span(start, start), flags.encoding),
        command=types.Command(title=TITLE, command=TEST_CONNECTION,
                              arguments=[{"uri": uri, "path": path}]),
    )


def code_lenses(doc: JsonDocument, uri: str, flags: ClientFlags) -> list[types.CodeLens]:
    """A "Test connection" lens on every ``modelProviders.<provider>[i]`` object and ``model.name``.

    Entries of ``qwen-oauth`` (which registers no models) get none.
    """
    root = doc.root
    if root is None or root.kind != "object":
        return []
    lenses: list[types.CodeLens] = []
    model = root.get("model")
    name = model.get("name") if model is not None and model.kind == "object" else None
    if name is not None and name.kind == "string":
        lenses.append(_lens(doc, (name.member_span or name.span).start, uri, ["model", "name"],
                            flags))
    providers = root.get("modelProviders")
    if providers is None or providers.kind != "object":
        return lenses
    for member in providers.children():
        provider = member.key
        if member.kind != "array" or not isinstance(provider, str) or provider == "qwen-oauth":
            continue
        for index, entry in enumerate(member.children()):
            if len(lenses) >= MAX_LENSES:
                return lenses
            if entry.kind == "object":
                lenses.append(_lens(doc, entry.span.start, uri,
                                    ["modelProviders", provider, index], flags))
    return lenses


def result_span(doc: JsonDocument, path: list[Any]) -> Span | None:
    """Where a test result goes: the entry's ``id`` value, ``model.name``'s value, or the entry."""
    node = doc.node_at_path(tuple(path))
    if node is None:
        return None
    ident = node.get("id") if node.kind == "object" else None
    return (ident or node).span


def probe_diagnostic(doc: JsonDocument, path: list[Any], result: dict[str, Any],
                     flags: ClientFlags) -> dict[str, Any] | None:
    """The information diagnostic (JSON-ready) that shows ``result`` on the entry at ``path``."""
    span = result_span(doc, path)
    if span is None:
        return None
    rng = to_range(doc.lines, span, flags.encoding)
    verdict = "ok" if result.get("ok") else "failed"
    return {
        "range": {"start": {"line": rng.start.line, "character": rng.start.character},
                  "end": {"line": rng.end.line, "character": rng.end.character}},
        "message": f"Test connection {verdict}: {result.get('message', '')}",
        "severity": types.DiagnosticSeverity.Information.value,
        "code": DIAGNOSTIC_CODE,
        "source": SOURCE,
        "data": {"testConnection": {k: result.get(k) for k in (
            "ok", "failure", "httpStatus", "latencyMs", "modelListed", "closest")}},
    }
