"""QLS4xx: ``envKey`` values, the ``env`` block, and ``$VAR`` references."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping
from functools import lru_cache

from qwen_ls import gitindex
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import Related, fix
from qwen_ls.jsonc.types import Span
from qwen_ls.secrets import looks_like_secret, mask
from qwen_ls.settings import known
from qwen_ls.settings import registry as reg
from qwen_ls.settings.env import brief_list

_SECRET_NAME = re.compile(r"(API_?KEY|TOKEN|SECRET|PASSWORD)$", re.IGNORECASE)
_ENV_REF = re.compile(r"\$(?:(\w+)|\{([^}]+)\})")
_HOME_KINDS = ("shell", "qwen-home-env", "home-env")


def check(run: Run) -> None:
    """Check envKey values, the settings env block and unresolved ``$VAR`` references."""
    if not isinstance(run.value, dict):
        return
    _env_keys(run)
    _env_block(run)
    _references(run)


def _move_title(run: Run, name: str) -> str:
    """The move-secret fix's title: it names the second file it writes, and that it asks."""
    from qwen_ls.settings import scopes
    from qwen_ls.settings.env import display_path

    target = ".qwen/.env"
    if run.ctx.path is not None:
        env_file, workspace = scopes.secret_env_file(run.ctx.path, run.ctx.environ)
        if workspace is None:
            target = display_path(env_file, run.ctx.environ)
    return f"Move {name} to {target}… (writes {target}, asks first)"


def _searched(run: Run) -> str:
    return brief_list(run.env.searched)


def _searched_related(run: Run, name: str) -> list[Related]:
    """Every ``.env`` file searched for ``name``, nearest first (the message names a few)."""
    return [
        Related(path=p, message=f"{name}: searched here, {'not set' if p.exists() else 'no file'}")
        for p in run.env.files
    ]


def _env_keys(run: Run) -> None:
    providers = run.get(("modelProviders",))
    if not isinstance(providers, Mapping):
        return
    active_name = run.get(("model", "name"), effective=True)
    active = (
        reg.find_model(run.registry, active_name, run.auth_type)
        if isinstance(active_name, str)
        else None
    )
    missing = _MissingKey(run)
    for provider, entries in providers.items():
        if not isinstance(entries, list) or reg.provider_protocol(provider, run.effective) is None:
            continue
        protocol = reg.provider_protocol(provider, run.effective) or "openai"
        spans = _EntrySpans(run, provider, entries)
        for index, entry in enumerate(entries):
            if not isinstance(entry, Mapping):
                continue
            env_key = entry.get("envKey")
            if not isinstance(env_key, str) or not env_key:
                continue
            path = ("modelProviders", provider, index, "envKey")
            if _bad_name(env_key):
                name = _suggest(entry, protocol)
                secretish = looks_like_secret(env_key)
                run.report(
                    "QLS401",
                    (
                        f"envKey holds what looks like an API key ({mask(env_key)}), not the NAME "
                        f"of the variable that holds it. Put the key in .qwen/.env as {name} and "
                        f'set "envKey": "{name}".'
                        if secretish
                        else f"envKey '{env_key}' is not a valid environment variable name."
                    ),
                    run.span(path),
                    fixes=[
                        fix(
                            _move_title(run, name),
                            "move-secret-to-env",
                            preferred=True,
                            path=list(path),
                            name=name,
                            replace_with=name,
                        )
                    ]
                    if secretish
                    else [],
                )
                continue
            is_active = active is not None and active.provider == provider and active.index == index
            said = missing.finding(env_key, protocol, is_active)
            if said is not None:
                message, related, data = said
                run.report(
                    "QLS402", message, spans.get(index, path), related=list(related), data=data
                )


class _MissingKey:
    """QLS402's message, related files and data, worked out once per variable in a run.

    A large file names the same few variables in thousands of entries; the env lookup, the
    ``.env`` files' existence and the message are the same for each of them.
    """

    def __init__(self, run: Run) -> None:
        self.run = run
        self.lookups: dict[str, bool] = {}
        self.related: dict[str, list[Related]] = {}
        self.said: dict[tuple[str, str, bool], tuple[str, list[Related], dict]] = {}

    def finding(
        self, env_key: str, protocol: str, is_active: bool
    ) -> tuple[str, list[Related], dict] | None:
        """``(message, related, data)`` when no env source provides ``env_key``, else None."""
        run = self.run
        if env_key not in self.lookups:
            self.lookups[env_key] = run.env.lookup(env_key) is not None
        if self.lookups[env_key]:
            return None
        key = (env_key, protocol, is_active)
        said = self.said.get(key)
        if said is None:
            tmpl = (
                known.MISSING_OPENAI_KEY_EXPLICIT
                if protocol.startswith("openai")
                else known.MISSING_KEY_EXPLICIT
            )
            message = (
                f"No env source provides {env_key} (searched: {_searched(run)}). "
                + ('The CLI stops with: "' if is_active else 'Selecting this model fails with: "')
                + tmpl.format(env_key=env_key)
                + '" Add it to ~/.qwen/.env or .qwen/.env.'
            )
            if env_key not in self.related:
                self.related[env_key] = _searched_related(run, env_key)
            said = self.said[key] = (
                message,
                self.related[env_key],
                {"envKey": env_key, "command": "qwen-ls.signIn.apiKey"},
            )
        return said


_SPANS: OrderedDict[str, Span | None] = OrderedDict()
_SPANS_MAX = 8192


class _EntrySpans:
    """Where each entry's ``envKey`` value is, from a cache keyed by the entry's text.

    Placing a finding means finding its node in the new tree after every edit, thousands of
    times in a large file with a finding per entry (each lookup builds tree nodes). The value's
    offset within the entry depends on the entry's text alone, so it is cached by that text
    and shifted to where the entry is now. Used only on text the CLI reads as it is (no syntax
    issue: the entry's parse cannot depend on what surrounds it); anywhere else the span comes
    from the tree as before. The entries' nodes are built on the first finding only: a file
    whose keys are all set needs no positions.
    """

    def __init__(self, run: Run, provider: str, entries: list) -> None:
        self.run = run
        self.provider = provider
        self.count = len(entries)
        self.items: list | None | bool = False  # False: not looked up yet

    def _items(self) -> list | None:
        if self.items is False:
            self.items = None
            doc = self.run.doc
            if doc.cli_readable and not doc.syntax_issues:
                array = self.run.node(("modelProviders", self.provider))
                if array is not None and array.kind == "array":
                    items = array.children()
                    if len(items) == self.count:
                        self.items = items
        return self.items  # type: ignore[return-value]

    def get(self, index: int, path: tuple) -> Span:
        """The span of the value at ``path`` (the ``envKey`` of entry ``index``)."""
        items = self._items()
        if items is None:
            return self.run.span(path)
        entry = items[index].span
        text = self.run.doc.text[entry.start : entry.end]
        rel = _SPANS.get(text, False)
        if rel is False:
            span = self.run.span(path)
            rel = (
                Span(span.start - entry.start, span.end - entry.start)
                if entry.start <= span.start <= span.end <= entry.end
                else None
            )
            _SPANS[text] = rel
            if len(_SPANS) > _SPANS_MAX:
                _SPANS.popitem(last=False)
            return span
        _SPANS.move_to_end(text)
        if rel is None:
            return self.run.span(path)
        return Span(entry.start + rel.start, entry.start + rel.end)


@lru_cache(maxsize=4096)
def _bad_name(env_key: str) -> bool:
    """Whether an envKey is a secret or not a variable name at all (cached: keys repeat)."""
    return looks_like_secret(env_key) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env_key)


def _suggest(entry: Mapping, protocol: str) -> str:
    from qwen_ls.settings import presets

    url = entry.get("baseUrl")
    if isinstance(url, str):
        found = presets.preset_for_base_url(url)
        if found:
            return found[0].env_key
    return known.DEFAULT_ENV_KEYS.get(protocol, "OPENAI_API_KEY")


def _env_block(run: Run) -> None:
    block = run.get(("env",))
    if not isinstance(block, Mapping):
        return
    for name, value in block.items():
        path = ("env", name)
        if known.is_loader_env_key(name):
            run.report(
                "QLS404",
                f"settings env cannot set loader-affecting variable {name}: the "
                f'CLI prints "cannot set loader-affecting env vars; ignored: {name}".',
                run.span(path, key=True),
                tags=["unnecessary"],
                fixes=[fix(f"Remove {name}", "remove-value", path=list(path))],
            )
            continue
        if known.is_project_excluded_env_key(name) or name in known.SILENTLY_DROPPED_SETTINGS_ENV:
            run.report(
                "QLS405",
                f"settings env may not set {name}; the CLI drops it. Export it in "
                "the shell that starts qwen instead.",
                run.span(path, key=True),
                tags=["unnecessary"],
                fixes=[fix(f"Remove {name}", "remove-value", path=list(path))],
            )
            continue
        if not isinstance(value, str):
            text = (
                value
                if value is None
                else (("true" if value else "false") if isinstance(value, bool) else str(value))
            )
            run.report(
                "QLS403",
                f"env.{name} is not a string, so the CLI ignores it. Quote it.",
                run.span(path),
                tags=["unnecessary"],
                fixes=[
                    fix(
                        f'Quote the value ("{text}")',
                        "set-value",
                        safe=True,
                        preferred=True,
                        path=list(path),
                        value=str(text),
                    )
                ]
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
            run.report(
                "QLS406",
                message,
                run.span(path),
                severity=severity,
                fixes=[
                    fix(
                        _move_title(run, name),
                        "move-secret-to-env",
                        preferred=True,
                        path=list(path),
                        name=name,
                    )
                ],
            )
        if others:
            first = others[0]
            related = (
                [Related(path=first.path, message=f"{name} is defined here", line=first.line)]
                if first.path is not None
                else []
            )
            run.report(
                "QLS407",
                f"{name} is also set by {first.label}; that value wins and this one is never used.",
                run.span(path, key=True),
                related=related,
                tags=["unnecessary"],
            )


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


def _references(run: Run) -> None:
    text = run.doc.text
    if "$" not in text:
        return
    for match in _ENV_REF.finditer(text):
        name = match.group(1) or match.group(2)
        if not name or name in known.NEVER_EXPANDED_ENV_KEYS or name == "version":
            continue
        try:
            loc = run.doc.locate(match.start())
        except Exception:
            continue
        if not loc.in_string or loc.on_key:
            continue
        sources = [s for s in run.env.all_sources(name) if s.kind in _HOME_KINDS]
        if sources:
            continue
        later = [s for s in run.env.all_sources(name) if s.kind not in _HOME_KINDS]
        note = (
            f" {name} is only defined in {later[0].label}, which the CLI loads after it "
            "expands settings values."
            if later
            else ""
        )
        run.report(
            "QLS408",
            f"${name} is not set in the environment or the home .env files, so "
            f"the CLI keeps the literal text '{match.group(0)}'.{note}",
            Span(match.start(), match.end()),
        )
