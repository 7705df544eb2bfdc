"""The files the sign-in status and the analysis depend on, and a cheap signature of them.

:func:`input_paths` lists every file whose change on disk can change what ``qwen`` would do at
startup: the settings file of every scope, every ``.env`` candidate the CLI would read (in its
order, up to the one it takes), ``oauth_creds.json`` and the Qwen home folder itself (created,
removed or replaced, e.g. a link to another folder). Missing files are listed too: creating one
is a change.

:func:`signature` is what the server polls: ``lstat`` and ``stat`` of each path, no file is
opened, so a FIFO, a device or a link loop in the set cannot block or fail anything. The
watched set is bounded (:data:`MAX_PATHS`); a deep project contributes two candidates per folder
up to HOME.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from qwen_ls.settings import scopes

MAX_PATHS = 256
"""At most this many paths are watched (a real set is 10-30)."""

Stat = tuple[int, int, int, int, int] | None
Signature = tuple[tuple[str, Stat, Stat], ...]


def input_paths(
    workspaces: Iterable[Path | None],
    environ: Mapping[str, str],
    *,
    trusted: bool = True,
    extra: Iterable[Path] = (),
) -> list[Path]:
    """Every file the resolution for ``workspaces`` reads, in a stable order without repeats.

    Parameters
    ----------
    workspaces
        The folders ``qwen`` could start in (the editor's root, each open file's project);
        ``None`` stands for "no project".
    environ
        The environment (``HOME``, ``QWEN_HOME``, system path overrides).
    trusted
        Whether project ``.env`` files are read at all.
    extra
        More paths to watch (the ``.env`` files an open document's analysis read).

    Returns
    -------
    list[Path]
        At most :data:`MAX_PATHS` paths.
    """
    from qwen_ls.settings import env as env_mod

    qhome = scopes.qwen_home(environ)
    out: dict[str, Path] = {}

    def add(path: Path | None) -> None:
        if path is not None and len(out) < MAX_PATHS:
            out.setdefault(str(path), Path(path))

    add(qhome)
    add(qhome / "oauth_creds.json")
    for workspace in dict.fromkeys(workspaces):
        for path in scopes.settings_paths(workspace, environ).values():
            add(path)
        # The .env candidates do not depend on settings (only on the folders and trust).
        resolution = env_mod.resolve_env(workspace, {k: v for k, v in environ.items()
                                                     if k in ("HOME", "USERPROFILE",
                                                              "QWEN_HOME")},
                                         None, trusted=trusted)
        for path in resolution.files:
            add(path)
    for path in extra:
        add(path)
    return list(out.values())


def _stat(path: Path, follow: bool) -> Stat:
    try:
        st = os.stat(path, follow_symlinks=follow)
    except (OSError, ValueError):
        return None
    return _key(st)


def _key(st: os.stat_result) -> Stat:
    if stat.S_ISDIR(st.st_mode):
        # A folder (the Qwen home) counts by identity only: the CLI writing its own files there
        # (tmp/, logs) is no change; the files that matter in it are watched one by one.
        return (0, 0, 0, st.st_ino, st.st_mode)
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_mode)


def signature(paths: Iterable[Path]) -> Signature:
    """``(path, lstat, stat)`` per path: a change of content, target, type or existence shows.

    Never opens a file and never raises; a missing file or a broken link gives ``None``.
    """
    out = []
    for path in paths:
        own = _stat(path, False)
        # Only a link needs the second call (its target); for anything else it is the same.
        target = _stat(path, True) if own is not None and stat.S_ISLNK(own[4]) else own
        out.append((str(path), own, target))
    return tuple(out)


def changed(old: Signature, new: Signature) -> list[str]:
    """The paths whose entry differs between two signatures (for the log)."""
    before = {path: (a, b) for path, a, b in old}
    return [path for path, a, b in new if before.get(path) != (a, b)]
