"""The model-id cache: per endpoint and key fingerprint, 24 h, bounded, 0600, never the key."""

from __future__ import annotations

import os
from pathlib import Path

from qwen_ls.probe import cache

KEY = "sk-cache-test-0123456789abcdef"
URL = "https://api.example.com/v1"


def environ(tmp_path: Path) -> dict[str, str]:
    return {"HOME": str(tmp_path / "home")}


def test_round_trip_is_private_and_holds_no_key(tmp_path: Path) -> None:
    env = environ(tmp_path)
    written = cache.remember_ids(env, "openai", URL, KEY, ["a", "b"], now=1000.0)
    assert written == tmp_path / "home" / ".cache" / "qwen-ls" / "model-ids.json"
    assert os.stat(written).st_mode & 0o777 == 0o600
    assert os.stat(written.parent).st_mode & 0o777 == 0o700
    assert KEY not in written.read_text() and KEY[-8:] not in written.read_text()
    assert cache.listed_ids(env, "openai", URL + "/", KEY, now=1001.0) == (["a", "b"],
                                                                          "api.example.com")


def test_other_key_protocol_or_url_sees_nothing(tmp_path: Path) -> None:
    env = environ(tmp_path)
    cache.remember_ids(env, "openai", URL, KEY, ["a"], now=1000.0)
    assert cache.listed_ids(env, "openai", URL, KEY + "x", now=1000.0) is None
    assert cache.listed_ids(env, "anthropic", URL, KEY, now=1000.0) is None
    assert cache.listed_ids(env, "openai", "https://api.example.org/v1", KEY, now=1000.0) is None
    assert cache.listed_ids(env, "openai", URL, None, now=1000.0) is None


def test_entries_expire_after_the_ttl(tmp_path: Path) -> None:
    env = environ(tmp_path)
    cache.remember_ids(env, "openai", URL, KEY, ["a"], now=1000.0)
    assert cache.listed_ids(env, "openai", URL, KEY, now=1000.0 + cache.TTL_S - 1) is not None
    assert cache.listed_ids(env, "openai", URL, KEY, now=1000.0 + cache.TTL_S + 1) is None


def test_size_is_bounded(tmp_path: Path) -> None:
    env = environ(tmp_path)
    for n in range(cache.MAX_ENTRIES + 5):
        cache.remember_ids(env, "openai", f"https://h{n}.example/v1", KEY,
                           [f"m{i}" for i in range(cache.MAX_IDS + 50)], now=1000.0 + n)
    assert cache.listed_ids(env, "openai", "https://h0.example/v1", KEY, now=1100.0) is None
    ids, _ = cache.listed_ids(env, "openai", f"https://h{cache.MAX_ENTRIES + 4}.example/v1",
                              KEY, now=1100.0)
    assert len(ids) == cache.MAX_IDS


def test_xdg_cache_home_wins(tmp_path: Path) -> None:
    env = {**environ(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    assert cache.remember_ids(env, "openai", URL, KEY, ["a"]) == \
        tmp_path / "xdg" / "qwen-ls" / "model-ids.json"
    relative = {**environ(tmp_path), "XDG_CACHE_HOME": "relative/dir"}
    assert cache.cache_file(relative) == tmp_path / "home" / ".cache" / "qwen-ls" / \
        "model-ids.json"


def test_a_broken_or_hostile_file_reads_as_empty(tmp_path: Path) -> None:
    env = environ(tmp_path)
    path = cache.cache_file(env)
    path.parent.mkdir(parents=True)
    for text in ("{not json", '{"entries": []}', '{"entries": {"x": {"ids": "no"}}}', "[]"):
        path.write_text(text)
        assert cache.listed_ids(env, "openai", URL, KEY) is None
    path.unlink()
    os.mkfifo(path)  # a FIFO must not block the reader
    assert cache.listed_ids(env, "openai", URL, KEY) is None
