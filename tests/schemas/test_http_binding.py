"""The CloudEvents HTTP binding: content modes, binary mode's headers read as the structured
event, and batches; with the CloudEvents Python SDK writing the HTTP messages."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from cloudevents.core.bindings.http import to_binary_event
from cloudevents.core.v1.event import CloudEvent as SdkEvent
from hypothesis import given, settings

from schemas import CloudEvent, InvalidEvent, parse_inbound
from schemas.http_binding import (
    TooManyEvents,
    UnsupportedMediaType,
    content_mode,
    parse_batch,
    structured_from_binary,
)
from schemas.limits import MAX_BATCH_EVENTS
from tests.lifecycle import lifecycle
from tests.strategies import valid_events

BINARY = ["ce-specversion", "ce-id"]


def as_sdk_event(structured: dict[str, Any]) -> SdkEvent:
    attributes = {k: v for k, v in structured.items() if k != "data"}
    if "time" in attributes:
        attributes["time"] = datetime.fromisoformat(attributes["time"])
    return SdkEvent(attributes, structured["data"])


@pytest.mark.parametrize(
    ("content_type", "headers", "mode"),
    [
        ("application/cloudevents+json", [], "structured"),
        ("application/cloudevents+json; charset=utf-8", [], "structured"),
        ("Application/CloudEvents+JSON;charset=UTF-8", BINARY, "structured"),
        ("application/json", [], "structured"),
        ('application/json; charset="utf-8"', [], "structured"),
        (None, [], "structured"),
        ("application/json", BINARY, "binary"),
        ("application/json; charset=utf-8", ["CE-Type"], "binary"),
        (None, BINARY, "binary"),
        ("application/cloudevents-batch+json", [], "batch"),
        ("application/cloudevents-batch+json; charset=utf-8", [], "batch"),
    ],
)
def test_the_content_mode_follows_the_media_type_and_the_ce_headers(
    content_type: str | None, headers: list[str], mode: str
) -> None:
    assert content_mode(content_type, ["host", *headers]) == mode


@pytest.mark.parametrize(
    ("content_type", "headers"),
    [
        ("text/plain", []),
        ("application/x-www-form-urlencoded", []),
        ("application/cloudevents+xml", []),
        ("application/json; charset=latin-1", []),
        ("application/cloudevents+json; charset=utf-16", []),
        ("text/plain", BINARY),
        ("json", []),
    ],
)
def test_a_media_type_this_service_does_not_read_is_unsupported(
    content_type: str, headers: list[str]
) -> None:
    with pytest.raises(UnsupportedMediaType):
        content_mode(content_type, headers)


@settings(max_examples=50)
@given(structured=valid_events())
def test_a_binary_event_written_by_the_sdk_reads_as_the_structured_one(
    structured: dict[str, Any],
) -> None:
    message = to_binary_event(as_sdk_event(structured))

    converted = structured_from_binary(message.headers.items(), message.body)

    assert parse_inbound(converted) == parse_inbound(structured)


def test_header_values_are_percent_decoded_as_utf8() -> None:
    event = {**lifecycle("REQ-€")[0], "source": 'urn:trust:école "west" 100%'}
    message = to_binary_event(as_sdk_event(event))
    assert "%E2%82%AC" in message.headers["ce-subject"]

    converted = structured_from_binary(message.headers.items(), message.body)

    assert (converted["subject"], converted["source"]) == (event["subject"], event["source"])


def test_raw_utf8_header_bytes_are_read_as_utf8() -> None:
    # An HTTP server hands header bytes over as ISO-8859-1 text.
    raw = "REQ-€".encode().decode("latin-1")

    converted = structured_from_binary([("ce-subject", raw)], b"{}")

    assert converted["subject"] == "REQ-€"


def test_header_names_are_read_whatever_their_case_and_other_headers_are_ignored() -> None:
    headers = [("CE-ID", "e-1"), ("Ce-Source", "s"), ("content-type", "application/json")]
    headers += [("user-agent", "x"), ("cf-ray", "y")]

    converted = structured_from_binary(headers, b'{"a": 1}')

    assert converted == {
        "id": "e-1",
        "source": "s",
        "datacontenttype": "application/json",
        "data": {"a": 1},
    }


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        ([("ce-id", "a"), ("ce-id", "b")], "repeated"),
        ([("ce-data", "{}")], "not_an_attribute"),
        ([("ce-datacontenttype", "application/json")], "not_an_attribute"),
        ([("ce-subject", "%FF%FE")], "not_utf8"),
    ],
)
def test_a_header_that_cannot_be_an_attribute_is_a_problem_naming_it(
    headers: list[tuple[str, str]], kind: str
) -> None:
    with pytest.raises(InvalidEvent) as refused:
        structured_from_binary(headers, b"{}")

    assert [(p["loc"], p["type"]) for p in refused.value.problems] == [([headers[-1][0]], kind)]


def test_a_binary_body_that_is_not_json_is_malformed() -> None:
    with pytest.raises(InvalidEvent) as refused:
        structured_from_binary([("ce-id", "a")], b"{not json")

    assert refused.value.malformed


def test_a_binary_event_missing_attributes_names_each() -> None:
    converted = structured_from_binary([("ce-id", "a"), ("ce-source", "s")], b"{}")

    with pytest.raises(InvalidEvent) as refused:
        parse_inbound(converted)

    missing = {p["loc"][0] for p in refused.value.problems if p["type"] == "missing"}
    assert missing == {"specversion", "type", "subject", "actor"}


def test_a_batch_reads_as_each_event_or_why_not_in_order() -> None:
    good, second = lifecycle("REQ-B")[:2]
    spoiled = {**good, "id": "spoiled", "specversion": "0.3"}

    parsed = parse_batch(json.dumps([good, spoiled, 7, second]).encode())

    assert isinstance(parsed[0], CloudEvent) and parsed[0].id == good["id"]
    assert isinstance(parsed[1], InvalidEvent) and not parsed[1].malformed
    assert isinstance(parsed[2], InvalidEvent) and parsed[2].malformed
    assert isinstance(parsed[3], CloudEvent) and parsed[3].id == second["id"]


@pytest.mark.parametrize("body", [b"{}", b'"events"', b"[1,"])
def test_a_batch_that_is_no_json_array_is_malformed(body: bytes) -> None:
    with pytest.raises(InvalidEvent) as refused:
        parse_batch(body)

    assert refused.value.malformed


def test_a_batch_over_the_limit_is_refused_whole() -> None:
    events = [lifecycle(f"REQ-{n}")[0] for n in range(MAX_BATCH_EVENTS + 1)]

    assert len(parse_batch(json.dumps(events[:-1]).encode())) == MAX_BATCH_EVENTS
    with pytest.raises(TooManyEvents, match=str(MAX_BATCH_EVENTS)):
        parse_batch(json.dumps(events).encode())


@pytest.mark.parametrize(
    "declared",
    ["application/json", "application/json; charset=utf-8", 'Application/JSON;charset="UTF-8"'],
)
def test_a_json_datacontenttype_with_parameters_is_json(declared: str) -> None:
    event = parse_inbound({**lifecycle("REQ-DCT")[0], "datacontenttype": declared})

    assert event.datacontenttype == "application/json"


@pytest.mark.parametrize("declared", ["text/plain", "application/json; charset=latin-1", "json"])
def test_a_datacontenttype_other_than_json_is_refused(declared: str) -> None:
    with pytest.raises(InvalidEvent) as refused:
        parse_inbound({**lifecycle("REQ-DCT")[0], "datacontenttype": declared})

    assert refused.value.problems[0]["loc"] == ["datacontenttype"]
