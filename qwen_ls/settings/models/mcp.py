"""``mcpServers.<name>``: how the CLI starts or connects to one MCP server (facts §1.6).

A server needs one of ``httpUrl`` (streamable HTTP), ``url`` (SSE) or ``command`` (stdio); when
several are set the CLI prefers them in that order. Workspace entries are merged over user
entries per server name.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict

from qwen_ls.settings.models.base import OpenModel, StrictModel, setting

__all__ = ["MCP_SERVER_SNIPPETS", "McpOAuthConfig", "McpServerConfig"]

MCP_SERVER_SNIPPETS: list[dict[str, Any]] = [
    {
        "label": "stdio server",
        "description": "Start a local MCP server process",
        "body": {"command": "${1:npx}", "args": ["${2:-y}", "${3:package-name}"]},
    },
    {
        "label": "HTTP server",
        "description": "Connect to a streamable HTTP MCP server",
        "body": {"httpUrl": "${1:https://example.com/mcp}"},
    },
    {
        "label": "SSE server",
        "description": "Connect to a Server-Sent Events MCP server",
        "body": {"url": "${1:https://example.com/sse}"},
    },
]


class McpOAuthConfig(OpenModel):
    """OAuth settings for a remote MCP server."""

    enabled: bool = setting(description="Use OAuth for this server.")
    clientId: str = setting(description="OAuth client id.")
    clientSecret: str = setting(description="OAuth client secret. Prefer an env reference.")
    authorizationUrl: str = setting(description="Authorization endpoint.")
    tokenUrl: str = setting(description="Token endpoint.")
    scopes: list[str] = setting(description="Scopes to request.")
    audiences: list[str] = setting(description="Audiences to request.")
    redirectUri: str = setting(description="Redirect URI registered for the client.")
    tokenParamName: str = setting(description="Query parameter that carries the token.")
    registrationUrl: str = setting(description="Dynamic client registration endpoint.")


class McpServerConfig(StrictModel):
    """One MCP server."""

    model_config = ConfigDict(json_schema_extra={"defaultSnippets": MCP_SERVER_SNIPPETS})

    command: str = setting(description="Executable that starts a stdio server.")
    args: list[str] = setting(description="Arguments passed to `command`.")
    env: dict[str, str] = setting(
        description="Environment variables for the server process. Values may use `$VAR`."
    )
    cwd: str = setting(description="Working directory for `command`.")
    url: str = setting(description="URL of a Server-Sent Events (SSE) server.")
    httpUrl: str = setting(
        description="URL of a streamable HTTP server. Wins over `url` and `command`."
    )
    headers: dict[str, str] = setting(description="HTTP headers sent to `url` / `httpUrl`.")
    tcp: str = setting(description="`host:port` of a WebSocket server.")
    type: Literal["stdio", "sse", "http", "ws", "sdk"] = setting(
        description="Transport, when it cannot be told from the other keys."
    )
    timeout: float = setting(description="Request timeout in milliseconds.")
    discoveryTimeoutMs: float = setting(
        description="How long, in milliseconds, tool discovery may take at startup."
    )
    trust: bool = setting(
        description="Skip confirmation prompts for this server's tools. Only for servers you "
        "control."
    )
    description: str = setting(description="Shown in `/mcp`.")
    includeTools: list[str] = setting(description="Only these tools are exposed.")
    excludeTools: list[str] = setting(
        description="These tools are hidden; wins over `includeTools`."
    )
    alwaysLoadTools: bool = setting(
        description="Declare this server's tools up front instead of loading them on demand "
        "through tool search."
    )
    extensionName: str = setting(description="Set by the CLI for servers that come from an "
                                 "extension.")
    oauth: McpOAuthConfig = setting(description="OAuth settings for a remote server.")
    authProviderType: Literal[
        "dynamic_discovery", "google_credentials", "service_account_impersonation"
    ] = setting(description="How the CLI obtains credentials for the server.")
    targetAudience: str = setting(
        description="OAuth client id to request an identity token for (service account "
        "impersonation)."
    )
    targetServiceAccount: str = setting(description="Service account to impersonate.")
