"""The committed settings JSON Schema (``settings.schema.json``), loaded once.

Its own module so that both the catalogue (:mod:`qwen_ls.settings.catalog`) and the quick check
it runs first (:mod:`qwen_ls.settings.quickcheck`) can read it without importing each other.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any


@cache
def committed_schema() -> dict[str, Any]:
    """The settings JSON Schema: the committed ``settings.schema.json``, loaded once.

    The committed schema is the generated one (a test fails when it is stale); loading it is
    ~10x faster than regenerating it from the models, which matters for the first completion.
    """
    path = Path(__file__).with_name("settings.schema.json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        from qwen_ls.settings.schema import build_schema

        return build_schema()
