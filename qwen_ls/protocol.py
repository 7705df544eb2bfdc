"""The names qwen-ls adds to LSP, in one place: command ids, the status notification, results.

``workspace/executeCommand`` ids live in the ``qwen-ls.`` namespace, which the VS Code extension
never registers itself (vscode-languageclient registers the server's ids; a clash gives "command
already exists"). The editor's copy of these names is ``editors/vscode/src/common/protocol.ts``
(``tests/unit/test_protocol.py`` keeps the two equal); their arguments and results are in
``docs/CONTRACTS.md``.

Every command that does something returns a ``SignInResult`` (:func:`result`)::

    {ok, status: "signed-in"|"cancelled"|"error"|"signed-out"|"selected"|"planned", message,
     files, model?}
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from qwen_ls.secrets import redact

SIGN_IN_QWEN_OAUTH = "qwen-ls.signIn.qwenOAuth"
SIGN_IN_CODING_PLAN = "qwen-ls.signIn.codingPlan"
SIGN_IN_API_KEY = "qwen-ls.signIn.apiKey"
SIGN_OUT = "qwen-ls.signOut"
AUTH_STATUS = "qwen-ls.authStatus"
LIST_MODELS = "qwen-ls.listModels"
SELECT_MODEL = "qwen-ls.selectModel"
API_KEY_PRESETS = "qwen-ls.apiKeyPresets"
DOCTOR = "qwen-ls.doctor"
MOVE_SECRET_TO_ENV = "qwen-ls.moveSecretToEnv"
SHOW_DOCUMENTATION = "qwen-ls.showDocumentation"
CANCEL = "qwen-ls.cancel"
SIGN_IN = "qwen-ls.signIn"
"""The "Sign in…" quick fix: the VS Code extension runs its own sign-in for it."""
DEBUG_DOCUMENT_INFO = "qwen-ls.debug.documentInfo"
TEST_CONNECTION = "qwen-ls.testConnection"

AUTH_COMMANDS: tuple[str, ...] = (
    SIGN_IN_QWEN_OAUTH, SIGN_IN_CODING_PLAN, SIGN_IN_API_KEY, SIGN_OUT, AUTH_STATUS, LIST_MODELS,
    SELECT_MODEL, API_KEY_PRESETS,
)
"""The commands :func:`qwen_ls.auth.commands.run_command` carries out (shared with the CLI)."""

CHANGES_STATUS = frozenset({SIGN_IN_QWEN_OAUTH, SIGN_IN_CODING_PLAN, SIGN_IN_API_KEY, SIGN_OUT,
                            SELECT_MODEL})
"""Commands after which the server re-reads the files and sends the status (when ``ok``)."""

COMMANDS: tuple[str, ...] = (
    *AUTH_COMMANDS, MOVE_SECRET_TO_ENV, SHOW_DOCUMENTATION, DOCTOR, CANCEL, DEBUG_DOCUMENT_INFO,
    TEST_CONNECTION,
    SIGN_IN,
)
"""Every command id the server registers."""

STATUS_CHANGED = "qwen/statusChanged"
"""Server-to-client notification carrying an ``AuthStatus``, sent when the status changes."""

Status = Literal["signed-in", "cancelled", "error", "signed-out", "selected", "planned"]


def result(
    ok: bool,
    status: Status,
    message: str,
    files: Iterable[Path | str | None] = (),
    model: str | None = None,
) -> dict[str, Any]:
    """Build a ``SignInResult`` dict.

    Parameters
    ----------
    ok
        Whether the operation succeeded.
    status
        One of the contract's statuses.
    message
        A sentence for the user (secrets are masked again here, as a last line of defence).
    files
        Files written or removed; ``None`` entries and duplicates are dropped.
    model
        The model now active, when the operation selected one.

    Returns
    -------
    dict
        The ``SignInResult`` shape.
    """
    names: list[str] = []
    for f in files:
        if f is not None and str(f) not in names:
            names.append(str(f))
    out: dict[str, Any] = {"ok": ok, "status": status, "message": redact(message), "files": names}
    if model is not None:
        out["model"] = model
    return out
