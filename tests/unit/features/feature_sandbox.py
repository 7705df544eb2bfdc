"""A real temporary HOME and project for the feature unit tests, and disk access like the server's.

The feature functions take a ``Files`` (the server's reads the open buffer first, then the disk
through :mod:`qwen_ls.safeio`); :class:`DiskFiles` is that without an editor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from qwen_ls import jsonc, safeio
from qwen_ls.analysis import build_context
from qwen_ls.analysis.context import AnalysisContext
from qwen_ls.features.options import ClientFlags

VSCODE = ClientFlags(encoding="utf-16", snippets=True, markdown=True, hierarchical_symbols=True)
PLAIN = ClientFlags(encoding="utf-8")

SECRET = "sk-dashscope000000001a2b"
"""A key in ``~/.qwen/.env``: never shown unmasked; its mask is ``sk-…1a2b``."""

USER_SETTINGS = {
    "$version": 4,
    "security": {"auth": {"selectedType": "openai"}},
    "modelProviders": {
        "openai": [
            {"id": "qwen3-coder-plus", "name": "Qwen3 Coder Plus", "envKey": "DASHSCOPE_API_KEY",
             "baseUrl": "https://dashscope.aliyuncs.com/compatible-mode/v1"},
            {"id": "gpt-5", "name": "GPT-5", "envKey": "OPENAI_API_KEY",
             "baseUrl": "https://api.openai.com/v1"},
        ],
    },
}


class DiskFiles:
    """``features.common.Files`` over the disk, read through safeio as the server reads it."""

    def __init__(self) -> None:
        self.read: list[Path] = []

    def text(self, path: Path) -> str | None:
        self.read.append(Path(path))
        return safeio.read_text_or_none(path)

    def uri(self, path: Path) -> str:
        return Path(path).as_uri()


@dataclass
class Sandbox:
    home: Path
    project: Path

    @property
    def environ(self) -> dict[str, str]:
        return {"HOME": str(self.home), "PATH": "/usr/bin:/bin",
                "QWEN_CODE_SYSTEM_SETTINGS_PATH": str(self.home.parent / "no-system.json")}

    @property
    def user_settings(self) -> Path:
        return self.home / ".qwen" / "settings.json"

    @property
    def workspace_settings(self) -> Path:
        return self.project / ".qwen" / "settings.json"

    @property
    def user_env(self) -> Path:
        return self.home / ".qwen" / ".env"

    def write(self, path: Path, text: str | dict) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text if isinstance(text, str) else json.dumps(text, indent=2), "utf-8")
        return path

    def open(self, path: Path, text: str | dict | None = None,
             environ: dict[str, str] | None = None) -> tuple[jsonc.JsonDocument, AnalysisContext]:
        """Write ``text`` (when given) to ``path`` and parse it with its context, as the server does."""
        if text is not None:
            self.write(path, text)
        doc = jsonc.parse(path.read_text("utf-8"))
        return doc, build_context(path, self.project, {**self.environ, **(environ or {})})


def offset_of(doc: jsonc.JsonDocument, needle: str, delta: int = 1, nth: int = 0) -> int:
    """The offset ``delta`` characters into the ``nth`` occurrence of ``needle``."""
    at = -1
    for _ in range(nth + 1):
        at = doc.text.index(needle, at + 1)
    return at + delta
