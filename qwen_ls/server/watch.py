"""The server's own file watching: a live status without typing, for every client.

Every :data:`POLL_S` seconds the watcher takes the ``stat`` signature of the files the
resolution depends on (:func:`qwen_ls.auth.inputs.input_paths`: all settings scopes, every
``.env`` candidate, ``oauth_creds.json``, the Qwen home folder), inside the workspace or not. When
it changes, the set is recomputed (a new ``.env`` nearer the project changes which files count),
open documents are re-diagnosed and ``qwen/statusChanged`` is sent when the status differs: a
``~/.qwen/.env`` created from a terminal shows within a second.

Polling instead of inotify: it works the same on every platform and file system, needs no
dependency, and costs a few dozen ``stat`` calls per tick (the idle cost is measured in the
issue-12 report). Clients that can watch files also get a dynamic
``workspace/didChangeWatchedFiles`` registration (:func:`watch_patterns`), and their events
re-baseline the poller so a change is handled once.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path
from typing import Any

from lsprotocol import types

from qwen_ls.auth import inputs
from qwen_ls.server.server import QwenLanguageServer
from qwen_ls.server.status import external_change

logger = logging.getLogger(__name__)

POLL_S = 0.5
"""Seconds between two signature checks."""


class Watcher:
    """Polls the input files of one server and reports outside changes."""

    def __init__(self, ls: QwenLanguageServer) -> None:
        self.ls = ls
        self.paths: list[Path] = []
        self.sig: inputs.Signature = ()
        self._docs: tuple[str, ...] | None = None

    def _workspaces(self) -> list[Path | None]:
        from qwen_ls.settings import scopes

        roots = self.ls.documents.roots or self.ls.workspace_roots()
        found: list[Path | None] = [scopes.project_folder(roots[0], self.ls.environ)
                                    if roots else None]
        found += [doc.workspace for doc in self.ls.documents.managed()]
        return found

    def rebuild(self) -> None:
        """Recompute the watched set and take its signature as the new baseline."""
        try:
            extra = [Path(p) for p in self.ls.documents.watch_globs()]
            self.paths = inputs.input_paths(self._workspaces(), self.ls.environ,
                                            trusted=self.ls.options.trusted, extra=extra)
        except Exception:  # never stop watching over one bad path
            logger.exception("could not compute the watched files")
        self.sig = inputs.signature(self.paths)
        self._docs = tuple(d.uri for d in self.ls.documents.managed())

    def resync(self) -> None:
        """Take the current state as seen (after our own writes or a client's watch event)."""
        self.rebuild()

    def tick(self) -> bool:
        """Check once; on an outside change refresh diagnostics and status. ``True`` if changed."""
        sig = inputs.signature(self.paths)
        docs = tuple(d.uri for d in self.ls.documents.managed())
        if sig == self.sig:
            if docs != self._docs:
                self.rebuild()  # opening a file of another project adds its .env candidates
            return False
        logger.info("changed on disk: %s", ", ".join(inputs.changed(self.sig, sig)))
        self.rebuild()
        self.ls.documents.generation += 1
        external_change(self.ls)
        self.ls.run_task(register_watchers(self.ls), "watch registration")
        return True

    async def run(self) -> None:
        """Poll until cancelled (the server's shutdown cancels it)."""
        self.rebuild()
        while True:
            await asyncio.sleep(POLL_S)
            try:
                self.tick()
            except Exception:
                logger.exception("file watch check failed")


def start(ls: QwenLanguageServer) -> Watcher:
    """Start the watcher of ``ls`` (once) and return it."""
    if isinstance(ls.watcher, Watcher):
        return ls.watcher
    watcher = Watcher(ls)
    ls.watcher = watcher
    ls.run_task(watcher.run(), "file watch")
    return watcher


def resync(ls: QwenLanguageServer) -> None:
    """Re-baseline the watcher of ``ls`` when it runs (after a change already handled)."""
    if isinstance(ls.watcher, Watcher):
        ls.watcher.resync()


def watch_patterns(ls: QwenLanguageServer) -> list[Any]:
    """The ``FileSystemWatcher`` glob patterns for a dynamic registration.

    Workspace-relative globs for the files inside the workspace; every watched path outside it
    as a ``RelativePattern`` (folder + name) when the client supports them — VS Code watches a
    plain absolute glob only inside the workspace — else as an absolute glob.
    """
    roots = [str(r) for r in ls.documents.roots]
    patterns: list[Any] = ["**/.env", "**/.qwen/settings.json", "**/.qwen/.env"]
    paths = list(ls.watcher.paths) if isinstance(ls.watcher, Watcher) else []
    paths += [Path(p) for p in ls.documents.watch_globs()]
    seen: set[str] = set()
    for path in paths:
        text = str(path)
        if text in seen or any(text.startswith(root + "/") for root in roots):
            continue
        seen.add(text)
        if ls.flags.watched_files_relative:
            patterns.append(types.RelativePattern(
                base_uri=ls.documents.uri_for(path.parent), pattern=path.name))
        else:
            patterns.append(text)
    return patterns


async def register_watchers(ls: QwenLanguageServer) -> None:
    """Ask the client to watch the scope files and ``.env`` files (dynamic registration).

    Clients that cannot (Neovim 0.11) are covered by the server's own polling
    (:mod:`qwen_ls.server.watch`). Paths outside the workspace go as ``RelativePattern``.
    """
    if not ls.flags.watched_files_dynamic:
        return
    wanted = tuple(watch_patterns(ls))
    if wanted == ls.watched_globs:
        return
    old = ls.watch_registration
    reg_id = str(uuid.uuid4())
    ls.watch_registration, ls.watched_globs = reg_id, wanted
    try:
        if old is not None:
            await ls.client_unregister_capability_async(
                types.UnregistrationParams(
                    unregisterations=[
                        types.Unregistration(
                            id=old, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES
                        )
                    ]
                )
            )
        await ls.client_register_capability_async(
            types.RegistrationParams(
                registrations=[
                    types.Registration(
                        id=reg_id,
                        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=types.DidChangeWatchedFilesRegistrationOptions(
                            watchers=[types.FileSystemWatcher(glob_pattern=g) for g in wanted]
                        ),
                    )
                ]
            )
        )
    except Exception as exc:
        logger.info("could not register file watchers: %s", exc)
