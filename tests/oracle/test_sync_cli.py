"""``tools/sync_cli.py`` rebuilds the committed key table and ``sections.py`` from the pinned CLI.

The oracle's installed package stands in for ``npm pack`` (``--package-dir``): the release's own
``getSettingsSchema()`` is dumped by the harness, flattened and fed to the generator. Both
outputs must equal what is committed, so the repository really regenerates itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from oracle import PACKAGE as PACKAGE_DIR  # noqa: E402
from oracle import require_oracle  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SYNC = ROOT / "tools" / "sync_cli.py"


def test_sync_cli_reproduces_the_committed_table_and_sections(tmp_path):
    require_oracle()
    version = json.loads((PACKAGE_DIR / "package.json").read_text())["version"]
    tsv = tmp_path / "keys.tsv"
    sections = tmp_path / "sections.py"
    proc = subprocess.run(
        [
            sys.executable,
            str(SYNC),
            version,
            "--package-dir",
            str(PACKAGE_DIR),
            "--tsv",
            str(tsv),
            "--output",
            str(sections),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert tsv.read_text() == (ROOT / "docs/reference/qwen-code-settings-keys.tsv").read_text()
    assert sections.read_text() == (ROOT / "qwen_ls/settings/models/sections.py").read_text()
    assert "392 keys (+392 -0)" in proc.stdout


def test_sync_cli_refuses_a_package_of_another_version(tmp_path):
    require_oracle()
    proc = subprocess.run(
        [
            sys.executable,
            str(SYNC),
            "9.9.9",
            "--package-dir",
            str(PACKAGE_DIR),
            "--tsv",
            str(tmp_path / "k.tsv"),
            "--output",
            str(tmp_path / "s.py"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode != 0
    assert "not 9.9.9" in proc.stderr
    assert not (tmp_path / "k.tsv").exists()
