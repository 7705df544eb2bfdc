"""Fast lookup of settings keys and schema validation, for completion, hover and diagnostics.

Built once (and cached) from :func:`qwen_ls.settings.schema.build_schema` and the pydantic models:

- :func:`key_info` describes the key at a JSON path. Paths may hold array indices and free names
  (provider ids, MCP server names, env var names); those resolve through ``items`` and
  ``additionalProperties``.
- :func:`child_keys` lists the keys allowed directly under an object path.
- :func:`validate` checks a whole settings value with pydantic-core (strict types, unknown keys
  forbidden) and turns every error into a :class:`SchemaIssue` at the exact JSON path, in the
  CLI's own wording ("Value must be a boolean", ...). Union branches that do not apply are
  dropped, so one mistake gives one issue.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, Final

from qwen_ls.settings.quickcheck import certainly_valid
from qwen_ls.settings.schema_file import committed_schema

# pydantic and the models (qwen_ls.settings.models, qwen_ls.settings.schema) are imported only
# when a value needs them: building them costs more than a whole first analysis.

__all__ = [
    "MISSING",
    "KeyInfo",
    "SchemaIssue",
    "child_keys",
    "committed_schema",
    "format_path",
    "key_info",
    "validate",
]

JsonPath = tuple[str | int, ...]


class _Missing:
    """The type of :data:`MISSING`."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()
"""Marks a key without a default value (``KeyInfo.default``)."""


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """What the schema says about one settings key.

    ``types`` lists the JSON types the value may have (empty when anything goes, as in a
    free-form map); ``type_label`` is the same for people (``"boolean"``, ``"string[]"``,
    ``"boolean | string"``). ``deprecated`` holds the deprecation message, or None.
    ``snippet`` is an LSP snippet for inserting a value. ``required`` tells whether the parent
    object needs the key; ``open`` whether the value is an object that accepts keys of the
    user's choosing (provider ids, server names, env var names).
    """

    path: JsonPath
    name: str
    description: str
    type_label: str
    default: Any
    enum: list[str]
    minimum: float | None
    maximum: float | None
    merge: str | None
    requires_restart: bool
    deprecated: str | None
    snippet: str | None
    types: tuple[str, ...] = ()
    required: bool = False
    open: bool = False


@dataclass(frozen=True, slots=True)
class SchemaIssue:
    """One problem found by :func:`validate`.

    ``code`` is ``"unknown-key"`` (``path`` is the key's path and ``expected`` the valid sibling
    names), ``"type"`` (``expected``: JSON types), ``"enum"`` (``expected``: allowed values),
    ``"range"`` (``expected``: the violated bound as ``">= N"`` / ``"<= N"``) or ``"required"``
    (``path`` is the object missing the key, ``expected`` the missing key's name).
    """

    path: JsonPath
    code: str
    message: str
    expected: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Schema navigation
# --------------------------------------------------------------------------------------------


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    """Follow ``$ref`` (keeping the sibling keys, which describe the field and win)."""
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        target = committed_schema()["$defs"][name]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _branches(node: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the alternatives of a union node, dereferenced; ``[node]`` otherwise."""
    alternatives = node.get("oneOf") or node.get("anyOf")
    if not alternatives:
        return [node]
    return [_deref(alt) for alt in alternatives]


_ANY: Final[dict[str, Any]] = {}


def _child(node: dict[str, Any], segment: str | int) -> tuple[dict[str, Any], bool] | None:
    """Return the schema of ``segment`` under ``node`` and whether the parent requires it."""
    for branch in _branches(node):
        if isinstance(segment, int):
            if "items" in branch:
                return _deref(branch["items"]), False
            continue
        props = branch.get("properties", {})
        if segment in props:
            return _deref(props[segment]), segment in branch.get("required", ())
        extra = branch.get("additionalProperties")
        if isinstance(extra, dict):
            return _deref(extra), False
        if extra is True or (branch.get("type") == "object" and extra is None):
            return _ANY, False
    return None


@lru_cache(maxsize=8192)
def _node_at(path: JsonPath) -> tuple[dict[str, Any], bool] | None:
    # A loop, not recursion on path[:-1]: a document nested 10,000 levels deep gives paths that
    # long, and the recursive version raised RecursionError (found by tests/fuzz).
    found: tuple[dict[str, Any], bool] | None = (committed_schema(), False)
    for segment in path:
        found = _child(found[0], segment)
        if found is None:
            return None
    return found


def _json_types(node: dict[str, Any]) -> tuple[str, ...]:
    out: list[str] = []
    for branch in _branches(node):
        if "const" in branch and branch["const"] is False:
            names: list[str] = ["false"]
        elif "enum" in branch and "type" not in branch:
            names = ["string"]
        else:
            kind = branch.get("type")
            names = kind if isinstance(kind, list) else [kind] if kind else []
            if not names and "properties" in branch:
                names = ["object"]
        out += [name for name in names if name not in out]
    return tuple(out)


def _type_label(node: dict[str, Any]) -> str:
    labels: list[str] = []
    for branch in _branches(node):
        for kind in _json_types(branch):
            if kind == "array" and "items" in branch:
                item_types = _json_types(_deref(branch["items"]))
                kind = f"{item_types[0]}[]" if len(item_types) == 1 else "array"
            if kind not in labels:
                labels.append(kind)
    return " | ".join(labels) if labels else "any"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _snippet(node: dict[str, Any], types: tuple[str, ...]) -> str | None:
    snippets = node.get("defaultSnippets")
    if snippets:
        return json.dumps(snippets[0]["body"], indent=2)
    if _enum(node):
        return '"${1|' + ",".join(_enum(node)) + '|}"'
    if not types:
        return None
    kind = types[0]
    default = node.get("default", MISSING)
    if kind == "boolean":
        first, second = ("false", "true") if default is False else ("true", "false")
        return "${1|" + first + "," + second + "|}"
    if kind == "false":
        return "false"
    if kind == "string":
        text = default if isinstance(default, str) and default else ""
        return '"${1:' + text.replace("}", "\\}").replace("$", "\\$") + '}"' if text else '"$1"'
    if kind in {"integer", "number"}:
        return "${1:" + (_number(default) if isinstance(default, int | float) else "0") + "}"
    if kind == "array":
        return "[$1]"
    if kind == "object":
        return "{$1}"
    return None


def _enum(node: dict[str, Any]) -> list[str]:
    if "enum" in node:
        return [str(v) for v in node["enum"]]
    if isinstance(node.get("const"), str):
        return [node["const"]]  # a one-value Literal
    return []


def _info(path: JsonPath, node: dict[str, Any], required: bool) -> KeyInfo:
    types = _json_types(node)
    extra = [b.get("additionalProperties") for b in _branches(node)]
    return KeyInfo(
        path=path,
        name=str(path[-1]) if path else "",
        description=node.get("markdownDescription") or node.get("description") or "",
        type_label=_type_label(node),
        default=node.get("default", MISSING),
        enum=_enum(node),
        minimum=node.get("minimum"),
        maximum=node.get("maximum"),
        merge=node.get("x-merge"),
        requires_restart=bool(node.get("x-requires-restart")),
        deprecated=(node.get("deprecationMessage") or "Deprecated.") if node.get("deprecated")
        else None,
        snippet=_snippet(node, types),
        types=types,
        required=required,
        open=any(isinstance(e, dict) or e is True for e in extra) or node is _ANY,
    )


@lru_cache(maxsize=8192)
def _key_info(path: JsonPath) -> KeyInfo | None:
    found = _node_at(path)
    return None if found is None else _info(path, *found)


def key_info(path: JsonPath | list[str | int]) -> KeyInfo | None:
    """Describe the settings key at ``path``.

    Parameters
    ----------
    path
        JSON path, for example ``("modelProviders", "openai", 0, "envKey")``. Names of provider
        ids, MCP servers or env vars resolve through the map's value schema.

    Returns
    -------
    KeyInfo or None
        None when the schema has no such key (an unknown key, or a path into a scalar). The
        root ``()`` describes the whole file.
    """
    return _key_info(tuple(path))


@cache
def merge_strategies() -> dict[tuple[str, ...], str]:
    """Every settings path with a merge strategy of its own, from the model (``x-merge``).

    The model declares each strategy with ``setting(merge=...)`` (the CLI's ``mergeStrategy``);
    paths not listed use REPLACE, and plain objects deep-merge recursively. Read from the
    committed schema (generated from the model) on first use: the model itself costs pydantic.
    """
    found: dict[tuple[str, ...], str] = {}

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> None:
        for branch in _branches(node):
            for name, child in branch.get("properties", {}).items():
                child = _deref(child)
                if "x-merge" in child:
                    found[(*path, name)] = child["x-merge"]
                walk(child, (*path, name))

    walk(committed_schema(), ())
    return found


def child_keys(path: JsonPath | list[str | int]) -> list[KeyInfo]:
    """List the keys the schema defines directly under the object at ``path``.

    Parameters
    ----------
    path
        JSON path of an object; ``()`` for the top level.

    Returns
    -------
    list of KeyInfo
        In the schema's order. Empty for scalars, arrays and free-form maps (a map with known
        entries, such as ``modelProviders``, lists those).
    """
    path = tuple(path)
    found = _node_at(path)
    if found is None:
        return []
    out: list[KeyInfo] = []
    seen: set[str] = set()
    for branch in _branches(found[0]):
        for name in branch.get("properties", {}):
            if name not in seen:
                seen.add(name)
                info = _key_info((*path, name))
                if info is not None:
                    out.append(info)
    return out


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------

_TYPE_ERRORS: Final = frozenset(
    {
        "bool_type",
        "int_type",
        "float_type",
        "string_type",
        "dict_type",
        "list_type",
        "model_type",
        "model_attributes_type",
        "union_tag_invalid",
        "union_tag_not_found",
        "is_instance_of",
        "none_required",
    }
)
_RANGE_ERRORS: Final = {
    "greater_than_equal": ("ge", ">="),
    "less_than_equal": ("le", "<="),
    "greater_than": ("gt", ">"),
    "less_than": ("lt", "<"),
}
_ARTICLES: Final = {
    "boolean": "a boolean",
    "string": "a string",
    "integer": "an integer",
    "number": "a finite number",
    "object": "an object",
    "array": "an array",
    "null": "null",
    "false": "false",
}


def format_path(path: JsonPath) -> str:
    """Render a JSON path for messages: ``modelProviders.openai[0].envKey``.

    Parameters
    ----------
    path
        The JSON path.

    Returns
    -------
    str
        Dotted keys with ``[i]`` for array indices; ``"(root)"`` for the empty path.
    """
    out = ""
    for segment in path:
        if isinstance(segment, int):
            out += f"[{segment}]"
        else:
            out += ("." if out else "") + segment
    return out or "(root)"


@dataclass(slots=True)
class _Error:
    path: JsonPath
    tags: list[tuple[int, str]]
    kind: str
    error: dict[str, Any]


def _kind(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown-key"
    if kind == "missing":
        return "required"
    if kind == "literal_error" or kind == "enum":
        return "enum"
    if kind in _RANGE_ERRORS:
        return "range"
    return "type"


def _walk(value: Any, error: dict[str, Any]) -> _Error | None:
    """Split a pydantic ``loc`` into the value path and the union tags along it."""
    loc = error["loc"]
    kind = _kind(error)
    path: list[str | int] = []
    tags: list[tuple[int, str]] = []
    current = value
    for i, segment in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(current, dict) and isinstance(segment, str) and segment in current:
            path.append(segment)
            current = current[segment]
        elif isinstance(current, list) and isinstance(segment, int) and segment < len(current):
            path.append(segment)
            current = current[segment]
        elif last and kind == "required":
            path.append(segment)  # the missing key; removed again when reported
        else:
            tags.append((len(path), str(segment)))
    if kind == "type" and error["type"] == "int_type":
        bad = error.get("input")
        if isinstance(bad, float) and math.isfinite(bad) and bad.is_integer():
            return None  # 1.0 is an integer to the CLI (JavaScript numbers)
    return _Error(tuple(path), tags, kind, error)


def _select(errors: list[_Error]) -> list[_Error]:
    """Keep, for each union in the value, only the errors of the branch that fits best.

    A branch fits when the value's type matched it (no type error at the union's own path);
    among those, the one with the fewest errors wins. When no branch fits, one type error at
    the union's path remains.
    """
    out = [e for e in errors if not e.tags]
    groups: dict[tuple[JsonPath, int], list[_Error]] = defaultdict(list)
    for e in errors:
        if e.tags:
            depth = e.tags[0][0]
            groups[(e.path[:depth], depth)].append(e)
    for (union_path, depth), members in groups.items():
        branches: dict[str, list[_Error]] = defaultdict(list)
        for e in members:
            branches[e.tags[0][1]].append(e)

        def misfit(branch: list[_Error], depth: int = depth) -> tuple[bool, int]:
            return any(len(e.path) == depth and e.kind == "type" for e in branch), len(branch)

        best = min(branches.values(), key=misfit)
        if misfit(best)[0] and len(branches) > 1:
            out.append(_Error(union_path, [], "type", best[0].error))
            continue
        out += _select([_Error(e.path, e.tags[1:], e.kind, e.error) for e in best])
    return out


def _type_issue(path: JsonPath) -> SchemaIssue:
    info = key_info(path)
    types = list(info.types) if info and info.types else []
    wanted = [_ARTICLES.get(t, t) for t in types if t != "null"] or ["a valid value"]
    if "null" in types:
        wanted.append("null")
    text = wanted[0] if len(wanted) == 1 else ", ".join(wanted[:-1]) + " or " + wanted[-1]
    return SchemaIssue(path, "type", f"Value must be {text}", types)


def _issue(e: _Error) -> SchemaIssue:
    error = e.error
    if e.kind == "unknown-key":
        parent = e.path[:-1]
        siblings = [info.name for info in child_keys(parent)]
        where = f" in {format_path(parent)}" if parent else ""
        return SchemaIssue(
            e.path, "unknown-key", f"Unknown setting '{e.path[-1]}'{where}", siblings
        )
    if e.kind == "required":
        name = str(e.path[-1])
        return SchemaIssue(e.path[:-1], "required", f"Missing required field '{name}'", [name])
    if e.kind == "range":
        bound, op = _RANGE_ERRORS[error["type"]]
        limit = _number(error.get("ctx", {}).get(bound, 0))
        return SchemaIssue(e.path, "range", f"Value must be {op} {limit}", [f"{op} {limit}"])
    if e.kind == "enum":
        info = key_info(e.path)
        if info and info.enum:
            return SchemaIssue(
                e.path, "enum", "Value must be one of: " + ", ".join(info.enum), info.enum
            )
    return _type_issue(e.path)


def validate(value: Any) -> list[SchemaIssue]:
    """Check a parsed settings file against the schema.

    Parameters
    ----------
    value
        The document's value (``JsonDocument.value``); normally a dict.

    Returns
    -------
    list of SchemaIssue
        Every issue, in document order of the pydantic errors, each at the JSON path of the
        offending value (for unknown keys the key's path; for missing keys the object's path).
        ``$version``, ``providerMetadata``, ``codingPlan``/``tokenPlan`` and the contents of
        free-form maps are not reported as unknown.
    """
    if not isinstance(value, dict):
        return [SchemaIssue((), "type", "Value must be an object", ["object"])]
    if certainly_valid(value):
        return []
    from pydantic import ValidationError

    from qwen_ls.settings.models import Settings

    try:
        Settings.model_validate(value, strict=True)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=True, include_input=True)
    else:
        return []
    walked = [w for w in (_walk(value, err) for err in errors) if w is not None]
    issues: list[SchemaIssue] = []
    seen: set[tuple[JsonPath, str, str]] = set()
    for e in _select(walked):
        issue = _issue(e)
        key = (issue.path, issue.code, issue.message)
        if key not in seen:
            seen.add(key)
            issues.append(issue)
    return issues
