"""QLS5xx: ``baseUrl`` values: scheme, endpoint suffixes, plain http, and preset consistency."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import urlsplit

from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import fix
from qwen_ls.secrets import mask
from qwen_ls.settings import presets
from qwen_ls.settings import registry as reg

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


@lru_cache(maxsize=4096)
def _classify(url: str) -> tuple[str, object]:
    """``(normalised url, preset match)`` for a baseUrl; cached because entries repeat URLs."""
    return presets.normalize_url(url), presets.preset_for_base_url(url)


def check(run: Run) -> None:
    """Check every provider entry's ``baseUrl`` in this document."""
    providers = run.get(("modelProviders",))
    if not isinstance(providers, Mapping):
        return
    coding_urls = {presets.normalize_url(u) for u in presets.CODING_PLAN_REGIONS.values()}
    token_urls = {presets.normalize_url(u) for u in presets.TOKEN_PLAN_REGIONS.values()}
    base_env = run.env.lookup("OPENAI_BASE_URL")
    for provider, entries in providers.items():
        if not isinstance(entries, list):
            continue
        protocol = reg.provider_protocol(provider, run.effective)
        for index, entry in enumerate(entries):
            if not isinstance(entry, Mapping):
                continue
            epath = ("modelProviders", provider, index)
            url = entry.get("baseUrl")
            env_key = entry.get("envKey") if isinstance(entry.get("envKey"), str) else None
            if not isinstance(url, str) or not url:
                if (
                    protocol == "openai"
                    and base_env is not None
                    and "baseUrl" not in entry
                    and isinstance(entry.get("id"), str)
                ):
                    run.report(
                        "QLS507",
                        f"'{entry['id']}' has no baseUrl and will NOT inherit OPENAI_BASE_URL "
                        f"({base_env.value}, from {base_env.label}): the CLI sends it to "
                        "https://api.openai.com/v1.",
                        run.span((*epath, "id")),
                        fixes=[
                            fix(
                                f"Set baseUrl to {base_env.value}",
                                "set-value",
                                path=[*epath, "baseUrl"],
                                value=base_env.value,
                            )
                        ],
                    )
                continue
            _url_shape(run, epath, url)
            norm, found = _classify(url)
            if env_key == presets.CODING_PLAN_ENV_KEY and norm not in coding_urls:
                region = "intl" if "intl" in url or "ap-southeast" in url else "china"
                target = presets.CODING_PLAN_REGIONS[region]
                what = (
                    "a Token Plan endpoint" if norm in token_urls else "not a Coding Plan endpoint"
                )
                run.report(
                    "QLS504",
                    f"{env_key} is a Coding Plan key, but {url} is {what}: "
                    f"requests will fail with 401. Coding Plan uses {target} "
                    "(China) or the -intl host (International).",
                    run.span((*epath, "baseUrl")),
                    fixes=[
                        fix(
                            f"Use the Coding Plan URL ({r})",
                            "set-value",
                            preferred=r == region,
                            path=[*epath, "baseUrl"],
                            value=u,
                        )
                        for r, u in presets.CODING_PLAN_REGIONS.items()
                    ],
                )
            elif norm in coding_urls and env_key and env_key != presets.CODING_PLAN_ENV_KEY:
                run.report(
                    "QLS504",
                    f"{url} is a Coding Plan endpoint, but the key comes from "
                    f"{env_key}"
                    + (
                        " (a Token Plan key: use the Token Plan URL)"
                        if env_key == presets.TOKEN_PLAN_ENV_KEY
                        else ""
                    )
                    + f". Coding Plan keys live in {presets.CODING_PLAN_ENV_KEY}.",
                    run.span((*epath, "envKey")),
                    fixes=[
                        fix(
                            f"Use envKey {presets.CODING_PLAN_ENV_KEY}",
                            "set-value",
                            path=[*epath, "envKey"],
                            value=presets.CODING_PLAN_ENV_KEY,
                        )
                    ],
                )
            if norm in coding_urls and env_key:
                source = run.env.lookup(env_key)
                if (
                    source is not None
                    and source.value
                    and not source.value.startswith(presets.CODING_PLAN_KEY_PREFIX)
                ):
                    run.report(
                        "QLS505",
                        f"The key in {env_key} ({mask(source.value)}, from "
                        f"{source.label}) does not start with sk-sp-: Coding Plan keys do. "
                        "A Token Plan or standard DashScope key gets 401 here.",
                        run.span((*epath, "envKey")),
                    )
            if found and env_key:
                preset = found[0]
                other = presets.PRESET_ENV_KEYS.get(env_key)
                if (
                    other is not None
                    and other.id != preset.id
                    and preset.env_key != env_key
                    and preset.id not in ("coding-plan", "token-plan")
                    and other.id not in ("coding-plan", "token-plan")
                ):
                    run.report(
                        "QLS506",
                        f"{url} is {preset.label}, whose key is usually "
                        f"{preset.env_key}, but this entry reads {env_key} ({other.label}).",
                        run.span((*epath, "envKey")),
                        fixes=[
                            fix(
                                f"Use envKey {preset.env_key}",
                                "set-value",
                                path=[*epath, "envKey"],
                                value=preset.env_key,
                            )
                        ],
                    )


def _url_shape(run: Run, epath: tuple, url: str) -> None:
    if _url_ok(url):
        return
    path = (*epath, "baseUrl")
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", url):
        run.report(
            "QLS501",
            f"baseUrl '{url}' has no scheme: the SDK cannot use it. Add https://.",
            run.span(path),
            fixes=[
                fix(
                    f"Change to https://{url.lstrip('/')}",
                    "set-value",
                    safe=True,
                    preferred=True,
                    path=list(path),
                    value="https://" + url.lstrip("/"),
                )
            ],
        )
        return
    match = _SUFFIX.search(url)
    if match:
        fixed = url[: match.start()]
        run.report(
            "QLS502",
            f"baseUrl ends in /{match.group(1)}: the SDK appends the endpoint "
            f"itself, so requests would go to .../{match.group(1)}/{match.group(1)}.",
            run.span(path),
            fixes=[
                fix(
                    f"Change to {fixed}",
                    "set-value",
                    safe=True,
                    preferred=True,
                    path=list(path),
                    value=fixed,
                )
            ],
        )
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[" (an unclosed IPv6 bracket) while typing; found by tests/fuzz
        return
    if parts.scheme.lower() == "http" and not is_local_host(parts.hostname or ""):
        run.report(
            "QLS503",
            f"baseUrl uses plain http to {parts.hostname}: your API key travels "
            "unencrypted. Use https://.",
            run.span(path),
            fixes=[
                fix(
                    "Use https://",
                    "set-value",
                    path=list(path),
                    value="https://" + url.split("://", 1)[1],
                )
            ],
        )
