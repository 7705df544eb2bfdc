"""The frozen server (what the .vsix carries) against the venv server: size and start-up figures.

Prints, for ``build/frozen/qwen-ls/qwen-ls`` (PyInstaller onedir, ``make frozen``) and
``.venv/bin/qwen-ls`` run alternately A B A B in the same temporary HOME:

- start → ``initialize`` result (process start, imports, handshake);
- ``didOpen`` → first ``publishDiagnostics`` on ``examples/broken/.qwen/settings.json``;
- the size of ``dist/qwen-ls-<platform>.vsix`` and of the frozen folder.

Run: ``make vsix && .venv/bin/python bench/bench_frozen.py [--runs N]``. Figures, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from lsp_probe import probe  # noqa: E402

FROZEN = REPO / "build" / "frozen" / "qwen-ls" / "qwen-ls"
VENV = REPO / ".venv" / "bin" / "qwen-ls"
DOC = REPO / "examples" / "broken" / ".qwen" / "settings.json"


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


async def main_async(runs: int) -> None:
    servers = {"frozen": [str(FROZEN)], "venv": [str(VENV)]}
    for name, argv in servers.items():
        if not Path(argv[0]).exists():
            sys.exit(f"{argv[0]} is missing ({'make frozen' if name == 'frozen' else 'make install'})")
    times: dict[str, dict[str, list[float]]] = {n: {"init": [], "diag": []} for n in servers}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        home = root / "home"
        (home / ".qwen").mkdir(parents=True)
        doc = root / "project" / ".qwen" / "settings.json"
        doc.parent.mkdir(parents=True)
        shutil.copyfile(DOC, doc)
        env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
               "QWEN_CODE_SYSTEM_SETTINGS_PATH": str(root / "sys.json"),
               "QWEN_CODE_SYSTEM_DEFAULTS_PATH": str(root / "defaults.json")}
        # One warm-up each (page cache), then alternate so that machine noise hits both alike.
        for argv in servers.values():
            await probe(argv, env, doc)
        for _ in range(runs):
            for name, argv in servers.items():
                r = await probe(argv, env, doc)
                times[name]["init"].append(r.start_to_initialize_ms)
                times[name]["diag"].append(r.open_to_diagnostics_ms)
    target = f"{'linux' if sys.platform.startswith('linux') else sys.platform}-" + (
        "x64" if platform.machine() in ("x86_64", "AMD64") else "arm64")
    vsix = REPO / "dist" / f"qwen-ls-{target}.vsix"
    print(f"qwen-ls frozen vs venv server, {runs} alternating runs each (p50, min-max), ms")
    print(f"{'metric':38} {'frozen':>22} {'venv':>22} {'ratio':>6}")
    for key, label in (("init", "start -> initialize"), ("diag", "didOpen -> first diagnostics")):
        f, v = times["frozen"][key], times["venv"][key]
        cell = lambda xs: f"{statistics.median(xs):7.1f} ({min(xs):.0f}-{max(xs):.0f})"  # noqa: E731
        print(f"{label:38} {cell(f):>22} {cell(v):>22} {statistics.median(f) / statistics.median(v):6.2f}")
    print(f"frozen folder: {folder_mb(FROZEN.parent):.1f} MB")
    if vsix.exists():
        print(f"{vsix.relative_to(REPO)}: {vsix.stat().st_size / 1e6:.1f} MB "
              f"({vsix.stat().st_size / 2**20:.1f} MiB)")
    else:
        print(f"{vsix.relative_to(REPO)}: not built (make vsix)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    logging.getLogger("pygls").setLevel(logging.ERROR)  # the client side's shutdown chatter
    asyncio.run(main_async(parser.parse_args().runs))


if __name__ == "__main__":
    main()
