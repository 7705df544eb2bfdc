"""QLS501-QLS503, QLS507: the shape of each provider entry's ``baseUrl``, and a missing one."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import urlsplit

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.rules.examples import FAKE_KEY
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import set_fix
from qwen_ls.settings import registry as reg

BASE_URL_NO_SCHEME = Rule(
    "QLS501",
    "base-url-no-scheme",
    "error",
    "A baseUrl without http:// or https://; the SDK cannot use it.",
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENROUTER_API_KEY",\n'
    '    "baseUrl": "openrouter.ai/api/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENROUTER_API_KEY",\n'
    '    "baseUrl": "https://openrouter.ai/api/v1"}]}\n}\n',
    env={"OPENROUTER_API_KEY": FAKE_KEY},
)
BASE_URL_ENDPOINT_SUFFIX = Rule(
    "QLS502",
    "base-url-endpoint-suffix",
    "warning",
    "A baseUrl that ends in /chat/completions or /responses: the SDK appends the endpoint "
    "itself, so requests go to .../chat/completions/chat/completions.",
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1/chat/completions"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
)
BASE_URL_INSECURE = Rule(
    "QLS503",
    "base-url-insecure",
    "warning",
    "Plain http:// to a host that is not on this machine sends your API key unencrypted.",
    '{\n  "modelProviders": {"openai": [{"id": "m", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "http://llm.example.com/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "m", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "http://localhost:8000/v1"}]}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
)
BASE_URL_NOT_INHERITED = Rule(
    "QLS507",
    "base-url-not-inherited",
    "information",
    "An openai entry without baseUrl while OPENAI_BASE_URL is set: the entry does not inherit "
    "it and talks to https://api.openai.com/v1.",
    '{\n  "modelProviders": {"openai": [{"id": "local-model", "envKey": "OPENAI_API_KEY"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "local-model", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "http://localhost:8000/v1"}]}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY, "OPENAI_BASE_URL": "http://localhost:8000/v1"},
)

RULES = (BASE_URL_NO_SCHEME, BASE_URL_ENDPOINT_SUFFIX, BASE_URL_INSECURE, BASE_URL_NOT_INHERITED)

_SUFFIX = re.compile(r"/(chat/completions|responses|completions|messages)/?$")


@lru_cache(maxsize=4096)
def _url_ok(url: str) -> bool:
    """Fast path: a well-formed https URL without an endpoint suffix needs no further look."""
    return url.startswith("https://") and _SUFFIX.search(url) is None


def is_local_host(host: str) -> bool:
    """Whether ``host`` is this machine or a private network address (plain http is fine)."""
    host = host.strip("[]").lower()
    if host in ("localhost", "") or host.endswith(
        (".localhost", ".local", ".lan", ".internal", ".home.arpa")
    ):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host  # a bare machine name on the local network
    return ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified


def base_urls(run: Run) -> list[tuple[Mapping, tuple, str]]:
    """``(entry, path of its baseUrl, url)`` for each entry of this document with a baseUrl."""
    return run.once("base-urls", lambda: [
        (entry, ("modelProviders", provider, index, "baseUrl"), url)
        for provider, index, entry in run.provider_entries
        if isinstance(url := entry.get("baseUrl"), str) and url
    ])


def check(run: Run) -> None:
    """QLS501 (no scheme), else QLS502 (an endpoint suffix) and QLS503 (plain http)."""
    for _entry, path, url in base_urls(run):
        if _url_ok(url):
            continue
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", url):
            fixed = "https://" + url.lstrip("/")
            BASE_URL_NO_SCHEME.report(
                run,
                f"baseUrl '{url}' has no scheme: the SDK cannot use it. Add https://.",
                run.span(path),
                fixes=[set_fix(f"Change to {fixed}", path, fixed, safe=True, preferred=True)],
            )
            continue
        match = _SUFFIX.search(url)
        if match:
            fixed = url[: match.start()]
            BASE_URL_ENDPOINT_SUFFIX.report(
                run,
                f"baseUrl ends in /{match.group(1)}: the SDK appends the endpoint "
                f"itself, so requests would go to .../{match.group(1)}/{match.group(1)}.",
                run.span(path),
                fixes=[set_fix(f"Change to {fixed}", path, fixed, safe=True, preferred=True)],
            )
        try:
            parts = urlsplit(url)
        except ValueError:  # "http://[" (an unclosed IPv6 bracket) while typing (tests/fuzz)
            continue
        if parts.scheme.lower() == "http" and not is_local_host(parts.hostname or ""):
            BASE_URL_INSECURE.report(
                run,
                f"baseUrl uses plain http to {parts.hostname}: your API key travels "
                "unencrypted. Use https://.",
                run.span(path),
                fixes=[set_fix("Use https://", path, "https://" + url.split("://", 1)[1])],
            )


def check_not_inherited(run: Run) -> None:
    """QLS507: an openai entry without baseUrl while OPENAI_BASE_URL is set."""
    base_env = None
    for provider, index, entry in run.provider_entries:
        if "baseUrl" in entry or not isinstance(entry.get("id"), str):
            continue
        if reg.provider_protocol(provider, run.effective) != "openai":
            continue
        if base_env is None:
            base_env = run.env.lookup("OPENAI_BASE_URL")
            if base_env is None:
                return
        epath = ("modelProviders", provider, index)
        BASE_URL_NOT_INHERITED.report(
            run,
            f"'{entry['id']}' has no baseUrl and will NOT inherit OPENAI_BASE_URL "
            f"({base_env.value}, from {base_env.label}): the CLI sends it to "
            "https://api.openai.com/v1.",
            run.span((*epath, "id")),
            fixes=[set_fix(f"Set baseUrl to {base_env.value}", [*epath, "baseUrl"],
                           base_env.value)],
        )


CHECKS = (check, check_not_inherited)
