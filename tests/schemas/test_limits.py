"""The inbound limits: anything outside them is refused with InvalidEvent, and only that."""

from __future__ import annotations

import json
from typing import Any

import pytest

from schemas import InvalidEvent, event_key, parse_inbound
from schemas.limits import (
    EXTENSION_INTEGER_RANGE,
    MAX_DEPTH,
    MAX_EVENT_BYTES,
    MAX_FIELDS,
    MAX_IDENTIFIER_CHARS,
    MAX_INTEGER,
    MAX_TEXT_CHARS,
)
from tests.lifecycle import event, lifecycle, submitted_data


def submitted(**data: Any) -> dict[str, Any]:
    return event("submitted", "REQ-L", "T-042", submitted_data(**data))


def refused(raw: Any) -> InvalidEvent:
    with pytest.raises(InvalidEvent) as caught:
        parse_inbound(raw)
    assert caught.value.problems, "a refusal names its problems"
    return caught.value


def kinds(problem: InvalidEvent) -> set[str]:
    return {p["type"] for p in problem.problems}


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


def test_a_ten_thousand_deep_body_is_refused_as_too_deep() -> None:
    problem = refused(b"[" * 10_000 + b"]" * 10_000)

    assert kinds(problem) == {"too_deep"}
    assert not problem.malformed


def test_a_ten_thousand_deep_value_inside_a_valid_envelope_is_refused() -> None:
    raw = json.dumps(submitted()).encode()
    deep = raw[:-1] + b', "notes": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"

    assert kinds(refused(deep)) == {"too_deep"}


def test_nesting_up_to_the_limit_is_accepted_and_one_more_level_is_not() -> None:
    # The envelope is level 1 and `data` level 2, so `notes` may hold MAX_DEPTH - 2 more.
    assert parse_inbound(submitted(notes=nested(MAX_DEPTH - 2))).data["notes"]

    problem = refused(submitted(notes=nested(MAX_DEPTH - 1)))

    assert kinds(problem) == {"too_deep"}
    assert problem.problems[0]["loc"][:2] == ["data", "notes"]


def test_more_fields_than_the_limit_are_refused() -> None:
    problem = refused(submitted(notes=list(range(MAX_FIELDS))))

    assert kinds(problem) == {"too_many_fields"}
    assert str(MAX_FIELDS) in problem.message


@pytest.mark.parametrize(
    ("event_type", "field", "length"),
    [
        ("submitted", "provider", 100_000),
        ("submitted", "provider", MAX_TEXT_CHARS + 1),
        ("submitted", "title", MAX_TEXT_CHARS + 1),
        ("submitted", "justification", 100_000),
        ("submitted", "staff_id", MAX_IDENTIFIER_CHARS + 1),
        ("submitted", "school_id", MAX_IDENTIFIER_CHARS + 1),
        ("submitted", "an_unknown_extra", MAX_TEXT_CHARS + 1),
        ("booked", "booking_reference", 100_000),
        ("booked", "booking_reference", MAX_IDENTIFIER_CHARS + 1),
        ("head_rejected", "reason", MAX_TEXT_CHARS + 1),
        ("head_approved", "comment", MAX_TEXT_CHARS + 1),
    ],
)
def test_a_string_over_its_limit_is_refused_naming_the_field(
    event_type: str, field: str, length: int
) -> None:
    base = lifecycle("REQ-L")[0] if event_type == "submitted" else event(event_type, "R", "A")
    raw = {**base, "data": {**base["data"], field: "x" * length}}

    problem = refused(raw)

    assert problem.problems[0]["loc"] == ["data", field]
    assert problem.problems[0]["type"] == "string_too_long"


def test_strings_exactly_at_their_limits_are_accepted() -> None:
    raw = submitted(staff_id="s" * MAX_IDENTIFIER_CHARS, provider="p" * MAX_TEXT_CHARS)

    assert parse_inbound(raw).data["provider"] == "p" * MAX_TEXT_CHARS


@pytest.mark.parametrize("attribute", ["id", "source", "type", "subject", "actor"])
def test_an_envelope_identifier_over_its_limit_is_refused(attribute: str) -> None:
    problem = refused({**submitted(), attribute: "a" * (MAX_IDENTIFIER_CHARS + 1)})

    assert [attribute] in [p["loc"] for p in problem.problems]


@pytest.mark.parametrize("attribute", ["id", "source", "subject", "actor"])
def test_an_identifier_with_a_control_character_is_refused(attribute: str) -> None:
    problem = refused({**submitted(), attribute: "evt\r\nNats-Msg-Id: forged"})

    assert [attribute] in [p["loc"] for p in problem.problems]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"specversion": "1.0", "id": "\\ud800", "source": "s"}',
        b'{"specversion": "1.0", "id": "\\udc00", "source": "s"}',
        b'{"specversion": "1.0", "id": "a\\ud800\\u0041", "source": "s"}',
        b'{"\\ud800": 1}',
        '{"id": "\ud800"}',
    ],
    ids=["high", "low", "high then not low", "in a key", "in a str"],
)
def test_a_lone_surrogate_anywhere_is_refused(raw: bytes | str) -> None:
    problem = refused(raw)

    assert kinds(problem) == {"lone_surrogate"}
    assert not problem.malformed


def test_a_lone_surrogate_in_a_dict_is_refused_naming_where() -> None:
    assert refused({**submitted(), "id": "\udfff"}).problems[0]["loc"] == ["id"]
    assert kinds(refused(submitted(**{"\ud800": 1}))) == {"bad_field_name"}


def test_a_surrogate_pair_is_a_character_not_a_problem() -> None:
    raw = json.dumps(submitted(title="Phonics \U0001f600"), ensure_ascii=True)

    assert "\\ud83d\\ude00" in raw
    assert parse_inbound(raw).data["title"] == "Phonics \U0001f600"


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        (b"1e999", "number_not_finite"),
        (b"-1e999", "number_not_finite"),
        (str(MAX_INTEGER + 1).encode(), "number_too_large"),
        (b"9" * 5_000, "number_too_large"),
    ],
    ids=["inf", "-inf", "past I-JSON", "five thousand digits"],
)
def test_a_number_out_of_range_is_refused(number: bytes, kind: str) -> None:
    raw = json.dumps(submitted()).encode()[:-1] + b', "n": ' + number + b"}"

    assert kinds(refused(raw)) == {kind}


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity"])
def test_nan_and_infinity_are_not_json(literal: bytes) -> None:
    raw = json.dumps(submitted()).encode()[:-1] + b', "n": ' + literal + b"}"

    assert refused_malformed(raw).message.startswith("body is not valid JSON")


def refused_malformed(raw: Any) -> InvalidEvent:
    with pytest.raises(InvalidEvent) as caught:
        parse_inbound(raw)
    assert caught.value.malformed
    return caught.value


def test_a_body_that_is_not_utf8_is_malformed() -> None:
    assert refused_malformed(b'{"id": "\xff\xfe"}').message.startswith("body is not valid JSON")


def test_a_body_over_the_event_size_limit_is_refused_before_decoding() -> None:
    problem = refused(b" " * (MAX_EVENT_BYTES + 1))

    assert kinds(problem) == {"too_large"}


@pytest.mark.parametrize(
    "name", ["Bad-Attr!", "Traceparent", "trace_parent", "a" * 21, "é", "data_base64", "x y"]
)
def test_an_extension_name_cloudevents_forbids_is_refused(name: str) -> None:
    problem = refused({**submitted(), name: "value"})

    assert problem.message == "not a valid CloudEvent"
    assert problem.problems == [
        {"loc": [name], "msg": problem.problems[0]["msg"], "type": "extension_name"}
    ]


low, high = EXTENSION_INTEGER_RANGE


@pytest.mark.parametrize("value", [{"a": 1}, [1], None, 1.5, high + 1, low - 1], ids=repr)
def test_an_extension_value_cloudevents_forbids_is_refused(value: Any) -> None:
    problem = refused({**submitted(), "traceinfo": value})

    assert kinds(problem) == {"extension_value"}
    assert problem.problems[0]["loc"] == ["traceinfo"]


@pytest.mark.parametrize("value", ["00-abc-01", "", True, 0, low, high], ids=repr)
def test_an_extension_cloudevents_allows_is_kept(value: Any) -> None:
    event = parse_inbound({**submitted(), "a" * 20: value, "x9": value})

    assert event.model_extra == {"a" * 20: value, "x9": value}


def test_a_dict_holding_values_json_cannot_carry_is_refused() -> None:
    assert kinds(refused(submitted(when={1, 2}))) == {"not_json"}
    assert kinds(refused({**submitted(), 7: "seven"})) == {"bad_field_name"}


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (b'{"source": "s", "id": "e-1"}', ("s", "e-1")),
        (b'{"source": "s", "id": "\\ud800"}', (None, None)),
        (b'{"source": "s", "id": "a\\nb"}', ("s", None)),
        (b'{"source": 5, "id": "' + b"e" * (MAX_IDENTIFIER_CHARS + 1) + b'"}', (None, None)),
        (b"[" * 10_000 + b"]" * 10_000, (None, None)),
        (b"\xff", (None, None)),
    ],
    ids=["readable", "surrogate", "control character", "wrong type and too long", "deep", "bytes"],
)
def test_the_key_of_a_refused_message_is_read_only_when_safe_to_store(
    raw: bytes, key: tuple[str | None, str | None]
) -> None:
    assert event_key(raw) == key
