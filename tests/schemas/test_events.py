"""The wire contract: which inbound CloudEvents are accepted, and the problems named when not."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from schemas import INBOUND_DATA, REQUEST_DATA, InvalidEvent, parse_inbound
from schemas.export import SHIPPED_DIR, all_schemas
from tests.workflow.builders import SOURCE, STAFF, VALID_DATA

REQUIRED_ENVELOPE = ["specversion", "id", "source", "type", "subject", "actor", "data"]
REGENERATE = "the shipped JSON Schemas are stale: run `cpd schemas --out schemas/json`"


def body(event_type: str = "cpd.request.submitted", **changes: Any) -> dict[str, Any]:
    envelope: dict[str, Any] = {
        "specversion": "1.0",
        "id": "evt-1",
        "source": SOURCE,
        "type": event_type,
        "time": "2026-09-07T09:00:00+00:00",
        "subject": "req-1",
        "actor": STAFF,
        "data": dict(VALID_DATA[event_type]),
    }
    envelope.update(changes)
    return envelope


def with_data(event_type: str = "cpd.request.submitted", **fields: Any) -> dict[str, Any]:
    return body(event_type, data={**VALID_DATA[event_type], **fields})


def problems_of(raw: Any) -> InvalidEvent:
    with pytest.raises(InvalidEvent) as refused:
        parse_inbound(raw)
    return refused.value


def locations(problem: InvalidEvent) -> list[list[str]]:
    return [p["loc"] for p in problem.problems]


REQUEST_TYPES = sorted(REQUEST_DATA)  # directory, repayment: tests of their own


def test_every_request_event_type_has_a_valid_example() -> None:
    assert set(VALID_DATA) == set(REQUEST_TYPES)


@pytest.mark.parametrize("event_type", REQUEST_TYPES)
def test_a_valid_event_of_each_type_is_accepted(event_type: str) -> None:
    event = parse_inbound(json.dumps(body(event_type)))

    assert (event.type, event.subject, event.actor) == (event_type, "req-1", STAFF)
    assert event.time == datetime(2026, 9, 7, 9, 0, tzinfo=UTC)
    assert VALID_DATA[event_type].keys() <= event.data.keys()


@pytest.mark.parametrize("form", [bytes, str, dict], ids=lambda f: f.__name__)
def test_an_event_is_accepted_as_bytes_text_or_a_dict(form: type) -> None:
    raw: bytes | str | dict[str, Any] = body()
    if form is not dict:
        raw = json.dumps(raw) if form is str else json.dumps(raw).encode()

    assert parse_inbound(raw).id == "evt-1"


def test_the_data_comes_back_json_ready() -> None:
    event = parse_inbound(with_data(cost_gbp=250))

    assert json.loads(json.dumps(event.data)) == event.data
    assert event.data["start_date"] == "2026-10-05"


def test_unknown_fields_in_data_are_kept() -> None:
    event = parse_inbound(with_data(room="B12", notes={"parking": True}))

    assert event.data["room"] == "B12"
    assert event.data["notes"] == {"parking": True}


def test_unknown_envelope_attributes_are_kept_as_extensions() -> None:
    event = parse_inbound(body(traceparent="00-abc-def-01"))

    assert event.model_extra == {"traceparent": "00-abc-def-01"}


def test_an_event_without_a_time_is_still_accepted() -> None:
    raw = body()
    del raw["time"]

    assert parse_inbound(raw).time is not None


@pytest.mark.parametrize("raw", [b"{not json", "", b"\xff\xfe\x00", '{"id": '], ids=repr)
def test_a_body_that_is_not_json_is_refused(raw: bytes | str) -> None:
    assert problems_of(raw).message.startswith("body is not valid JSON")


@pytest.mark.parametrize("raw", ["[1, 2]", "42", '"text"', "null", b"true"], ids=repr)
def test_a_body_that_is_not_an_object_is_refused(raw: bytes | str) -> None:
    assert problems_of(raw).message.startswith("body must be a JSON object")


@pytest.mark.parametrize("field", REQUIRED_ENVELOPE)
def test_an_event_missing_a_required_envelope_field_names_it(field: str) -> None:
    raw = body()
    del raw[field]

    problem = problems_of(raw)

    assert problem.message == "not a valid CloudEvent"
    assert [field] in locations(problem)


@pytest.mark.parametrize("field", ["id", "source", "type", "subject", "actor"])
def test_an_empty_envelope_attribute_is_refused(field: str) -> None:
    assert locations(problems_of(body(**{field: ""}))) == [[field]]


@pytest.mark.parametrize("version", ["0.3", "1", 1.0, "2.0"], ids=repr)
def test_a_specversion_other_than_1_0_is_refused(version: Any) -> None:
    assert locations(problems_of(body(specversion=version))) == [["specversion"]]


def test_data_that_is_not_an_object_is_refused() -> None:
    assert locations(problems_of(body(data=["a"]))) == [["data"]]


def test_an_unknown_event_type_is_refused_naming_the_type() -> None:
    problem = problems_of(body(type="cpd.request.approved"))

    assert problem.message == "unknown event type 'cpd.request.approved'"
    assert locations(problem) == [["type"]]
    assert "cpd.request.head_approved" in problem.problems[0]["msg"]


def test_an_outbound_type_is_not_accepted_inbound() -> None:
    assert locations(problems_of(body(type="cpd.request.state_changed"))) == [["type"]]


@pytest.mark.parametrize(
    ("event_type", "fields", "location"),
    [
        ("cpd.request.submitted", {"cost_gbp": "-1.00"}, ["data", "cost_gbp"]),
        ("cpd.request.submitted", {"cost_gbp": "10.001"}, ["data", "cost_gbp"]),
        ("cpd.request.submitted", {"activity_type": "holiday"}, ["data", "activity_type"]),
        ("cpd.request.submitted", {"start_date": "next week"}, ["data", "start_date"]),
        ("cpd.request.submitted", {"title": ""}, ["data", "title"]),
        ("cpd.request.submitted", {"priorities": "reading"}, ["data", "priorities"]),
        ("cpd.request.booked", {"confirmed_cost_gbp": -5}, ["data", "confirmed_cost_gbp"]),
        ("cpd.request.evaluated", {"rating": 6}, ["data", "rating"]),
        ("cpd.request.evaluated", {"rating": 0}, ["data", "rating"]),
        ("cpd.request.completed", {"completed_on": "2026-13-01"}, ["data", "completed_on"]),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_invalid_data_is_refused_naming_the_field(
    event_type: str, fields: dict[str, Any], location: list[str]
) -> None:
    problem = problems_of(with_data(event_type, **fields))

    assert problem.message == f"invalid data for '{event_type}'"
    assert locations(problem) == [location]
    assert {"msg", "type"} <= problem.problems[0].keys()


@pytest.mark.parametrize("event_type", REQUEST_TYPES)
def test_missing_required_data_is_refused_naming_each_field(event_type: str) -> None:
    required = INBOUND_DATA[event_type].model_json_schema().get("required", [])

    if not required:
        assert parse_inbound(body(event_type, data={})).data is not None
        return
    assert sorted(locations(problems_of(body(event_type, data={})))) == sorted(
        ["data", field] for field in required
    )


def test_an_end_date_before_the_start_date_is_refused() -> None:
    problem = problems_of(with_data(start_date="2026-10-06", end_date="2026-10-05"))

    assert locations(problem) == [["data"]]
    assert "end_date is before start_date" in problem.problems[0]["msg"]


def test_a_one_day_activity_may_start_and_end_on_the_same_day() -> None:
    event = parse_inbound(with_data(start_date="2026-10-05", end_date="2026-10-05"))

    assert event.data["end_date"] == "2026-10-05"


def test_the_shipped_json_schemas_match_the_models() -> None:
    shipped = {path.stem: json.loads(path.read_text()) for path in SHIPPED_DIR.glob("*.json")}
    expected = all_schemas()

    assert sorted(shipped) == sorted(expected), REGENERATE
    for event_type, schema in expected.items():
        assert shipped[event_type] == schema, f"{event_type}: {REGENERATE}"


def test_each_schema_fixes_its_type_and_describes_its_data() -> None:
    for event_type, schema in all_schemas().items():
        assert schema["properties"]["type"]["const"] == event_type
        assert schema["properties"]["data"]["type"] == "object"
        assert set(REQUIRED_ENVELOPE) <= set(schema["required"])
