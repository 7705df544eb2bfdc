"""Where the auth flows read and write: the workspace, the environment, the settings layers.

:class:`AuthEnv` bundles what every flow needs — the workspace folder, the environment the CLI
would inherit (``HOME``, ``QWEN_HOME``, keys), the :class:`~qwen_ls.store.SettingsStore` that all
writes go through, and unsaved editor buffers (which win over the files on disk when reading).
The LSP server builds one per command; the CLI builds one from ``--workspace`` and ``os.environ``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qwen_ls.settings import scopes
from qwen_ls.store import SettingsStore

logger = logging.getLogger(__name__)


@dataclass
class AuthEnv:
    """The context of one auth operation."""

    workspace: Path | None
    """The folder ``qwen`` would be started in; ``None`` when there is none."""
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    """The shell environment (``HOME``, ``QWEN_HOME`` and inherited variables)."""
    store: SettingsStore = field(default_factory=SettingsStore)
    """Every settings write goes through it."""
    layers_read: list[Any] | None = None
    """The scope files, when a read-only use (the server's status) has read them once already:
    :meth:`layers` then returns these instead of reading again. ``None`` for flows that write."""
    open_texts: Mapping[Path, str] | None = None
    """Unsaved editor buffers by path (they win over disk when reading)."""
    trusted: bool = True
    """Whether the workspace folder is trusted."""
    editor: bool = False
    """Whether an editor shows the messages: next steps then name palette commands ("Qwen: Sign
    in"), not CLI commands."""

    def __post_init__(self) -> None:
        # Writes inside the workspace may not follow a link out of it (see store.guard_target).
        if self.store.workspace is None and self.workspace is not None:
            self.store.workspace = Path(self.workspace)

    @property
    def qwen_home(self) -> Path:
        """``$QWEN_HOME`` or ``~/.qwen``, resolved as the CLI does."""
        return Path(scopes.qwen_home(self.environ))

    @property
    def home(self) -> Path:
        """The user's home folder (``$HOME``)."""
        return Path(self.environ.get("HOME") or os.path.expanduser("~"))

    def settings_path(self, scope: str) -> Path | None:
        """Return the settings file of ``scope`` (``user``, ``workspace``...) or ``None``."""
        path = scopes.settings_paths(self.workspace, self.environ).get(scope)
        return Path(path) if path is not None else None

    def user_settings(self) -> Path:
        """Return the user settings file (always defined)."""
        path = self.settings_path("user")
        return path if path is not None else self.qwen_home / "settings.json"

    def layers(self) -> list[Any]:
        """Return the scope files as ``scopes.Layer`` objects, lowest precedence first."""
        if self.layers_read is not None:
            return list(self.layers_read)
        texts = dict(self.open_texts or {})
        sink = self.store.sink
        if sink is not None:
            for scope in ("user", "workspace"):
                path = self.settings_path(scope)
                if path is not None and path not in texts:
                    text = sink.open_text(path)
                    if text is not None:
                        texts[path] = text
        return list(scopes.load_layers(self.workspace, self.environ, open_texts=texts))

    def layer_values(self) -> dict[str, dict]:
        """Return ``{scope: value}`` for every scope file that holds an object."""
        out: dict[str, dict] = {}
        for layer in self.layers():
            if isinstance(layer.value, dict):
                out[layer.scope] = layer.value
        return out

    def merged(self) -> dict:
        """Return the effective settings, merged as the CLI merges scopes."""
        return scopes.merge_layers(self.layers(), trusted=self.trusted)

    def persist_scope(self) -> str:
        """Return the scope ``/model`` and ``/auth`` write to (facts §2 "Where writes go")."""
        if self.workspace is None or self.settings_path("workspace") is None:
            return "user"
        return scopes.persist_scope_for_model_selection(self.layers(), trusted=self.trusted)

    def persist_path(self) -> tuple[str, Path]:
        """Return ``(scope, settings file)`` for model-selection writes."""
        scope = self.persist_scope()
        path = self.settings_path(scope) if scope == "workspace" else None
        if path is None:
            return "user", self.user_settings()
        return scope, path

    def env_resolution(self, merged: Mapping[str, Any] | None = None,
                       layers: list[Any] | None = None) -> Any:
        """Resolve env sources (shell, ``.env`` files, ``settings.env``) in the CLI's order.

        With ``layers``, ``settings.env`` sources name the settings file that defines them.
        """
        from qwen_ls.settings import env as env_mod

        return env_mod.resolve_env(
            self.workspace, self.environ, merged if merged is not None else self.merged(),
            trusted=self.trusted, layers=layers,
        )

