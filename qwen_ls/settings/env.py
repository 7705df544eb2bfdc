"""Environment variable resolution as Qwen Code 0.24.4 performs it at startup.

Mirrors ``packages/cli/src/config/environment.ts`` (facts §3). Sources, in order, each setting a
key only when it is absent or empty in what came before:

1. the shell environment the CLI inherits;
2. the nearest project ``.env`` (walking up from ``realpath(workspace)``, stopping at the home
   directory; ``<dir>/.qwen/.env`` before ``<dir>/.env``; only the first file found; only for a
   trusted workspace that is not the home directory);
3. ``<QWEN_HOME>/.env``, then ``~/.qwen/.env`` when ``QWEN_HOME`` is custom, then ``~/.env``;
4. the merged ``settings.env``.

Loader-affecting keys never come from a file or ``settings.env``; hard-coded project exclusions
never come from a project ``.env`` or ``settings.env``; ``advanced.excludedEnvVars`` applies only
to project ``.env`` files outside a ``.qwen`` folder; non-string ``settings.env`` values are
ignored. Diagnostics, hover and completion use :class:`EnvResolution` to say where a variable
comes from; values never appear in any ``repr`` or ``str``.
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dotenv import dotenv_values
from dotenv.parser import parse_stream

from qwen_ls.secrets import mask
from qwen_ls.settings.known import (
    DEFAULT_EXCLUDED_ENV_VARS,
    is_loader_env_key,
    is_project_excluded_env_key,
)
from qwen_ls.settings.scopes import QWEN_DIR, SCOPES, Layer, home_dir, qwen_home

logger = logging.getLogger(__name__)

#: ``.env`` files larger than this are skipped (no real env file is this big).
MAX_ENV_FILE_BYTES = 1_000_000

KINDS = ("shell", "project-env", "qwen-home-env", "home-env", "settings-env")


def display_path(path: Path, environ: Mapping[str, str]) -> str:
    """Show ``path`` with the home directory abbreviated to ``~``."""
    home = home_dir(environ)
    if home is not None:
        try:
            rel = Path(path).relative_to(home)
        except ValueError:
            pass
        else:
            return "~" if str(rel) == "." else f"~/{rel.as_posix()}"
    return str(path)


def brief_list(labels: Sequence[str], head: int = 3, tail: int = 2) -> str:
    """Join labels for a one-line message: the nearest ``head``, "… N more", the last ``tail``.

    A project nested deep below HOME makes the CLI look in two files per folder up to HOME; a
    message naming every one of them is unreadable. The full list goes to the related
    information of a diagnostic (or the hover) instead.
    """
    if len(labels) <= head + tail + 1:
        return ", ".join(labels)
    hidden = len(labels) - head - tail
    return ", ".join([*labels[:head], f"… {hidden} more", *labels[len(labels) - tail :]])


@dataclass(frozen=True, repr=False)
class EnvSource:
    """One definition of an environment variable.

    Attributes
    ----------
    kind
        ``shell``, ``project-env``, ``qwen-home-env``, ``home-env`` or ``settings-env``.
    name
        The variable name.
    value
        The value (a secret, possibly): never shown by ``repr``/``str``.
    path
        The file that defines it (``None`` for the shell).
    line
        1-based line in ``path`` when known.
    label
        Human label: ``~/.qwen/.env:3``, ``shell environment``,
        ``settings.env (user: ~/.qwen/settings.json)``.
    """

    kind: str
    name: str
    value: str = field(compare=False)
    path: Path | None
    line: int | None
    label: str

    def __repr__(self) -> str:
        return (
            f"EnvSource(kind={self.kind!r}, name={self.name!r}, value={mask(self.value)!r}, "
            f"label={self.label!r})"
        )

    __str__ = __repr__


@dataclass(frozen=True)
class IgnoredEnv:
    """A key present in a source but dropped by the CLI.

    Attributes
    ----------
    kind, name, path, line, label
        As in :class:`EnvSource`.
    reason
        ``loader`` (loader-affecting key), ``project-excluded`` (hard-coded exclusion),
        ``excluded-env-vars`` (``advanced.excludedEnvVars``) or ``non-string``.
    message
        A sentence for a diagnostic.
    """

    kind: str
    name: str
    path: Path | None
    line: int | None
    label: str
    reason: str
    message: str


@dataclass
class EnvResolution:
    """Every environment source the CLI would see, in its order.

    Attributes
    ----------
    sources
        Accepted definitions in CLI order (shell first).
    searched
        Human labels of every source searched, in order (missing files marked ``(not found)``).
    files
        Every ``.env`` path that matters, existing or not (for file watching).
    ignored
        Keys dropped from a source, with the reason.
    notes
        Files skipped as unreadable, binary or huge.
    """

    sources: list[EnvSource] = field(default_factory=list)
    searched: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    ignored: list[IgnoredEnv] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _by_name: dict[str, list[EnvSource]] = field(default_factory=dict, repr=False)

    def _add(self, source: EnvSource) -> None:
        self.sources.append(source)
        self._by_name.setdefault(source.name, []).append(source)

    def all_sources(self, name: str) -> list[EnvSource]:
        """Return every source that defines ``name``, in CLI order."""
        return list(self._by_name.get(name, ()))

    def lookup(self, name: str) -> EnvSource | None:
        """Return the source whose value the CLI ends up with, or ``None``.

        A later source only fills a key that is absent or empty, so this is the first source
        with a non-empty value; when every value is empty, the last one (its value is ``""``).
        """
        found = self._by_name.get(name)
        if not found:
            return None
        for source in found:
            if source.value != "":
                return source
        return found[-1]

    def value(self, name: str) -> str | None:
        """Return the effective value of ``name`` (``None`` when no source defines it)."""
        source = self.lookup(name)
        return None if source is None else source.value

    def names(self) -> dict[str, EnvSource]:
        """Return every visible variable with its effective source."""
        return {name: src for name in self._by_name if (src := self.lookup(name)) is not None}

    def __repr__(self) -> str:
        return (
            f"EnvResolution({len(self.sources)} definitions, searched={self.searched!r}, "
            f"ignored={len(self.ignored)})"
        )


# --------------------------------------------------------------------------------------------
# .env files
# --------------------------------------------------------------------------------------------


def read_env_file(path: Path) -> tuple[dict[str, tuple[str, int | None]] | None, str | None]:
    """Read a ``.env`` file with python-dotenv, without interpolation (as npm ``dotenv``).

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    tuple
        ``(entries, note)``: ``entries`` maps name → (value, 1-based line of the last
        definition), or is ``None`` when the file is missing or was skipped; ``note`` says why
        a file that exists was skipped.
    """
    from qwen_ls import safeio

    try:
        data = safeio.read_bytes(path, limit=MAX_ENV_FILE_BYTES)
    except (FileNotFoundError, NotADirectoryError):
        return None, None
    except safeio.UnsafeFileError as exc:
        if stat.S_ISDIR(_mode(path)):
            return None, None  # a folder named .env is not a .env file (the CLI skips it too)
        return None, f"skipped {exc}"
    except OSError as exc:
        return None, f"{path}: unreadable ({exc.strerror or type(exc).__name__})"
    if b"\0" in data:
        return None, f"{path}: skipped, binary content"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, f"{path}: skipped, not UTF-8 text"
    try:
        values = dotenv_values(stream=io.StringIO(text), interpolate=False)
        lines: dict[str, int] = {}
        for binding in parse_stream(io.StringIO(text)):
            if binding.key is not None:
                lines[binding.key] = binding.original.line
    except Exception as exc:  # noqa: BLE001 - a parser bug must not break resolution
        return None, f"{path}: could not be parsed ({type(exc).__name__})"
    # A line without "=" gives None; npm dotenv ignores such lines.
    entries = {k: (v, lines.get(k)) for k, v in values.items() if v is not None}
    return entries, None


def _mode(path: Path) -> int:
    try:
        return os.stat(path).st_mode
    except OSError:
        return 0


def _walk_project_dirs(start: Path, home: Path | None) -> list[Path]:
    """Directories from ``start`` upwards, stopping before the home directory."""
    dirs: list[Path] = []
    current = start
    home_real = os.path.realpath(home) if home is not None else None
    while True:
        if home_real is not None and os.path.realpath(current) == home_real:
            break
        dirs.append(current)
        parent = current.parent
        if parent == current:
            break
        current = parent
    return dirs


# --------------------------------------------------------------------------------------------
# Resolution
# --------------------------------------------------------------------------------------------


def _excluded_from_settings(merged_settings: Mapping[str, Any] | None) -> list[str]:
    advanced = (merged_settings or {}).get("advanced")
    if isinstance(advanced, Mapping) and isinstance(advanced.get("excludedEnvVars"), list):
        return [v for v in advanced["excludedEnvVars"] if isinstance(v, str)]
    return list(DEFAULT_EXCLUDED_ENV_VARS)


def _key_line(text: str, name: str) -> int | None:
    """1-based line of the ``"name":`` member in a settings text (best effort)."""
    match = re.search(r'"' + re.escape(name) + r'"\s*:', text)
    if match is None:
        return None
    return text.count("\n", 0, match.start()) + 1


def _apply_file(
    res: EnvResolution,
    path: Path,
    kind: str,
    environ: Mapping[str, str],
    *,
    project: bool,
    excluded: Sequence[str],
) -> bool:
    """Read one ``.env`` candidate into ``res``; return whether the file exists."""
    shown = display_path(path, environ)
    res.files.append(path)
    entries, note = read_env_file(path)
    if note:
        res.notes.append(note)
        res.searched.append(f"{shown} (skipped)")
        return True
    if entries is None:
        res.searched.append(f"{shown} (not found)")
        return False
    res.searched.append(shown)
    apply_excluded = project and path.parent.name != QWEN_DIR
    for name, (value, line) in entries.items():
        label = f"{shown}:{line}" if line else shown
        reason = message = None
        if is_loader_env_key(name):
            reason = "loader"
            message = f"{name} is loader-affecting; Qwen Code ignores it in .env files"
        elif project and is_project_excluded_env_key(name):
            reason = "project-excluded"
            message = f"{name} is never read from a project .env file"
        elif apply_excluded and name in excluded:
            reason = "excluded-env-vars"
            message = f"{name} is listed in advanced.excludedEnvVars, so this project .env skips it"
        if reason:
            res.ignored.append(IgnoredEnv(kind, name, path, line, label, reason, message or ""))
            continue
        res._add(EnvSource(kind, name, value, path, line, label))
    return True


def _settings_env_origin(
    name: str, layers: Sequence[Layer] | None, environ: Mapping[str, str]
) -> tuple[str, Path | None, int | None]:
    """Which layer's ``env`` provides ``name`` after the merge (highest precedence wins)."""
    for layer in sorted(layers or (), key=lambda ly: SCOPES.index(ly.scope), reverse=True):
        env = layer.value.get("env") if isinstance(layer.value, dict) else None
        if isinstance(env, dict) and name in env:
            label = f"settings.env ({layer.scope}: {display_path(layer.path, environ)})"
            return label, layer.path, _key_line(layer.text, name)
    return "settings.env", None, None


def resolve_env(
    workspace: Path | None,
    environ: Mapping[str, str],
    merged_settings: Mapping[str, Any] | None,
    trusted: bool = True,
    excluded: Sequence[str] | None = None,
    *,
    layers: Sequence[Layer] | None = None,
) -> EnvResolution:
    """Resolve every environment source the CLI would load, in its order.

    Parameters
    ----------
    workspace
        The folder qwen starts in, or ``None`` (no project ``.env`` then).
    environ
        The shell environment (also gives ``HOME`` and ``QWEN_HOME``).
    merged_settings
        The merged settings (for ``env`` and ``advanced.excludedEnvVars``).
    trusted
        Whether the workspace is trusted; project ``.env`` files are read only then.
    excluded
        Overrides ``advanced.excludedEnvVars`` (default ``DEBUG``, ``DEBUG_MODE``).
    layers
        The loaded settings layers, used only to label ``settings.env`` entries with the scope
        file that defines them.

    Returns
    -------
    EnvResolution
        Sources, searched labels, files to watch and ignored keys. Never raises on bad files.
    """
    res = EnvResolution()
    excluded_list = (
        list(excluded) if excluded is not None else _excluded_from_settings(merged_settings)
    )

    # 1. Shell.
    res.searched.append("shell environment")
    for name, value in environ.items():
        res._add(EnvSource("shell", name, value, None, None, "shell environment"))

    home = home_dir(environ)
    seen: set[str] = set()

    # 2. Nearest project .env.
    if workspace is not None:
        start = Path(os.path.realpath(workspace))
        is_home = home is not None and os.path.realpath(home) == str(start)
        if not is_home and not trusted:
            res.searched.append("project .env files (skipped: workspace not trusted)")
        elif not is_home:
            for directory in _walk_project_dirs(start, home):
                found = False
                for candidate in (directory / QWEN_DIR / ".env", directory / ".env"):
                    seen.add(os.path.realpath(candidate))
                    if _apply_file(
                        res,
                        candidate,
                        "project-env",
                        environ,
                        project=True,
                        excluded=excluded_list,
                    ):
                        found = True
                        break
                if found:
                    break

    # 3. Home candidates.
    qhome = qwen_home(environ)
    candidates: list[tuple[Path, str]] = [(qhome / ".env", "qwen-home-env")]
    if home is not None:
        default_qhome = home / QWEN_DIR
        if os.path.realpath(qhome) != os.path.realpath(default_qhome):
            candidates.append((default_qhome / ".env", "qwen-home-env"))
        candidates.append((home / ".env", "home-env"))
    for path, kind in candidates:
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        _apply_file(res, path, kind, environ, project=False, excluded=())

    # 4. settings.env.
    env = (merged_settings or {}).get("env")
    res.searched.append("settings.env")
    if isinstance(env, Mapping):
        for name, value in env.items():
            label, path, line = _settings_env_origin(name, layers, environ)
            reason = message = None
            if not isinstance(value, str):
                reason = "non-string"
                message = f"settings.env.{name} is not a string; Qwen Code ignores it"
            elif is_loader_env_key(name):
                reason = "loader"
                message = f"{name} is loader-affecting; Qwen Code ignores it in settings.env"
            elif is_project_excluded_env_key(name):
                reason = "project-excluded"
                message = f"{name} cannot be set from settings.env; export it in the shell instead"
            if reason:
                res.ignored.append(
                    IgnoredEnv("settings-env", name, path, line, label, reason, message or "")
                )
                continue
            res._add(EnvSource("settings-env", name, value, path, line, label))
    return res
