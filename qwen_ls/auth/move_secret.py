"""Move a key out of settings.json into a ``.env`` file: the file policy of the editor's fix.

Where it goes (:func:`qwen_ls.settings.scopes.secret_env_file`): ``<project>/.qwen/.env`` for a
workspace file, ``<QWEN_HOME>/.env`` for any other. The ``.env`` file is written first, with mode
0600, so a key is never lost (if settings.json cannot be changed afterwards it is in both places,
never in none); then settings.json changes through the store (an ``envKey`` that held the secret
gets the variable name, any other key is removed) and, in a git repository, ``.qwen/.env`` is
added to ``.gitignore``. The server asks the user between :func:`plan_move` and
:func:`apply_move`: Undo in the editor cannot take the ``.env`` write back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qwen_ls.protocol import result

_DEFAULT = object()


@dataclass(frozen=True, slots=True)
class SecretMove:
    """One planned move: which value leaves which file, under which name, to which file."""

    file: Path
    """The settings file holding the secret."""
    path: tuple[Any, ...]
    """The JSON path of the secret in it."""
    name: str
    """The environment variable that will hold it."""
    secret: str
    env_file: Path
    """The ``.env`` file it goes to."""
    workspace: Path | None
    """The project of ``file`` (no write may follow a link out of it), or ``None``."""


def plan_move(
    file: Path, text: str, path: Sequence[Any], name: str, environ: Mapping[str, str]
) -> SecretMove | None:
    """The move of the secret at ``path`` of ``text``; ``None`` when no secret is there."""
    from qwen_ls.jsonc import parse
    from qwen_ls.settings import scopes

    node = parse(text).node_at_path(tuple(path))
    if node is None or not isinstance(node.value, str) or not node.value.strip():
        return None
    env_file, workspace = scopes.secret_env_file(file, environ)
    return SecretMove(file, tuple(path), name, node.value.strip(), env_file, workspace)


async def apply_move(move: SecretMove, sink: Any, replace_with: Any = _DEFAULT) -> dict[str, Any]:
    """Carry out ``move``; returns a ``SignInResult`` (``files``: every file written).

    Parameters
    ----------
    move
        From :func:`plan_move`.
    sink
        The store's editor bridge: settings.json changes through ``workspace/applyEdit`` when
        it is open.
    replace_with
        The value the secret's place gets instead of the default (the variable name for an
        ``envKey``, removal for any other key).
    """
    from qwen_ls import store

    try:
        env_written = store.write_env_var(move.env_file, move.name, move.secret,
                                          workspace=move.workspace)
    except (store.StoreError, ValueError) as exc:  # a link out of the workspace, a bad value
        return result(False, "error", f"Could not move the key to {move.env_file}: {exc}")
    written = [env_written]
    if replace_with is _DEFAULT:
        replace_with = move.name if move.path[-1] == "envKey" else store.DELETE
    try:
        outcome = await store.SettingsStore(sink=sink, workspace=move.workspace).update(
            move.file, [(move.path, replace_with)]
        )
        if outcome.changed:
            written.append(move.file)
        if move.workspace is not None:
            ignored = store.ensure_gitignored(move.workspace)
            if ignored is not None:
                written.append(ignored)
    except store.StoreError as exc:
        return result(False, "error",
                      f"The key was saved to {store.shown(move.env_file, env_written)}, but {exc}")
    return result(True, "selected",
                  f"Moved the key to {store.shown(move.env_file, env_written)} as {move.name} "
                  "(mode 0600); settings.json no longer holds it.", written)
