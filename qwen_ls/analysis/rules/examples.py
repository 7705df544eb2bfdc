"""What the rules' examples share: fake values only (no example holds a real key)."""

from __future__ import annotations

#: A fake API key, for the examples' environment and the examples that show a leaked key.
FAKE_KEY = "sk-test-0000000000000000abcd"
