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

from collections.abc import Callable
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


def sanitize(value: Any, serialize: Callable[[Any], Any] | None = None) -> Any:
    """Return ``value`` as JSON-ready data with every shown string masked and escaped.

    Containers are copied only where something changed. A container met again in the same
    message (the same ``.env`` file placed in each of thousands of diagnostics) is walked once.

    Parameters
    ----------
    value
        The message: JSON-ready data, or objects ``serialize`` turns into it.
    serialize
        Called for anything that is not a string, number, boolean, ``None``, dict, list or
        tuple (pygls' ``_serialize_message``: attrs messages, enums); its result is sanitized
        in turn. Without it such values are returned as they are.
    """
    return _Walk(serialize).clean(value)


class _Walk:
    """One message's walk; :meth:`clean` remembers each container it has already cleaned."""

    __slots__ = ("serialize", "done")

    def __init__(self, serialize: Callable[[Any], Any] | None) -> None:
        self.serialize = serialize
        # id -> (the container, its clean version); holding the container keeps its id unique
        # for the whole walk, even for the temporaries serialize() makes.
        self.done: dict[int, tuple[Any, Any]] = {}

    def clean(self, value: Any) -> Any:
        if isinstance(value, str):
            return _safe(value) if value else value
        if value is None or isinstance(value, (bool, int, float)):
            return value
        if isinstance(value, (dict, list, tuple)):
            seen = self.done.get(id(value))
            if seen is not None and seen[0] is value:
                return seen[1]
            out = self._dict(value) if isinstance(value, dict) else self._items(value)
            self.done[id(value)] = (value, out)
            return out
        if self.serialize is None:
            return value
        return self.clean(self.serialize(value))

    def _dict(self, value: dict) -> dict:
        out = None
        for key, item in value.items():
            if key in KEEP_KEYS:
                continue
            new = self.clean(item)
            if new is not item:
                if out is None:
                    out = dict(value)
                out[key] = new
        return value if out is None else out

    def _items(self, value: list | tuple) -> list | tuple:
        out = None
        for i, item in enumerate(value):
            new = self.clean(item)
            if new is not item:
                if out is None:
                    out = list(value)
                out[i] = new
        return value if out is None else out
