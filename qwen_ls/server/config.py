"""Server options: ``initializationOptions``, ``workspace/configuration``, didChangeConfiguration.

One typed dataclass, camelCase on the wire and snake_case in Python. Clients send ``null`` for
settings the user left unset (VS Code does for every declared setting), so nulls are skipped and the
default applies. Invalid input never stops the server: the fields that validate
are kept, the rest fall back to defaults, and one message says which were ignored.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

logger = logging.getLogger(__name__)

_LOG_LEVELS = ("error", "warning", "info", "debug")


@dataclass(frozen=True)
class ServerOptions:
    """What a client may tune. Every field has a safe default.

    A plain dataclass validated by :func:`parse_options` (not pydantic: importing pydantic here
    would add ~40 ms before the ``initialize`` answer).
    """

    diagnostic_delay_ms: int = 150
    """Debounce of pushed diagnostics after ``didChange``, per document (0-10000; tests set 0)."""
    inlay_hints: bool = True
    """Show ``✓ <source>`` / ``✗ not set`` after each ``envKey``."""
    open_browser: bool = True
    """Let sign-in flows ask the client to open the verification URL (``window/showDocument``)."""
    log_level: str = "info"
    """Level of the ``qwen_ls`` loggers: error, warning, info or debug (``pygls`` stays at
    WARNING)."""
    trusted: bool = True
    """Whether the workspace folder is trusted (untrusted: workspace settings and project .env
    are ignored, as the CLI does with folder trust on)."""
    max_file_bytes: int = 0
    """Size limit of every file read from disk (0: ``$QWEN_LS_MAX_FILE_BYTES`` or 8 MiB; at most
    1 GiB). Larger files, and anything that is not a regular file, are refused unread."""


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


_WIRE = {_camel(f.name): f.name for f in fields(ServerOptions)}


def _valid(name: str, value: Any) -> bool:
    if name == "diagnostic_delay_ms":
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10_000
    if name == "log_level":
        return value in _LOG_LEVELS
    if name == "max_file_bytes":
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1 << 30
    return isinstance(value, bool)


def parse_options(raw: Any, base: ServerOptions | None = None) -> tuple[ServerOptions, str | None]:
    """Validate client-sent options on top of ``base``.

    camelCase on the wire (``diagnosticDelayMs``), snake_case accepted too. ``null`` values (what
    clients send for unset settings) and unknown keys are ignored.

    Parameters
    ----------
    raw
        The JSON value the client sent: the ``initializationOptions``, or the ``qwen`` section of
        a configuration. A ``{"qwen": {...}}`` wrapper is unwrapped. Anything not an object is
        treated as "no options".
    base
        The options to update; defaults when ``None``.

    Returns
    -------
    tuple[ServerOptions, str | None]
        The options, and a user-facing message naming the ignored fields when some were invalid.
    """
    base = base or ServerOptions()
    if isinstance(raw, dict) and isinstance(raw.get("qwen"), dict):
        raw = raw["qwen"]
    if not isinstance(raw, dict):
        return base, None
    changes: dict[str, Any] = {}
    bad: list[str] = []
    known = set(asdict(base))
    for key, value in raw.items():
        name = _WIRE.get(key, key if key in known else None)
        if name is None or value is None:
            continue
        if _valid(name, value):
            changes[name] = value
        else:
            bad.append(_camel(name))
    options = replace(base, **changes)
    if not bad:
        return options, None
    message = (
        f"qwen-ls: invalid option(s) {', '.join(sorted(bad))} in the client configuration; using "
        "the defaults for them."
    )
    return options, message
