"""``qwen-ls schema``: print the settings JSON Schema (the committed ``settings.schema.json``)."""

from __future__ import annotations

import argparse
import json
import sys

from qwen_ls.cli.exitcodes import ExitCode


def run(args: argparse.Namespace) -> int:
    """Print the schema, keys sorted."""
    from qwen_ls.settings.schema import build_schema

    sys.stdout.write(json.dumps(build_schema(), indent=2, sort_keys=True) + "\n")
    return ExitCode.OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``qwen-ls schema``."""
    sub.add_parser("schema", help="print the settings JSON Schema").set_defaults(handler=run)
