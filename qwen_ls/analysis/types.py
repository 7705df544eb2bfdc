"""Value types of the analysis layer: findings, related locations and fix descriptors.

A :class:`Finding` is what a rule reports. It knows nothing about LSP; the server turns it into an
``lsprotocol`` ``Diagnostic`` and the CLI prints it. Fixes travel as small JSON-serialisable
descriptors in ``Finding.data["fixes"]`` so that a client can hand them back in a code-action
request; :mod:`qwen_ls.analysis.fixes` turns a descriptor into text edits against the current text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from qwen_ls.jsonc.types import Span

Severity = Literal["error", "warning", "information", "hint"]
Tag = Literal["deprecated", "unnecessary"]


@dataclass(frozen=True, slots=True)
class Related:
    """Another place involved in a finding: a provider entry in another file, a `.env` line."""

    path: Path
    message: str
    span: Span | None = None
    """Code-point span in that file when known (settings files)."""
    line: int | None = None
    """0-based line when only the line is known (`.env` files)."""


@dataclass(slots=True)
class Finding:
    """One problem found in a settings document."""

    code: str
    """Stable rule code, e.g. ``QLS201``: that of the :class:`~qwen_ls.analysis.rule.Rule`."""
    severity: Severity
    message: str
    """What is wrong, what the CLI will do with it, and how to fix it. Never holds a raw secret."""
    span: Span
    related: list[Related] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    data: dict[str, Any] | None = None
    """JSON-serialisable; ``data["fixes"]`` is a list of fix descriptors (see ``fixes.py``)."""

    @property
    def fixes(self) -> list[dict[str, Any]]:
        """The fix descriptors attached to this finding (possibly empty)."""
        return list((self.data or {}).get("fixes", []))


def fix(title: str, kind: str, *, safe: bool = False, preferred: bool = False, **args: Any) -> dict:
    """Build a fix descriptor.

    Parameters
    ----------
    title
        The code action title shown to the user.
    kind
        One of ``set-value`` (path, value), ``remove-value`` (path), ``move-value``
        (path, to_path), ``replace-span`` (start, end, text), ``move-secret-to-env``
        (path, name: the env var; carried out by a server command because it writes a second file).
    safe
        Whether "fix all" may apply it without asking.
    preferred
        Marks the action as the preferred quick fix.
    **args
        The kind's arguments; paths as lists.

    Returns
    -------
    dict
        The descriptor.
    """
    return {"title": title, "kind": kind, "safe": safe, "preferred": preferred, **args}


def set_fix(title: str, path, value: Any, *, safe: bool = False, preferred: bool = False) -> dict:
    """A ``set-value`` fix: write ``value`` at ``path``."""
    return fix(title, "set-value", safe=safe, preferred=preferred, path=list(path), value=value)


def remove_fix(title: str, path) -> dict:
    """A ``remove-value`` fix: delete the member (or item) at ``path``."""
    return fix(title, "remove-value", path=list(path))


def move_fix(title: str, path, to_path, *, safe: bool = False, preferred: bool = False) -> dict:
    """A ``move-value`` fix: move the member at ``path`` to ``to_path``."""
    return fix(title, "move-value", safe=safe, preferred=preferred, path=list(path),
               to_path=list(to_path))

