"""The tree-free comment stripper agrees with a plain character-by-character reference."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from qwen_ls import jsonc

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/: the reference CLI reader
from cli_reader import strip_json_comments  # noqa: E402

strings = st.text(alphabet='ab/"\\*: \n', max_size=12)
comments = st.sampled_from(["// c\n", "/* x */", '// "q"\n', "/* // */", "/*\n\"*/", "//\\\n"])


@st.composite
def documents(draw):
    keys = draw(st.lists(strings, max_size=4))
    parts = ["{"]
    for i, key in enumerate(keys):
        parts.append(draw(st.sampled_from(["", " ", "\n"])) + draw(st.one_of(st.just(""), comments)))
        value = draw(st.one_of(strings, st.integers(), st.lists(strings, max_size=2)))
        parts.append(json.dumps(key) + ":" + draw(st.one_of(st.just(""), comments)) + json.dumps(value))
        if i < len(keys) - 1:
            parts.append(",")
    parts.append(draw(st.one_of(st.just(""), comments)) + "}")
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(documents())
def test_value_matches_reference_stripper(text):
    expected = json.loads(strip_json_comments(text))
    doc = jsonc.parse(text)
    assert doc.cli_readable
    assert doc.value == expected


def test_url_in_string_is_not_a_comment():
    doc = jsonc.parse('{"u": "https://x.example/*y*/", // real\n "v": "a\\\\"}')
    assert doc.value == {"u": "https://x.example/*y*/", "v": "a\\"}
