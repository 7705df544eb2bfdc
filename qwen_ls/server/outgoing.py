"""The last gate before the wire: every string the server sends is masked and escaped.

Hovers, completion details, outline details, inlay hints, diagnostics, ``qwen/statusChanged``,
command results, ``window/showMessage`` and ``window/logMessage``: rather than trusting each
feature to call :func:`qwen_ls.secrets.redact`, :class:`~qwen_ls.server.server.QwenProtocol`
passes every outgoing message through :func:`sanitize`. A secret or an ``ESC`` that a hostile
file slips into any text still reaches the client masked and escaped.

Text that is *applied* rather than shown is left exactly as it is: the ``newText`` of edits and
``insertText`` of completions (masking would write ``sk-…1a2b`` into a user's file), the
``data`` and ``arguments`` the client hands back to the server, and URIs.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from qwen_ls import secrets

KEEP_KEYS = frozenset({"newText", "insertText", "filterText", "sortText", "data", "arguments",
                       "uri", "targetUri", "oldUri", "newUri", "jsonrpc", "method", "id",
                       "token", "workDoneToken", "partialResultToken"})
"""Members whose strings are applied or handed back, never shown: sent unchanged."""


@lru_cache(maxsize=8192)
def _safe(text: str) -> str:
    return secrets.redact(text)


secrets.on_remember(_safe.cache_clear)


def sanitize(value: Any) -> Any:
    """Return ``value`` (unstructured JSON) with every shown string masked and escaped.

    Containers are copied only where something changed.
    """
    if isinstance(value, str):
        return _safe(value) if value else value
    if isinstance(value, dict):
        out = None
        for key, item in value.items():
            if key in KEEP_KEYS:
                continue
            new = sanitize(item)
            if new is not item:
                if out is None:
                    out = dict(value)
                out[key] = new
        return value if out is None else out
    if isinstance(value, list):
        out_list = None
        for i, item in enumerate(value):
            new = sanitize(item)
            if new is not item:
                if out_list is None:
                    out_list = list(value)
                out_list[i] = new
        return value if out_list is None else out_list
    return value
