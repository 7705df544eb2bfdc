"""QLS204, QLS205, QLS211: a model without an auth type, an auth type without a model."""

from __future__ import annotations

from collections.abc import Mapping

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.rules.auth_type import AUTH_PATH, auth_type_fixes
from qwen_ls.analysis.rules.examples import FAKE_KEY
from qwen_ls.analysis.rules.model_name import NAME_PATH, own_model_name
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import set_fix
from qwen_ls.settings import known
from qwen_ls.settings import registry as reg

MODEL_WITHOUT_AUTH_TYPE = Rule(
    "QLS204",
    "model-without-auth-type",
    "warning",
    "model.name is set but no scope sets security.auth.selectedType: the CLI opens the auth "
    "dialog (or fails in non-interactive mode) instead of using the model.",
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]},\n'
    '  "model": {"name": "gpt-4o"}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]},\n'
    '  "security": {"auth": {"selectedType": "openai"}},\n'
    '  "model": {"name": "gpt-4o"}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
    sign_in=True,
)
NO_MODEL_SELECTED = Rule(
    "QLS205",
    "no-model-selected",
    "information",
    "An auth type is selected and models are configured for it, but model.name is not set: "
    "the CLI uses the protocol's model env variable or its built-in default instead.",
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]},\n'
    '  "security": {"auth": {"selectedType": "openai"}}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]},\n'
    '  "security": {"auth": {"selectedType": "openai"}},\n'
    '  "model": {"name": "gpt-4o"}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
)
NO_AUTH_TYPE = Rule(
    "QLS211",
    "no-auth-type",
    "warning",
    "modelProviders configures models but no scope sets security.auth.selectedType (and no "
    "env variable selects an auth type): the CLI opens the auth dialog, and qwen -p stops with "
    "\"No auth type is selected\".",
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]},\n'
    '  "security": {"auth": {"selectedType": "openai"}}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
    sign_in=True,
)

RULES = (MODEL_WITHOUT_AUTH_TYPE, NO_MODEL_SELECTED, NO_AUTH_TYPE)


def check_model_without_auth_type(run: Run) -> None:
    """QLS204: this document names a model, but nothing selects an auth type."""
    name = own_model_name(run)
    if name is None or run.auth_type is not None:
        return
    owners = sorted({m.protocol for m in run.registry if m.id == name})
    MODEL_WITHOUT_AUTH_TYPE.report(
        run,
        f"model.name is '{name}' but no scope sets security.auth.selectedType: the CLI "
        "opens the auth dialog (or fails in non-interactive mode) instead of using it."
        + (f" '{name}' is configured for {', '.join(owners)}." if owners else ""),
        run.lazy_span(NAME_PATH),
        fixes=auth_type_fixes(owners),
    )


def check_no_model_selected(run: Run) -> None:
    """QLS205: this document selects an auth type with configured models, but no scope a model."""
    auth_type = run.auth_type
    if (own_model_name(run) is not None or auth_type not in known.AUTH_TYPES
            or auth_type == "qwen-oauth" or not run.has(AUTH_PATH)):
        return
    candidates = [
        m
        for m in run.registry
        if m.protocol in reg.protocols_for_auth(auth_type) and not m.selector_only
    ]
    if not candidates or run.get(NAME_PATH, effective=True):
        return
    env_names = known.MODEL_ENV_VARS.get(auth_type, ())
    env_model = next((n for n in env_names if run.ctx.environ.get(n)), None)
    fallback = (
        f"${env_model}"
        if env_model
        else f"the built-in default '{known.DEFAULT_MODEL.get(auth_type, '?')}'"
    )
    NO_MODEL_SELECTED.report(
        run,
        f"No model.name: the CLI will use {fallback} rather than one of the "
        f"{len(candidates)} configured {auth_type} model(s) (first: '{candidates[0].id}').",
        run.span(AUTH_PATH),
        fixes=[set_fix(f"Set model.name to '{candidates[0].id}'", NAME_PATH, candidates[0].id)],
    )


def check_no_auth_type(run: Run) -> None:
    """QLS211: models are configured but nothing selects an auth type (facts §10, issue #3384).

    Reported on this file's ``modelProviders`` key when no scope sets ``selectedType`` and the
    environment selects nothing; a ``model.name`` here gets QLS204 instead.
    """
    if not isinstance(run.value, dict):
        return
    if run.auth_type is not None or not run.has(("modelProviders",)):
        return
    name = run.get(NAME_PATH, effective=True)
    if isinstance(name, str) and name:
        return
    own = run.get(("modelProviders",))
    if not isinstance(own, Mapping):
        return
    protocols = list(dict.fromkeys(
        "openai" if m.protocol == "openai-responses" else m.protocol
        for m in run.registry if m.provider in own))
    if not protocols:
        return
    NO_AUTH_TYPE.report(
        run,
        "modelProviders configures models, but no scope sets security.auth.selectedType and no "
        "environment variable selects an auth type: the CLI opens the auth dialog, and `qwen -p` "
        "stops with \"No auth type is selected\".",
        run.span(("modelProviders",), key=True),
        fixes=auth_type_fixes(protocols),
    )


CHECKS = (check_model_without_auth_type, check_no_model_selected, check_no_auth_type)
