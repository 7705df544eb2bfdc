"""The tree-free comment stripper agrees with a plain character-by-character reference."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from qwen_ls import jsonc


def reference_strip(text: str) -> str:
    """strip-json-comments semantics: // and /* */ outside strings become one space."""
    out, i, n, in_str = [], 0, len(text), False
    while i < n:
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_str = False
            i += 1
            continue
        if c == '"':
            in_str = True
            out.append(c)
            i += 1
        elif text.startswith("//", i):
            j = i
            while j < n and text[j] not in "\r\n":
                j += 1
            out.append(" ")
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(" ")
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


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
    expected = json.loads(reference_strip(text))
    doc = jsonc.parse(text)
    assert doc.cli_readable
    assert doc.value == expected


def test_url_in_string_is_not_a_comment():
    doc = jsonc.parse('{"u": "https://x.example/*y*/", // real\n "v": "a\\\\"}')
    assert doc.value == {"u": "https://x.example/*y*/", "v": "a\\"}
