"""The one way qwen-ls reads a file from disk: regular files only, never without a bound.

Everything a repository holds is hostile input: ``.qwen/settings.json`` may be a FIFO (a plain
``read`` blocks forever), a link to ``/dev/zero`` (never ends), to ``/proc/self/environ`` (the
process's secrets) or simply 2 GB of ``{},``. Every reader in the package (settings scopes,
``.env`` files, OAuth credentials, ``check``, ``auth status``, ``model list/use``, the server)
goes through :func:`read_bytes` / :func:`read_text`, which

- look at the file with ``stat`` *before* opening it, and at the opened descriptor with ``fstat``
  again (the name can be swapped in between), refusing anything that is not a regular file;
- refuse files of the kernel's pseudo file systems (``/proc``, ``/sys``), which report size 0 and
  hold other processes' data;
- open with ``O_NONBLOCK | O_NOCTTY`` so that even a FIFO swapped in at the last moment cannot
  block the event loop, and read at most ``limit + 1`` bytes.

The limit is :data:`DEFAULT_MAX_BYTES`, or ``$QWEN_LS_MAX_FILE_BYTES`` (the server also takes
``maxFileBytes`` from its initialization options, see :func:`set_max_bytes`).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
"""Default size limit: 8 MiB (the largest real settings files are a few hundred kB)."""
MAX_BYTES_ENV = "QWEN_LS_MAX_FILE_BYTES"

_override: int | None = None


class UnsafeFileError(OSError):
    """A file that qwen-ls refuses to read; ``str(exc)`` names the file and says why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(errno.EINVAL, f"{path}: {reason}; not read")
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return str(self.strerror)


def set_max_bytes(limit: int | None) -> None:
    """Set the process-wide size limit (``None`` goes back to the environment / default)."""
    global _override
    _override = int(limit) if limit is not None and int(limit) > 0 else None


def max_bytes() -> int:
    """Return the size limit in bytes now in force."""
    if _override is not None:
        return _override
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return DEFAULT_MAX_BYTES


def _pseudo_devices() -> frozenset[int]:
    devices = set()
    for root in ("/proc", "/sys"):
        try:
            devices.add(os.stat(root).st_dev)
        except OSError:
            continue
    return frozenset(devices)


_PSEUDO_DEVICES = _pseudo_devices()


def kind_of(mode: int) -> str:
    """Name the kind of file ``mode`` describes, for messages ("a FIFO", "a folder"...)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _check(path: Path | str, st: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFileError(path, f"is {kind_of(st.st_mode)}, not a regular file")
    if st.st_dev in _PSEUDO_DEVICES:
        raise UnsafeFileError(path, "is a kernel pseudo-file (/proc or /sys)")
    if st.st_size > limit:
        raise UnsafeFileError(
            path, f"is {st.st_size} bytes, larger than the {limit}-byte limit "
            f"(set {MAX_BYTES_ENV} to raise it)"
        )


def refusal(path: Path | str, *, limit: int | None = None) -> str | None:
    """Return why :func:`read_bytes` would refuse ``path`` (without opening it), else ``None``.

    A missing file gives ``None``: it is not a refusal.
    """
    try:
        _check(path, os.stat(path), limit or max_bytes())
    except UnsafeFileError as exc:
        return str(exc)
    except OSError:
        return None
    return None


def read_bytes(path: Path | str, *, limit: int | None = None, nofollow: bool = False) -> bytes:
    """Read a regular file of at most ``limit`` bytes.

    Parameters
    ----------
    path
        The file. Symlinks are followed unless ``nofollow`` (then a link raises ``ELOOP``).
    limit
        Size limit in bytes (default :func:`max_bytes`).
    nofollow
        Open with ``O_NOFOLLOW``.

    Returns
    -------
    bytes
        The content.

    Raises
    ------
    UnsafeFileError
        Not a regular file, a pseudo-file, or above the limit — before any byte is read.
    OSError
        Missing (``FileNotFoundError``), unreadable, ...
    """
    limit = limit or max_bytes()
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    if nofollow:
        flags |= os.O_NOFOLLOW
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            raise OSError(errno.ELOOP, f"{path} is a symbolic link; not followed")
    else:
        st = os.stat(path)
    _check(path, st, limit)  # before open: opening a device can have side effects
    fd = os.open(path, flags)
    try:
        _check(path, os.fstat(fd), limit)  # the name may have been swapped since the stat
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            try:
                chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            except BlockingIOError:  # pragma: no cover - regular files never block
                break
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise UnsafeFileError(path, f"grew beyond the {limit}-byte limit while being read")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path | str, *, limit: int | None = None, errors: str = "strict",
              nofollow: bool = False) -> str:
    """Read a bounded regular file as UTF-8, without newline translation.

    Parameters
    ----------
    path, limit, nofollow
        As for :func:`read_bytes`.
    errors
        ``"strict"`` (raise :class:`UnicodeDecodeError`) or ``"replace"``.

    Returns
    -------
    str
        The text (a BOM is kept: callers decide).
    """
    return read_bytes(path, limit=limit, nofollow=nofollow).decode("utf-8", errors=errors)


def read_text_or_none(path: Path | str, *, limit: int | None = None,
                      errors: str = "strict") -> str | None:
    """:func:`read_text`, with ``None`` for a missing file (or a missing folder on the way)."""
    try:
        return read_text(path, limit=limit, errors=errors)
    except (FileNotFoundError, NotADirectoryError):
        return None
