"""Document formatting: qwen-ls formats Qwen settings files (their own language id has no JSON
formatter), keeping every comment; never offered for broken text."""

from pathlib import Path

from qwen_ls import jsonc
from qwen_ls.analysis.rules import RULES
from qwen_ls.features.formatting import format_text, formatting_edits
from qwen_ls.jsonc.edits import apply_edits

ROOT = Path(__file__).resolve().parents[3]

MESSY = """{
  // top comment
  "ui": {"theme":"Qwen Dark", "hideTips":true}, // trailing
  "env":{},


  "a": [1,2, {"b": null}],
  /* block */ "c": [ ],
  "d": { // note
  },
  "e": /* x */ 1
}
"""

PRETTY = """{
  // top comment
  "ui": {
    "theme": "Qwen Dark",
    "hideTips": true
  }, // trailing
  "env": {},

  "a": [
    1,
    2,
    {
      "b": null
    }
  ],
  /* block */ "c": [],
  "d": { // note
  },
  "e": /* x */ 1
}
"""


def test_format_keeps_comments_and_blank_lines():
    assert format_text(jsonc.parse(MESSY), "  ") == PRETTY


def test_tabs_crlf_and_minimal_edit():
    doc = jsonc.parse(MESSY.replace("\n", "\r\n"))
    (edit,) = formatting_edits(doc, 4, False)
    out = apply_edits(doc.text, [edit])
    assert out == PRETTY.replace("\n", "\r\n").replace("  ", "\t")
    assert formatting_edits(jsonc.parse(out), 4, False) == []


def test_broken_text_is_not_formatted():
    assert formatting_edits(jsonc.parse('{"a": 1,}'), 2, True) == []
    assert formatting_edits(jsonc.parse('{"a": '), 2, True) == []


def test_every_example_formats_to_the_same_value_idempotently():
    texts = [r.bad for r in RULES.values()] + [r.good for r in RULES.values()]
    texts += [p.read_text() for p in (ROOT / "examples").rglob("settings.json")]
    formatted = 0
    for text in texts:
        doc = jsonc.parse(text)
        once = format_text(doc, "  ")
        if once is None:
            assert doc.syntax_issues, text
            continue
        formatted += 1
        assert jsonc.parse(once).value == doc.value
        assert format_text(jsonc.parse(once), "  ") == once
    assert formatted > 50
