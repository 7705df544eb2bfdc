"""Instruction counts (valgrind) of qwen-ls's cold paths: a figure that a busy machine cannot move.

Wall-clock start-up figures on a shared machine move by 2-5x with the load; the number of
instructions executed does not (within ~0.5 %). For each case the server reads a canned message
stream from a file (``initialize`` ... ``shutdown``, ``exit``) under ``valgrind --tool=cachegrind
--cache-sim=no`` and the total ``I refs`` is printed, next to the floor ``python -c 'import
pygls.lsp.server'``:

- ``initialize``: start, initialize, exit (start -> initialize, plus shutdown);
- ``open+pull <doc>``: the same plus ``initialized``, ``didOpen`` and one ``textDocument/diagnostic``
  right after it (the first analysis of a session), for ``typical``, ``large`` and ``many findings``.

The difference between a case and ``initialize`` is the cost of the first diagnostics. With
``--edits N`` each document case is run again with ``N`` edits after the first pull (the
benchmark's own edit: ``hideTips`` / ``maxRetries`` toggled, one incremental ``didChange``, then a
``textDocument/diagnostic``), and the instructions per edit -> pull are printed: the figure behind
"edit -> diagnostics (pull)" that load cannot move. Each run takes 20-90 s under valgrind. Run:
``.venv/bin/python bench/bench_instructions.py [--cases ...] [--edits N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from corpus import ENV, TYPICAL, large, many_findings  # noqa: E402

VENV_PY = REPO / ".venv" / "bin" / "python"
PYTHON = str(VENV_PY if VENV_PY.exists() else Path(sys.executable))
DOCS = {"typical": lambda: TYPICAL, "large": large, "many findings": many_findings}


def frame(messages: list[dict]) -> bytes:
    out = b""
    for m in messages:
        body = json.dumps(m).encode()
        out += b"Content-Length: %d\r\n\r\n" % len(body) + body
    return out


EDIT_AT = {"typical": ('"hideTips": ', "true", "false"), "large": ('"maxRetries": ', "3", "4"),
           "many findings": ('"maxRetries": ', "3", "4")}  # as bench_anchor.perf_docs()


def _edits(uri: str, text: str, doc: str, count: int) -> list[dict]:
    """``count`` didChange + diagnostic pairs, toggling the benchmark's edit position."""
    needle, a, b = EDIT_AT[doc]
    out: list[dict] = []
    for i in range(count):
        base = text.index(needle) + len(needle)
        cur, new = (a, b) if text.startswith(a, base) else (b, a)
        line = text.count("\n", 0, base)
        col = base - (text.rfind("\n", 0, base) + 1)  # ASCII up to here: UTF-16 = code points
        text = text[:base] + new + text[base + len(cur):]
        rng = {"start": {"line": line, "character": col},
               "end": {"line": line, "character": col + len(cur)}}
        out += [{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                    "textDocument": {"uri": uri, "version": i + 2},
                    "contentChanges": [{"range": rng, "text": new}]}},
                {"jsonrpc": "2.0", "id": 100 + i, "method": "textDocument/diagnostic",
                 "params": {"textDocument": {"uri": uri}}}]
    return out


def stream(root: Path, doc: str | None, edits: int = 0) -> bytes:
    caps = {"textDocument": {"diagnostic": {"dynamicRegistration": False},
                             "publishDiagnostics": {"relatedInformation": True}},
            "general": {"positionEncodings": ["utf-16"]}}
    msgs: list[dict] = [{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": None, "rootUri": root.as_uri(), "capabilities": caps,
        "workspaceFolders": [{"uri": root.as_uri(), "name": "ws"}]}}]
    if doc is not None:
        text = DOCS[doc]()
        path = root / ".qwen" / "settings.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        msgs += [{"jsonrpc": "2.0", "method": "initialized", "params": {}},
                 {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                     "uri": path.as_uri(), "languageId": "jsonc", "version": 1, "text": text}}},
                 {"jsonrpc": "2.0", "id": 2, "method": "textDocument/diagnostic",
                  "params": {"textDocument": {"uri": path.as_uri()}}}]
        msgs += _edits(path.as_uri(), text, doc, edits)
    msgs += [{"jsonrpc": "2.0", "id": 3, "method": "shutdown"},
             {"jsonrpc": "2.0", "method": "exit"}]
    return frame(msgs)


def instructions(argv: list[str], stdin: bytes, env: dict[str, str]) -> int:
    proc = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         *argv], input=stdin, capture_output=True, env=env, timeout=900, check=False)
    found = re.search(rb"I\s+refs:\s+([\d,]+)", proc.stderr)
    if found is None:
        raise RuntimeError(proc.stderr.decode(errors="replace")[-2000:])
    return int(found.group(1).replace(b",", b""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", nargs="*", default=["floor", "initialize", *DOCS],
                        help="floor, initialize, typical, large, 'many findings'")
    parser.add_argument("--edits", type=int, default=0,
                        help="also run each document with this many edit -> pull after the first "
                             "pull, and print the instructions per edit (default 0: not run)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-ir-") as tmp:
        root = Path(tmp)
        home = root / "home"
        (home / ".qwen").mkdir(parents=True)
        (home / ".qwen" / ".env").write_text("".join(f"{k}={v}\n" for k, v in ENV.items()))
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "LANG": "C.UTF-8",
               "PYTHONPATH": str(REPO)}
        base = None
        print("| case | instructions | above initialize |\n|---|---|---|")
        opened: dict[str, int] = {}
        for case in args.cases:
            if case == "floor":
                count = instructions([PYTHON, "-c", "import pygls.lsp.server"], b"", env)
            else:
                ws = root / f"ws-{case.replace(' ', '-')}"
                ws.mkdir()
                doc = None if case == "initialize" else case
                count = instructions([PYTHON, "-m", "qwen_ls"], stream(ws, doc), env)
                if case == "initialize":
                    base = count
                else:
                    opened[case] = count
            extra = "" if base is None or case in ("floor", "initialize") else \
                f"{(count - base) / 1e6:,.0f} M"
            print(f"| {case} | {count / 1e6:,.0f} M | {extra} |", flush=True)
        if args.edits > 0 and opened:
            print(f"\n| case | instructions with {args.edits} edits | per edit -> pull |\n"
                  "|---|---|---|")
            for case, first in opened.items():
                ws = root / f"ws-{case.replace(' ', '-')}-edits"
                ws.mkdir()
                count = instructions([PYTHON, "-m", "qwen_ls"], stream(ws, case, args.edits), env)
                print(f"| {case} | {count / 1e6:,.0f} M | "
                      f"{(count - first) / args.edits / 1e6:,.1f} M |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
