"""Masking of API keys and tokens wherever text leaves the process.

Every message, log line, hover and diagnostic that could carry a secret passes through
:func:`redact` (free text) or :func:`mask` (a value known to be secret).
"""

from __future__ import annotations

import logging
import re

_SECRET_PATTERNS = [
    # OpenAI / DashScope / Coding Plan / Anthropic style keys: sk-..., sk-sp-..., sk-ant-...
    re.compile(r"\bsk-[A-Za-z0-9_\-]{6,}"),
    # Google API keys
    re.compile(r"\bAIza[0-9A-Za-z_\-]{20,}"),
    # Bearer tokens and JWT-like blobs
    re.compile(r"(?i)(?<=bearer )[A-Za-z0-9._\-]{12,}"),
    re.compile(r"\beyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{5,}"),
]
_KNOWN: set[str] = set()
_KNOWN_RE: re.Pattern[str] | None = None


def mask(value: str | None) -> str:
    """Return a display form of a secret that cannot be used: ``sk-…1a2b``.

    Parameters
    ----------
    value
        The secret. ``None`` or empty gives ``"(not set)"``.

    Returns
    -------
    str
        The first three and last four characters around an ellipsis, or ``***`` for short values.
    """
    if not value:
        return "(not set)"
    value = value.strip()
    if len(value) <= 8:
        return "***"
    return f"{value[:3]}…{value[-4:]}"


def remember(secret: str | None) -> None:
    """Register a secret value seen at run time so that :func:`redact` masks it anywhere."""
    global _KNOWN_RE
    if not secret or len(secret.strip()) < 6:
        return
    _KNOWN.add(secret.strip())
    _KNOWN_RE = re.compile("|".join(re.escape(s) for s in sorted(_KNOWN, key=len, reverse=True)))


def redact(text: str) -> str:
    """Mask every secret-shaped substring and every remembered secret in ``text``."""
    if _KNOWN_RE is not None:
        text = _KNOWN_RE.sub(lambda m: mask(m.group(0)), text)
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(_mask_match, text)
    return text


def _mask_match(match: re.Match[str]) -> str:
    found = match.group(0)
    return found if "…" in found else mask(found)


def looks_like_secret(value: str) -> bool:
    """Tell whether a string looks like a key or token rather than a variable name."""
    v = value.strip()
    if any(p.search(v) for p in _SECRET_PATTERNS):
        return True
    # Long, mixed-case or digit-rich strings without the shape of an env var name.
    if len(v) >= 24 and not re.fullmatch(r"[A-Z][A-Z0-9_]*", v):
        return bool(re.search(r"[a-z]", v) and re.search(r"[0-9]", v))
    return False


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in the formatted message of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with secrets masked; never drops a record."""
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info:
            import traceback

            record.msg += "\n" + redact("".join(traceback.format_exception(*record.exc_info)))
            record.exc_info = None
            record.exc_text = None
        return True
