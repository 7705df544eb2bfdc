"""The one decorator every LSP handler and command wears: catch, log masked, answer neutrally.

An exception that escapes a notification handler reaches pygls' ``report_server_error``, whose
default shows "Error in server: <exception text>" to the user, secrets included; one that escapes a
request handler becomes an error response. Neither is what a user typing in settings.json should
see, so every handler is wrapped: the error is logged (through the redacting handlers) and the
client gets the neutral answer of that method (``None``, ``[]``, an empty report).

Cancellation is not an error: ``asyncio.CancelledError`` passes through so pygls can answer
``RequestCancelled``.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def _neutral(value: Any) -> Any:
    # Neutral answers are tiny ([] or {}); a copy keeps one call's answer from leaking into the
    # next when a caller mutates it.
    return copy.copy(value) if isinstance(value, list | dict) else value


def fail_soft(neutral: Any = None, *, what: str | None = None) -> Callable[[F], F]:
    """Wrap a handler so that no exception leaves it.

    The wrapper keeps the wrapped function's signature (``functools.wraps``), so pygls still sees
    the ``ls`` first parameter and the parameter annotations it uses to inject the server and to
    structure command arguments.

    Parameters
    ----------
    neutral
        What to answer when the handler fails (copied when it is a list or dict). It may also be a
        callable taking the exception, for answers that carry a message (command results).
    what
        A label for the log line; defaults to the function name.

    Returns
    -------
    Callable
        The decorator.
    """

    def decorate(func: F) -> F:
        label = what or func.__name__

        def answer(exc: Exception) -> Any:
            logger.error("%s failed: %s: %s", label, type(exc).__name__, exc, exc_info=exc)
            return neutral(exc) if callable(neutral) else _neutral(neutral)

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                try:
                    return await func(*args, **kwargs)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    return answer(exc)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                return answer(exc)

        return wrapper  # type: ignore[return-value]

    return decorate
