"""The env check's cached envKey positions give exactly the findings of looking each one up.

QLS402 findings in a file with thousands of provider entries are placed from a cache keyed by
each entry's text (``rules/env_keys._EntrySpans``) and their message and related files are worked
out once per variable. These tests compare every finding, field by field, with the same
analysis with the cache turned off, on the first analysis and after edits that move, add and
change entries.
"""

from __future__ import annotations

import json

import pytest

from qwen_ls import jsonc
from qwen_ls.analysis import analyze, build_context
from qwen_ls.analysis.rules import env_keys as env
from qwen_ls.analysis.run import Run
from qwen_ls.jsonc.edits import changed_span


def _entries(count: int) -> list:
    out: list = []
    for i in range(count):
        entry = {"id": f"m-{i:03d}", "name": f"Modèle № {i} — ünïcode",  # non-ASCII: byte map
                 "baseUrl": f"https://api{i % 3}.example.com/v1"}
        if i % 5 != 4:
            entry["envKey"] = ("SET_KEY" if i % 7 == 0 else f"UNSET_KEY_{i % 3}")
        out.append(entry)
    out.insert(3, "not an entry")
    return out


def _text(entries: list, active: str = "m-001") -> str:
    doc = {"$version": 4, "security": {"auth": {"selectedType": "openai"}},
           "model": {"name": active},
           "modelProviders": {"openai": entries, "anthropic": entries[:4]}}
    return "// cached envKey spans\n" + json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _shown(findings) -> list:
    return [(f.code, f.severity, f.message, f.span, f.related, f.tags, f.data) for f in findings]


@pytest.fixture
def analyse(sandbox):
    path = sandbox.path_for("workspace")
    path.parent.mkdir(parents=True, exist_ok=True)
    sandbox.write(".qwen/.env", "SET_KEY=sk-test-000000000000\n")

    def run(doc, cached: bool, monkeypatch):
        path.write_text(doc.text, encoding="utf-8")
        ctx = build_context(path, sandbox.workspace, sandbox.environ())
        with monkeypatch.context() as m:
            if not cached:
                m.setattr(env._EntrySpans, "_items", lambda self: None)
            return analyze(doc, ctx)

    return run


def _fresh(text: str):
    return jsonc.parse(text)


def test_cached_positions_equal_looked_up_ones_across_edits(analyse, monkeypatch):
    env._SPANS.clear()
    entries = _entries(60)
    text = _text(entries)
    doc = jsonc.parse(text)
    first = analyse(doc, True, monkeypatch)
    assert sum(f.code == "QLS402" for f in first) > 40
    assert _shown(first) == _shown(analyse(_fresh(text), False, monkeypatch))
    assert env._SPANS  # the positions went into the cache

    # A new entry at the front: every later entry moves (and changes index), texts unchanged.
    moved = [{"id": "new", "envKey": "UNSET_KEY_9"}, *entries]
    edited = _text(moved)
    doc2 = jsonc.parse(edited, previous=doc, edit=changed_span(text, edited))
    looked_up: list = []
    span = Run.span

    def counting(self, path, *, key=False):
        if path and path[-1] == "envKey":
            looked_up.append(path)
        return span(self, path, key=key)

    with monkeypatch.context() as m:
        m.setattr(Run, "span", counting)
        second = analyse(doc2, True, monkeypatch)
    assert looked_up == [("modelProviders", "openai", 0, "envKey")]  # only the new entry
    expected = analyse(_fresh(edited), False, monkeypatch)
    assert _shown(second) == _shown(expected)
    assert [f.span for f in second if f.code == "QLS402"] != \
        [f.span for f in first if f.code == "QLS402"]

    # Another active model: the message of one entry changes, its position comes from the cache.
    third_text = _text(moved, active="m-002")
    assert _shown(analyse(_fresh(third_text), True, monkeypatch)) == \
        _shown(analyse(_fresh(third_text), False, monkeypatch))


def test_same_entry_text_at_two_places_gets_two_positions(analyse, monkeypatch):
    env._SPANS.clear()
    same = {"id": "twin", "envKey": "UNSET_KEY_1"}
    text = _text([same, {"id": "between"}, same])
    found = [f for f in analyse(_fresh(text), True, monkeypatch) if f.code == "QLS402"]
    spans = [f.span for f in found]
    assert len(spans) == len(set(spans)) >= 2
    assert all(text[s.start:s.end] == '"UNSET_KEY_1"' for s in spans)


def test_broken_text_places_findings_from_the_tree(analyse, monkeypatch):
    env._SPANS.clear()
    text = _text(_entries(12)).replace('"id": "m-005",', '"id": "m-005",,', 1)
    doc = _fresh(text)
    assert doc.syntax_issues
    broken = analyse(doc, True, monkeypatch)
    assert _shown(broken) == _shown(analyse(_fresh(text), False, monkeypatch))
    assert not env._SPANS  # no cache on text the CLI does not read as it is


def test_related_files_placed_once_are_what_lsprotocol_sends(analyse, monkeypatch, sandbox):
    # Thousands of findings share the same searched .env files: diagnostic_payloads places each
    # once and shares the dict; the JSON must still be the converter's own, finding by finding.
    from lsprotocol.converters import get_converter

    from qwen_ls.features import diagnostics
    from qwen_ls.features.common import MemoryFiles
    from qwen_ls.features.options import ClientFlags

    doc = _fresh(_text(_entries(20)))
    findings = analyse(doc, True, monkeypatch)
    env_file = sandbox.home / ".qwen" / ".env"
    files = MemoryFiles({env_file: env_file.read_text()})
    flags = ClientFlags()
    payloads = diagnostics.diagnostic_payloads(doc, findings, flags, files)
    typed = diagnostics.to_diagnostics(doc, findings, flags, files)
    assert sum("relatedInformation" in p for p in payloads) > 10
    assert get_converter().unstructure(typed) == payloads
