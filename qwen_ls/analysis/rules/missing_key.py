"""QLS212 key-without-env-key: ``qwen -p`` stops for a missing key that no ``envKey`` names."""

from __future__ import annotations

import re
from collections.abc import Mapping

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.rules.auth_type import AUTH_PATH
from qwen_ls.analysis.rules.examples import FAKE_KEY
from qwen_ls.analysis.rules.model_name import NAME_PATH
from qwen_ls.analysis.run import Run
from qwen_ls.protocol import SIGN_IN_API_KEY
from qwen_ls.secrets import redact
from qwen_ls.settings import known
from qwen_ls.settings import registry as reg

KEY_WITHOUT_ENV_KEY = Rule(
    "QLS212",
    "key-without-env-key",
    "warning",
    "qwen -p would stop for a missing API key that no envKey names: the selected model has "
    "no provider entry with an envKey (or is the protocol's default model), so the CLI reads "
    "the protocol's default variable (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY) or "
    "security.auth.apiKey, and nothing provides it. Reported on the model.name (or "
    "selectedType) that picks the model.",
    '{\n  "security": {"auth": {"selectedType": "openai"}},\n  "model": {"name": "gpt-4o"}\n}\n',
    '{\n  "security": {"auth": {"selectedType": "openai"}},\n  "model": {"name": "gpt-4o"}\n}\n',
    good_env={"OPENAI_API_KEY": FAKE_KEY},
    sign_in=True,
)

RULES = (KEY_WITHOUT_ENV_KEY,)

#: The start errors of a missing key (validateAuthMethod, refreshAuth), not of a missing base URL.
_MISSING_KEY = re.compile(
    r"^(?:Missing API key|Missing credentials)|^(?!ANTHROPIC_BASE_URL )\S+ environment variable "
    r"not found"
)


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


def check(run: Run) -> None:
    """QLS212, found by the same start-up resolution as ``qwen-ls doctor``.

    The CLI then reads the protocol's default variable (``OPENAI_API_KEY``, ...) or
    ``security.auth.apiKey``; QLS402 cannot mark it, as no envKey names it. The resolution is
    checked against the real CLI; here it runs with the open document in place of its file.
    Reported once, on the value that picks the model: ``model.name`` of the file whose value
    wins, else its ``selectedType``.
    """
    if not isinstance(run.value, dict):
        return
    auth = run.auth_type
    if auth is None or auth == "qwen-oauth" or run.ctx.path is None:
        return
    setter = _last_setter(run, NAME_PATH)
    path: tuple[str, ...] = NAME_PATH
    if setter is False:
        setter, path = _last_setter(run, AUTH_PATH), AUTH_PATH
    if setter != run.ctx.path or not run.has(path):
        return
    name = run.get(NAME_PATH, effective=True)
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
    KEY_WITHOUT_ENV_KEY.report(
        run,
        f"No key for {started.auth_type} model '{started.model}': it names no envKey, so the CLI "
        f"reads {var or 'security.auth.apiKey'}, which no env source provides (searched: "
        f"{', '.join(run.env.searched)}). `qwen -p` stops with: \"{redact(message)}\"",
        run.lazy_span(path),
        data={"envKey": var, "command": SIGN_IN_API_KEY},
    )
