"""The exit status of every ``qwen-ls`` command, in one table.

=====  ==============  =====================================================================
code   name            meaning
=====  ==============  =====================================================================
0      ``OK``          done: no error remains (``check``), signed in (``auth status``), the
                       flow succeeded, qwen would start (``doctor``)
1      ``FAILURE``     ``check``: an error-severity finding remains, or ``--diff`` would change
                       a file; ``auth``/``model``: the flow failed or the configuration is
                       incomplete; ``doctor``: qwen would not start
2      ``USAGE``       a wrong argument, a bad ``[tool.qwen-ls]`` configuration, an unreadable
                       file (``check``)
130    ``CANCELLED``   Ctrl-C or end of input during a sign-in flow; nothing was written
141    ``BROKEN_PIPE`` stdout closed early (``qwen-ls rules | head``), as SIGPIPE would end it
=====  ==============  =====================================================================
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The process exit status (an ``int``: handlers return it, ``main`` passes it on)."""

    OK = 0
    FAILURE = 1
    USAGE = 2
    CANCELLED = 130
    BROKEN_PIPE = 141
