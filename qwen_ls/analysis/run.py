"""The per-document analysis run: the document, its context and the helpers every check uses.

Checks read the document through a :class:`Run` and report through their rule objects
(:meth:`qwen_ls.analysis.rule.Rule.report`), which append to :attr:`Run.findings`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from qwen_ls.analysis.context import AnalysisContext
from qwen_ls.analysis.types import Finding
from qwen_ls.jsonc.types import JsonPath, Span
from qwen_ls.settings import registry as reg


@dataclass
class Run:
    """State of one analysis of one document; rules append their findings to :attr:`findings`."""

    doc: Any
    ctx: AnalysisContext
    findings: list[Finding] = field(default_factory=list)
    shared: dict[str, Any] = field(default_factory=dict)
    """What several rules of one family derive from the document, worked out once per run
    (:meth:`once`): a file with thousands of provider entries is walked once, not per rule."""

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, the first time ``key`` is asked for in this run; the same value after."""
        if key not in self.shared:
            self.shared[key] = compute()
        return self.shared[key]

    @cached_property
    def value(self) -> Any:
        """The document's own value (best effort)."""
        return self.doc.value

    @cached_property
    def effective(self) -> dict:
        """The merged settings of every scope."""
        return self.ctx.resolve(self.doc).effective

    @cached_property
    def env(self) -> Any:
        """Env resolution against the effective settings."""
        return self.ctx.env(self.effective)

    @cached_property
    def registry(self) -> list[reg.ModelEntry]:
        """Every model the CLI would register."""
        return self.ctx.resolve(self.doc).registry

    @cached_property
    def auth_type(self) -> str | None:
        """The effective auth type (settings, else inferred from the environment)."""
        return reg.selected_auth_type(self.effective, self.ctx.environ)

    # -- locating ---------------------------------------------------------------------------
    def node(self, path: JsonPath) -> Any:
        """The node at ``path`` in this document, or ``None``."""
        try:
            return self.doc.node_at_path(tuple(path))
        except Exception:
            return None

    def span(self, path: JsonPath, *, key: bool = False) -> Span:
        """The span of the value (or key) at ``path``; the nearest existing ancestor otherwise."""
        path = tuple(path)
        while True:
            node = self.node(path)
            if node is not None:
                if key and node.key_span is not None:
                    return node.key_span
                return node.span
            if not path:
                return Span(0, min(1, len(self.doc.text)))
            path = path[:-1]
            key = True

    def has(self, path: JsonPath) -> bool:
        """Whether this document itself defines ``path``."""
        value: Any = self.value
        for part in path:
            if isinstance(part, int):
                if not isinstance(value, list) or part >= len(value):
                    return False
            elif not isinstance(value, Mapping) or part not in value:
                return False
            value = value[part]
        return True

    def get(self, path: JsonPath, *, effective: bool = False) -> Any:
        """Read ``path`` from this document's value (or the effective settings)."""
        value: Any = self.effective if effective else self.value
        for part in path:
            if isinstance(part, int):
                if not isinstance(value, list) or part >= len(value):
                    return None
            elif not isinstance(value, Mapping):
                return None
            value = value.get(part) if isinstance(part, str) else None
        return value

    def lazy_span(self, path: JsonPath, *, key: bool = False) -> _LazySpan:
        """:meth:`span`, looked up only if a finding is reported (positions need a parse tree)."""
        return _LazySpan(self, tuple(path), key)

    @cached_property
    def provider_entries(self) -> list[tuple[str, int, Mapping]]:
        """``(provider, index, entry)`` of every object entry of this document's provider arrays."""
        providers = self.get(("modelProviders",))
        if not isinstance(providers, Mapping):
            return []
        return [
            (provider, index, entry)
            for provider, entries in providers.items() if isinstance(entries, list)
            for index, entry in enumerate(entries) if isinstance(entry, Mapping)
        ]


class _LazySpan:
    """A span looked up only when a finding is reported (:meth:`Run.lazy_span`)."""

    __slots__ = ("key", "path", "run")

    def __init__(self, run: Run, path: JsonPath, key: bool) -> None:
        self.run, self.path, self.key = run, path, key

    def get(self) -> Span:
        return self.run.span(self.path, key=self.key)

