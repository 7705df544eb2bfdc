"""Settings scopes: where each settings file lives, how the CLI reads it, and how scopes merge.

Mirrors ``packages/cli/src/config/settings.ts`` of Qwen Code 0.24.4 (facts §1.1, §2): the four
scopes (system defaults < user < workspace < system), their paths from the environment, the
lenient reader (BOM and comments stripped, then strict JSON) and ``customDeepMerge`` with its
per-path strategies. Everything takes ``environ`` explicitly so tests never read the real home.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qwen_ls.settings.known import CONCAT, SHALLOW_MERGE, UNION, WORKSPACE_RESTRICTED_KEYS

#: Scope names, lowest precedence first (the CLI's merge order).
SCOPES: tuple[str, ...] = ("system-defaults", "user", "workspace", "system")

SETTINGS_FILE = "settings.json"
QWEN_DIR = ".qwen"

#: Default system settings paths per platform (``sys.platform`` prefix → path).
SYSTEM_SETTINGS_DEFAULTS: Mapping[str, str] = {
    "linux": "/etc/qwen-code/settings.json",
    "darwin": "/Library/Application Support/QwenCode/settings.json",
    "win32": "C:\\ProgramData\\qwen-code\\settings.json",
}


def home_dir(environ: Mapping[str, str]) -> Path | None:
    """Return the home directory named by ``environ`` (``HOME``, else ``USERPROFILE``)."""
    home = environ.get("HOME") or environ.get("USERPROFILE")
    return Path(home) if home else None


def qwen_home(environ: Mapping[str, str], cwd: Path | None = None) -> Path:
    """Return the Qwen home directory (``QWEN_HOME`` or ``~/.qwen``).

    Parameters
    ----------
    environ
        The environment to read ``QWEN_HOME`` and ``HOME`` from.
    cwd
        Base for a relative ``QWEN_HOME`` (the CLI uses its working directory); defaults to the
        process's working directory.

    Returns
    -------
    Path
        An absolute path. ``~`` in ``QWEN_HOME`` expands to ``HOME`` from ``environ``; without
        ``HOME`` the default is ``<tmpdir>/.qwen`` as in the CLI.
    """
    home = home_dir(environ)
    raw = (environ.get("QWEN_HOME") or "").strip()
    if raw:
        if raw == "~" or raw.startswith(("~/", "~\\")):
            base = home if home is not None else Path(tempfile.gettempdir())
            path = base / raw[2:] if len(raw) > 1 else base
        else:
            path = Path(raw)
        if not path.is_absolute():
            path = (cwd or Path.cwd()) / path
        return Path(os.path.normpath(path))
    if home is None:
        return Path(tempfile.gettempdir()) / QWEN_DIR
    return home / QWEN_DIR


def _system_settings_path(environ: Mapping[str, str], platform: str) -> Path:
    override = environ.get("QWEN_CODE_SYSTEM_SETTINGS_PATH")
    if override:
        return Path(override)
    for prefix, path in SYSTEM_SETTINGS_DEFAULTS.items():
        if platform.startswith(prefix):
            return Path(path)
    return Path(SYSTEM_SETTINGS_DEFAULTS["linux"])


def same_path(a: Path | str, b: Path | str) -> bool:
    """Tell whether ``a`` and ``b`` name the same file once symlinks and ``..`` are resolved.

    The one answer to "is this the file of that scope": scopes, the open documents, definition,
    rename and the analysis context all ask it, and must agree, or a file is the user scope in
    one place and a stranger in another. Equal paths are the same without touching the disk.
    ``os.path.realpath`` rather than ``Path.resolve``: on Python 3.11 ``resolve`` raises
    ``RuntimeError`` on a symlink loop (a hostile workspace can hold one), ``realpath`` leaves the
    loop unresolved. A path that cannot be resolved at all (a NUL byte) compares by its
    normalised text. Case follows the platform's ``Path`` equality (folded on Windows only).
    """
    a, b = Path(a), Path(b)
    if a == b:
        return True
    try:
        return Path(os.path.realpath(a)) == Path(os.path.realpath(b))
    except (OSError, ValueError):
        return Path(os.path.normpath(a)) == Path(os.path.normpath(b))


def project_folder(folder: Path | None, environ: Mapping[str, str]) -> Path | None:
    """Return ``folder`` when it can be a workspace (project) folder, else ``None``.

    The home directory is never one (the CLI skips the workspace scope there), and neither is the
    Qwen home itself (``~/.qwen`` or ``QWEN_HOME``): an editor opened on ``~/.qwen`` edits the
    user file, and ``~/.qwen/.qwen/.env`` is nothing the CLI reads.

    Parameters
    ----------
    folder
        A candidate folder: an editor's workspace root, or the folder above ``.qwen/``.
    environ
        Environment for ``HOME`` and ``QWEN_HOME``.

    Returns
    -------
    Path | None
        ``folder``, or ``None``.
    """
    if folder is None:
        return None
    home = home_dir(environ)
    not_projects = [qwen_home(environ)]
    if home is not None:
        not_projects += [home, home / QWEN_DIR]
    if any(same_path(folder, p) for p in not_projects):
        return None
    return folder


def secret_env_file(settings_file: Path, environ: Mapping[str, str]) -> tuple[Path, Path | None]:
    """Where a key moved out of ``settings_file`` goes, and the project it belongs to.

    A workspace file ``<project>/.qwen/settings.json`` gets ``<project>/.qwen/.env`` (which the
    CLI reads first); any other file, the user file in particular, gets ``<QWEN_HOME>/.env``.

    Returns
    -------
    tuple[Path, Path | None]
        The ``.env`` file and the project folder (``None`` outside a project), for
        ``.gitignore``.
    """
    workspace = settings_file.parent.parent if settings_file.parent.name == QWEN_DIR else None
    workspace = project_folder(workspace, environ)
    if workspace is not None:
        return workspace / QWEN_DIR / ".env", workspace
    return qwen_home(environ) / ".env", None


def settings_paths(
    workspace: Path | None, environ: Mapping[str, str], platform: str | None = None
) -> dict[str, Path | None]:
    """Return the settings file of every scope.

    Parameters
    ----------
    workspace
        The folder qwen is started in (not the git root), or ``None``.
    environ
        Environment for ``QWEN_HOME``, ``HOME`` and the system path overrides.
    platform
        ``sys.platform`` value for the system defaults; the running platform when omitted.

    Returns
    -------
    dict[str, Path | None]
        ``{"system-defaults", "user", "workspace", "system"}`` → path. ``workspace`` is ``None``
        when there is no workspace or it is the home directory (the CLI skips it there).
    """
    system = _system_settings_path(environ, platform or sys.platform)
    defaults_override = environ.get("QWEN_CODE_SYSTEM_DEFAULTS_PATH")
    system_defaults = (
        Path(defaults_override) if defaults_override else system.parent / "system-defaults.json"
    )
    home = home_dir(environ)
    ws: Path | None = None
    if workspace is not None and not (home is not None and same_path(workspace, home)):
        ws = Path(workspace) / QWEN_DIR / SETTINGS_FILE
    return {
        "system-defaults": system_defaults,
        "user": qwen_home(environ) / SETTINGS_FILE,
        "workspace": ws,
        "system": system,
    }


def scope_of(path: Path, workspace: Path | None, environ: Mapping[str, str]) -> str | None:
    """Return the scope whose settings file is ``path``, or ``None`` for other files.

    Parameters
    ----------
    path
        A file path (symlinks and ``..`` are resolved before comparing).
    workspace
        The workspace folder, or ``None``.
    environ
        Environment as for :func:`settings_paths`.

    Returns
    -------
    str | None
        One of :data:`SCOPES`. When two scopes share a file, the higher-precedence one wins.
    """
    paths = settings_paths(workspace, environ)
    for scope in reversed(SCOPES):
        candidate = paths.get(scope)
        if candidate is not None and same_path(Path(path), candidate):
            return scope
    return None


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def parse_settings_text(text: str) -> Any:
    """Parse settings text the way the CLI reads it; ``None`` when it would not parse.

    Strips a UTF-8 BOM and comments, then applies strict :func:`json.loads`. Never raises.

    Parameters
    ----------
    text
        The file's text.

    Returns
    -------
    Any
        The parsed value, or ``None`` for unreadable text.
    """
    # The JSONC layer does the same (BOM, comments, strict JSON.parse semantics) at C speed;
    from qwen_ls import jsonc

    doc = jsonc.parse(text)
    return doc.value if doc.cli_readable else None


@dataclass(frozen=True)
class Layer:
    """One scope's settings file as read.

    Attributes
    ----------
    scope
        One of :data:`SCOPES`.
    path
        The file path.
    text
        The file's text, or the open editor buffer's text.
    value
        The parsed root object; ``None`` when the text does not parse or its root is not an
        object (the CLI refuses such a file).
    """

    scope: str
    path: Path
    text: str = field(repr=False)
    value: dict[str, Any] | None = field(repr=False)
    problem: str | None = None
    """Why the file on disk was not read (a FIFO, a device, above the size limit...), else None."""


MAX_DEPTH = 64
"""Containers nested deeper than this in another scope's file are cut (see :func:`bound_depth`)."""


def bound_depth(value: Any, max_depth: int = MAX_DEPTH, *, copy: bool = False) -> Any:
    """Return a copy of ``value`` whose containers below ``max_depth`` levels are emptied.

    No setting of the CLI nests more than a dozen levels, but a hostile file can nest 100 000
    (the merge, ``auth status`` and ``model list`` would hit Python's recursion limit). The copy
    is built without recursion; a cut container keeps its type (``{}`` / ``[]``), so type checks
    still see an object or an array. The analysis of the open document reads its own full value.
    With ``copy`` the result is always a fresh copy (the merge's deep copy, without recursion).
    """
    if not isinstance(value, dict | list) or (not copy and _depth_within(value, max_depth)):
        return value
    root: Any = {} if isinstance(value, dict) else []
    stack: list[tuple[Any, Any, int]] = [(value, root, 1)]
    while stack:
        src, dst, depth = stack.pop()
        items = src.items() if isinstance(src, dict) else enumerate(src)
        for key, child in items:
            if isinstance(child, dict | list):
                copy_ = {} if isinstance(child, dict) else []
                if depth < max_depth:
                    stack.append((child, copy_, depth + 1))
                child = copy_
            if isinstance(dst, dict):
                dst[key] = child
            else:
                dst.append(child)
    return root


def _depth_within(value: Any, max_depth: int) -> bool:
    """Tell, without recursion, whether ``value`` nests at most ``max_depth`` containers."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            return False
        children = node.values() if isinstance(node, dict) else node
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return True


def _read_text(path: Path) -> tuple[str | None, str | None]:
    """Return ``(text, problem)``: the text of a readable file, or why it was refused."""
    from qwen_ls import safeio

    try:
        return safeio.read_text(path, errors="replace"), None
    except safeio.UnsafeFileError as exc:
        return None, str(exc)
    except (FileNotFoundError, NotADirectoryError):
        return None, None
    except OSError as exc:
        return None, f"{path}: unreadable ({exc.strerror or type(exc).__name__})"


def load_layers(
    workspace: Path | None,
    environ: Mapping[str, str],
    open_texts: Mapping[Path, str] | None = None,
) -> list[Layer]:
    """Read every existing settings file, lowest precedence first.

    Parameters
    ----------
    workspace
        The workspace folder, or ``None``.
    environ
        Environment as for :func:`settings_paths`.
    open_texts
        Texts of files open in the editor, keyed by path; they take the place of the disk
        contents (and count as existing).

    Returns
    -------
    list[Layer]
        One layer per scope whose file exists or is open. Never raises.
    """
    open_by_real: dict[str, str] = {}
    for p, t in (open_texts or {}).items():
        try:
            open_by_real[os.path.realpath(p)] = t
        except (OSError, ValueError):
            continue
    layers: list[Layer] = []
    for scope, path in settings_paths(workspace, environ).items():
        if path is None:
            continue
        try:
            text = open_by_real.get(os.path.realpath(path))
        except (OSError, ValueError):
            text = None
        problem = None
        if text is None:
            text, problem = _read_text(path)
        if text is None:
            if problem is not None:
                layers.append(Layer(scope, path, "", None, problem))
            continue
        value = parse_settings_text(text)
        value = bound_depth(value) if isinstance(value, dict) else None
        layers.append(Layer(scope, path, text, value))
    layers.sort(key=lambda layer: SCOPES.index(layer.scope))
    return layers


# --------------------------------------------------------------------------------------------
# Merging
# --------------------------------------------------------------------------------------------

def _strategies() -> dict[tuple[str, ...], str]:
    """The model's merge strategy per path; imported on first merge (the schema is large)."""
    from qwen_ls.settings.catalog import merge_strategies

    return merge_strategies()


def _js_key(value: Any) -> Any:
    """Identity for ``new Set(...)``: primitives by type and value, objects never equal."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", float(value))
    if isinstance(value, str):
        return ("string", value)
    if value is None:
        return ("null",)
    return ("object", id(value))


def _js_truthy(value: Any) -> bool:
    """JavaScript truthiness: objects and arrays are truthy even when empty."""
    if isinstance(value, dict | list):
        return True
    return bool(value)


def _merge_into(
    target: dict[str, Any], source: Mapping[str, Any], path: tuple[str, ...],
    strategies: Mapping[tuple[str, ...], str],
) -> None:
    for key, src in source.items():
        if key in ("__proto__", "constructor", "prototype"):
            continue
        new_path = (*path, key)
        strategy = strategies.get(new_path)
        obj = target.get(key)
        if strategy == SHALLOW_MERGE and _js_truthy(obj) and _js_truthy(src):
            left = obj if isinstance(obj, dict) else {}
            right = src if isinstance(src, dict) else {}
            target[key] = {**left, **right}
            continue
        if isinstance(obj, list):
            src_list = src if isinstance(src, list) else [src]
            if strategy == CONCAT:
                target[key] = obj + src_list
                continue
            if strategy == UNION:
                seen: set[Any] = set()
                merged = []
                for item in obj + src_list:
                    k = _js_key(item)
                    if k not in seen:
                        seen.add(k)
                        merged.append(item)
                target[key] = merged
                continue
        if isinstance(obj, dict) and isinstance(src, dict):
            _merge_into(obj, src, new_path, strategies)
        elif isinstance(src, dict):
            target[key] = {}
            _merge_into(target[key], src, new_path, strategies)
        else:
            target[key] = src


def _without_restricted(value: dict[str, Any]) -> dict[str, Any]:
    """Drop workspace-restricted keys (the CLI ignores them in the workspace scope)."""
    result = value
    for dotted in WORKSPACE_RESTRICTED_KEYS:
        head, _, leaf = dotted.rpartition(".")
        parent: Any = result
        for part in head.split(".") if head else ():
            parent = parent.get(part) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and leaf in parent:
            del parent[leaf]
    return result


def merge(layers: Sequence[tuple[str, Mapping[str, Any] | None]]) -> dict[str, Any]:
    """Merge scope values exactly as the CLI's ``customDeepMerge`` does.

    Plain objects merge recursively and everything else is replaced (REPLACE, the default),
    except where the schema names a strategy: SHALLOW_MERGE (``env``, ``mcpServers``, ...),
    CONCAT (``context.includeDirectories``, ``mcp.allowed``, ``hooks.*`` ...) and UNION
    (``permissions.*``, ``tools.exclude`` ...). ``modelProviders`` is REPLACE, which in practice
    replaces per provider key: a workspace ``modelProviders.openai`` array replaces the user's.
    Workspace-restricted keys are dropped from the workspace layer first.

    Parameters
    ----------
    layers
        ``(scope, value)`` pairs, lowest precedence first. ``None`` or non-object values are
        skipped (the CLI refuses such files).

    Returns
    -------
    dict
        A new dict; the inputs are not modified.
    """
    result: dict[str, Any] = {}
    strategies = _strategies()
    for scope, value in layers:
        if not isinstance(value, Mapping):
            continue
        value = bound_depth(dict(value), copy=True)  # a deep copy that cannot overflow the stack
        if scope == "workspace":
            value = _without_restricted(value)
        _merge_into(result, value, (), strategies)
    return result


def merge_layers(layers: Sequence[Layer], trusted: bool = True) -> dict[str, Any]:
    """Merge loaded layers in scope order; the workspace only counts when ``trusted``."""
    ordered = sorted(layers, key=lambda layer: SCOPES.index(layer.scope))
    return merge([(ly.scope, ly.value) for ly in ordered if trusted or ly.scope != "workspace"])


def persist_scope_for_model_selection(layers: Sequence[Layer], trusted: bool = True) -> str:
    """Return the scope ``/model`` and ``/auth`` write to (``getPersistScopeForModelSelection``).

    Parameters
    ----------
    layers
        The loaded layers.
    trusted
        Whether the workspace folder is trusted.

    Returns
    -------
    str
        ``"workspace"`` when the workspace is trusted and its own file defines
        ``modelProviders``; ``"user"`` otherwise.
    """
    if trusted:
        for layer in layers:
            if (
                layer.scope == "workspace"
                and isinstance(layer.value, dict)
                and layer.value.get("modelProviders") is not None
            ):
                return "workspace"
    return "user"
