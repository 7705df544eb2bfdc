"""The rule table: every diagnostic qwen-ls reports, by its stable code, and the checks that run.

Each module of this package is one rule, or one small family of rules that are found together,
in the manner of ruff's ``rules/<rule>.rs``: the :class:`~qwen_ls.analysis.rule.Rule` objects
(code, name, severity, what the rule catches and why, a bad and a fixed example), the CLI messages
they mirror, their fixes and their checks. A check reports through its rule object, so no code
string lives outside the rule's module. This table is the only place that lists them all.

Codes are grouped by hundreds, as linters such as ruff do:

- ``QLS0xx`` syntax: what the Qwen Code CLI's reader (strip comments, then ``JSON.parse``) rejects;
- ``QLS1xx`` schema: unknown keys, types, enums, ranges, legacy and deprecated keys, scope rules;
- ``QLS2xx`` auth and model selection: ``security.auth.*``, ``model.*`` and the model selectors;
- ``QLS3xx`` ``modelProviders`` and ``providerProtocol``;
- ``QLS4xx`` keys and environment: ``envKey``, ``env`` and ``.env`` sources;
- ``QLS5xx`` endpoints: ``baseUrl`` values.

``docs/rules.md`` is generated from the table (:mod:`qwen_ls.analysis.rules.docs`), and the test
suite proves, for every rule, that its bad example triggers it and its fixed one does not.

To add a rule: declare it (and its check) in the module of its family or in a new module, and
list that module in :data:`_MODULES`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from qwen_ls.analysis.rule import Rule, doc_url
from qwen_ls.analysis.rules import (
    auth_type,
    base_url,
    coding_plan,
    entries,
    env_block,
    env_keys,
    generation_config,
    legacy,
    missing_key,
    model_name,
    providers,
    references,
    schema,
    selection,
    selectors,
    syntax,
    workspace,
)
from qwen_ls.analysis.run import Run

_MODULES = (syntax, schema, legacy, workspace, auth_type, model_name, selection, missing_key,
            selectors, providers, entries, generation_config, env_keys, env_block, references,
            base_url, coding_plan)

RULES: dict[str, Rule] = {
    rule.code: rule for rule in sorted((r for m in _MODULES for r in m.RULES), key=lambda r: r.code)
}
"""Every rule, by code, in code order."""

_CLAIMS = tuple(rule.claims for rule in RULES.values() if rule.claims is not None)


def claimed(path: tuple, kind: str) -> bool:
    """Whether a rule other than QLS101-QLS105 reports the schema issue at ``path``."""
    return any(claim(path, kind) for claim in _CLAIMS)


CHECKS: tuple[Callable[[Run], None], ...] = (
    syntax.check,
    partial(schema.check, claimed=claimed),
    *legacy.CHECKS,
    workspace.check,
    auth_type.check,
    *model_name.CHECKS,
    *selection.CHECKS,
    missing_key.check,
    selectors.check,
    *providers.CHECKS,
    *entries.CHECKS,
    generation_config.check,
    env_keys.check,
    env_block.check,
    references.check,
    *base_url.CHECKS,
    *coding_plan.CHECKS,
)
"""Every check, in the order :func:`qwen_ls.analysis.analyze` runs them."""

assert len(RULES) == sum(len(m.RULES) for m in _MODULES), "two rules share a code"
assert len({rule.name for rule in RULES.values()}) == len(RULES), "two rules share a name"

__all__ = ["CHECKS", "RULES", "Rule", "claimed", "doc_url"]
