"""QLS2xx: the auth type, model.name, model.baseUrl and the model selectors."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from qwen_ls.analysis.context import display
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import Related, fix
from qwen_ls.secrets import redact
from qwen_ls.settings import known
from qwen_ls.settings import registry as reg

AUTH_PATH = ("security", "auth", "selectedType")
#: The start errors of a missing key (validateAuthMethod, refreshAuth), not of a missing base URL.
_MISSING_KEY = re.compile(
    r"^(?:Missing API key|Missing credentials)|^(?!ANTHROPIC_BASE_URL )\S+ environment variable "
    r"not found"
)


def _related_entry(run: Run, model: reg.ModelEntry, message: str) -> Related | None:
    if model.path is None:
        return None
    span = None
    if run.ctx.path is not None and model.path == run.ctx.path:
        span = run.span(("modelProviders", model.provider, model.index))
    return Related(path=model.path, message=message, span=span)


class _Lazy:
    """A span looked up only when a finding is reported (positions need the parse tree)."""

    def __init__(self, run: Run, path: tuple) -> None:
        self.run, self.path = run, path

    def get(self):
        return self.run.span(self.path)


def check(run: Run) -> None:
    """Report auth-type and model-selection problems located in this document."""
    if not isinstance(run.value, dict):
        return
    _auth_type(run)
    _model_name(run)
    _providers_without_auth_type(run)
    _key_without_env_key(run)
    _selectors(run)


def _auth_type(run: Run) -> None:
    selected = run.get(AUTH_PATH)
    if run.has(AUTH_PATH):
        span = _Lazy(run, AUTH_PATH)
        if not isinstance(selected, str) or selected not in known.AUTH_TYPES:
            guesses = difflib.get_close_matches(str(selected), known.AUTH_TYPES, n=2, cutoff=0.3)
            with_models = sorted({m.protocol for m in run.registry})
            run.report(
                "QLS201",
                f"'{selected}' is not an auth type. Qwen Code 0.24.4 crashes at startup on it "
                '("Invalid auth method selected."). Use one of: '
                + ", ".join(known.AUTH_TYPES)
                + ".",
                span,
                fixes=_auth_type_fixes(guesses or with_models[:2] or ["openai"], "Change to '{}'"),
            )
        elif selected == "qwen-oauth":
            run.report(
                "QLS202",
                known.OAUTH_DISCONTINUED_MESSAGE + " Keep qwen-oauth only for a deployment "
                "that still accepts it; otherwise sign in with Coding Plan or an API key.",
                span,
                tags=["deprecated"],
                data={"command": "qwen-ls.signIn"},
            )
    enforced_path = ("security", "auth", "enforcedType")
    enforced = run.get(enforced_path)
    current = run.get(AUTH_PATH, effective=True)
    if (
        run.has(enforced_path)
        and isinstance(enforced, str)
        and isinstance(current, str)
        and enforced in known.AUTH_TYPES
        and enforced != current
    ):
        run.report(
            "QLS208",
            known.ENFORCED_AUTH_MISMATCH.format(enforced=enforced, current=current),
            run.span(enforced_path),
            fixes=[
                fix(
                    f"Set selectedType to '{enforced}'",
                    "set-value",
                    path=list(AUTH_PATH),
                    value=enforced,
                )
            ],
        )


def _model_name(run: Run) -> None:
    name_path = ("model", "name")
    auth_type = run.auth_type
    model_name = run.get(name_path)
    if run.has(name_path) and isinstance(model_name, str) and model_name:
        name = model_name.removeprefix("$runtime|")
        if name != model_name and "|" in name:
            name = name.split("|", 1)[1]
        span = _Lazy(run, name_path)
        if auth_type is None:
            owners = sorted({m.protocol for m in run.registry if m.id == name})
            fixes = _auth_type_fixes(owners)
            run.report(
                "QLS204",
                f"model.name is '{name}' but no scope sets security.auth.selectedType: the CLI "
                "opens the auth dialog (or fails in non-interactive mode) instead of using it."
                + (f" '{name}' is configured for {', '.join(owners)}." if owners else ""),
                span,
                fixes=fixes,
            )
        elif auth_type == "qwen-oauth":
            if name not in known.QWEN_OAUTH_MODEL_IDS:
                run.report(
                    "QLS210",
                    f"Unsupported Qwen OAuth model '{name}': with qwen-oauth the CLI falls back "
                    "to 'coder-model'.",
                    span,
                    fixes=[
                        fix(
                            "Change to 'coder-model'",
                            "set-value",
                            path=list(name_path),
                            value="coder-model",
                        )
                    ],
                )
        elif auth_type in known.AUTH_TYPES:
            _model_found(run, name, auth_type, span)
    elif auth_type in known.AUTH_TYPES and auth_type != "qwen-oauth" and run.has(AUTH_PATH):
        candidates = [
            m
            for m in run.registry
            if m.protocol in reg.protocols_for_auth(auth_type) and not m.selector_only
        ]
        if candidates and not run.get(name_path, effective=True):
            env_names = known.MODEL_ENV_VARS.get(auth_type, ())
            if isinstance(env_names, str):
                env_names = (env_names,)
            env_model = next((n for n in env_names if run.ctx.environ.get(n)), None)
            fallback = (
                f"${env_model}"
                if env_model
                else f"the built-in default '{known.DEFAULT_MODEL.get(auth_type, '?')}'"
            )
            run.report(
                "QLS205",
                f"No model.name: the CLI will use {fallback} rather than one of the "
                f"{len(candidates)} configured {auth_type} model(s) (first: '{candidates[0].id}').",
                run.span(AUTH_PATH),
                fixes=[
                    fix(
                        f"Set model.name to '{candidates[0].id}'",
                        "set-value",
                        path=list(name_path),
                        value=candidates[0].id,
                    )
                ],
            )


def _providers_without_auth_type(run: Run) -> None:
    """QLS211: models are configured but nothing selects an auth type (facts §10, issue #3384).

    Reported on this file's ``modelProviders`` key when no scope sets ``selectedType`` and the
    environment selects nothing; a ``model.name`` here gets QLS204 instead.
    """
    if run.auth_type is not None or not run.has(("modelProviders",)):
        return
    if isinstance(run.get(("model", "name"), effective=True), str) and run.get(
            ("model", "name"), effective=True):
        return
    own = run.get(("modelProviders",))
    if not isinstance(own, Mapping):
        return
    protocols = list(dict.fromkeys(
        "openai" if m.protocol == "openai-responses" else m.protocol
        for m in run.registry if m.provider in own))
    if not protocols:
        return
    run.report(
        "QLS211",
        "modelProviders configures models, but no scope sets security.auth.selectedType and no "
        "environment variable selects an auth type: the CLI opens the auth dialog, and `qwen -p` "
        "stops with \"No auth type is selected\".",
        run.span(("modelProviders",), key=True),
        fixes=_auth_type_fixes(protocols),
    )


def _auth_type_fixes(
    protocols: list[str], title: str = "Set security.auth.selectedType to '{}'"
) -> list:
    """One set-selectedType fix per protocol, the first preferred (``openai-responses``: openai).

    Title and values of QLS201, QLS204 and QLS211's fixes; ``title`` has one ``{}`` for the value.
    """
    values = ["openai" if p == "openai-responses" else p for p in protocols]
    return [
        fix(title.format(v), "set-value", preferred=i == 0, path=list(AUTH_PATH), value=v)
        for i, v in enumerate(values)
    ]


def _last_setter(run: Run, path: tuple[str, ...]) -> object:
    """The file (path) of the highest-precedence scope that sets ``path``; ``False`` if none."""
    found: object = False
    for _scope, value, file in run.ctx.ordered_values(run.value):
        node: object = value
        for part in path:
            node = node.get(part) if isinstance(node, Mapping) else None
        if isinstance(node, str) and node:
            found = file
    return found


def _key_without_env_key(run: Run) -> None:
    """QLS212: ``qwen -p`` stops for a missing key that no ``envKey`` names (QLS402 can't mark it).

    The CLI then reads the protocol's default variable (``OPENAI_API_KEY``, ...) or
    ``security.auth.apiKey``. Found by the same start-up resolution as ``qwen-ls doctor``
    (checked against the real CLI), with the open document in place of its file. Reported once,
    on the value that picks the model: ``model.name`` of the file whose value wins, else its
    ``selectedType``.
    """
    auth = run.auth_type
    if auth is None or auth == "qwen-oauth" or run.ctx.path is None:
        return
    setter = _last_setter(run, ("model", "name"))
    path: tuple[str, ...] = ("model", "name")
    if setter is False:
        setter, path = _last_setter(run, AUTH_PATH), AUTH_PATH
    if setter != run.ctx.path or not run.has(path):
        return
    name = run.get(("model", "name"), effective=True)
    protocols = reg.protocols_for_auth(auth)
    same = [m for m in run.registry if m.id == name and m.protocol in protocols]
    if same and all(m.env_key for m in same):
        return  # the CLI uses one of these entries: QLS402 marks its envKey (and saves a resolve)
    from qwen_ls.settings.startup import resolve_startup

    texts = {ly.path: ly.text for ly in run.ctx.layers if ly.path is not None and ly.text}
    texts[run.ctx.path] = run.doc.text
    workspace = run.ctx.workspace
    started = resolve_startup(workspace, run.ctx.environ, texts, trusted=run.ctx.trusted)
    message = started.start_error or ""
    if started.load_error or started.fatal or not _MISSING_KEY.search(message):
        return
    entry = reg.find_model(run.registry, started.model or "", started.auth_type or auth)
    if entry is not None and entry.env_key:
        return  # QLS402 marks that envKey
    var = started.key_var or known.DEFAULT_ENV_KEYS.get(started.auth_type or auth, "")
    run.report(
        "QLS212",
        f"No key for {started.auth_type} model '{started.model}': it names no envKey, so the CLI "
        f"reads {var or 'security.auth.apiKey'}, which no env source provides (searched: "
        f"{', '.join(run.env.searched)}). `qwen -p` stops with: \"{redact(message)}\"",
        _Lazy(run, path),
        data={"envKey": var, "command": "qwen-ls.signIn.apiKey"},
    )


def _model_found(run: Run, name: str, auth_type: str, span) -> None:
    base_url = run.get(("model", "baseUrl"), effective=True)
    entry = reg.find_model(run.registry, name, auth_type)
    if entry is None:
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
        fixes = [
            fix(f"Change to '{c}'", "set-value", preferred=i == 0, path=["model", "name"], value=c)
            for i, c in enumerate(close)
        ]
        for proto in elsewhere:
            auth_value = "openai" if proto == "openai-responses" else proto
            parts.append(f"'{name}' is configured under {proto}.")
            fixes.append(
                fix(
                    f"Set security.auth.selectedType to '{auth_value}'",
                    "set-value",
                    path=list(AUTH_PATH),
                    value=auth_value,
                )
            )
        run.report(
            "QLS203",
            " ".join(parts),
            span,
            fixes=fixes,
            data={"candidates": close or same_auth[:20]},
        )
        return
    if entry.selector_only:
        run.report(
            "QLS209",
            f"{entry.selector_only}-only model '{name}' cannot be used as the primary model.",
            span,
        )
    if isinstance(base_url, str) and base_url and run.has(("model", "baseUrl")):
        same_id = [
            m
            for m in run.registry
            if m.id == name and m.protocol in reg.protocols_for_auth(auth_type)
        ]
        if not any((m.base_url or "") == base_url for m in same_id):
            first = same_id[0].base_url or ""
            run.report(
                "QLS206",
                f"Persisted model.baseUrl '{base_url}' no longer matches any provider for model "
                f"'{name}' (authType '{auth_type}'); the CLI uses the first id match ('{first}').",
                run.span(("model", "baseUrl")),
                fixes=[
                    fix(
                        f"Set model.baseUrl to '{first}'",
                        "set-value",
                        safe=True,
                        path=["model", "baseUrl"],
                        value=first,
                    )
                ],
            )
    gen = run.get(("model", "generationConfig"))
    if isinstance(gen, dict) and gen:
        for field_name in gen:
            rel = _related_entry(run, entry, f"provider entry of '{name}'")
            run.report(
                "QLS310",
                "Warning: "
                + known.GENERATION_CONFIG_IGNORED_WARNING.format(
                    field=field_name, model=name, provider=entry.provider
                ),
                run.span(("model", "generationConfig", field_name), key=True),
                related=[rel] if rel else [],
                tags=["unnecessary"],
                fixes=[
                    fix(
                        f"Move to modelProviders.{entry.provider}[{entry.index}].generationConfig",
                        "move-value",
                        path=["model", "generationConfig", field_name],
                        to_path=[
                            "modelProviders",
                            entry.provider,
                            entry.index,
                            "generationConfig",
                            field_name,
                        ],
                    )
                ]
                if entry.path is not None
                and run.ctx.path is not None
                and entry.path == run.ctx.path
                else [],
            )


def _selectors(run: Run) -> None:
    ids = {m.id for m in run.registry}
    for key in known.MODEL_SELECTOR_KEYS:
        value = run.get((key,))
        if not run.has((key,)) or not isinstance(value, str) or not value:
            continue
        model_id = value.split("\0", 1)[0]
        if ":" in model_id and model_id.split(":", 1)[0] in known.AUTH_TYPES:
            model_id = model_id.split(":", 1)[1]
        if model_id in ids or model_id in known.QWEN_OAUTH_MODEL_IDS:
            continue
        close = difflib.get_close_matches(model_id, sorted(ids), n=3, cutoff=0.5)
        run.report(
            "QLS207",
            f"{key} '{model_id}' matches no configured model id."
            + (" Closest: " + ", ".join(f"'{c}'" for c in close) + "." if close else ""),
            run.span((key,)),
            fixes=[
                fix(f"Change to '{c}'", "set-value", preferred=i == 0, path=[key], value=c)
                for i, c in enumerate(close)
            ],
        )


__all__ = ["check", "display"]
