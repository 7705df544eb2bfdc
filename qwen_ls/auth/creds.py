"""The Qwen OAuth credentials file ``<QWEN_HOME>/oauth_creds.json`` and its refresh lock.

Same format and locking as the CLI (facts §4): pretty JSON with exactly ``access_token``,
``refresh_token``, ``token_type``, ``resource_url`` and ``expiry_date`` (ms since the epoch);
folder 0700, file 0600, written through a temp file then renamed. Concurrent refreshes take the
lock file ``oauth_creds.lock`` (exclusive create, uuid content; 20 attempts with 100 ms → 2 s
backoff; stale after 35 s).
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qwen_ls.auth.common import AuthError
from qwen_ls.settings.known import (
    QWEN_OAUTH_CREDS_FILE,
    QWEN_OAUTH_CREDS_KEYS,
    QWEN_OAUTH_EXPIRY_MARGIN_MS,
    QWEN_OAUTH_LOCK_FILE,
)
from qwen_ls.store import write_json_file

LOCK_ATTEMPTS = 20
LOCK_FIRST_DELAY = 0.1
LOCK_MAX_DELAY = 2.0
LOCK_STALE_AFTER = 35.0


@dataclass(frozen=True, slots=True)
class Credentials:
    """The contents of ``oauth_creds.json``."""

    access_token: str
    refresh_token: str
    token_type: str
    resource_url: str
    expiry_date: int
    """Milliseconds since the epoch."""

    def to_json(self) -> dict[str, Any]:
        """Return the five fields in the CLI's order."""
        return {k: getattr(self, k) for k in QWEN_OAUTH_CREDS_KEYS}

    def expires_within(self, margin_ms: int = QWEN_OAUTH_EXPIRY_MARGIN_MS,
                       now_ms: int | None = None) -> bool:
        """Tell whether the access token expires within ``margin_ms`` from ``now_ms``."""
        now = int(time.time() * 1000) if now_ms is None else now_ms
        return self.expiry_date - margin_ms <= now


MAX_EXPIRY_MS = 253_402_300_799_999
"""9999-12-31T23:59:59.999Z, the last instant every date library can show."""


def creds_path(qwen_home: Path) -> Path:
    """Return ``<qwen_home>/oauth_creds.json``."""
    return Path(qwen_home) / QWEN_OAUTH_CREDS_FILE


def lock_path(qwen_home: Path) -> Path:
    """Return ``<qwen_home>/oauth_creds.lock``."""
    return Path(qwen_home) / QWEN_OAUTH_LOCK_FILE


def parse_credentials(data: Any) -> Credentials | None:
    """Validate a decoded credentials object the way the CLI does; ``None`` when invalid."""
    if not isinstance(data, dict):
        return None
    for key in ("access_token", "refresh_token", "token_type"):
        if not isinstance(data.get(key), str) or not data[key]:
            return None
    expiry = data.get("expiry_date")
    if isinstance(expiry, bool) or not isinstance(expiry, (int, float)):
        return None
    if not math.isfinite(expiry):  # json.loads accepts NaN / Infinity; JSON.parse does not
        return None
    # An absurd date (year 30 000, negative) would crash every date conversion downstream.
    expiry = min(max(expiry, 0), MAX_EXPIRY_MS)
    resource = data.get("resource_url")
    return Credentials(
        access_token=data["access_token"],
        refresh_token=data["refresh_token"],
        token_type=data["token_type"],
        resource_url=resource if isinstance(resource, str) else "",
        expiry_date=int(expiry),
    )


MAX_CREDS_BYTES = 1_000_000
"""A real credentials file is under 2 kB; anything far larger is not one."""


def read_credentials(qwen_home: Path) -> Credentials | None:
    """Read and validate the credentials file; ``None`` when missing or invalid."""
    from qwen_ls import safeio

    try:
        text = safeio.read_text(creds_path(qwen_home), limit=MAX_CREDS_BYTES)
    except (OSError, UnicodeDecodeError):  # missing, a FIFO, a device, huge: no credentials
        return None
    try:
        return parse_credentials(json.loads(text))
    except (ValueError, RecursionError):
        return None


def write_credentials(qwen_home: Path, creds: Credentials) -> Path:
    """Write the credentials file (folder 0700, file 0600, temp then rename); return its path."""
    return write_json_file(creds_path(qwen_home), creds.to_json(), mode=0o600)


def delete_credentials(qwen_home: Path) -> bool:
    """Remove the credentials file; ``True`` when it existed."""
    path = creds_path(qwen_home)
    try:
        os.unlink(path)
        return True
    except (FileNotFoundError, NotADirectoryError):
        return False
    except IsADirectoryError as exc:
        raise AuthError(f"{path} is a folder, not a credentials file; it was not removed.") from exc
    except OSError as exc:
        raise AuthError(f"Could not remove {path}: {exc.strerror or exc}.") from exc


class RefreshLock:
    """The CLI-compatible cross-process lock around a token refresh.

    Parameters
    ----------
    qwen_home
        Folder holding ``oauth_creds.lock``.
    sleep
        Awaitable sleep (injectable for tests).
    clock
        Wall-clock seconds, compared with the lock file's mtime for staleness.
    """

    def __init__(
        self,
        qwen_home: Path,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = lock_path(qwen_home)
        self.token = str(uuid.uuid4())
        self._sleep = sleep
        self._clock = clock
        self._held = False

    def _try_create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(self.token)
        return True

    def _remove_if_stale(self) -> None:
        try:
            age = self._clock() - os.stat(self.path).st_mtime
        except FileNotFoundError:
            return
        if age <= LOCK_STALE_AFTER:
            return
        # rename first so that two processes cannot both delete a fresh lock
        moved = self.path.with_name(f"{self.path.name}.stale.{uuid.uuid4().hex}")
        try:
            os.rename(self.path, moved)
            os.unlink(moved)
        except OSError:
            pass

    async def __aenter__(self) -> RefreshLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        delay = LOCK_FIRST_DELAY
        for _attempt in range(LOCK_ATTEMPTS):
            if self._try_create():
                self._held = True
                return self
            self._remove_if_stale()
            if self._try_create():
                self._held = True
                return self
            await self._sleep(delay)
            delay = min(delay * 2, LOCK_MAX_DELAY)
        raise AuthError(
            f"Another program is refreshing the Qwen OAuth token (lock file {self.path}). "
            "Try again in a minute."
        )

    async def __aexit__(self, *exc: object) -> None:
        from qwen_ls import safeio

        if not self._held:
            return
        self._held = False
        try:
            if safeio.read_text(self.path, limit=4096) == self.token:
                os.unlink(self.path)
        except OSError:
            pass
