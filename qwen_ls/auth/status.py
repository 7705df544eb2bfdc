"""Authentication status: which method is active, which model, whether its key is there.

:func:`auth_status` answers ``qwen-ls.authStatus``, ``qwen-ls auth status`` and the server's
``qwen/statusChanged`` notification with the ``AuthStatus`` shape of ``docs/CONTRACTS.md``. It
resolves the auth type, model entry, key and base URL the way the CLI does at startup (facts §8),
detects the method (Qwen OAuth, Coding Plan and Token Plan by their owned URL + env key, any
other API-key provider), and lists problems as sentences a user can act on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qwen_ls.auth import creds as creds_mod
from qwen_ls.auth.context import AuthEnv
from qwen_ls.secrets import mask
from qwen_ls.settings import presets
from qwen_ls.settings import registry as reg
from qwen_ls.settings.env import brief_list
from qwen_ls.settings.known import (
    AUTH_TYPES,
    DEFAULT_BASE_URLS,
    DEFAULT_ENV_KEYS,
    DEFAULT_MODEL,
    OAUTH_DISCONTINUED_MESSAGE,
)
from qwen_ls.settings.registry import current_selection, find_model

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


def auth_status(
    workspace: Path | None,
    environ: Mapping[str, str],
    open_texts: Mapping[Path, str] | None = None,
    *,
    env: AuthEnv | None = None,
    now_ms: int | None = None,
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

    Returns
    -------
    dict
        ``AuthStatus``: ``{method, methodLabel, authType, model, baseUrl, key, oauth, problems,
        complete}``. No secret appears unmasked.
    """
    env = env or AuthEnv(workspace, environ, open_texts=open_texts)
    if now_ms is None:
        now_ms = int(dt.datetime.now(tz=dt.UTC).timestamp() * 1000)
    layers = env.layers()
    merged = env.merged()
    problems: list[str] = []
    for layer in layers:
        if layer.value is None and layer.text.strip():
            problems.append(f"{layer.path} does not parse; the CLI will refuse it or reset it. "
                            "Fix the syntax error first.")
    auth_type, model_id, model_base = current_selection(merged, env.environ)
    status: dict[str, Any] = {
        "method": "none", "methodLabel": "Not configured", "authType": auth_type, "model": None,
        "baseUrl": None, "key": None, "oauth": None, "problems": problems, "complete": False,
    }
    if auth_type is None:
        problems.append("No authentication method is selected (security.auth.selectedType is "
                        "not set). Run `qwen-ls auth coding-plan` or `qwen-ls auth api-key`.")
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
                            f"{creds_mod.creds_path(env.qwen_home)}).")
        status["complete"] = False
        return status

    models = reg.registry_from_layers(merged, layers)
    if model_id is None:
        problems.append("No model is selected (model.name is not set); Qwen Code will use "
                        + (f"'{DEFAULT_MODEL[auth_type]}'" if auth_type in DEFAULT_MODEL
                           else "the first configured model") + ".")
        model_id = DEFAULT_MODEL.get(auth_type)
    entry = find_model(models, model_id, auth_type, model_base)
    if entry is None and model_id is not None:
        problems.append(
            f"Model '{model_id}' is not configured under modelProviders.{auth_type}; Qwen Code "
            "will fall back to OPENAI_* settings or to the first configured model."
        )
    env_key = entry.effective_env_key if entry is not None else DEFAULT_ENV_KEYS.get(auth_type)
    base_url = ((entry.base_url if entry is not None else "")
                or DEFAULT_BASE_URLS.get(auth_type) or "")
    method, label = _method(auth_type, (entry.base_url or "") if entry else "", env_key)
    name = entry.config.get("name") if entry is not None else None
    status.update(
        method=method,
        methodLabel=label,
        model=({"id": model_id, "name": name if isinstance(name, str) else model_id}
               if model_id else None),
        baseUrl=base_url or None,
    )
    if auth_type == "anthropic" and entry is not None and not entry.base_url:
        problems.append("Anthropic provider missing required baseUrl in "
                        "modelProviders[].baseUrl.")
    if env_key:
        try:
            resolution = env.env_resolution(merged)
            source = resolution.lookup(env_key)
            searched = list(resolution.searched)
        except Exception:  # a broken .env must not break the status
            source, searched = None, []
        value = source.value if source is not None else None
        present = bool(value and value.strip())
        status["key"] = {
            "envKey": env_key,
            "present": present,
            "source": source.label if present and source is not None else None,
            "masked": mask(value) if present else None,
        }
        if not present:
            problems.append(f"{env_key} is not set in any env source (searched: "
                            f"{brief_list(searched) or 'shell environment'}).")
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
