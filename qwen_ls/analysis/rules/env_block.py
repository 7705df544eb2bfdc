"""QLS403-QLS407: the variables of the settings ``env`` block."""

from __future__ import annotations

import re
from collections.abc import Mapping

from qwen_ls import gitindex
from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.rules.env_keys import move_secret_fix
from qwen_ls.analysis.rules.examples import FAKE_KEY
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import Related, remove_fix, set_fix
from qwen_ls.secrets import looks_like_secret, mask
from qwen_ls.settings import known

ENV_VALUE_NOT_STRING = Rule(
    "QLS403",
    "env-value-not-string",
    "warning",
    "A settings env value that is not a string is silently ignored by the CLI.",
    '{\n  "env": {"QWEN_CODE_API_TIMEOUT_MS": 60000}\n}\n',
    '{\n  "env": {"QWEN_CODE_API_TIMEOUT_MS": "60000"}\n}\n',
    claims=lambda path, kind: path[0] == "env" and len(path) == 2,  # any issue of a value
)
ENV_LOADER_KEY = Rule(
    "QLS404",
    "env-loader-key",
    "warning",
    "settings env (and .env files) cannot set loader-affecting variables such as NODE_OPTIONS; "
    "the CLI drops them.",
    '{\n  "env": {"NODE_OPTIONS": "--max-old-space-size=8192"}\n}\n',
    '{\n  "env": {}\n}\n',
)
ENV_EXCLUDED_KEY = Rule(
    "QLS405",
    "env-excluded-key",
    "warning",
    "A variable that settings env may never set (QWEN_HOME, TLS and git/ssh controls, ...); "
    "the CLI drops it.",
    '{\n  "env": {"QWEN_HOME": "/opt/qwen"}\n}\n',
    '{\n  "env": {}\n}\n',
)
PLAINTEXT_SECRET = Rule(
    "QLS406",
    "plaintext-secret",
    "warning",
    "An API key in plain text in settings.json env: information in the user file (the CLI "
    "documents that setup), a warning in a workspace file, an error when git tracks the file. "
    "Move it to .qwen/.env (mode 0600, git-ignored).",
    '{\n  "env": {"OPENAI_API_KEY": "' + FAKE_KEY + '"}\n}\n',
    '{\n  "env": {}\n}\n',
    scope="workspace",
)
ENV_SHADOWED = Rule(
    "QLS407",
    "env-shadowed",
    "information",
    "A settings env variable that the shell or a .env file also defines: that value wins and "
    "this one is never used.",
    '{\n  "env": {"OPENAI_BASE_URL": "https://api.example.com/v1"}\n}\n',
    '{\n  "env": {"OPENAI_MODEL": "gpt-4o"}\n}\n',
    env={"OPENAI_BASE_URL": "https://proxy.example.com/v1"},
)

RULES = (ENV_VALUE_NOT_STRING, ENV_LOADER_KEY, ENV_EXCLUDED_KEY, PLAINTEXT_SECRET, ENV_SHADOWED)

_SECRET_NAME = re.compile(r"(API_?KEY|TOKEN|SECRET|PASSWORD)$", re.IGNORECASE)


def check(run: Run) -> None:
    """QLS403-QLS407 on each variable of this document's ``env`` block."""
    block = run.get(("env",))
    if not isinstance(block, Mapping):
        return
    for name, value in block.items():
        path = ("env", name)
        dropped = _dropped(name)
        if dropped is not None:
            rule, message = dropped
            rule.report(run, message, run.span(path, key=True), tags=["unnecessary"],
                        fixes=[remove_fix(f"Remove {name}", path)])
            continue
        if not isinstance(value, str):
            text = (
                value
                if value is None
                else (("true" if value else "false") if isinstance(value, bool) else str(value))
            )
            ENV_VALUE_NOT_STRING.report(
                run,
                f"env.{name} is not a string, so the CLI ignores it. Quote it.",
                run.span(path),
                tags=["unnecessary"],
                fixes=[set_fix(f'Quote the value ("{text}")', path, str(text), safe=True,
                               preferred=True)]
                if text is not None and not isinstance(value, (dict, list))
                else [],
            )
            continue
        others = [s for s in run.env.all_sources(name) if s.kind != "settings-env"]
        if value.strip() and (
            looks_like_secret(value)
            or (_SECRET_NAME.search(name) and len(value) >= 8 and not value.startswith("$"))
        ):
            severity, message = _plaintext_secret(run, name, value)
            PLAINTEXT_SECRET.report(
                run,
                message,
                run.span(path),
                severity=severity,
                fixes=[move_secret_fix(run, path, name)],
            )
        if others:
            first = others[0]
            related = (
                [Related(path=first.path, message=f"{name} is defined here", line=first.line)]
                if first.path is not None
                else []
            )
            ENV_SHADOWED.report(
                run,
                f"{name} is also set by {first.label}; that value wins and this one is never used.",
                run.span(path, key=True),
                related=related,
                tags=["unnecessary"],
            )


def _dropped(name: str) -> tuple[Rule, str] | None:
    """QLS404 or QLS405 and its message when the CLI drops ``name`` from settings env."""
    if known.is_loader_env_key(name):
        return ENV_LOADER_KEY, (
            f"settings env cannot set loader-affecting variable {name}: the "
            f'CLI prints "cannot set loader-affecting env vars; ignored: {name}".'
        )
    if known.is_project_excluded_env_key(name) or name in known.SILENTLY_DROPPED_SETTINGS_ENV:
        return ENV_EXCLUDED_KEY, (
            f"settings env may not set {name}; the CLI drops it. Export it in "
            "the shell that starts qwen instead."
        )
    return None


def _plaintext_secret(run: Run, name: str, value: str) -> tuple[str, str]:
    """QLS406's severity and message by where the file lives (facts §1; the seed page).

    The CLI's own documentation puts the key in the user file's ``env`` (one file, only the
    user reads it): information there. A workspace file travels with the project: a warning.
    A file git tracks is committed with the key in it: an error, whatever its scope.
    """
    secret = f"env.{name} keeps a secret ({mask(value)}) in plain text"
    path = run.ctx.path
    if path is not None and gitindex.is_tracked(path):
        return "error", (
            f"{secret} in a file git tracks: the key goes into the repository with the next "
            "commit (and stays in its history). Move it to .qwen/.env (mode 0600, git-ignored) "
            "and revoke the key if it was pushed."
        )
    if run.ctx.effective_scope in ("user", "system", "system-defaults"):
        return "information", (
            f"{secret} in your user settings. The CLI documents this setup and it works; "
            "~/.qwen/.env (mode 0600) keeps the key out of a settings file that is often synced "
            "or shared."
        )
    return "warning", (
        f"{secret} in a workspace settings file, which travels with the project. Move it to "
        ".qwen/.env (mode 0600, git-ignored)."
    )
