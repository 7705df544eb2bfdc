"""The context a settings document is analysed in: the other scope files and the env sources.

Analysis of one file depends on the others: a workspace ``model.name`` may name a model that only
the user file defines, and whether an ``envKey`` is provided depends on the shell, the ``.env``
files and the merged ``settings.env``. :func:`build_context` reads all of that once (open editor
buffers win over the files on disk); the analysis functions themselves do no I/O beyond the cached
env resolution.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from qwen_ls.settings import env as env_mod
from qwen_ls.settings import registry as reg
from qwen_ls.settings import scopes

logger = logging.getLogger(__name__)

SCOPE_ORDER = ("system-defaults", "user", "workspace", "system")
"""Merge order, lowest precedence first (the CLI's)."""


@dataclass
class AnalysisContext:
    """Everything outside the document that its analysis needs."""

    scope: str | None
    """The document's own scope (``user``, ``workspace``, ``system``, ``system-defaults``) or
    ``None`` for a settings file outside every scope (analysed as a workspace file)."""
    path: Path | None
    """The document's file path, when it has one."""
    workspace: Path | None
    """The folder ``qwen`` would be started in (parent of ``.qwen``)."""
    environ: Mapping[str, str]
    """The shell environment the CLI would inherit."""
    layers: list[Any] = field(default_factory=list)
    """The other scope files (``scopes.Layer``), lowest precedence first; this document excluded."""
    trusted: bool = True
    """Whether the workspace folder is trusted (project ``.env`` files only count when it is)."""
    _env_cache: dict[str, Any] = field(default_factory=dict, repr=False)
    _resolved: weakref.WeakKeyDictionary = field(
        default_factory=weakref.WeakKeyDictionary, repr=False
    )

    def resolve(self, doc: Any) -> Resolved:
        """The document's effective settings and model registry in this context.

        Computed once per document version (a parsed document is immutable) and shared by the
        analysis and every feature, so merging the scopes and walking thousands of provider
        entries happens once per keystroke, not once per request.
        """
        found = self._resolved.get(doc)
        if found is None:
            found = self._resolved[doc] = Resolved(self, doc)
        return found

    @property
    def effective_scope(self) -> str:
        """The scope the document is merged in (an unknown file counts as a workspace file)."""
        return self.scope or "workspace"

    def display_path(self) -> str:
        """A short, home-relative path of the document for messages."""
        return display(self.path, self.environ) if self.path else "settings.json"

    def ordered_values(self, doc_value: Any) -> list[tuple[str, dict, Path | None]]:
        """All layers with their values, this document included, lowest precedence first."""
        items: list[tuple[str, dict, Path | None]] = []
        for layer in self.layers:
            if isinstance(layer.value, dict):
                items.append((layer.scope, layer.value, layer.path))
        if isinstance(doc_value, dict):
            items.append((self.effective_scope, doc_value, self.path))
        items.sort(key=lambda item: SCOPE_ORDER.index(item[0]) if item[0] in SCOPE_ORDER else 2)
        return items

    def effective(self, doc_value: Any) -> dict:
        """Merge every layer with the document's value, as the CLI merges scopes."""
        items = self.ordered_values(doc_value)
        if len(items) == 1:
            return items[0][1]
        if not items:
            return {}
        return scopes.merge([(scope, value) for scope, value, _ in items])

    def env(self, effective: Mapping[str, Any]) -> env_mod.EnvResolution:
        """Resolve the env sources against the effective settings (cached per ``env`` content)."""
        settings_env = effective.get("env") if isinstance(effective, Mapping) else None
        advanced = effective.get("advanced") if isinstance(effective, Mapping) else None
        excluded = advanced.get("excludedEnvVars") if isinstance(advanced, Mapping) else None
        key = repr(
            (sorted(settings_env.items()) if isinstance(settings_env, Mapping) else None, excluded)
        )
        cached = self._env_cache.get(key)
        if cached is None:
            merged = {"env": settings_env} if isinstance(settings_env, Mapping) else {}
            if isinstance(excluded, list):
                merged["advanced"] = {"excludedEnvVars": excluded}
            cached = env_mod.resolve_env(self.workspace, self.environ, merged, trusted=self.trusted,
                                         layers=self.layers)
            if len(self._env_cache) > 8:
                self._env_cache.clear()
            self._env_cache[key] = cached
        return cached


class Resolved:
    """What one document version resolves to in its context (``AnalysisContext.resolve``)."""

    def __init__(self, ctx: AnalysisContext, doc: Any) -> None:
        self.ctx = ctx
        value = doc.value
        self.value: dict = value if isinstance(value, dict) else {}
        """The document's own value (``{}`` when it is not an object)."""

    @cached_property
    def items(self) -> list[tuple[str, dict, Path | None]]:
        """Every scope's value, this document's included, lowest precedence first."""
        return self.ctx.ordered_values(self.value)

    @cached_property
    def effective(self) -> dict:
        """The merged settings of every scope."""
        return self.ctx.effective(self.value)

    @cached_property
    def registry(self) -> list[reg.ModelEntry]:
        """Every model the CLI would register, with the scope file each comes from."""
        return reg.build_registry(self.effective, reg.provider_sources(self.items))


def display(path: Path | str, environ: Mapping[str, str]) -> str:
    """Show ``path`` with the home directory abbreviated to ``~``."""
    text = str(path)
    home = environ.get("HOME")
    if home and (text == home or text.startswith(home.rstrip("/") + "/")):
        return "~" + text[len(home.rstrip("/")) :]
    return text


def workspace_of(path: Path) -> Path | None:
    """Return the folder a ``<folder>/.qwen/settings.json`` belongs to, else ``None``."""
    if path.parent.name == ".qwen":
        return path.parent.parent
    return None


def build_context(
    path: Path | None,
    workspace: Path | None,
    environ: Mapping[str, str],
    open_texts: Mapping[Path, str] | None = None,
    trusted: bool = True,
) -> AnalysisContext:
    """Read the other scope files and prepare env resolution for analysing ``path``.

    Parameters
    ----------
    path
        The settings file being analysed (``None`` for an unsaved buffer).
    workspace
        The workspace folder; when ``None`` it is derived from ``path``
        (``<folder>/.qwen/settings.json``).
    environ
        The shell environment (``HOME``, ``QWEN_HOME`` and the variables the CLI would inherit).
    open_texts
        Unsaved editor buffers by path; they win over the files on disk.
    trusted
        Whether the workspace is trusted.

    Returns
    -------
    AnalysisContext
        The context; reading it never raises (unreadable files count as absent).
    """
    if workspace is None and path is not None:
        workspace = workspace_of(path)
    scope = scopes.scope_of(path, workspace, environ) if path is not None else None
    layers = []
    try:
        for layer in scopes.load_layers(workspace, environ, open_texts=open_texts or {}):
            if path is not None and layer.path is not None and scopes.same_path(layer.path, path):
                continue
            layers.append(layer)
    except Exception:  # never let a stray file break analysis
        logger.exception("could not read the other scope files")
    return AnalysisContext(
        scope=scope, path=path, workspace=workspace, environ=environ, layers=layers, trusted=trusted
    )

