"""Whatever arrives, parse_inbound answers with an event or InvalidEvent, nothing else."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import CloudEvent, InvalidEvent, event_key, parse_inbound
from schemas.limits import MAX_IDENTIFIER_CHARS
from tests.strategies import any_text, hostile_bodies, json_values, spoiled_events, valid_events

quick = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(raw: Any) -> CloudEvent | InvalidEvent:
    try:
        return parse_inbound(raw)
    except InvalidEvent as refused:
        return refused


def assert_refusal_is_reportable(refused: InvalidEvent) -> None:
    """Its message and problems go out as UTF-8 JSON (HTTP answer, dead letter)."""
    assert refused.message
    assert refused.malformed or refused.problems
    json.dumps({"m": refused.message, "p": refused.problems}, ensure_ascii=False).encode()


def assert_accepted_event_survives_the_broker(event: CloudEvent) -> None:
    """The HTTP edge republishes what it accepted; the consumer must accept it again."""
    again = parse_inbound(event.model_dump_json(exclude_none=True).encode())
    assert (again.source, again.id, again.type, again.data) == (
        event.source,
        event.id,
        event.type,
        event.data,
    )


def check(raw: Any) -> None:
    result = outcome(raw)
    if isinstance(result, InvalidEvent):
        assert_refusal_is_reportable(result)
    else:
        assert_accepted_event_survives_the_broker(result)


@quick
@given(hostile_bodies)
def test_any_body_of_bytes_gives_an_event_or_invalid_event(raw: bytes) -> None:
    check(raw)


@quick
@given(st.binary(max_size=300))
def test_random_bytes_are_refused_with_invalid_event(raw: bytes) -> None:
    check(raw)


@quick
@given(spoiled_events())
def test_a_spoiled_event_gives_an_event_or_invalid_event(raw: bytes) -> None:
    check(raw)


@quick
@given(st.one_of(any_text, spoiled_events().map(lambda raw: raw.decode("utf-8", "replace"))))
def test_any_text_gives_an_event_or_invalid_event(raw: str) -> None:
    check(raw)


@quick
@given(valid_events(), st.dictionaries(any_text, json_values, max_size=4))
def test_any_dict_gives_an_event_or_invalid_event(
    event: dict[str, Any], extra: dict[str, Any]
) -> None:
    check({**event, **extra})
    check({**event, "data": {**event["data"], **extra}})


@settings(max_examples=50, deadline=None)
@given(valid_events())
def test_every_valid_event_is_still_accepted(event: dict[str, Any]) -> None:
    assert parse_inbound(json.dumps(event).encode()).id == event["id"]


@quick
@given(hostile_bodies)
def test_the_key_of_any_body_is_safe_to_store(raw: bytes) -> None:
    for part in event_key(raw):
        if part is not None:
            part.encode()  # no lone surrogates
            assert 0 < len(part) <= MAX_IDENTIFIER_CHARS
            assert not any(ord(c) < 0x20 or c == "\x7f" for c in part)
