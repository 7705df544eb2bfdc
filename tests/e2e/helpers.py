"""Shared fixture texts and helpers for the e2e tests."""

from __future__ import annotations

import asyncio
import json

USER_SETTINGS = json.dumps(
    {
        "$version": 4,
        "security": {"auth": {"selectedType": "openai"}},
        "modelProviders": {
            "openai": [
                {
                    "id": "qwen3-coder-plus",
                    "name": "Qwen3 Coder Plus",
                    "baseUrl": "https://dashscope.aliyuncs.com/compatible-mode/v1",
                    "envKey": "DASHSCOPE_API_KEY",
                },
                {
                    "id": "gpt-5",
                    "name": "GPT-5",
                    "baseUrl": "https://api.openai.com/v1",
                    "envKey": "OPENAI_API_KEY",
                },
            ],
            "anthropic": [
                {"id": "claude-x", "baseUrl": "https://api.anthropic.com", "envKey": "ANTHROPIC_API_KEY"}
            ],
        },
    },
    indent=2,
) + "\n"

USER_ENV = "# keys\nDASHSCOPE_API_KEY=sk-dashscope000000001a2b\n"

WORKSPACE_USES_USER_MODEL = '{\n  "$version": 4,\n  "model": {"name": "qwen3-coder-plus"}\n}\n'


async def wait_for(predicate, timeout=10.0):
    """Wait until ``predicate()`` is true (a notification arrived, a file changed)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("condition never became true")
        await asyncio.sleep(0.02)
