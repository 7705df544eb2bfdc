"""Quick fixes: applying a rule's preferred fix to its bad example removes the finding.

`move-secret-to-env` writes a second file, so here only its settings-side edit is checked; the
server command that also writes `.qwen/.env` is tested end to end.
"""

from __future__ import annotations

import json

import pytest

from qwen_ls import jsonc
from qwen_ls.analysis.fixes import FixError, resolve_fix
from qwen_ls.analysis.rules import RULES
from qwen_ls.jsonc.edits import apply_edits

# Rules whose problem needs a human decision (or a sign-in), so they carry no mechanical fix.
NO_FIX = {"QLS001", "QLS003", "QLS004", "QLS102", "QLS104", "QLS105", "QLS111", "QLS112",
          "QLS202", "QLS209", "QLS212", "QLS307", "QLS312", "QLS402", "QLS407", "QLS408", "QLS505"}


def _preferred(findings, code):
    for f in findings:
        if f.code == code:
            fixes = f.fixes
            if fixes:
                return f, next((x for x in fixes if x.get("preferred")), fixes[0])
    return None, None


@pytest.mark.parametrize("code", sorted(RULES), ids=lambda c: f"{c}-{RULES[c].name}")
def test_preferred_fix_resolves_the_finding(sandbox, code):
    rule = RULES[code]
    doc, findings = sandbox.analyze(rule.bad, rule.scope, rule.env)
    finding, descriptor = _preferred(findings, code)
    if code in NO_FIX:
        assert descriptor is None, f"{code} gained a fix: take it out of NO_FIX"
        return
    assert descriptor is not None, f"{code} lost its quick fix"
    # descriptors survive a JSON round trip (they travel in Diagnostic.data)
    descriptor = json.loads(json.dumps(descriptor))
    edits = resolve_fix(doc, descriptor)
    assert edits, descriptor
    fixed = apply_edits(rule.bad, edits)
    assert len(jsonc.parse(fixed).syntax_issues) <= len(doc.syntax_issues)
    _, after = sandbox.analyze(fixed, rule.scope, rule.env)
    remaining = [f for f in after if f.code == code and f.span == finding.span]
    assert remaining == [], (fixed, [f.message for f in after])


def test_fix_keeps_comments_and_unrelated_text(sandbox):
    text = ('{\n  // my providers\n  "modelProviders": {"openai": [\n'
            '    {"id": "gpt-4o", "baseUrl": "openrouter.ai/api/v1", "envKey": "OPENROUTER_API_KEY"} // keep\n'
            '  ]}\n}\n')
    doc, findings = sandbox.analyze(text, env={"OPENROUTER_API_KEY": "sk-test-00000000000000"})
    finding, descriptor = _preferred(findings, "QLS501")
    fixed = apply_edits(text, resolve_fix(doc, descriptor))
    assert fixed == text.replace('"openrouter.ai/api/v1"', '"https://openrouter.ai/api/v1"')


def test_stale_replace_span_is_refused(sandbox):
    doc = jsonc.parse("{}")
    with pytest.raises(FixError):
        resolve_fix(doc, {"kind": "replace-span", "start": 5, "end": 9, "text": ""})


def test_unknown_kind_is_refused():
    with pytest.raises(FixError):
        resolve_fix(jsonc.parse("{}"), {"kind": "launch-missiles"})
