"""Sign out of the current sign-in, whatever the method: plan what to remove, ask, remove.

The current sign-in is resolved as ``qwen-ls auth status`` resolves it
(:func:`qwen_ls.auth.status.resolve_sign_in`), so sign-out removes what the status shows:

- Qwen OAuth: ``<QWEN_HOME>/oauth_creds.json``;
- Coding Plan, Token Plan, any API-key provider: the key variable, from every file the CLI
  would read it from (``.env`` files, ``env`` of a settings file). The shell environment cannot
  be changed from here; the result says so.

A value is *attributable* to the sign-in — removed without a question — only when qwen-ls's own
sign-in could have written it there: the variable is the selected entry's explicit ``envKey``
(or the Coding Plan / Token Plan key of a plan entry), and it sits in ``<QWEN_HOME>/.env``, in
``<workspace>/.qwen/.env``, or (Coding Plan / Token Plan key only) in ``env`` of the user or
workspace settings file. Anything else (``~/.env``, a project ``.env``, a default variable the
user exported by hand) is the user's own and is removed only after :data:`Ask` says yes.
Clearing ``security.auth.selectedType`` is offered the same way.

Transport-free: the LSP server asks with ``window/showMessageRequest``, the CLI with a prompt,
tests with a function. Every write goes through :mod:`qwen_ls.store`.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from qwen_ls.auth import creds as creds_mod
from qwen_ls.auth.common import AuthError
from qwen_ls.auth.context import AuthEnv
from qwen_ls.auth.status import SignIn, next_step, resolve_sign_in
from qwen_ls.protocol import result
from qwen_ls.secrets import mask
from qwen_ls.settings import presets
from qwen_ls.settings.env import display_path
from qwen_ls.store import DELETE, StoreError, remove_env_var

SELECTED_TYPE = ("security", "auth", "selectedType")
PLAN_KEYS = frozenset({presets.CODING_PLAN_ENV_KEY, presets.TOKEN_PLAN_ENV_KEY})
"""Variables only the Coding Plan / Token Plan sign-in writes (also into ``settings.env``)."""
WRITABLE_SCOPES = ("user", "workspace")
"""Scopes whose settings files sign-in writes (never the system files)."""

Kind = Literal["oauth-creds", "env-file", "settings-env"]


@dataclass(frozen=True)
class Removal:
    """One stored credential sign-out removes."""

    kind: Kind
    path: Path
    name: str | None
    """The variable (``None`` for the OAuth credentials file)."""
    attributable: bool
    """Whether qwen-ls's own sign-in stores it there (else it is asked about first)."""
    label: str
    """``BAILIAN_CODING_PLAN_API_KEY in ~/.qwen/.env`` (no value)."""

    def to_json(self) -> dict[str, Any]:
        """The ``removals[]`` item of ``SignOutPlan``."""
        return {"kind": self.kind, "path": str(self.path), "name": self.name,
                "attributable": self.attributable, "label": self.label}


@dataclass
class Plan:
    """What signing out of the current sign-in removes, and what it cannot."""

    found: SignIn
    signed_in: bool
    removals: list[Removal] = field(default_factory=list)
    keep: list[str] = field(default_factory=list)
    """Sentences about sources qwen-ls cannot remove (the shell environment)."""
    selected_type: str | None = None
    selected_type_files: list[Path] = field(default_factory=list)
    """User / workspace settings files that set ``security.auth.selectedType``."""

    def to_json(self) -> dict[str, Any]:
        """The ``SignOutPlan`` shape of the contract."""
        selected = None
        if self.selected_type is not None and self.selected_type_files:
            selected = {"value": self.selected_type,
                        "files": [str(p) for p in self.selected_type_files]}
        return {"method": self.found.method, "methodLabel": self.found.label,
                "signedIn": self.signed_in, "removals": [r.to_json() for r in self.removals],
                "keep": list(self.keep), "selectedType": selected}


@dataclass(frozen=True)
class Question:
    """One yes/no question sign-out asks before writing."""

    kind: Literal["hand-written", "selected-type"]
    message: str
    yes: str
    no: str


Ask = Callable[[Question], Awaitable[bool]]
"""Answers a :class:`Question`; ``False`` when the user declines or cannot be asked."""


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.realpath(a) == os.path.realpath(b)
    except (OSError, ValueError):
        return False


def own_env_files(env: AuthEnv) -> list[Path]:
    """The ``.env`` files qwen-ls's sign-in writes keys to (``api_key``, ``coding_plan``)."""
    files = [env.qwen_home / ".env"]
    if env.workspace is not None:
        files.append(Path(env.workspace) / ".qwen" / ".env")
    return files


def _owns_variable(found: SignIn) -> bool:
    """Whether qwen-ls's sign-in could have chosen this variable for the selected entry.

    It always writes an explicit ``envKey``; a protocol's default variable (an entry without
    ``envKey``, or no entry) is something the user set up by hand.
    """
    if found.method in ("coding-plan", "token-plan"):
        return True
    entry = found.entry
    return entry is not None and entry.env_key is not None and entry.env_key == found.env_key


def plan_sign_out(env: AuthEnv) -> Plan:
    """Work out what signing out of the current sign-in removes (nothing is written).

    Parameters
    ----------
    env
        Workspace, environment, open buffers.

    Returns
    -------
    Plan
        Removals (attributable or hand-written), what cannot be removed, and the
        ``selectedType`` that could be cleared.
    """
    found = resolve_sign_in(env)
    plan = Plan(found, signed_in=False)

    def shown(path: Path) -> str:
        return display_path(path, env.environ)

    for layer in found.layers:
        if layer.scope not in WRITABLE_SCOPES or not isinstance(layer.value, dict):
            continue
        value: Any = layer.value
        for part in SELECTED_TYPE:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str) and value:
            plan.selected_type_files.append(layer.path)
    plan.selected_type = found.auth_type if plan.selected_type_files else None
    if found.method == "qwen-oauth":
        path = creds_mod.creds_path(env.qwen_home)
        plan.signed_in = creds_mod.read_credentials(env.qwen_home) is not None
        if os.path.lexists(path):
            plan.removals.append(Removal("oauth-creds", path, None, True,
                                         f"the Qwen OAuth credentials {shown(path)}"))
        return plan
    name = found.env_key
    if not name or found.resolution is None:
        return plan
    plan.signed_in = found.key_present
    owned = _owns_variable(found)
    own_files = own_env_files(env)
    for source in found.resolution.all_sources(name):
        if not (source.value or "").strip():
            continue  # an empty value signs nothing in
        if source.kind == "shell":
            plan.keep.append(f"{name} is set in the shell environment ({mask(source.value)}); "
                             "qwen-ls cannot unset it. Remove it from your shell profile and "
                             "restart the editor or terminal.")
            continue
        if source.path is None:
            continue
        if source.kind == "settings-env":
            scope = next((ly.scope for ly in found.layers if _same(ly.path, source.path)), None)
            if scope not in WRITABLE_SCOPES:
                plan.keep.append(f"{name} is set in {source.label}, a {scope or 'system'} file "
                                 "qwen-ls does not write; remove it there.")
                continue
            attributable = name in PLAN_KEYS and owned
            plan.removals.append(Removal("settings-env", source.path, name, attributable,
                                         f"env.{name} in {shown(source.path)}"))
            continue
        attributable = owned and any(_same(source.path, f) for f in own_files)
        plan.removals.append(Removal("env-file", source.path, name, attributable,
                                     f"{name} in {shown(source.path)}"))
    return plan


def hand_written_question(plan: Plan) -> Question | None:
    """The question about values qwen-ls did not write, or ``None`` when there are none."""
    hand = [r for r in plan.removals if not r.attributable]
    if not hand:
        return None
    labels = ", ".join(r.label for r in hand)
    return Question(
        "hand-written",
        f"{labels} {'was' if len(hand) == 1 else 'were'} not written by qwen-ls's sign-in "
        "(it may be your own setup, used by other tools too). Remove "
        f"{'it' if len(hand) == 1 else 'them'} as well? Only "
        f"{'that line goes' if len(hand) == 1 else 'those lines go'}; the rest of each file "
        "is kept.",
        "Remove it", "Keep it",
    )


def selected_type_question(plan: Plan, environ: Mapping[str, str]) -> Question | None:
    """The offer to clear ``security.auth.selectedType``, or ``None`` when nothing sets it."""
    if plan.selected_type is None or not plan.selected_type_files:
        return None
    files = ", ".join(display_path(p, environ) for p in plan.selected_type_files)
    return Question(
        "selected-type",
        f"Also clear security.auth.selectedType (\"{plan.selected_type}\") in {files}? Qwen "
        "Code then asks how to sign in on its next start; keep it to sign in again the same way.",
        "Clear it", "Keep it",
    )


async def _decide(question: Question | None, preset: bool | None, ask: Ask | None) -> bool:
    if question is None:
        return False
    if preset is not None:
        return preset
    if ask is None:
        return False
    try:
        return bool(await ask(question))
    except Exception:  # a client that cannot answer: keep the value, as for "no"
        return False


async def sign_out(
    env: AuthEnv,
    ask: Ask | None = None,
    *,
    remove_hand_written: bool | None = None,
    clear_selected_type: bool | None = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Sign out of the current sign-in and return a ``SignOutResult``.

    Parameters
    ----------
    env
        Workspace, environment, open buffers and the store all writes go through.
    ask
        Asks the user a :class:`Question`; ``None`` means nobody can be asked (answer "no").
    remove_hand_written
        Answers the hand-written question without asking (``None``: ask).
    clear_selected_type
        Answers the ``selectedType`` question without asking (``None``: ask).
    dry_run
        Only return the plan (``status: "planned"``); nothing is asked or written.

    Returns
    -------
    dict
        ``SignInResult`` plus ``plan``, ``removed``, ``kept``, ``selectedTypeCleared`` and
        ``signedIn`` (see ``docs/CONTRACTS.md``). No secret appears unmasked.
    """
    plan = plan_sign_out(env)
    step = next_step(env.editor)
    extra: dict[str, Any] = {"plan": plan.to_json(), "removed": [], "kept": list(plan.keep),
                             "selectedTypeCleared": False, "signedIn": plan.signed_in}
    if dry_run:
        own = ", ".join(r.label for r in plan.removals if r.attributable) or "nothing"
        hand = ", ".join(r.label for r in plan.removals if not r.attributable)
        message = f"Signing out of {plan.found.label} would remove {own}"
        message += f"; it would ask before removing {hand}." if hand else "."
        out = result(True, "planned", " ".join([message, *plan.keep]))
        return {**out, **extra}
    hand_q = hand_written_question(plan)
    remove_hand = await _decide(hand_q, remove_hand_written, ask)
    clear = await _decide(selected_type_question(plan, env.environ), clear_selected_type, ask)
    chosen = [r for r in plan.removals if r.attributable or remove_hand]
    skipped = [r for r in plan.removals if r not in chosen]
    extra["kept"] += [f"Kept {r.label} (not written by qwen-ls)." for r in skipped]
    files: list[Path] = []
    errors: list[str] = []
    settings_changes: dict[Path, list[Any]] = {}
    for removal in chosen:
        try:
            if removal.kind == "oauth-creds":
                if creds_mod.delete_credentials(env.qwen_home):
                    files.append(removal.path)
                    extra["removed"].append(removal.label)
            elif removal.kind == "env-file":
                assert removal.name is not None
                if remove_env_var(removal.path, removal.name, workspace=env.workspace):
                    files.append(removal.path)
                    extra["removed"].append(removal.label)
            else:
                settings_changes.setdefault(removal.path, []).append(
                    (("env", removal.name), DELETE))
        except (AuthError, StoreError, OSError) as exc:
            errors.append(f"Could not remove {removal.label}: {exc}")
    if clear:
        for path in plan.selected_type_files:
            settings_changes.setdefault(path, []).append((SELECTED_TYPE, DELETE))
    for path, changes in settings_changes.items():
        try:
            outcome = await env.store.update(path, changes)
        except StoreError as exc:
            errors.append(f"Could not change {path}: {exc}")
            continue
        if outcome.changed:
            files.append(path)
        for change_path, _ in changes:
            if change_path == SELECTED_TYPE:
                extra["selectedTypeCleared"] = True
            else:
                extra["removed"].append(f"env.{change_path[1]} in "
                                        f"{display_path(path, env.environ)}")
    after = plan_sign_out(env)
    extra["signedIn"] = after.signed_in
    return _outcome(plan, after, extra, files, errors, step)


def _outcome(plan: Plan, after: Plan, extra: dict[str, Any], files: list[Path],
             errors: list[str], step: str) -> dict[str, Any]:
    label = plan.found.label
    parts: list[str] = []
    if extra["removed"]:
        parts.append(f"Removed {', '.join(extra['removed'])}.")
    if extra["selectedTypeCleared"]:
        parts.append("Cleared security.auth.selectedType.")
    parts.extend(errors)
    parts.extend(extra["kept"])
    if errors:
        status, ok = "error", False
    elif after.signed_in and after.keep:
        status, ok = "error", False
    elif after.signed_in:
        status, ok = "cancelled", False
    else:
        status, ok = "signed-out", True
    if ok and not extra["removed"] and not plan.signed_in:
        head = "Not signed in; nothing to remove."
    elif ok:
        head = f"Signed out of {label}."
    else:
        head = f"Still signed in to {label}."
    tail = f"{step.removesuffix('.')} to sign in again." if not after.signed_in else ""
    message = " ".join(p for p in [head, *parts, tail] if p)
    out = result(ok, status, message, files)  # type: ignore[arg-type]
    return {**out, **extra}
