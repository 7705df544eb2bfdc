"""Benchmark the language server over a real stdio connection (prints figures; not a test).

Measures, against ``python -m qwen_ls`` in a temporary HOME:

- start → ``initialize`` result, next to ``python -c 'import pygls.lsp.server'`` (the floor);
- ``didChange`` → diagnostics latency: push (VS Code profile, debounce 0) and pull (Neovim);
- completion and hover p50/p95 on a typical file and on a 1.17 MB file with 2,000 models,
  including completion right after an edit;
- the server's peak RSS.

Run: ``.venv/bin/python bench/bench_server.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from qwen_ls.jsonc.edits import changed_span
from qwen_ls.jsonc.types import TextEdit

REPO = Path(__file__).resolve().parents[1]

TYPICAL = {
    "$version": 4,
    "security": {"auth": {"selectedType": "openai"}},
    "model": {"name": "qwen3-coder-plus", "generationConfig": {"timeout": 60000}},
    "modelProviders": {
        "openai": [
            {"id": "qwen3-coder-plus", "name": "Qwen3 Coder Plus",
             "baseUrl": "https://dashscope.aliyuncs.com/compatible-mode/v1",
             "envKey": "DASHSCOPE_API_KEY"},
            {"id": "gpt-5", "name": "GPT-5", "baseUrl": "https://api.openai.com/v1",
             "envKey": "OPENAI_API_KEY"},
        ]
    },
    "ui": {"theme": "Qwen Dark", "hideTips": True},
    "tools": {"approvalMode": "default"},
}


def large_settings(models: int = 2000) -> str:
    entries = []
    for i in range(models):
        entries.append({
            "id": f"model-{i:05d}",
            "name": f"Provider model number {i} with a fairly long display name",
            "description": "Generated entry for the qwen-ls benchmark.",
            "baseUrl": f"https://api{i % 7}.example.com/v1",
            "envKey": f"PROVIDER_{i % 13}_API_KEY",
            "generationConfig": {"timeout": 120000, "maxRetries": 3, "contextWindowSize": 131072,
                                 "samplingParams": {"temperature": 0.7, "top_p": 0.95},
                                 "customHeaders": {"X-Bench": f"entry-{i}"}},
            "capabilities": {"vision": i % 2 == 0},
        })
    data = dict(TYPICAL)
    data["modelProviders"] = {"openai": entries}
    data["model"] = {"name": "model-01999"}
    return json.dumps(data, indent=2) + "\n"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def fmt(values: list[float]) -> str:
    return f"p50 {pct(values, 0.5):7.2f} ms   p95 {pct(values, 0.95):7.2f} ms   (n={len(values)})"


def import_floor(runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import pygls.lsp.server"], check=True)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


class Session:
    def __init__(self, profile: str, home: Path, workspace: Path) -> None:
        self.profile = profile
        self.home = home
        self.workspace = workspace
        self.client = LanguageClient(converter_factory=default_converter)
        self.version: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.published: dict[str, asyncio.Future] = {}

        def _register(ls, params):
            return None

        def _publish(ls, params: types.PublishDiagnosticsParams):
            fut = self.published.get(params.uri)
            if fut is not None and not fut.done() and params.version == self.version.get(params.uri):
                fut.set_result(time.perf_counter())

        features = dict(DEFAULT_CLIENT_FEATURES)
        features[types.CLIENT_REGISTER_CAPABILITY] = _register
        features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _publish
        register_lsp_features(self.client, features)

    async def start(self) -> float:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(self.home),
               "PYTHONPATH": str(REPO), "LANG": "C.UTF-8",
               "QWEN_CODE_SYSTEM_SETTINGS_PATH": str(self.home / "etc-settings.json"),
               "QWEN_CODE_SYSTEM_DEFAULTS_PATH": str(self.home / "etc-defaults.json")}
        t = time.perf_counter()
        await self.client.start_io(sys.executable, "-m", "qwen_ls", env=env)
        await self.client.initialize_session(types.InitializeParams(
            capabilities=client_capabilities(self.profile),
            workspace_folders=[types.WorkspaceFolder(uri=self.workspace.as_uri(), name="ws")],
            initialization_options={"diagnosticDelayMs": 0}))
        return (time.perf_counter() - t) * 1000

    @property
    def pid(self) -> int:
        return self.client._server.pid

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.version[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="jsonc", version=1, text=text)))
        return uri

    def change(self, uri: str, text: str) -> None:
        """Send the change the way editors do: one range edit (incremental sync)."""
        self.version[uri] += 1
        old = self.texts[uri]
        self.texts[uri] = text
        edit = changed_span(old, text) or TextEdit(0, 0, "")
        change = types.TextDocumentContentChangePartial(
            range=types.Range(start=pos_at(old, edit.start), end=pos_at(old, edit.end)),
            text=edit.new_text)
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.version[uri]),
            content_changes=[change]))

    async def change_to_diagnostics(self, uri: str, text: str, pull: bool) -> float:
        loop = asyncio.get_running_loop()
        if not pull:
            self.published[uri] = loop.create_future()
        t = time.perf_counter()
        self.change(uri, text)
        if pull:
            await self.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=uri)))
            return (time.perf_counter() - t) * 1000
        done = await asyncio.wait_for(self.published[uri], 30)
        return (done - t) * 1000

    async def pull_only(self, uri: str, previous: str | None = None) -> tuple[float, str | None]:
        t = time.perf_counter()
        report = await self.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=previous))
        return (time.perf_counter() - t) * 1000, report.result_id

    async def timed(self, coro) -> float:
        t = time.perf_counter()
        await coro
        return (time.perf_counter() - t) * 1000

    def peak_rss_mb(self) -> float:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    async def stop(self) -> None:
        await self.client.shutdown_session()
        await self.client.stop()


def pos_at(text: str, offset: int) -> types.Position:
    """LSP position (UTF-16) of a code-point offset."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return types.Position(line=line, character=len(text[start:offset].encode("utf-16-le")) // 2)


def pos_of(text: str, needle: str, delta: int) -> types.Position:
    offset = text.index(needle) + delta
    before = text[:offset]
    return types.Position(before.count("\n"), offset - (before.rfind("\n") + 1))


async def bench_file(label: str, text: str, runs: int, root: Path) -> None:
    workspace = root / f"ws-{label}"
    (workspace / ".qwen").mkdir(parents=True)
    path = workspace / ".qwen" / "settings.json"
    path.write_text(text)
    print(f"\n== {label}: {len(text.encode()) / 1e6:.2f} MB")
    for profile, pull in (("visual-studio-code", False), ("neovim", True)):
        s = Session(profile, root / "home", workspace)
        await s.start()
        uri = s.open(path, text)
        edited = [text.replace('"hideTips": true', f'"hideTips": {"false" if i % 2 else "true"}')
                  for i in range(runs)]
        if pull:
            await s.pull_only(uri)
        else:
            await s.change_to_diagnostics(uri, text, False)  # warm up: first analysis
        lat = [await s.change_to_diagnostics(uri, edited[i], pull) for i in range(runs)]
        mode = "pull" if pull else "push"
        print(f"didChange -> diagnostics ({mode:4}, {profile}): {fmt(lat)}")
        if pull:
            full = [(await s.pull_only(uri))[0] for _ in range(runs)]
            print(f"pull diagnostics, full report, no change:   {fmt(full)}")
            _, rid = await s.pull_only(uri)
            same = [(await s.pull_only(uri, rid))[0] for _ in range(runs)]
            print(f"pull diagnostics, unchanged (result id):    {fmt(same)}")
        if not pull:
            current = edited[-1]
            cpos = pos_of(current, '"name": "', len('"name": "') + 3)
            hpos = pos_of(current, '"approvalMode"', 3)
            ident = types.TextDocumentIdentifier(uri=uri)
            comp = [await s.timed(s.client.text_document_completion_async(
                types.CompletionParams(text_document=ident, position=cpos))) for _ in range(runs)]
            print(f"completion (model.name values):             {fmt(comp)}")
            kpos = pos_of(current, '"ui": {', len('"ui": {'))
            keys = [await s.timed(s.client.text_document_completion_async(
                types.CompletionParams(text_document=ident, position=kpos))) for _ in range(runs)]
            print(f"completion (keys in ui):                    {fmt(keys)}")
            hov = [await s.timed(s.client.text_document_hover_async(
                types.HoverParams(text_document=ident, position=hpos))) for _ in range(runs)]
            print(f"hover:                                      {fmt(hov)}")
            after = []
            for i in range(runs):
                s.change(uri, edited[i])
                after.append(await s.timed(s.client.text_document_completion_async(
                    types.CompletionParams(text_document=ident, position=kpos))))
            print(f"completion right after an edit:             {fmt(after)}")
        print(f"peak RSS ({profile}): {s.peak_rss_mb():.1f} MB")
        await s.stop()


async def main_async(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "home" / ".qwen").mkdir(parents=True)
        # Every envKey of the files is provided, as in a working setup (few diagnostics).
        keys = [f"PROVIDER_{i}_API_KEY" for i in range(13)] + ["DASHSCOPE_API_KEY", "OPENAI_API_KEY"]
        (root / "home" / ".qwen" / ".env").write_text(
            "".join(f"{k}=sk-bench-{i:020d}\n" for i, k in enumerate(keys)))
        floor = import_floor(5)
        starts = []
        for _ in range(5):
            s = Session("visual-studio-code", root / "home", root)
            starts.append(await s.start())
            await s.stop()
        start = statistics.median(starts)
        print(f"start -> initialize result: {start:.1f} ms (median of 5)")
        print(f"python -c 'import pygls.lsp.server': {floor:.1f} ms (median of 5)")
        print(f"overhead over the floor: {start - floor:.1f} ms (target < 100 ms)")
        await bench_file("typical", json.dumps(TYPICAL, indent=2) + "\n", runs, root)
        await bench_file("large", large_settings(), max(runs // 2, 10), root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    asyncio.run(main_async(args.runs))


if __name__ == "__main__":
    main()
