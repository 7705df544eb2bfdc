"""QLS120 workspace-restricted: keys the CLI honours only outside a workspace file."""

from __future__ import annotations

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import remove_fix
from qwen_ls.settings import known

WORKSPACE_RESTRICTED = Rule(
    "QLS120",
    "workspace-restricted",
    "warning",
    "A key that the CLI only honours in the user or system file; in a workspace file it is "
    "ignored with a startup warning.",
    '{\n  "tools": {"workflowsEnabled": true}\n}\n',
    '{\n  "tools": {"approvalMode": "default"}\n}\n',
    scope="workspace",
)

#: The CLI's startup warning for a workspace-restricted key found in a workspace file.
WORKSPACE_RESTRICTED_WARNING = (
    "{key} in workspace settings ({path}) is ignored. This setting is only honored from User, "
    "System, or SystemDefaults scope settings."
)

RULES = (WORKSPACE_RESTRICTED,)


def check(run: Run) -> None:
    """Report each workspace-restricted key this workspace file sets."""
    if not isinstance(run.value, dict) or run.ctx.effective_scope != "workspace":
        return
    for dotted in sorted(known.WORKSPACE_RESTRICTED_KEYS):
        path = tuple(dotted.split("."))
        if run.has(path):
            WORKSPACE_RESTRICTED.report(
                run,
                "Warning: "
                + WORKSPACE_RESTRICTED_WARNING.format(key=dotted, path=run.ctx.display_path()),
                run.span(path, key=True),
                tags=["unnecessary"],
                fixes=[remove_fix(f"Remove '{dotted}'", path)],
            )
