"""Regenerate the rule reference: ``docs/rules.md`` and the rule table in ``README.md``.

    .venv/bin/python tools/gen_docs.py

Both come from :mod:`qwen_ls.analysis.rules_doc`; ``tests/unit/test_cli_check.py`` fails when a
committed copy is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qwen_ls.analysis.rules_doc import rules_markdown, rules_table  # noqa: E402

START, END = "<!-- rules:start", "<!-- rules:end -->"


def main() -> int:
    """Write both files from the catalogue."""
    (ROOT / "docs/rules.md").write_text(rules_markdown())
    readme = ROOT / "README.md"
    text = readme.read_text()
    start = text.index("\n", text.index(START)) + 1
    end = text.index(END)
    readme.write_text(text[:start] + rules_table() + text[end:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
