"""Talk LSP to any qwen-ls executable: start → initialize → didOpen → first diagnostics.

Used by the packaging tests (the installed wheel, the frozen server) and by
``bench/bench_frozen.py``. It starts ``argv`` as a subprocess over stdio, with the environment it
is given and nothing of the checkout on ``PYTHONPATH``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features


@dataclass
class ProbeResult:
    """What one session saw, with its timings in milliseconds."""

    server_info: types.ServerInfo | None
    capabilities: types.ServerCapabilities
    start_to_initialize_ms: float
    open_to_diagnostics_ms: float
    diagnostics: list[types.Diagnostic]
    completion_labels: list[str] = field(default_factory=list)
    hover: str = ""


async def probe(
    argv: list[str],
    env: dict[str, str],
    document: Path,
    completion_after: str | None = None,
    hover_on: str | None = None,
    timeout: float = 30.0,
) -> ProbeResult:
    """Run one session against ``argv`` on ``document``.

    Parameters
    ----------
    argv
        The server command line (stdio).
    env
        Its whole environment.
    document
        A settings file to open; its first published diagnostics are awaited.
    completion_after
        When given, request completion right after the first occurrence of this text.
    hover_on
        When given, request a hover in the middle of the first occurrence of this text.
    timeout
        Seconds to wait for each answer.
    """
    client = LanguageClient(converter_factory=default_converter)
    published: asyncio.Future[tuple[float, list[types.Diagnostic]]] = (
        asyncio.get_running_loop().create_future()
    )

    def _publish(ls, params: types.PublishDiagnosticsParams) -> None:
        if not published.done() and params.uri == document.as_uri():
            published.set_result((time.perf_counter(), list(params.diagnostics)))

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.CLIENT_REGISTER_CAPABILITY] = lambda ls, params: None
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _publish
    register_lsp_features(client, features)

    t0 = time.perf_counter()
    await client.start_io(argv[0], *argv[1:], env=env)
    try:
        init = await asyncio.wait_for(
            client.initialize_session(
                types.InitializeParams(
                    capabilities=client_capabilities("visual-studio-code"),
                    workspace_folders=[
                        types.WorkspaceFolder(uri=document.parents[1].as_uri(), name="ws")
                    ],
                )
            ),
            timeout,
        )
        t1 = time.perf_counter()
        text = document.read_text(encoding="utf-8")
        t2 = time.perf_counter()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=document.as_uri(), language_id="jsonc", version=1, text=text
                )
            )
        )
        done, diagnostics = await asyncio.wait_for(published, timeout)
        result = ProbeResult(
            server_info=init.server_info,
            capabilities=init.capabilities,
            start_to_initialize_ms=(t1 - t0) * 1000,
            open_to_diagnostics_ms=(done - t2) * 1000,
            diagnostics=diagnostics,
        )
        ident = types.TextDocumentIdentifier(uri=document.as_uri())
        if completion_after is not None:
            reply = await asyncio.wait_for(
                client.text_document_completion_async(
                    types.CompletionParams(
                        text_document=ident,
                        position=_position(text, text.index(completion_after) + len(completion_after)),
                    )
                ),
                timeout,
            )
            items = reply.items if isinstance(reply, types.CompletionList) else (reply or [])
            result.completion_labels = [i.label for i in items]
        if hover_on is not None:
            reply = await asyncio.wait_for(
                client.text_document_hover_async(
                    types.HoverParams(
                        text_document=ident,
                        position=_position(text, text.index(hover_on) + len(hover_on) // 2),
                    )
                ),
                timeout,
            )
            contents = reply.contents if reply else ""
            result.hover = getattr(contents, "value", str(contents))
        return result
    finally:
        try:
            await asyncio.wait_for(client.shutdown_session(), timeout)
        finally:
            await client.stop()


def _position(text: str, offset: int) -> types.Position:
    """LSP position (UTF-16 columns, the VS Code profile) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return types.Position(line=line, character=len(text[start:offset].encode("utf-16-le")) // 2)
