"""Fuzzing through LSP: random incremental edits and requests against the real server.

The driver (``driver.py``) runs ``python -m qwen_ls`` as VS Code (UTF-16, push diagnostics) or
Neovim (UTF-8, pull diagnostics) in a temporary HOME and workspace, and checks after every step that
each request was answered in time, the process is alive, the server logged no error, every range it
returned is valid in the client's text, and the server's copy of the document equals the client's
(``qwen-ls.debug.documentInfo``: version, length, SHA-256).

One server per test function; hypothesis opens a fresh document for each example.
``QWEN_LS_FUZZ_EXAMPLES`` sets the number of examples per profile (default 150). The long run is
``bench/fuzz_lsp.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types

sys.path.insert(0, str(Path(__file__).resolve().parent))

from driver import (  # noqa: E402
    FRAGMENTS,
    METHODS,
    PROFILES,
    REAL_SETTINGS,
    Change,
    Edit,
    FuzzSession,
    Request,
    wire,
)

EXAMPLES = int(os.environ.get("QWEN_LS_FUZZ_EXAMPLES", "150"))

# -- strategies --------------------------------------------------------------------------------
any_char = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
real_slice = st.builds(
    lambda src, a, n: src[a % len(src):a % len(src) + n],
    st.sampled_from(REAL_SETTINGS), st.integers(0, 10_000), st.integers(1, 120),
)
typed = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=3).map("".join),
    real_slice,
    st.text(any_char, min_size=1, max_size=6),
    st.sampled_from(["\u2028", "\u2029", "\ud800", "\udfff", "\ud83d\ude00", "\r\n", "\x00"]),
    # terminal and UI injection: ESC/CSI/OSC sequences, C1 controls, BEL, bidi overrides
    st.sampled_from(["\x1b[2J", "\x1b]0;title\x07", "\x9b31m", "\x85", "\x07", "\u202e",
                     "\u2066", "\x7f"]),
)
edits = st.builds(Edit, st.floats(0, 1), st.sampled_from([0, 0, 0, 1, 2, 5, 40]),
                  st.one_of(typed, st.just("")))
changes = st.one_of(
    st.builds(Change, st.lists(edits, min_size=1, max_size=3).map(tuple)),
    st.builds(lambda t: Change((), whole=t), st.sampled_from(REAL_SETTINGS)),
)
requests = st.builds(Request, st.sampled_from(METHODS), st.floats(0, 1), st.floats(0, 1),
                     st.booleans())
operations = st.lists(st.one_of(changes, changes, requests), max_size=30)
initial_texts = st.one_of(st.sampled_from(REAL_SETTINGS), st.just(""),
                          st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join))


class LoopRunner:
    """A session on its own event loop, so that hypothesis can drive it from a plain test."""

    def __init__(self, profile: str, root: Path, **kwargs) -> None:
        self.loop = asyncio.new_event_loop()
        self.session = FuzzSession(profile, root, **kwargs)

    def run(self, coro, timeout: float = 120):
        return self.loop.run_until_complete(asyncio.wait_for(coro, timeout))

    def __enter__(self) -> LoopRunner:
        self.run(self.session.start())
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.run(self.session.stop(), 30)
        finally:
            self.loop.close()


@pytest.mark.parametrize("profile", PROFILES)
def test_random_edits_and_requests(profile: str, tmp_path: Path) -> None:
    with LoopRunner(profile, tmp_path) as runner:

        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(initial=initial_texts, ops=operations)
        def example(initial: str, ops: list) -> None:
            runner.run(runner.session.run_example(initial, ops))

        example()
        assert runner.session.stats.restarts == 0


# -- special cases -----------------------------------------------------------------------------
async def _all_requests(session: FuzzSession, doc, at: float = 0.5) -> None:
    for method in METHODS:
        await session.step(doc, Request(method, at, min(1.0, at + 0.01)))


@pytest.mark.parametrize("profile", PROFILES)
async def test_deep_nesting(profile: str, tmp_path: Path) -> None:
    depth = 10_000
    text = ('{"$version": 4, "model": ' + "[" * depth + "]" * depth + ', "a": '
            + '{"a": ' * depth + "1" + "}" * depth + "}\n")
    session = FuzzSession(profile, tmp_path, timeout=30)
    await session.start()
    try:
        doc = await session.open(text)
        await _all_requests(session, doc, 0.5)
        await session.step(doc, Change((Edit(0.5, 1, '"mod'),)))
        await session.step(doc, Change((Edit(0.5, 4, ""),)))
        await _all_requests(session, doc, 0.5)
        # Unbalanced: drop the last closing brackets.
        await session.step(doc, Change((Edit(0.999, 500, ""),)))
        diags = await session.diagnostics(doc)
        assert any(str(d.code) == "QLS001" for d in diags)
        assert session.alive()
        # Nodes hold full paths: before the depth cap in jsonc/tolerant.py this took ~3 GB.
        peak = session.peak_rss_kb()
        assert peak is None or peak < 600 * 1024, f"peak RSS {peak} KiB"
    finally:
        await session.stop()


def _fifty_megabytes() -> str:
    entry = {"id": "model-{i}", "name": "A fairly long display name for the model",
             "baseUrl": "https://api.example.com/v1", "envKey": "PROVIDER_API_KEY",
             "generationConfig": {"timeout": 120000, "samplingParams": {"temperature": 0.7}}}
    one = json.dumps(entry)
    models = ",\n      ".join(one.replace("{i}", str(i)) for i in range(2000))
    provider = "[\n      " + models + "\n    ]"
    head = '{\n  "$version": 4,\n  "security": {"auth": {"selectedType": "openai"}},\n' \
           '  "model": {"name": "model-7"},\n  "modelProviders": {\n    "openai": ' + provider
    parts = [head]
    size = len(head)
    i = 0
    while size < 50_000_000:
        part = f',\n    "p{i}": {provider}'
        parts.append(part)
        size += len(part)
        i += 1
    parts.append("\n  }\n}\n")
    return "".join(parts)


async def test_fifty_megabyte_document(tmp_path: Path) -> None:
    """Open 50 MB, one edit, one completion and one hover: answered in time, still alive.

    Neovim profile (pull): a push client would also get the full diagnostics of 50 MB on open.
    """
    text = _fifty_megabytes()
    assert len(text) >= 50_000_000
    session = FuzzSession("neovim", tmp_path, timeout=90)
    await session.start()
    try:
        doc = await session.open(text)
        del text
        await session.step(doc, Change((Edit(0.5, 0, " "),)))
        await session.step(doc, Request(types.TEXT_DOCUMENT_COMPLETION, 100 / len(doc.text)))
        await session.step(doc, Request(types.TEXT_DOCUMENT_HOVER, 60 / len(doc.text)))
        assert session.alive()
    finally:
        await session.stop()


@pytest.mark.parametrize("profile", PROFILES)
async def test_files_on_disk_that_are_not_utf8(profile: str, tmp_path: Path) -> None:
    """A user settings file and .env files that are not UTF-8: the open document is analysed."""
    session = FuzzSession(profile, tmp_path)
    bad = b'\xff\xfe{"model": {"name": "\xc3\x28\xa0"}, "env": {"K\xe9Y": "v\x80"}}\n'
    for path, data in (
        (session.home / ".qwen" / "settings.json", bad),
        (session.home / ".qwen" / ".env", b"OPENAI_API_KEY=sk-\xff\xfe\xfd\nBAD\xc0\xaf=1\n"),
        (session.home / ".env", b"\x80\x81\x82=\xff\n"),
        (session.workspace / ".qwen" / ".env", b"DASHSCOPE_API_KEY=\xed\xa0\x80\n"),
        (session.workspace / ".env", b"\xfe\xff\x00A\x00=\x001"),
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    await session.start()
    try:
        text = '{\n  "$version": 4,\n  "modle": {},\n  "ui": {"theme": "Default"}\n}\n'
        doc = await session.open(text, (session.workspace / ".qwen" / "settings.json").as_uri())
        diags = await session.diagnostics(doc)
        assert any(str(d.code) == "QLS101" for d in diags), diags  # the typo is still found
        await _all_requests(session, doc, 0.3)
        await session.step(doc, Change((Edit(0.3, 0, '"mod'),)))
        await _all_requests(session, doc, 0.3)
        assert session.alive()
    finally:
        await session.stop()


async def test_lone_surrogates_as_raw_bytes(tmp_path: Path) -> None:
    """Lone surrogates as raw (CESU-style) bytes, and a body that is not UTF-8 at all."""
    session = FuzzSession("neovim", tmp_path)
    await session.start()
    try:
        doc = await session.open('{"ui": {"theme": ""}}')
        server = session.client._server
        at = doc.text.index('""') + 1
        pos = doc.lines.position(at)
        body = (b'{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": '
                b'{"textDocument": {"uri": "' + doc.uri.encode() + b'", "version": 2}, '
                b'"contentChanges": [{"range": {"start": {"line": %d, "character": %d}, '
                b'"end": {"line": %d, "character": %d}}, "text": "\xed\xa0\x80x\xed\xbf\xbf"}]}}'
                % (pos.line, pos.character, pos.line, pos.character))
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        doc.text = doc.text[:at] + "\ud800x\udfff" + doc.text[at:]
        doc.version = 2
        junk = b'{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": \xff\xfe}'
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(junk) + junk)
        await server.stdin.drain()
        await session.document_info(doc)
        # The undecodable body is dropped; the server says so once (a pygls-level error, shown
        # without the message text) and goes on.
        logged = list(session.client.error_logs)
        session.client.error_logs.clear()
        assert logged and all("server error" in m or "internal error" in m for m in logged)
        await _all_requests(session, doc, 0.6)
        await session.step(doc, Change((Edit(0.6, 0, wire("\ud800\u2028")),)))
        await _all_requests(session, doc, 0.6)
        assert session.alive()
    finally:
        await session.stop()
