"""Shared pieces of the sign-in flows: errors, URL safety and the HTTP client.

Every flow returns a ``SignInResult`` dict, built by :func:`qwen_ls.protocol.result`.

Network rules shared by every flow: plain ``http://`` is only allowed to a loopback host (refused
before any connection), redirects are never followed, and nothing a server sends is shown raw.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from qwen_ls.protocol import Status, result
from qwen_ls.secrets import redact

if TYPE_CHECKING:
    import httpx  # imported by make_client: the status check reads files only, and runs often

DEFAULT_TIMEOUT = 30.0
"""Seconds for one HTTP request (connect + read), the CLI's refresh timeout."""


class AuthError(Exception):
    """A sign-in step failed; ``str(exc)`` is a user-facing sentence without secrets."""

    status: Status = "error"

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))


class AuthCancelled(AuthError):
    """The user cancelled; nothing was written."""

    status: Status = "cancelled"

    def __init__(self, message: str = "Sign-in was cancelled; nothing was written.") -> None:
        super().__init__(message)


def error_result(exc: AuthError) -> dict[str, Any]:
    """Turn an :class:`AuthError` (or :class:`AuthCancelled`) into a ``SignInResult``."""
    return result(False, exc.status, str(exc))


def nothing_written(message: str) -> str:
    """Return ``message`` ending with "Nothing was written." unless it already says so."""
    if "nothing was written" in message.lower():
        return message
    return message.rstrip() + ("" if message.rstrip().endswith(".") else ".") + \
        " Nothing was written."


def failed_before_writing(exc: AuthError) -> dict[str, Any]:
    """:func:`error_result` for a failure that happened before any file was touched."""
    return result(False, exc.status, nothing_written(str(exc)))


def is_loopback_host(host: str | None) -> bool:
    """Tell whether ``host`` names this machine (``localhost``, ``127.0.0.0/8``, ``::1``)."""
    if not host:
        return False
    if host.lower() in ("localhost", "localhost.") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str, what: str) -> str:
    """Validate a service URL before any connection and return it without a trailing slash.

    Parameters
    ----------
    url
        The URL to check.
    what
        What the URL is for, used in messages ("The Qwen OAuth base URL").

    Returns
    -------
    str
        The URL, trailing ``/`` removed.

    Raises
    ------
    AuthError
        Not http(s), no host, or plain http to a host that is not loopback.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AuthError(f"{what} '{url}' is not an http(s) URL with a host name; nothing was "
                        "written.")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise AuthError(
            f"{what} '{url}' uses plain http to {parts.hostname}; qwen-ls only sends credentials "
            "over https (plain http is allowed for localhost only). Nothing was written."
        )
    return url.strip().rstrip("/")


MAX_BODY_BYTES = 1_000_000
"""The largest answer body read from any provider (real answers are a few kB)."""


def bounded_number(value: Any, default: float, low: float, high: float) -> float:
    """Return ``value`` as a number clamped to ``[low, high]``; ``default`` when it is not one.

    Booleans, strings, NaN and infinities are not numbers here (a provider answering
    ``"expires_in": 1e999`` must not crash the flow or make it wait forever).
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    if value != value or value in (float("inf"), float("-inf")):
        return default
    return float(min(max(value, low), high))


def check_browser_uri(uri: str, what: str = "The address") -> str:
    """Return ``uri`` when it is safe to open in a browser, else raise :class:`AuthError`.

    Only ``https:`` (and ``http:`` to a loopback host) is opened: a provider's answer must not
    make qwen-ls open ``javascript:``, ``file:`` or ``data:`` addresses, or smuggle control
    characters or spaces into the command line of ``$BROWSER``.
    """
    text = uri.strip() if isinstance(uri, str) else ""
    parts = urlsplit(text)
    reason = None
    if not text or len(text) > 2048:
        reason = "it is empty or too long"
    elif any(c.isspace() or ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text):
        reason = "it contains spaces or control characters"
    elif parts.scheme not in ("https", "http") or not parts.hostname:
        reason = f"its scheme is '{parts.scheme or 'none'}', not https"
    elif parts.scheme == "http" and not is_loopback_host(parts.hostname):
        reason = "it uses plain http to a host that is not this machine"
    if reason:
        raise AuthError(f"{what} {text[:80]!r} was not opened: {reason}. qwen-ls opens only "
                        "https addresses (http for localhost).")
    return text


def make_client(url: str, timeout: float = DEFAULT_TIMEOUT) -> httpx.AsyncClient:
    """Return an ``httpx.AsyncClient`` for ``url``: no redirects, bounded timeouts.

    Proxy variables from the environment apply except for loopback hosts.
    """
    import httpx

    from qwen_ls.auth.capped import CappedTransport

    loopback = is_loopback_host(urlsplit(url).hostname)
    transport = CappedTransport(httpx.AsyncHTTPTransport(trust_env=not loopback),
                                 MAX_BODY_BYTES)
    return httpx.AsyncClient(
        follow_redirects=False, timeout=httpx.Timeout(timeout), trust_env=not loopback,
        transport=transport, headers={"Accept-Encoding": "identity"},  # no compression bombs
    )


@contextlib.asynccontextmanager
async def borrowed_client(
    client: httpx.AsyncClient | None, url: str, timeout: float = DEFAULT_TIMEOUT
) -> AsyncIterator[httpx.AsyncClient]:
    """``client`` when the caller passes one (tests), else a :func:`make_client` closed after."""
    if client is not None:
        yield client
        return
    async with make_client(url, timeout) as http:
        yield http


def refuse_redirect(response: httpx.Response, what: str) -> None:
    """Raise :class:`AuthError` when ``response`` is a redirect (qwen-ls never follows them)."""
    if response.is_redirect or 300 <= response.status_code < 400:
        target = response.headers.get("location", "")
        host = urlsplit(target).hostname or "another address"
        raise AuthError(
            f"{what} answered with a redirect to {host} (HTTP {response.status_code}); qwen-ls "
            "does not follow redirects when credentials are involved. Check the base URL."
        )


def json_body(response: httpx.Response) -> Any | None:
    """Return the decoded JSON body, or ``None`` when the body is not JSON (HTML page, junk)."""
    try:
        return json.loads(response.text)
    except (ValueError, UnicodeDecodeError):
        return None


def describe_body(response: httpx.Response) -> str:
    """Describe a non-JSON body for messages (never the body itself)."""
    ctype = response.headers.get("content-type", "").split(";")[0].strip() or "no content type"
    if "html" in ctype or response.text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        return "an HTML page instead of JSON"
    return f"a response that is not valid JSON ({ctype})"
