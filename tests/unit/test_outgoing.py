"""The outgoing gate masks exactly what the JSON round trip it replaced masked.

``QwenProtocol._send_data`` used to turn each message into JSON and back before masking every
shown string; it now walks the message once (attrs messages through pygls' serializer, shared
containers once). Whatever the walk sends must equal what the round trip would have sent.
"""

from __future__ import annotations

import json
from typing import Any

from lsprotocol import types

from qwen_ls import secrets
from qwen_ls.server import outgoing
from qwen_ls.server.server import Payload, make_converter

SECRET = "sk-test-GATESECRET0123456789"


def _round_trip_reference(message: Any, serialize) -> Any:
    """The old gate: JSON round trip, then every shown string through redact()."""

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return secrets.redact(value) if value else value
        if isinstance(value, dict):
            return {k: (v if k in outgoing.KEEP_KEYS else walk(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(json.loads(json.dumps(message, default=serialize)))


def _serializer():
    converter = make_converter()

    def serialize(data: Any) -> Any:  # what pygls' _serialize_message does
        if hasattr(data, "__attrs_attrs__"):
            return converter.unstructure(data)
        if hasattr(data, "value"):
            return data.value
        return data.__dict__

    return serialize


def _diagnostics() -> list[dict]:
    shared = {"location": {"uri": f"file:///tmp/{SECRET}/.env",
                           "range": {"start": {"line": 0, "character": 0},
                                     "end": {"line": 0, "character": 0}}},
              "message": f"searched here: \x1b[31m {SECRET}"}
    href = {"href": "https://example.com/rules#qls402"}
    return [{"range": {"start": {"line": i, "character": 0}, "end": {"line": i, "character": 3}},
             "message": f"No env source provides KEY_{i % 2} ({SECRET})", "severity": 2,
             "code": "QLS402", "codeDescription": href, "source": "qwen-ls",
             "relatedInformation": [shared, shared],
             "data": {"envKey": SECRET, "fixes": [{"newText": SECRET}]}} for i in range(50)]


def test_pull_answer_is_masked_as_by_the_round_trip() -> None:
    serialize = _serializer()
    items = _diagnostics()
    response = types.DocumentDiagnosticResponse(
        id=7, result=Payload({"kind": "full", "resultId": "1", "items": items}))
    sent = outgoing.sanitize(response, serialize)
    assert json.loads(json.dumps(sent)) == _round_trip_reference(response, serialize)
    text = json.dumps(sent)
    shown = text.replace(json.dumps(SECRET), "")  # data, newText and URIs keep the raw value
    assert SECRET not in shown.replace(f"file:///tmp/{SECRET}/.env", "")
    assert "\x1b" not in json.loads(text)["result"]["items"][0]["relatedInformation"][0]["message"]
    assert sent["result"]["items"][3]["data"]["envKey"] == SECRET  # handed back, not masked
    assert items[0]["message"].endswith(f"({SECRET})")  # the cached diagnostics are not changed


def test_typed_messages_and_tuples_are_masked_as_by_the_round_trip() -> None:
    serialize = _serializer()
    note = types.ShowMessageNotification(
        params=types.ShowMessageParams(type=types.MessageType.Warning,
                                       message=f"key {SECRET} rejected"))
    hover = types.HoverResponse(id=3, result=types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=f"`{SECRET}`")))
    odd = {"jsonrpc": "2.0", "method": "qwen/x", "params": {"pair": (SECRET, 1)}}
    for message in (note, hover, odd):
        sent = outgoing.sanitize(message, serialize)
        assert json.loads(json.dumps(sent)) == _round_trip_reference(message, serialize)
        assert SECRET not in json.dumps(sent)


def test_a_secret_remembered_later_is_masked_in_the_next_message() -> None:
    value = "plainvalue-remembered-later-42"
    message = {"jsonrpc": "2.0", "method": "window/logMessage",
               "params": {"type": 3, "message": f"using {value}"}}
    assert value in json.dumps(outgoing.sanitize(message))
    secrets.remember(value)
    assert value not in json.dumps(outgoing.sanitize(message))
