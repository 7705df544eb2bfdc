"""``quickcheck.certainly_valid`` never vouches for a value pydantic rejects.

Values are generated from the committed schema (one valid example per key, every union branch),
then mutated at every path (wrong types, floats for integers, out-of-range numbers, unknown and
missing keys). For each value: when the quick check says "valid", pydantic must agree, and
``catalog.validate`` must give exactly what the pydantic path alone gives.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from qwen_ls.settings import catalog
from qwen_ls.settings.models import Settings
from qwen_ls.settings.quickcheck import certainly_valid

REPO = Path(__file__).resolve().parents[3]
SCHEMA = catalog.committed_schema()
MUTATIONS: list[Any] = [True, 0, 7, 1.5, 2.0, -(10**12), 10**12, "x", "", None, [], {}, ["x"],
                        {"zzUnknown": 1}, 1e308]


def _deref(node: dict) -> dict:
    while "$ref" in node:
        node = {**SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[-1]],
                **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def examples(node: Any, depth: int = 0) -> list[Any]:
    """A few values valid for ``node`` (one per union branch)."""
    if not isinstance(node, dict) or depth > 8:
        return []
    node = _deref(node)
    for union in ("anyOf", "oneOf"):
        if union in node:
            return [v for b in node[union] for v in examples(b, depth + 1)[:1]]
    if "const" in node:
        return [node["const"]]
    if "enum" in node:
        return [node["enum"][0], node["enum"][-1]]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        value = {}
        for name, sub in node.get("properties", {}).items():
            got = examples(sub, depth + 1)
            if got:
                value[name] = got[0]
        return [value]
    if kind == "array":
        item = examples(node.get("items", {}), depth + 1)
        return [item[:1]]
    low = node.get("minimum")
    return {
        "string": ["text"], "boolean": [False], "null": [None],
        "integer": [int(low) if low is not None else 3],
        "number": [float(low) + 0.5 if low is not None else 0.5],
    }.get(kind, [])


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths(v, (*prefix, i))
    return out


def mutated(value: dict) -> list[dict]:
    out = [value]
    for path in paths(value)[1:]:
        *parent_path, last = path
        for replacement in [*MUTATIONS, "__delete__", "__sibling__"]:
            doc = copy.deepcopy(value)
            parent = doc
            for part in parent_path:
                parent = parent[part]
            if replacement == "__delete__":
                del parent[last]
            elif replacement == "__sibling__":
                if not isinstance(parent, dict):
                    continue
                parent["zzUnknownSibling"] = True
            else:
                parent[last] = replacement
            out.append(doc)
    return out


def pydantic_accepts(value: dict) -> bool:
    try:
        Settings.model_validate(value, strict=True)
    except ValidationError:
        return False
    return True


SECTIONS = [(name, ex) for name, sub in SCHEMA["properties"].items() for ex in examples(sub)]


@pytest.mark.parametrize("name,example", SECTIONS, ids=[f"{n}-{i}" for i, (n, _) in
                                                        enumerate(SECTIONS)])
def test_quick_yes_means_pydantic_yes(name: str, example: Any, monkeypatch) -> None:
    vouched = 0
    for value in mutated({name: example}):
        if certainly_valid(value):
            vouched += 1
            assert pydantic_accepts(value), json.dumps(value)[:300]
    # The generated example itself is valid; the quick check must see that (else it is useless).
    assert pydantic_accepts({name: example})
    assert vouched >= 1 or not certainly_valid({name: example})


def test_validate_same_with_and_without_the_quick_check(monkeypatch) -> None:
    values = [v for name, ex in SECTIONS[::7] for v in mutated({name: ex})]
    docs = [REPO / "examples" / d / ".qwen" / "settings.json"
            for d in ("broken", "api-key", "coding-plan")]
    docs += sorted((REPO / "bench" / "anchor" / "docs").glob("*.json"))
    from qwen_ls.jsonc import parse

    values += [parse(p.read_text()).value for p in docs]
    quick = [catalog.validate(v) for v in values]
    monkeypatch.setattr(catalog, "certainly_valid", lambda value: False)
    assert [catalog.validate(v) for v in values] == quick


def test_quick_check_vouches_for_typical_files() -> None:
    # The point of it: a valid everyday file never needs pydantic.
    for d in ("api-key", "coding-plan"):
        from qwen_ls.jsonc import parse

        value = parse((REPO / "examples" / d / ".qwen" / "settings.json").read_text()).value
        assert pydantic_accepts(value)
        assert certainly_valid(value), d


def test_unknown_keyword_is_never_vouched_for() -> None:
    from qwen_ls.settings.quickcheck import _Compiler

    check = _Compiler({}).node({"type": "string", "pattern": "^a"})
    assert check("b") is False
