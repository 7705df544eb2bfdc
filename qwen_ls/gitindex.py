"""Whether git tracks a file, read from the repository's index (no ``git`` subprocess).

The language server asks this on every analysis of a settings file that holds a secret, so it
must be cheap and must not run programs from the workspace (a hostile repository's config can
make ``git`` run commands). The index (``.git/index``, format versions 2 to 4) lists every
tracked path; it is read with a size bound and cached per (file, mtime, size).
"""

from __future__ import annotations

import os
import struct
from functools import lru_cache
from pathlib import Path

from qwen_ls import safeio

MAX_INDEX_BYTES = 64 << 20
"""A larger index is not read (the answer is then "unknown", treated as not tracked)."""

_HEADER = struct.Struct(">4sII")
_FIXED = 62
"""Bytes of an index entry before its path: stat data, object id (SHA-1) and flags."""


def _git_dir(root: Path) -> Path | None:
    """``root/.git`` as a folder, or the folder a ``gitdir:`` file (worktree) points to."""
    dot = root / ".git"
    if dot.is_dir():
        return dot
    if dot.is_file():
        try:
            line = safeio.read_text(dot, limit=4096, errors="replace").strip()
        except OSError:
            return None
        if line.startswith("gitdir:"):
            target = Path(line[len("gitdir:"):].strip())
            return target if target.is_absolute() else (root / target)
    return None


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """Git's offset varint (index v4 path compression)."""
    byte = data[pos]
    pos += 1
    value = byte & 0x7F
    while byte & 0x80:
        byte = data[pos]
        pos += 1
        value = ((value + 1) << 7) | (byte & 0x7F)
    return value, pos


def parse_index(data: bytes) -> frozenset[str]:
    """The paths listed in an index file's bytes (empty for anything that is not an index).

    Parameters
    ----------
    data
        The whole index file.

    Returns
    -------
    frozenset[str]
        Tracked paths, ``/``-separated and relative to the work tree.
    """
    if len(data) < _HEADER.size:
        return frozenset()
    signature, version, count = _HEADER.unpack_from(data)
    if signature != b"DIRC" or version not in (2, 3, 4):
        return frozenset()
    paths: list[str] = []
    pos, previous = _HEADER.size, b""
    try:
        for _ in range(count):
            start = pos
            flags = struct.unpack_from(">H", data, pos + _FIXED - 2)[0]
            pos += _FIXED
            if version >= 3 and flags & 0x4000:
                pos += 2
            if version == 4:
                strip, pos = _varint(data, pos)
                end = data.index(b"\0", pos)
                name = previous[: len(previous) - strip] + data[pos:end]
                pos = end + 1
            else:
                end = data.index(b"\0", pos)
                name = data[pos:end]
                pos = start + ((end - start) // 8 + 1) * 8
            previous = name
            paths.append(name.decode("utf-8", errors="surrogateescape"))
    except (struct.error, ValueError, IndexError):
        return frozenset(paths)
    return frozenset(paths)


@lru_cache(maxsize=32)
def _tracked(index: str, mtime_ns: int, size: int) -> frozenset[str]:
    del mtime_ns, size  # cache keys only: a changed index is read again
    try:
        # bounded, regular files only: a hostile repository's .git/index may be a FIFO or a link
        return parse_index(safeio.read_bytes(index, limit=MAX_INDEX_BYTES))
    except OSError:
        return frozenset()


def is_tracked(path: Path) -> bool:
    """Whether the nearest enclosing git work tree's index lists ``path``.

    Parameters
    ----------
    path
        A file path (symlinks are resolved, as git stores the work-tree path).

    Returns
    -------
    bool
        ``True`` when tracked; ``False`` when not, outside any repository, or unreadable.
    """
    try:
        target = Path(os.path.realpath(path))
    except (OSError, ValueError):
        return False
    for root in target.parents:
        git_dir = _git_dir(root)
        if git_dir is None:
            continue
        index = git_dir / "index"
        try:
            st = index.stat()
        except OSError:
            return False
        if st.st_size > MAX_INDEX_BYTES:
            return False
        rel = target.relative_to(root).as_posix()
        return rel in _tracked(str(index), st.st_mtime_ns, st.st_size)
    return False
