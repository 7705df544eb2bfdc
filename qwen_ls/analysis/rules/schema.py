"""QLS101-QLS105: what the settings model rejects: unknown keys, types, enums, ranges, fields.

One family: each issue of one validation against :mod:`qwen_ls.settings.catalog` becomes a
finding of the rule for its kind. An issue that a more specific rule reports with a better message
(a provider value that is not an array, a legacy key, ...) is left to that rule: it says so with
its :attr:`~qwen_ls.analysis.rule.Rule.claims`, and the table hands every claim to :func:`check`.
"""

from __future__ import annotations

import difflib
from collections import OrderedDict

from qwen_ls.analysis.rule import Claim, Rule
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import move_fix, remove_fix, set_fix
from qwen_ls.jsonc.types import Span
from qwen_ls.settings import catalog, known

UNKNOWN_KEY = Rule(
    "QLS101",
    "unknown-key",
    "warning",
    "A key the CLI does not know. It is ignored without any visible message; usually a typo "
    "(a did-you-mean is offered).",
    '{\n  "ui": {"theem": "Qwen Dark"}\n}\n',
    '{\n  "ui": {"theme": "Qwen Dark"}\n}\n',
)
WRONG_TYPE = Rule(
    "QLS102",
    "wrong-type",
    "error",
    'A value of the wrong type (the CLI\'s own wording: "Value must be a boolean", ...). '
    "It is ignored or breaks the feature.",
    '{\n  "ui": {"hideTips": "yes"}\n}\n',
    '{\n  "ui": {"hideTips": true}\n}\n',
)
INVALID_ENUM = Rule(
    "QLS103",
    "invalid-enum",
    "error",
    "A value that is not one of the allowed values.",
    '{\n  "tools": {"approvalMode": "always"}\n}\n',
    '{\n  "tools": {"approvalMode": "auto-edit"}\n}\n',
)
OUT_OF_RANGE = Rule(
    "QLS104",
    "out-of-range",
    "error",
    "A number outside the allowed range.",
    '{\n  "serve": {"maxConcurrentSubSessionsTotal": 5000}\n}\n',
    '{\n  "serve": {"maxConcurrentSubSessionsTotal": 64}\n}\n',
)
MISSING_REQUIRED = Rule(
    "QLS105",
    "missing-required",
    "error",
    "A required field is missing from an object.",
    '{\n  "hooks": {"Stop": [{"hooks": [{"command": "echo done"}]}]}\n}\n',
    '{\n  "hooks": {"Stop": [{"hooks": [{"type": "command", "command": "echo done"}]}]}\n}\n',
)

RULES = (UNKNOWN_KEY, WRONG_TYPE, INVALID_ENUM, OUT_OF_RANGE, MISSING_REQUIRED)

#: The rule of each kind of schema issue (``unknown-key`` has its own message and fixes).
_BY_KIND = {"type": WRONG_TYPE, "enum": INVALID_ENUM, "range": OUT_OF_RANGE,
            "required": MISSING_REQUIRED}


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_SECTIONS: OrderedDict[tuple[str, str], list] = OrderedDict()
_SECTIONS_MAX = 128
_INCREMENTAL_MIN_CHARS = 20_000


def _validate(run: Run, value: dict) -> list:
    """Schema issues of the document, re-validating only the top-level sections whose text changed.

    In the editor a keystroke changes one section; the other sections of a large file (thousands
    of provider models) keep their text, so their issues come from a cache keyed by that text.
    Used only when positions are cheap (an incremental parse tree is at hand); a one-off check
    validates the whole value at once.
    """
    doc = run.doc
    if (len(doc.text) < _INCREMENTAL_MIN_CHARS or not doc.tree_ready or not doc.cli_readable
            or doc.syntax_issues or doc.root is None):
        return catalog.validate(value)
    issues: list = []
    for node in doc.root.children():
        key = node.key
        if key not in value:
            continue
        cache_key = (key, doc.text[node.span.start:node.span.end])
        found = _SECTIONS.get(cache_key)
        if found is None:
            found = catalog.validate({key: value[key]})
            _SECTIONS[cache_key] = found
            if len(_SECTIONS) > _SECTIONS_MAX:
                _SECTIONS.popitem(last=False)
        else:
            _SECTIONS.move_to_end(cache_key)
        issues.extend(found)
    return issues


def check(run: Run, claimed: Claim) -> None:
    """Validate the document against the settings model; ``claimed`` issues are left to others."""
    value = run.value
    if not isinstance(value, dict):
        return
    for issue in _validate(run, value):
        path = tuple(issue.path)
        if path and (path[0] in known.UNLISTED_TOP_LEVEL_KEYS or claimed(path, issue.code)):
            continue
        if issue.code == "unknown-key":
            _unknown_key(run, path, issue)
            continue
        rule = _BY_KIND.get(issue.code, WRONG_TYPE)
        where = _dotted(path) or "The root"
        fixes = []
        if rule is INVALID_ENUM and issue.expected:
            guesses = (
                difflib.get_close_matches(str(run.get(path)), list(issue.expected), n=3, cutoff=0.4)
                or list(issue.expected)[:3]
            )
            fixes = [set_fix(f"Change to '{g}'", path, g, preferred=i == 0)
                     for i, g in enumerate(guesses)]
        span = run.span(path)
        if rule is MISSING_REQUIRED:  # a missing field: underline the object's opening brace
            span = Span(span.start, min(span.end, span.start + 1))
        rule.report(
            run,
            f"{where}: {issue.message}",
            span,
            fixes=fixes,
            data={"expected": list(issue.expected)[:50]} if issue.expected else None,
        )


def _unknown_key(run: Run, path: tuple, issue) -> None:
    key = path[-1] if path else ""
    guesses = difflib.get_close_matches(str(key), list(issue.expected), n=3, cutoff=0.6)
    where = _dotted(path[:-1]) or "the top level"
    message = f"Unknown setting '{key}' in {where}: the CLI ignores it."
    fixes = []
    if guesses:
        message += " Did you mean " + " or ".join(f"'{g}'" for g in guesses) + "?"
        fixes = [move_fix(f"Rename to '{g}'", path, [*path[:-1], g], preferred=i == 0)
                 for i, g in enumerate(guesses)]
    fixes.append(remove_fix(f"Remove '{key}'", path))
    UNKNOWN_KEY.report(
        run,
        message,
        run.span(path, key=True),
        fixes=fixes,
        tags=["unnecessary"],
        data={"expected": list(issue.expected)[:50]},
    )
