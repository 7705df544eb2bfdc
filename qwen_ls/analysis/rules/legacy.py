"""QLS110-QLS113: keys and formats the CLI migrates, ignores or keeps only as a fallback."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import fix, move_fix, set_fix
from qwen_ls.settings import catalog, known


def _is_modern(version: object) -> bool:
    """Whether ``$version`` is a number of at least 4 (the CLI then migrates nothing)."""
    return isinstance(version, (int, float)) and not isinstance(version, bool) and version >= 4


# ---- QLS110 legacy-key ---------------------------------------------------------------------

LEGACY_KEY = Rule(
    "QLS110",
    "legacy-key",
    "warning",
    "A flat V1 key. In a $version 4 file the CLI ignores it (\"Legacy setting '<k>' will be "
    'ignored"); in an older file it migrates it and rewrites the file.',
    '{\n  "$version": 4,\n  "theme": "Qwen Dark"\n}\n',
    '{\n  "$version": 4,\n  "ui": {"theme": "Qwen Dark"}\n}\n',
    claims=lambda path, kind: len(path) == 1 and path[0] in known.LEGACY_V1_KEYS,
)

#: The CLI's startup warning for a V1 flat key in a ``$version`` >= 4 file.
LEGACY_SETTING_WARNING = (
    "Legacy setting '{old_key}' will be ignored in {path}. Please use '{new_path}' instead."
)


@cache
def containers() -> frozenset[str]:
    """V1 keys that are also top-level objects of the model (``"model": {...}`` is V2's).

    The CLI treats such a key as legacy only when its value is a primitive or an array, so
    ``"model": "qwen3"`` is legacy while ``"model": {...}`` is the V2 container.
    """
    return frozenset(known.LEGACY_V1_KEYS) & {info.name for info in catalog.child_keys(())}


def check_legacy_keys(run: Run) -> None:
    """QLS110: every V1 flat key, with a move to its V2 path where that path is free."""
    value = run.value
    if not isinstance(value, dict):
        return
    modern = _is_modern(value.get("$version"))
    path_text = run.ctx.display_path()
    for key, new_path in known.LEGACY_V1_KEYS.items():
        if key not in value:
            continue
        if isinstance(value[key], dict) and key in containers():
            continue  # "model": {...} is the V2 container, not the V1 flat key
        if modern:
            message = LEGACY_SETTING_WARNING.format(old_key=key, path=path_text, new_path=new_path)
        else:
            message = (
                f"Legacy setting '{key}': the CLI migrates it to '{new_path}' on its next "
                "start and rewrites this file."
            )
        target = tuple(new_path.split("."))
        fixes = []
        if not run.has(target):
            fixes.append(move_fix(f"Move to '{new_path}'", [key], target, safe=True,
                                  preferred=True))
        LEGACY_KEY.report(run, message, run.span((key,), key=True), tags=["deprecated"],
                          fixes=fixes)


# ---- QLS111 legacy-metadata ----------------------------------------------------------------

LEGACY_METADATA = Rule(
    "QLS111",
    "legacy-metadata",
    "information",
    "The legacy top-level codingPlan/tokenPlan metadata; the CLI migrates it to "
    "providerMetadata.",
    '{\n  "codingPlan": {"region": "china", "version": "abc"}\n}\n',
    '{\n  "providerMetadata": {"coding-plan": {"version": "abc", '
    '"baseUrl": "https://coding.dashscope.aliyuncs.com/v1"}}\n}\n',
    claims=lambda path, kind: path[0] in known.LEGACY_METADATA_KEYS,
)


def check_legacy_metadata(run: Run) -> None:
    """QLS111: ``codingPlan`` / ``tokenPlan`` at the top level."""
    value = run.value
    if not isinstance(value, dict):
        return
    for key, meta_id in known.LEGACY_METADATA_KEYS.items():
        if key in value:
            LEGACY_METADATA.report(
                run,
                f"'{key}' is legacy metadata: the CLI migrates it to "
                f'providerMetadata["{meta_id}"] and deletes it.',
                run.span((key,), key=True),
                tags=["deprecated"],
            )


# ---- QLS112 deprecated-key -----------------------------------------------------------------

DEPRECATED_KEY = Rule(
    "QLS112",
    "deprecated-key",
    "warning",
    "A deprecated key that still works as a low-priority fallback, e.g. "
    "security.auth.apiKey (a secret in plain text) and security.auth.baseUrl.",
    '{\n  "security": {"auth": {"selectedType": "openai", "baseUrl": "https://api.example.com/v1"}}\n}\n',
    '{\n  "security": {"auth": {"selectedType": "openai"}}\n}\n',
)


def check_deprecated(run: Run) -> None:
    """QLS112: ``security.auth.apiKey`` and ``security.auth.baseUrl``."""
    if not isinstance(run.value, dict):
        return
    auth = run.get(("security", "auth"))
    if not isinstance(auth, Mapping):
        return
    if "apiKey" in auth:
        DEPRECATED_KEY.report(
            run,
            "security.auth.apiKey is deprecated and keeps an API key in plain text; it is only a "
            "last fallback for OpenAI-compatible models. Put the key in .qwen/.env and name it "
            "with envKey.",
            run.span(("security", "auth", "apiKey"), key=True),
            tags=["deprecated"],
            fixes=[
                fix("Move the key to .qwen/.env as OPENAI_API_KEY", "move-secret-to-env",
                    path=["security", "auth", "apiKey"], name="OPENAI_API_KEY")
            ],
        )
    if "baseUrl" in auth:
        DEPRECATED_KEY.report(
            run,
            "security.auth.baseUrl is deprecated: provider models use their own baseUrl and do "
            "not reliably inherit this one. Set baseUrl on each modelProviders entry.",
            run.span(("security", "auth", "baseUrl"), key=True),
            tags=["deprecated"],
        )


# ---- QLS113 old-settings-version -----------------------------------------------------------

OLD_SETTINGS_VERSION = Rule(
    "QLS113",
    "old-settings-version",
    "information",
    "$version is missing or older than 4: on its next start the CLI migrates the file and "
    "rewrites it on disk.",
    '{\n  "$version": 2,\n  "ui": {"theme": "Qwen Dark"}\n}\n',
    '{\n  "$version": 4,\n  "ui": {"theme": "Qwen Dark"}\n}\n',
)


def check_version(run: Run) -> None:
    """QLS113: an explicit ``$version`` below 4 (or not a number)."""
    value = run.value
    # A missing $version is normal in hand-written files (the CLI quietly adds it); only an
    # explicit old or invalid one means the CLI will migrate and rewrite the file.
    if not isinstance(value, dict) or "$version" not in value:
        return
    version = value["$version"]
    if _is_modern(version):
        return
    OLD_SETTINGS_VERSION.report(
        run,
        f"$version is {version!r}: on its next start the CLI migrates this file to version 4 "
        "and rewrites it on disk.",
        run.span(("$version",)),
        fixes=[set_fix("Set $version to 4", ["$version"], 4)],
    )


RULES = (LEGACY_KEY, LEGACY_METADATA, DEPRECATED_KEY, OLD_SETTINGS_VERSION)
CHECKS = (check_legacy_keys, check_legacy_metadata, check_deprecated, check_version)
