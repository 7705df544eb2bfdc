"""Turn fix descriptors (from ``Finding.data["fixes"]``) into text edits on the current text.

Descriptors are computed with the diagnostic but resolved against the document as it is when the
user picks the action, so a fix never applies stale offsets to an edited buffer.
"""

from __future__ import annotations

from typing import Any

from qwen_ls.jsonc import edits
from qwen_ls.jsonc.types import TextEdit


class FixError(Exception):
    """A fix cannot be applied to the current text (the message says why)."""


def resolve_fix(doc, descriptor: dict[str, Any]) -> list[TextEdit]:
    """Compute the text edits of one fix descriptor against ``doc``.

    Parameters
    ----------
    doc
        The current :class:`qwen_ls.jsonc.JsonDocument`.
    descriptor
        A descriptor built by :func:`qwen_ls.analysis.types.fix`.

    Returns
    -------
    list[TextEdit]
        The edits. ``move-secret-to-env`` returns the settings-side edit only (the server
        command writes the ``.env`` file).

    Raises
    ------
    FixError
        When the descriptor does not apply to the current text.
    """
    kind = descriptor.get("kind")
    try:
        if kind == "set-value":
            return edits.set_value(doc, tuple(descriptor["path"]), descriptor["value"])
        if kind == "remove-value":
            return edits.remove_value(doc, tuple(descriptor["path"]))
        if kind == "move-value":
            return _move(doc, tuple(descriptor["path"]), tuple(descriptor["to_path"]))
        if kind == "replace-span":
            start, end = int(descriptor["start"]), int(descriptor["end"])
            if not (0 <= start <= end <= len(doc.text)):
                raise FixError("the text changed since the diagnostic was computed")
            return [TextEdit(start, end, str(descriptor.get("text", "")))]
        if kind == "move-secret-to-env":
            if "replace_with" in descriptor:
                return edits.set_value(doc, tuple(descriptor["path"]), descriptor["replace_with"])
            return edits.remove_value(doc, tuple(descriptor["path"]))
    except FixError:
        raise
    except Exception as exc:  # EditError and friends: say why, without the document text
        raise FixError(str(exc)) from exc
    raise FixError(f"unknown fix kind {kind!r}")


def _move(doc, path: tuple, to_path: tuple) -> list[TextEdit]:
    """Move a value: set it at ``to_path`` and remove it at ``path`` in one edit list."""
    node = doc.node_at_path(path)
    if node is None:
        raise FixError("the value to move is no longer there")
    value = node.value
    if to_path[:-1] == path[:-1]:
        return edits.rename_key(doc, path, str(to_path[-1]))
    from qwen_ls import jsonc

    removed = edits.apply_edits(doc.text, edits.remove_value(doc, path))
    moved = edits.apply_edits(removed, edits.set_value(jsonc.parse(removed), to_path, value))
    change = edits.changed_span(doc.text, moved)
    return [change] if change is not None else []


# -- applying many fixes at once (the editor's "fix all" and ``qwen-ls check --fix``) -------------

MOVE_SECRET = "move-secret-to-env"


def chosen_fix(finding, *, unsafe: bool = False) -> dict[str, Any] | None:
    """The one descriptor "fix all" applies for ``finding``, or ``None``.

    Only the first (preferred) descriptor of a finding is ever applied automatically. It must be
    marked ``safe``, unless ``unsafe`` is given. ``move-secret-to-env`` is never safe: it writes a
    second file (``.env``), so only an explicit ``unsafe`` run carries it out.
    """
    for descriptor in finding.fixes[:1]:
        if descriptor.get("safe") and descriptor.get("kind") != MOVE_SECRET:
            return descriptor
        if unsafe:
            return descriptor
    return None


def apply_fixes(doc, findings, *, unsafe: bool = False) -> tuple[str, list[dict[str, Any]]]:
    """Apply every (safe) fix of ``findings`` to ``doc`` and return the new text.

    Fixes are applied one after the other, each resolved against the text the previous ones
    produced (two moves into the same object would otherwise collide); offset-based
    ``replace-span`` fixes go first, while their offsets still hold, and one that overlaps an
    earlier span is skipped. A fix that no longer applies is skipped.

    Parameters
    ----------
    doc
        The :class:`qwen_ls.jsonc.JsonDocument` the findings were computed on.
    findings
        Its findings.
    unsafe
        Also apply fixes not marked safe (including ``move-secret-to-env``'s settings edit; the
        caller writes the ``.env`` side).

    Returns
    -------
    tuple[str, list[dict]]
        The new text and the descriptors that were applied, in order.
    """
    from qwen_ls import jsonc

    descriptors = [d for f in findings if (d := chosen_fix(f, unsafe=unsafe)) is not None]
    descriptors.sort(key=lambda d: d.get("kind") != "replace-span")
    current = doc
    spans: list[TextEdit] = []
    applied: list[dict[str, Any]] = []
    for descriptor in descriptors:
        by_offset = descriptor.get("kind") == "replace-span"
        try:
            new_edits = resolve_fix(doc if by_offset else current, descriptor)
        except FixError:
            continue
        if not new_edits:
            continue
        if by_offset:
            if any(_overlaps(e, c) for e in new_edits for c in spans):
                continue
            spans.extend(new_edits)
            current = jsonc.parse(edits.apply_edits(doc.text, spans))
        else:
            current = jsonc.parse(edits.apply_edits(current.text, new_edits))
        applied.append(descriptor)
    return current.text, applied


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    if a.start == a.end == b.start == b.end:
        return True
    return a.start < b.end and b.start < a.end
