"""pytest-lsp harness: the real server in a subprocess, a temporary HOME, two client profiles.

Every test that takes ``client`` runs twice: as VS Code 1.65 (UTF-16 positions, push diagnostics,
dynamic file watching) and as Neovim 0.11 (UTF-8 positions, pull diagnostics, no dynamic watching).
The server starts with ``sys.executable -m qwen_ls`` and an environment that holds only what it
needs: a fresh HOME (so ``~/.qwen`` is the test's), a workspace folder, and system settings paths
inside the temporary folder. ``pytest.mark.server_env(NAME="value")`` adds variables.

``ClientServerConfig`` is fixed at import time and starts the server before the fixture body, so a
per-test HOME needs this plain fixture around a client (``pygls-practice.md`` §8).
"""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import pytest
import pytest_asyncio
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features
from pytest_lsp.protocol import LanguageClientProtocol

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REPO = Path(__file__).resolve().parents[2]
CLIENTS = ["visual-studio-code", "neovim"]
TIMEOUT = 10.0


@dataclass
class Paths:
    """The folders of one test."""

    root: Path
    home: Path
    workspace: Path

    @property
    def user_settings(self) -> Path:
        return self.home / ".qwen" / "settings.json"

    @property
    def workspace_settings(self) -> Path:
        return self.workspace / ".qwen" / "settings.json"

    def write(self, path: Path, text: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path


class QwenTestClient(LanguageClient):
    """pytest-lsp's client plus helpers: versions, waiting for diagnostics, positions."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = ""
        self.paths: Paths | None = None
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.diagnostic_versions: dict[str, int | None] = {}
        self.published = asyncio.Event()
        self.applied_edits: list[types.ApplyWorkspaceEditParams] = []
        self.registrations: list[types.Registration] = []
        self.status_notifications: list[dict] = []
        self.asked: list[types.ShowMessageRequestParams] = []
        self.answer: str | None = "first"
        """How window/showMessageRequest is answered: "first" action, None (dismissed) or a title."""
        self.encoding = "utf-16"

    # -- documents ---------------------------------------------------------------------------
    @property
    def pull(self) -> bool:
        return self.capabilities is not None and self.capabilities.text_document is not None \
            and self.capabilities.text_document.diagnostic is not None

    def open(self, path: Path, text: str | None = None, language_id: str = "jsonc") -> str:
        uri = path.as_uri()
        text = path.read_text(encoding="utf-8") if text is None else text
        self.versions[uri] = 1
        self.texts[uri] = text
        self.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=1,
                                                 text=text)))
        return uri

    def change(self, uri: str, text: str) -> int:
        self.versions[uri] += 1
        self.texts[uri] = text
        self.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri,
                                                                version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        return self.versions[uri]

    def save(self, uri: str) -> None:
        self.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))

    def close(self, uri: str) -> None:
        self.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))

    def apply_workspace_edit(self, params: types.ApplyWorkspaceEditParams):
        """Apply an edit as the editor would (what the server's applyEdit requests do)."""
        return _apply_edit(self, params)

    # -- positions ---------------------------------------------------------------------------
    def position(self, uri: str, needle: str, delta: int = 0, nth: int = 0) -> types.Position:
        """The position ``delta`` code points after the start of the ``nth`` ``needle``."""
        text = self.texts[uri]
        offset = -1
        for _ in range(nth + 1):
            offset = text.index(needle, offset + 1)
        return self.position_at(uri, offset + delta)

    def position_at(self, uri: str, offset: int) -> types.Position:
        text = self.texts[uri]
        before = text[:offset]
        line = before.count("\n")
        start = before.rfind("\n") + 1
        part = before[start:]
        if self.encoding == "utf-8":
            char = len(part.encode("utf-8"))
        elif self.encoding == "utf-32":
            char = len(part)
        else:
            char = len(part.encode("utf-16-le")) // 2
        return types.Position(line=line, character=char)

    def offset_at(self, uri: str, pos: types.Position) -> int:
        lines = self.texts[uri].split("\n")
        start = sum(len(lines[i]) + 1 for i in range(pos.line))
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = 0
        for i, ch in enumerate(line):
            if units >= pos.character:
                return start + i
            units += (len(ch.encode("utf-8")) if self.encoding == "utf-8"
                      else len(ch.encode("utf-16-le")) // 2 if self.encoding == "utf-16" else 1)
        return start + len(line)

    # -- diagnostics -------------------------------------------------------------------------
    async def diagnostics_for(self, uri: str, timeout: float = TIMEOUT) -> list[types.Diagnostic]:
        """The diagnostics of the current version: pulled, or waited for (pushed)."""
        if self.pull:
            report = await asyncio.wait_for(self.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
            ), timeout)
            assert report.kind == "full"
            return list(report.items)
        await self.wait_published(uri, self.versions.get(uri), timeout)
        return list(self.diagnostics.get(uri, ()))

    async def wait_published(self, uri: str, version: int | None, timeout: float = TIMEOUT,
                             predicate=None) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if uri in self.diagnostic_versions and self.diagnostic_versions[uri] == version and (
                predicate is None or predicate(list(self.diagnostics.get(uri, ())))
            ):
                return
            self.published.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no diagnostics for {uri} version {version}")
            try:
                await asyncio.wait_for(self.published.wait(), remaining)
            except TimeoutError:
                pass

    async def wait_diagnostics(self, uri: str, predicate, timeout: float = TIMEOUT
                               ) -> list[types.Diagnostic]:
        """Wait until the document's diagnostics satisfy ``predicate`` (push or pull)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self.pull:
                diags = await self.diagnostics_for(uri)
                if predicate(diags):
                    return diags
                # Pull: wait for the server's refresh request (or poll again shortly).
                start = self.diagnostic_refresh_count
                while self.diagnostic_refresh_count == start and loop.time() < deadline:
                    await asyncio.sleep(0.02)
            else:
                diags = list(self.diagnostics.get(uri, ()))
                if predicate(diags):
                    return diags
                self.published.clear()
                try:
                    await asyncio.wait_for(self.published.wait(), max(deadline - loop.time(), 0))
                except TimeoutError:
                    pass
            if loop.time() >= deadline:
                raise TimeoutError(f"diagnostics of {uri} never matched")

    async def command(self, name: str, argument: dict | None = None, timeout: float = TIMEOUT) -> Any:
        return await asyncio.wait_for(self.workspace_execute_command_async(
            types.ExecuteCommandParams(command=name, arguments=[argument or {}])), timeout)


def _publish(client: QwenTestClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.diagnostic_versions[params.uri] = params.version
    client.published.set()


def _apply_edit(client: QwenTestClient, params: types.ApplyWorkspaceEditParams):
    """Apply edits to the client's copy of open documents and send didChange, like an editor."""
    client.applied_edits.append(params)
    edit = params.edit
    changes: list[tuple[str, list[types.TextEdit]]] = []
    for dc in edit.document_changes or []:
        changes.append((dc.text_document.uri, list(dc.edits)))
    for uri, edits in (edit.changes or {}).items():
        changes.append((uri, list(edits)))
    for uri, edits in changes:
        if uri not in client.texts:
            continue
        text = client.texts[uri]
        spans = sorted(((client.offset_at(uri, e.range.start), client.offset_at(uri, e.range.end),
                         e.new_text) for e in edits), reverse=True)
        for start, end, new in spans:
            text = text[:start] + new + text[end:]
        client.change(uri, text)
    return types.ApplyWorkspaceEditResult(applied=True)


def _register(client: QwenTestClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


def _unregister(client: QwenTestClient, params: types.UnregistrationParams) -> None:
    return None


def _ask(client: QwenTestClient, params: types.ShowMessageRequestParams):
    client.asked.append(params)
    if client.answer is None or not params.actions:
        return None
    if client.answer == "first":
        return params.actions[0]
    return next((a for a in params.actions if a.title == client.answer), None)


def plain(value: Any) -> Any:
    """pygls hands custom notification params over as namedtuples; turn them into dicts."""
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def _status(client: QwenTestClient, params: Any) -> None:
    client.status_notifications.append(plain(params))


def make_client() -> QwenTestClient:
    from pygls.protocol import default_converter

    client = QwenTestClient(protocol_cls=LanguageClientProtocol,
                            converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _publish
    features[types.WORKSPACE_APPLY_EDIT] = _apply_edit
    features[types.CLIENT_REGISTER_CAPABILITY] = _register
    features[types.CLIENT_UNREGISTER_CAPABILITY] = _unregister
    features[types.WINDOW_SHOW_MESSAGE_REQUEST] = _ask
    features["qwen/statusChanged"] = _status
    register_lsp_features(client, features)
    converter = client.protocol._converter

    # lsprotocol's client-side hook takes any object with a "command" key for a Command, so a
    # CodeAction that carries a command (our move-secret fix) would arrive mangled. Editors tell
    # them apart by the type of "command", as here.
    def code_action_or_command(obj: Any, _: type) -> Any:
        if isinstance(obj.get("command"), str):
            return converter.structure(obj, types.Command)
        return converter.structure(obj, types.CodeAction)

    converter.register_structure_hook(Union[types.Command, types.CodeAction],  # noqa: UP007
                                      code_action_or_command)
    return client


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    root = tmp_path
    home = root / "home"
    workspace = root / "ws"
    (home / ".qwen").mkdir(parents=True)
    (workspace / ".qwen").mkdir(parents=True)
    (root / "etc").mkdir()
    return Paths(root, home, workspace)


def server_environ(paths: Paths, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(paths.home),
        "PYTHONPATH": str(REPO),
        "LANG": "C.UTF-8",
        "QWEN_CODE_SYSTEM_SETTINGS_PATH": str(paths.root / "etc" / "settings.json"),
        "QWEN_CODE_SYSTEM_DEFAULTS_PATH": str(paths.root / "etc" / "system-defaults.json"),
    }
    env.update(extra or {})
    return env


@pytest.fixture(params=CLIENTS)
def client_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest_asyncio.fixture
async def client(request: pytest.FixtureRequest, client_name: str, paths: Paths):
    marker = request.node.get_closest_marker("server_env")
    extra = dict(marker.kwargs) if marker else {}
    options = {"diagnosticDelayMs": 0}
    opt_marker = request.node.get_closest_marker("init_options")
    if opt_marker:
        options.update(opt_marker.kwargs)
    lsp = make_client()
    lsp.name = client_name
    lsp.paths = paths
    # QWEN_LS_TEE_DIR: keep a copy of everything the server emits (tests/secrets).
    tee = os.environ.get("QWEN_LS_TEE_DIR")
    argv = ([str(Path(__file__).with_name("tee_server.py")), tee] if tee else ["-m", "qwen_ls"])
    await lsp.start_io(sys.executable, *argv, env=server_environ(paths, extra),
                       cwd=str(paths.workspace))
    result = await asyncio.wait_for(lsp.initialize_session(types.InitializeParams(
        capabilities=client_capabilities(client_name),
        workspace_folders=[types.WorkspaceFolder(uri=paths.workspace.as_uri(), name="ws")],
        root_uri=paths.workspace.as_uri(),
        initialization_options=options,
    )), TIMEOUT)
    enc = result.capabilities.position_encoding
    lsp.encoding = str(getattr(enc, "value", enc) or "utf-16")
    lsp.init_result = result
    yield lsp
    await asyncio.wait_for(lsp.shutdown_session(), TIMEOUT)
    await lsp.stop()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "server_env(**vars): extra environment for the server")
    config.addinivalue_line("markers", "init_options(**opts): extra initializationOptions")
