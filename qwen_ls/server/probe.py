"""``qwen-ls.testConnection`` and its code lens: the LSP side of :mod:`qwen_ls.probe`.

The command runs only when the client executes it (a lens click, a palette command), never on
open or on a timer. Before a workspace file's entry sends the user's key to a host that is not a
known provider, the user is asked with ``window/showMessageRequest``. The result is returned and
also shown as an information diagnostic on the tested entry, merged into that document's
diagnostics (pushed, or pulled after ``workspace/diagnostic/refresh``; see
:mod:`qwen_ls.server.probe_notes`) until the document changes.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from lsprotocol import types

from qwen_ls.protocol import TEST_CONNECTION
from qwen_ls.server.failsoft import fail_soft
from qwen_ls.server.probe_notes import Note
from qwen_ls.server.server import QwenLanguageServer

logger = logging.getLogger(__name__)

SEND_ACTION = "Send the key"


async def _confirm(ls: QwenLanguageServer, tgt: Any) -> bool:
    from qwen_ls.probe.explain import key_phrase

    return await ls.confirm(
        f"This provider entry comes from the workspace settings. Send {key_phrase(tgt)} to "
        f"{tgt.host}? It is not a known provider; a cloned repository could use this to collect "
        "your key.", SEND_ACTION, types.MessageType.Warning)


def _failed(exc: Exception) -> dict[str, Any]:
    from qwen_ls.probe.run import base_result

    out = base_result()
    out.update(status="error", message=f"Test connection failed unexpectedly "
                                       f"({type(exc).__name__}); see the qwen-ls log.")
    return out


@fail_soft(_failed, what=TEST_CONNECTION)
async def test_connection(ls: QwenLanguageServer, *args: Any) -> dict[str, Any]:
    """``qwen-ls.testConnection``: one entry's connection test, as a ``ProbeResult``.

    Argument ``{uri?, path?, modelId?, protocol?, baseUrl?, confirmed?, timeoutMs?}`` (see
    ``docs/CONTRACTS.md``).
    """
    from qwen_ls.probe import service
    from qwen_ls.probe.run import clamp_timeout
    from qwen_ls.server.status import auth_env

    arg = args[0] if args and isinstance(args[0], dict) else {}
    uri, path = arg.get("uri"), arg.get("path")
    file = ls.documents.path_for(uri) if isinstance(uri, str) else None
    if not isinstance(path, list) or file is None:
        file, path = None, None

    def text(name: str) -> str | None:
        value = arg.get(name)
        return value if isinstance(value, str) and value else None

    ls.documents.generation += 1  # read the files afresh: an explicit action, not a keystroke
    versions = {d.uri: d.version for d in ls.documents.managed()}
    result = await service.check(
        auth_env(ls), file=file, path=path, model_id=text("modelId"), protocol=text("protocol"),
        base_url=text("baseUrl"), confirmed=arg.get("confirmed") is True,
        confirm=lambda tgt: _confirm(ls, tgt), timeout=clamp_timeout(arg.get("timeoutMs")))
    shown_at = result.get("file")
    result["uri"] = ls.documents.uri_for(Path(shown_at)) if shown_at else None
    _show(ls, result, versions)
    return result


def _show(ls: QwenLanguageServer, result: dict[str, Any], versions: dict[str, int]) -> None:
    """Put ``result`` on its entry's open document and re-deliver that document's diagnostics.

    Not when the document changed while the request was out: the entry may have moved.
    """
    from qwen_ls.server import diagnostics

    path, file = result.get("path"), result.get("file")
    wanted = _resolved(file) if file else None
    target = next((d for d in ls.documents.managed()
                   if wanted and d.path is not None and _resolved(d.path) == wanted), None)
    if target is None or not path or result.get("failure") == "needs-confirmation" \
            or versions.get(target.uri) != target.version:
        return
    notes = ls.probe_notes
    serial = max((n.serial for n in notes.values()), default=0) + 1
    notes[target.uri] = Note(target.version, serial, tuple(path), result)
    if ls.flags.pull_diagnostics:
        diagnostics.refresh_others(ls, None, 0)
    else:
        diagnostics.publish(ls, target.uri)


def _resolved(path: Path | str) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(path)


@fail_soft([])
def code_lens(ls: QwenLanguageServer, params: types.CodeLensParams) -> list[types.CodeLens]:
    """``textDocument/codeLens``: "Test connection" on provider entries and ``model.name``."""
    snap = ls.documents.snapshot(params.text_document.uri)
    if snap is None:
        return []
    cached = snap.cache.get("code_lens")
    if cached is None:
        from qwen_ls.features.code_lens import code_lenses

        cached = snap.cache["code_lens"] = code_lenses(snap.doc, params.text_document.uri,
                                                       ls.flags)
    return cached


def register(ls: QwenLanguageServer) -> None:
    """Register the command and the code lens provider on ``ls``."""
    ls.command(TEST_CONNECTION)(test_connection)
    ls.feature(types.TEXT_DOCUMENT_CODE_LENS,
               types.CodeLensOptions(resolve_provider=False))(code_lens)
