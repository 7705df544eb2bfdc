"""Documents shared by the benchmarks: a typical settings file, a 1.2 MB one, and its twin with many findings."""

from __future__ import annotations

import json

TYPICAL = """{
  // A typical user settings file: Coding Plan plus one own provider.
  "$version": 4,
  "ui": {"theme": "Qwen Dark", "hideTips": true},
  "tools": {"approvalMode": "auto-edit"},
  "general": {"vimMode": false},
  "security": {"auth": {"selectedType": "openai"}},
  "model": {"name": "qwen3-coder-plus", "baseUrl": "https://coding.dashscope.aliyuncs.com/v1"},
  "modelProviders": {
    "openai": [
      {"id": "qwen3-coder-plus", "name": "[ModelStudio Coding Plan] qwen3-coder-plus",
       "baseUrl": "https://coding.dashscope.aliyuncs.com/v1", "envKey": "BAILIAN_CODING_PLAN_API_KEY",
       "generationConfig": {"contextWindowSize": 1000000}},
      {"id": "qwen3.5-plus", "name": "[ModelStudio Coding Plan] qwen3.5-plus",
       "baseUrl": "https://coding.dashscope.aliyuncs.com/v1", "envKey": "BAILIAN_CODING_PLAN_API_KEY",
       "generationConfig": {"contextWindowSize": 1000000, "extra_body": {"enable_thinking": true}}},
      {"id": "deepseek-chat", "name": "DeepSeek Chat", "baseUrl": "https://api.deepseek.com",
       "envKey": "DEEPSEEK_API_KEY"}
    ]
  },
  "mcpServers": {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem"]}}
}
"""

ENV = {"BENCH_API_KEY_A": "sk-bench-a-000000000000", "BENCH_API_KEY_B": "sk-bench-b-000000000000", "BAILIAN_CODING_PLAN_API_KEY": "sk-sp-bench-000000000000", "DEEPSEEK_API_KEY": "sk-bench-0000000000000"}


def large(models: int = 2000) -> str:
    """A settings file of about 1.17 MB with ``models`` provider entries."""
    entries = []
    for i in range(models):
        entries.append({
            "id": f"bench-model-{i:04d}",
            "name": f"[Bench Provider] Benchmark model number {i:04d}",
            "description": "Generated entry for the large-file benchmark.",
            "baseUrl": f"https://api{i % 7}.bench.example.com/v1",
            "envKey": "BENCH_API_KEY_A" if i % 2 else "BENCH_API_KEY_B",
            "generationConfig": {
                "contextWindowSize": 131072, "timeout": 120000, "maxRetries": 3,
                "samplingParams": {"temperature": 0.2, "top_p": 0.9, "max_tokens": 8192},
                "customHeaders": {"X-Bench": f"value-{i}"},
            },
        })
    doc = {"$version": 4, "security": {"auth": {"selectedType": "openai"}},
           "model": {"name": "bench-model-0001"}, "modelProviders": {"openai": entries}}
    return "// large benchmark file\n" + json.dumps(doc, indent=2) + "\n"


def many_findings(models: int = 2000) -> str:
    """:func:`large` with every ``envKey`` naming a variable nothing provides.

    The same 1.2 MB file, but each of its ``models`` entries gets a real finding (QLS402, no env
    source provides the key): the "big file with many findings" case.
    """
    return large(models).replace('"BENCH_API_KEY_', '"BENCH_UNSET_KEY_')
