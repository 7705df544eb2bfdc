"""QLS203, QLS206, QLS209, QLS210: the model ``model.name`` picks for the selected auth type."""

from __future__ import annotations

import difflib

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.rules.auth_type import AUTH_PATH
from qwen_ls.analysis.rules.examples import FAKE_KEY
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import set_fix
from qwen_ls.settings import known
from qwen_ls.settings import registry as reg

NAME_PATH = ("model", "name")

MODEL_NOT_FOUND = Rule(
    "QLS203",
    "model-not-found",
    "warning",
    "model.name matches no model id configured for the selected auth type. The CLI then "
    "silently falls back to another model or to api.openai.com with OPENAI_API_KEY.",
    '{\n  "modelProviders": {"openai": [{"id": "qwen3-coder-plus", "envKey": "DASHSCOPE_API_KEY",\n'
    '    "baseUrl": "https://dashscope.aliyuncs.com/compatible-mode/v1"}]},\n'
    '  "security": {"auth": {"selectedType": "openai"}},\n'
    '  "model": {"name": "qwen3-coder"}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "qwen3-coder-plus", "envKey": "DASHSCOPE_API_KEY",\n'
    '    "baseUrl": "https://dashscope.aliyuncs.com/compatible-mode/v1"}]},\n'
    '  "security": {"auth": {"selectedType": "openai"}},\n'
    '  "model": {"name": "qwen3-coder-plus"}\n}\n',
    env={"DASHSCOPE_API_KEY": FAKE_KEY},
)
STALE_MODEL_BASE_URL = Rule(
    "QLS206",
    "stale-model-base-url",
    "warning",
    "model.baseUrl (written by the /model picker) matches no provider entry of model.name; the "
    "CLI warns and uses the first entry with that id.",
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]},\n'
    '  "security": {"auth": {"selectedType": "openai"}},\n'
    '  "model": {"name": "gpt-4o", "baseUrl": "https://old.example.com/v1"}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]},\n'
    '  "security": {"auth": {"selectedType": "openai"}},\n'
    '  "model": {"name": "gpt-4o", "baseUrl": "https://api.openai.com/v1"}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
)
SELECTOR_ONLY_PRIMARY_MODEL = Rule(
    "QLS209",
    "selector-only-primary-model",
    "warning",
    "model.name names an image-, voice- or realtime-only model, which cannot be the primary "
    "model.",
    '{\n  "modelProviders": {"openai": [{"id": "img-1", "imageOnly": true, "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}, {"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]},\n'
    '  "security": {"auth": {"selectedType": "openai"}},\n'
    '  "model": {"name": "img-1"}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "img-1", "imageOnly": true, "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}, {"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]},\n'
    '  "security": {"auth": {"selectedType": "openai"}},\n'
    '  "model": {"name": "gpt-4o"}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
)
UNSUPPORTED_QWEN_OAUTH_MODEL = Rule(
    "QLS210",
    "unsupported-qwen-oauth-model",
    "warning",
    "With Qwen OAuth only 'coder-model' is allowed; the CLI falls back to it.",
    '{\n  "security": {"auth": {"selectedType": "qwen-oauth"}},\n  "model": {"name": "qwen3-coder-plus"}\n}\n',
    '{\n  "security": {"auth": {"selectedType": "qwen-oauth"}},\n  "model": {"name": "coder-model"}\n}\n',
)

RULES = (MODEL_NOT_FOUND, STALE_MODEL_BASE_URL, SELECTOR_ONLY_PRIMARY_MODEL,
         UNSUPPORTED_QWEN_OAUTH_MODEL)


def own_model_name(run: Run) -> str | None:
    """The model id this document's ``model.name`` names (``$runtime|<auth>|`` removed), if any."""
    model_name = run.get(NAME_PATH)
    if not (run.has(NAME_PATH) and isinstance(model_name, str) and model_name):
        return None
    name = model_name.removeprefix("$runtime|")
    if name != model_name and "|" in name:
        name = name.split("|", 1)[1]
    return name


def selected_entry(run: Run) -> tuple[str, str, reg.ModelEntry | None] | None:
    """What this document's model.name picks for a (non-OAuth) auth type, if anything.

    ``(name, auth type, provider entry)``; the entry is ``None`` when no entry has that id.
    """
    name = own_model_name(run)
    auth_type = run.auth_type
    if name is None or auth_type == "qwen-oauth" or auth_type not in known.AUTH_TYPES:
        return None
    return name, auth_type, reg.find_model(run.registry, name, auth_type)


def check_oauth_model(run: Run) -> None:
    """QLS210: with Qwen OAuth only its hard-coded model is allowed."""
    name = own_model_name(run)
    if name is None or run.auth_type != "qwen-oauth" or name in known.QWEN_OAUTH_MODEL_IDS:
        return
    UNSUPPORTED_QWEN_OAUTH_MODEL.report(
        run,
        f"Unsupported Qwen OAuth model '{name}': with qwen-oauth the CLI falls back "
        "to 'coder-model'.",
        run.lazy_span(NAME_PATH),
        fixes=[set_fix("Change to 'coder-model'", NAME_PATH, "coder-model")],
    )


def check(run: Run) -> None:
    """QLS203, QLS209, QLS206: the provider entry model.name picks, and model.baseUrl."""
    if not isinstance(run.value, dict):
        return
    selected = selected_entry(run)
    if selected is None:
        return
    name, auth_type, entry = selected
    span = run.lazy_span(NAME_PATH)
    if entry is None:
        _not_found(run, name, auth_type, span)
        return
    if entry.selector_only:
        SELECTOR_ONLY_PRIMARY_MODEL.report(
            run,
            f"{entry.selector_only}-only model '{name}' cannot be used as the primary model.",
            span,
        )
    base_url = run.get(("model", "baseUrl"), effective=True)
    if isinstance(base_url, str) and base_url and run.has(("model", "baseUrl")):
        same_id = [
            m
            for m in run.registry
            if m.id == name and m.protocol in reg.protocols_for_auth(auth_type)
        ]
        if not any((m.base_url or "") == base_url for m in same_id):
            first = same_id[0].base_url or ""
            STALE_MODEL_BASE_URL.report(
                run,
                f"Persisted model.baseUrl '{base_url}' no longer matches any provider for model "
                f"'{name}' (authType '{auth_type}'); the CLI uses the first id match ('{first}').",
                run.span(("model", "baseUrl")),
                fixes=[set_fix(f"Set model.baseUrl to '{first}'", ["model", "baseUrl"], first,
                               safe=True)],
            )


def _not_found(run: Run, name: str, auth_type: str, span) -> None:
    protocols = reg.protocols_for_auth(auth_type)
    same_auth = list(dict.fromkeys(m.id for m in run.registry if m.protocol in protocols))
    close = difflib.get_close_matches(name, same_auth, n=3, cutoff=0.5)
    elsewhere = sorted({m.protocol for m in run.registry if m.id == name})
    parts = [f"model.name '{name}' matches no model id configured for auth type '{auth_type}'."]
    parts.append(
        "The CLI silently falls back to another model (or to api.openai.com with "
        "OPENAI_API_KEY)."
    )
    if close:
        parts.append("Closest: " + ", ".join(f"'{c}'" for c in close) + ".")
    elif same_auth:
        parts.append(
            f"Available: {', '.join(same_auth[:8])}" + ("…" if len(same_auth) > 8 else "") + "."
        )
    else:
        parts.append(f"No models are configured for '{auth_type}'.")
    fixes = [set_fix(f"Change to '{c}'", NAME_PATH, c, preferred=i == 0)
             for i, c in enumerate(close)]
    for proto in elsewhere:
        auth_value = "openai" if proto == "openai-responses" else proto
        parts.append(f"'{name}' is configured under {proto}.")
        fixes.append(set_fix(f"Set security.auth.selectedType to '{auth_value}'", AUTH_PATH,
                             auth_value))
    MODEL_NOT_FOUND.report(
        run, " ".join(parts), span, fixes=fixes, data={"candidates": close or same_auth[:20]}
    )


CHECKS = (check_oauth_model, check)
