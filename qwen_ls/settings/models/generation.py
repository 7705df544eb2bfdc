"""``generationConfig``: how requests to a model are built, sent and retried.

The same shape is valid at ``model.generationConfig`` (for runtime models) and at
``modelProviders.<id>[].generationConfig`` (sealed per provider model; facts §1.3, §1.4). It holds
every field of the CLI's ``MODEL_GENERATION_CONFIG_FIELDS``, not just the subset the CLI's own
JSON Schema lists.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Tag

from qwen_ls.settings.models.base import OpenModel, StrictModel, setting

__all__ = [
    "CacheRetention",
    "CacheRetentionByBlock",
    "GenerationConfig",
    "Modalities",
    "ReasoningConfig",
    "SamplingParams",
]

CacheRetention = Literal["ephemeral", "1h"]


class SamplingParams(OpenModel):
    """Sampling parameters sent to the provider as they are.

    The common ones are typed; any other key is passed through to OpenAI-compatible providers
    unchanged, so unknown keys are allowed here.
    """

    temperature: float = setting(description="Sampling temperature; higher is more random.")
    top_p: float = setting(description="Nucleus sampling: keep the smallest set of tokens whose "
                           "probabilities add up to this value.")
    top_k: int = setting(description="Sample only from the `top_k` most likely tokens.")
    max_tokens: int = setting(description="Upper limit of tokens the model may generate per "
                              "response.")
    max_completion_tokens: int = setting(
        description="Upper limit of generated tokens for APIs that use this name instead of "
        "`max_tokens` (newer OpenAI models)."
    )
    presence_penalty: float = setting(
        description="Penalise tokens that already appeared, to encourage new topics."
    )
    frequency_penalty: float = setting(
        description="Penalise tokens in proportion to how often they already appeared."
    )
    repetition_penalty: float = setting(
        description="Penalty for repeated tokens, as DashScope and vLLM name it."
    )
    seed: int = setting(description="Seed for reproducible sampling where the provider "
                        "supports it.")
    stop: str | list[str] = setting(description="Stop sequence(s) that end generation.")


class ReasoningConfig(StrictModel):
    """Explicit reasoning request for the model."""

    effort: Literal["low", "medium", "high", "xhigh", "max"] = setting(
        description="How hard the model should think."
    )
    budget_tokens: int = setting(
        description="Token budget for thinking, for providers that take one (Anthropic)."
    )


class Modalities(StrictModel):
    """Input kinds the model accepts besides text."""

    image: bool = setting(description="The model accepts images.")
    pdf: bool = setting(description="The model accepts PDF documents.")
    audio: bool = setting(description="The model accepts audio.")
    video: bool = setting(description="The model accepts video.")


class CacheRetentionByBlock(StrictModel):
    """Prompt-cache retention per cache anchor, overriding `cacheRetention`."""

    system: CacheRetention = setting(description="Retention for the system prompt anchor.")
    tool: CacheRetention = setting(description="Retention for the tool definitions anchor.")
    user_last: CacheRetention = setting(
        alias="user.last", description="Retention for the anchor on the last user message."
    )


def _reasoning_branch(value: Any) -> str:
    return "object" if isinstance(value, dict | ReasoningConfig) else "false"


Reasoning = Annotated[
    Annotated[Literal[False], Tag("false")] | Annotated[ReasoningConfig, Tag("object")],
    Discriminator(_reasoning_branch),
]


class GenerationConfig(StrictModel):
    """Request options for a model (`generationConfig`)."""

    samplingParams: SamplingParams = setting(
        description="Sampling parameters (`temperature`, `top_p`, `max_tokens`, ...). For "
        "OpenAI-compatible providers they are sent to the API exactly as written, so "
        "provider-specific keys are allowed."
    )
    timeout: float = setting(
        description="Request timeout in milliseconds. The CLI uses 120000 when unset; `0` or "
        "less turns the timeout off. The `QWEN_CODE_API_TIMEOUT_MS` env var overrides it."
    )
    streamIdleTimeoutMs: int = setting(
        description="Abort a streaming response after this many milliseconds without a new "
        "chunk.",
        ge=0,
        le=2147483647,
    )
    maxRetries: float = setting(description="How many times a failed request is retried.")
    retryInitialDelayMs: float = setting(
        description="First back-off delay, in milliseconds, when a stream is rate limited.",
        ge=1,
    )
    retryMaxDelayMs: float = setting(
        description="Longest back-off delay, in milliseconds, between rate-limit retries.",
        ge=1,
    )
    retryErrorCodes: list[int] = setting(
        description="HTTP status codes that count as retryable for this model."
    )
    enableCacheControl: bool = setting(
        True, "Send prompt-cache hints (`cache_control`) to providers that support them."
    )
    enableRequestMetadata: bool = setting(
        description="Attach request metadata (session and prompt ids) to API calls."
    )
    forceGlobalCacheScope: bool = setting(
        False,
        "Mark Anthropic cache entries with the global scope even when the base URL is a proxy "
        "rather than Anthropic itself. The proxy must pass `cache_control` through.",
    )
    cacheRetention: CacheRetention = setting(
        description="Anthropic prompt-cache lifetime: `ephemeral` (about five minutes) or `1h` "
        "(longer, but cache writes cost more)."
    )
    cacheRetentionByBlock: CacheRetentionByBlock = setting(
        description="Cache lifetime per anchor (`system`, `tool`, `user.last`), overriding "
        "`cacheRetention` where set."
    )
    schemaCompliance: Literal["auto", "openapi_30"] = setting(
        "auto",
        "How tool schemas are shaped for the model: `auto`, or `openapi_30` for strict "
        "OpenAPI 3.0 (some Gemini endpoints need it).",
    )
    reasoning: Reasoning = setting(
        description="`false` turns thinking off; `{effort, budget_tokens}` asks for a level of "
        "reasoning."
    )
    contextWindowSize: float = setting(
        description="Context window, in tokens, the CLI assumes for this model. Set it when the "
        "provider's limit differs from the built-in value; it drives auto-compaction."
    )
    customHeaders: dict[str, str] = setting(
        description="Extra HTTP headers sent with every request. `${session_id}` is replaced "
        "only when `outboundCorrelation.allowDynamicHeaderValues` is on."
    )
    extra_body: dict[str, Any] = setting(
        description="Extra fields merged into the request body. Only OpenAI-compatible "
        "protocols send it; Anthropic and Gemini ignore it."
    )
    thinkingMandatory: bool = setting(
        description="The model always thinks and cannot turn reasoning off."
    )
    modalities: Modalities = setting(
        description="Which inputs besides text the model accepts (`image`, `pdf`, `audio`, "
        "`video`)."
    )
    splitToolMedia: bool = setting(
        True,
        "Move images and other media returned by tools into a separate user message, as strict "
        "OpenAI-compatible servers require. Turn off only for the old behaviour.",
    )
    toolResultContentFormat: Literal["parts", "string"] = setting(
        "parts",
        "How text tool results are sent to OpenAI-compatible APIs: `parts` (content-part "
        "array) or `string` for older runtimes that ignore parts.",
    )
