"""The one place every write to a user file goes through.

Three kinds of files are written by qwen-ls:

- ``settings.json`` (user or workspace scope): :class:`SettingsStore` turns a list of changes into
  minimal text edits with :mod:`qwen_ls.jsonc.edits` (comments, indentation, key order and every
  unrelated byte survive). When the file is open in the editor the edits go to an :class:`EditSink`
  (the LSP server answers with ``workspace/applyEdit``); otherwise the file is written atomically.
- ``.env`` files: :func:`write_env_var` replaces or appends one assignment, quoting the value so
  that both python-dotenv and the CLI's ``dotenv`` read it back unchanged.
- ``oauth_creds.json``: :func:`write_json_file`, the CLI's own recipe (temp file
  ``<name>.tmp.<pid>.<uuid>``, chmod 0600, rename).

Every disk write is atomic: a temporary file in the same folder, ``fsync``, ``rename``; the
original mode is kept (new files 0600, new folders 0700; a ``.env`` loses group/other bits before
the secret lands in it); a symlink is followed (the target is written and the link stays). A file
changed on disk between read and rename is detected and the change is re-applied to the new
content, never overwritten blindly. A disk that refuses the write (full, read-only, permission
denied) raises :class:`StoreWriteError` (a :class:`StoreError` and an :class:`OSError`) whose
message names the file, the reason and that nothing was written; the temp file is removed.
:func:`backup` / :func:`restore` let a multi-file operation undo its first writes.

Fault injection for tests: :data:`_rename` can be replaced, and the environment variable
``QWEN_LS_FAILPOINT=crash-before-rename`` makes the process exit abruptly after the temp file is
complete and before the rename, as a power cut would.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import stat
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from qwen_ls.jsonc.edits import changed_span
from qwen_ls.jsonc.types import JsonPath, TextEdit

logger = logging.getLogger(__name__)

BOM = "\ufeff"
FILE_MODE = 0o600
DIR_MODE = 0o700
FAILPOINT_ENV = "QWEN_LS_FAILPOINT"
_MAX_ATTEMPTS = 3

#: Replaced by tests to simulate a crash or a failure between temp write and rename.
_rename: Callable[[str, str], None] = os.replace


class StoreError(Exception):
    """A write that was refused or failed; the message is for the user and holds no secret."""


class StoreWriteError(StoreError, OSError):
    """The disk refused a write (full, read-only, permission denied...); the file is unchanged.

    It is also an :class:`OSError` (``errno`` is set when known) so that callers catching either
    see it; ``str(exc)`` says which file, why, and that nothing was written.
    """


class _ConcurrentChange(StoreError):
    """The file changed on disk between our read and our rename (internal: triggers a retry)."""


_ERRNO_REASONS: dict[int, str] = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted (read-only or immutable folder?)",
    errno.EIO: "an input/output error from the disk",
    errno.EISDIR: "it is a folder",
    errno.ENOTDIR: "a part of the path is not a folder",
}


def _write_failure(path: Path, exc: OSError, *, existed: bool) -> StoreWriteError:
    """Return the user-facing error for an ``OSError`` during a write of ``path``."""
    reason = _ERRNO_REASONS.get(exc.errno or -1) or exc.strerror or str(exc) or type(exc).__name__
    if exc.errno in (errno.EACCES, errno.EPERM):
        reason += f"; check that {path.parent} is writable"
    state = "was not changed" if existed else "was not created"
    err = StoreWriteError(f"Could not write {path}: {reason}. The file {state}; nothing was "
                          "written.")
    err.errno = exc.errno
    return err


class _Delete:
    """Sentinel type of :data:`DELETE`."""

    _instance: _Delete | None = None

    def __new__(cls) -> _Delete:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "DELETE"


DELETE = _Delete()
"""Use as the value of a change to remove the member or array item at the path."""


@dataclass(frozen=True, slots=True)
class InsertAt:
    """Use as the value of a change to insert ``value`` at ``index`` in the array at the path.

    ``index`` may equal the array length (append). A missing array is created.
    """

    index: int
    value: Any


Change = tuple[JsonPath, Any]
"""``(path, value)``; ``value`` may be :data:`DELETE` or an :class:`InsertAt`."""


class EditSink(Protocol):
    """Where settings edits go when the file is open in an editor.

    The LSP server implements it: :meth:`open_text` returns the buffer text of an open document
    and :meth:`apply` sends ``workspace/applyEdit``.
    """

    def open_text(self, path: Path) -> str | None:
        """Return the current buffer text when ``path`` is open in the editor, else ``None``."""
        ...

    async def apply(self, path: Path, edits: list[TextEdit], base_text: str) -> bool:
        """Apply ``edits`` (code-point offsets into ``base_text``) to the open document.

        Returns ``True`` when the client applied them.
        """
        ...


@dataclass(slots=True)
class WriteOutcome:
    """What :meth:`SettingsStore.update` did to one file."""

    path: Path
    changed: bool
    via_editor: bool = False
    created: bool = False
    edits: list[TextEdit] = field(default_factory=list)
    text: str = ""
    """The new text of the file (or buffer)."""
    target: Path | None = None
    """The real file written on disk (differs from ``path`` behind a symlink)."""


# --------------------------------------------------------------------------------------------
# Atomic file writing
# --------------------------------------------------------------------------------------------


def _failpoint(name: str) -> None:
    if os.environ.get(FAILPOINT_ENV) == name:
        # Simulate a power cut: no cleanup, no exception handlers, no atexit.
        os._exit(86)


def resolve_target(path: Path) -> Path:
    """Return the file a write to ``path`` must change: the final target of a symlink chain.

    Parameters
    ----------
    path
        The path the user knows (may be a symlink, possibly dangling).

    Returns
    -------
    Path
        ``path`` itself when it is not a symlink.

    Raises
    ------
    StoreError
        The chain loops (more than 40 links).
    """
    path = Path(os.path.abspath(path))
    seen = 0
    while path.is_symlink():
        if seen >= 40:
            raise StoreError(f"{path} is a loop of symbolic links; nothing was written.")
        link = Path(os.readlink(path))
        path = Path(os.path.normpath(path.parent / link)) if not link.is_absolute() else link
        seen += 1
    return path


def _within(path: Path | str, root: Path | str) -> bool:
    path, root = os.path.normpath(path), os.path.normpath(root)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def guard_target(path: Path, workspace: Path | None = None) -> Path:
    """Resolve the file a write to ``path`` changes, refusing links that leave the workspace.

    A path inside ``workspace`` (the folder a repository was cloned into: hostile) may go
    through symlinks only when every link on the way, folders included, resolves to an existing
    place inside the workspace. A path outside it (the user's own ``~/.qwen`` files, which people
    link into a dotfiles repository) follows its links, but never creates a folder through one.

    Parameters
    ----------
    path
        The file the caller names.
    workspace
        The workspace folder, or ``None`` when there is none.

    Returns
    -------
    Path
        The real file to write (symlinks resolved).

    Raises
    ------
    StoreError
        With a message naming the link and where it leads; nothing was written.
    """
    path = Path(os.path.abspath(path))
    if workspace is None or not _within(path, os.path.abspath(workspace)):
        target = resolve_target(path)
        if target != path and not os.path.isdir(target.parent):
            raise StoreError(
                f"{path} is a symbolic link to {target}, whose folder {target.parent} does not "
                "exist; qwen-ls does not create folders through a link. Nothing was written."
            )
        return target
    root = Path(os.path.abspath(workspace))
    root_real = os.path.realpath(root)
    current = root
    for part in path.relative_to(root).parts:
        current = current / part
        if not os.path.islink(current):
            continue
        real = os.path.realpath(current)
        what = "the file" if current == path else "the folder"
        if not os.path.exists(current):
            raise StoreError(
                f"Refusing to write {path}: {what} {current} is a dangling symbolic link (to "
                f"{real}). Nothing was written."
            )
        if not _within(real, root_real):
            raise StoreError(
                f"Refusing to write {path}: {what} {current} is a symbolic link to {real}, "
                f"outside the workspace {root}. Nothing was written."
            )
    return Path(os.path.realpath(path))


def shown(path: Path, written: Path) -> str:
    """Name a written file for a message: ``path``, or ``path (a link to written)``."""
    if Path(os.path.abspath(path)) == Path(written):
        return str(path)
    return f"{path} (a link to {written})"


def ensure_dir(folder: Path, mode: int = DIR_MODE) -> None:
    """Create ``folder`` and its missing parents with ``mode`` (existing folders are untouched).

    Parameters
    ----------
    folder
        The folder to create (symlinks already resolved by :func:`guard_target`).
    mode
        Mode of every folder created (0700 by default, whatever the umask).

    Raises
    ------
    OSError
        A part of the path is a dangling link or not a folder (never created through).
    """
    missing: list[Path] = []
    current = Path(folder)
    while not os.path.lexists(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    if os.path.islink(current) and not os.path.isdir(current):
        raise OSError(errno.ENOTDIR, f"{current} is a dangling symbolic link")
    for created in reversed(missing):
        try:
            os.mkdir(created, mode)  # mkdir never follows a link: one that appeared raises EEXIST
        except FileExistsError:
            if os.path.islink(created) or not os.path.isdir(created):
                raise
            continue
        fd = os.open(created, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            os.fchmod(fd, mode)  # whatever the umask
        finally:
            os.close(fd)


def atomic_write_bytes(
    path: Path,
    data: bytes,
    *,
    mode: int | None = None,
    temp_name: str | None = None,
    check: Callable[[], bool] | None = None,
    workspace: Path | None = None,
) -> Path:
    """Write ``data`` to ``path`` atomically and return the file actually written.

    Parameters
    ----------
    path
        Destination; symlinks are resolved by :func:`guard_target` and the target written.
    data
        The complete new content.
    mode
        Mode for the file. ``None`` keeps the existing file's mode, or 0600 for a new file.
    temp_name
        Name of the temporary file in the same folder (default ``.<name>.qwen-ls.<uuid>.tmp``).
    check
        Called right before the rename; when it returns ``False`` the temp file is removed and
        :class:`StoreError` is raised (used to detect a concurrent change on disk).
    workspace
        The workspace folder: a path inside it may not leave it through a symlink.

    Returns
    -------
    Path
        The real file written (the symlink target when ``path`` is a link).

    Raises
    ------
    StoreError
        When a link leads outside the workspace, ``check`` fails or the write fails; the
        original file is left intact.
    """
    target = guard_target(path, workspace)
    existed = os.path.lexists(target)
    try:
        ensure_dir(target.parent)
        dir_fd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise _write_failure(target, exc, existed=existed) from exc
    try:
        return _write_in_dir(dir_fd, target, data, mode, temp_name, check, existed, workspace)
    finally:
        os.close(dir_fd)


def _fd_path(fd: int) -> str | None:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None


def _write_in_dir(dir_fd: int, target: Path, data: bytes, mode: int | None,
                  temp_name: str | None, check: Callable[[], bool] | None, existed: bool,
                  workspace: Path | None) -> Path:
    """The temp-write-rename of :func:`atomic_write_bytes`, inside the opened folder ``dir_fd``."""
    opened = _fd_path(dir_fd)
    if workspace is not None and opened is not None \
            and _within(target, os.path.realpath(workspace)) \
            and not _within(opened, os.path.realpath(workspace)):
        # the folder was swapped for a link between the check and the open
        raise StoreError(f"Refusing to write {target}: its folder now leads to {opened}, outside "
                         f"the workspace {workspace}. Nothing was written.")
    name = target.name
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _write_failure(target, exc, existed=existed) from exc
    if st is not None and not stat.S_ISREG(st.st_mode):
        from qwen_ls.safeio import kind_of

        raise StoreError(f"Refusing to write {target}: it is {kind_of(st.st_mode)}, not a "
                         "regular file. Nothing was written.")
    if mode is None:
        mode = stat.S_IMODE(st.st_mode) if st is not None else FILE_MODE
    owner = _owner_for(st, dir_fd)
    tmp_name = temp_name or f".{name}.qwen-ls.{uuid.uuid4().hex}.tmp"
    tmp = target.parent / tmp_name
    try:
        fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600,
                     dir_fd=dir_fd)
    except OSError as exc:
        raise _write_failure(target, exc, existed=existed) from exc
    try:
        try:
            if owner is not None:
                os.fchown(fd, *owner)  # root editing a user's file keeps it theirs
            os.fchmod(fd, mode)
        except OSError as exc:  # the CLI refuses to publish creds it could not chmod
            raise StoreWriteError(
                f"Could not set the mode of {tmp}: {exc.strerror}; nothing was written."
            ) from exc
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException as exc:
        os.close(fd)
        _unlink_quietly(tmp_name, dir_fd)
        if isinstance(exc, OSError) and not isinstance(exc, StoreError):
            raise _write_failure(target, exc, existed=existed) from exc
        raise
    try:
        os.close(fd)
        if check is not None and not check():
            raise _ConcurrentChange(
                f"{target} changed on disk while qwen-ls was writing it; nothing was written."
            )
        if not _same_folder(target.parent, dir_fd):
            raise StoreError(f"Refusing to write {target}: its folder was replaced while "
                             "qwen-ls was writing. Nothing was written.")
        _failpoint("crash-before-rename")
        _rename(str(tmp), str(target))
    except BaseException as exc:
        _unlink_quietly(tmp_name, dir_fd)
        if isinstance(exc, OSError) and not isinstance(exc, StoreError):
            raise _write_failure(target, exc, existed=existed) from exc
        raise
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    return target


def _owner_for(st: os.stat_result | None, dir_fd: int) -> tuple[int, int] | None:
    """The owner a rewritten file must keep: the old file's, or the folder's for a new one.

    Only root can give a file away, and only root needs to: anyone else's new file is theirs.
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    ref = st if st is not None else os.fstat(dir_fd)
    return (ref.st_uid, ref.st_gid)


def _same_folder(folder: Path, dir_fd: int) -> bool:
    try:
        a, b = os.stat(folder), os.fstat(dir_fd)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _unlink_quietly(path: Path | str, dir_fd: int | None = None) -> None:
    try:
        os.unlink(path, dir_fd=dir_fd)
    except OSError:
        pass


def write_json_file(path: Path, data: Any, mode: int = FILE_MODE, *,
                    workspace: Path | None = None) -> Path:
    """Write ``data`` as pretty JSON (2-space indent) the way the CLI writes ``oauth_creds.json``.

    The folder is created with mode 0700, the temporary file is
    ``<name>.tmp.<pid>.<uuid>`` with ``mode``, then renamed into place.

    Parameters
    ----------
    path
        Destination file.
    data
        A JSON-serialisable value.
    mode
        File mode (0600 by default).
    workspace
        As for :func:`atomic_write_bytes`.

    Returns
    -------
    Path
        The file written.
    """
    text = json.dumps(data, indent=2, ensure_ascii=False)
    target = guard_target(path, workspace)
    return atomic_write_bytes(
        target,
        text.encode("utf-8"),
        mode=mode,
        temp_name=f"{target.name}.tmp.{os.getpid()}.{uuid.uuid4()}",
    )


def read_text(path: Path) -> str | None:
    """Read a UTF-8 text file without newline translation; ``None`` when it does not exist.

    Bounded and regular files only (:mod:`qwen_ls.safeio`): a FIFO or a device raises
    :class:`~qwen_ls.safeio.UnsafeFileError`.
    """
    from qwen_ls import safeio

    return safeio.read_text_or_none(path)


def _read_for_update(path: Path) -> str | None:
    """:func:`read_text` for a file about to be rewritten; read failures become StoreError."""
    try:
        return read_text(path)
    except UnicodeDecodeError as exc:
        raise StoreError(f"{path} is not UTF-8 text; nothing was written.") from exc
    except OSError as exc:
        if exc.errno == errno.EINVAL and str(exc).endswith("not read"):  # safeio's refusal
            raise StoreError(f"Refusing to write {exc}; nothing was written.") from exc
        reason = _ERRNO_REASONS.get(exc.errno or -1) or exc.strerror or type(exc).__name__
        raise StoreError(f"Could not read {path}: {reason}; nothing was written.") from exc


# --------------------------------------------------------------------------------------------
# settings.json
# --------------------------------------------------------------------------------------------


def _syntax_refusal(path: Path, text: str) -> str | None:
    """Return the refusal message when ``text`` cannot be edited safely, else ``None``."""
    from qwen_ls.jsonc import parse

    body = text[1:] if text.startswith(BOM) else text
    if not body.strip():
        return None
    doc = parse(body)
    for issue in doc.syntax_issues:
        if issue.code == "syntax":
            line = doc.lines.position(issue.span.start, "utf-32")[0] + 1
            return (
                f"{path} has a syntax error at line {line}: {issue.message} — fix it first; "
                "nothing was written"
            )
    if not isinstance(doc.value, dict):
        return f"{path} is not a JSON object — fix it first; nothing was written"
    return None


def _newline_style(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    return "\r\n" if crlf and not lf else "\n"


#: What a settings file qwen-ls creates starts from. ``$version: 4`` is the CLI's current
#: schema version: a file without it is migrated and rewritten on the CLI's next start (mode
#: 0644, facts §0), while an existing file never gets it from us, since stamping an old file
#: would make the CLI skip migrating its legacy keys.
NEW_SETTINGS_TEXT = '{\n  "$version": 4\n}'


def _apply_change(text: str, change: Change) -> str:
    from qwen_ls.jsonc import edits as jedits
    from qwen_ls.jsonc import parse

    path, value = change
    doc = parse(text)
    try:
        if value is DELETE:
            new_edits = jedits.remove_value(doc, path)
        elif isinstance(value, InsertAt):
            new_edits = jedits.insert_array_item(doc, path, value.value, value.index)
        else:
            new_edits = jedits.set_value(doc, path, value)
    except ValueError as exc:  # jsonc.edits.EditError
        where = ".".join(str(p) for p in path)
        raise StoreError(f"Cannot change {where}: {exc}; nothing was written") from exc
    return jedits.apply_edits(text, new_edits)


def apply_changes(text: str, changes: Sequence[Change]) -> str:
    """Apply ``changes`` to settings text and return the new text.

    BOM, line endings (CRLF stays CRLF) and a missing final newline are preserved.

    Parameters
    ----------
    text
        Current text ("" for a new file).
    changes
        ``(path, value)`` pairs applied in order; value :data:`DELETE` removes, :class:`InsertAt`
        inserts into an array, anything else sets.

    Returns
    -------
    str
        The edited text.
    """
    bom = BOM if text.startswith(BOM) else ""
    body = text[len(bom) :]
    new_file = not body.strip()
    newline = "\n" if new_file else _newline_style(body)
    current = NEW_SETTINGS_TEXT if new_file else body
    for change in changes:
        current = _apply_change(current, change)
    if newline == "\r\n":
        current = re.sub(r"(?<!\r)\n", "\r\n", current)
    if new_file:
        current = current.rstrip() + newline
    elif not re.search(r"[\r\n]$", body) and re.search(r"[\r\n]$", current):
        current = current.rstrip("\r\n")
    return bom + current


def _edits(base: str, new: str) -> list[TextEdit]:
    """``base`` → ``new`` as the edits of a :class:`WriteOutcome`: one, or none when equal.

    :func:`~qwen_ls.jsonc.edits.changed_span` is the one text diff: an open buffer gets one edit
    from the first to the last changed character, and the editor keeps the text around it as it was.
    """
    edit = changed_span(base, new)
    return [edit] if edit is not None else []


class SettingsStore:
    """Apply changes to settings files: through the editor when open, else atomically on disk.

    Parameters
    ----------
    sink
        Where edits to open documents go (the LSP server); ``None`` for the CLI.
    workspace
        The workspace folder: files inside it are never written through a link that leaves it
        (see :func:`guard_target`).
    """

    def __init__(self, sink: EditSink | None = None, workspace: Path | None = None) -> None:
        self.sink = sink
        """The editor bridge, or ``None`` when every write goes to disk."""
        self.workspace = Path(workspace) if workspace is not None else None
        """The folder whose files may not be written through links leading out of it."""

    async def check(self, path: Path) -> str | None:
        """Return why ``path`` cannot be edited (syntax error, not an object), else ``None``.

        Reads the open editor buffer when there is one, else the file on disk (a missing file is
        fine: it will be created).
        """
        path = Path(path)
        text = self.sink.open_text(path) if self.sink is not None else None
        try:
            target = guard_target(path, self.workspace)
            if text is None:
                text = _read_for_update(target) or ""
        except StoreError as exc:
            return str(exc)
        return _syntax_refusal(path, text)

    async def update(self, path: Path, changes: Sequence[Change]) -> WriteOutcome:
        """Apply ``changes`` to the settings file at ``path``.

        Parameters
        ----------
        path
            A ``settings.json`` (it and its folder are created when missing).
        changes
            ``(json_path, value)`` pairs, see :func:`apply_changes`.

        Returns
        -------
        WriteOutcome
            What was written and how.

        Raises
        ------
        StoreError
            The file does not parse (nothing written), the editor declined the edit, or the file
            kept changing on disk.
        """
        path = Path(path)
        if self.sink is not None:
            open_text = self.sink.open_text(path)
            if open_text is not None:
                return await self._update_open(path, open_text, changes)
        return self._update_disk(path, changes)

    async def _update_open(self, path: Path, base: str, changes: Sequence[Change]) -> WriteOutcome:
        assert self.sink is not None
        guard_target(path, self.workspace)  # the editor would save through the same link
        refusal = _syntax_refusal(path, base)
        if refusal:
            raise StoreError(refusal)
        new = apply_changes(base, changes)
        edits = _edits(base, new)
        if not edits:
            return WriteOutcome(path, changed=False, via_editor=True, text=base)
        if not await self.sink.apply(path, edits, base):
            raise StoreError(
                f"The editor did not apply the change to {path}; nothing was written. "
                "Save or revert the file and try again."
            )
        return WriteOutcome(path, changed=True, via_editor=True, edits=edits, text=new)

    def _update_disk(self, path: Path, changes: Sequence[Change]) -> WriteOutcome:
        target = guard_target(path, self.workspace)
        for _attempt in range(_MAX_ATTEMPTS):
            base, signature = _read_settled(target)
            created = base is None
            base_text = base or ""
            refusal = _syntax_refusal(path, base_text)
            if refusal:
                raise StoreError(refusal)
            new = apply_changes(base_text, changes)
            if new == base_text:
                return WriteOutcome(path, changed=False, text=base_text)

            def unchanged(expected: str | None = base,
                          sig: tuple[int, int, int] | None = signature) -> bool:
                # the text, and for an empty file also its inode/size/mtime (a file truncated
                # again between our read and now reads the same but is mid-save)
                try:
                    same = read_text(target) == expected
                except (OSError, UnicodeDecodeError):
                    return False
                return same and (bool((expected or "").strip()) or _signature(target) == sig)

            try:
                atomic_write_bytes(target, new.encode("utf-8"), check=unchanged,
                                   workspace=self.workspace)
            except _ConcurrentChange:
                logger.info("%s changed on disk during a write; re-applying the edit", path)
                continue
            return WriteOutcome(
                path, changed=True, created=created, edits=_edits(base_text, new), text=new,
                target=target,
            )
        raise StoreError(
            f"{path} kept changing on disk while qwen-ls tried to update it; nothing was written. "
            "Try again once other programs have finished writing it."
        )


_QUIET_SECONDS = 2.0
_SETTLE_SECONDS = 1.0


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _read_settled(target: Path) -> tuple[str | None, tuple[int, int, int] | None]:
    """Read a settings file about to be rewritten, with its ``(inode, size, mtime)``.

    An editor that saves in place truncates the file, then writes it: a read in between sees an
    empty file, and rewriting that as a new file wipes the user's settings. So an existing file
    that reads empty is edited as empty only when it has not changed for a while; one emptied in
    the last seconds is re-read for about a second, then refused.

    Raises
    ------
    StoreError
        The file stays empty and keeps being changed.
    """
    deadline = time.monotonic() + _SETTLE_SECONDS
    while True:
        text = _read_for_update(target)
        sig = _signature(target)
        if text is None or text.strip(BOM + " \t\r\n") or sig is None:
            return text, sig
        if time.time() - sig[2] / 1e9 > _QUIET_SECONDS:
            return text, sig  # empty, and untouched for a while: really an empty file
        if time.monotonic() > deadline:
            raise StoreError(
                f"{target} is empty and was changed a moment ago: another program is probably "
                "saving it. Nothing was written; try again when it has finished."
            )
        time.sleep(0.05)


def update_settings_sync(path: Path, changes: Sequence[Change]) -> WriteOutcome:
    """Apply ``changes`` to a settings file on disk (no editor); see :meth:`SettingsStore.update`.

    Parameters
    ----------
    path
        The settings file.
    changes
        ``(json_path, value)`` pairs.

    Returns
    -------
    WriteOutcome
        What was written.
    """
    return SettingsStore()._update_disk(Path(path), changes)


def replace_text(path: Path, base: str, new: str, *, workspace: Path | None = None) -> WriteOutcome:
    """Replace a settings file's whole text, atomically, if it still holds ``base``.

    For callers that computed the new text themselves (``qwen-ls check --fix`` applies the
    analysis' fix edits): the write keeps the file's mode and follows a symlink like every other.

    Parameters
    ----------
    path
        The file.
    base
        The text the new one was computed from.
    new
        The complete new text.
    workspace
        The workspace folder: a file inside it is never written through a link out of it.

    Returns
    -------
    WriteOutcome
        What was written.

    Raises
    ------
    StoreError
        The file changed since ``base`` was read (nothing written), a link leads out of the
        workspace, or the write failed.
    """
    path = Path(path)
    if new == base:
        return WriteOutcome(path, changed=False, text=base)
    target = guard_target(path, workspace)

    def unchanged() -> bool:
        try:
            return read_text(target) == base
        except (OSError, UnicodeDecodeError):
            return False

    if not unchanged():
        raise StoreError(
            f"{path} changed on disk while qwen-ls was fixing it; nothing was written."
        )
    atomic_write_bytes(target, new.encode("utf-8"), check=unchanged, workspace=workspace)
    return WriteOutcome(path, changed=True, edits=_edits(base, new), text=new, target=target)


# --------------------------------------------------------------------------------------------
# .env files
# --------------------------------------------------------------------------------------------

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BARE_VALUE = re.compile(r"^[A-Za-z0-9_\-.:/+@%,=]*$")
_UNSAFE_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

SHELL_SENSITIVE_NAMES = frozenset({
    "BASH_ENV", "ENV", "PROMPT_COMMAND", "PS0", "PS1", "PS2", "PS3", "PS4", "IFS", "PATH",
    "SHELLOPTS", "BASHOPTS", "CDPATH", "GLOBIGNORE", "HOME", "SHELL", "ZDOTDIR",
    "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "DYLD_INSERT_LIBRARIES", "DYLD_LIBRARY_PATH",
    "NODE_OPTIONS", "NODE_PATH", "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME", "PERL5OPT",
    "PERL5LIB", "RUBYOPT", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXEC_PATH", "EDITOR", "VISUAL",
    "PAGER", "BROWSER",
})
"""Names a ``.env`` written by qwen-ls never sets: sourced by a shell (``set -a; . .env``) or
loaded by a program, they make it run something (``PROMPT_COMMAND``, ``PS1``, ``LD_PRELOAD``...)."""


def check_env_name(name: str) -> None:
    """Refuse a variable name that a shell cannot assign or that changes what programs run.

    Raises
    ------
    ValueError
        With the reason, for the user.
    """
    if not _ENV_NAME.match(name):
        raise ValueError(f"{name[:64]!r} is not a valid environment variable name (letters, "
                         "digits and _ only); not written.")
    if name.upper() in SHELL_SENSITIVE_NAMES or name.upper().startswith(("BASH_FUNC_", "LD_")):
        raise ValueError(f"{name} changes what a shell or program runs; qwen-ls does not write it "
                         "to a .env file.")


def quote_env_value(value: str) -> str:
    r"""Return ``value`` written so that every reader takes it literally and nothing runs.

    The readers are python-dotenv (with or without interpolation), the CLI's npm ``dotenv`` and a
    shell that sources the file (``set -a; . .qwen/.env``). A bare value is used when it holds only
    characters that mean nothing to any of them; anything else is single-quoted, which all three
    read literally (no ``$(...)``, backtick or ``$VAR`` expansion in a shell) as long as the value
    holds no single quote, no backslash (python-dotenv unescapes ``\'`` inside single quotes) and
    no ``${`` (python-dotenv's default interpolation). Such values are refused, saying why.

    Parameters
    ----------
    value
        The value.

    Returns
    -------
    str
        The bare or single-quoted value.

    Raises
    ------
    ValueError
        The value cannot be represented safely (the message says which character).
    """
    if _UNSAFE_CHARS.search(value):
        raise ValueError("The value contains a line break or control character; not written.")
    if _BARE_VALUE.match(value):
        return value
    for bad, why in (("'", "a single quote"), ("\\", "a backslash"), ("${", "'${'")):
        if bad in value:
            raise ValueError(f"The value contains {why}, which a shell or python-dotenv would "
                             "not read literally; add it to the .env file by hand.")
    return f"'{value}'"


def _assignment_re(name: str) -> re.Pattern[str]:
    return re.compile(rf"^(?P<indent>[ \t]*)(?P<export>export[ \t]+)?{re.escape(name)}[ \t]*=")


def write_env_var(path: Path, name: str, value: str, *, workspace: Path | None = None) -> Path:
    """Create or update ``name=value`` in a ``.env`` file, atomically, with mode 0600.

    Other lines and comments are kept. An existing assignment is replaced in place (every one of
    them, so no older duplicate can win); otherwise the line is appended.

    Parameters
    ----------
    path
        The ``.env`` file (its folder is created with 0700 when missing).
    name
        Variable name.
    value
        Secret value; never logged.
    workspace
        The workspace folder (a ``.env`` inside it is never written through a link out of it).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ValueError
        The name or the value cannot be written safely (see :func:`quote_env_value`).
    StoreError
        A link leads outside the workspace, or the write failed.
    """
    check_env_name(name)
    line_value = quote_env_value(value)
    target = guard_target(path, workspace)
    pattern = _assignment_re(name)
    for _attempt in range(_MAX_ATTEMPTS):
        base = _read_for_update(target)
        bom = BOM if base and base.startswith(BOM) else ""
        text = (base or "")[len(bom) :]
        newline = _newline_style(text) if text else "\n"
        lines = text.splitlines(keepends=True)
        found = False
        for i, line in enumerate(lines):
            m = pattern.match(line)
            if not m:
                continue
            ending = line[len(line.rstrip("\r\n")) :]
            lines[i] = f"{m.group('indent')}{m.group('export') or ''}{name}={line_value}{ending}"
            found = True
        if not found:
            if lines and not lines[-1].endswith(("\n", "\r")):
                lines[-1] += newline
            lines.append(f"{name}={line_value}{newline}")
        new = bom + "".join(lines)
        # A .env with a secret must not be group/world readable, not even for an instant.
        mode = FILE_MODE if base is None else _private_mode(target)
        try:
            return atomic_write_bytes(target, new.encode("utf-8"), mode=mode,
                                      check=_unchanged_check(target, base), workspace=workspace)
        except _ConcurrentChange:
            logger.info("%s changed on disk during a write; re-applying the edit", path)
            continue
    raise StoreError(f"{path} kept changing on disk while qwen-ls tried to update it; nothing was "
                     "written. Try again once other programs have finished writing it.")


def _private_mode(path: Path) -> int:
    """Return the mode of ``path`` without any group/other bits (0600 when it cannot be read)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode) & 0o700 or FILE_MODE
    except OSError:
        return FILE_MODE


def _unchanged_check(path: Path, expected: str | None) -> Callable[[], bool]:
    def check() -> bool:
        try:
            return read_text(path) == expected
        except (OSError, UnicodeDecodeError):
            return False

    return check


def remove_env_var(path: Path, name: str, *, workspace: Path | None = None) -> bool:
    """Remove every assignment of ``name`` from a ``.env`` file; ``True`` when one was removed."""
    target = guard_target(path, workspace)
    pattern = _assignment_re(name)
    for _attempt in range(_MAX_ATTEMPTS):
        base = _read_for_update(target)
        if base is None:
            return False
        bom = BOM if base.startswith(BOM) else ""
        lines = base[len(bom) :].splitlines(keepends=True)
        kept = [line for line in lines if not pattern.match(line)]
        if len(kept) == len(lines):
            return False
        try:
            atomic_write_bytes(target, (bom + "".join(kept)).encode("utf-8"),
                               check=_unchanged_check(target, base), workspace=workspace)
        except _ConcurrentChange:
            continue
        return True
    raise StoreError(f"{path} kept changing on disk while qwen-ls tried to update it; nothing was "
                     "written. Try again once other programs have finished writing it.")


@dataclass(frozen=True, slots=True)
class FileBackup:
    """A file's bytes and mode before a multi-file operation, to undo it (see :func:`restore`).

    Not the server's ``documents.Snapshot`` (the analysis of one document version): one name,
    one thing.
    """

    path: Path
    data: bytes | None
    """``None`` when the file did not exist."""
    mode: int | None
    missing_dirs: tuple[Path, ...] = ()
    """Folders above the file that did not exist yet (deepest first)."""


def backup(path: Path, *, workspace: Path | None = None) -> FileBackup:
    """Record the current content and mode of ``path`` (the symlink target) for :func:`restore`.

    ``workspace`` as for :func:`guard_target`: a link out of the workspace is refused here,
    before the multi-file operation writes anything.
    """
    from qwen_ls import safeio

    target = guard_target(path, workspace)
    missing: list[Path] = []
    folder = target.parent
    while not os.path.lexists(folder) and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    try:
        return FileBackup(target, safeio.read_bytes(target), stat.S_IMODE(os.stat(target).st_mode))
    except (FileNotFoundError, NotADirectoryError):
        return FileBackup(target, None, None, tuple(missing))
    except OSError as exc:
        raise StoreError(f"Could not read {target}: {exc.strerror}; nothing was written.") from exc


def restore(snap: FileBackup) -> None:
    """Put a file back as :func:`backup` found it (delete it, and folders created for it).

    Raises
    ------
    StoreError
        When the file could not be restored.
    """
    if snap.data is not None:
        atomic_write_bytes(snap.path, snap.data, mode=snap.mode)
        return
    try:
        os.unlink(snap.path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise _write_failure(snap.path, exc, existed=True) from exc
    for folder in snap.missing_dirs:
        try:
            folder.rmdir()  # only when empty: never removes anything else
        except OSError:
            break


def _git_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


def _ignore_spec(path: Path) -> Any:
    """The ``.gitignore``-style rules in ``path`` (bounded read), or ``None`` when missing."""
    import pathspec

    from qwen_ls import safeio

    try:
        text = safeio.read_text(path, limit=1_000_000, errors="replace")
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(text.splitlines())


def _is_ignored(folder: Path, rel: str) -> bool:
    """Tell whether git would ignore ``folder/rel``, reading the ignore files with pathspec.

    No ``git`` program is run: a repository can put its own ``git`` on a relative ``PATH`` entry,
    and its config can run programs (``core.fsmonitor``). The rules read are those of git
    without an index: ``.git/info/exclude`` and each ``.gitignore`` from the repository root down
    to the file's folder, a deeper file overriding a higher one; the user's global excludes file
    is not consulted (the worst case is one redundant ``.gitignore`` line).
    """
    root = _git_root(folder)
    if root is None:
        return False
    full = Path(os.path.abspath(folder / rel))
    try:
        rel_root = full.relative_to(root)
    except ValueError:
        return False
    sources: list[tuple[Path, Path]] = [(root / ".git" / "info" / "exclude", root)]
    current = root
    sources.append((root / ".gitignore", root))
    for part in rel_root.parts[:-1]:
        current = current / part
        sources.append((current / ".gitignore", current))
    ignored = False
    for file, base in sources:
        spec = _ignore_spec(file)
        if spec is None:
            continue
        verdict = spec.check_file(full.relative_to(base).as_posix()).include
        if verdict is not None:
            ignored = verdict
    return ignored


def ensure_gitignored(folder: Path, rel: str = ".qwen/.env") -> Path | None:
    """Add ``rel`` to ``<folder>/.gitignore`` when ``folder`` is in a git repo that would track it.

    Parameters
    ----------
    folder
        The workspace folder.
    rel
        Path relative to ``folder`` that must stay out of version control.

    Returns
    -------
    Path | None
        The ``.gitignore`` written, or ``None`` when nothing was needed.
    """
    folder = Path(folder)
    if _git_root(folder) is None or _is_ignored(folder, rel):
        return None
    gitignore = folder / ".gitignore"
    target = guard_target(gitignore, folder)
    text = _read_for_update(target) or ""
    newline = _newline_style(text) if text else "\n"
    if text and not text.endswith(("\n", "\r")):
        text += newline
    text += f"/{rel}{newline}"
    mode = None if os.path.exists(target) else 0o644
    return atomic_write_bytes(target, text.encode("utf-8"), mode=mode, workspace=folder)
