"""The "Test connection" lenses and where a result is shown (pure functions, no server)."""

from __future__ import annotations

from qwen_ls.features.code_lens import TEST_CONNECTION, code_lenses, probe_diagnostic
from qwen_ls.features.options import ClientFlags
from qwen_ls.jsonc import parse

TEXT = """{
  // a comment
  "model": {"name": "m1"},
  "modelProviders": {
    "openai": [{"id": "m1", "baseUrl": "https://api.example.com/v1"}, "not an entry",
               {"id": "m2"}],
    "qwen-oauth": [{"id": "coder-model"}],
    "anthropic": [{"id": "c1"}]
  }
}"""


def test_a_lens_on_each_entry_and_model_name() -> None:
    lenses = code_lenses(parse(TEXT), "file:///s.json", ClientFlags())
    paths = [lens.command.arguments[0]["path"] for lens in lenses]
    assert paths == [["model", "name"], ["modelProviders", "openai", 0],
                     ["modelProviders", "openai", 2], ["modelProviders", "anthropic", 0]]
    assert all(lens.command.command == TEST_CONNECTION for lens in lenses)
    assert all(lens.command.arguments[0]["uri"] == "file:///s.json" for lens in lenses)
    assert lenses[1].range.start.line == 4


def test_broken_or_odd_documents_give_what_can_be_found() -> None:
    assert code_lenses(parse(""), "u", ClientFlags()) == []
    assert code_lenses(parse("[1, 2]"), "u", ClientFlags()) == []
    broken = code_lenses(parse('{"modelProviders": {"openai": [{"id": "x"'), "u", ClientFlags())
    assert [lens.command.arguments[0]["path"] for lens in broken] == [
        ["modelProviders", "openai", 0]]


def test_the_result_sits_on_the_entry_id_as_information() -> None:
    doc = parse(TEXT)
    diag = probe_diagnostic(doc, ["modelProviders", "openai", 2],
                            {"ok": False, "message": "HTTP 401"}, ClientFlags())
    line = TEXT.splitlines()[diag["range"]["start"]["line"]]
    start = diag["range"]["start"]["character"]
    assert line[start:].startswith('"m2"')
    assert diag["severity"] == 3 and diag["code"] == "test-connection"
    assert diag["message"] == "Test connection failed: HTTP 401"
    assert probe_diagnostic(doc, ["modelProviders", "openai", 9], {}, ClientFlags()) is None
