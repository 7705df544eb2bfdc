"""QLS207 selector-model-not-found: ``fastModel``, ``visionModel``, ... name an unknown model."""

from __future__ import annotations

import difflib

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.rules.examples import FAKE_KEY
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import set_fix
from qwen_ls.settings import known

SELECTOR_MODEL_NOT_FOUND = Rule(
    "QLS207",
    "selector-model-not-found",
    "warning",
    "A model selector (fastModel, visionModel, ...) names a model id that no provider entry "
    "defines.",
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]},\n'
    '  "fastModel": "gpt-4o-mini"\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]},\n'
    '  "fastModel": "gpt-4o"\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
)

RULES = (SELECTOR_MODEL_NOT_FOUND,)


def check(run: Run) -> None:
    """Report each model selector of this document whose model id no provider entry defines."""
    if not isinstance(run.value, dict):
        return
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
        SELECTOR_MODEL_NOT_FOUND.report(
            run,
            f"{key} '{model_id}' matches no configured model id."
            + (" Closest: " + ", ".join(f"'{c}'" for c in close) + "." if close else ""),
            run.span((key,)),
            fixes=[set_fix(f"Change to '{c}'", [key], c, preferred=i == 0)
                   for i, c in enumerate(close)],
        )
