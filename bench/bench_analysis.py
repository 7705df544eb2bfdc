"""Time parse + analysis of a typical settings file and a 1.17 MB one (prints figures).

Run: ``make bench`` or ``.venv/bin/python bench/bench_analysis.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ENV, TYPICAL, large  # noqa: E402

from qwen_ls import jsonc  # noqa: E402
from qwen_ls.analysis import analyze, build_context  # noqa: E402


def measure(label: str, text: str, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        ws = home / "proj"
        path = ws / ".qwen" / "settings.json"
        path.parent.mkdir(parents=True)
        path.write_text(text)
        environ = {"HOME": str(home), **ENV}
        ctx = build_context(path, ws, environ)
        analyze(jsonc.parse(text), ctx)  # warm caches (schema catalogue, env files)
        parse_t, total_t, edit_t = [], [], []
        findings = 0
        prev = jsonc.parse(text)
        for _i in range(runs):
            t0 = time.perf_counter()
            doc = jsonc.parse(text)
            t1 = time.perf_counter()
            findings = len(analyze(doc, ctx))
            t2 = time.perf_counter()
            parse_t.append((t1 - t0) * 1000)
            total_t.append((t2 - t0) * 1000)
            # an edit: change one character near the middle, re-parse incrementally, analyse
            mid = text.index('"name"', len(text) // 2)
            edited = text[:mid] + " " + text[mid:]
            t3 = time.perf_counter()
            doc2 = jsonc.parse(edited, previous=prev, edit=jsonc.TextEdit(mid, mid, " "))
            analyze(doc2, ctx)
            edit_t.append((time.perf_counter() - t3) * 1000)
        print(f"{label:<9} {len(text.encode()) / 1e6:6.2f} MB  parse p50 {statistics.median(parse_t):7.2f} ms"
              f"  parse+analyse p50 {statistics.median(total_t):7.2f} ms  max {max(total_t):7.2f} ms"
              f"  after-edit p50 {statistics.median(edit_t):7.2f} ms  ({findings} findings, {runs} runs)")


if __name__ == "__main__":
    measure("typical", TYPICAL, 200)
    measure("large", large(), 15)
