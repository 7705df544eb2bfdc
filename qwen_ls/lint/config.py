"""``qwen-ls check`` settings from ``[tool.qwen-ls]`` in ``pyproject.toml`` or ``qwen-ls.toml``.

The nearest file upwards from the current directory wins (``qwen-ls.toml`` before
``pyproject.toml`` in the same folder; a ``pyproject.toml`` without a ``[tool.qwen-ls]`` table is
passed over), or the file given with ``--config``. Keys, as ruff spells them::

    [tool.qwen-ls]                      # in qwen-ls.toml: the same keys at the top level
    select = ["QLS2", "QLS4"]           # codes or prefixes to report (default: all)
    ignore = ["QLS407"]                 # codes or prefixes to skip
    output-format = "concise"           # default of --output-format
    [tool.qwen-ls.per-file-ignores]
    "examples/**/settings.json" = ["QLS402"]   # gitignore-style patterns, relative to the file

Command-line ``--select`` replaces ``select``; ``--ignore`` adds to ``ignore``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

OUTPUT_FORMATS = ("full", "concise", "json", "json-lines", "github", "gitlab", "sarif")
_KEYS = {"select", "ignore", "per-file-ignores", "output-format"}


class ConfigError(Exception):
    """The configuration file is unreadable or holds a wrong key or value (exit status 2)."""


@dataclass
class LintConfig:
    """What to report, merged from the configuration file and the command line."""

    select: list[str] = field(default_factory=list)
    """Code prefixes to report; empty for every code."""
    ignore: list[str] = field(default_factory=list)
    """Code prefixes never reported."""
    per_file: list[tuple[pathspec.PathSpec, list[str]]] = field(default_factory=list)
    """``(patterns, prefixes)`` pairs, the patterns relative to :attr:`root`."""
    output_format: str | None = None
    """The configured default output format."""
    source: Path | None = None
    """The file the settings came from, if any."""
    root: Path | None = None
    """The folder per-file patterns are relative to (the configuration file's)."""

    def wanted(self, code: str, path: Path | None = None) -> bool:
        """Whether a finding with ``code`` in ``path`` is reported."""
        if self.select and not _matches(code, self.select):
            return False
        if _matches(code, self.ignore):
            return False
        if path is not None and self.per_file:
            rel = self._relative(path)
            if rel is not None:
                for spec, prefixes in self.per_file:
                    if spec.match_file(rel) and _matches(code, prefixes):
                        return False
        return True

    def _relative(self, path: Path) -> str | None:
        root = (self.root or Path.cwd()).absolute()
        try:
            return path.absolute().relative_to(root).as_posix()
        except ValueError:
            return None


def _matches(code: str, prefixes: Iterable[str]) -> bool:
    return any(code.startswith(p) for p in prefixes)


def split_codes(value: str | Sequence[str] | None) -> list[str]:
    """``"QLS2, qls407"`` or ``["QLS2"]`` → upper-case prefixes."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [str(s).strip().upper() for s in items if str(s).strip()]


def find_config(start: Path) -> Path | None:
    """The nearest ``qwen-ls.toml`` or ``pyproject.toml`` with ``[tool.qwen-ls]`` upwards."""
    for folder in (start.absolute(), *start.absolute().parents):
        own = folder / "qwen-ls.toml"
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                table = _read_toml(pyproject).get("tool", {}).get("qwen-ls")
            except ConfigError:
                table = None
            if isinstance(table, dict):
                return pyproject
    return None


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc


def load_config(path: Path | None) -> LintConfig:
    """Read the settings from ``path`` (``None``: defaults).

    Raises
    ------
    ConfigError
        Unreadable file, or an unknown key or a value of the wrong type.
    """
    if path is None:
        return LintConfig()
    data = _read_toml(path)
    table = data.get("tool", {}).get("qwen-ls", {}) if path.name == "pyproject.toml" else data
    where = f"{path}: [tool.qwen-ls]" if path.name == "pyproject.toml" else str(path)
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})"
        )
    config = LintConfig(source=path, root=path.parent)
    for key in ("select", "ignore"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of codes, e.g. [\"QLS4\"]")
        setattr(config, key, split_codes(value))
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{where}: per-file-ignores must be a table of pattern = [codes]")
    for pattern, codes in per_file.items():
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ConfigError(f"{where}: per-file-ignores.{pattern!r} must be a list of codes")
        spec = pathspec.PathSpec.from_lines("gitignore", [pattern])
        config.per_file.append((spec, split_codes(codes)))
    fmt = table.get("output-format")
    if fmt is not None and fmt not in OUTPUT_FORMATS:
        raise ConfigError(f"{where}: output-format must be one of {', '.join(OUTPUT_FORMATS)}")
    config.output_format = fmt
    return config
