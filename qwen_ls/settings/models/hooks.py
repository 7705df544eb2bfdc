"""``hooks.<Event>[]``: commands or HTTP calls the CLI runs at lifecycle events (facts §1.6).

Each event holds a list of :class:`HookDefinition`; the lists of all scopes are concatenated.
"""

from __future__ import annotations

from typing import Any, Literal

from qwen_ls.settings.models.base import StrictModel, setting

__all__ = ["HOOK_SNIPPETS", "HookConfig", "HookDefinition"]

HOOK_SNIPPETS: list[dict[str, Any]] = [
    {
        "label": "Command hook",
        "body": [{"matcher": "${1}", "hooks": [{"type": "command", "command": "${2}"}]}],
    }
]


class HookConfig(StrictModel):
    """One hook to run."""

    type: Literal["command", "http"] = setting(
        ..., "`command` runs a shell command; `http` POSTs the event to `url`."
    )
    command: str = setting(description="Shell command to run (for `type: \"command\"`).")
    url: str = setting(description="URL that receives the POST (for `type: \"http\"`).")
    headers: dict[str, str] = setting(
        description="HTTP headers for `http` hooks; `$VAR` references are expanded."
    )
    allowedEnvVars: list[str] = setting(
        description="Env vars that may be expanded in `headers` and `url`."
    )
    name: str = setting(description="Name shown in logs and `/hooks`.")
    description: str = setting(description="What the hook is for.")
    timeout: float = setting(description="Time limit for the hook.")
    env: dict[str, str] = setting(description="Extra environment variables for the command.")
    async_: bool = setting(
        alias="async", description="Run in the background without waiting for the result."
    )
    once: bool = setting(description="Run only the first time the event fires in a session.")
    statusMessage: str = setting(description="Message shown while the hook runs.")
    shell: Literal["bash", "powershell"] = setting(description="Shell used for `command`.")


class HookDefinition(StrictModel):
    """A group of hooks with an optional matcher."""

    matcher: str = setting(
        description="Pattern that selects when the hooks run (for tool events, the tool name)."
    )
    sequential: bool = setting(description="Run the hooks one after another, not in parallel.")
    hooks: list[HookConfig] = setting(..., "The hooks to run.")
