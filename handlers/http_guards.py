"""What the HTTP edge refuses before doing any work."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from handlers import views


async def read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it is known to be over `limit` bytes.

    A declared Content-Length over the limit is refused unread; a streamed (chunked) body
    is read only until it passes the limit, so memory never holds more than that.
    """
    declared = request.headers.get("content-length", "")
    # len() first: int() of a thousand-digit header would be slow, or refused outright.
    if declared.isascii() and declared.isdigit() and (len(declared) > 18 or int(declared) > limit):
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def too_large(limit: int) -> JSONResponse:
    return views.error(
        413, "body_too_large", f"the body is over {limit} bytes (CPD_MAX_BODY_BYTES)"
    )
