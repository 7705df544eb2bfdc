"""``qwen-ls doctor [--format json] [--workspace DIR]``: what ``qwen`` will do when started here.

The answer is :func:`qwen_ls.doctor.doctor_report`; exit status 0 when qwen would start, else 1.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from qwen_ls.cli.exitcodes import ExitCode


def run(args: argparse.Namespace) -> int:
    """Print the report (masked, text or JSON); 0 when qwen would start, else 1."""
    from qwen_ls.doctor import doctor_report, format_report
    from qwen_ls.secrets import redact

    workspace = (args.workspace or Path.cwd()).absolute()
    report = doctor_report(workspace, dict(os.environ))
    if args.format == "json":
        print(redact(json.dumps(report, indent=2)))  # the one mask, on every output path
    else:
        print(redact(format_report(report)))
    return ExitCode.OK if report["starts"] else ExitCode.FAILURE


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``qwen-ls doctor``."""
    p = sub.add_parser("doctor", help="show what qwen will do when started here, and why not")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--workspace", type=Path, default=None,
                   help="the folder qwen would start in (default: the current directory)")
    p.set_defaults(handler=run)
