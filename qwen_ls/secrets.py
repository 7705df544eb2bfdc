"""Masking of API keys and tokens wherever text leaves the process.

Every message, log line, hover and diagnostic that could carry a secret passes through
:func:`redact` (free text) or :func:`mask` (a value known to be secret).
"""

from __future__ import annotations

import logging
import re

# (marks, pattern): the pattern runs only when the lowercased text holds one of its marks.
_TOKEN_SHAPES: list[tuple[tuple[str, ...], str]] = [
    # OpenAI / DashScope / Coding Plan / Anthropic style keys: sk-..., sk-sp-..., sk-ant-...
    (("sk-",), r"\bsk-[A-Za-z0-9_\-]{6,}"),
    # Stripe-style live/test keys
    (("sk_", "rk_"), r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{8,}"),
    # Google API keys and OAuth access tokens
    (("aiza",), r"\bAIza[0-9A-Za-z_\-]{20,}"),
    (("ya29.",), r"\bya29\.[0-9A-Za-z_\-]{10,}"),
    # GitHub, GitLab, Hugging Face, npm, Slack tokens
    (("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
     r"\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,})"),
    (("glpat-",), r"\bglpat-[A-Za-z0-9_\-]{16,}"),
    (("hf_",), r"\bhf_[A-Za-z0-9]{16,}"),
    (("npm_",), r"\bnpm_[A-Za-z0-9]{20,}"),
    (("xox",), r"\bxox[abprs]-[A-Za-z0-9\-]{10,}"),
    # AWS access key ids
    (("akia", "asia"), r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    # JWT-like blobs
    (("eyj",), r"\beyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{5,}"),
    # PEM private keys (the whole block)
    (("-----begin",),
     r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)"),
]

_SECRET_NAME = (
    r"[A-Za-z0-9_.\-]*(?:api[_\-]?key|apikey|access[_\-]?key|secret|"
    r"token(?!s|izer|[_\-]?type|[_\-]?count|[_\-]?limit|[_\-]?url|[_\-]?uri|[_\-]?endpoint)"
    r"|passw(?:or)?d|passwd|pwd|credential|authorization|auth[_\-]?(?:token|key|header)"
    r"|private[_\-]?key|session[_\-]?key|x-api-key|api-key|client[_\-]?secret|cookie"
    r"|signature)[A-Za-z0-9_.\-]*"
)

# Each pattern has one group, "v", the part to mask.
_VALUE_SHAPES = [
    # Authorization headers and the like: "Bearer xyz", "Basic xyz" (with or without a name)
    r"(?i)\b(?:bearer|basic|token)[ \t]+(?P<v>[A-Za-z0-9._~+/=\-]{8,})",
    # URL userinfo: scheme://user:pass@host or scheme://token@host
    r"://(?P<v>[^/\s@:'\"<>]+(?::[^/\s@'\"<>]*)?)@",
    # credential query parameters
    r"(?i)[?&;](?:api[_\-]?key|apikey|key|token|access_token|refresh_token|id_token|sig"
    r"|signature|secret|client_secret|password|passwd|pwd|auth|code|x-amz-signature"
    r"|x-goog-signature|sas|sv)=(?P<v>[^&#\s'\"<>]{3,})",
]
# JSON members and assignments ("apiKey": "v", API_KEY=v, token: v): found from each ':' or '='
# (few per text) by looking back for the name and forward for the value; the value is masked
# only when the name says secret (_SECRET_NAME_RE).
_SEPARATOR_RE = re.compile(r"[:=]")
_PAIR_VALUE_RE = re.compile(
    r"[ \t]*(?:\"(?P<v>[^\"\n]{3,})\"|'(?P<v2>[^'\n]{3,})'|(?P<v3>[^\s\"',;}{\]\[)(]{3,}))"
)
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
_SECRET_NAME_RE = re.compile(r"(?i)" + _SECRET_NAME)
# Cheap first looks (substring tests run at C speed, a regex alternation does not): text
# without any of these literals cannot match the patterns behind them.
_VALUE_MARKS = ("bearer", "basic", "token", "://", "=")
_NAME_MARKS = ("key", "secret", "token", "passw", "pwd", "credential", "auth", "cookie",
               "signature")

_TOKEN_RES = [(marks, re.compile(p)) for marks, p in _TOKEN_SHAPES]
_VALUE_INDEX = len(_TOKEN_RES)
_PAIR_INDEX = _VALUE_INDEX + 1
_SECRET_PATTERNS = [pattern for _, pattern in _TOKEN_RES]
_VALUE_RES = [re.compile(p) for p in _VALUE_SHAPES]
_MARKS: list[tuple[str, int]] = [
    *((mark, i) for i, (marks, _) in enumerate(_TOKEN_RES) for mark in marks),
    *((mark, _VALUE_INDEX) for mark in _VALUE_MARKS),
    *((mark, _PAIR_INDEX) for mark in _NAME_MARKS),
]
"""(lowercase literal, what to run when the text holds it): the cheap first look of redact."""
_MARK_INDEX: dict[str, set[int]] = {}
for _mark, _index in _MARKS:
    _MARK_INDEX.setdefault(_mark, set()).add(_index)
# One pass over the text finds every mark (longest first, so "github_pat_" wins over "gh").
_MARK_RE = re.compile("|".join(re.escape(m) for m in sorted(_MARK_INDEX, key=len, reverse=True)))
_KNOWN: set[str] = set()
_KNOWN_RE: re.Pattern[str] | None = None

_NON_SECRET_PREFIXES = ("sk-", "sk_", "rk_", "AIz", "ya2", "gh", "git", "glp", "hf_", "npm",
                        "xox", "AKI", "ASI", "eyJ", "---")
"""Prefixes that say which kind of key it is without saying anything about the key itself."""


def mask(value: str | None) -> str:
    """Return a display form of a secret that cannot be used: ``sk-…1a2b``.

    Parameters
    ----------
    value
        The secret. ``None`` or empty gives ``"(not set)"``.

    Returns
    -------
    str
        ``***`` for up to 8 characters; ``…`` and the last 2 characters up to 15; for longer
        values the last 4, after the first three characters only when they are a well-known,
        information-free key prefix (``sk-``, ``AIz``, ``ghp``...).
    """
    if not value:
        return "(not set)"
    value = value.strip()
    if len(value) <= 8:
        return "***"
    if len(value) < 16:
        return f"…{value[-2:]}"
    head = value[:3] if value.startswith(_NON_SECRET_PREFIXES) else ""
    return f"{head}…{value[-4:]}"


_ON_REMEMBER: list = []


def on_remember(callback) -> None:  # noqa: ANN001 - a no-argument callable
    """Call ``callback()`` whenever a new secret is remembered (caches of redacted text)."""
    _ON_REMEMBER.append(callback)


def remember(secret: str | None) -> None:
    """Register a secret value seen at run time so that :func:`redact` masks it anywhere."""
    global _KNOWN_RE
    if not secret or len(secret.strip()) < 6 or secret.strip() in _KNOWN:
        return
    _KNOWN.add(secret.strip())
    _KNOWN_RE = re.compile("|".join(re.escape(s) for s in sorted(_KNOWN, key=len, reverse=True)))
    for callback in _ON_REMEMBER:
        callback()


# C0 controls (but tab and line feed), DEL, C1 controls, and the bidirectional overrides that
# reorder what a reader sees ("Trojan Source").
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape_one(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, *, multiline: bool = True) -> str:
    """Make control characters visible (``ESC`` becomes the four characters backslash-x-1-b).

    Parameters
    ----------
    text
        Text that came from a file or a server.
    multiline
        Keep line feeds (``False`` escapes them too, for one-line output).
    """
    return (_CONTROL_RE if multiline else _CONTROL_OR_NL_RE).sub(_escape_one, text)


def redact(text: str, *, multiline: bool = True) -> str:
    """Make ``text`` safe to show: every secret masked, every control character escaped.

    This is the one function every output path calls (CLI, LSP messages, logs). It masks
    remembered secrets, token shapes (``sk-…``, ``ghp_…``, JWTs, PEM keys...), credentials in URLs
    (``https://user:…@host``, ``?api_key=…``), header values (``Bearer …``, ``x-api-key: …``) and
    the values of JSON members or assignments named like a secret (``"apiKey": "…"``,
    ``OPENAI_API_KEY=…``), then escapes control characters (see :func:`escape_controls`).

    Parameters
    ----------
    text
        Any text about to leave the process.
    multiline
        ``False`` also escapes line breaks (for one-line terminal output).

    Returns
    -------
    str
        The display-safe text.
    """
    if not isinstance(text, str):
        text = str(text)
    if _KNOWN_RE is not None:
        text = _KNOWN_RE.sub(lambda m: mask(m.group(0)), text)
    low = text.lower()  # marks are ASCII: lower() never changes where they are
    hits = {index for mark in set(_MARK_RE.findall(low)) for index in _MARK_INDEX[mark]}
    for index in sorted(hits):
        if index < len(_TOKEN_RES):
            text = _TOKEN_RES[index][1].sub(_mask_match, text)
        elif index == _VALUE_INDEX:
            for pattern in _VALUE_RES:
                text = pattern.sub(_mask_value, text)
        elif ":" in text or "=" in text:
            text = _mask_pairs(text)
    return escape_controls(text, multiline=multiline)


def _name_before(text: str, end: int) -> str:
    """The member or variable name that ends at ``end`` (blanks skipped), quotes removed."""
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    if end > 0 and text[end - 1] in "\"'":
        quote = text[end - 1]
        start = text.rfind(quote, max(0, end - 82), end - 1)
        return text[start + 1 : end - 1] if start >= 0 and "\n" not in text[start:end] else ""
    start = end
    while start > 0 and end - start < 80 and text[start - 1] in _NAME_CHARS:
        start -= 1
    return text[start:end]


def _mask_pairs(text: str) -> str:
    out: list[str] = []
    last = 0
    for sep in _SEPARATOR_RE.finditer(text):
        if sep.start() < last:
            continue  # inside a value already masked
        name = _name_before(text, sep.start())
        if not name or not _SECRET_NAME_RE.fullmatch(name):
            continue
        value = _PAIR_VALUE_RE.match(text, sep.end())
        if value is None:
            continue
        out.append(text[last : sep.end()])
        out.append(_mask_value(value))
        last = value.end()
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _mask_match(match: re.Match[str]) -> str:
    found = match.group(0)
    return found if "…" in found else mask(found)


def _mask_value(match: re.Match[str]) -> str:
    for name in ("v", "v2", "v3"):
        try:
            start, end = match.span(name)
        except IndexError:
            continue
        if start < 0:
            continue
        value = match.group(name)
        if "…" in value or value in ("***", "(not set)") or _is_placeholder(value) \
                or re.fullmatch(r"[\d.eE+\-]+", value):  # numbers ("maxTokens": 4096)
            return match.group(0)
        whole_start = match.start(0)
        text = match.group(0)
        return text[: start - whole_start] + mask(value) + text[end - whole_start :]
    return match.group(0)


def _is_placeholder(value: str) -> bool:
    """Values that name a secret without being one: ``$OPENAI_API_KEY``, ``${KEY}``, ``<key>``."""
    v = value.strip()
    return bool(re.fullmatch(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|<[^<>]*>|\*+|x+|\.\.\.|null|true"
                             r"|false|none|bearer|basic|\(not set\)", v, re.IGNORECASE))


def names_a_secret(name: str) -> bool:
    """Tell whether a member or variable called ``name`` holds a secret (``apiKey``, ``DB_PWD``).

    The test :func:`redact` applies to ``name: value`` pairs, for a caller that shows a value
    without its name (the outline's detail of ``"OPENAI_API_KEY": "hunter2hunter2"``), where
    :func:`redact` alone sees no name and no key shape.
    """
    return bool(_SECRET_NAME_RE.fullmatch(name))


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
