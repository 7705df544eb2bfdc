"""Point 9: every LSP request gets an answer (LSP 3.17), whatever its params, even after shutdown.

Requests are hand-framed (:class:`hostile.RawLsp`) so that they can carry what no client library
sends: ``params: null``, a string for a position, negative or huge positions, a ``Range`` whose
start is after its end, unknown methods. Each must get a result (clamped) or an error response,
and the server must keep answering afterwards.
"""

from __future__ import annotations

from hostile import RawLsp, Repo

POS = {"line": 0, "character": 3}


def cases(uri: str) -> list[tuple[str, object, str]]:
    doc = {"textDocument": {"uri": uri}}
    huge = {"line": 10**6, "character": 10**6}
    rng = {"start": {"line": 99, "character": 0}, "end": {"line": 0, "character": 0}}
    return [
        ("textDocument/hover", {**doc, "position": huge}, "result"),
        ("textDocument/completion", {**doc, "position": huge}, "result"),
        ("textDocument/definition", {**doc, "position": huge}, "result"),
        ("textDocument/codeAction", {**doc, "range": rng, "context": {"diagnostics": []}},
         "result"),
        ("textDocument/inlayHint", {**doc, "range": rng}, "result"),
        ("textDocument/hover", {**doc, "position": {"line": -1, "character": -5}}, "error"),
        ("textDocument/hover", None, "error"),
        ("textDocument/completion", None, "error"),
        ("textDocument/documentSymbol", None, "error"),
        ("textDocument/diagnostic", None, "error"),
        ("textDocument/inlayHint", {**doc, "range": None}, "error"),
        ("textDocument/hover", {**doc, "position": "x"}, "error"),
        ("textDocument/rename", {**doc, "position": POS, "newName": 5}, "any"),
        ("workspace/executeCommand", None, "error"),
        ("workspace/executeCommand", {"command": "qwen-ls.selectModel", "arguments": [None]},
         "result"),
        ("workspace/executeCommand", {"command": "qwen-ls.listModels", "arguments": "x"}, "any"),
        ("workspace/executeCommand", {"command": "qwen-ls.nope", "arguments": []}, "error"),
        ("textDocument/hover", {"textDocument": {"uri": "file:///nowhere.json"},
                                "position": POS}, "result"),
        ("textDocument/hover", {"textDocument": {"uri": "not a uri"}, "position": POS}, "any"),
        ("no/suchMethod", {}, "error"),
    ]


def test_every_request_is_answered(repo: Repo):
    settings = repo.write(repo.qwen / "settings.json", '{"model": {"name": "x"}}\n')
    server = RawLsp(repo)
    server.initialize()
    uri = server.open(settings)
    for method, params, expected in cases(uri):
        answer = server.call(method, params, timeout=10)
        assert "result" in answer or "error" in answer, (method, params)
        if expected != "any":
            assert expected in answer, (method, params, answer)
    # still alive and correct after all that
    hover = server.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": POS})
    assert hover.get("result") is not None
    server.close()


def test_requests_after_shutdown_get_an_error(repo: Repo):
    settings = repo.write(repo.qwen / "settings.json", '{"model": {"name": "x"}}\n')
    server = RawLsp(repo)
    server.initialize()
    uri = server.open(settings)
    assert server.call("shutdown")["result"] is None
    for method, params, _ in cases(uri)[:4]:
        answer = server.call(method, params, timeout=10)
        assert answer.get("error", {}).get("code") in (-32600, -32602), answer
    server.notify("exit")
    assert server.proc.wait(timeout=10) == 0


GARBAGE = [b"{not json", b"[]", b'{"jsonrpc": "2.0", "id": 7}', b'"just a string"',
           b"\xff\xfe\x00"]


def test_garbage_frames_do_not_stop_the_server(repo: Repo):
    server = RawLsp(repo)
    server.initialize()
    for body in GARBAGE:
        server.send(body)
        answer = server.call("workspace/executeCommand",
                             {"command": "qwen-ls.apiKeyPresets", "arguments": [{}]})
        assert "result" in answer, body
    server.close()
