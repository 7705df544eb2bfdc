"""Completion of model ids from the cache a Test connection filled (no request is made)."""

from __future__ import annotations

import json
from pathlib import Path

from qwen_ls.analysis import build_context
from qwen_ls.features import completion
from qwen_ls.features.options import ClientFlags
from qwen_ls.jsonc import parse
from qwen_ls.probe import cache

KEY = "sk-listed-ids-0123456789ab"
URL = "https://api.openai.com/v1"


def setup(tmp_path: Path):
    home = tmp_path / "home"
    (home / ".qwen").mkdir(parents=True)
    (home / ".qwen" / ".env").write_text(f"K1={KEY}\n")
    environ = {"HOME": str(home), "QWEN_CODE_SYSTEM_SETTINGS_PATH": str(tmp_path / "none.json")}
    path = home / ".qwen" / "settings.json"
    return environ, path


TEXT = json.dumps({"security": {"auth": {"selectedType": "openai"}},
                   "model": {"name": "m"},
                   "modelProviders": {"openai": [{"id": "m1", "envKey": "K1", "baseUrl": URL}]}})


def labels(environ, path, needle: str, nth: int = 0) -> dict[str, str | None]:
    path.write_text(TEXT)
    ctx = build_context(path, None, environ)
    doc = parse(TEXT)
    offset = -1
    for _ in range(nth + 1):
        offset = TEXT.index(needle, offset + 1)
    result = completion.complete(doc, ctx, offset + 1, ClientFlags(encoding="utf-16"))
    return {i.label: i.detail for i in result.items}


def test_entry_id_offers_the_listed_ids(tmp_path: Path) -> None:
    environ, path = setup(tmp_path)
    assert labels(environ, path, '"m1"') == {}
    cache.remember_ids(environ, "openai", URL, KEY, ["gpt-5", "gpt-5-mini"])
    assert labels(environ, path, '"m1"') == {"gpt-5": "listed by api.openai.com",
                                             "gpt-5-mini": "listed by api.openai.com"}
    cache.remember_ids(environ, "openai", URL, "sk-another-key-000000000", ["other"])
    assert "other" not in labels(environ, path, '"m1"')  # another key's list


def test_model_name_adds_listed_ids_after_the_configured_ones(tmp_path: Path) -> None:
    environ, path = setup(tmp_path)
    cache.remember_ids(environ, "openai", URL, KEY, ["m1", "gpt-5"])
    found = labels(environ, path, '"m"')
    assert list(found)[:2] == ["m1", "gpt-5"]
    assert found["gpt-5"] == "listed by api.openai.com; not configured"
