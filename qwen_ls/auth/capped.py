"""An httpx transport that stops reading a response body past a byte cap.

Kept apart from :mod:`qwen_ls.auth.common` so that importing the sign-in layer (the server's status
check does, after every open and save) does not import httpx: only :func:`common.make_client` loads
this module.
"""

from __future__ import annotations

import httpx


class ResponseTooLarge(httpx.TransportError):
    """A provider's answer went past :data:`MAX_BODY_BYTES`; reading stopped there."""


class CappedStream(httpx.AsyncByteStream):
    """A response body stream that raises :class:`ResponseTooLarge` past ``cap`` bytes."""

    def __init__(self, inner: httpx.AsyncByteStream, cap: int) -> None:
        self.inner, self.cap = inner, cap

    async def __aiter__(self):  # noqa: ANN204 - an async iterator of bytes
        total = 0
        async for chunk in self.inner:
            total += len(chunk)
            if total > self.cap:
                raise ResponseTooLarge(f"the answer is larger than {self.cap} bytes")
            yield chunk

    async def aclose(self) -> None:
        """Close the wrapped stream or transport."""
        await self.inner.aclose()


class CappedTransport(httpx.AsyncBaseTransport):
    """Wraps a transport so that no response body is read past ``cap`` bytes."""

    def __init__(self, inner: httpx.AsyncBaseTransport, cap: int) -> None:
        self.inner, self.cap = inner, cap

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` and wrap the answer's body in a :class:`CappedStream`."""
        response = await self.inner.handle_async_request(request)
        response.stream = CappedStream(response.stream, self.cap)  # type: ignore[arg-type]
        return response

    async def aclose(self) -> None:
        """Close the wrapped stream or transport."""
        await self.inner.aclose()
