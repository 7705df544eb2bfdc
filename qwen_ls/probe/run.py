"""Send the one request and build the ``ProbeResult`` (``docs/CONTRACTS.md``).

The request goes through :func:`qwen_ls.auth.common.make_client`: bounded time, a 1 MB body cap,
no compression, redirects never followed (a redirect is reported, the key is not re-sent
anywhere), plain http only to loopback. The result never holds the key: only its masked form.
"""

from __future__ import annotations

import time
from typing import Any

from qwen_ls.probe import explain, request
from qwen_ls.probe.target import Target, TargetError, needs_confirmation
from qwen_ls.secrets import mask, redact

DEFAULT_TIMEOUT_S = 10.0


def clamp_timeout(value: Any) -> float:
    """A timeout in seconds from a ``timeoutMs`` argument (1..60 s; default 10 s)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return DEFAULT_TIMEOUT_S
    return min(max(float(value) / 1000, 1.0), 60.0)


def base_result(target: Target | None = None) -> dict[str, Any]:
    """A ``ProbeResult`` with every field, filled from ``target`` where known."""
    out: dict[str, Any] = {
        "ok": False, "status": "failed", "failure": None, "message": "", "protocol": None,
        "modelId": None, "baseUrl": None, "url": None, "host": None, "httpStatus": None,
        "latencyMs": None, "modelListed": None, "closest": [], "modelCount": None, "key": None,
        "file": None, "path": None,
    }
    if target is not None:
        out.update(protocol=target.protocol, modelId=target.model_id, baseUrl=target.base_url,
                   host=target.host or None,
                   key={"envKey": target.env_key, "source": target.key_source,
                        "masked": mask(target.key)},
                   file=str(target.file) if target.file else None,
                   path=list(target.json_path) if target.json_path else None)
    return out


def target_error(exc: TargetError) -> dict[str, Any]:
    """The result of an entry that could not be tested (nothing was sent)."""
    out = base_result()
    status = "failed" if exc.failure == "no-key" else "error"
    out.update(status=status, failure=exc.failure, message=redact(str(exc)))
    return out


def _finish(out: dict[str, Any], failure: str | None, message: str) -> dict[str, Any]:
    out["failure"] = failure
    out["message"] = redact(message)
    out["ok"] = failure is None
    out["status"] = "ok" if failure is None else "failed"
    return out


async def test_connection(target: Target, *, confirmed: bool = False,
                          timeout: float = DEFAULT_TIMEOUT_S, client: Any = None
                          ) -> dict[str, Any]:
    """Test ``target`` with one request and return a ``ProbeResult``.

    Parameters
    ----------
    target
        The entry, its base URL and key (:mod:`qwen_ls.probe.target`).
    confirmed
        The user agreed to send the key to a host a workspace file names
        (:func:`~qwen_ls.probe.target.needs_confirmation`); without it such a target is not sent
        and the result has ``failure: "needs-confirmation"``.
    timeout
        Seconds for the whole request (connect + read).
    client
        An ``httpx.AsyncClient`` to use (tests); default a fresh one from ``make_client``.

    Returns
    -------
    dict
        ``ProbeResult``; ``ids`` (the listed model ids) is added for the cache, the server and
        the CLI remove it before showing or returning the result.
    """
    import httpx

    from qwen_ls.auth.common import AuthError, check_url, describe_body, json_body, make_client

    out = base_result(target)
    try:
        check_url(target.base_url, "The base URL")
    except AuthError as exc:
        return _finish(out, "bad-url", str(exc).replace(" Nothing was written.", " Nothing was "
                                                                                  "sent."))
    if needs_confirmation(target) and not confirmed:
        out["status"] = "cancelled"
        out["failure"] = "needs-confirmation"
        out["message"] = redact(
            f"This entry comes from the workspace settings and sends {explain.key_phrase(target)}"
            f" to {target.host}, which is not a known provider. Confirm before testing.")
        return out
    req = request.build(target.protocol, target.base_url, target.key)
    out["url"] = req.url
    own = client is None
    http = client or make_client(target.base_url, timeout)
    started = time.monotonic()
    try:
        response = await http.get(req.url, headers=req.headers, timeout=timeout)
    except httpx.HTTPError as exc:
        return _finish(out, *explain.network(target, exc, timeout))
    finally:
        if own:
            await http.aclose()
    out["latencyMs"] = max(0, round((time.monotonic() - started) * 1000))
    status = response.status_code
    out["httpStatus"] = status
    if 300 <= status < 400:
        return _finish(out, *explain.redirect(target, status, response.headers.get("location",
                                                                                  "")))
    data = json_body(response)
    if status >= 400:
        return _finish(out, *explain.http_status(target, status, req.url, data,
                                                 response.headers.get("retry-after")))
    listed = request.model_ids(target.protocol, data) if data is not None else None
    if listed is None:
        is_html = data is None and describe_body(response).startswith("an HTML")
        return _finish(out, *explain.bad_body(target, status, is_html, data is not None))
    ids, more = listed
    message, in_list, near = explain.success(target, out["latencyMs"], ids, more)
    out.update(modelListed=in_list, closest=near, modelCount=len(ids), ids=ids)
    return _finish(out, None, message)


def public(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` without the internal ``ids`` list (what clients and the CLI get)."""
    return {k: v for k, v in result.items() if k != "ids"}
