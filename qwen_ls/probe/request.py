"""The cheapest authenticated request per protocol, and how to read its answer.

Every protocol has a model list that needs the key and costs nothing:

- OpenAI-compatible: ``GET {baseUrl}/models`` with ``Authorization: Bearer``; the SDK appends
  ``/chat/completions`` (or ``/responses``) to the same base, so this checks the base as well;
- Anthropic: ``GET {baseUrl}/v1/models`` with ``x-api-key`` and ``anthropic-version`` (the SDK
  appends ``/v1/messages`` to the base);
- Gemini: ``GET {baseUrl}/v1beta/models`` with ``x-goog-api-key`` (a header, so that the key is in
  no URL a proxy may log).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ANTHROPIC_VERSION = "2023-06-01"
MAX_IDS = 2000
"""Model ids kept from one answer (real lists have tens to a few hundred)."""
MAX_ID_LENGTH = 200


@dataclass(frozen=True, repr=False)
class Request:
    """One GET request; ``headers`` hold the key and are never shown."""

    url: str
    headers: dict[str, str] = field(repr=False)

    def __repr__(self) -> str:
        return f"Request(GET {self.url})"


def models_url(protocol: str, base_url: str) -> str:
    """The model-list URL for ``base_url`` (as the SDK would build paths from it)."""
    base = base_url.rstrip("/")
    if protocol == "anthropic":
        return base + "/v1/models?limit=1000"
    if protocol == "gemini":
        tail = base.rsplit("/", 1)[-1]
        if tail in ("v1beta", "v1", "v1alpha"):
            return base + "/models?pageSize=1000"
        return base + "/v1beta/models?pageSize=1000"
    return base + "/models"


def build(protocol: str, base_url: str, key: str) -> Request:
    """The request that proves ``key`` works at ``base_url`` for ``protocol``."""
    headers = {"Accept": "application/json", "User-Agent": "qwen-ls (test connection)"}
    if protocol == "anthropic":
        headers.update({"x-api-key": key, "anthropic-version": ANTHROPIC_VERSION})
    elif protocol == "gemini":
        headers["x-goog-api-key"] = key
    else:
        headers["Authorization"] = f"Bearer {key}"
    return Request(models_url(protocol, base_url), headers)


def _clean_id(value: Any, protocol: str) -> str | None:
    if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH:
        return None
    if protocol == "gemini" and value.startswith("models/"):
        value = value[len("models/"):]
    if not value.isprintable() or any(c.isspace() for c in value):
        return None
    return value


def model_ids(protocol: str, data: Any) -> tuple[list[str], bool] | None:
    """The ids in a model-list answer and whether more pages exist; ``None`` if it is no list.

    OpenAI and Anthropic answer ``{"data": [{"id": ...}]}`` (Anthropic adds ``has_more``);
    Gemini ``{"models": [{"name": "models/<id>"}], "nextPageToken"?}``.
    """
    if not isinstance(data, dict):
        return None
    if protocol == "gemini":
        items, field_name = data.get("models"), "name"
        more = bool(data.get("nextPageToken"))
    else:
        items, field_name = data.get("data"), "id"
        more = data.get("has_more") is True
    if not isinstance(items, list):
        return None
    ids: dict[str, None] = {}
    for item in items[:MAX_IDS]:
        ident = _clean_id(item.get(field_name) if isinstance(item, dict) else None, protocol)
        if ident is not None:
            ids[ident] = None
    return list(ids), more or len(items) > MAX_IDS
