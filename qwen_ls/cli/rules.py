"""``qwen-ls rules [--format text|json|markdown|table]``: the rule catalogue.

``markdown`` is ``docs/rules.md`` and ``table`` the README's rule table
(:mod:`qwen_ls.analysis.rules_doc`, written by ``tools/gen_docs.py``).
"""

from __future__ import annotations

import argparse
import json
import sys

from qwen_ls.cli.exitcodes import ExitCode


def run(args: argparse.Namespace) -> int:
    """Print the rule catalogue in ``args.format``."""
    from qwen_ls.analysis.rules import RULES
    from qwen_ls.analysis.rules_doc import rules_markdown, rules_table

    if args.format == "json":
        rows = [{"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary}
                for r in RULES.values()]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(rules_markdown())
    elif args.format == "table":
        sys.stdout.write(rules_table())
    else:
        for rule in RULES.values():
            sys.stdout.write(f"{rule.code}  {rule.severity:<11}  {rule.name:<34} {rule.summary}\n")
    return ExitCode.OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``qwen-ls rules``."""
    p = sub.add_parser("rules", help="list every rule")
    p.add_argument("--format", choices=("text", "json", "markdown", "table"), default="text")
    p.set_defaults(handler=run)
