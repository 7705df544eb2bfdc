"""The output formats of ``qwen-ls check``, named as ruff names them.

``full`` (location, message, the source line and a caret), ``concise`` (one line each),
``json`` (an array), ``json-lines`` (one object per line), ``github`` (workflow commands that
annotate a pull request), ``gitlab`` (a Code Quality report) and ``sarif`` (SARIF 2.1.0, for
code scanning).

Every format is built from :class:`Item` values, and every text taken from a finding or a file
passes through :func:`qwen_ls.secrets.redact` in :func:`items` (and the echoed source line in
``full``), so no format can print a key unmasked.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qwen_ls import __version__
from qwen_ls.analysis.fixes import chosen_fix
from qwen_ls.secrets import redact

SEVERITY_ORDER = ("error", "warning", "information", "hint")
_COLORS = {"error": "\033[31m", "warning": "\033[33m", "information": "\033[36m", "hint": "\033[2m"}


@dataclass
class Item:
    """One finding as every format prints it (positions 1-based, in code points)."""

    path: Path
    shown: str
    """The path as printed: relative to the current directory when below it."""
    code: str
    name: str
    severity: str
    message: str
    """Already masked."""
    line: int
    column: int
    end_line: int
    end_column: int
    source: str
    """The masked source line of the start position."""
    fix: str | None
    """``"safe"``, ``"unsafe"`` or ``None`` (no automatic fix)."""
    fix_title: str | None
    related: list[dict[str, Any]] = field(default_factory=list)
    """``{path, shown, line, message}`` of other places involved (line 1-based or ``None``)."""
    caret: tuple[int, int] | None = None
    """Start and end column of the caret in the masked :attr:`source` (masking moves it)."""
    hidden: bool = False
    """The file was read through a link to another place: its content is never shown."""


def read_through_link(path: Path) -> bool:
    """Tell whether ``path`` was read through a symlink into another folder tree.

    Such a file may be anything the user can read (``/proc/self/environ``, a token file): its
    content is never echoed. The user's own settings file linked into a dotfiles repository is
    the exception (their file, their screen).
    """
    from qwen_ls.settings import scopes

    if os.path.realpath(path) == os.path.abspath(path):
        return False
    user = scopes.settings_paths(None, os.environ).get("user")
    return not (user is not None and os.path.abspath(user) == os.path.abspath(path))


def _hide_quoted(message: str) -> str:
    """A message without the quoted fragments of the file it may carry."""
    return re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", "'…'", message)


def shown_path(path: Path) -> str:
    """``path`` relative to the current directory when it is below it, else absolute."""
    try:
        rel = Path(os.path.relpath(path))
    except ValueError:
        return str(path)
    return str(path) if rel.as_posix().startswith("..") else rel.as_posix()


def items(results: Sequence[tuple[Path, Any, list]]) -> list[Item]:
    """Turn ``(path, doc, findings)`` triples into masked :class:`Item` values."""
    from qwen_ls.analysis.rules import RULES

    out: list[Item] = []
    for path, doc, findings in results:
        hidden = read_through_link(path)
        shown_message = (lambda m: redact(_hide_quoted(m), multiline=False)) if hidden \
            else (lambda m: redact(m, multiline=False))
        for f in findings:
            (l1, c1) = doc.lines.position(f.span.start, "utf-32")
            (l2, c2) = doc.lines.position(f.span.end, "utf-32")
            raw = "" if hidden else doc.lines.line_text(l1).rstrip("\r\n")
            if len(raw) > 200:
                raw = raw[:200] + "…"
            # masking and escaping change lengths: the caret follows the masked prefix
            source = redact(raw, multiline=False)
            end = c2 if l2 == l1 else len(raw)
            caret = (len(redact(raw[:c1], multiline=False)),
                     len(redact(raw[:end], multiline=False))) if source != raw else None
            safe = chosen_fix(f) is not None
            unsafe = chosen_fix(f, unsafe=True)
            rule = RULES.get(f.code)
            related = []
            for r in f.related:
                line = None
                if r.line is not None:
                    line = r.line + 1
                related.append(
                    {
                        "path": str(r.path),
                        "shown": shown_path(Path(r.path)),
                        "line": line,
                        "message": shown_message(r.message),
                    }
                )
            out.append(
                Item(
                    path=path,
                    shown=shown_path(path),
                    code=f.code,
                    name=rule.name if rule else f.code,
                    severity=f.severity,
                    message=shown_message(f.message),
                    line=l1 + 1,
                    column=c1 + 1,
                    end_line=l2 + 1,
                    end_column=c2 + 1,
                    source=source,
                    fix="safe" if safe else ("unsafe" if unsafe is not None else None),
                    fix_title=redact(str(unsafe.get("title", ""))) if unsafe else None,
                    related=related,
                    caret=caret,
                    hidden=hidden,
                )
            )
    return out


# -- text formats -----------------------------------------------------------------------------


def _marker(item: Item) -> str:
    return " [*]" if item.fix == "safe" else ""


def full(item: Item, color: bool, verbose: bool = False) -> str:
    """Location, code, severity, message; the source line with a caret; related places."""
    where = f"{item.shown}:{item.line}:{item.column}:"
    sev = item.severity
    head = f"{where} {item.code}{_marker(item)} {sev} {item.message}"
    if color:
        head = (
            f"\033[1m{where}\033[0m {_COLORS[sev]}{item.code}{_marker(item)} {sev}\033[0m "
            f"{item.message}"
        )
    source = item.source
    col = item.column - 1
    width = (item.end_column - item.column) if item.end_line == item.line else len(source) - col
    if item.caret is not None:
        col, width = item.caret[0], item.caret[1] - item.caret[0]
    caret = " " * col + "^" * min(max(1, width), max(1, len(source) - col))
    gutter = f"{item.line} | "
    lines = [head, f"  {gutter}{source}", f"  {' ' * len(gutter)}{caret}"]
    if item.hidden:
        lines = [head, f"  (source not shown: {item.shown} is a symbolic link to a file "
                 "elsewhere)"]
    if verbose:
        for r in item.related:
            at = f"{r['shown']}:{r['line']}" if r["line"] else r["shown"]
            lines.append(f"  = {at}: {r['message']}")
    return "\n".join(lines)


def concise(item: Item, color: bool = False) -> str:
    """``path:line:col: CODE severity message`` on one line."""
    return f"{item.shown}:{item.line}:{item.column}: {item.code}{_marker(item)} {item.severity} " \
        f"{item.message}"


# -- machine formats --------------------------------------------------------------------------


def as_json(item: Item) -> dict[str, Any]:
    """One finding as a JSON object: qwen-ls's own keys plus ruff's (``location``, ``fix``...)."""
    from qwen_ls.analysis.rules import doc_url

    return {
        "path": str(item.path),
        "line": item.line,
        "column": item.column,
        "endLine": item.end_line,
        "endColumn": item.end_column,
        "code": item.code,
        "name": item.name,
        "severity": item.severity,
        "message": item.message,
        "fixable": item.fix is not None,
        "filename": str(item.path),
        "location": {"row": item.line, "column": item.column},
        "end_location": {"row": item.end_line, "column": item.end_column},
        "fix": {"applicability": item.fix, "message": item.fix_title} if item.fix else None,
        "url": doc_url(item.code),
        "related": item.related,
    }


def json_array(found: list[Item]) -> str:
    """``--output-format json``."""
    return json.dumps([as_json(i) for i in found], indent=2, ensure_ascii=False) + "\n"


def json_lines(found: list[Item]) -> str:
    """``--output-format json-lines``."""
    return "".join(json.dumps(as_json(i), ensure_ascii=False) + "\n" for i in found)


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


_GH_LEVEL = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


def github(found: list[Item]) -> str:
    """GitHub Actions workflow commands: ``::error file=..,line=..::message`` per finding."""
    out = []
    for i in found:
        props = ",".join(
            [
                f"title={_gh_prop(f'qwen-ls ({i.code})')}",
                f"file={_gh_prop(i.shown)}",
                f"line={i.line}",
                f"col={i.column}",
                f"endLine={i.end_line}",
                f"endColumn={i.end_column}",
            ]
        )
        text = f"{i.shown}:{i.line}:{i.column}: {i.code} {i.message}"
        out.append(f"::{_GH_LEVEL[i.severity]} {props}::{_gh_data(text)}\n")
    return "".join(out)


_GITLAB_SEVERITY = {"error": "major", "warning": "minor", "information": "info", "hint": "info"}


def _fingerprint(item: Item, seen: Counter) -> str:
    base = f"{item.shown}\0{item.code}\0{item.message}"
    seen[base] += 1
    return hashlib.sha256(f"{base}\0{seen[base]}".encode()).hexdigest()


def gitlab(found: list[Item]) -> str:
    """A GitLab Code Quality report (``artifacts:reports:codequality``).

    Paths are relative to ``CI_PROJECT_DIR`` when it is set (GitLab's checkout), else to the
    current directory. The fingerprint stays the same while the file, code and message do.
    """
    project = os.environ.get("CI_PROJECT_DIR")
    seen: Counter = Counter()
    report = []
    for i in found:
        path = i.shown
        if project:
            try:
                path = i.path.absolute().relative_to(Path(project).absolute()).as_posix()
            except ValueError:
                path = i.shown
        report.append(
            {
                "description": f"{i.code}: {i.message}",
                "check_name": i.code,
                "fingerprint": _fingerprint(i, seen),
                "severity": _GITLAB_SEVERITY[i.severity],
                "location": {"path": path, "lines": {"begin": i.line, "end": i.end_line}},
            }
        )
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


_SARIF_LEVEL = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def sarif(found: list[Item]) -> str:
    """A SARIF 2.1.0 log with one run: every rule of the catalogue, one result per finding.

    Locations are relative to ``%SRCROOT%`` (the current directory) when below it, columns count
    Unicode code points (``columnKind``), and other involved places are ``relatedLocations``.
    """
    from qwen_ls.analysis.rules import RULES, doc_url

    codes = list(RULES)
    rules = [
        {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": redact(r.summary.split(". ")[0].rstrip("."))},
            "fullDescription": {"text": redact(r.summary)},
            "helpUri": doc_url(r.code),
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
        }
        for r in RULES.values()
    ]

    def artifact(path: Path, shown: str) -> dict[str, Any]:
        if not Path(shown).is_absolute():
            return {"uri": shown, "uriBaseId": "%SRCROOT%"}
        return {"uri": path.absolute().as_uri()}

    results = []
    for i in found:
        result: dict[str, Any] = {
            "ruleId": i.code,
            "level": _SARIF_LEVEL[i.severity],
            "message": {"text": i.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": artifact(i.path, i.shown),
                        "region": {
                            "startLine": i.line,
                            "startColumn": i.column,
                            "endLine": i.end_line,
                            "endColumn": i.end_column,
                        },
                    }
                }
            ],
        }
        if i.code in RULES:
            result["ruleIndex"] = codes.index(i.code)
        related = []
        for n, r in enumerate(i.related):
            location: dict[str, Any] = {"artifactLocation": artifact(Path(r["path"]), r["shown"])}
            if r["line"]:
                location["region"] = {"startLine": r["line"]}
            related.append(
                {"id": n, "physicalLocation": location, "message": {"text": r["message"]}}
            )
        if related:
            result["relatedLocations"] = related
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "qwen-ls",
                        "version": __version__,
                        "informationUri": "https://github.com/qwen-ls/qwen-ls",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().absolute().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def statistics(found: list[Item], fmt: str) -> str:
    """``--statistics``: how often each code was found, most frequent first (``[*]`` fixable)."""
    counts = Counter(i.code for i in found)
    fixable = {i.code for i in found if i.fix == "safe"}
    names = {i.code: i.name for i in found}
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if fmt in ("json", "json-lines"):
        data = [
            {"code": c, "name": names[c], "count": n, "fixable": c in fixable} for c, n in rows
        ]
        return json.dumps(data, indent=2) + "\n"
    width = max((len(str(n)) for _, n in rows), default=1)
    return "".join(
        f"{n:>{width}}\t{c}\t{'[*]' if c in fixable else '   '} {names[c]}\n" for c, n in rows
    )


MACHINE: dict[str, Callable[[list[Item]], str]] = {
    "json": json_array,
    "json-lines": json_lines,
    "github": github,
    "gitlab": gitlab,
    "sarif": sarif,
}
"""Formats that print the whole report at once (no summary line)."""
