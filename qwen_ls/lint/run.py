"""Check (and optionally fix) settings files: the work of ``qwen-ls check`` without its terminal.

:func:`check_files` reads each file through :mod:`qwen_ls.safeio` (bounded, regular files only),
analyses it as the server does, keeps the findings the configuration wants and, with ``fix`` or
``diff``, applies the fixes (:mod:`qwen_ls.lint.fixer`): written through the store, or only shown
as a diff. The command line (:mod:`qwen_ls.cli.check`) turns the outcome into output and an exit
status.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qwen_ls.lint.config import LintConfig


class CheckError(Exception):
    """A file that cannot be read or written; the check stops (exit status 2)."""


@dataclass
class CheckOutcome:
    """What :func:`check_files` found and did."""

    results: list[tuple[Path, Any, list]] = field(default_factory=list)
    """``(path, parsed document, reported findings)`` per file, after the fixes."""
    fixed: int = 0
    """Fixes applied (or, with ``diff``, that would be)."""
    diffs: list[str] = field(default_factory=list)
    """Unified diffs of the fixes (``diff`` only)."""
    notes: list[str] = field(default_factory=list)
    """Lines for the user: files left alone, other files written (unmasked: redact them)."""


def default_paths(cwd: Path, environ: Mapping[str, str]) -> list[Path]:
    """The settings files ``qwen`` started in ``cwd`` would read, that exist."""
    from qwen_ls.settings import scopes

    paths = scopes.settings_paths(cwd, dict(environ))
    # not only regular files: a FIFO or a device in their place must be reported, not skipped
    return [p for p in paths.values() if p is not None and os.path.lexists(p) and not p.is_dir()]


def check_files(
    paths: Sequence[Path],
    config: LintConfig,
    workspace: Path | None,
    environ: dict[str, str],
    *,
    fix: bool = False,
    diff: bool = False,
    unsafe: bool = False,
) -> CheckOutcome:
    """Analyse ``paths`` and, with ``fix`` (write) or ``diff`` (show), apply their fixes.

    Raises
    ------
    CheckError
        A file cannot be read, or a fix cannot be written.
    """
    from qwen_ls import jsonc, safeio
    from qwen_ls.analysis import analyze, build_context
    from qwen_ls.lint import fixer, formats
    from qwen_ls.secrets import redact, remember
    from qwen_ls.settings import scopes
    from qwen_ls.store import StoreError

    outcome = CheckOutcome()
    for path in paths:
        path = path.absolute()
        try:  # bounded, regular files only: a FIFO or /dev/zero must not hang the linter
            raw = safeio.read_bytes(path)
        except safeio.UnsafeFileError as exc:
            raise CheckError(f"cannot read {redact(str(exc), multiline=False)}") from exc
        except OSError as exc:
            raise CheckError(
                f"cannot read {redact(str(path), multiline=False)}: {exc.strerror}"
            ) from exc
        # Never fails; a BOM stays in the text (the JSONC layer skips it as the CLI does), and a
        # file that is not UTF-8 is analysed but never rewritten (see below).
        text = raw.decode("utf-8", errors="replace")
        ctx = build_context(path, workspace, environ)

        def reported(doc, path=path, ctx=ctx):
            return [f for f in analyze(doc, ctx) if config.wanted(f.code, path)]

        doc = jsonc.parse(text)
        if fix or diff:
            result = fixer.fix_text(doc, reported, unsafe=unsafe)
            if result.changed and "\ufffd" in text and raw != text.encode("utf-8"):
                outcome.notes.append(f"{formats.shown_path(path)}: not UTF-8, left unchanged")
            elif result.changed:
                for _name, value in result.secrets:
                    remember(value)
                outcome.fixed += len(result.applied)
                if diff:
                    outcome.diffs.append(
                        fixer.unified_diff(formats.shown_path(path), text, result.text)
                    )
                    for name, _value in result.secrets:
                        env_file, _ws = scopes.secret_env_file(path, environ)
                        outcome.notes.append(f"would write {name} to {env_file} (mode 0600)")
                else:
                    try:
                        written = fixer.write_fixes(path, text, result, environ)
                    except StoreError as exc:
                        raise CheckError(str(exc)) from exc
                    extra = [p for p in written if p != path]
                    if extra:
                        outcome.notes.append(
                            f"{formats.shown_path(path)}: also wrote "
                            + ", ".join(formats.shown_path(p) for p in extra)
                        )
                    doc = jsonc.parse(result.text)
        outcome.results.append((path, doc, reported(doc)))
    return outcome
