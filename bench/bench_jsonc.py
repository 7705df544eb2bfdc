"""Benchmark the JSONC layer: parse, value and node_at_path times (median of several runs).

Run: ``.venv/bin/python bench/bench_jsonc.py``
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from qwen_ls.jsonc import TextEdit, parse
from qwen_ls.jsonc.edits import set_value

REAL = Path(__file__).parents[1] / "tests" / "data" / "jsonc" / "real-settings.json"
RUNS = 9


def big_file(models: int = 2000) -> str:
    providers = {"openai": [], "anthropic": []}
    for i in range(models):
        providers["openai" if i % 2 else "anthropic"].append({
            "id": f"model-{i:04d}",
            "name": f"Model number {i} — 模型",
            "description": "A generated model for measuring qwen-ls on large files, " * 3,
            "baseUrl": f"https://provider-{i % 17}.example.com/v1",
            "envKey": f"PROVIDER_{i % 17}_API_KEY",
            "generationConfig": {"timeout": 120000, "contextWindowSize": 131072,
                                 "samplingParams": {"temperature": 0.7, "top_p": 0.9}},
        })
    body = json.dumps({"$version": 4, "model": {"name": "model-0001"},
                       "modelProviders": providers}, indent=2, ensure_ascii=False)
    return "// generated\n" + body + "\n"


def median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def bench(label: str, text: str, path: tuple) -> None:
    print(f"{label}: {len(text.encode()) / 1e6:.2f} MB, {len(text):,} chars")
    print(f"  parse            {median_ms(lambda: parse(text)):8.2f} ms")
    print(f"  parse + value    {median_ms(lambda: parse(text).value):8.2f} ms")
    doc = parse(text)
    _ = doc.value
    print(f"  node_at_path     {median_ms(lambda: parse(text).node_at_path(path)):8.2f} ms "
          "(includes parse)")
    print(f"  locate(end)      {median_ms(lambda: doc.locate(len(text) - 3)):8.2f} ms")
    print(f"  set_value        {median_ms(lambda: set_value(doc, ('model', 'name'), 'x')):8.2f}"
          " ms")
    i = text.index("model-0001") if "model-0001" in text else text.index('"name"')
    new_text = text[:i] + "X" + text[i + 1:]
    edit = TextEdit(i, i + 1, "X")
    print(f"  incremental      {median_ms(lambda: parse(new_text, doc, edit).value):8.2f} ms "
          "(re-parse + value after a 1-char edit)")
    broken = text[:i] + '"' + text[i:]
    print(f"  broken: value    {median_ms(lambda: parse(broken).value):8.2f} ms "
          "(tolerant parser)")


def main() -> None:
    bench("typical", REAL.read_text("utf-8"), ("modelProviders", "openai", 0, "envKey"))
    bench("2,000 models", big_file(), ("modelProviders", "openai", 999, "envKey"))


if __name__ == "__main__":
    main()
