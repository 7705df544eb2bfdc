"""The command line's wiring: one parser for the server's options, one handler per command.

Parsed in process (no server is started): what `qwen-ls --stdio` (as editors start it) and
`qwen-ls serve ...` accept is the same, and every command reaches its handler through
``set_defaults(handler=...)``.
"""

from __future__ import annotations

import pytest

from qwen_ls.cli import build_parser, serve
from qwen_ls.cli.exitcodes import ExitCode


@pytest.mark.parametrize("argv", [[], ["--stdio"], ["--tcp", "9000"], ["--tcp=h:1"],
                                  ["--log-file", "x.log"]])
def test_server_spellings_go_straight_to_the_server_parser(argv):
    assert serve.is_server_argv(argv)


@pytest.mark.parametrize("argv", [["check"], ["serve"], ["--help"], ["--version"], ["rules"]])
def test_commands_and_help_go_to_the_full_parser(argv):
    assert not serve.is_server_argv(argv)


@pytest.mark.parametrize("args", [["--tcp", "9000", "--log-file", "x.log"], ["--stdio"]])
def test_both_spellings_of_serving_parse_alike(args):
    bare = serve.build_parser().parse_args(args)
    sub = build_parser().parse_args(["serve", *args])
    assert (bare.tcp, bare.log_file, bare.stdio) == (sub.tcp, sub.log_file, sub.stdio)
    assert bare.handler is sub.handler is serve.run


def test_tcp_takes_host_and_port_or_a_port():
    assert serve.parse_tcp("9000") == ("127.0.0.1", 9000)
    assert serve.parse_tcp("0.0.0.0:1") == ("0.0.0.0", 1)
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["serve", "--tcp", "nope"])
    assert exc.value.code == ExitCode.USAGE


def test_every_command_has_a_handler():
    sub = build_parser()._subparsers._group_actions[0].choices
    assert set(sub) == {"serve", "check", "rules", "schema", "auth", "model", "doctor"}
    leaves = [["check"], ["rules"], ["schema"], ["doctor"], ["auth"], ["auth", "status"],
              ["auth", "sign-out"], ["model"], ["model", "list"], ["model", "use", "m"]]
    for argv in leaves:
        assert callable(build_parser().parse_args(argv).handler), argv
