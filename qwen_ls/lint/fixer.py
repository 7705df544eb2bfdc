"""``qwen-ls check --fix``: the editor's "Fix all safe problems", applied to files on disk.

:func:`fix_text` repeats analyse → :func:`qwen_ls.analysis.fixes.apply_fixes` until nothing
changes (a fix can make another one possible: a quoted value may then be a known enum), and
:func:`write_fixes` writes the result through the one store (:mod:`qwen_ls.store`): atomically,
mode kept, refused when the file changed meanwhile. Comments and formatting survive because the
fixes are the same minimal edits the editor applies.

``move-secret-to-env`` is never safe. With ``--unsafe-fixes`` it is carried out as the editor's
command does: the key goes to ``.qwen/.env`` (or ``~/.qwen/.env`` for the user file) with mode
0600, ``.qwen/.env`` is added to ``.gitignore`` in a git repository, and settings.json loses it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qwen_ls.analysis.fixes import MOVE_SECRET, apply_fixes

MAX_PASSES = 10
"""Fix rounds per file; a loop that keeps changing the text stops there (ruff stops at 100)."""


@dataclass
class FixResult:
    """What the fixes do to one file's text."""

    text: str
    """The fixed text."""
    applied: list[dict[str, Any]] = field(default_factory=list)
    """The fix descriptors applied, over all rounds."""
    secrets: list[tuple[str, str]] = field(default_factory=list)
    """``(variable, value)`` pairs that move to the ``.env`` file (unsafe fixes only)."""

    @property
    def changed(self) -> bool:
        """Whether any fix applied."""
        return bool(self.applied)


def fix_text(doc, findings_of: Callable[[Any], list], *, unsafe: bool = False) -> FixResult:
    """Apply the fixes of ``doc`` until none is left.

    Parameters
    ----------
    doc
        The parsed file.
    findings_of
        Analyses a document and returns its reported findings (already filtered by the
        configuration and the suppression comments: only reported findings are fixed).
    unsafe
        Also apply fixes that are not marked safe.

    Returns
    -------
    FixResult
        The new text and what was applied.
    """
    from qwen_ls import jsonc

    result = FixResult(doc.text)
    current = doc
    for _round in range(MAX_PASSES):
        new_text, applied = apply_fixes(current, findings_of(current), unsafe=unsafe)
        if not applied or new_text == current.text:
            break
        for descriptor in applied:
            if descriptor.get("kind") == MOVE_SECRET:
                node = current.node_at_path(tuple(descriptor.get("path", ())))
                if node is not None and isinstance(node.value, str) and node.value.strip():
                    result.secrets.append((str(descriptor["name"]), node.value.strip()))
        result.applied.extend(applied)
        result.text = new_text
        current = jsonc.parse(new_text)
    return result


def write_fixes(
    path: Path, base: str, result: FixResult, environ: Mapping[str, str]
) -> list[Path]:
    """Write a fixed file (and the ``.env`` file of moved keys) through the store.

    The ``.env`` file is written first, so that a key is never lost: if settings.json cannot be
    written afterwards the key is in both places, never in none.

    Returns
    -------
    list[Path]
        Every file written.

    Raises
    ------
    qwen_ls.store.StoreError
        A write failed or the file changed meanwhile; its message names the file.
    """
    from qwen_ls import store
    from qwen_ls.settings import scopes

    written: list[Path] = []
    # the project of a workspace file: no write may follow a link out of it
    env_file, workspace = scopes.secret_env_file(path, environ)
    if result.secrets:
        for name, value in result.secrets:
            written.append(store.write_env_var(env_file, name, value, workspace=workspace))
    outcome = store.replace_text(path, base, result.text, workspace=workspace)
    if outcome.changed:
        written.append(path)
    if workspace is not None and result.secrets:
        ignored = store.ensure_gitignored(workspace)
        if ignored is not None:
            written.append(ignored)
    return list(dict.fromkeys(written))


def unified_diff(shown: str, before: str, after: str) -> str:
    """The unified diff of one file, as ``--diff`` prints it (``a/`` and ``b/`` prefixes)."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{shown}",
        tofile=f"b/{shown}",
    )
    no_newline = "\n\\ No newline at end of file\n"
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + no_newline)
    return "".join(out)
