"""Qwen OAuth sign-in: RFC 8628 device authorization grant with PKCE (S256), refresh, sign-out.

Exactly the CLI's protocol (facts §4): ``POST <base>/api/v1/oauth2/device/code`` with
``client_id, scope, code_challenge, code_challenge_method=S256`` (and an ``x-request-id``), then
``POST <base>/api/v1/oauth2/token`` with the device-code grant every 2 s; ``slow_down`` multiplies
the interval by 1.5 (at most 10 s), a plain ``authorization_pending`` resets it to 2 s; polling
stops at ``expires_in``. On success ``<QWEN_HOME>/oauth_creds.json`` is written and
``security.auth.selectedType`` becomes ``"qwen-oauth"`` in the user settings.

The hosted service was discontinued on 2026-04-15; a refusal from the official host is explained
as such, with the alternatives. The base URL is configurable (argument, then
``QWEN_LS_OAUTH_BASE_URL``) for self-hosted or test servers.

Everything is async (``httpx.AsyncClient``) and cancellable: an :class:`asyncio.Event` is checked
before each poll and interrupts sleeps and requests at once; a cancelled flow writes nothing.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import inspect
import logging
import os
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from qwen_ls.auth import creds as creds_mod
from qwen_ls.auth.common import (
    AuthCancelled,
    AuthError,
    borrowed_client,
    bounded_number,
    check_browser_uri,
    check_url,
    describe_body,
    error_result,
    failed_before_writing,
    json_body,
    refuse_redirect,
)
from qwen_ls.auth.context import AuthEnv
from qwen_ls.protocol import result
from qwen_ls.secrets import remember
from qwen_ls.settings.known import (
    QWEN_OAUTH_BASE_URL,
    QWEN_OAUTH_CLIENT_ID,
    QWEN_OAUTH_DEVICE_CODE_PATH,
    QWEN_OAUTH_DISCONTINUED_DATE,
    QWEN_OAUTH_GRANT_TYPE,
    QWEN_OAUTH_SCOPE,
    QWEN_OAUTH_TOKEN_PATH,
)
from qwen_ls.store import StoreError

logger = logging.getLogger(__name__)

BASE_URL_ENV = "QWEN_LS_OAUTH_BASE_URL"
OFFICIAL_HOST = urlsplit(QWEN_OAUTH_BASE_URL).hostname or "chat.qwen.ai"
POLL_INTERVAL = 2.0
MAX_POLL_INTERVAL = 10.0
TRANSIENT_RETRIES = 3
"""Consecutive 5xx / timeout answers tolerated while polling before giving up."""

DISCONTINUED_EXPLANATION = (
    f"The hosted Qwen OAuth free tier was discontinued on {QWEN_OAUTH_DISCONTINUED_DATE}, so this "
    "sign-in cannot work any more. Use Alibaba Cloud Coding Plan (`qwen-ls auth coding-plan`) or "
    "an API key from a provider (`qwen-ls auth api-key`) instead."
)

T = TypeVar("T")
OnCode = Callable[[str, str, str, int], Any]
"""Receives the device code: ``(user_code, uri, uri_complete, expires_in)``."""
OnProgress = Callable[[str], Any]
"""Receives a progress line while the flow waits (the server's work-done ``Progress.report``)."""


DEVICE_FLOW_DEADLINE_S = 15 * 60
"""Overall limit of a device flow, besides (and above) the code's own ``expires_in``."""

@dataclass(frozen=True, slots=True)
class DeviceCode:
    """The device authorization answer."""

    device_code: str
    user_code: str
    verification_uri: str
    verification_uri_complete: str
    expires_in: int


@dataclass
class PollOptions:
    """Timing knobs; tests shrink the interval and inject a fake clock and sleep."""

    interval_scale: float = 1.0
    """Multiplies every poll interval (2 s, 1.5x, 10 s cap); ``expires_in`` is not scaled."""
    request_timeout: float = 30.0
    """Seconds for one HTTP request."""
    clock: Callable[[], float] = time.monotonic
    """Monotonic seconds, for ``expires_in`` and the overall deadline."""
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    """Awaitable sleep between polls."""
    wall_clock: Callable[[], float] = time.time
    """Epoch seconds, for ``expiry_date``."""


def resolve_base_url(base_url: str | None, environ: Mapping[str, str]) -> str:
    """Return the OAuth base URL: the argument, else ``QWEN_LS_OAUTH_BASE_URL``, else chat.qwen.ai.

    Raises
    ------
    AuthError
        For a URL that is not https (plain http is allowed for loopback only).
    """
    url = base_url or environ.get(BASE_URL_ENV) or QWEN_OAUTH_BASE_URL
    return check_url(url, "The Qwen OAuth base URL")


def pkce_pair() -> tuple[str, str]:
    """Return ``(code_verifier, code_challenge)``: 32 random bytes base64url, and its S256."""
    verifier = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode("ascii")
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


def _form_headers(request_id: bool = False) -> dict[str, str]:
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
    }
    if request_id:
        headers["x-request-id"] = str(uuid.uuid4())
    return headers


def _mentions_discontinued(text: str) -> bool:
    low = text.lower()
    return "discontinued" in low or "free tier" in low or "free-tier" in low


def _device_failure(base: str, status: int, text: str, data: Any) -> AuthError:
    host = urlsplit(base).hostname or base
    if host == OFFICIAL_HOST or _mentions_discontinued(text):
        return AuthError(f"Qwen OAuth sign-in was refused by {host} (HTTP {status}). "
                         + DISCONTINUED_EXPLANATION)
    if isinstance(data, dict) and data.get("error"):
        desc = f" - {data['error_description']}" if data.get("error_description") else ""
        return AuthError(f"Device authorization failed: {data['error']}{desc}")
    return AuthError(f"Device authorization failed: HTTP {status} from {host}.")


async def _maybe_await(value: Any) -> None:
    if inspect.isawaitable(value):
        await value


class _Runner:
    """Races every wait against the cancellation event and the overall deadline."""

    def __init__(self, cancel: asyncio.Event | None, opts: PollOptions,
                 deadline: float | None) -> None:
        self.cancel = cancel
        self.opts = opts
        self.deadline = None if deadline is None else opts.clock() + deadline

    def check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise AuthCancelled()
        if self.deadline is not None and self.opts.clock() >= self.deadline:
            raise AuthError("Sign-in did not finish in time; nothing was written. Run it again.")

    async def run(self, awaitable: Awaitable[T]) -> T:
        """Await ``awaitable`` unless cancellation comes first."""
        self.check()
        task = asyncio.ensure_future(awaitable)
        if self.cancel is None:
            return await task
        waiter = asyncio.ensure_future(self.cancel.wait())
        try:
            done, _ = await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            task.cancel()
            waiter.cancel()
            raise
        if task in done:
            waiter.cancel()
            return task.result()
        task.cancel()
        try:
            await task
        except BaseException:  # the cancelled request's own error is irrelevant now
            pass
        raise AuthCancelled()


async def request_device_code(
    client: httpx.AsyncClient, base: str, challenge: str, runner: _Runner | None = None
) -> DeviceCode:
    """Start the device flow and return the codes.

    Parameters
    ----------
    client
        HTTP client (no redirects).
    base
        Checked base URL.
    challenge
        PKCE S256 code challenge.
    runner
        Cancellation/deadline guard.

    Returns
    -------
    DeviceCode
        The device code, user code and verification URLs.

    Raises
    ------
    AuthError
        Every failure, explained (discontinued service, HTML page, timeout, redirect...).
    """
    form = {
        "client_id": QWEN_OAUTH_CLIENT_ID,
        "scope": QWEN_OAUTH_SCOPE,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    coro = client.post(base + QWEN_OAUTH_DEVICE_CODE_PATH, data=form,
                       headers=_form_headers(request_id=True))
    host = urlsplit(base).hostname
    try:
        response = await (runner.run(coro) if runner else coro)
    except httpx.TimeoutException as exc:
        raise AuthError(f"The Qwen OAuth service at {host} did not answer in time.") from exc
    except httpx.HTTPError as exc:
        raise AuthError(f"Could not reach the Qwen OAuth service at {host}: "
                        f"{type(exc).__name__}.") from exc
    refuse_redirect(response, f"The Qwen OAuth service at {host}")
    data = json_body(response)
    if response.status_code >= 400:
        raise _device_failure(base, response.status_code, response.text, data)
    if data is None:
        raise AuthError(f"The Qwen OAuth service at {host} returned {describe_body(response)}.")
    if not isinstance(data, dict) or not data.get("device_code"):
        if isinstance(data, dict) and _mentions_discontinued(str(data)):
            raise AuthError(DISCONTINUED_EXPLANATION)
        err = data.get("error") if isinstance(data, dict) else None
        desc = data.get("error_description") if isinstance(data, dict) else None
        raise AuthError(f"Device authorization failed: {err or 'no device code returned'}"
                        + (f" - {desc}" if desc else ""))
    uri = check_browser_uri(str(data.get("verification_uri") or ""),
                            "The verification address from the Qwen OAuth service")
    try:
        complete = check_browser_uri(str(data.get("verification_uri_complete") or uri),
                                     "The verification address from the Qwen OAuth service")
    except AuthError:
        complete = uri  # the one address we show and open: never a different, unsafe one
    user_code = str(data.get("user_code") or "")
    if len(user_code) > 64 or any(not c.isprintable() for c in user_code):
        raise AuthError("Device authorization failed: the user code has an unexpected shape.")
    return DeviceCode(
        device_code=str(data["device_code"])[:4096],
        user_code=user_code,
        verification_uri=uri,
        verification_uri_complete=complete,
        # clamped: a huge or non-finite expires_in must neither crash nor poll for days
        expires_in=int(bounded_number(data.get("expires_in"), 600, 1, DEVICE_FLOW_DEADLINE_S)),
    )


async def poll_for_token(
    client: httpx.AsyncClient,
    base: str,
    device: DeviceCode,
    verifier: str,
    runner: _Runner,
    opts: PollOptions,
    progress: OnProgress | None = None,
) -> dict[str, Any]:
    """Poll the token endpoint until the user approves, refuses, or the code expires.

    Returns
    -------
    dict
        The token answer (``access_token``, ``refresh_token``, ``expires_in``...).

    Raises
    ------
    AuthError
        Denied, expired, invalid grant, unusable answers, repeated server failures.
    AuthCancelled
        When the cancellation event is set.
    """
    form = {
        "grant_type": QWEN_OAUTH_GRANT_TYPE,
        "client_id": QWEN_OAUTH_CLIENT_ID,
        "device_code": device.device_code,
        "code_verifier": verifier,
    }
    host = urlsplit(base).hostname
    start = opts.clock()
    interval = POLL_INTERVAL
    failures = 0
    timeout_msg = "Authorization timeout, please restart the process."
    while True:
        runner.check()
        remaining = device.expires_in - (opts.clock() - start)
        if remaining <= 0:
            raise AuthError(f"{timeout_msg} The code expired before it was approved.")
        await runner.run(opts.sleep(min(interval * opts.interval_scale, remaining)))
        runner.check()
        if opts.clock() - start >= device.expires_in:
            raise AuthError(f"{timeout_msg} The code expired before it was approved.")
        try:
            response = await runner.run(
                client.post(base + QWEN_OAUTH_TOKEN_PATH, data=form, headers=_form_headers())
            )
        except httpx.TimeoutException:
            failures += 1
            if failures > TRANSIENT_RETRIES:
                raise AuthError(f"The Qwen OAuth service at {host} stopped answering in time; "
                                "nothing was written. Try again later.") from None
            await _maybe_await(progress and progress("The service is slow to answer; retrying…"))
            continue
        except httpx.HTTPError as exc:
            raise AuthError(f"Could not reach the Qwen OAuth service at {host}: "
                            f"{type(exc).__name__}.") from exc
        refuse_redirect(response, f"The Qwen OAuth service at {host}")
        status = response.status_code
        data = json_body(response)
        error = data.get("error") if isinstance(data, dict) else None
        if status >= 500:
            failures += 1
            if failures > TRANSIENT_RETRIES:
                raise AuthError(f"The Qwen OAuth service at {host} keeps failing (HTTP {status}); "
                                "nothing was written. Try again later.")
            continue
        failures = 0
        if error == "authorization_pending":
            interval = POLL_INTERVAL
            await _maybe_await(progress and progress("Waiting for you to approve in the browser…"))
            continue
        if error == "slow_down" or (status == 429 and error is None):
            interval = min(interval * 1.5, MAX_POLL_INTERVAL)
            await _maybe_await(progress and progress("The service asked to poll more slowly…"))
            continue
        if error == "expired_token":
            raise AuthError("The sign-in code expired before it was approved; nothing was "
                            "written. Run the sign-in again.")
        if error == "access_denied":
            raise AuthError("Sign-in was denied in the browser; nothing was written.")
        if error == "invalid_grant":
            raise AuthError("The sign-in code is no longer valid (invalid_grant); nothing was "
                            "written. Run the sign-in again.")
        if status == 401:
            raise AuthError("Device code expired or invalid, please restart the authorization "
                            "process.")
        if data is None:
            raise AuthError(f"Device token poll failed: HTTP {status} with "
                            f"{describe_body(response)}.")
        if status >= 400 or error:
            if _mentions_discontinued(response.text):
                raise AuthError(DISCONTINUED_EXPLANATION)
            desc = data.get("error_description") if isinstance(data, dict) else None
            raise AuthError(f"Device token poll failed: {error or f'HTTP {status}'}"
                            + (f" - {desc}" if desc else ""))
        if not isinstance(data, dict) or not data.get("access_token"):
            raise AuthError("Device token poll failed: the answer holds no access token.")
        return data


def credentials_from_token(
    data: Mapping[str, Any], now: float, previous: creds_mod.Credentials | None = None
) -> creds_mod.Credentials:
    """Build the credentials file content from a token answer.

    ``expiry_date = now*1000 + expires_in*1000``; a missing ``refresh_token`` or ``resource_url``
    keeps the previous value.

    Raises
    ------
    AuthError
        When the answer lacks a usable access or refresh token.
    """
    access = data.get("access_token")
    refresh = data.get("refresh_token") or (previous.refresh_token if previous else None)
    if not isinstance(access, str) or not access:
        raise AuthError("The Qwen OAuth service returned no access token.")
    if not isinstance(refresh, str) or not refresh:
        raise AuthError("The Qwen OAuth service returned no refresh token; nothing was written.")
    expires_in = bounded_number(data.get("expires_in"), 3600, 1, 366 * 24 * 3600)
    resource = data.get("resource_url") or (previous.resource_url if previous else "")
    remember(access)
    remember(refresh)
    return creds_mod.Credentials(
        access_token=access,
        refresh_token=refresh,
        token_type=str(data.get("token_type") or "Bearer"),
        resource_url=str(resource or ""),
        expiry_date=int(now * 1000 + expires_in * 1000),
    )


async def sign_in(
    env: AuthEnv,
    *,
    base_url: str | None = None,
    on_code: OnCode | None = None,
    progress: OnProgress | None = None,
    cancel: asyncio.Event | None = None,
    deadline: float | None = None,
    options: PollOptions | None = None,
    client: httpx.AsyncClient | None = None,
) -> dict[str, Any]:
    """Run the whole Qwen OAuth device flow and return a ``SignInResult``.

    Parameters
    ----------
    env
        Where to write (``QWEN_HOME``, user settings) and the environment.
    base_url
        OAuth service base URL; default ``QWEN_LS_OAUTH_BASE_URL`` or https://chat.qwen.ai.
    on_code
        ``on_code(user_code, verification_uri, verification_uri_complete, expires_in)``, called
        once the code is known (sync or async). Show the URL and code to the user here.
    progress
        ``progress(message)`` for status lines while waiting (sync or async).
    cancel
        Set it to stop at once; nothing is written.
    deadline
        Overall limit in seconds (besides the code's own ``expires_in``).
    options
        Timing knobs (tests).
    client
        An HTTP client to use instead of a fresh one.

    Returns
    -------
    dict
        ``SignInResult``: ``signed-in`` with the files written, ``cancelled`` or ``error``.
    """
    opts = options or PollOptions()
    # A real total deadline, whatever the caller passes: polling never outlives it.
    runner = _Runner(cancel, opts, min(deadline or DEVICE_FLOW_DEADLINE_S, DEVICE_FLOW_DEADLINE_S))
    try:
        base = resolve_base_url(base_url, env.environ)
        settings_file = env.user_settings()
        refusal = await env.store.check(settings_file)
        if refusal:
            raise AuthError(refusal)
        verifier, challenge = pkce_pair()
        async with borrowed_client(client, base, opts.request_timeout) as http:
            device = await request_device_code(http, base, challenge, runner)
            if on_code is not None:
                await _maybe_await(on_code(device.user_code, device.verification_uri,
                                           device.verification_uri_complete, device.expires_in))
            token = await poll_for_token(http, base, device, verifier, runner, opts, progress)
        runner.check()
        creds = credentials_from_token(token, opts.wall_clock())
    except AuthCancelled as exc:
        return error_result(exc)
    except AuthError as exc:
        return failed_before_writing(exc)
    try:
        creds_file = creds_mod.write_credentials(env.qwen_home, creds)
    except StoreError as exc:
        return result(False, "error", "Qwen OAuth approved the sign-in, but the credentials could "
                      f"not be saved: {exc} Run the sign-in again once this is fixed.")
    files: list[Path] = [creds_file]
    try:
        outcome = await env.store.update(
            settings_file, [(("security", "auth", "selectedType"), "qwen-oauth")]
        )
        if outcome.changed:
            files.append(settings_file)
    except StoreError as exc:
        return result(False, "error", f"Signed in and saved the credentials to {creds_file}, "
                      f"but could not select Qwen OAuth in settings: {exc}", files)
    return result(
        True,
        "signed-in",
        f"Signed in with Qwen OAuth at {urlsplit(base).hostname}. Credentials saved to "
        f"{creds_file}; security.auth.selectedType is now \"qwen-oauth\" in {settings_file}.",
        files,
        model="coder-model",
    )


async def refresh_credentials(
    qwen_home: Path,
    *,
    base_url: str | None = None,
    environ: Mapping[str, str] | None = None,
    force: bool = False,
    options: PollOptions | None = None,
    client: httpx.AsyncClient | None = None,
) -> creds_mod.Credentials:
    """Return valid credentials, refreshing them when they expire within 30 s.

    Takes the CLI's lock ``oauth_creds.lock``; re-reads the file once the lock is held (another
    process may have refreshed meanwhile). A refused refresh (HTTP 400/401) deletes the
    credentials file, as the CLI does.

    Parameters
    ----------
    qwen_home
        Folder with ``oauth_creds.json``.
    base_url
        OAuth service base URL (see :func:`resolve_base_url`).
    environ
        Environment for ``QWEN_LS_OAUTH_BASE_URL``.
    force
        Refresh even when the token is still valid.
    options
        Timing knobs (tests).
    client
        HTTP client to use.

    Returns
    -------
    Credentials
        The current (possibly new) credentials.

    Raises
    ------
    AuthError
        Not signed in, refresh refused (file deleted), service failures.
    """
    opts = options or PollOptions()
    try:
        base = resolve_base_url(base_url, environ if environ is not None else os.environ)
    except AuthError as exc:
        message = str(exc).replace(" Nothing was written.", "").rstrip(".")
        raise AuthError(f"{message}; the credentials were kept.") from None
    current = creds_mod.read_credentials(qwen_home)
    path = creds_mod.creds_path(qwen_home)
    if current is None:
        raise AuthError(f"Not signed in with Qwen OAuth (no valid credentials at {path}).")
    now_ms = int(opts.wall_clock() * 1000)
    if not force and not current.expires_within(now_ms=now_ms):
        return current
    async with creds_mod.RefreshLock(qwen_home, sleep=opts.sleep, clock=opts.wall_clock):
        latest = creds_mod.read_credentials(qwen_home)
        if latest is None:
            raise AuthError(f"Not signed in with Qwen OAuth (no valid credentials at {path}).")
        if latest != current and not latest.expires_within(now_ms=int(opts.wall_clock() * 1000)):
            return latest
        form = {
            "grant_type": "refresh_token",
            "refresh_token": latest.refresh_token,
            "client_id": QWEN_OAUTH_CLIENT_ID,
        }
        host = urlsplit(base).hostname
        kept = "; the credentials were kept."
        try:
            async with borrowed_client(client, base, opts.request_timeout) as http:
                response = await http.post(base + QWEN_OAUTH_TOKEN_PATH, data=form,
                                           headers=_form_headers())
        except httpx.TimeoutException as exc:
            raise AuthError(f"The Qwen OAuth service at {host} did not answer the refresh "
                            f"in time{kept}") from exc
        except httpx.HTTPError as exc:
            raise AuthError(f"Could not reach the Qwen OAuth service at {host} to refresh the "
                            f"token ({type(exc).__name__}){kept}") from exc
        try:
            refuse_redirect(response, f"The Qwen OAuth service at {host}")
        except AuthError as exc:
            raise AuthError(f"{str(exc).rstrip('.')}{kept}") from None
        if response.status_code in (400, 401):
            creds_mod.delete_credentials(qwen_home)
            raise AuthError(
                "Refresh token expired or invalid; the Qwen OAuth credentials were removed "
                f"({path}). Sign in again with `qwen-ls auth qwen-oauth`. "
                + DISCONTINUED_EXPLANATION
            )
        if response.status_code >= 400:
            raise AuthError(f"The Qwen OAuth service at {host} failed to refresh the token "
                            f"(HTTP {response.status_code}){kept}")
        data = json_body(response)
        if not isinstance(data, dict):
            raise AuthError("Qwen OAuth refresh returned invalid JSON "
                            f"({describe_body(response)}){kept}")
        try:
            fresh = credentials_from_token(data, opts.wall_clock(), previous=latest)
        except AuthError as exc:
            raise AuthError(f"{str(exc).rstrip('.')}{kept}") from None
        try:
            creds_mod.write_credentials(qwen_home, fresh)
        except StoreError as exc:
            raise AuthError(f"The token was refreshed but could not be saved: {exc} The old "
                            "credentials were kept; sign in again if they stop working.") from exc
        return fresh
