"""Long LSP fuzz run against the real server (prints figures; not a test).

The same driver as ``tests/fuzz/test_lsp_fuzz.py`` (``tests/fuzz/driver.py``), with a seeded
``random.Random`` choosing the operations: incremental edits (half-typed keys, brackets, control
characters, lone surrogates, U+2028/U+2029, slices of real settings files), interleaved with
completion, hover, code action (with the current diagnostics; sometimes applying the fix),
document symbol, inlay hint, definition and diagnostics requests. After every edit the server's
copy is compared with the client's (``qwen-ls.debug.documentInfo``). The steps are split between
the VS Code profile (UTF-16, push) and the Neovim profile (UTF-8, pull), one server each; a fresh
document is opened every ``--doc-steps`` steps.

Run: ``.venv/bin/python bench/fuzz_lsp.py [--seed N] [--steps 100000] [--max-seconds 600]``.
Exit status 1 when an invariant broke (desync, timeout, error answer, server-logged error, dead
server, invalid range).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

from driver import PROFILES, FuzzFailure, FuzzSession, Stats, initial_text, random_op  # noqa: E402


async def run_profile(profile: str, seed: int, steps: int, deadline: float, doc_steps: int,
                      timeout: float, stats: Stats) -> int | None:
    """Run ``steps`` steps on one server; returns its peak RSS in KiB."""
    rng = random.Random(f"{seed}:{profile}")
    with tempfile.TemporaryDirectory(prefix="qwen-ls-fuzz-") as tmp:
        session = FuzzSession(profile, Path(tmp), timeout=timeout, stats=stats, strict=False)
        await session.start()
        peak = None
        try:
            done = 0
            while done < steps and time.monotonic() < deadline:
                doc = await session.open(initial_text(rng))
                for _ in range(min(doc_steps, steps - done)):
                    if time.monotonic() >= deadline:
                        break
                    op = random_op(rng)
                    try:
                        await session.step(doc, op)
                    except FuzzFailure as exc:
                        print(f"[{profile}] step {stats.steps}: {exc}", file=sys.stderr)
                        if not session.alive():
                            await session.restart()
                            break
                    done += 1
                    if len(doc.text) > 60_000:  # keep documents editor-sized
                        break
                if session.alive():
                    session.close(doc)
            peak = session.peak_rss_kb()
        finally:
            await session.stop()
        return peak


async def main_async(args: argparse.Namespace) -> int:
    stats = Stats()
    start = time.monotonic()
    deadline = start + args.max_seconds
    peaks = {}
    share = [args.steps // 2, args.steps - args.steps // 2]
    for i, profile in enumerate(PROFILES):
        # Each profile gets its share of the remaining time.
        profile_deadline = min(deadline, time.monotonic() + (deadline - time.monotonic())
                               / (len(PROFILES) - i))
        before = stats.steps
        peaks[profile] = await run_profile(profile, args.seed, share[i], profile_deadline,
                                           args.doc_steps, args.timeout, stats)
        print(f"[{profile}] {stats.steps - before} steps", file=sys.stderr)
    elapsed = time.monotonic() - start
    print(f"seed {args.seed}; {elapsed:.0f} s; {stats.steps / max(elapsed, 1e-9):.0f} steps/s")
    print(stats.report())
    for profile, peak in peaks.items():
        print(f"peak RSS of the server ({profile}): "
              + (f"{peak / 1024:.1f} MiB" if peak else "unknown"))
    bad = (stats.desyncs or stats.timeouts or stats.restarts or stats.server_errors
           or stats.bad_ranges or sum(stats.errors.values()))
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--max-seconds", type=float, default=600.0)
    parser.add_argument("--doc-steps", type=int, default=300,
                        help="steps per document before a fresh one is opened")
    parser.add_argument("--timeout", type=float, default=10.0, help="deadline of each request")
    args = parser.parse_args()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    raise SystemExit(main())
