"""qwen-ls against the anchor, vscode-json-language-server, on the same documents (prints figures).

Both servers are driven by the same small asyncio JSON-RPC-over-stdio client below (raw dicts, no
pygls/cattrs conversion on the client side, so the client adds the same small cost to both), in
one run, alternating qwen-ls / anchor session by session (A B A B ...) for ``--rounds`` rounds.

Performance, for ``bench/corpus.py``'s ``TYPICAL``, ``large()`` (1.2 MB, 2,000 models) and
``many_findings()`` (the same file with every ``envKey`` unset: 2,000 findings); each document is
opened right after ``initialized``, as an editor restoring its open files does:

- start of the process → ``initialize`` result (every session), next to the floors
  ``python -c 'import pygls.lsp.server'`` and ``node -e 0``;
- diagnostics on open and after an edit, pulled (``textDocument/diagnostic``: the work itself) and
  pushed (``didOpen``/``didChange`` → ``publishDiagnostics``, debounce included: what a user sees);
- completion and hover p50/p95 at a few fixed positions;
- peak RSS of the server process (``VmHWM`` from ``/proc/<pid>/status``).

Accuracy: the same two documents plus the broken ones in ``bench/anchor/docs/``; every diagnostic
of the anchor is matched against qwen-ls's on the same range (equal, or qwen-ls's range contained
in the anchor's), and qwen-ls's findings beyond the anchor are listed.

The anchor gets the settings schema (``qwen_ls/settings/settings.schema.json``) for
``**/.qwen/settings.json`` through ``initializationOptions.handledSchemaProtocols = ["file"]`` and a
``workspace/didChangeConfiguration`` with ``json.schemas`` and ``json.validate.enable`` (what the VS
Code JSON extension sends). Both servers see the documents as language ``jsonc``.

Setup: ``npm ci --prefix bench/anchor``. Run: ``.venv/bin/python bench/bench_anchor.py
[--rounds N] [--only perf|accuracy]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from corpus import ENV, TYPICAL, large, many_findings  # noqa: E402

ANCHOR_DIR = REPO / "bench" / "anchor"
ANCHOR_BIN = ANCHOR_DIR / "node_modules" / "vscode-langservers-extracted" / "bin" / "vscode-json-language-server"
BROKEN_DIR = ANCHOR_DIR / "docs"
SCHEMA = REPO / "qwen_ls" / "settings" / "settings.schema.json"
VENV_PY = REPO / ".venv" / "bin" / "python"
PYTHON = str(VENV_PY if VENV_PY.exists() else Path(sys.executable))

REQUEST_TIMEOUT = 60.0  # seconds; every wait in this file has a deadline
START_TIMEOUT = 30.0

# --------------------------------------------------------------------------------------------
# JSON-RPC over stdio


class RpcError(Exception):
    pass


class Rpc:
    """A minimal LSP client: Content-Length framing, requests with deadlines, notifications kept."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path, log: Path,
                 answer: Callable[[str, Any], Any]) -> None:
        self.argv, self.env, self.cwd, self.log_path = argv, env, cwd, log
        self.answer = answer  # server -> client requests: (method, params) -> result
        self.proc: asyncio.subprocess.Process | None = None
        self.next_id = 0
        self.pending: dict[int, asyncio.Future] = {}
        self.pushes: dict[str, list[tuple[float, dict]]] = {}
        self.push_event = asyncio.Event()
        self.reader: asyncio.Task | None = None
        self.log_file = None
        self.closed = False
        self.last_done = 0.0  # perf_counter() when the last answer was read

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def start(self) -> None:
        self.log_file = open(self.log_path, "ab")  # noqa: SIM115 - closed in close()
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=self.log_file, env=self.env, cwd=str(self.cwd), limit=1 << 24)
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        out = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    line = await out.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                if length is None:
                    continue
                msg = json.loads(await out.readexactly(length))
                now = time.perf_counter()
                self._dispatch(msg, now)
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            self.closed = True
            for fut in self.pending.values():
                if not fut.done():
                    fut.set_exception(RpcError("server closed the connection"))
            self.push_event.set()

    def _dispatch(self, msg: dict, now: float) -> None:
        method = msg.get("method")
        if method is None:
            fut = self.pending.pop(msg.get("id"), None)
            if fut is not None and not fut.done():
                fut.set_result((now, msg))
            return
        if "id" in msg:
            try:
                result = self.answer(method, msg.get("params"))
                self._send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
            except Exception as exc:  # noqa: BLE001 - report to the server, keep going
                self._send({"jsonrpc": "2.0", "id": msg["id"],
                            "error": {"code": -32601, "message": str(exc)}})
            return
        if method == "textDocument/publishDiagnostics":
            params = msg["params"]
            self.pushes.setdefault(params["uri"], []).append((now, params))
            self.push_event.set()

    def _send(self, msg: dict) -> None:
        if self.proc is None or self.proc.stdin is None or self.proc.stdin.is_closing():
            return
        body = json.dumps(msg, separators=(",", ":"), ensure_ascii=False).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: Any) -> float:
        t = time.perf_counter()
        self._send({"jsonrpc": "2.0", "method": method, "params": params})
        return t

    async def request(self, method: str, params: Any, timeout: float = REQUEST_TIMEOUT
                      ) -> tuple[float, Any]:
        """Send a request; return (milliseconds until the answer was read, result)."""
        self.next_id += 1
        rid = self.next_id
        fut = asyncio.get_running_loop().create_future()
        self.pending[rid] = fut
        t = time.perf_counter()
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        assert self.proc is not None and self.proc.stdin is not None
        await self.proc.stdin.drain()
        try:
            done, msg = await asyncio.wait_for(fut, timeout)
        finally:
            self.pending.pop(rid, None)
        self.last_done = done
        if "error" in msg:
            raise RpcError(f"{method}: {msg['error'].get('message')}")
        return (done - t) * 1000, msg.get("result")

    async def wait_push(self, uri: str, count: int, version: int | None,
                        timeout: float = REQUEST_TIMEOUT) -> tuple[float, dict]:
        """Wait for a publishDiagnostics of ``uri`` beyond the first ``count`` ones.

        When the server sends ``version`` (qwen-ls does), only a push for ``version`` counts; the
        anchor sends none, so the next push counts (the caller makes sure no older one is due).
        """
        deadline = time.perf_counter() + timeout
        seen = count
        while True:
            got = self.pushes.get(uri, [])
            for when, params in got[seen:]:
                v = params.get("version")
                if version is None or v is None or v == version:
                    return when, params
            seen = len(got)
            if self.closed:
                raise RpcError("server closed the connection")
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no diagnostics pushed for {uri}")
            self.push_event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.push_event.wait(), left)

    def peak_rss_mb(self) -> float:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    async def close(self) -> None:
        """shutdown + exit with deadlines; kill whatever is left. Always safe to call."""
        proc = self.proc
        try:
            if proc is not None and proc.returncode is None and not self.closed:
                with contextlib.suppress(Exception):
                    await self.request("shutdown", None, timeout=5)
                    self.notify("exit", None)
                    if proc.stdin is not None:
                        proc.stdin.close()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(proc.wait(), 5)
        finally:
            if proc is not None and proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(proc.wait(), 5)
            if self.reader is not None:
                self.reader.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self.reader
            if self.log_file is not None:
                self.log_file.close()


# --------------------------------------------------------------------------------------------
# The two servers


def capabilities(pull: bool) -> dict:
    text: dict[str, Any] = {
        "synchronization": {"dynamicRegistration": False, "didSave": True},
        "completion": {"contextSupport": True, "completionItem": {
            "snippetSupport": True, "documentationFormat": ["markdown", "plaintext"],
            "labelDetailsSupport": True, "deprecatedSupport": True,
            "tagSupport": {"valueSet": [1]}}},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True,
                               "codeDescriptionSupport": True, "dataSupport": True,
                               "tagSupport": {"valueSet": [1, 2]}},
    }
    if pull:
        text["diagnostic"] = {"dynamicRegistration": False, "relatedDocumentSupport": False}
    return {
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": text,
        "workspace": {"configuration": True, "workspaceFolders": True,
                      "didChangeConfiguration": {"dynamicRegistration": False}},
        "window": {"workDoneProgress": False},
    }


@dataclass
class ServerSpec:
    name: str
    argv: list[str]
    env: dict[str, str]
    init_options: dict | None
    settings: dict | None  # sent with workspace/didChangeConfiguration after initialized

    def answer(self, method: str, params: Any) -> Any:
        if method == "workspace/configuration":
            items = (params or {}).get("items", [])
            return [(self.settings or {}).get(i.get("section") or "", None) for i in items]
        return None  # registerCapability, workDoneProgress/create, diagnostic/refresh, ...


def qwen_spec(home: Path, delay_ms: int | None) -> ServerSpec:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "LANG": "C.UTF-8",
           "PYTHONPATH": str(REPO),
           "QWEN_CODE_SYSTEM_SETTINGS_PATH": str(home / "etc-settings.json"),
           "QWEN_CODE_SYSTEM_DEFAULTS_PATH": str(home / "etc-defaults.json")}
    opts = None if delay_ms is None else {"diagnosticDelayMs": delay_ms}
    return ServerSpec("qwen-ls", [PYTHON, "-m", "qwen_ls"], env, opts, None)


def anchor_spec(home: Path) -> ServerSpec:
    json_settings = {
        "schemas": [{"fileMatch": ["**/.qwen/settings.json"], "url": SCHEMA.as_uri()}],
        "validate": {"enable": True},
        "format": {"enable": False},
    }
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "LANG": "C.UTF-8"}
    return ServerSpec(
        "anchor", ["node", str(ANCHOR_BIN), "--stdio"], env,
        {"provideFormatter": False, "handledSchemaProtocols": ["file"]},
        {"json": json_settings, "http": {"proxy": "", "proxyStrictSSL": False}})


class Session:
    def __init__(self, spec: ServerSpec, workspace: Path, pull: bool, logs: Path) -> None:
        self.spec, self.workspace, self.pull = spec, workspace, pull
        self.rpc = Rpc(spec.argv, spec.env, workspace, logs / f"{spec.name}.stderr.log", spec.answer)
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self.incremental = True
        self.init_ms = float("nan")

    async def __aenter__(self) -> Session:
        try:
            t = time.perf_counter()
            await self.rpc.start()
            done_ms, result = await self.rpc.request("initialize", {
                "processId": os.getpid(), "rootUri": self.workspace.as_uri(),
                "capabilities": capabilities(self.pull),
                "workspaceFolders": [{"uri": self.workspace.as_uri(), "name": "ws"}],
                "initializationOptions": self.spec.init_options,
                "clientInfo": {"name": "bench_anchor"}}, timeout=START_TIMEOUT)
            self.init_ms = (time.perf_counter() - t) * 1000
            sync = (result or {}).get("capabilities", {}).get("textDocumentSync", 1)
            kind = sync.get("change", 1) if isinstance(sync, dict) else sync
            self.incremental = kind == 2
            self.rpc.notify("initialized", {})
            if self.spec.settings is not None:
                self.rpc.notify("workspace/didChangeConfiguration", {"settings": self.spec.settings})
            return self
        except BaseException:
            await self.rpc.close()
            raise

    async def __aexit__(self, *exc: object) -> None:
        await self.rpc.close()

    def open(self, path: Path, text: str) -> tuple[str, float]:
        uri = path.as_uri()
        self.texts[uri], self.versions[uri] = text, 1
        t = self.rpc.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "jsonc", "version": 1, "text": text}})
        return uri, t

    def change(self, uri: str, start: int, end: int, new: str) -> float:
        """Replace [start, end) (code points) with ``new``; one range edit like editors send."""
        old = self.texts[uri]
        self.texts[uri] = old[:start] + new + old[end:]
        self.versions[uri] += 1
        if self.incremental:
            change = {"range": {"start": position(old, start), "end": position(old, end)},
                      "text": new}
        else:
            change = {"text": self.texts[uri]}
        return self.rpc.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": self.versions[uri]},
            "contentChanges": [change]})

    async def pull_diagnostics(self, uri: str) -> tuple[float, list[dict]]:
        ms, report = await self.rpc.request("textDocument/diagnostic",
                                            {"textDocument": {"uri": uri}})
        return ms, (report or {}).get("items", [])


def position(text: str, offset: int) -> dict:
    """LSP position (UTF-16) of a code-point offset."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": len(text[start:offset].encode("utf-16-le")) // 2}


# --------------------------------------------------------------------------------------------
# Performance


@dataclass
class Doc:
    label: str
    text: str
    edit_at: tuple[str, str, str]  # (needle, a, b): toggle a <-> b right after needle
    completions: list[tuple[str, str, str, int]]  # (what, first, then, delta): find `first`,
    hovers: list[tuple[str, str, str, int]]       # then `then` after it, then add delta


def perf_docs() -> list[Doc]:
    big = large()
    mid = '"id": "bench-model-1000"'
    return [
        Doc("typical", TYPICAL, ('"hideTips": ', "true", "false"),
            [("keys in ui", '"ui": {', '{', 1),
             ("enum value (tools.approvalMode)", '"approvalMode": "', '"auto', 1),
             ("model.name value", '"model": {', '"qwen3', 1)],
            [("key tools.approvalMode", '"approvalMode"', '"', 3),
             ("key in a provider entry (contextWindowSize)", '"contextWindowSize"', '"', 3)]),
        Doc("large", big, ('"maxRetries": ', "3", "4"),  # in entry #0
            [("keys in a provider entry (#1000)", mid, '"id"', 0),
             ("enum value (security.auth.selectedType)", '"selectedType": "', '"openai', 1),
             ("model.name value", '"model": {', '"bench', 1)],
            [("key security.auth.selectedType", '"selectedType"', '"', 3),
             ("key in a provider entry (#1000 envKey)", mid, '"envKey"', 3)]),
        # The same file with a finding in each of its 2,000 entries (keys unset): diagnostics
        # only, no completion/hover (they would measure the same as on "large").
        Doc("many findings", many_findings(), ('"maxRetries": ', "3", "4"), [], []),
    ]


@dataclass
class Metrics:
    values: dict[tuple[str, str], list[float]] = field(default_factory=dict)  # (metric, server)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, metric: str, server: str, value: float) -> None:
        self.values.setdefault((metric, server), []).append(value)


def locate(text: str, first: str, then: str, delta: int) -> dict:
    return position(text, text.index(then, text.index(first)) + delta)


async def perf_session(spec: ServerSpec, doc: Doc, folder: Path, pull: bool, reps: int,
                       edits: int, m: Metrics, detail: Metrics, logs: Path) -> None:
    path = folder / ".qwen" / "settings.json"
    name = spec.name
    async with Session(spec, folder, pull, logs) as s:
        m.add("start -> initialize result", name, s.init_ms)
        mode = "pull" if pull else "push"
        uri, t_open = s.open(path, doc.text)
        # didOpen goes right after `initialized` (an editor restoring its open files): no idle
        # time for a warm-up. The request goes right after didOpen: time from didOpen on.
        if pull:
            _, items = await s.pull_diagnostics(uri)
            m.add(f"{doc.label}: open -> diagnostics (pull)", name, (s.rpc.last_done - t_open) * 1000)
        else:
            when, params = await s.rpc.wait_push(uri, 0, 1)
            items = params.get("diagnostics", [])
            m.add(f"{doc.label}: open -> diagnostics (push)", name, (when - t_open) * 1000)
        m.notes[(f"{doc.label}: diagnostics on open ({mode})", name)] = str(len(items))
        needle, a, b = doc.edit_at
        for _ in range(edits):
            text = s.texts[uri]
            base = text.index(needle) + len(needle)
            cur, new = (a, b) if text.startswith(a, base) else (b, a)
            count = len(s.rpc.pushes.get(uri, []))
            t = s.change(uri, base, base + len(cur), new)
            if pull:
                await s.pull_diagnostics(uri)
                m.add(f"{doc.label}: edit -> diagnostics (pull)", name, (s.rpc.last_done - t) * 1000)
            else:
                when, _ = await s.rpc.wait_push(uri, count, s.versions[uri])
                m.add(f"{doc.label}: edit -> diagnostics (push)", name, (when - t) * 1000)
        if not pull:
            ident = {"uri": uri}
            cold = True  # the first request of a session is kept apart (lazy imports, caches)
            for what, first, then, delta in doc.completions:
                for _ in range(reps):
                    pos = locate(s.texts[uri], first, then, delta)
                    ms, result = await s.rpc.request("textDocument/completion",
                                                     {"textDocument": ident, "position": pos})
                    m.add(f"{doc.label}: completion{', first of a session' if cold else ''}", name, ms)
                    if not cold:
                        detail.add(f"{doc.label}: completion @ {what}", name, ms)
                    cold = False
                items = result.get("items", []) if isinstance(result, dict) else (result or [])
                m.notes[(f"{doc.label}: completion items, {what}", name)] = str(len(items))
            cold = True
            for what, first, then, delta in doc.hovers:
                for _ in range(reps):
                    pos = locate(s.texts[uri], first, then, delta)
                    ms, result = await s.rpc.request("textDocument/hover",
                                                     {"textDocument": ident, "position": pos})
                    m.add(f"{doc.label}: hover{', first of a session' if cold else ''}", name, ms)
                    if not cold:
                        detail.add(f"{doc.label}: hover @ {what}", name, ms)
                    cold = False
                m.notes[(f"{doc.label}: hover, {what}", name)] = "yes" if result else "none"
        m.add(f"{doc.label}: peak RSS MB ({mode} session)", name, s.rpc.peak_rss_mb())


async def floor(argv: list[str]) -> float:
    t = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.DEVNULL)
    try:
        await asyncio.wait_for(proc.wait(), 60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    return (time.perf_counter() - t) * 1000


def pct(values: list[float], q: float) -> float:
    values = sorted(v for v in values if v == v)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def perf_table(m: Metrics, servers: list[str]) -> str:
    rows: list[tuple[str, float, float, str]] = []
    order: list[str] = []
    for metric, _server in m.values:
        if metric not in order:
            order.append(metric)

    def get(metric: str, server: str) -> list[float]:
        return m.values.get((metric, server), [])

    for metric in order:
        q, a = get(metric, servers[0]), get(metric, servers[1])
        n = max(len(q), len(a))
        if "floor" in metric:
            rows.append((f"{metric} median", pct(q, 0.5), pct(a, 0.5), f"n={n}"))
        elif "RSS" in metric:
            rows.append((f"{metric} max", max(q, default=float("nan")),
                         max(a, default=float("nan")), f"n={n}"))
        else:
            rows.append((f"{metric} p50", pct(q, 0.5), pct(a, 0.5), f"n={n}"))
            rows.append((f"{metric} p95", pct(q, 0.95), pct(a, 0.95), f"n={n}"))
    width = max(len(r[0]) for r in rows)
    unit = lambda metric: "MB" if "RSS" in metric else "ms"  # noqa: E731
    out = [f"| {'metric'.ljust(width)} | {'qwen-ls':>9} | {'anchor':>9} | unit | {'ratio':>6} | n |",
           f"|{'-' * (width + 2)}|{'-' * 11}|{'-' * 11}|------|{'-' * 8}|---|"]
    for metric, q, a, n in rows:
        ratio = q / a if q == q and a == a and a else float("nan")
        flag = " !" if ratio > 1.0 else "  "
        out.append(f"| {metric.ljust(width)} | {fmt(q):>9} | {fmt(a):>9} | {unit(metric):4} | "
                   f"{fmt(ratio, 2) + flag:>6} | {n.removeprefix('n=')} |")
    return "\n".join(out)


def fmt(v: float, digits: int = 1) -> str:
    return "n/a" if v != v else f"{v:.{digits}f}"


async def run_perf(args: argparse.Namespace, root: Path, logs: Path) -> str:
    home = root / "home"
    specs = [qwen_spec(home, args.qwen_delay_ms), anchor_spec(home)]
    docs = perf_docs()
    m = Metrics()
    detail = Metrics()  # per fixed position, first request of a session left out
    failures: dict[str, str] = {}
    for r in range(args.rounds):
        m.add("python -c 'import pygls.lsp.server' (floor)", "qwen-ls",
              await floor([PYTHON, "-c", "import pygls.lsp.server"]))
        m.add("node -e 0 (floor)", "anchor", await floor(["node", "-e", "0"]))
        for doc in docs:
            folder = root / f"ws-{doc.label.replace(' ', '-')}"
            for pull in (False, True):
                for spec in specs:  # A B A B
                    if spec.name in failures:
                        continue
                    try:
                        await perf_session(spec, doc, folder, pull,
                                           args.reps if doc.label == "typical" else args.large_reps,
                                           args.edits, m, detail, logs)
                    except (RpcError, TimeoutError, OSError) as exc:
                        failures[spec.name] = f"{type(exc).__name__}: {exc}"
                        print(f"!! {spec.name} failed in round {r + 1} ({doc.label}): {exc}",
                              file=sys.stderr)
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    table = perf_table(m, [s.name for s in specs])
    table += "\n\nPer fixed position (warm: the first request of each session left out):\n\n"
    table += perf_table(detail, [s.name for s in specs])
    notes = ["", "Answers at the fixed positions (completion items of the last request / hover):"]
    for (what, server), v in sorted(m.notes.items()):
        notes.append(f"- {server:8} {what}: {v}")
    for name, err in failures.items():
        notes.append(f"- {name} FAILED: {err} (see {logs})")
    return table + "\n" + "\n".join(notes)


# --------------------------------------------------------------------------------------------
# Accuracy


def accuracy_docs() -> list[tuple[str, str]]:
    docs = [("typical", TYPICAL), ("large", large())]
    for p in sorted(BROKEN_DIR.glob("*.json")):
        docs.append((p.stem, p.read_text()))
    example = REPO / "examples" / "broken" / ".qwen" / "settings.json"  # twenty mistakes
    if example.exists():
        docs.append(("examples/broken", example.read_text()))
    return docs


def rng(d: dict) -> tuple[int, int, int, int]:
    r = d["range"]
    return (r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"])


def rng_text(r: tuple[int, int, int, int]) -> str:
    return f"{r[0] + 1}:{r[1] + 1}-{r[2] + 1}:{r[3] + 1}"


def contains(outer: tuple, inner: tuple) -> bool:
    return (outer[0], outer[1]) <= (inner[0], inner[1]) and (inner[2], inner[3]) <= (outer[2], outer[3])


def overlaps(a: tuple, b: tuple) -> bool:
    return (a[0], a[1]) < (b[2], b[3]) and (b[0], b[1]) < (a[2], a[3]) or a == b


SEVERITY = {1: "error", 2: "warning", 3: "info", 4: "hint"}


def short(d: dict, limit: int = 70) -> str:
    msg = " ".join(str(d.get("message", "")).split())
    code = d.get("code")
    sev = SEVERITY.get(d.get("severity", 1), "?")
    text = f"{code + ' ' if isinstance(code, str) else ''}{sev}: {msg}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


RELATIONS = ("equal", "contained", "wider", "overlap")


def relation(ra: tuple, rq: tuple) -> str | None:
    """How qwen-ls's range ``rq`` relates to the anchor's ``ra`` (best first), or None."""
    if rq == ra:
        return "equal"
    if contains(ra, rq):
        return "contained"
    if contains(rq, ra):
        return "wider"
    return "overlap" if overlaps(rq, ra) else None


def match(anchor: list[dict], qwen: list[dict]) -> tuple[list[tuple[dict, str, dict | None]], list[dict]]:
    """For each anchor diagnostic, the best qwen-ls diagnostic on the same range."""
    rows = []
    used: set[int] = set()
    for a in anchor:
        ra = rng(a)
        cands = [(RELATIONS.index(rel), id(q) in used, q.get("severity") != a.get("severity"), i, q)
                 for i, q in enumerate(qwen) if (rel := relation(ra, rng(q))) is not None]
        if not cands:
            rows.append((a, "MISSING", None))
            continue
        best = min(cands, key=lambda c: c[:4])
        used.add(id(best[4]))
        rows.append((a, RELATIONS[best[0]], best[4]))
    beyond = [q for q in qwen if id(q) not in used]
    return rows, beyond


async def diagnostics_of(spec: ServerSpec, folder: Path, text: str, logs: Path) -> list[dict]:
    path = folder / ".qwen" / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    async with Session(spec, folder, True, logs) as s:
        uri, _ = s.open(path, text)
        _, items = await s.pull_diagnostics(uri)
        return items


async def run_accuracy(root: Path, logs: Path) -> tuple[str, list[str]]:
    home = root / "home"
    specs = [qwen_spec(home, None), anchor_spec(home)]
    out: list[str] = []
    gaps: list[str] = []
    summary = {"equal": 0, "contained": 0, "wider": 0, "overlap": 0, "MISSING": 0}
    beyond_all: list[str] = []
    for label, text in accuracy_docs():
        folder = root / f"acc-{label.replace('/', '-')}"
        qwen = await diagnostics_of(specs[0], folder, text, logs)
        anchor = await diagnostics_of(specs[1], folder, text, logs)
        for d in qwen + anchor:  # stable output: no temporary paths
            d["message"] = str(d.get("message", "")).replace(str(root), "<tmp>")
        anchor.sort(key=rng)
        qwen.sort(key=rng)
        rows, beyond = match(anchor, qwen)
        out.append(f"\n### {label}  (anchor {len(anchor)}, qwen-ls {len(qwen)})\n")
        if rows:
            out.append("| range (anchor) | anchor | qwen-ls | match |")
            out.append("|---|---|---|---|")
            for a, kind, q in rows:
                summary[kind] += 1
                qtxt = "—" if q is None else f"{rng_text(rng(q))} {short(q)}"
                out.append(f"| {rng_text(rng(a))} | {short(a)} | {qtxt} | {kind} |")
                if kind in ("MISSING", "overlap", "wider"):
                    gaps.append(f"{label} {rng_text(rng(a))}: anchor '{short(a, 120)}' -> qwen-ls "
                                f"{kind}{'' if q is None else ': ' + rng_text(rng(q)) + ' ' + short(q, 90)}")
        else:
            out.append("The anchor reports nothing.")
        for q in beyond:
            beyond_all.append(f"| {label} | {rng_text(rng(q))} | {short(q, 110)} |")
    head = ["Matches (each anchor diagnostic vs qwen-ls on the same range): "
            + ", ".join(f"{k} {v}" for k, v in summary.items())]
    tail = ["", "### qwen-ls findings beyond the anchor (not matched to an anchor diagnostic)",
            "", "| document | range | qwen-ls |", "|---|---|---|", *beyond_all]
    return "\n".join(head + out + tail), gaps


# --------------------------------------------------------------------------------------------


def prepare(root: Path) -> None:
    home = root / "home"
    (home / ".qwen").mkdir(parents=True)
    # Every envKey of the corpus is provided, as in a working setup.
    (home / ".qwen" / ".env").write_text("".join(f"{k}={v}\n" for k, v in ENV.items()))
    for doc in perf_docs():
        f = root / f"ws-{doc.label.replace(' ', '-')}" / ".qwen" / "settings.json"
        f.parent.mkdir(parents=True)
        f.write_text(doc.text)


async def main_async(args: argparse.Namespace) -> int:
    if not ANCHOR_BIN.exists():
        print(f"anchor not installed: run `npm ci --prefix {ANCHOR_DIR.relative_to(REPO)}`",
              file=sys.stderr)
        return 2
    if shutil.which("node") is None:
        print("node is not on PATH", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-anchor-") as tmp:
        root = Path(tmp)
        logs = Path(args.logs) if args.logs else root / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        prepare(root)
        print(f"qwen-ls: {PYTHON} -m qwen_ls   anchor: vscode-langservers-extracted "
              f"{anchor_version()} (vscode-json-languageservice {anchor_version('vscode-json-languageservice')})")
        print(f"typical: {len(TYPICAL.encode())} bytes; large: {len(large().encode()) / 1e6:.2f} MB; "
              f"many findings: {len(many_findings().encode()) / 1e6:.2f} MB (every envKey unset)")
        if args.only in (None, "perf"):
            print(f"\n## Performance ({args.rounds} rounds, A B A B; qwen-ls diagnosticDelayMs "
                  f"{'default' if args.qwen_delay_ms is None else args.qwen_delay_ms}, anchor push "
                  f"delay 500 ms fixed)\n")
            print(await run_perf(args, root, logs))
        if args.only in (None, "accuracy"):
            print("\n## Accuracy (pull diagnostics right after didOpen)\n")
            table, gaps = await run_accuracy(root, logs)
            print(table)
            print("\n### Anchor diagnostics without an equal or contained qwen-ls range\n")
            print("\n".join(f"- {g}" for g in gaps) if gaps else "None.")
    return 0


def anchor_version(pkg: str = "vscode-langservers-extracted") -> str:
    for p in (ANCHOR_DIR / "node_modules" / pkg / "package.json",):
        with contextlib.suppress(OSError, ValueError):
            return json.loads(p.read_text())["version"]
    return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="A B rounds (default 10)")
    parser.add_argument("--reps", type=int, default=10,
                        help="requests per fixed position per session, typical file (default 10)")
    parser.add_argument("--large-reps", type=int, default=5,
                        help="requests per fixed position per session, large file (default 5)")
    parser.add_argument("--edits", type=int, default=5, help="edits per session (default 5)")
    parser.add_argument("--qwen-delay-ms", type=int, default=None,
                        help="qwen-ls diagnosticDelayMs (default: the server's own default)")
    parser.add_argument("--only", choices=["perf", "accuracy"], default=None)
    parser.add_argument("--logs", default=None, help="keep the servers' stderr in this folder")
    args = parser.parse_args()
    sys.exit(asyncio.run(main_async(args)))


if __name__ == "__main__":
    main()
