"""The server's converter sends the same JSON as pygls' stock one, only faster.

``make_converter`` adds a flat hook for ``CompletionItem`` and a pass-through for ``Payload``;
every completion list qwen-ls gives at every offset of real documents must unstructure exactly as
with pygls' own converter.
"""

from __future__ import annotations

import json
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter

from qwen_ls.analysis import build_context
from qwen_ls.features import completion
from qwen_ls.features.options import ClientFlags
from qwen_ls.jsonc import parse
from qwen_ls.server.server import Payload, make_converter

REPO = Path(__file__).resolve().parents[2]
FLAGS = [ClientFlags(encoding="utf-16", snippets=True, markdown=True),
         ClientFlags(encoding="utf-8")]


def test_completion_lists_unstructure_as_pygls_does(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".qwen").mkdir(parents=True)
    (home / ".qwen" / ".env").write_text("K1=sk-test-abcdefghijkl\n")
    path = tmp_path / "ws" / ".qwen" / "settings.json"
    ctx = build_context(path, None, {"HOME": str(home)})
    ours, stock = make_converter(), default_converter()
    texts = [p.read_text() for p in sorted((REPO / "examples").glob("*/.qwen/settings.json"))]
    texts.append('{\n  "ui": {"theme": "x", },\n  "model": {"name": "q"},\n  "env": {"K1": ""}\n}')
    compared = 0
    for text in texts:
        doc = parse(text)
        for offset in range(0, len(text), 3):
            for flags in FLAGS:
                result = completion.complete(doc, ctx, offset, flags)
                if result is None:
                    continue
                assert ours.unstructure(result) == stock.unstructure(result)
                compared += len(result.items)
    assert compared > 1000


def test_payload_passes_through() -> None:
    ours = make_converter()
    body = {"kind": "full", "resultId": "1", "items": [{"message": "m"}]}
    response = types.DocumentDiagnosticResponse(id=1, result=Payload(body))
    assert ours.unstructure(response)["result"] is body
    note = types.PublishDiagnosticsNotification(params=Payload({"uri": "file:///x",
                                                                "diagnostics": []}))
    assert json.loads(json.dumps(ours.unstructure(note)))["params"]["uri"] == "file:///x"
    typed = types.PublishDiagnosticsParams(uri="file:///x", diagnostics=[])
    assert ours.unstructure(typed) == default_converter().unstructure(typed)
