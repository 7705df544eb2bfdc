"""Pydantic models of Qwen Code's ``settings.json``: the single source of the settings schema.

:class:`Settings` is the root. The sections are generated from the CLI's key table
(:mod:`.sections`); the parts the CLI's own schema leaves unchecked are hand-written:
:mod:`.providers` (``modelProviders``), :mod:`.generation` (``generationConfig``), :mod:`.mcp`,
:mod:`.hooks` and :mod:`.shapes`.
"""

from qwen_ls.settings.models.generation import GenerationConfig, SamplingParams
from qwen_ls.settings.models.hooks import HookConfig, HookDefinition
from qwen_ls.settings.models.mcp import McpServerConfig
from qwen_ls.settings.models.providers import (
    AuthType,
    ModelCapabilities,
    ModelConfig,
    ModelProviders,
    ProviderMetadataEntry,
)
from qwen_ls.settings.models.sections import Settings
from qwen_ls.settings.models.shapes import ExecutionSandbox

__all__ = [
    "AuthType",
    "ExecutionSandbox",
    "GenerationConfig",
    "HookConfig",
    "HookDefinition",
    "McpServerConfig",
    "ModelCapabilities",
    "ModelConfig",
    "ModelProviders",
    "ProviderMetadataEntry",
    "SamplingParams",
    "Settings",
]
