"""What ``qwen`` will do when started here, and every problem across scopes (``qwen-ls doctor``).

The resolution comes from :func:`qwen_ls.settings.startup.resolve_startup`, which the
differential suite (``tests/oracle``) holds to the real CLI's answer field by field; the problems
are the analysis findings of every settings file in scope. Keys are always masked.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qwen_ls.secrets import mask, redact

if TYPE_CHECKING:
    from qwen_ls.settings.scopes import Layer


def startup_summary(
    workspace: Path | None,
    environ: Mapping[str, str],
    open_texts: Mapping[Path, str] | None = None,
    *,
    trusted: bool = True,
    layers: Sequence[Layer] | None = None,
) -> dict[str, Any]:
    """What ``qwen -p`` does when started in ``workspace``: the doctor's answer without problems.

    The editor shows this in "Qwen: Show Auth Status" and the status-bar tooltip (the server adds
    it to every ``qwen-ls.authStatus`` result as ``startup``), with unsaved buffers in place of
    their files. No secret is unmasked. ``layers``: the scope files, when the caller has read
    them already (see :func:`qwen_ls.settings.startup.resolve_startup`).
    """
    from qwen_ls.settings.startup import resolve_startup

    s = resolve_startup(workspace, environ, open_texts, trusted=trusted, layers=layers)
    source = None
    if s.key_source is not None:
        source = {"kind": s.key_source.kind, "name": s.key_source.name,
                  "file": str(s.key_source.file) if s.key_source.file else None}
    return {
        "starts": s.starts,
        "stops": redact(s.load_error or s.fatal or s.start_error or "") or None,
        "authType": s.auth_type, "model": s.model, "baseUrl": s.base_url,
        "key": {"var": s.key_var, "masked": mask(s.key_value) if s.key_value else None,
                "source": source},
        "rewrites": [str(p) for p in s.rewrites],
    }


def doctor_report(
    workspace: Path,
    environ: Mapping[str, str],
    open_texts: Mapping[Path, str] | None = None,
    *,
    trusted: bool = True,
) -> dict[str, Any]:
    """The doctor's answer as a JSON-ready dict (no secret unmasked)."""
    from qwen_ls import jsonc, safeio
    from qwen_ls.analysis import analyze, build_context
    from qwen_ls.settings import scopes

    report = startup_summary(workspace, environ, open_texts, trusted=trusted)
    problems = []
    for scope, path in scopes.settings_paths(workspace, environ).items():
        if path is None:
            continue
        text = (open_texts or {}).get(path)
        if text is None:
            if not os.path.lexists(path) or path.is_dir():
                continue
            try:  # bounded, regular files only: a FIFO or a /proc link must not hang or leak
                text = safeio.read_text(path, errors="replace")
            except OSError as exc:
                problems.append({"scope": scope, "path": str(path), "line": 1, "column": 1,
                                 "code": "unreadable", "severity": "error",
                                 "message": redact(str(exc)
                                                   if isinstance(exc, safeio.UnsafeFileError)
                                                   else f"{path}: {exc.strerror or exc}")})
                continue
        doc = jsonc.parse(text)
        for f in analyze(doc, build_context(path, workspace, dict(environ))):
            line, col = doc.lines.position(f.span.start, "utf-32")
            problems.append({"scope": scope, "path": str(path), "line": line + 1,
                             "column": col + 1, "code": f.code, "severity": f.severity,
                             "message": redact(f.message)})
    return {**report, "problems": problems}


def format_report(report: Mapping[str, Any]) -> str:
    """The text form of :func:`doctor_report`."""
    lines = ["qwen will start and use:" if report["starts"] else "qwen will NOT start:"]
    if report["stops"]:
        lines.append(f"  stops with: {report['stops']}")
    lines.append(f"  auth type:  {report['authType'] or '(none)'}")
    lines.append(f"  model:      {report['model'] or '(none)'}")
    lines.append(f"  base URL:   {report['baseUrl'] or '(SDK default)'}")
    key = report["key"]
    if key["masked"]:
        src = key["source"] or {}
        where = src.get("file") or src.get("kind")
        lines.append(f"  API key:    {key['var'] or 'security.auth.apiKey'} = {key['masked']}"
                     f" (from {where})")
    else:
        lines.append(f"  API key:    {key['var'] or '(none)'} (not set)")
    for path in report["rewrites"]:
        lines.append(f"  rewrites:   {path} on start (migration / $version)")
    if report["problems"]:
        lines.append(f"{len(report['problems'])} problem(s):")
        for p in report["problems"]:
            lines.append(f"  {p['path']}:{p['line']}:{p['column']}: {p['code']} {p['severity']} "
                         f"{p['message']}")
    return "\n".join(lines)
