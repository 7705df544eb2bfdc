"""Follow a Qwen Code release: pack it from npm, dump its settings schema, regenerate the data.

One command, then review the diff::

    .venv/bin/python tools/sync_cli.py 0.24.4

It runs ``npm pack @qwen-code/qwen-code@VERSION`` into a temporary folder, unpacks it, runs the
oracle harness (``tests/oracle/harness.mjs --schema``) against that package, which imports the
release's own bundle chunk and evaluates ``getSettingsSchema()``, flattens the schema into the
key table ``docs/reference/qwen-code-settings-keys.tsv`` (one row per key path) and then runs
``tools/gen_settings_model.py`` to regenerate ``qwen_ls/settings/models/sections.py``.

A new key without a description in :mod:`qwen_ls.settings.descriptions` stops the generator
with the key's name: write its description, then run this again. The version named in the
table's header and in ``sections.py`` follows the release. The oracle's own pin
(``tests/oracle/package.json``) is left alone; move it in the same change when the differential
suite should run against the new release too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

import gen_settings_model  # noqa: E402

PACKAGE = "@qwen-code/qwen-code"
HARNESS = REPO / "tests" / "oracle" / "harness.mjs"
TSV = REPO / "docs" / "reference" / "qwen-code-settings-keys.tsv"
COLUMNS = ["path", "type", "default", "enum", "merge", "restart", "min", "max", "notes"]
_VERSION = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?")


def header(version: str) -> list[str]:
    """The table's comment lines, naming the release it was read from."""
    return [
        f"# Settings keys accepted by Qwen Code {version} (npm {PACKAGE}), flattened from "
        "getSettingsSchema() in packages/cli/src/config/settingsSchema.ts.",
        "# Columns: path, schema type (enum = string with fixed options), default (JSON; empty "
        "= undefined), allowed values, merge strategy across scopes, restart needed, minimum, "
        "maximum, notes.",
    ]


def _number(value: object) -> str:
    return "" if value is None else json.dumps(value)


def _notes(node: dict) -> list[str]:
    """What a row's other columns cannot say: item types, unions, closed objects, JSON types."""
    notes: list[str] = []
    override = node.get("jsonSchemaOverride") or {}
    items = node.get("items")
    if isinstance(items, dict) and "type" in items:
        note = f"items:{items['type']}"
        if items.get("enum"):
            note += " enum(" + "|".join(items["enum"]) + ")"
        notes.append(note)
    if node.get("legacyTypes"):
        notes.append("legacyTypes:" + ",".join(node["legacyTypes"]))
    if "oneOf" in override:
        notes.append("oneOf:" + "|".join(_shape(alt) for alt in override["oneOf"]))
    if "anyOf" in override:
        notes.append("anyOf:" + ",".join(alt.get("type", "?") for alt in override["anyOf"]))
    if override.get("required"):
        notes.append("required:" + ",".join(override["required"]))
    if override.get("additionalProperties") is False:
        notes.append("closed-object")
    json_type = override.get("type")
    if json_type is not None and json_type != node.get("type"):
        # The table was first written by Python: a list of types reads as its repr.
        notes.append(f"jsonType:{json_type if isinstance(json_type, str) else repr(json_type)}")
    return notes


def _shape(alt: dict) -> str:
    """``string`` for a scalar alternative, ``{a,b}`` for an object's property names."""
    if alt.get("type") == "object":
        return "{" + ",".join(alt.get("properties", {})) + "}"
    return str(alt.get("type"))


def flatten(schema: dict) -> list[dict[str, str]]:
    """One row per key path, parents before children, in the schema's own order."""
    rows: list[dict[str, str]] = []

    def walk(properties: dict, prefix: str) -> None:
        for name, node in properties.items():
            path = prefix + name
            override = node.get("jsonSchemaOverride") or {}
            enum = override.get("enum") or [o["value"] for o in node.get("options") or []]
            rows.append(
                {
                    "path": path,
                    "type": node.get("type", ""),
                    "default": "" if "default" not in node else json.dumps(node["default"]),
                    "enum": "|".join(str(v) for v in enum),
                    "merge": node.get("mergeStrategy", ""),
                    "restart": "restart" if node.get("requiresRestart") else "",
                    "min": _number(node.get("minimum", override.get("minimum"))),
                    "max": _number(node.get("maximum", override.get("maximum"))),
                    "notes": ";".join(_notes(node)),
                }
            )
            walk(node.get("properties") or {}, path + ".")

    walk(schema, "")
    return rows


def write_table(rows: list[dict[str, str]], version: str, path: Path = TSV) -> None:
    """Write the TSV exactly as :func:`gen_settings_model.read_table` reads it."""
    lines = header(version) + ["\t".join(COLUMNS)]
    lines += ["\t".join(row[c] for c in COLUMNS) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _run(command: list[str], what: str, **kwargs) -> subprocess.CompletedProcess[str]:
    """Run a bounded subprocess; stop with its stderr when it fails."""
    proc = subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, **kwargs
    )
    if proc.returncode != 0:
        raise SystemExit(f"{what} failed:\n{proc.stderr[-4000:]}")
    return proc


def dump_schema(package_dir: Path) -> dict:
    """Run the oracle harness against an unpacked release; return ``{"version", "schema"}``."""
    env = {**os.environ, "QWEN_ORACLE_PACKAGE": str(package_dir), "NO_COLOR": "1"}
    proc = _run(["node", str(HARNESS), "--schema"], "harness --schema", env=env)
    return json.loads(proc.stdout.splitlines()[-1])


def pack(version: str, into: Path) -> Path:
    """``npm pack`` the release into ``into`` and unpack it; return the package folder."""
    command = ["npm", "pack", f"{PACKAGE}@{version}", "--json", "--loglevel=error"]
    proc = _run(command, "npm pack", cwd=into)
    tarball = into / json.loads(proc.stdout)[0]["filename"]
    with tarfile.open(tarball) as tar:
        tar.extractall(into, filter="data")
    return into / "package"


def _shown(path: Path) -> str:
    """A path relative to the repository when it is inside it."""
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def main(argv: list[str] | None = None) -> int:
    """Pack, dump, flatten, regenerate; print what changed in the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("version", help="the CLI release, e.g. 0.24.4")
    parser.add_argument(
        "--package-dir",
        type=Path,
        help="an already unpacked release (skips npm pack; for offline runs and tests)",
    )
    parser.add_argument("--tsv", type=Path, default=TSV)
    parser.add_argument("--output", type=Path, default=gen_settings_model.OUTPUT)
    args = parser.parse_args(argv)
    if not _VERSION.fullmatch(args.version):
        parser.error(f"not a release version: {args.version!r}")
    with tempfile.TemporaryDirectory(prefix="qwen-sync-") as tmp:
        package_dir = args.package_dir or pack(args.version, Path(tmp))
        dumped = dump_schema(package_dir)
    if dumped["version"] != args.version:
        raise SystemExit(f"the package says it is {dumped['version']}, not {args.version}")
    before = args.tsv.read_text(encoding="utf-8") if args.tsv.exists() else ""
    rows = flatten(dumped["schema"])
    write_table(rows, args.version, args.tsv)
    old = {line.split("\t", 1)[0] for line in before.splitlines() if not line.startswith("#")}
    new = {row["path"] for row in rows}
    print(
        f"{_shown(args.tsv)}: {len(rows)} keys "
        f"(+{len(new - old - {'path'})} -{len(old - new - {'path', ''})})"
    )
    for path in sorted(new - old):
        print(f"  + {path}")
    for path in sorted(old - new - {"path", ""}):
        print(f"  - {path}")
    gen_settings_model.main(["--tsv", str(args.tsv), "--output", str(args.output)])
    print(f"{_shown(args.output)} regenerated; review with git diff")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
