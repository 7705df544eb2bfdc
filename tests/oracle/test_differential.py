"""Differential tests: qwen-ls against the real CLI (the oracle) on a corpus of worlds.

Corpus: every rule's bad and good example, ``examples/``, the JSONC fixture, and 2,000
hypothesis-generated worlds (scopes, protocols, provider entries, ``selectedType``/``model.name``
combinations, ``.env`` files at every level, shell variables, legacy keys, ``$version``).
For each world:

(a) ``qwen-ls doctor``'s resolution (:func:`qwen_ls.settings.startup.resolve_startup`) equals
    the CLI's, field by field;
(b) every error or warning the CLI emits has a qwen-ls diagnostic of the matching rule;
(c) qwen-ls reports no error where the CLI starts and uses the model;
(d) a rule that says ``qwen -p`` stops (QLS211, QLS212) fires only where the CLI stops so.

One Node process evaluates the whole corpus. The agreement table is printed and written to
``docs/oracle.md`` (between markers); a disagreement not listed in ``KNOWN`` fails the suite.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from oracle import Case, materialize, oracle_view, qwen_ls_answer, run_oracle  # noqa: E402
from strategies import worlds  # noqa: E402

from qwen_ls import jsonc  # noqa: E402
from qwen_ls.analysis import analyze, build_context  # noqa: E402
from qwen_ls.analysis.rules import RULES  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "oracle.md"
GENERATED = 2000
BATCH = 10

#: The CLI's messages and the rule that must report each (check b). A start error is the
#: message ``qwen -p`` stops with; a warning is a start-up ``Warning:`` line.
MESSAGE_RULES: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"Legacy setting '"), ("QLS110",)),
    (re.compile(r"is ignored for provider model"), ("QLS310",)),
    (re.compile(r"is not a built-in protocol"), ("QLS301",)),
    (re.compile(r'maps to "qwen-oauth"'), ("QLS307",)),
    (re.compile(r"is not a known protocol"), ("QLS308",)),
    (re.compile(r"Persisted model.baseUrl"), ("QLS206",)),
    (re.compile(r"defines an empty 'modelProviders'"), ("QLS309",)),
    (re.compile(r"in workspace settings .* is ignored"), ("QLS120",)),
    (re.compile(r"Unsupported Qwen OAuth model"), ("QLS210",)),
    (re.compile(r"Invalid wireApi|wireApi is only supported"), ("QLS306",)),
    (re.compile(r"Cannot read properties of undefined"), ("QLS201",)),
    (re.compile(r"missing required field: id"), ("QLS303",)),
    (re.compile(r"No auth type is selected"), ("QLS204", "QLS211")),
    (re.compile(r"discontinued"), ("QLS202",)),
    (re.compile(r"Anthropic provider missing required baseUrl"), ("QLS311",)),
    (re.compile(r"The configured auth type is"), ("QLS208",)),
    (re.compile(r"-only model '.*' cannot be used"), ("QLS209",)),
    (re.compile(r"ANTHROPIC_BASE_URL environment variable not found"), ("QLS203", "QLS311")),
    (re.compile(r"Missing API key|environment variable not found \(|Missing credentials"),
     ("QLS402", "QLS212")),
]

#: Rules that say ``qwen -p`` stops, and the start error that must then be the CLI's (check d).
PREDICTS: dict[str, re.Pattern[str]] = {
    "QLS212": re.compile(r"Missing API key|Missing credentials|API_KEY environment variable not"),
    "QLS211": re.compile(r"No auth type is selected"),
}

#: Known differences: (check, signature prefix) → reason. Anything else fails the suite.
KNOWN: dict[tuple[str, str], str] = {
    ("b", "no QLS204/QLS211 for: No auth type is selected"):
        "no settings key configures a model (no modelProviders and no model.name, or no file at "
        "all): there is nothing in settings.json to mark; `qwen-ls doctor` reports it",
    ("b", "no QLS202 for: Qwen OAuth free tier was discontinued"):
        "Qwen OAuth is selected by the QWEN_OAUTH variable (shell or .env), not by a settings "
        "key; `qwen-ls doctor` reports it",
    ("b", "no QLS210 for: Warning: Unsupported Qwen OAuth model"):
        "Qwen OAuth is selected by the QWEN_OAUTH variable; QLS210 follows selectedType",
    ("b", "no QLS203/QLS311 for: ANTHROPIC_BASE_URL environment variable not found"):
        "anthropic is selected without a model.name or provider entry (often by env variables): "
        "no settings key to mark; `qwen-ls doctor` reports it",
    ("c", "error QLS201 although the CLI starts"):
        "the invalid selectedType sits in the user file and a workspace file overrides it: the "
        "CLI starts here, but crashes in every other folder, so the error stays",
    ("c", "error QLS306 although the CLI starts"):
        "the bad wireApi sits in a user-file provider array that the workspace replaces: the CLI "
        "starts here, but stops in every other folder, so the error stays",
}


def _reason(check: str, signature: str) -> str | None:
    return next((why for (c, prefix), why in KNOWN.items()
                 if c == check and signature.startswith(prefix)), None)


def _rule_cases() -> list[Case]:
    out = []
    for rule in RULES.values():
        for which, text in (("bad", rule.bad), ("good", rule.good)):
            scope = "workspace" if rule.scope == "workspace" else "user"
            env = dict(rule.env)
            if which == "good" and rule.good_env is not None:
                env = dict(rule.good_env)
            out.append(Case(f"rule:{rule.code}:{which}", {scope: text}, env, "rule example"))
    return out


def _example_cases() -> list[Case]:
    out = []
    home_env = ROOT / "examples" / "home" / ".qwen" / ".env"
    for settings_file in sorted((ROOT / "examples").glob("*/.qwen/settings.json")):
        if settings_file.parts[-3] == "home":
            continue
        files = {"workspace": settings_file.read_text(encoding="utf-8")}
        if home_env.is_file():
            files["qwen_home_env"] = home_env.read_text(encoding="utf-8")
        out.append(Case(f"example:{settings_file.parts[-3]}", files, {}, "examples/"))
    for fixture in sorted((ROOT / "tests" / "data").rglob("*.json")):
        out.append(Case(f"fixture:{fixture.name}", {"user": fixture.read_text(encoding="utf-8")},
                        {}, "test fixture"))
    return out


def _generated_cases() -> list[Case]:
    cases: list[Case] = []

    @settings(max_examples=GENERATED // BATCH, database=None, derandomize=True, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(st.lists(worlds(), min_size=BATCH, max_size=BATCH))
    def collect(batch: list[Case]) -> None:
        cases.extend(batch)

    collect()
    for i, case in enumerate(cases):
        case.id = f"gen:{i}"
    return cases


def _diagnostics(home: Path, ws: Path, environ: dict[str, str]) -> list[tuple[str, str, str]]:
    """``(file scope, code, severity)`` for every finding in the world's settings files."""
    out = []
    for scope, path in (("user", home / ".qwen" / "settings.json"),
                        ("workspace", ws / ".qwen" / "settings.json")):
        if not path.is_file():
            continue
        doc = jsonc.parse(path.read_text(encoding="utf-8"))
        for f in analyze(doc, build_context(path, ws, environ)):
            out.append((scope, f.code, f.severity))
    return out


def _signature(field: str, ours, theirs) -> str:
    def shape(value):
        if isinstance(value, str):
            return re.sub(r"/tmp/\S+", "<path>", value)[:90]
        return value
    return f"{field}: qwen-ls={shape(ours)!r} cli={shape(theirs)!r}"


@pytest.fixture(scope="module")
def outcome(tmp_path_factory) -> dict:
    corpus = _rule_cases() + _example_cases() + _generated_cases()
    root = tmp_path_factory.mktemp("worlds")
    rows = []
    for i, case in enumerate(corpus):
        home, ws, environ = materialize(case, root / f"w{i}")
        # qwen-ls first: it never writes, while the CLI migrates files on load.
        rows.append((case, home, ws, environ, qwen_ls_answer(home, ws, environ),
                     _diagnostics(home, ws, environ)))
    requests = [{"id": case.id, "home": str(home), "cwd": str(ws),
                 "env": {k: v for k, v in environ.items() if k != "HOME"}}
                for case, home, ws, environ, _, _ in rows]
    answers = {a["id"]: a for a in run_oracle(requests)}
    checks: dict[str, Counter] = defaultdict(Counter)
    differences: dict[tuple[str, str], list[str]] = defaultdict(list)
    for case, _home, _ws, _env, ours, diags in rows:
        cli = answers[case.id]
        view = oracle_view(cli)
        # (a) field by field
        for name, theirs in view.items():
            mine = ours[name]
            if name == "loadError":
                mine, theirs = bool(mine), bool(theirs)
            agree = mine == theirs
            checks["a: " + name][agree] += 1
            if not agree:
                differences[("a", _signature(name, mine, theirs))].append(case.id)
        # (b) every CLI message has its rule
        codes = {code for _scope, code, _sev in diags}
        messages = list(cli["warnings"]) + [m for m in (cli["fatal"], cli["startError"]) if m]
        for message in messages:
            wanted = next((rules for pattern, rules in MESSAGE_RULES if pattern.search(message)),
                          None)
            if wanted is None:
                continue
            agree = bool(codes & set(wanted))
            checks["b: CLI message has its rule"][agree] += 1
            if not agree:
                shown = re.sub(r"/tmp/\S+", "<path>", message)[:70]
                sig = f"no {'/'.join(wanted)} for: {shown}"
                differences[("b", sig)].append(case.id)
        # (d) rules that predict a start error report only where the CLI stops with it
        for code, pattern in PREDICTS.items():
            if code in codes and not (cli["loadError"] or cli["fatal"]):  # else it stops earlier
                agree = bool(cli["startError"] and pattern.search(cli["startError"]))
                checks[f"d: {code} only where the CLI stops so"][agree] += 1
                if not agree:
                    differences[("d", f"{code} but the CLI: {cli['startError']!r:.70}")].append(
                        case.id)
        # (c) no error where the CLI starts
        if cli["starts"]:
            errors = sorted({code for _scope, code, sev in diags if sev == "error"})
            agree = not errors
            checks["c: no error where the CLI starts"][agree] += 1
            if not agree:
                differences[("c", f"error {','.join(errors)} although the CLI starts")].append(
                    case.id)
    return {"corpus": corpus, "checks": checks, "differences": differences}


def agreement_table(outcome: dict) -> str:
    """The Markdown agreement table (cases, agreements, each difference with its reason)."""
    corpus = outcome["corpus"]
    origins = Counter(c.origin for c in corpus)
    lines = [f"Corpus: {len(corpus)} worlds ("
             + ", ".join(f"{n} {o}" for o, n in sorted(origins.items())) + ").", "",
             "| check | cases | agree | differ |", "|---|---:|---:|---:|"]
    for name, counts in sorted(outcome["checks"].items()):
        total = counts[True] + counts[False]
        lines.append(f"| {name} | {total} | {counts[True]} | {counts[False]} |")
    lines.append("")
    if outcome["differences"]:
        lines += ["| known difference | cases | reason |", "|---|---:|---|"]
        for (check, sig), ids in sorted(outcome["differences"].items()):
            reason = _reason(check, sig) or "**new: not explained**"
            lines.append(f"| ({check}) {sig.replace('|', '/')} | {len(ids)} | {reason} |")
    else:
        lines.append("No differences.")
    return "\n".join(lines) + "\n"


def test_corpus_is_large_enough(outcome):
    generated = [c for c in outcome["corpus"] if c.origin == "generated"]
    assert len(generated) >= 2000
    assert sum(c.origin == "rule example" for c in outcome["corpus"]) == 2 * len(RULES)


def test_agreement_table_is_current(outcome):
    table = agreement_table(outcome)
    print("\n" + table)
    text = DOC.read_text(encoding="utf-8")
    start, end = "<!-- agreement:start -->\n", "<!-- agreement:end -->"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    updated = head + start + table + end + tail
    if updated != text:
        DOC.write_text(updated, encoding="utf-8")
    assert start in text and end in text


def test_no_new_disagreement(outcome):
    new = {key: ids[:5] for key, ids in outcome["differences"].items()
           if _reason(*key) is None}
    assert not new, json.dumps({f"({k[0]}) {k[1]}": v for k, v in new.items()}, indent=1)
