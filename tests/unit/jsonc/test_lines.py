"""LineIndex: LSP line breaks only, utf-8/16/32 conversions, clamping."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qwen_ls.jsonc import LineIndex, parse


def test_splits_on_lsp_breaks_only():
    text = 'a\nb\r\nc\rd\u2028e\x85f\x0cg'
    idx = LineIndex(text)
    assert idx.line_count == 4
    assert [idx.line_text(i) for i in range(4)] == ["a", "b", "c", "d\u2028e\x85f\x0cg"]
    assert idx.position(text.index("e")) == (3, 2)


def test_u2028_inside_string_does_not_shift_lines():
    text = '{"k": "a\u2028b",\n"z": 1}'
    idx = parse(text).lines
    assert idx.position(text.index('"z"')) == (1, 0)
    assert idx.offset(1, 0) == text.index('"z"')


def test_astral_units():
    text = "x😀y\né"
    idx = LineIndex(text)
    y = text.index("y")
    assert idx.position(y, "utf-16") == (0, 3)
    assert idx.position(y, "utf-8") == (0, 5)
    assert idx.position(y, "utf-32") == (0, 2)
    assert idx.offset(0, 3, "utf-16") == y
    assert idx.offset(0, 5, "utf-8") == y
    assert idx.offset(0, 2, "utf-16") == 1  # inside the surrogate pair: rounds down
    assert idx.position(len(text), "utf-8") == (1, 2)


def test_clamping():
    idx = LineIndex("ab\r\ncd")
    assert idx.offset(-1, 5) == 0
    assert idx.offset(9, 0) == 6
    assert idx.offset(0, 99) == 2
    assert idx.offset(1, -3) == 4
    assert idx.position(-5) == (0, 0)
    assert idx.position(99) == (1, 2)
    assert idx.position(3) == (0, 2)  # between \r and \n: end of line 0
    assert idx.line_text(7) == ""
    assert LineIndex("").position(0) == (0, 0)


@given(st.lists(st.sampled_from(["a", "é", "😀", "\n", "\r\n", "\r", "\u2028", "€"]), max_size=40))
def test_round_trip(parts):
    text = "".join(parts)
    idx = LineIndex(text)
    for enc in ("utf-8", "utf-16", "utf-32"):
        for off in range(len(text) + 1):
            if off > 0 and text[off - 1] == "\r" and text[off:off + 1] == "\n":
                continue  # inside \r\n: no position of its own
            line, ch = idx.position(off, enc)
            assert idx.offset(line, ch, enc) == off


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from qwen_ls import jsonc  # noqa: E402
from qwen_ls.jsonc.types import TextEdit  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\n\r\u2028é😀", max_size=30), st.data())
def test_line_index_after_edit_equals_a_rebuilt_one(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    inserted = data.draw(st.text(alphabet="xy\n\u2028😀", max_size=4))
    new_text = text[:start] + inserted + text[end:]
    old = jsonc.parse(text)
    assert old.lines.line_count >= 1  # built, so the next version may derive its index
    new = jsonc.parse(new_text, previous=old, edit=TextEdit(start, end, inserted))
    rebuilt = jsonc.LineIndex(new_text)
    assert new.lines._starts == rebuilt._starts
    assert new.lines._content_ends == rebuilt._content_ends
