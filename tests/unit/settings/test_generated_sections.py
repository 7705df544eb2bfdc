"""``sections.py`` is exactly what its generator makes of the committed key table.

Hand edits to the generated module, or a table/description change without a regeneration, fail
here; the fix is ``.venv/bin/python tools/gen_settings_model.py`` (or ``tools/sync_cli.py``).
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GENERATOR = ROOT / "tools" / "gen_settings_model.py"
SECTIONS = ROOT / "qwen_ls" / "settings" / "models" / "sections.py"
TSV = ROOT / "docs" / "reference" / "qwen-code-settings-keys.tsv"


def test_sections_module_equals_the_generators_output(tmp_path):
    out = tmp_path / "sections.py"
    subprocess.run(
        [sys.executable, str(GENERATOR), "--tsv", str(TSV), "--output", str(out)],
        check=True,
        timeout=120,
    )
    committed = SECTIONS.read_text(encoding="utf-8")
    generated = out.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            generated.splitlines(keepends=True),
            "committed sections.py",
            "generator output",
            n=1,
        )
    )
    assert committed == generated, "run tools/gen_settings_model.py:\n" + diff[:4000]


def test_generated_module_names_the_tables_release():
    first = TSV.read_text(encoding="utf-8").splitlines()[0]
    version = first.split("Qwen Code ", 1)[1].split()[0]
    assert SECTIONS.read_text(encoding="utf-8").startswith(
        f'"""Settings sections of Qwen Code {version},'
    )
