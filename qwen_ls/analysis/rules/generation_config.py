"""QLS310 generation-config-ignored: ``model.generationConfig`` under a provider model."""

from __future__ import annotations

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.rules.examples import FAKE_KEY
from qwen_ls.analysis.rules.model_name import selected_entry
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import Related, move_fix

GENERATION_CONFIG_IGNORED = Rule(
    "QLS310",
    "generation-config-ignored",
    "warning",
    "model.generationConfig is ignored for a model that comes from modelProviders: the "
    "provider entry's generationConfig is sealed.",
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]},\n'
    '  "security": {"auth": {"selectedType": "openai"}},\n'
    '  "model": {"name": "gpt-4o", "generationConfig": {"contextWindowSize": 128000}}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1", "generationConfig": {"contextWindowSize": 128000}}]},\n'
    '  "security": {"auth": {"selectedType": "openai"}},\n'
    '  "model": {"name": "gpt-4o"}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
)

RULES = (GENERATION_CONFIG_IGNORED,)

#: The CLI's warning for ``model.generationConfig.<field>`` while the model is a provider model.
GENERATION_CONFIG_IGNORED_WARNING = (
    'model.generationConfig.{field} is ignored for provider model "{model}" from '
    "modelProviders.{provider}. Move this field to modelProviders.{provider}[].generationConfig "
    "for that model if you want it to apply."
)


def check(run: Run) -> None:
    """Report each ``model.generationConfig`` field of this document the selected entry seals."""
    if not isinstance(run.value, dict):
        return
    gen = run.get(("model", "generationConfig"))
    if not isinstance(gen, dict) or not gen:
        return
    selected = selected_entry(run)
    if selected is None or selected[2] is None:
        return
    name, _auth_type, entry = selected
    here = entry.path is not None and run.ctx.path is not None and entry.path == run.ctx.path
    for field_name in gen:
        related = []
        if entry.path is not None:
            span = run.span(("modelProviders", entry.provider, entry.index)) if here else None
            related = [Related(path=entry.path, message=f"provider entry of '{name}'", span=span)]
        GENERATION_CONFIG_IGNORED.report(
            run,
            "Warning: " + GENERATION_CONFIG_IGNORED_WARNING.format(
                field=field_name, model=name, provider=entry.provider),
            run.span(("model", "generationConfig", field_name), key=True),
            related=related,
            tags=["unnecessary"],
            fixes=[move_fix(
                f"Move to modelProviders.{entry.provider}[{entry.index}].generationConfig",
                ["model", "generationConfig", field_name],
                ["modelProviders", entry.provider, entry.index, "generationConfig", field_name],
            )] if here else [],
        )
