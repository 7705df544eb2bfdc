"""QLS313: generationConfig fields a protocol's content generator never reads (0.24.4 bundle)."""

from __future__ import annotations

import json

import pytest


def _settings(protocol: str, generation: dict) -> str:
    entry = {"id": "m1", "envKey": "K", "baseUrl": "https://example.invalid/v1",
             "generationConfig": generation}
    return json.dumps({"$version": 4, "modelProviders": {protocol: [entry]}}, indent=2)


@pytest.mark.parametrize(("protocol", "field", "ignored"), [
    ("gemini", "timeout", True),
    ("gemini", "extra_body", True),
    ("gemini", "samplingParams", False),
    ("gemini", "maxRetries", False),  # retries live in the shared chat loop
    ("anthropic", "extra_body", True),
    ("anthropic", "cacheRetention", False),
    ("anthropic", "timeout", False),
    ("openai", "cacheRetention", True),
    ("openai", "forceGlobalCacheScope", True),
    ("openai", "extra_body", False),
    ("openai", "timeout", False),
])
def test_ignored_fields_by_protocol(sandbox, protocol, field, ignored):
    text = _settings(protocol, {field: 1})
    _, findings = sandbox.analyze(text, env={"K": "sk-test-0000000000000000abcd"})
    found = [f for f in findings if f.code == "QLS313"]
    assert bool(found) is ignored
    if found:
        assert text[found[0].span.start:found[0].span.end] == f'"{field}"'
        assert protocol in found[0].message
        assert found[0].data["fixes"][0]["kind"] == "remove-value"
