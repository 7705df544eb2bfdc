"""Every rule: its bad example triggers it, its fixed example does not.

Removing or breaking a rule fails here; the same examples document the rule in docs/rules.md.
"""

from __future__ import annotations

import pytest

from qwen_ls.analysis.rules import RULES


@pytest.mark.parametrize("code", sorted(RULES), ids=lambda c: f"{c}-{RULES[c].name}")
def test_bad_example_triggers_rule(sandbox, code):
    rule = RULES[code]
    _, findings = sandbox.analyze(rule.bad, rule.scope, rule.env)
    hits = [f for f in findings if f.code == code]
    assert hits, f"{code} not reported; got {[(f.code, f.message) for f in findings]}"
    assert all(f.severity == rule.severity or code == "QLS402" for f in hits)
    for f in hits:
        assert 0 <= f.span.start <= f.span.end <= len(rule.bad)


@pytest.mark.parametrize("code", sorted(RULES), ids=lambda c: f"{c}-{RULES[c].name}")
def test_good_example_is_clean_of_rule(sandbox, code):
    rule = RULES[code]
    _, findings = sandbox.analyze(rule.good, rule.scope, rule.good_env or rule.env)
    assert [f.message for f in findings if f.code == code] == []


@pytest.mark.parametrize("code", sorted(RULES), ids=lambda c: f"{c}-{RULES[c].name}")
def test_fixed_example_has_no_errors(sandbox, code):
    rule = RULES[code]
    _, findings = sandbox.analyze(rule.good, rule.scope, rule.good_env or rule.env)
    assert [(f.code, f.message) for f in findings if f.severity == "error"] == []
