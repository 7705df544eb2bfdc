"""Base classes and the ``setting()`` field helper shared by every settings model.

Every settings object is a :class:`StrictModel`: strict types (``"1"`` is not a number, ``1`` is
not a boolean, as the CLI's own ``validateSettingValue`` sees it) and unknown keys forbidden, so
that validation reports them. Objects the CLI reads as free-form maps use plain ``dict`` types or
:class:`OpenModel` instead.

:func:`setting` wraps :func:`pydantic.Field` and puts the facts the JSON Schema carries beyond
plain JSON Schema into ``json_schema_extra``: ``x-merge`` (the CLI's merge strategy across
scopes), ``x-requires-restart``, ``deprecationMessage`` and ``defaultSnippets``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticUndefined

__all__ = ["NO_DEFAULT", "OpenModel", "StrictModel", "setting"]


class _NoDefault:
    """The type of :data:`NO_DEFAULT`."""

    def __repr__(self) -> str:
        return "NO_DEFAULT"


#: Marks a setting without a default (the CLI leaves it ``undefined``). The field's Python
#: default is then ``None`` and the JSON Schema has no ``default``.
NO_DEFAULT: Any = _NoDefault()


class StrictModel(BaseModel):
    """A settings object: strict JSON types, unknown keys reported."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        populate_by_name=False,
        use_attribute_docstrings=False,
        defer_build=True,
    )


class OpenModel(StrictModel):
    """A settings object with known keys that also accepts keys of its own choosing."""

    model_config = ConfigDict(extra="allow")


def setting(
    default: Any = NO_DEFAULT,
    description: str = "",
    *,
    alias: str | None = None,
    merge: str | None = None,
    restart: bool = False,
    deprecated: str | None = None,
    snippets: list[dict[str, Any]] | None = None,
    ge: float | None = None,
    le: float | None = None,
    default_factory: Any = None,
) -> Any:
    """Declare one settings key.

    Parameters
    ----------
    default
        The CLI's default (a JSON value); ``NO_DEFAULT`` when the CLI has none. Mutable
        defaults are copied per instance by pydantic.
    description
        What the key does, for users (markdown allowed).
    alias
        The JSON key when it is not a valid Python name (``"$version"``, ``"user.last"``).
    merge
        The CLI's merge strategy across scopes: ``replace``, ``concat``, ``union`` or
        ``shallow_merge``.
    restart
        True when the CLI reads the key only at startup.
    deprecated
        Why the key is deprecated and what to use instead.
    snippets
        VS Code ``defaultSnippets`` for the value.
    ge, le
        Inclusive bounds for numbers.
    default_factory
        Used instead of ``default`` for a default that must be built per instance.

    Returns
    -------
    pydantic.fields.FieldInfo
        The field declaration.
    """
    extra: dict[str, Any] = {}
    if merge:
        extra["x-merge"] = merge
    if restart:
        extra["x-requires-restart"] = True
    if deprecated:
        extra["deprecationMessage"] = deprecated
    if snippets:
        extra["defaultSnippets"] = snippets
    schema_extra: Any = extra or None
    if default is NO_DEFAULT and default_factory is None:
        default = None

        def schema_extra(schema: dict[str, Any]) -> None:
            schema.pop("default", None)  # None is only pydantic's stand-in for "undefined"
            schema.update(extra)

    kwargs: dict[str, Any] = {
        "description": description or None,
        "alias": alias,
        "ge": ge,
        "le": le,
        "json_schema_extra": schema_extra,
        "deprecated": True if deprecated else None,
    }
    if default_factory is not None:
        return Field(default_factory=default_factory, **kwargs)
    return Field(PydanticUndefined if default is ... else default, **kwargs)
