"""Folding ranges (qwen-ls folds Qwen settings files once VS Code's JSON server no longer does)."""

from qwen_ls import jsonc
from qwen_ls.features.folding import folding_ranges

TEXT = """{
  /* a block
     comment */
  "a": {
    "s": "{[ not a bracket // nor a comment",
    "b": [
      1,
      2
    ]
  },
  "c": {},
  "d": [1, 2]
}
"""


def test_objects_arrays_and_block_comments():
    got = [(r.start_line, r.end_line, r.kind) for r in folding_ranges(jsonc.parse(TEXT))]
    assert got == [(0, 11, None), (1, 2, "comment"), (3, 8, None), (5, 7, None)]


def test_half_typed_text_folds_what_is_balanced():
    text = '{\n  "a": {\n    "b": [\n      1\n  },\n  "c": "unterminated\n}\n'
    got = [(r.start_line, r.end_line) for r in folding_ranges(jsonc.parse(text))]
    assert got == [(0, 5), (1, 3)]
