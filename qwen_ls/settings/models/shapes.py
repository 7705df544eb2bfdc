"""Hand-written shapes for settings whose value is more than a scalar or a list of strings.

The CLI's schema leaves these as bare objects or unions; here they get the shape the CLI reads,
so that completion, hover and validation can use it (facts §1.3, §1.6).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Tag

from qwen_ls.settings.models.base import OpenModel, StrictModel, setting

__all__ = [
    "AsciiArt",
    "AsciiArtPath",
    "AsciiArtSizes",
    "BugCommand",
    "ChatCompression",
    "CustomAsciiArt",
    "ExecutionSandbox",
    "GitCoAuthor",
    "GitCoAuthorSetting",
    "OutboundCorrelation",
    "StatusLine",
    "Telemetry",
]


class ExecutionSandbox(StrictModel):
    """The operator sandbox for tool execution (Linux; user or system settings only).

    The CLI accepts exactly these keys with literal values; anything else, including ``$VAR``
    references, stops it at startup.
    """

    filesystem: Literal["read-only", "workspace-write"] = setting(
        ..., "What tools may write: nothing, or the workspace."
    )
    network: Literal["open", "closed"] = setting(..., "Whether tools may use the network.")
    backend: Literal["auto", "bwrap"] = setting(description="Sandbox implementation.")


class GitCoAuthor(StrictModel):
    """Attribution added to commits and pull requests made through Qwen Code."""

    commit: bool = setting(
        True, "Add a `Co-authored-by` trailer and an AI-attribution git note to commits."
    )
    pr: bool = setting(True, "Add an attribution line to pull request descriptions.")


def _object_or_scalar(value: Any) -> str:
    return "object" if isinstance(value, dict | StrictModel) else "scalar"


GitCoAuthorSetting = Annotated[
    Annotated[bool, Tag("scalar")] | Annotated[GitCoAuthor, Tag("object")],
    Discriminator(_object_or_scalar),
]
"""``general.gitCoAuthor``: an object, or a legacy boolean for both fields."""


class AsciiArtPath(StrictModel):
    """ASCII art read from a file."""

    path: str = setting(..., "File holding the art.")


AsciiArt = Annotated[
    Annotated[str, Tag("scalar")] | Annotated[AsciiArtPath, Tag("object")],
    Discriminator(_object_or_scalar),
]


class AsciiArtSizes(StrictModel):
    """Different art for narrow and wide terminals."""

    small: AsciiArt = setting(description="Art for narrow terminals: text or `{path}`.")
    large: AsciiArt = setting(description="Art for wide terminals: text or `{path}`.")


def _ascii_art_branch(value: Any) -> str:
    if isinstance(value, dict):
        return "sizes" if ("small" in value or "large" in value) and "path" not in value else "path"
    return "text"


CustomAsciiArt = Annotated[
    Annotated[str, Tag("text")]
    | Annotated[AsciiArtPath, Tag("path")]
    | Annotated[AsciiArtSizes, Tag("sizes")],
    Discriminator(_ascii_art_branch),
]
"""``ui.customAsciiArt``: inline text, ``{path}``, or ``{small, large}``."""


class OutboundCorrelation(StrictModel):
    """Correlation data written into requests to model providers. Everything is off by default."""

    propagateTraceContext: bool = setting(
        False,
        "Send the W3C `traceparent` header on outbound requests and to shell commands. Needs "
        "`telemetry.enabled`.",
    )
    allowDynamicHeaderValues: bool = setting(
        False,
        "Allow `${session_id}` in `customHeaders`. Honoured only in user or system settings.",
    )


class ChatCompression(OpenModel):
    """When the conversation history is compressed."""

    contextPercentageThreshold: float = setting(
        description="Fraction of the context window at which history is compressed."
    )


class BugCommand(OpenModel):
    """The `/bug` command."""

    urlTemplate: str = setting(description="URL opened by `/bug`; `{title}` and `{info}` are "
                               "filled in.")


class Telemetry(OpenModel):
    """OpenTelemetry export. Other keys the CLI knows are accepted as well."""

    enabled: bool = setting(description="Export telemetry.")
    target: str = setting(description="Where to send it (`local` or `gcp`).")
    otlpEndpoint: str = setting(description="OTLP collector endpoint.")
    otlpProtocol: str = setting(description="OTLP transport (`grpc` or `http`).")
    logPrompts: bool = setting(description="Include prompt text in exported logs.")
    outfile: str = setting(description="Write telemetry to this file instead.")
    userId: str = setting(description="End-user id attached to spans; personal data.")
    includeSensitiveSpanAttributes: bool = setting(
        description="Also put prompts, tool input/output and responses on spans."
    )
    resourceAttributes: dict[str, str] = setting(
        description="Static resource attributes added to every exported span, log and metric."
    )


class StatusLine(OpenModel):
    """The footer status line: a preset, or the output of a command."""

    type: Literal["preset", "command"] = setting(description="`preset` or `command`.")
    command: str = setting(description="Shell command whose output is shown (`type: command`).")
    refreshInterval: float = setting(description="Re-run the command every N seconds.", ge=1)
    padding: float = setting(description="Padding around the status line.")
    items: list[str] = setting(description="Built-in item ids to show (`type: preset`).")
    respectUserColors: bool = setting(description="Keep ANSI colours from the command output.")
    hideContextIndicator: bool = setting(
        description="Hide the built-in context usage indicator."
    )
