"""``modelProviders``, ``providerProtocol`` and the provider metadata the CLI writes.

``modelProviders`` maps a provider id to a list of :class:`ModelConfig`. The built-in ids are
the CLI's auth types; a custom id works only when ``providerProtocol`` maps it to one of them
(facts §1.4). ``providerMetadata`` and the legacy ``codingPlan`` / ``tokenPlan`` keys are written
by ``/auth`` and the VS Code companion but are missing from the CLI's own schema (facts §1.2).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from qwen_ls.settings.known import AUTH_TYPES, REASONING_PROFILES
from qwen_ls.settings.models.base import OpenModel, StrictModel, setting
from qwen_ls.settings.models.generation import GenerationConfig

__all__ = [
    "AuthType",
    "CodingPlanLegacy",
    "ModelCapabilities",
    "ModelConfig",
    "ModelProviders",
    "ProviderMetadataEntry",
    "ReasoningCapabilities",
]

AuthType = Literal[AUTH_TYPES]  # type: ignore[valid-type]
"""The six auth types: openai, openai-responses, qwen-oauth, gemini, vertex-ai, anthropic."""

Effort = Literal["none", "low", "medium", "high", "xhigh", "max"]

MODEL_SNIPPET: dict[str, Any] = {
    "label": "New model",
    "description": "A model entry with id, display name, base URL and the env var holding the key",
    "body": {
        "id": "${1:model-id}",
        "name": "${2:Display name}",
        "baseUrl": "${3:https://api.example.com/v1}",
        "envKey": "${4:PROVIDER_API_KEY}",
    },
}


class ReasoningCapabilities(StrictModel):
    """How the model's reasoning is controlled."""

    profile: Literal[REASONING_PROFILES] = setting(  # type: ignore[valid-type]
        description="Which wire convention turns reasoning on and sets its level."
    )
    efforts: list[Effort] = setting(description="The effort levels the model supports.")
    defaultEffort: Effort = setting(description="Effort used when none is chosen.")
    thinking: bool = setting(description="The model can think before answering.")
    toggleOnly: bool = setting(description="Reasoning can be switched on or off but has no levels.")
    canDisable: bool = setting(description="Reasoning can be turned off for this model.")
    disableField: str = setting(description="Request field used to turn reasoning off.")


class ModelCapabilities(StrictModel):
    """What the model can do; the model picker and the vision bridge read this."""

    vision: bool = setting(description="The model understands images.")
    agent: bool = setting(description="The model is suited to agentic tool use.")
    reasoning: ReasoningCapabilities = setting(description="Reasoning controls of the model.")


class ModelConfig(StrictModel):
    """One model offered by a provider (an entry of `modelProviders.<id>`)."""

    model_config = ConfigDict(json_schema_extra={"defaultSnippets": [MODEL_SNIPPET]})

    id: str = setting(
        ...,
        "Model id sent to the API, and what `model.name` must name to select this entry. "
        "Required: the CLI fails on an entry without it.",
    )
    name: str = setting(description="Name shown in the `/model` picker. Defaults to `id`.")
    description: str = setting(description="Short text shown next to the model in `/model`.")
    envKey: str = setting(
        description="**Name** of the environment variable that holds the API key, for example "
        "`DASHSCOPE_API_KEY`, never the key itself. When omitted the protocol default "
        "(`OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, ...) is used, which is less reliable."
    )
    baseUrl: str = setting(
        description="API endpoint, with scheme, for example "
        "`https://dashscope.aliyuncs.com/compatible-mode/v1`. Without it, openai models use "
        "`https://api.openai.com/v1` (not `OPENAI_BASE_URL`) and other protocols their SDK "
        "default."
    )
    wireApi: Literal["chat-completions", "responses"] = setting(
        description="OpenAI-compatible models only: which API to call, Chat Completions or "
        "Responses. Any other value, or any value on another protocol, stops the CLI at startup."
    )
    generationConfig: GenerationConfig = setting(
        description="Request options for this model. They are sealed: fields not set here are "
        "**not** taken from `model.generationConfig`."
    )
    capabilities: ModelCapabilities = setting(
        description="What the model supports (vision, agent use, reasoning controls)."
    )
    fastOnly: bool = setting(description="Offer this model only as the fast model.")
    voiceOnly: bool = setting(
        description="Offer this model only for voice transcription; it cannot be the main model."
    )
    visionOnly: bool = setting(description="Offer this model only as the vision model.")
    imageOnly: bool = setting(
        description="Image-generation model, offered only as `imageModel`; it cannot be the "
        "main model."
    )
    realtimeOnly: bool = setting(
        description="Realtime (live voice) model; it cannot be the main model."
    )
    supportsImageGeneration: bool = setting(description="The model can generate images.")


_MODEL_LIST_DOC = (
    "Models reached through the `{protocol}` protocol. Each entry needs an `id`; set `envKey` "
    "and `baseUrl` too."
)


class ModelProviders(OpenModel):
    """Models per provider id.

    Built-in ids are the auth types; any other id is allowed but is skipped by the CLI unless
    ``providerProtocol`` maps it, which the analysis layer reports.
    """

    __pydantic_extra__: dict[str, list[ModelConfig]] = Field(init=False)  # type: ignore[assignment]

    openai: list[ModelConfig] = setting(
        description=_MODEL_LIST_DOC.format(protocol="OpenAI-compatible")
        + " Use `wireApi: \"responses\"` per model for the Responses API.",
        snippets=[{"label": "New model", "body": [MODEL_SNIPPET["body"]]}],
    )
    openai_responses: list[ModelConfig] = setting(
        alias="openai-responses",
        description="Legacy provider key for OpenAI Responses models. Prefer `openai` with "
        "`wireApi: \"responses\"` on each model.",
    )
    anthropic: list[ModelConfig] = setting(
        description=_MODEL_LIST_DOC.format(protocol="Anthropic")
        + " Anthropic entries need a `baseUrl`.",
        snippets=[{"label": "New model", "body": [MODEL_SNIPPET["body"]]}],
    )
    gemini: list[ModelConfig] = setting(
        description=_MODEL_LIST_DOC.format(protocol="Google Gemini"),
        snippets=[{"label": "New model", "body": [MODEL_SNIPPET["body"]]}],
    )
    vertex_ai: list[ModelConfig] = setting(
        alias="vertex-ai", description=_MODEL_LIST_DOC.format(protocol="Vertex AI")
    )
    qwen_oauth: list[ModelConfig] = setting(
        alias="qwen-oauth",
        description="Ignored: Qwen OAuth uses built-in models only, and the service was "
        "discontinued on 2026-04-15.",
    )


class ProviderMetadataEntry(OpenModel):
    """What ``/auth`` records about an installed provider preset."""

    version: str | int | float = setting(
        description="Version of the preset template that wrote the models."
    )
    baseUrl: str = setting(description="Base URL the preset was installed with.")
    ignoredVersion: str | int | float = setting(
        description="Template version the user chose not to update to."
    )
    postponedVersion: str | int | float = setting(
        description="Template version whose update was postponed."
    )
    postponedAt: str | int | float = setting(description="When the update was postponed.")
    builtinIds: list[str] = setting(description="Model ids the preset installed.")
    region: str = setting(description="Region of the plan (for example `china` or `intl`).")


class CodingPlanLegacy(OpenModel):
    """The pre-0.16 ``codingPlan`` / ``tokenPlan`` record, now in ``providerMetadata``."""

    region: str = setting(description="Region chosen at sign-in.")
    version: str | int | float = setting(description="Template version that wrote the models.")
