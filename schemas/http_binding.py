"""The CloudEvents 1.0 HTTP binding: which content mode a request uses, and its event(s) in
the structured form the rest of the service reads.

- structured: `application/cloudevents+json`, or plain `application/json` (or no
  Content-Type) with no `ce-` header: the body is the whole event.
- binary: any `ce-` header: each `ce-<attribute>` header is an attribute (percent-encoded,
  as the binding says), Content-Type is `datacontenttype`, and the body is `data`.
- batched: `application/cloudevents-batch+json`: the body is an array of structured events.

Pure functions of headers and bytes: the HTTP edge reads the request, these read the event.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal
from urllib.parse import unquote_to_bytes

from schemas.cloudevents import CloudEvent, parse_inbound
from schemas.document import decode
from schemas.errors import InvalidEvent, problem
from schemas.limits import MAX_BATCH_EVENTS
from schemas.media_types import JSON, UTF_8, media_type

STRUCTURED = "application/cloudevents+json"
BATCH = "application/cloudevents-batch+json"
CE_PREFIX = "ce-"
# Not attributes a header may carry: `data` is the body and its type is Content-Type.
_NOT_FROM_HEADERS = {"data", "data_base64", "datacontenttype"}

Mode = Literal["structured", "binary", "batch"]


class UnsupportedMediaType(ValueError):
    """The request's Content-Type is not one this service reads (HTTP 415)."""


class TooManyEvents(ValueError):
    """A batch holds more than MAX_BATCH_EVENTS events (HTTP 413)."""


def content_mode(content_type: str | None, header_names: Iterable[str]) -> Mode:
    """The binding's content mode of a request; UnsupportedMediaType if it has none here."""
    essence, charset = media_type(content_type)
    if charset is not None and charset not in UTF_8:
        raise UnsupportedMediaType(f"events are read as UTF-8 JSON, not charset '{charset}'")
    if essence == STRUCTURED:
        return "structured"
    if essence == BATCH:
        return "batch"
    binary = any(name.lower().startswith(CE_PREFIX) for name in header_names)
    if essence in (None, JSON):
        return "binary" if binary else "structured"
    if binary:
        raise UnsupportedMediaType(f"binary mode's data must be {JSON}, not '{essence}'")
    raise UnsupportedMediaType(
        f"'{essence}' is not read here: send {STRUCTURED} or {JSON} (structured mode), "
        f"{JSON} with ce- headers (binary mode), or {BATCH}"
    )


def structured_from_binary(headers: Iterable[tuple[str, str]], body: bytes) -> dict[str, Any]:
    """The structured event a binary-mode request carries: each `ce-` header an attribute,
    the body its `data`. InvalidEvent names each header that cannot be one.

    Header values are taken as HTTP servers hand them over (ISO-8859-1 text of the raw
    bytes), then percent-decoded as UTF-8."""
    document: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    for name, value in headers:
        name = name.lower()
        if not name.startswith(CE_PREFIX):
            continue
        attribute = name[len(CE_PREFIX) :]
        if attribute in _NOT_FROM_HEADERS:
            msg = "not a binary-mode header: the body is `data`, Content-Type its type"
            problems.append(problem([name], msg, "not_an_attribute"))
        elif attribute in document:
            problems.append(problem([name], "the header is given more than once", "repeated"))
        else:
            try:
                document[attribute] = _percent_decoded(value)
            except UnicodeDecodeError:
                msg = "not UTF-8 once percent-decoded"
                problems.append(problem([name], msg, "not_utf8"))
    if problems:
        raise InvalidEvent("not a valid CloudEvent in binary mode", problems)
    document["datacontenttype"] = JSON
    document["data"] = decode(body)
    return document


def parse_batch(body: bytes) -> list[CloudEvent | InvalidEvent]:
    """Each event of a batch, or why it is refused, in order. InvalidEvent if the body is no
    JSON array at all, TooManyEvents if it holds more than MAX_BATCH_EVENTS."""
    document = decode(body)
    if not isinstance(document, list):
        raise InvalidEvent(f"a {BATCH} body must be a JSON array of events", malformed=True)
    if len(document) > MAX_BATCH_EVENTS:
        raise TooManyEvents(
            f"the batch holds {len(document)} events; at most {MAX_BATCH_EVENTS} (send several)"
        )
    return [_parsed(item) for item in document]


def _parsed(item: Any) -> CloudEvent | InvalidEvent:
    if not isinstance(item, dict):
        return InvalidEvent("each event of a batch must be a JSON object", malformed=True)
    try:
        return parse_inbound(item)
    except InvalidEvent as error:
        return error


def _percent_decoded(value: str) -> str:
    try:
        raw = value.encode("latin-1")
    except UnicodeEncodeError:  # handed over already decoded
        raw = value.encode()
    return unquote_to_bytes(raw).decode("utf-8")
