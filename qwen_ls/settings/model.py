"""The settings model under the name ``docs/CONTRACTS.md`` uses.

The classes live in :mod:`qwen_ls.settings.models`; this module re-exports them.
"""

from qwen_ls.settings.models import *  # noqa: F403
from qwen_ls.settings.models import __all__  # noqa: F401
