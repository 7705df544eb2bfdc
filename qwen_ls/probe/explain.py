"""Every way a connection test can fail, explained for the provider at hand.

Each function returns ``(failure, message)``: a ``ProbeResult.failure`` code and sentences a user
can act on. A server's own words are shown only as a short, printable, redacted excerpt
(a provider's ``error.message``), never its raw body; keys appear masked.
"""

from __future__ import annotations

import difflib
import socket
import ssl
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from qwen_ls.probe.target import Target
from qwen_ls.secrets import mask, redact
from qwen_ls.settings import presets

CODING_PLAN_HOSTS = frozenset(urlsplit(u).hostname for u, _ in presets.CODING_PLAN.base_urls)
TOKEN_PLAN_HOSTS = frozenset(urlsplit(u).hostname for u in presets.TOKEN_PLAN_REGIONS.values())
DASHSCOPE_HOSTS = frozenset(urlsplit(u).hostname for u, _ in presets.ALIBABA_STANDARD.base_urls)
EXCERPT_CHARS = 160


def where(target: Target) -> str:
    """The endpoint as users know it: ``Alibaba Cloud Coding Plan (China (Beijing)) at <host>``."""
    info = presets.endpoint_info(target.base_url)
    if info is not None:
        service, region = info
        return f"{service}{f' ({region})' if region else ''} at {target.host}"
    return target.host or target.base_url


def key_phrase(target: Target) -> str:
    """``the key sk-…abcd from OPENAI_API_KEY (~/.qwen/.env:3)``."""
    origin = ", ".join(p for p in (target.env_key, target.key_source) if p)
    return f"the key {mask(target.key)}" + (f" ({origin})" if origin else "")


def provider_says(data: Any) -> str:
    """A short excerpt of a provider's error message (``error.message`` and the like), or ``""``."""
    text = None
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, dict):
            text = err.get("message") or err.get("code")
        elif isinstance(err, str):
            text = err
        text = text or data.get("message") or data.get("detail")
    if not isinstance(text, str) or not text.strip():
        return ""
    clean = "".join(c if c.isprintable() else " " for c in text).strip()
    if len(clean) > EXCERPT_CHARS:
        clean = clean[:EXCERPT_CHARS].rstrip() + "…"
    return f' The provider says: "{redact(clean.rstrip("."), multiline=False)}".'


def _auth_hint(target: Target, status: int) -> str:
    key = target.key
    is_cp_key = key.startswith(presets.CODING_PLAN_KEY_PREFIX)
    host = target.host
    if host in DASHSCOPE_HOSTS and is_cp_key:
        return (" This is a Coding Plan key (sk-sp-…), which only works on the Coding Plan "
                f"endpoint ({presets.CODING_PLAN_CHINA_BASE_URL}, or "
                f"{presets.CODING_PLAN_INTL_BASE_URL} for Singapore), not on the standard "
                "DashScope endpoint. Point baseUrl there (qwen-ls auth coding-plan does it), or "
                "use a standard ModelStudio key here.")
    if host in CODING_PLAN_HOSTS and not is_cp_key:
        token = target.env_key == presets.TOKEN_PLAN_ENV_KEY
        kind = "a Token Plan key" if token else "not a Coding Plan key (they start with sk-sp-)"
        return (f" The Coding Plan endpoint only accepts Coding Plan keys, and this is {kind}. "
                f"A Token Plan key belongs on {presets.TOKEN_PLAN_CHINA_BASE_URL} (or the "
                "Singapore one) with BAILIAN_TOKEN_PLAN_API_KEY; a standard key on "
                "https://dashscope.aliyuncs.com/compatible-mode/v1.")
    if host in CODING_PLAN_HOSTS:
        return (" The Coding Plan key may belong to the other region (China: coding.dashscope…, "
                "Singapore: coding-intl.dashscope…), or the subscription may have expired; "
                "check it in the ModelStudio console.")
    if host in TOKEN_PLAN_HOSTS and is_cp_key:
        return (" This is a Coding Plan key (sk-sp-…) on the Token Plan endpoint; Coding Plan "
                f"keys belong on {presets.CODING_PLAN_CHINA_BASE_URL}.")
    if status == 403:
        return (" The key was read but is not allowed here: it may lack access to this API, "
                "model or region, or the account may be suspended or out of credit.")
    return (" The key is wrong, expired or revoked, or belongs to another provider or region. "
            "Check it in the provider's console.")


def http_status(target: Target, status: int, url: str, data: Any,
                retry_after: str | None = None) -> tuple[str, str]:
    """Explain an HTTP error status (401/403, 404, 429, 5xx, other)."""
    head = f"{where(target)} answered HTTP {status}"
    says = provider_says(data)
    # Gemini answers a bad key with 400 INVALID_ARGUMENT "API key not valid"
    bad_gemini_key = status == 400 and target.protocol == "gemini" and "api key" in says.lower()
    if status in (401, 403) or bad_gemini_key:
        verb = "refused" if status == 403 else "rejected"
        return "auth", (f"{where(target)} {verb} {key_phrase(target)} (HTTP {status})."
                        + _auth_hint(target, status) + says)
    if status == 404:
        return "not-found", head + f" for {_path(url)}." + _not_found_hint(target) + says
    if status == 429:
        wait = f" Retry after {retry_after} s." if retry_after and retry_after.isdigit() else ""
        return "rate-limited", (f"{head} (too many requests): the provider is rate-limiting "
                                "this key, or its quota is used up. The key itself may be fine."
                                + wait + says)
    if status >= 500:
        return "server", (f"{head}: the provider has a problem on its side; the key could not "
                          "be checked. Try again later." + says)
    return "http", f"{head} for {_path(url)}; the base URL or the key is not accepted." + says


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path or "/"


def _not_found_hint(target: Target) -> str:
    path = urlsplit(target.base_url).path.rstrip("/")
    base = target.base_url.rstrip("/")
    if target.protocol == "anthropic":
        if path.endswith("/v1"):
            return (f" The Anthropic SDK appends /v1/messages itself, so baseUrl must not end in "
                    f"/v1: use {base[:-3]}.")
        return (" This endpoint has no model list at /v1/models; many Anthropic-compatible "
                "proxies only serve /v1/messages. Check that baseUrl is the one the provider "
                "documents for Anthropic clients (without /v1).")
    if target.protocol == "gemini":
        return (" Gemini endpoints list models at /v1beta/models; check that baseUrl is the API "
                "root (https://generativelanguage.googleapis.com), without a path.")
    for suffix in ("/chat/completions", "/responses", "/completions"):
        if path.endswith(suffix):
            return (f" baseUrl ends in {suffix}, which the SDK appends itself: use "
                    f"{base[:-len(suffix)]}.")
    segments = [s for s in path.split("/") if s]
    if not any(s[:1] == "v" and s[1:2].isdigit() for s in segments):
        return (f" The base URL's path has no version segment: OpenAI-compatible APIs live "
                f"under /v1 (try {base}/v1), DashScope under /compatible-mode/v1.")
    return " Check the base URL against the provider's documentation."


def redirect(target: Target, status: int, location: str) -> tuple[str, str]:
    """Explain a redirect (never followed with the key)."""
    parts = urlsplit(location)
    host = (parts.hostname or "").lower()
    other = host and host != target.host
    dest = f"{parts.scheme}://{host}{parts.path}" if host else (parts.path or "another address")
    advice = ("If that is the provider's new address, set baseUrl to it yourself." if other
              else "The base URL is probably not exactly the API's (a missing or extra path "
                   "segment, or http instead of https).")
    return "redirect", (f"{where(target)} answered with a redirect (HTTP {status}) to {dest}; "
                        f"qwen-ls does not follow redirects with your key, so nothing was sent "
                        f"there. {advice}")


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def network(target: Target, exc: BaseException, timeout: float) -> tuple[str, str]:
    """Explain a failure before any answer: timeout, TLS, DNS, refused, too large, other."""
    import httpx

    from qwen_ls.auth.capped import ResponseTooLarge

    parts = urlsplit(target.base_url)
    host = target.host
    port = parts.port or (443 if parts.scheme == "https" else 80)
    chain = _causes(exc)
    text = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, ResponseTooLarge) for e in chain):
        return "too-large", (f"{where(target)} sent an answer larger than 1 MB; qwen-ls stopped "
                             "reading. A model list is a few kB: the base URL probably points at "
                             "something else.")
    if any(isinstance(e, httpx.TimeoutException) for e in chain):
        return "timeout", (f"{host} did not answer within {timeout:g} s. The host may be down "
                           "or overloaded, a firewall may drop the connection, or your network "
                           "may need a proxy (HTTPS_PROXY).")
    if any(isinstance(e, ssl.SSLError) for e in chain) or "ssl" in text or "tls" in text:
        if "certificate" in text:
            reason = ("its certificate is not trusted here (self-signed, expired, or a "
                      "company proxy that re-signs traffic: point SSL_CERT_FILE at its CA)")
        else:
            reason = ("the server does not speak TLS on that port (is it a plain http:// "
                      "server? http:// is only allowed for localhost)")
        return "tls", (f"The TLS handshake with {host}:{port} failed: {reason}. Nothing was "
                       "sent.")
    if any(isinstance(e, socket.gaierror) for e in chain) or any(
            s in text for s in ("name or service not known", "nodename nor servname",
                                "name resolution", "no address associated", "getaddrinfo")):
        return "dns", (f"The host name {host} does not resolve (DNS lookup failed). Check the "
                       "spelling of baseUrl, and your network or VPN.")
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return "refused", (f"{host}:{port} refused the connection: nothing listens there. Is "
                           "the server running, and is the port in baseUrl right?")
    if any(isinstance(e, httpx.RemoteProtocolError) for e in chain):
        return "network", (f"{host}:{port} does not speak HTTP as expected (the connection "
                           "was closed or the answer was malformed). Check the base URL and "
                           "port.")
    return "network", (f"Could not reach {host}:{port} ({type(exc).__name__}). Check the base "
                       "URL and your network.")


def bad_body(target: Target, status: int, is_html: bool, is_json: bool) -> tuple[str, str]:
    """Explain a 2xx answer that is not a model list: HTML, garbage, or other JSON."""
    if is_html:
        return "html", (f"{where(target)} answered with an HTML page instead of JSON (HTTP "
                        f"{status}): a web site, login page or captive portal, not the API. The "
                        "base URL probably lacks the API path (for example /v1 or "
                        "/compatible-mode/v1), or a network portal intercepts the request.")
    if is_json:
        return "bad-json", (f"{where(target)} answered with JSON that is not a model list "
                            f"(HTTP {status}). The base URL may point at another API, or the "
                            "endpoint does not implement the model list.")
    return "bad-json", (f"{where(target)} answered with a response that is not valid JSON "
                        f"(HTTP {status}). The base URL may point at something that is not the "
                        "provider's API.")


def closest(model_id: str, ids: Sequence[str], n: int = 3) -> list[str]:
    """The listed ids closest to ``model_id`` (case-insensitive), best first."""
    lowered = {i.lower(): i for i in ids}
    found = difflib.get_close_matches(model_id.lower(), list(lowered), n=n, cutoff=0.5)
    return [lowered[f] for f in found]


def success(target: Target, latency_ms: int, ids: Sequence[str], more: bool
            ) -> tuple[str, bool | None, list[str]]:
    """The message of a working endpoint, whether it lists the model, and the closest ids."""
    head = (f"Connected to {where(target)} in {latency_ms} ms: {key_phrase(target)} works.")
    model = target.model_id
    if not model:
        return f"{head} The endpoint lists {len(ids)} models.", None, []
    if model in ids:
        others = len(ids) - 1
        tail = f" (and {others} other model{'s' if others != 1 else ''})" if others else ""
        return f"{head} The endpoint lists {model}{tail}.", True, []
    near = closest(model, ids)
    if not ids:
        return (f"{head} The endpoint lists no models, so '{model}' could not be checked."
                ), None, []
    page = " on its first page" if more else ""
    tip = f" Closest: {', '.join(near)}." if near else ""
    return (f"{head} But '{model}' is not among the {len(ids)} models it lists{page}: "
            f"requests for it will likely fail (model not found).{tip}"), (
        None if more else False), near
