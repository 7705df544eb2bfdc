"""``textDocument/inlayHint``: after each ``envKey``, where its variable comes from.

``✓ ~/.qwen/.env`` when a source provides the variable (the file, ``shell`` or ``settings.env``),
``✗ not set`` when none does. Never the value. Only entries inside the requested range are
visited, so scrolling a 2,000-model file costs the visible entries only.
"""

from __future__ import annotations

from bisect import bisect_left

from lsprotocol import types

from qwen_ls.analysis.context import AnalysisContext, display
from qwen_ls.features.common import to_range
from qwen_ls.features.options import ClientFlags
from qwen_ls.jsonc import JsonDocument
from qwen_ls.jsonc.types import Span
from qwen_ls.secrets import looks_like_secret


def _label(source, environ) -> str:  # noqa: ANN001 - EnvSource
    if source.kind == "shell":
        return "✓ shell"
    if source.kind == "settings-env":
        return "✓ settings.env"
    if source.path is not None:
        return f"✓ {display(source.path, environ)}"
    return f"✓ {source.label}"


def inlay_hints(
    doc: JsonDocument, ctx: AnalysisContext, span: Span, flags: ClientFlags
) -> list[types.InlayHint]:
    """Compute the hints inside ``span``.

    Parameters
    ----------
    doc, ctx
        The document and its context.
    span
        The visible range, as code points.
    flags
        Client capabilities (encoding).

    Returns
    -------
    list[types.InlayHint]
        One hint after each ``envKey`` string value in range.
    """
    providers = doc.node_at_path(("modelProviders",))
    if providers is None or providers.kind != "object":
        return []
    env = None
    hints = []
    for provider in providers.children():
        if (
            provider.kind != "array"
            or provider.span.end < span.start
            or provider.span.start > span.end
        ):
            continue
        items = provider.children()
        ends = [item.span.end for item in items]
        for item in items[bisect_left(ends, span.start) :]:
            if item.span.start > span.end:
                break
            if item.kind != "object":
                continue
            key = item.get("envKey")
            if key is None or key.kind != "string" or not isinstance(key.value, str):
                continue
            name = key.value.strip()
            if not name or looks_like_secret(name):
                continue
            if env is None:
                env = ctx.env(ctx.resolve(doc).effective)
            source = env.lookup(name)
            ok = source is not None and source.value.strip() != ""
            label = _label(source, ctx.environ) if ok else "✗ not set"
            pos = to_range(doc.lines, Span(key.span.end, key.span.end), flags.encoding).end
            hints.append(
                types.InlayHint(
                    position=pos,
                    label=label,
                    padding_left=True,
                    tooltip=(
                        f"{name} is provided by {source.label}"
                        if ok
                        else f"{name} is not set in any source the Qwen Code CLI reads"
                    ),
                )
            )
    return hints
