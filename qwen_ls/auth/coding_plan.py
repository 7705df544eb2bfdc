"""Alibaba Cloud Coding Plan sign-in (facts §5), as ``qwen auth coding-plan`` and ``/auth`` did it.

Steps: pick the region (``china`` → coding.dashscope…, ``intl`` → coding-intl.dashscope…), check
the key starts with ``sk-sp-``, optionally verify it with ``GET <baseUrl>/models``, then write:

- the current template into ``modelProviders.openai``: Coding Plan entries are replaced, the
  user's own entries are kept, plan models come first (the CLI prepends them);
- ``providerMetadata["coding-plan"] = {version, baseUrl, region}`` and no legacy ``codingPlan``;
- ``security.auth.selectedType = "openai"``, ``model.name`` (the first plan model unless the
  current one is still offered) and ``model.baseUrl``;
- the key into ``<QWEN_HOME>/.env`` (0600) by default, or ``env.BAILIAN_CODING_PLAN_API_KEY`` in
  settings when asked.

Settings go to the scope the CLI would pick (``persist_scope_for_model_selection``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from qwen_ls.auth.common import (
    AuthError,
    borrowed_client,
    check_url,
    describe_body,
    error_result,
    json_body,
    nothing_written,
    refuse_redirect,
)
from qwen_ls.auth.context import AuthEnv
from qwen_ls.protocol import result
from qwen_ls.secrets import mask, remember
from qwen_ls.settings import presets
from qwen_ls.settings.known import CODING_PLAN_INVALID_KEY
from qwen_ls.store import (
    DELETE,
    Change,
    InsertAt,
    StoreError,
    backup,
    restore,
    shown,
    write_env_var,
)

logger = logging.getLogger(__name__)

ENV_KEY = presets.CODING_PLAN_ENV_KEY
REGIONS: Mapping[str, str] = {"china": presets.CODING_PLAN_CHINA_BASE_URL,
                              "intl": presets.CODING_PLAN_INTL_BASE_URL}
REGION_LABELS: Mapping[str, str] = {"china": "China (Beijing)",
                                    "intl": "Singapore (International)"}
Storage = Literal["env-file", "settings"]


def normalize_region(region: str | None) -> str:
    """Return ``china`` or ``intl`` (``global`` is the old name of ``intl``).

    Raises
    ------
    AuthError
        For any other value.
    """
    value = (region or "").strip().lower()
    value = {"global": "intl", "aliyun": "china", "alibabacloud": "intl"}.get(value, value)
    if value not in REGIONS:
        raise AuthError(f"Unknown Coding Plan region '{region}'. Use 'china' or 'intl'.")
    return value


def validate_key(key: str | None) -> str:
    """Return the stripped key, or raise :class:`AuthError` with the CLI's message."""
    value = (key or "").strip()
    if not value.startswith(presets.CODING_PLAN_KEY_PREFIX):
        raise AuthError(CODING_PLAN_INVALID_KEY)
    remember(value)
    return value


async def verify_key(base_url: str, key: str, *, timeout: float = 10.0,
                     client: httpx.AsyncClient | None = None) -> None:
    """Check the key with ``GET <base_url>/models`` (Bearer auth).

    Raises
    ------
    AuthError
        401/403 (with the region / Token Plan hint), other failures (with ``--no-verify`` hint).
    """
    host = urlsplit(base_url).hostname
    try:
        async with borrowed_client(client, base_url, timeout) as http:
            response = await http.get(base_url.rstrip("/") + "/models",
                                      headers={"Authorization": f"Bearer {key}",
                                               "Accept": "application/json"})
    except httpx.TimeoutException as exc:
        raise AuthError(f"Could not verify the key: {host} did not answer within {timeout:g} s. "
                        "Nothing was written; retry, or skip the check with --no-verify.") from exc
    except httpx.HTTPError as exc:
        raise AuthError(f"Could not verify the key: {host} is unreachable "
                        f"({type(exc).__name__}). Nothing was written; retry, or skip the check "
                        "with --no-verify.") from exc
    try:
        refuse_redirect(response, f"The Coding Plan service at {host}")
    except AuthError as exc:
        raise AuthError(nothing_written(str(exc))) from None
    if response.status_code in (401, 403):
        raise AuthError(
            f"The Coding Plan service at {host} rejected the key {mask(key)} "
            f"(HTTP {response.status_code}); nothing was written. The key may belong to the other "
            "region (china / intl) or to Token Plan, which uses its own URL and "
            "BAILIAN_TOKEN_PLAN_API_KEY."
        )
    if response.status_code >= 400:
        raise AuthError(f"Could not verify the key: {host} answered HTTP {response.status_code}. "
                        "Nothing was written; retry, or skip the check with --no-verify.")
    data = json_body(response)
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        # a captive portal, a proxy's page or a broken server: not a verification
        what = (describe_body(response) if data is None
                else "JSON that is not a model list")
        raise AuthError(f"Could not verify the key: {host} answered with {what} "
                        f"(HTTP {response.status_code}). Nothing was written; check the base "
                        "URL, retry, or skip the check with --no-verify.")


def _owned(entry: Any, base_url: str) -> bool:
    if presets.is_coding_plan_owned(entry):
        return True
    return (isinstance(entry, Mapping) and entry.get("envKey") == ENV_KEY
            and presets.normalize_url(str(entry.get("baseUrl") or ""))
            == presets.normalize_url(base_url))


def template(region: str, base_url: str) -> list[dict[str, Any]]:
    """Return the Coding Plan model entries for ``region``, pointed at ``base_url``."""
    models = presets.coding_plan_models(region)
    for model in models:
        model["baseUrl"] = base_url
    return models


def plan_changes(
    scope_value: Mapping[str, Any] | None,
    merged: Mapping[str, Any],
    region: str,
    base_url: str,
    key: str | None,
) -> tuple[list[Change], str]:
    """Compute the settings changes of a Coding Plan install and the model it selects.

    Parameters
    ----------
    scope_value
        The current value of the settings file being written (``None`` when new).
    merged
        The effective settings (to keep a current model that is still offered).
    region
        ``china`` or ``intl``.
    base_url
        The base URL written into entries and ``model.baseUrl``.
    key
        Written as ``env.BAILIAN_CODING_PLAN_API_KEY`` when not ``None``.

    Returns
    -------
    tuple[list[Change], str]
        The changes, and the selected model id.
    """
    value = scope_value or {}
    models = template(region, base_url)
    ids = [m["id"] for m in models]
    changes: list[Change] = []
    providers = value.get("modelProviders")
    existing = providers.get("openai") if isinstance(providers, Mapping) else None
    if isinstance(existing, list):
        for index in sorted((i for i, e in enumerate(existing) if _owned(e, base_url)),
                            reverse=True):
            changes.append((("modelProviders", "openai", index), DELETE))
        for index, model in enumerate(models):
            changes.append((("modelProviders", "openai"), InsertAt(index, model)))
    else:
        changes.append((("modelProviders", "openai"), models))
    meta = ("providerMetadata", presets.CODING_PLAN_METADATA_KEY)
    changes.append((meta + ("version",), presets.model_list_version(models)))
    changes.append((meta + ("baseUrl",), base_url))
    changes.append((meta + ("region",), region))
    if "codingPlan" in value:
        changes.append((("codingPlan",), DELETE))
    changes.append((("security", "auth", "selectedType"), "openai"))
    model = merged.get("model") if isinstance(merged.get("model"), Mapping) else {}
    current = model.get("name") if isinstance(model, Mapping) else None
    chosen = current if current in ids else ids[0]
    changes.append((("model", "name"), chosen))
    changes.append((("model", "baseUrl"), base_url))
    if key is not None:
        changes.append((("env", ENV_KEY), key))
    else:
        env_value = value.get("env")
        if isinstance(env_value, Mapping) and ENV_KEY in env_value:
            # the key now lives in the .env file; a stale plain-text copy must not linger
            changes.append((("env", ENV_KEY), DELETE))
    return changes, chosen


async def sign_in(
    env: AuthEnv,
    *,
    region: str,
    key: str,
    base_url: str | None = None,
    verify: bool = True,
    storage: Storage = "env-file",
    timeout: float = 10.0,
) -> dict[str, Any]:
    """Configure Coding Plan and return a ``SignInResult``.

    Parameters
    ----------
    env
        Workspace, environment and store.
    region
        ``china`` or ``intl``.
    key
        The ``sk-sp-`` key (never logged or echoed unmasked).
    base_url
        Override the region's URL (tests, proxies); plain http only for loopback.
    verify
        Check the key against ``GET <baseUrl>/models`` first.
    storage
        ``env-file`` (``<QWEN_HOME>/.env``, 0600) or ``settings`` (``env`` in the settings file).
    timeout
        Seconds for the verification request.

    Returns
    -------
    dict
        ``SignInResult``.
    """
    try:
        region = normalize_region(region)
        key = validate_key(key)
        url = check_url(base_url or REGIONS[region], "The Coding Plan base URL")
        if storage not in ("env-file", "settings"):
            raise AuthError(f"Unknown key storage '{storage}'. Use 'env-file' or 'settings'.")
        scope, settings_file = env.persist_path()
        refusal = await env.store.check(settings_file)
        if refusal:
            raise AuthError(refusal)
        if verify:
            await verify_key(url, key, timeout=timeout)
        scope_value = env.layer_values().get(scope)
        changes, chosen = plan_changes(scope_value, env.merged(), region, url,
                                       key if storage == "settings" else None)
    except AuthError as exc:
        return error_result(exc)
    files: list[Path] = []
    env_file = env.qwen_home / ".env"
    before = None
    try:
        before = backup(env_file, workspace=env.workspace) if storage == "env-file" else None
        if storage == "env-file":
            files.append(write_env_var(env_file, ENV_KEY, key, workspace=env.workspace))
        outcome = await env.store.update(settings_file, changes)
    except (StoreError, ValueError, OSError) as exc:
        message = f"Failed to authenticate with Coding Plan: {exc}"
        if files and before is not None:
            try:  # the settings write failed: take the key back out, leave no half setup
                restore(before)
                files = []
            except (StoreError, OSError) as undo:
                message += (f" The key was already saved to {env_file} and could not be "
                            f"removed again ({undo}).")
        return result(False, "error", message, files)
    if outcome.changed:
        files.append(settings_file)
    where = (f"saved to {shown(env_file, files[0])}" if storage == "env-file"
             else f"saved in {shown(settings_file, outcome.target or settings_file)} (env)")
    lines = [
        f"Successfully authenticated with Alibaba Cloud Coding Plan "
        f"({REGION_LABELS[region]}). Model: {chosen}. Key {mask(key)} {where}.",
    ]
    lines.extend(_shadow_warnings(env, key))
    return result(True, "signed-in", " ".join(lines), files, model=chosen)


def _shadow_warnings(env: AuthEnv, key: str) -> list[str]:
    """Warn when a source that wins over ours holds a different key (masked)."""
    warnings: list[str] = []
    shell = env.environ.get(ENV_KEY)
    if shell and shell.strip() and shell.strip() != key:
        warnings.append(
            f"Warning: {ENV_KEY} is also set in your shell environment ({mask(shell)}); the "
            "shell value will take priority on restart. Unset it or update it."
        )
        return warnings
    try:
        found = env.env_resolution().lookup(ENV_KEY)
    except Exception:  # env resolution is advisory here; never fail a finished sign-in
        logger.debug("env resolution failed", exc_info=True)
        return warnings
    value = getattr(found, "value", None)
    if isinstance(value, str) and value.strip() and value.strip() != key:
        warnings.append(
            f"Warning: {ENV_KEY} is also set in {found.label} ({mask(value)}); that value will "
            "take priority on restart. Remove it or update it."
        )
    return warnings

