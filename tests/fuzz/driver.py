r"""The LSP fuzz driver: random edits and requests against the real server, checked every step.

Shared by ``tests/fuzz/test_lsp_fuzz.py`` (hypothesis chooses the operations) and
``bench/fuzz_lsp.py`` (a seeded ``random.Random`` chooses them, for long runs).

A :class:`FuzzSession` starts ``python -m qwen_ls`` over stdio in a temporary HOME and workspace,
as one of two client profiles: VS Code 1.65 (UTF-16 positions, pushed diagnostics) or Neovim 0.11
(UTF-8 positions, pulled diagnostics). It keeps its own model of every open document and sends each
edit as an *incremental* range change computed from that model with its own line index (LF, CRLF,
CR; never U+2028). After each step it checks:

- every request was answered (a result or an LSP error) within ``timeout`` seconds;
- the server process is alive;
- the server's copy of the document is the client's: ``qwen-ls.debug.documentInfo`` gives the
  version, length and SHA-256 of the server's copy;
- every range the server returned (diagnostics, symbols, hover, completion and code-action edits,
  inlay hints, definitions in the same file) is a valid position in the client's text of the
  version asked about;
- the server logged no error (every handler is ``fail_soft``: an exception becomes a neutral
  answer and an ERROR ``window/logMessage``, which this driver counts as a bug).

Text sent over JSON-RPC goes through ``json.dumps`` (``\uXXXX`` escapes), so lone surrogates
reach the server as they are; two adjacent escaped surrogates in one string decode to one astral
character, exactly as on the server, because the model applies the same round trip.
"""

from __future__ import annotations

import asyncio
import bisect
import hashlib
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

REPO = Path(__file__).resolve().parents[2]
PROFILES = ("visual-studio-code", "neovim")
DEBUG_INFO = "qwen-ls.debug.documentInfo"

REAL_SETTINGS = [
    p.read_text(encoding="utf-8")
    for p in (
        REPO / "examples" / "broken" / ".qwen" / "settings.json",
        REPO / "examples" / "coding-plan" / ".qwen" / "settings.json",
        REPO / "examples" / "api-key" / ".qwen" / "settings.json",
        REPO / "tests" / "data" / "jsonc" / "real-settings.json",
    )
    if p.exists()
]

FRAGMENTS = [
    '"mod', '"modelProviders": {"op', '"model": {"name": "', '"security": {"auth": {"sel',
    '"selectedType": "openai"', '"envKey": "OPENAI_API_KEY"', '"envKey": "sk-sp-0123456789abcdef"',
    '"baseUrl": "http://example.com/v1/chat/completions"', '"$version": 4', '"env": {"NODE_OPTIONS": 1}',
    '{"id": "qwen3-coder-plus", "envKey": "DASHSCOPE_API_KEY"}', '"openai": [', '"ui": {"theme": ',
    "{", "}", "[", "]", ",", ":", '"', "\\", "\\u", "\\ud800", "//", "/*", "*/", "// c\n", "\n", "\r",
    "\r\n", "\t", " ", "  ", "true", "false", "null", "1e999", "-0", "0x1F", "'single'",
    "\u2028", "\u2029", "\x00", "\x1b", "\x7f", "\x85", "\x0b", "\x0c", "\ufeff", "\ud800", "\udfff",
    "\udc00", "\U0001f600", "é", "中文", "\u0301", "$OPENAI_API_KEY", "${HOME}",
]
"""Pieces of text the fuzzer types: half-typed keys, brackets, control characters, surrogates."""


def wire(text: str) -> str:
    """The text the server receives for ``text`` sent as a JSON string (surrogate pairs join)."""
    return json.loads(json.dumps(text))


def digest(text: str) -> str:
    """SHA-256 of ``text`` as ``qwen-ls.debug.documentInfo`` computes it."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def units(s: str, encoding: str) -> int:
    """Length of ``s`` in code units of ``encoding`` (a lone surrogate is one UTF-16 unit)."""
    if encoding == "utf-8":
        return len(s.encode("utf-8", "surrogatepass"))
    if encoding == "utf-16":
        return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)
    return len(s)


_BREAK = re.compile(r"\r\n|\r|\n")


class Lines:
    """The client's own line index of one text (independent of the server's)."""

    def __init__(self, text: str, encoding: str) -> None:
        self.text = text
        self.encoding = encoding
        self.starts = [0]
        self.ends: list[int] = []
        for m in _BREAK.finditer(text):
            self.ends.append(m.start())
            self.starts.append(m.end())
        self.ends.append(len(text))

    def snap(self, offset: int) -> int:
        """An offset a cursor can be at (never between the two halves of a CRLF)."""
        offset = min(max(offset, 0), len(self.text))
        if 0 < offset < len(self.text) and self.text[offset - 1] == "\r" and self.text[offset] == "\n":
            offset -= 1
        return offset

    def position(self, offset: int) -> types.Position:
        offset = self.snap(offset)
        line = bisect.bisect_right(self.starts, offset) - 1
        return types.Position(line=line, character=units(self.text[self.starts[line]:offset],
                                                         self.encoding))

    def offset(self, pos: types.Position) -> int | None:
        """The offset of a position, or ``None`` when it is not a valid position of this text."""
        if pos.line < 0 or pos.line >= len(self.starts) or pos.character < 0:
            return None
        start, end = self.starts[pos.line], self.ends[pos.line]
        u = 0
        for i in range(start, end + 1):
            if u == pos.character:
                return i
            if u > pos.character or i == end:
                return None
            u += units(self.text[i], self.encoding)
        return None

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))


# -- operations ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Edit:
    """Replace ``delete`` code points at fraction ``at`` of the text with ``text``."""

    at: float
    delete: int
    text: str


@dataclass(frozen=True)
class Change:
    """One ``didChange`` with one or more range changes (applied in order), or a whole text."""

    edits: tuple[Edit, ...]
    whole: str | None = None


@dataclass(frozen=True)
class Request:
    """A request at fractions ``at``/``at2`` of the text; ``apply``: apply the first fix."""

    method: str
    at: float = 0.0
    at2: float = 0.0
    apply: bool = False


METHODS = (
    types.TEXT_DOCUMENT_COMPLETION,
    types.TEXT_DOCUMENT_HOVER,
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.TEXT_DOCUMENT_DOCUMENT_SYMBOL,
    types.TEXT_DOCUMENT_INLAY_HINT,
    types.TEXT_DOCUMENT_DEFINITION,
    "diagnostics",
)


def random_text(rng: random.Random) -> str:
    """Text to type: fragments, slices of real files, random code points."""
    roll = rng.random()
    if roll < 0.55:
        return "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 3)))
    if roll < 0.8 and REAL_SETTINGS:
        src = rng.choice(REAL_SETTINGS)
        a = rng.randrange(len(src))
        return src[a:a + rng.randint(1, 120)]
    if roll < 0.9:
        return "".join(chr(rng.choice([rng.randint(0, 0x7F), rng.randint(0x80, 0x10FFFF)]))
                       for _ in range(rng.randint(1, 6)))
    return rng.choice(["a", "e", "\"", " ", "\n"]) * rng.randint(1, 4)


def random_op(rng: random.Random) -> Change | Request:
    """One operation, edits more often than requests."""
    if rng.random() < 0.55:
        def edit() -> Edit:
            delete = 0 if rng.random() < 0.5 else rng.choice([1, 1, 2, 5, 20, 200])
            text = "" if delete and rng.random() < 0.4 else random_text(rng)
            return Edit(rng.random(), delete, text)

        if rng.random() < 0.03 and REAL_SETTINGS:
            return Change((), whole=rng.choice(REAL_SETTINGS))
        n = 1 if rng.random() < 0.85 else rng.randint(2, 4)
        return Change(tuple(edit() for _ in range(n)))
    return Request(rng.choice(METHODS), rng.random(), rng.random(), rng.random() < 0.3)


def initial_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6 and REAL_SETTINGS:
        return rng.choice(REAL_SETTINGS)
    if roll < 0.8:
        return "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 30)))
    return ""


# -- statistics ------------------------------------------------------------------------------
@dataclass
class Stats:
    steps: int = 0
    sent: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    error_samples: dict[str, str] = field(default_factory=dict)
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    desyncs: int = 0
    bad_ranges: int = 0
    server_errors: int = 0
    timeouts: int = 0
    restarts: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        if len(self.problems) < 50:
            self.problems.append(text)

    def report(self) -> str:
        out = [f"steps done: {self.steps}"]
        out.append(f"{'method':<34}{'sent':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
        for method in sorted(self.sent):
            lat = sorted(self.latency.get(method) or [0.0])
            p95 = lat[min(len(lat) - 1, int(0.95 * (len(lat) - 1) + 0.5))]
            out.append(f"{method:<34}{self.sent[method]:>9}{self.errors[method]:>8}"
                       f"{statistics.median(lat) * 1000:>9.1f}{p95 * 1000:>9.1f}"
                       f"{lat[-1] * 1000:>9.1f}")
        out.append(f"timeouts: {self.timeouts}  server restarts: {self.restarts}  desyncs: "
                   f"{self.desyncs}  invalid ranges: {self.bad_ranges}  server-logged errors: "
                   f"{self.server_errors}")
        for method, sample in self.error_samples.items():
            out.append(f"  error sample {method}: {sample}")
        for p in self.problems[:20]:
            out.append(f"  problem: {p}")
        return "\n".join(out)


class FuzzFailure(AssertionError):
    """An invariant did not hold."""


# -- the session -----------------------------------------------------------------------------
class FuzzClient(LanguageClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published: dict[str, tuple[int | None, tuple]] = {}
        self.publish_event = asyncio.Event()
        self.error_logs: list[str] = []


def _publish(client: FuzzClient, params: types.PublishDiagnosticsParams) -> None:
    client.published[params.uri] = (params.version, tuple(params.diagnostics))
    client.publish_event.set()


def _log(client: FuzzClient, params: types.LogMessageParams) -> None:
    if params.type == types.MessageType.Error:
        client.error_logs.append(params.message[:2000])


def _show(client: FuzzClient, params: types.ShowMessageParams) -> None:
    if params.type == types.MessageType.Error:
        client.error_logs.append("showMessage: " + params.message[:2000])


def _ok(client: FuzzClient, params: Any) -> Any:
    return None


def _apply(client: FuzzClient, params: Any) -> types.ApplyWorkspaceEditResult:
    return types.ApplyWorkspaceEditResult(applied=False, failure_reason="fuzz client")


def make_client() -> FuzzClient:
    client = FuzzClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features.update({
        types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _publish,
        types.WINDOW_LOG_MESSAGE: _log,
        types.WINDOW_SHOW_MESSAGE: _show,
        types.CLIENT_REGISTER_CAPABILITY: _ok,
        types.CLIENT_UNREGISTER_CAPABILITY: _ok,
        types.WINDOW_SHOW_MESSAGE_REQUEST: _ok,
        types.WORKSPACE_APPLY_EDIT: _apply,
        "qwen/statusChanged": _ok,
    })
    register_lsp_features(client, features)
    return client


@dataclass
class OpenDoc:
    uri: str
    text: str
    version: int
    encoding: str
    _lines: Lines | None = None

    @property
    def lines(self) -> Lines:
        if self._lines is None or self._lines.text is not self.text:
            self._lines = Lines(self.text, self.encoding)
        return self._lines


class FuzzSession:
    """One server process and the client's model of its open documents."""

    def __init__(self, profile: str, root: Path, *, timeout: float = 10.0,
                 stats: Stats | None = None, strict: bool = True,
                 extra_env: dict[str, str] | None = None) -> None:
        self.profile = profile
        self.root = root
        self.home = root / "home"
        self.workspace = root / "ws"
        self.timeout = timeout
        self.stats = stats or Stats()
        self.strict = strict
        """Raise :class:`FuzzFailure` at the first broken invariant (tests); else count it."""
        self.extra_env = extra_env or {}
        self.client: FuzzClient | None = None
        self.encoding = "utf-16"
        self.pull = False
        self.counter = 0
        self.pid: int | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    def environ(self) -> dict[str, str]:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "PYTHONPATH": str(REPO),
            "LANG": "C.UTF-8",
            "QWEN_CODE_SYSTEM_SETTINGS_PATH": str(self.root / "etc" / "settings.json"),
            "QWEN_CODE_SYSTEM_DEFAULTS_PATH": str(self.root / "etc" / "system-defaults.json"),
        }
        env.update(self.extra_env)
        return env

    async def start(self) -> None:
        for d in (self.home / ".qwen", self.workspace / ".qwen", self.root / "etc"):
            d.mkdir(parents=True, exist_ok=True)
        client = make_client()
        await client.start_io(sys.executable, "-m", "qwen_ls", env=self.environ(),
                              cwd=str(self.workspace))
        self.client = client
        self.pid = client._server.pid if client._server else None
        result = await asyncio.wait_for(client.initialize_session(types.InitializeParams(
            capabilities=client_capabilities(self.profile),
            workspace_folders=[types.WorkspaceFolder(uri=self.workspace.as_uri(), name="ws")],
            root_uri=self.workspace.as_uri(),
            initialization_options={"diagnosticDelayMs": 0, "logLevel": "warning"},
        )), 30)
        enc = result.capabilities.position_encoding
        self.encoding = str(getattr(enc, "value", enc) or "utf-16")
        self.pull = bool(client.capabilities and client.capabilities.text_document
                         and client.capabilities.text_document.diagnostic)

    def alive(self) -> bool:
        server = self.client._server if self.client else None
        return server is not None and server.returncode is None

    async def stop(self) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        try:
            if client._server is not None and client._server.returncode is None:
                await asyncio.wait_for(client.shutdown_session(), 10)
        except Exception:
            pass
        finally:
            server = client._server
            if server is not None and server.returncode is None:
                server.kill()
            try:
                await asyncio.wait_for(client.stop(), 10)
            except Exception:
                pass

    async def restart(self) -> None:
        self.stats.restarts += 1
        await self.stop()
        await self.start()

    def peak_rss_kb(self) -> int | None:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None

    # -- invariants ----------------------------------------------------------------------------
    def fail(self, kind: str, text: str) -> None:
        setattr(self.stats, kind, getattr(self.stats, kind) + 1)
        self.stats.problem(text)
        if self.strict:
            raise FuzzFailure(text)

    def check_logs(self) -> None:
        assert self.client is not None
        while self.client.error_logs:
            self.fail("server_errors", "server logged: " + self.client.error_logs.pop(0))

    def check_alive(self) -> None:
        if not self.alive():
            self.fail("restarts", "the server process died")
            raise FuzzFailure("the server process died")

    def check_position(self, doc: OpenDoc, lines: Lines, pos: types.Position, what: str) -> None:
        if lines.offset(pos) is None:
            self.fail("bad_ranges", f"{what}: position {pos.line}:{pos.character} is not in "
                      f"version {doc.version} ({self.encoding})")

    def check_range(self, doc: OpenDoc, lines: Lines, rng: types.Range | None, what: str) -> None:
        if rng is None:
            return
        self.check_position(doc, lines, rng.start, what)
        self.check_position(doc, lines, rng.end, what)
        a, b = lines.offset(rng.start), lines.offset(rng.end)
        if a is not None and b is not None and a > b:
            self.fail("bad_ranges", f"{what}: range ends before it starts")

    # -- requests ------------------------------------------------------------------------------
    async def request(self, method: str, params: Any, label: str | None = None) -> Any:
        assert self.client is not None
        label = label or method
        self.stats.sent[label] += 1
        t0 = time.perf_counter()
        try:
            return await asyncio.wait_for(
                self.client.protocol.send_request_async(method, params), self.timeout)
        except TimeoutError:
            self.stats.timeouts += 1
            self.stats.problem(f"{label}: no answer within {self.timeout}s")
            self.check_alive()
            raise FuzzFailure(f"{label}: no answer within {self.timeout}s") from None
        except JsonRpcException as exc:
            self.stats.errors[label] += 1
            self.stats.error_samples.setdefault(label, f"{type(exc).__name__}: {exc}"[:300])
            if self.strict:
                raise FuzzFailure(f"{label} answered with an error: {exc}") from exc
            return None
        finally:
            self.stats.latency[label].append(time.perf_counter() - t0)

    async def document_info(self, doc: OpenDoc) -> None:
        """Prove the server's copy is the client's (version, length, SHA-256)."""
        info = await self.request(types.WORKSPACE_EXECUTE_COMMAND, types.ExecuteCommandParams(
            command=DEBUG_INFO, arguments=[{"uri": doc.uri}]), DEBUG_INFO)
        want = {"uri": doc.uri, "version": doc.version, "length": len(doc.text),
                "sha256": digest(doc.text)}
        if info != want:
            self.fail("desyncs", f"desync at version {doc.version}: server {info}, client "
                      f"{ {k: want[k] for k in ('version', 'length')} }")
            if not self.strict:
                await self.resync(doc)

    async def resync(self, doc: OpenDoc) -> None:
        """After a desync (non-strict runs): send the whole text so the run can go on."""
        assert self.client is not None
        doc.version += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=doc.text)]))

    async def diagnostics(self, doc: OpenDoc) -> tuple[types.Diagnostic, ...]:
        """Diagnostics of the current version: pulled (Neovim) or waited for (VS Code)."""
        assert self.client is not None
        if self.pull:
            report = await self.request(types.TEXT_DOCUMENT_DIAGNOSTIC,
                                        types.DocumentDiagnosticParams(
                                            text_document=types.TextDocumentIdentifier(uri=doc.uri)),
                                        "textDocument/diagnostic")
            items = tuple(getattr(report, "items", None) or ())
        else:
            label = "publishDiagnostics (wait)"
            self.stats.sent[label] += 1
            t0 = time.perf_counter()
            loop = asyncio.get_running_loop()
            deadline = loop.time() + self.timeout
            while self.client.published.get(doc.uri, (None,))[0] != doc.version:
                self.client.publish_event.clear()
                remaining = deadline - loop.time()
                if remaining <= 0:
                    self.stats.timeouts += 1
                    self.check_alive()
                    raise FuzzFailure(f"no diagnostics published for version {doc.version}")
                try:
                    await asyncio.wait_for(self.client.publish_event.wait(), remaining)
                except TimeoutError:
                    pass
            self.stats.latency[label].append(time.perf_counter() - t0)
            items = self.client.published[doc.uri][1]
        lines = doc.lines
        for d in items:
            self.check_range(doc, lines, d.range, f"diagnostic {d.code}")
        return items

    # -- documents -----------------------------------------------------------------------------
    def new_uri(self) -> str:
        self.counter += 1
        return (self.workspace / f"doc{self.counter}" / ".qwen" / "settings.json").as_uri()

    async def open(self, text: str, uri: str | None = None) -> OpenDoc:
        assert self.client is not None
        text = wire(text)
        doc = OpenDoc(uri or self.new_uri(), text, 1, self.encoding)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=doc.uri, language_id="jsonc", version=1,
                                                 text=text)))
        await self.document_info(doc)
        return doc

    def close(self, doc: OpenDoc) -> None:
        assert self.client is not None
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=doc.uri)))
        self.client.published.pop(doc.uri, None)

    def send_edits(self, doc: OpenDoc, spans: list[tuple[int, int, str] | Edit]) -> None:
        """Send spans as one didChange; each applies to the text left by the previous one.

        A span is ``(start, end, text)`` in code points, or an :class:`Edit` placed by its
        fraction of the running text.
        """
        assert self.client is not None
        changes = []
        for span in spans:
            lines = doc.lines
            if isinstance(span, Edit):
                n = len(doc.text)
                start = min(int(span.at * (n + 1)), n)
                start, end, text = start, min(n, start + span.delete), span.text
            else:
                start, end, text = span
            start, end = lines.snap(start), lines.snap(end)
            text = wire(text)
            changes.append(types.TextDocumentContentChangePartial(range=lines.range(start, end),
                                                                  text=text))
            doc.text = doc.text[:start] + text + doc.text[end:]
        doc.version += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
            content_changes=changes))

    async def change(self, doc: OpenDoc, op: Change) -> None:
        assert self.client is not None
        if op.whole is not None:
            doc.text = wire(op.whole)
            doc.version += 1
            self.client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=doc.uri,
                                                                    version=doc.version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=doc.text)]))
        else:
            self.send_edits(doc, list(op.edits))
        await self.document_info(doc)

    # -- requests at positions -------------------------------------------------------------------
    async def run_request(self, doc: OpenDoc, op: Request) -> None:
        lines = doc.lines
        n = len(doc.text)
        a, b = sorted((lines.snap(int(op.at * (n + 1))), lines.snap(int(op.at2 * (n + 1)))))
        pos = lines.position(a)
        ident = types.TextDocumentIdentifier(uri=doc.uri)
        m = op.method
        if m == "diagnostics":
            await self.diagnostics(doc)
        elif m == types.TEXT_DOCUMENT_COMPLETION:
            res = await self.request(m, types.CompletionParams(text_document=ident, position=pos))
            items = getattr(res, "items", res) or []
            for item in items:
                te = item.text_edit
                if te is not None:
                    rng = getattr(te, "range", None) or getattr(te, "replace", None)
                    self.check_range(doc, lines, rng, f"completion {item.label!r}")
                for ae in item.additional_text_edits or []:
                    self.check_range(doc, lines, ae.range, f"completion extra {item.label!r}")
            if op.apply and items:
                await self.apply_completion(doc, items[0])
        elif m == types.TEXT_DOCUMENT_HOVER:
            res = await self.request(m, types.HoverParams(text_document=ident, position=pos))
            if res is not None:
                self.check_range(doc, lines, res.range, "hover")
        elif m == types.TEXT_DOCUMENT_CODE_ACTION:
            diags = await self.diagnostics(doc)
            rng = lines.range(a, b)
            lo, hi = a, b
            context = [d for d in diags if _overlaps(lines, d.range, lo, hi)] or list(diags)
            res = await self.request(m, types.CodeActionParams(
                text_document=ident, range=rng,
                context=types.CodeActionContext(diagnostics=context)))
            actions = [x for x in res or [] if isinstance(x, types.CodeAction)]
            for action in actions:
                self.check_workspace_edit(doc, lines, action.edit, f"code action {action.title!r}")
            if op.apply:
                for action in actions:
                    if action.edit is not None:
                        await self.apply_workspace_edit(doc, action.edit)
                        break
        elif m == types.TEXT_DOCUMENT_DOCUMENT_SYMBOL:
            res = await self.request(m, types.DocumentSymbolParams(text_document=ident))
            stack = list(res or [])
            while stack:
                s = stack.pop()
                rng = getattr(s, "range", None) or getattr(getattr(s, "location", None), "range",
                                                           None)
                self.check_range(doc, lines, rng, f"symbol {s.name!r}")
                sel = getattr(s, "selection_range", None)
                self.check_range(doc, lines, sel, f"symbol selection {s.name!r}")
                if sel is not None and rng is not None:
                    outer = (lines.offset(rng.start), lines.offset(rng.end))
                    inner = (lines.offset(sel.start), lines.offset(sel.end))
                    if None not in outer + inner and not (outer[0] <= inner[0] <= inner[1]
                                                          <= outer[1]):
                        self.fail("bad_ranges", f"symbol {s.name!r}: selection outside range")
                stack.extend(getattr(s, "children", None) or [])
        elif m == types.TEXT_DOCUMENT_INLAY_HINT:
            rng = lines.range(a, b) if op.apply else lines.range(0, n)
            res = await self.request(m, types.InlayHintParams(text_document=ident, range=rng))
            for hint in res or []:
                self.check_position(doc, lines, hint.position, "inlay hint")
        elif m == types.TEXT_DOCUMENT_DEFINITION:
            res = await self.request(m, types.DefinitionParams(text_document=ident, position=pos))
            if res is not None and not isinstance(res, list | tuple):
                res = [res]
            for loc in res or []:
                uri = getattr(loc, "uri", None) or getattr(loc, "target_uri", None)
                rng = getattr(loc, "range", None) or getattr(loc, "target_range", None)
                if uri == doc.uri:
                    self.check_range(doc, lines, rng, "definition")
        else:
            await self.request(m, None)

    def check_workspace_edit(self, doc: OpenDoc, lines: Lines, edit: Any, what: str) -> None:
        for uri, edits in _edits_of(edit):
            if uri != doc.uri:
                continue
            spans = []
            for e in edits:
                self.check_range(doc, lines, e.range, what)
                a, b = lines.offset(e.range.start), lines.offset(e.range.end)
                if a is not None and b is not None:
                    spans.append((a, b))
            spans.sort()
            for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
                if s2 < e1:
                    self.fail("bad_ranges", f"{what}: overlapping edits")

    async def apply_workspace_edit(self, doc: OpenDoc, edit: Any) -> None:
        """Apply an edit for this document as an editor does: one incremental change per edit."""
        for uri, edits in _edits_of(edit):
            if uri != doc.uri or not edits:
                continue
            lines = doc.lines
            spans = []
            for i, e in enumerate(edits):
                a, b = lines.offset(e.range.start), lines.offset(e.range.end)
                if a is None or b is None:
                    return
                spans.append((a, b, -i, e.new_text))
            # Back to front, so that earlier offsets stay valid (same place: array order).
            spans.sort(reverse=True)
            self.send_edits(doc, [(a, b, t) for a, b, _, t in spans])
            await self.document_info(doc)
            return

    async def apply_completion(self, doc: OpenDoc, item: types.CompletionItem) -> None:
        te = item.text_edit
        if te is None:
            return
        rng = getattr(te, "range", None) or getattr(te, "replace", None)
        lines = doc.lines
        a, b = lines.offset(rng.start), lines.offset(rng.end)
        if a is None or b is None:
            return
        text = te.new_text
        if item.insert_text_format == types.InsertTextFormat.Snippet:
            text = re.sub(r"\$\{\d+:?([^}]*)\}|\$\d+", r"\1", text).replace("\\$", "$")
        spans = [(a, b, text)]
        for extra in item.additional_text_edits or []:
            x, y = lines.offset(extra.range.start), lines.offset(extra.range.end)
            if x is None or y is None or not (y <= a or x >= b):
                return
            spans.append((x, y, extra.new_text))
        spans.sort(key=lambda s: (s[0], s[1]), reverse=True)
        self.send_edits(doc, spans)
        await self.document_info(doc)

    # -- one step ------------------------------------------------------------------------------
    async def step(self, doc: OpenDoc, op: Change | Request) -> None:
        if isinstance(op, Change):
            await self.change(doc, op)
        else:
            await self.run_request(doc, op)
        self.stats.steps += 1
        self.check_alive()
        self.check_logs()

    async def run_example(self, initial: str, ops: list[Change | Request]) -> None:
        """Open a fresh document, run ``ops`` on it, check diagnostics once more, close it."""
        if not self.alive():
            await self.restart()
        doc = await self.open(initial)
        try:
            for op in ops:
                await self.step(doc, op)
            await self.diagnostics(doc)
            self.check_logs()
        finally:
            if self.alive():
                self.close(doc)


def _overlaps(lines: Lines, rng: types.Range, lo: int, hi: int) -> bool:
    a, b = lines.offset(rng.start), lines.offset(rng.end)
    return a is not None and b is not None and a <= hi and b >= lo


def _edits_of(edit: Any) -> list[tuple[str, list[types.TextEdit]]]:
    if edit is None:
        return []
    out: list[tuple[str, list[types.TextEdit]]] = []
    for dc in edit.document_changes or []:
        if isinstance(dc, types.TextDocumentEdit):
            out.append((dc.text_document.uri, [e for e in dc.edits if hasattr(e, "range")]))
    for uri, edits in (edit.changes or {}).items():
        out.append((uri, list(edits)))
    return out
