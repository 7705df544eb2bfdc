"""The bundled examples and the seed document's examples, analysed in a temporary HOME."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "docs" / "reference" / "seed-authentication.txt"

# (code, the exact text the diagnostic must cover) for the twenty mistakes of the broken example.
EXPECTED_BROKEN = [
    ("QLS110", '"theme"'),
    ("QLS101", '"vimMod"'),
    ("QLS102", '"yes"'),
    ("QLS002", ","),
    ("QLS103", '"always"'),
    ("QLS104", "5000"),
    ("QLS208", '"anthropic"'),
    ("QLS203", '"qwen3-coder"'),
    ("QLS207", '"gpt-4o-mini"'),
    ("QLS403", "60000"),
    ("QLS404", '"NODE_OPTIONS"'),
    ("QLS406", '"sk-test-demo0000000000000000"'),
    ("QLS303", "{"),
    ("QLS304", '"gpt-4.1"'),
    ("QLS305", '"qwen3-coder-plus"'),
    ("QLS306", '"response"'),
    ("QLS401", '"sk-test-0000000000000000abcd"'),
    ("QLS402", '"MY_MISSING_KEY"'),
    ("QLS501", '"openrouter.ai/api/v1"'),
    ("QLS301", '"deepseek"'),
]

ENV_FILE = """BAILIAN_CODING_PLAN_API_KEY=sk-sp-test-demo00000000
DASHSCOPE_API_KEY=sk-test-demo-dashscope0000
OPENAI_API_KEY=sk-test-demo-openai000000
DEEPSEEK_API_KEY=sk-test-demo-deepseek00000
"""


def test_twenty_mistakes_twenty_diagnostics_on_the_right_ranges(sandbox):
    text = (ROOT / "examples/broken/.qwen/settings.json").read_text()
    sandbox.write(".qwen/.env", ENV_FILE)
    doc, findings = sandbox.analyze(text, "workspace")
    got = [(f.code, text[f.span.start:f.span.end]) for f in findings]
    assert sorted(got) == sorted(EXPECTED_BROKEN), got
    # every mistake is a different rule
    assert len({code for code, _ in got}) == 20


@pytest.mark.parametrize("name", ["coding-plan", "api-key"])
def test_bundled_clean_examples_have_no_findings_with_keys_in_home_env(sandbox, name):
    text = (ROOT / "examples" / name / ".qwen/settings.json").read_text()
    sandbox.write(".qwen/.env", ENV_FILE)
    _, findings = sandbox.analyze(text, "workspace")
    assert [(f.code, f.message) for f in findings] == []


def _seed_examples() -> list[dict]:
    text = SEED.read_text(encoding="utf-8")
    out = []
    for match in re.finditer(r'\{ "modelProviders".*?"model": \{ "name": "[^"]+" \} \}', text):
        out.append(json.loads(match.group(0)))
    return out


@pytest.fixture(scope="module")
def seed_examples() -> list[dict]:
    examples = _seed_examples()
    assert len(examples) == 2, "expected the Coding Plan and the API-key examples"
    return examples


def test_seed_examples_as_given_have_no_errors(sandbox, seed_examples):
    for example in seed_examples:
        _, findings = sandbox.analyze(json.dumps(example, indent=2))
        assert [f for f in findings if f.severity == "error"] == []
        # the placeholder key in plain text is worth a warning, masked
        plain = [f for f in findings if f.code == "QLS406"]
        assert len(plain) == 1 and "xxxxxxxxx" not in plain[0].message


def test_seed_examples_without_the_key_warn_no_source(sandbox, seed_examples):
    for example in seed_examples:
        example = {k: v for k, v in example.items() if k != "env"}
        env_key = example["modelProviders"]["openai"][0]["envKey"]
        _, findings = sandbox.analyze(json.dumps(example, indent=2))
        assert [f.code for f in findings] == ["QLS402"]
        assert f"No env source provides {env_key}" in findings[0].message
        assert "~/.qwen/.env" in findings[0].message


def test_seed_examples_with_the_key_in_home_qwen_env_are_clean(sandbox, seed_examples):
    for example in seed_examples:
        example = {k: v for k, v in example.items() if k != "env"}
        env_key = example["modelProviders"]["openai"][0]["envKey"]
        sandbox.write(".qwen/.env", f"{env_key}=sk-sp-test-seed0000000\n")
        _, findings = sandbox.analyze(json.dumps(example, indent=2))
        assert findings == []
