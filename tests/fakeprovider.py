"""A fake Qwen OAuth / OpenAI-compatible provider on 127.0.0.1 for tests.

A real HTTP server (``http.server`` in a thread) that speaks the routes qwen-ls talks to:

- ``POST /api/v1/oauth2/device/code``   (route ``"device"``)
- ``POST /api/v1/oauth2/token`` with ``grant_type=urn:ietf:params:oauth:grant-type:device_code``
  (route ``"token"``) or ``grant_type=refresh_token`` (route ``"refresh"``)
- ``GET <anything>/models``              (route ``"models"``; 200 for a Bearer key in
  ``valid_keys``, else 401), and the other protocols' model lists, which "Test connection" asks:
  Anthropic ``GET <base>/v1/models`` with ``anthropic-version`` (route ``"anthropic-models"``,
  key in ``x-api-key``) and Gemini ``GET <base>/v1beta/models`` (route ``"gemini-models"``, key in
  ``x-goog-api-key`` or ``?key=``); each lists :attr:`FakeProvider.model_ids` in its own shape
- the three model protocols the real ``qwen`` CLI speaks, each answering "hello from the stub"
  (as server-sent events when the request asks for a stream), so that ``qwen -p`` can run
  against it end to end:

  - OpenAI ``POST <base>/chat/completions``               (route ``"openai"``)
  - Anthropic ``POST <base>/v1/messages``                  (route ``"anthropic"``)
  - Gemini ``POST <base>/<ver>/models/<id>:generateContent`` or ``:streamGenerateContent``
    (route ``"gemini"``)

  :meth:`FakeProvider.model_calls` gives each call's protocol, model and key.

Each route has a queue of scripted :class:`Reply` objects; the last one repeats when the queue runs
dry. Without a script the route behaves like a healthy provider. Every request is recorded in
:attr:`FakeProvider.requests`.

Usage::

    with FakeProvider() as fp:
        fp.script("token", pending(), slow_down(), token_ok())
        ... base_url=fp.url ...
        assert fp.requests_for("token")[0].form["code_verifier"]
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

DEVICE_PATH = "/api/v1/oauth2/device/code"
TOKEN_PATH = "/api/v1/oauth2/token"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


@dataclass
class Reply:
    """One scripted HTTP answer."""

    status: int = 200
    body: Any = None
    """A dict/list is sent as JSON; a str or bytes as is."""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (to provoke client timeouts)."""


@dataclass
class Recorded:
    """A request the fake provider received."""

    route: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    form: dict[str, str]

    def json(self) -> Any:
        """The body as JSON (``None`` when it is not JSON)."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None


@dataclass(frozen=True)
class ModelCall:
    """One generation request: which protocol, model and key the client used."""

    protocol: str
    model: str | None
    key: str | None
    stream: bool


STUB_TEXT = "hello from the stub"
_GEMINI_PATH = re.compile(r"/models/([^/:]+):(generateContent|streamGenerateContent)$")


def _sse(events: list[tuple[str | None, Any]]) -> bytes:
    """Server-sent events: ``event:`` lines when named, ``data:`` JSON (or a raw string)."""
    out = []
    for name, data in events:
        head = f"event: {name}\n" if name else ""
        body = data if isinstance(data, str) else json.dumps(data)
        out.append(f"{head}data: {body}\n\n")
    return "".join(out).encode("utf-8")


def openai_reply(model: str, stream: bool) -> Reply:
    """A chat-completions answer (chunks then ``[DONE]`` when streaming)."""
    usage = {"prompt_tokens": 5, "completion_tokens": 4, "total_tokens": 9}
    if not stream:
        return Reply(200, {
            "id": "chatcmpl-stub", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": STUB_TEXT}}],
            "usage": usage,
        })
    chunk = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "created": 0,
             "model": model}
    return Reply(200, _sse([
        (None, {**chunk, "choices": [{"index": 0, "finish_reason": None,
                                      "delta": {"role": "assistant", "content": STUB_TEXT}}]}),
        (None, {**chunk, "choices": [{"index": 0, "finish_reason": "stop", "delta": {}}]}),
        (None, {**chunk, "choices": [], "usage": usage}),
        (None, "[DONE]"),
    ]), content_type="text/event-stream")


def anthropic_reply(model: str, stream: bool) -> Reply:
    """A messages answer (the message_start ... message_stop events when streaming)."""
    message = {"id": "msg_stub", "type": "message", "role": "assistant", "model": model,
               "content": [{"type": "text", "text": STUB_TEXT}], "stop_reason": "end_turn",
               "stop_sequence": None, "usage": {"input_tokens": 5, "output_tokens": 4}}
    if not stream:
        return Reply(200, message)
    start = {**message, "content": [], "stop_reason": None,
             "usage": {"input_tokens": 5, "output_tokens": 0}}
    return Reply(200, _sse([
        ("message_start", {"type": "message_start", "message": start}),
        ("content_block_start", {"type": "content_block_start", "index": 0,
                                 "content_block": {"type": "text", "text": ""}}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0,
                                 "delta": {"type": "text_delta", "text": STUB_TEXT}}),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta", "usage": {"output_tokens": 4},
                           "delta": {"stop_reason": "end_turn", "stop_sequence": None}}),
        ("message_stop", {"type": "message_stop"}),
    ]), content_type="text/event-stream")


def gemini_reply(stream: bool) -> Reply:
    """A generateContent answer (one ``data:`` event per chunk when streaming)."""
    body = {"candidates": [{"index": 0, "finishReason": "STOP",
                            "content": {"role": "model", "parts": [{"text": STUB_TEXT}]}}],
            "usageMetadata": {"promptTokenCount": 5, "candidatesTokenCount": 4,
                              "totalTokenCount": 9}}
    if not stream:
        return Reply(200, body)
    return Reply(200, _sse([(None, body)]), content_type="text/event-stream")


def device_ok(
    user_code: str = "ABCD-1234",
    device_code: str = "dev-code-0001",
    expires_in: int = 600,
    verification_uri: str = "https://chat.qwen.ai/authorize",
) -> Reply:
    """A successful device-authorization answer (Qwen sends no ``interval``)."""
    return Reply(
        200,
        {
            "device_code": device_code,
            "user_code": user_code,
            "verification_uri": verification_uri,
            "verification_uri_complete": (
                f"{verification_uri}?user_code={user_code}&client=qwen-code"
            ),
            "expires_in": expires_in,
        },
    )


def token_ok(
    access_token: str = "fake-access-token-0123456789",
    refresh_token: str | None = "fake-refresh-token-9876543210",
    expires_in: int = 3600,
    resource_url: str = "portal.qwen.ai",
) -> Reply:
    """A successful token answer."""
    body: dict[str, Any] = {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": expires_in,
        "resource_url": resource_url,
    }
    if refresh_token is not None:
        body["refresh_token"] = refresh_token
    return Reply(200, body)


def oauth_error(status: int, error: str, description: str = "") -> Reply:
    """An OAuth error JSON body with ``status``."""
    return Reply(status, {"error": error, "error_description": description})


def pending() -> Reply:
    """``authorization_pending`` (HTTP 400)."""
    return oauth_error(400, "authorization_pending", "The user has not approved yet")


def slow_down() -> Reply:
    """``slow_down`` (HTTP 429)."""
    return oauth_error(429, "slow_down", "Polling too fast")


def expired() -> Reply:
    """``expired_token`` (HTTP 400)."""
    return oauth_error(400, "expired_token", "The device code expired")


def denied() -> Reply:
    """``access_denied`` (HTTP 400)."""
    return oauth_error(400, "access_denied", "The user said no")


def server_error(status: int = 503) -> Reply:
    """A 5xx with a plain-text body."""
    return Reply(status, "upstream exploded", content_type="text/plain")


def html_page(status: int = 200) -> Reply:
    """An HTML page where JSON was expected (captive portal, login page...)."""
    return Reply(status, "<!doctype html><html><body><h1>Sign in</h1></body></html>",
                 content_type="text/html")


def malformed_json(status: int = 200) -> Reply:
    """A body that claims to be JSON and is not."""
    return Reply(status, '{"access_token": "abc", ', content_type="application/json")


def redirect(location: str = "https://evil.invalid/steal", status: int = 302) -> Reply:
    """A redirect to another host."""
    return Reply(status, "", content_type="text/plain", headers={"Location": location})


def models_ok(ids: list[str], protocol: str = "openai") -> Reply:
    """A model list in ``protocol``'s shape (``openai``, ``anthropic`` or ``gemini``)."""
    if protocol == "gemini":
        return Reply(200, {"models": [{"name": f"models/{m}", "displayName": m} for m in ids]})
    if protocol == "anthropic":
        return Reply(200, {"data": [{"id": m, "type": "model", "display_name": m} for m in ids],
                           "has_more": False})
    return Reply(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in ids]})


def slow(delay: float, reply: Reply | None = None) -> Reply:
    """``reply`` (default a 200 ``{}``) after ``delay`` seconds."""
    base = reply or Reply(200, {})
    return Reply(base.status, base.body, base.content_type, dict(base.headers), delay)


class _QuietServer(ThreadingHTTPServer):
    """Connections the client drops on purpose (a TLS hello to this plain-HTTP server, a timeout)
    are not printed as tracebacks."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeProvider:
    """A scripted provider on ``127.0.0.1:<free port>``; use as a context manager."""

    def __init__(self, valid_keys: tuple[str, ...] = ()) -> None:
        self.valid_keys = set(valid_keys)
        self.requests: list[Recorded] = []
        self.model_ids = ["qwen3-coder-plus", "qwen3.5-plus"]
        self._scripts: dict[str, deque[Reply]] = {}
        self._last: dict[str, Reply] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeProvider:
        """Start serving in a daemon thread."""
        provider = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def do_POST(self) -> None:
                provider._handle(self, "POST")

            def do_GET(self) -> None:
                provider._handle(self, "GET")

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the server."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``."""
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def models_url(self) -> str:
        """A base URL for the OpenAI-compatible routes (``<url>/v1``)."""
        return self.url + "/v1"

    # -- scripting -------------------------------------------------------------------------

    def script(self, route: str, *replies: Reply) -> None:
        """Queue ``replies`` for ``route`` ("device", "token", "refresh", "models")."""
        with self._lock:
            self._scripts.setdefault(route, deque()).extend(replies)

    def model_calls(self) -> list[ModelCall]:
        """Every generation request, as (protocol, model, key, stream)."""
        calls = []
        for rec in self.requests:
            body = rec.json() if rec.route in ("openai", "anthropic") else None
            body = body if isinstance(body, dict) else {}
            if rec.route == "openai":
                calls.append(ModelCall("openai", body.get("model"), _bearer(rec),
                                       bool(body.get("stream"))))
            elif rec.route == "anthropic":
                key = rec.headers.get("x-api-key") or _bearer(rec)
                calls.append(ModelCall("anthropic", body.get("model"), key,
                                       bool(body.get("stream"))))
            elif rec.route == "gemini":
                path = urlsplit(rec.path)
                match = _GEMINI_PATH.search(path.path)
                key = rec.headers.get("x-goog-api-key") or parse_qs(path.query).get("key", [None])[0]
                calls.append(ModelCall("gemini", match.group(1) if match else None, key,
                                       bool(match and match.group(2).startswith("stream"))))
        return calls

    def requests_for(self, route: str) -> list[Recorded]:
        """Requests received on ``route``, in order."""
        with self._lock:
            return [r for r in self.requests if r.route == route]

    def _next(self, route: str) -> Reply | None:
        with self._lock:
            queue = self._scripts.get(route)
            if queue:
                reply = queue.popleft()
                self._last[route] = reply
                return reply
            return self._last.get(route)

    def _default(self, route: str, rec: Recorded) -> Reply:
        if route == "device":
            return device_ok()
        if route in ("token", "refresh"):
            return token_ok()
        if route in ("openai", "anthropic", "gemini"):
            body = rec.json() if route != "gemini" else None
            model = body.get("model", "") if isinstance(body, dict) else ""
            stream = isinstance(body, dict) and bool(body.get("stream"))
            if route == "openai":
                return openai_reply(model, stream)
            if route == "anthropic":
                return anthropic_reply(model, stream)
            return gemini_reply(":streamGenerateContent" in rec.path)
        if route in ("models", "anthropic-models", "gemini-models"):
            protocol = {"models": "openai", "anthropic-models": "anthropic"}.get(route, "gemini")
            if (_list_key(rec, protocol) or "") in self.valid_keys:
                return models_ok(self.model_ids, protocol)
            if protocol == "anthropic":
                return Reply(401, {"type": "error", "error": {
                    "type": "authentication_error", "message": "invalid x-api-key"}})
            if protocol == "gemini":
                return Reply(400, {"error": {"code": 400, "status": "INVALID_ARGUMENT",
                                             "message": "API key not valid."}})
            return Reply(401, {"error": {"message": "Incorrect API key provided",
                                         "code": "invalid_api_key"}})
        return Reply(404, {"error": "not found"})

    # -- serving ---------------------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        body = _read_body(h)
        path = urlsplit(h.path).path
        form: dict[str, str] = {}
        if "form-urlencoded" in (h.headers.get("Content-Type") or ""):
            form = {k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()}
        if method == "POST" and path == DEVICE_PATH:
            route = "device"
        elif method == "POST" and path == TOKEN_PATH:
            route = "refresh" if form.get("grant_type") == "refresh_token" else "token"
        elif method == "GET" and path.endswith("/models") and "/v1beta/" in path:
            route = "gemini-models"
        elif method == "GET" and path.endswith("/models") and h.headers.get("anthropic-version"):
            route = "anthropic-models"
        elif method == "GET" and path.endswith("/models"):
            route = "models"
        elif method == "POST" and path.endswith("/chat/completions"):
            route = "openai"
        elif method == "POST" and path.endswith("/messages"):
            route = "anthropic"
        elif method == "POST" and _GEMINI_PATH.search(path):
            route = "gemini"
        else:
            route = "other"
        rec = Recorded(route, method, h.path, {k.lower(): v for k, v in h.headers.items()}, body,
                       form)
        with self._lock:
            self.requests.append(rec)
        reply = self._next(route) or self._default(route, rec)
        if reply.delay:
            time.sleep(reply.delay)
        if isinstance(reply.body, (dict, list)):
            payload = json.dumps(reply.body).encode("utf-8")
        elif isinstance(reply.body, bytes):
            payload = reply.body
        else:
            payload = (reply.body or "").encode("utf-8")
        try:
            h.send_response(reply.status)
            h.send_header("Content-Type", reply.content_type)
            h.send_header("Content-Length", str(len(payload)))
            for k, v in reply.headers.items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _bearer(rec: Recorded) -> str | None:
    auth = rec.headers.get("authorization", "")
    return auth[7:] if auth.lower().startswith("bearer ") else None


def _list_key(rec: Recorded, protocol: str) -> str | None:
    """The key a model-list request carries, where ``protocol`` puts it."""
    if protocol == "anthropic":
        return rec.headers.get("x-api-key")
    if protocol == "gemini":
        query = parse_qs(urlsplit(rec.path).query)
        return rec.headers.get("x-goog-api-key") or query.get("key", [None])[0]
    return _bearer(rec)


def _read_body(h: BaseHTTPRequestHandler, limit: int = 16 << 20) -> bytes:
    """The request body, by Content-Length or chunked (Node's fetch streams bodies)."""
    if "chunked" in (h.headers.get("Transfer-Encoding") or "").lower():
        out = bytearray()
        while len(out) <= limit:
            size = int(h.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while h.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                break
            out += h.rfile.read(size)
            h.rfile.readline()
        return bytes(out)
    length = int(h.headers.get("Content-Length") or 0)
    return h.rfile.read(min(length, limit)) if length else b""
