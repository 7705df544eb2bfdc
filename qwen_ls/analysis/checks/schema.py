"""QLS1xx: unknown keys, types, enums, ranges, legacy and deprecated keys, scope rules."""

from __future__ import annotations

import difflib
from collections import OrderedDict
from collections.abc import Mapping

from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import fix
from qwen_ls.jsonc.types import Span
from qwen_ls.settings import catalog, known

# Paths whose schema issues are reported by a more specific rule elsewhere.
_DELEGATED_SUFFIXES = {"wireApi", "selectedType"}


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _delegated(path: tuple, code: str) -> bool:
    """Whether another rule reports this schema issue with a better message."""
    if not path:
        return False
    head = path[0]
    if head == "modelProviders":
        if len(path) == 2:  # provider value not an array -> QLS302
            return True
        if len(path) == 3 and code in ("required", "type"):  # entry shape -> QLS303
            return code == "required"
        if path[-1] == "id" and code == "required":
            return True
    if head == "env" and len(path) == 2:
        return True  # QLS403
    if (
        path[-1] in _DELEGATED_SUFFIXES
        and code in ("enum", "type")
        and path[0] in ("security", "modelProviders")
    ):
        return path[-1] != "selectedType" or path[:2] == ("security", "auth")
    if head in known.LEGACY_V1_KEYS and len(path) == 1:
        return True  # QLS110
    if head in known.LEGACY_METADATA_KEYS or head in known.UNLISTED_TOP_LEVEL_KEYS:
        return True
    return False


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


def check(run: Run) -> None:
    """Validate the document against the settings model and report legacy/deprecated keys."""
    value = run.value
    if not isinstance(value, dict):
        return
    version = value.get("$version")
    for issue in _validate(run, value):
        path = tuple(issue.path)
        if _delegated(path, issue.code):
            continue
        if issue.code == "unknown-key":
            key = path[-1] if path else ""
            guesses = difflib.get_close_matches(str(key), list(issue.expected), n=3, cutoff=0.6)
            where = _dotted(path[:-1]) or "the top level"
            message = f"Unknown setting '{key}' in {where}: the CLI ignores it."
            fixes = []
            if guesses:
                message += " Did you mean " + " or ".join(f"'{g}'" for g in guesses) + "?"
                fixes = [
                    fix(
                        f"Rename to '{g}'",
                        "move-value",
                        preferred=i == 0,
                        path=list(path),
                        to_path=[*path[:-1], g],
                    )
                    for i, g in enumerate(guesses)
                ]
            fixes.append(fix(f"Remove '{key}'", "remove-value", path=list(path)))
            run.report(
                "QLS101",
                message,
                run.span(path, key=True),
                fixes=fixes,
                tags=["unnecessary"],
                data={"expected": list(issue.expected)[:50]},
            )
            continue
        code = {"type": "QLS102", "enum": "QLS103", "range": "QLS104", "required": "QLS105"}.get(
            issue.code, "QLS102"
        )
        where = _dotted(path) or "The root"
        fixes = []
        if code == "QLS103" and issue.expected:
            guesses = (
                difflib.get_close_matches(str(run.get(path)), list(issue.expected), n=3, cutoff=0.4)
                or list(issue.expected)[:3]
            )
            fixes = [
                fix(f"Change to '{g}'", "set-value", preferred=i == 0, path=list(path), value=g)
                for i, g in enumerate(guesses)
            ]
        span = run.span(path)
        if code == "QLS105":  # a missing field: underline the object's opening brace
            span = Span(span.start, min(span.end, span.start + 1))
        run.report(
            code,
            f"{where}: {issue.message}",
            span,
            fixes=fixes,
            data={"expected": list(issue.expected)[:50]} if issue.expected else None,
        )

    _legacy_keys(run, value, version)
    _deprecated(run, value)
    _version(run, value, version)
    _workspace_restricted(run, value)


def _legacy_keys(run: Run, value: dict, version: object) -> None:
    modern = isinstance(version, (int, float)) and not isinstance(version, bool) and version >= 4
    path_text = run.ctx.display_path()
    for key, new_path in known.LEGACY_V1_KEYS.items():
        if key not in value:
            continue
        old = value[key]
        if key in known.LEGACY_CONTAINER_KEYS and isinstance(old, dict):
            continue  # "model": {...} is the V2 container, not the V1 flat key
        if isinstance(old, dict) and key not in ("mcpServers",):
            # V1 object-valued keys (fileFiltering, ...) migrate too; still legacy.
            pass
        if modern:
            message = known.LEGACY_SETTING_WARNING.format(
                old_key=key, path=path_text, new_path=new_path
            )
        else:
            message = (
                f"Legacy setting '{key}': the CLI migrates it to '{new_path}' on its next "
                "start and rewrites this file."
            )
        target = tuple(new_path.split("."))
        fixes = []
        if not run.has(target):
            fixes.append(
                fix(
                    f"Move to '{new_path}'",
                    "move-value",
                    safe=True,
                    preferred=True,
                    path=[key],
                    to_path=list(target),
                )
            )
        run.report("QLS110", message, run.span((key,), key=True), tags=["deprecated"], fixes=fixes)
    for key, meta_id in known.LEGACY_METADATA_KEYS.items():
        if key in value:
            run.report(
                "QLS111",
                f"'{key}' is legacy metadata: the CLI migrates it to "
                f'providerMetadata["{meta_id}"] and deletes it.',
                run.span((key,), key=True),
                tags=["deprecated"],
            )


def _deprecated(run: Run, value: dict) -> None:
    auth = run.get(("security", "auth"))
    if not isinstance(auth, Mapping):
        return
    if "apiKey" in auth:
        run.report(
            "QLS112",
            "security.auth.apiKey is deprecated and keeps an API key in plain text; it is only a "
            "last fallback for OpenAI-compatible models. Put the key in .qwen/.env and name it "
            "with envKey.",
            run.span(("security", "auth", "apiKey"), key=True),
            tags=["deprecated"],
            fixes=[
                fix(
                    "Move the key to .qwen/.env as OPENAI_API_KEY",
                    "move-secret-to-env",
                    path=["security", "auth", "apiKey"],
                    name="OPENAI_API_KEY",
                )
            ],
        )
    if "baseUrl" in auth:
        run.report(
            "QLS112",
            "security.auth.baseUrl is deprecated: provider models use their own baseUrl and do "
            "not reliably inherit this one. Set baseUrl on each modelProviders entry.",
            run.span(("security", "auth", "baseUrl"), key=True),
            tags=["deprecated"],
        )


def _version(run: Run, value: dict, version: object) -> None:
    # A missing $version is normal in hand-written files (the CLI quietly adds it); only an
    # explicit old or invalid one means the CLI will migrate and rewrite the file.
    if "$version" not in value:
        return
    if isinstance(version, (int, float)) and not isinstance(version, bool) and version >= 4:
        return
    run.report(
        "QLS113",
        f"$version is {version!r}: on its next start the CLI migrates this file to version 4 "
        "and rewrites it on disk.",
        run.span(("$version",)),
        fixes=[fix("Set $version to 4", "set-value", path=["$version"], value=4)],
    )


def _workspace_restricted(run: Run, value: dict) -> None:
    if run.ctx.effective_scope != "workspace":
        return
    for dotted in sorted(known.WORKSPACE_RESTRICTED_KEYS):
        path = tuple(dotted.split("."))
        if run.has(path):
            run.report(
                "QLS120",
                "Warning: "
                + known.WORKSPACE_RESTRICTED_WARNING.format(
                    key=dotted, path=run.ctx.display_path()
                ),
                run.span(path, key=True),
                tags=["unnecessary"],
                fixes=[fix(f"Remove '{dotted}'", "remove-value", path=list(path))],
            )
