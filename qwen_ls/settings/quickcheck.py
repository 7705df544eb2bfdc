"""A conservative fast check: "this settings value certainly passes the pydantic validation".

:func:`qwen_ls.settings.catalog.validate` runs the pydantic models (strict types, unknown keys
forbidden). Importing and building those models costs more than the whole first analysis of a
typical file, and most files people open are schema-valid. So :func:`certainly_valid` first walks
the value against the committed ``settings.schema.json`` (pydantic's own validation-mode output,
see :mod:`qwen_ls.settings.schema`), compiled once into small Python predicates; only a value it
cannot vouch for goes to pydantic, which then gives the exact issues.

The check is one-sided by construction: it answers True only when every schema node on the way
uses keywords whose pydantic meaning is known here; anything else (a keyword it does not know, a
float where an integer is expected, an object at a union whose branch pydantic picks with a
callable) answers False, and the caller validates with pydantic. Answering False too often only
costs time; ``tests/unit/test_quickcheck.py`` checks on generated and mutated values that True
always agrees with pydantic.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import Any

__all__ = ["certainly_valid"]

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset({
    "description", "markdownDescription", "default", "x-requires-restart", "x-merge",
    "defaultSnippets", "deprecated", "deprecationMessage", "title", "examples", "$schema", "$id",
    "allowComments", "allowTrailingCommas", "$defs",
})
"""Keywords that do not change what validates."""

_KNOWN = _ANNOTATIONS | {
    "type", "$ref", "properties", "additionalProperties", "required", "items", "enum", "const",
    "minimum", "maximum", "anyOf", "oneOf",
}


def _never(value: Any) -> bool:
    return False


def _always(value: Any) -> bool:
    return True


def _is_type(kind: str) -> Check | None:
    """Strict pydantic types as JSON values: bool is no number, 1.0 is left to pydantic."""
    if kind == "string":
        return lambda v: isinstance(v, str)
    if kind == "boolean":
        return lambda v: v is True or v is False
    if kind == "integer":
        return lambda v: isinstance(v, int) and not isinstance(v, bool)
    if kind == "number":
        return lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (
            isinstance(v, float) and math.isfinite(v))
    if kind == "object":
        return lambda v: isinstance(v, dict)
    if kind == "array":
        return lambda v: isinstance(v, list)
    if kind == "null":
        return lambda v: v is None
    return None


class _Compiler:
    """Turns schema nodes into predicates; ``$ref`` targets are compiled once, lazily."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = root.get("$defs", {})
        self.refs: dict[str, Check] = {}

    def ref(self, target: str) -> Check:
        name = target.rsplit("/", 1)[-1]
        if not target.startswith("#/$defs/") or name not in self.defs:
            return _never
        if name not in self.refs:
            slot: list[Check] = []
            self.refs[name] = lambda v: slot[0](v)  # recursive schemas reach themselves
            slot.append(self.node(self.defs[name]))
            self.refs[name] = slot[0]
        return self.refs[name]

    def node(self, node: Any) -> Check:
        if node is True or node == {}:
            return _always
        if not isinstance(node, dict) or any(k not in _KNOWN for k in node):
            return _never
        checks: list[Check] = []
        if "$ref" in node:
            checks.append(self.ref(node["$ref"]))
        if "type" in node:
            kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
            preds = [_is_type(k) for k in kinds]
            if any(p is None for p in preds):
                return _never
            checks.append(preds[0] if len(preds) == 1 else
                          lambda v, ps=tuple(preds): any(p(v) for p in ps))
        if "enum" in node or "const" in node:
            allowed = list(node["enum"]) if "enum" in node else [node["const"]]
            if not all(isinstance(a, str | bool | int | float) or a is None for a in allowed):
                return _never
            pairs = frozenset((type(a), a) for a in allowed)
            checks.append(lambda v, pairs=pairs: (type(v), v) in pairs)
        if "minimum" in node or "maximum" in node:
            low, high = node.get("minimum"), node.get("maximum")
            number = _is_type("number")
            assert number is not None

            def bounded(v: Any, low: Any = low, high: Any = high) -> bool:
                if not number(v):
                    return True  # bounds apply to numbers only; the type check decides
                return (low is None or v >= low) and (high is None or v <= high)

            checks.append(bounded)
        if "properties" in node or "additionalProperties" in node or "required" in node:
            checks.append(self.object(node))
        if "items" in node:
            item = self.node(node["items"])
            checks.append(lambda v, item=item: not isinstance(v, list) or all(map(item, v)))
        if "anyOf" in node:
            branches = tuple(self.node(b) for b in node["anyOf"])
            checks.append(lambda v, bs=branches: any(b(v) for b in bs))
        if "oneOf" in node:
            checks.append(self.one_of(node["oneOf"]))
        if not checks:
            return _always
        if len(checks) == 1:
            return checks[0]
        return lambda v, cs=tuple(checks): all(c(v) for c in cs)

    def object(self, node: dict[str, Any]) -> Check:
        schemas: dict[str, Any] = node.get("properties", {})
        props: dict[str, Check] = {}  # compiled on first sight: most keys never appear
        required = tuple(node.get("required", ()))
        extra = node.get("additionalProperties", True)
        other = _always if extra is True else _never if extra is False else self.node(extra)

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True  # the type check decides
            for name in required:
                if name not in v:
                    return False
            for key, item in v.items():
                pred = props.get(key)
                if pred is None:
                    pred = props[key] = self.node(schemas[key]) if key in schemas else other
                if not pred(item):
                    return False
            return True

        return check

    def one_of(self, branches: list[Any]) -> Check:
        """Pydantic's callable discriminators: a dict goes to the object branch, else a scalar.

        With more than one object branch the callable's choice is not in the schema: a dict
        there is left to pydantic.
        """
        objects, scalars = [], []
        for b in branches:
            target = self.defs.get(str(b.get("$ref", "")).rsplit("/", 1)[-1]) if "$ref" in b else b
            is_object = isinstance(target, dict) and (
                target.get("type") == "object" or "properties" in target)
            (objects if is_object else scalars).append(self.node(b))
        obj = objects[0] if len(objects) == 1 else _never
        rest = tuple(scalars)
        return lambda v: obj(v) if isinstance(v, dict) else any(s(v) for s in rest)


@cache
def _root_check() -> Check:
    from qwen_ls.settings.schema_file import committed_schema

    root = committed_schema()
    return _Compiler(root).node(root)


def certainly_valid(value: Any) -> bool:
    """Tell whether ``value`` certainly passes strict validation against the settings models.

    Parameters
    ----------
    value
        A parsed settings value (JSON types only).

    Returns
    -------
    bool
        True: pydantic reports nothing for it. False: unknown, validate with pydantic.
    """
    try:
        return _root_check()(value)
    except RecursionError:
        return False
