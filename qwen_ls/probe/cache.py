"""The model ids an endpoint listed, kept on disk for completion (offline, no request).

One JSON file, ``$XDG_CACHE_HOME/qwen-ls/model-ids.json`` (else ``~/.cache/qwen-ls/...``), mode
0600, written atomically through :mod:`qwen_ls.store` and read through :mod:`qwen_ls.safeio`.
Entries are keyed by a hash of (protocol, normalised base URL, key fingerprint): a different key
may see different models, and the key itself is never stored — the fingerprint is a salted
SHA-256 prefix. Entries live 24 h; the file keeps at most :data:`MAX_ENTRIES` endpoints of at
most :data:`MAX_IDS` ids each. A broken or hostile file reads as empty.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from qwen_ls import safeio
from qwen_ls.settings.presets import normalize_url

logger = logging.getLogger(__name__)

FILE_NAME = "model-ids.json"
TTL_S = 24 * 3600
MAX_ENTRIES = 64
MAX_IDS = 500
MAX_FILE_BYTES = 1_000_000
_SALT = b"qwen-ls model-id cache v1\0"
_memo: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}


def cache_file(environ: Mapping[str, str]) -> Path | None:
    """The cache file for this environment (``None`` when there is no home to put it in)."""
    xdg = environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "qwen-ls" / FILE_NAME
    home = environ.get("HOME")
    return Path(home) / ".cache" / "qwen-ls" / FILE_NAME if home else None


def fingerprint(key: str) -> str:
    """A salted SHA-256 prefix of ``key``: tells keys apart, reveals nothing of them."""
    return hashlib.sha256(_SALT + key.strip().encode("utf-8", "surrogatepass")).hexdigest()[:16]


def entry_id(protocol: str, base_url: str, key: str) -> str:
    """The cache key of one endpoint as seen with one key."""
    text = f"{protocol}\0{normalize_url(base_url)}\0{fingerprint(key)}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _load(path: Path) -> dict[str, Any]:
    try:
        st = path.stat()
    except OSError:
        return {}
    sig = (st.st_mtime_ns, st.st_size)
    memo = _memo.get(str(path))
    if memo is not None and memo[0] == sig:
        return memo[1]
    try:
        data = json.loads(safeio.read_text(path, limit=MAX_FILE_BYTES))
    except (OSError, ValueError, safeio.UnsafeFileError) as exc:
        logger.info("model-id cache unreadable (%s); ignoring it", type(exc).__name__)
        data = {}
    entries = data.get("entries") if isinstance(data, dict) else None
    clean = {k: v for k, v in (entries or {}).items()
             if isinstance(k, str) and isinstance(v, dict)
             and isinstance(v.get("ids"), list) and isinstance(v.get("fetchedAt"), int | float)}
    _memo[str(path)] = (sig, clean)
    return clean


def listed_ids(environ: Mapping[str, str], protocol: str, base_url: str, key: str | None,
               *, now: float | None = None) -> tuple[list[str], str] | None:
    """The ids cached for this endpoint and key, and the host that listed them; ``None`` if none.

    Entries older than :data:`TTL_S` do not count.
    """
    path = cache_file(environ)
    if path is None or not key or not key.strip():
        return None
    entry = _load(path).get(entry_id(protocol, base_url, key))
    now = time.time() if now is None else now
    if entry is None or now - entry["fetchedAt"] > TTL_S:
        return None
    ids = [i for i in entry["ids"][:MAX_IDS] if isinstance(i, str) and i.isprintable()]
    host = entry.get("host") if isinstance(entry.get("host"), str) else ""
    return ids, host


def remember_ids(environ: Mapping[str, str], protocol: str, base_url: str, key: str,
                 ids: Sequence[str], *, now: float | None = None) -> Path | None:
    """Store the ids an endpoint listed; returns the file written (``None`` when not written).

    Expired entries are dropped, and the oldest ones past :data:`MAX_ENTRIES`.
    """
    from qwen_ls.store import StoreError, atomic_write_bytes

    path = cache_file(environ)
    if path is None:
        return None
    now = time.time() if now is None else now
    entries = {k: v for k, v in _load(path).items() if now - v["fetchedAt"] <= TTL_S}
    entries[entry_id(protocol, base_url, key)] = {
        "protocol": protocol, "host": (urlsplit(base_url).hostname or "")[:253],
        "fetchedAt": now, "ids": [str(i)[:200] for i in list(ids)[:MAX_IDS]],
    }
    newest = sorted(entries.items(), key=lambda kv: kv[1]["fetchedAt"], reverse=True)
    data = {"version": 1, "entries": dict(newest[:MAX_ENTRIES])}
    try:
        written = atomic_write_bytes(path, json.dumps(data).encode("utf-8"), mode=0o600)
    except (StoreError, OSError) as exc:
        logger.info("could not write the model-id cache: %s", exc)
        return None
    _memo.pop(str(path), None)
    return written


def listed_for_entry(environ: Mapping[str, str], resolution: Any, merged: Mapping[str, Any],
                     protocol: str, config: Mapping[str, Any]) -> tuple[list[str], str] | None:
    """The cached ids of a provider entry's endpoint, with the key the CLI would use for it.

    For completion: reads the cache only, never the network; ``None`` when there is no key or
    no fresh entry.
    """
    from qwen_ls.probe.target import base_url_of, env_key_of, key_from

    found = key_from(protocol, env_key_of(config), resolution, merged) if resolution else None
    if found is None:
        return None
    return listed_ids(environ, protocol, base_url_of(protocol, config), found[0])
