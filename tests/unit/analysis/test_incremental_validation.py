"""Per-section cached validation gives exactly the issues of validating the whole value."""

from __future__ import annotations

import json

from qwen_ls import jsonc
from qwen_ls.analysis.rules import schema
from qwen_ls.analysis.run import Run
from qwen_ls.settings import catalog


def _big(bad_theme: object) -> str:
    entries = [{"id": f"m{i}", "envKey": "OPENAI_API_KEY", "baseUrl": "https://api.example.com/v1",
                "generationConfig": {"timeout": "slow" if i == 7 else 1000}} for i in range(300)]
    return json.dumps({"ui": {"theme": bad_theme, "hideTipz": True},
                       "tools": {"approvalMode": "always"},
                       "modelProviders": {"openai": entries}}, indent=2)


def _issues(items) -> list:
    return sorted((tuple(map(str, i.path)), i.code, i.message) for i in items)


class _Ctx:  # Run only needs the document for _validate
    pass


def test_sections_match_whole_validation_before_and_after_an_edit():
    text = _big("Qwen Dark")
    doc = jsonc.parse(text)
    assert doc.tree is not None and doc.tree_ready
    assert len(text) > schema._INCREMENTAL_MIN_CHARS
    first = schema._validate(Run(doc, _Ctx()), doc.value)
    assert _issues(first) == _issues(catalog.validate(doc.value))
    assert len(first) >= 3
    # an edit inside "ui": the modelProviders section comes from the cache, results still equal
    new_text = _big(42)
    start = text.index('"Qwen Dark"')
    edit = jsonc.TextEdit(start, start + len('"Qwen Dark"'), "42")
    assert new_text == text[:start] + "42" + text[start + len('"Qwen Dark"'):]
    doc2 = jsonc.parse(new_text, previous=doc, edit=edit)
    second = schema._validate(Run(doc2, _Ctx()), doc2.value)
    assert _issues(second) == _issues(catalog.validate(doc2.value))
    assert _issues(second) != _issues(first)
