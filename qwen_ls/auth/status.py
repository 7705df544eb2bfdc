"""Authentication status: which method is active, which model, whether its key is there.

:func:`auth_status` answers ``qwen-ls.authStatus``, ``qwen-ls auth status`` and the server's
``qwen/statusChanged`` notification with the ``AuthStatus`` shape of ``docs/CONTRACTS.md``. It
resolves the auth type, model entry, key and base URL the way the CLI does at startup (facts §8),
detects the method (Qwen OAuth, Coding Plan and Token Plan by their owned URL + env key, any
other API-key provider), and lists problems as sentences a user can act on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qwen_ls.auth import creds as creds_mod
from qwen_ls.auth.context import AuthEnv
from qwen_ls.secrets import mask
from qwen_ls.settings import presets, scopes
from qwen_ls.settings import registry as reg
from qwen_ls.settings.env import brief_list
from qwen_ls.settings.known import (
    AUTH_TYPES,
    DEFAULT_BASE_URLS,
    DEFAULT_ENV_KEYS,
    DEFAULT_MODEL,
    OAUTH_DISCONTINUED_MESSAGE,
)
from qwen_ls.settings.registry import ModelEntry, current_selection, find_model

PROTOCOL_LABELS = {
    "openai": "OpenAI-compatible provider",
    "openai-responses": "OpenAI-compatible provider (Responses API)",
    "anthropic": "Anthropic-compatible provider",
    "gemini": "Google Gemini",
    "vertex-ai": "Google Vertex AI",
}


def _method(protocol: str, base_url: str, env_key: str | None) -> tuple[str, str]:
    found = presets.preset_for_base_url(base_url) if base_url else None
    if found is not None:
        preset, region = found
        if preset.id == "coding-plan" and env_key == presets.CODING_PLAN_ENV_KEY:
            return "coding-plan", f"Alibaba Cloud Coding Plan ({region})"
        if preset.id == "token-plan" and env_key == presets.TOKEN_PLAN_ENV_KEY:
            return "token-plan", f"Alibaba Cloud Token Plan ({region})"
        label = preset.label + (f" ({region})" if region else "")
        return "api-key", label
    return "api-key", PROTOCOL_LABELS.get(protocol, protocol)


def _custom_coding_plan(merged: Mapping[str, Any], entry: ModelEntry) -> bool:
    """A Coding Plan sign-in pointed at another endpoint (``--base-url``): its metadata says so."""
    meta = reg.get_path(merged, "providerMetadata", presets.CODING_PLAN_METADATA_KEY)
    url = meta.get("baseUrl") if isinstance(meta, Mapping) else None
    return (entry.env_key == presets.CODING_PLAN_ENV_KEY and isinstance(url, str)
            and presets.normalize_url(url) == presets.normalize_url(entry.base_url or ""))


def _oauth_block(qwen_home: Path, now_ms: int) -> dict[str, Any] | None:
    creds = creds_mod.read_credentials(qwen_home)
    if creds is None:
        return None
    expires = dt.datetime.fromtimestamp(creds.expiry_date / 1000, tz=dt.UTC)
    return {
        "expiresAt": expires.isoformat().replace("+00:00", "Z"),
        "expired": creds.expiry_date <= now_ms,
        "discontinued": True,
    }


NEXT_STEP_EDITOR = 'Run "Qwen: Sign in".'
NEXT_STEP_CLI = "Run `qwen-ls auth sign-in`."


def next_step(editor: bool) -> str:
    """The sentence telling a signed-out user what to do, in the wording of where it is shown.

    The editor names the palette command (a tooltip cannot run a terminal command); the CLI
    names its own.
    """
    return NEXT_STEP_EDITOR if editor else NEXT_STEP_CLI


@dataclass
class SignIn:
    """The current sign-in, resolved as the CLI resolves it at startup (facts §8).

    Shared by :func:`auth_status` and :mod:`qwen_ls.auth.sign_out`, so that sign-out removes
    exactly what the status shows as the current sign-in.
    """

    layers: list[Any]
    merged: dict
    auth_type: str | None
    model_id: str | None
    model_base: str | None
    selected_model: str | None = None
    """The model id as selected (``model.name`` or a ``*_MODEL`` variable), before defaults."""
    entry: ModelEntry | None = None
    """The provider entry the selection resolves to (``None`` for OAuth or when none matches)."""
    env_key: str | None = None
    """The variable the key is read from (``None`` for OAuth)."""
    method: str = "none"
    label: str = "Not configured"
    resolution: Any = None
    """The :class:`~qwen_ls.settings.env.EnvResolution` (``None`` when it failed or no key)."""

    @property
    def source(self) -> Any:
        """The env source the CLI takes the key from, or ``None``."""
        if self.resolution is None or not self.env_key:
            return None
        return self.resolution.lookup(self.env_key)

    @property
    def key_present(self) -> bool:
        """Whether the key reaches the CLI (a non-blank value)."""
        source = self.source
        return source is not None and bool((source.value or "").strip())


def resolve_sign_in(env: AuthEnv, layers: Sequence[scopes.Layer] | None = None) -> SignIn:
    """Resolve the current sign-in: auth type, model entry, key variable and where it comes from.

    ``layers`` as ``env.layers()`` reads them, when the caller has them already. Never raises on
    broken files: a ``.env`` that cannot be resolved leaves ``resolution`` unset.
    """
    layers = list(layers) if layers is not None else env.layers()
    merged = scopes.merge_layers(layers, trusted=env.trusted)
    auth_type, model_id, model_base = current_selection(merged, env.environ)
    found = SignIn(layers, merged, auth_type, model_id, model_base, selected_model=model_id)
    if auth_type is None or auth_type not in AUTH_TYPES:
        return found
    if auth_type == "qwen-oauth":
        found.method, found.label = "qwen-oauth", "Qwen OAuth"
        return found
    if model_id is None:
        found.model_id = DEFAULT_MODEL.get(auth_type)
    models = reg.registry_from_layers(merged, layers)
    found.entry = find_model(models, found.model_id, auth_type, model_base)
    entry = found.entry
    found.env_key = (entry.effective_env_key if entry is not None
                     else DEFAULT_ENV_KEYS.get(auth_type))
    found.method, found.label = _method(auth_type, (entry.base_url or "") if entry else "",
                                        found.env_key)
    if found.method == "api-key" and entry is not None and _custom_coding_plan(merged, entry):
        found.method, found.label = "coding-plan", "Alibaba Cloud Coding Plan (custom endpoint)"
    if found.env_key:
        try:
            found.resolution = env.env_resolution(merged, layers)
        except Exception:  # a broken .env must not break the status
            found.resolution = None
    return found


def auth_status(
    workspace: Path | None,
    environ: Mapping[str, str],
    open_texts: Mapping[Path, str] | None = None,
    *,
    env: AuthEnv | None = None,
    now_ms: int | None = None,
    layers: Sequence[scopes.Layer] | None = None,
    editor: bool = False,
) -> dict[str, Any]:
    """Describe the active authentication as the CLI would see it at startup.

    Parameters
    ----------
    workspace
        The folder ``qwen`` would be started in.
    environ
        The shell environment.
    open_texts
        Unsaved editor buffers by path.
    env
        A ready :class:`AuthEnv` (overrides the three arguments above).
    now_ms
        Current time in ms (tests).
    layers
        The scope files as ``env.layers()`` reads them, when the caller has them already.
    editor
        Word the next step for the editor (palette command) rather than the CLI.

    Returns
    -------
    dict
        ``AuthStatus``: ``{method, methodLabel, authType, model, baseUrl, key, oauth, problems,
        complete, signedIn, nextStep}``. No secret appears unmasked.
    """
    env = env or AuthEnv(workspace, environ, open_texts=open_texts)
    if now_ms is None:
        now_ms = int(dt.datetime.now(tz=dt.UTC).timestamp() * 1000)
    found = resolve_sign_in(env, layers)
    step = next_step(editor or env.editor)
    problems: list[str] = []
    for layer in found.layers:
        if layer.value is None and layer.text.strip():
            problems.append(f"{layer.path} does not parse; the CLI will refuse it or reset it. "
                            "Fix the syntax error first.")
    auth_type = found.auth_type
    status: dict[str, Any] = {
        "method": "none", "methodLabel": "Not configured", "authType": auth_type, "model": None,
        "baseUrl": None, "key": None, "oauth": None, "problems": problems, "complete": False,
        "signedIn": False, "nextStep": step,
    }
    if auth_type is None:
        problems.append("Not signed in: no authentication method is selected "
                        f"(security.auth.selectedType is not set). {step}")
        return status
    if auth_type not in AUTH_TYPES:
        problems.append(f"security.auth.selectedType \"{auth_type}\" is not a valid auth type "
                        f"(expected one of: {', '.join(AUTH_TYPES)}). Invalid auth method "
                        "selected.")
        return status
    if auth_type == "qwen-oauth":
        status.update(method="qwen-oauth", methodLabel="Qwen OAuth",
                      model={"id": "coder-model", "name": "coder-model"},
                      oauth=_oauth_block(env.qwen_home, now_ms))
        problems.append(OAUTH_DISCONTINUED_MESSAGE)
        if status["oauth"] is None:
            problems.append(f"Not signed in with Qwen OAuth (no valid "
                            f"{creds_mod.creds_path(env.qwen_home)}). {step}")
        else:
            status.update(signedIn=True, nextStep=None)
        status["complete"] = False
        return status

    model_id, entry = found.model_id, found.entry
    if found.selected_model is None:
        problems.append("No model is selected (model.name is not set); Qwen Code will use "
                        + (f"'{DEFAULT_MODEL[auth_type]}'" if auth_type in DEFAULT_MODEL
                           else "the first configured model") + ".")
    if entry is None and model_id is not None:
        problems.append(
            f"Model '{model_id}' is not configured under modelProviders.{auth_type}; Qwen Code "
            "will fall back to OPENAI_* settings or to the first configured model."
        )
    env_key = found.env_key
    base_url = ((entry.base_url if entry is not None else "")
                or DEFAULT_BASE_URLS.get(auth_type) or "")
    name = entry.config.get("name") if entry is not None else None
    status.update(
        method=found.method,
        methodLabel=found.label,
        model=({"id": model_id, "name": name if isinstance(name, str) else model_id}
               if model_id else None),
        baseUrl=base_url or None,
    )
    if auth_type == "anthropic" and entry is not None and not entry.base_url:
        problems.append("Anthropic provider missing required baseUrl in "
                        "modelProviders[].baseUrl.")
    if env_key:
        source = found.source
        searched = list(found.resolution.searched) if found.resolution is not None else []
        present = found.key_present
        status["key"] = {
            "envKey": env_key,
            "present": present,
            "source": source.label if present and source is not None else None,
            "masked": mask(source.value) if present and source is not None else None,
        }
        if present:
            status.update(signedIn=True, nextStep=None)
        else:
            problems.append(f"Not signed in: {env_key} is not set in any env source (searched: "
                            f"{brief_list(searched) or 'shell environment'}). {step}")
    else:
        status.update(signedIn=True, nextStep=None)
    status["complete"] = not problems
    return status


def format_status(status: Mapping[str, Any]) -> str:
    """Render an ``AuthStatus`` as the text of ``qwen-ls auth status``."""
    lines = ["=== Authentication Status ==="]
    if status["method"] == "none" and not status.get("authType"):
        lines.append("⚠️  No authentication method configured.")
    else:
        mark = "✓" if status["complete"] else "⚠️ "
        suffix = "" if status["complete"] else " (Incomplete)"
        lines.append(f"{mark} Authentication Method: {status['methodLabel']}{suffix}")
    if status.get("signedIn") is False:
        step = status.get("nextStep") or NEXT_STEP_CLI
        said = any(step in p for p in status.get("problems", []))  # an issue below says it
        lines.append("  Not signed in." if said else f"  Not signed in. {step}")
    if status.get("authType"):
        lines.append(f"  Auth type: {status['authType']}")
    if status.get("model"):
        model = status["model"]
        shown = model["id"] if model["name"] == model["id"] else f"{model['name']} ({model['id']})"
        lines.append(f"  Current Model: {shown}")
    if status.get("baseUrl"):
        lines.append(f"  Base URL: {status['baseUrl']}")
    key = status.get("key")
    if key:
        if key["present"]:
            lines.append(f"  API key: {key['envKey']} = {key['masked']} (from {key['source']})")
        else:
            lines.append(f"  API key: {key['envKey']} (not set)")
    oauth = status.get("oauth")
    if oauth:
        state = "expired" if oauth["expired"] else "valid"
        lines.append(f"  Token: {state}, expires {oauth['expiresAt']}")
    for problem in status.get("problems", []):
        lines.append(f"  Issue: {problem}")
    return "\n".join(lines)
