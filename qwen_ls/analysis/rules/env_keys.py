"""QLS401, QLS402: each provider entry's ``envKey``: a variable name, and a variable that is set."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping
from functools import lru_cache

from qwen_ls.analysis.rule import Rule
from qwen_ls.analysis.rules.entries import suggest_env_key
from qwen_ls.analysis.rules.examples import FAKE_KEY
from qwen_ls.analysis.run import Run
from qwen_ls.analysis.types import Related, fix
from qwen_ls.jsonc.types import Span
from qwen_ls.protocol import SIGN_IN_API_KEY
from qwen_ls.secrets import looks_like_secret, mask
from qwen_ls.settings import known
from qwen_ls.settings import registry as reg
from qwen_ls.settings.env import brief_list

ENV_KEY_IS_SECRET = Rule(
    "QLS401",
    "env-key-is-secret",
    "error",
    "envKey holds the API key itself instead of the NAME of the variable that holds it (the "
    "CLI would even print it in its error).",
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "' + FAKE_KEY + '",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
)
ENV_KEY_NOT_SET = Rule(
    "QLS402",
    "env-key-not-set",
    "warning",
    "No env source provides the variable named by envKey (shell, project .qwen/.env or .env, "
    '~/.qwen/.env, ~/.env, settings env): the CLI stops with "Missing API key".',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "MY_OPENAI_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    '{\n  "modelProviders": {"openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY",\n'
    '    "baseUrl": "https://api.openai.com/v1"}]}\n}\n',
    env={"OPENAI_API_KEY": FAKE_KEY},
    sign_in=True,
)

RULES = (ENV_KEY_IS_SECRET, ENV_KEY_NOT_SET)


def move_secret_title(run: Run, name: str) -> str:
    """The move-secret fix's title: it names the second file it writes, and that it asks."""
    from qwen_ls.settings import scopes
    from qwen_ls.settings.env import display_path

    target = ".qwen/.env"
    if run.ctx.path is not None:
        env_file, workspace = scopes.secret_env_file(run.ctx.path, run.ctx.environ)
        if workspace is None:
            target = display_path(env_file, run.ctx.environ)
    return f"Move {name} to {target}… (writes {target}, asks first)"


def move_secret_fix(run: Run, path: tuple, name: str, **extra: str) -> dict:
    """The fix that moves the secret at ``path`` to a ``.env`` file as ``name`` (QLS401, QLS406).

    Carried out by the server command ``qwen-ls.moveSecretToEnv``: it writes a second file.
    """
    return fix(move_secret_title(run, name), "move-secret-to-env", preferred=True,
               path=list(path), name=name, **extra)


def _searched(run: Run) -> str:
    return brief_list(run.env.searched)


def _searched_related(run: Run, name: str) -> list[Related]:
    """Every ``.env`` file searched for ``name``, nearest first (the message names a few)."""
    return [
        Related(path=p, message=f"{name}: searched here, {'not set' if p.exists() else 'no file'}")
        for p in run.env.files
    ]


def check(run: Run) -> None:
    """QLS401 on an envKey that is no variable name, QLS402 on one that no source sets."""
    if not isinstance(run.value, dict):
        return
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
                name = suggest_env_key(entry, protocol)
                secretish = looks_like_secret(env_key)
                ENV_KEY_IS_SECRET.report(
                    run,
                    (
                        f"envKey holds what looks like an API key ({mask(env_key)}), not the NAME "
                        f"of the variable that holds it. Put the key in .qwen/.env as {name} and "
                        f'set "envKey": "{name}".'
                        if secretish
                        else f"envKey '{env_key}' is not a valid environment variable name."
                    ),
                    run.span(path),
                    fixes=[move_secret_fix(run, path, name, replace_with=name)] if secretish else [],
                )
                continue
            is_active = active is not None and active.provider == provider and active.index == index
            said = missing.finding(env_key, protocol, is_active)
            if said is not None:
                message, related, data = said
                ENV_KEY_NOT_SET.report(
                    run, message, spans.get(index, path), related=list(related), data=data
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
                {"envKey": env_key, "command": SIGN_IN_API_KEY},
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
