"""The directory's events on the wire: what each needs, its defaults, and what is refused."""

from __future__ import annotations

from typing import Any

import pytest

from schemas import DIRECTORY_DATA, InvalidEvent, parse_inbound
from workflow.policy import Role

VALID: dict[str, dict[str, Any]] = {
    "staff.upserted": {
        "staff_id": "T-042",
        "name": "Tom Reid",
        "email": "t.reid@walmley.example",
        "school_id": "S-WALMLEY",
        "roles": ["teacher"],
        "contract": "full_time",
        "started_on": "2019-09-01",
    },
    "staff.left": {"staff_id": "T-042", "left_on": "2027-07-21", "reason": "resignation"},
    "school.upserted": {"school_id": "S-WALMLEY", "name": "Walmley Infant School"},
    "approval.delegated": {
        "from_staff_id": "HEAD-1",
        "to_staff_id": "DEP-1",
        "step": "head",
        "from": "2027-02-01",
        "until": "2027-02-05",
    },
    "approval.delegation_revoked": {"to_staff_id": "DEP-1"},
}
REQUIRED = {
    "staff.upserted": {"staff_id", "name", "email", "school_id", "roles", "contract", "started_on"},
    "staff.left": {"staff_id", "left_on", "reason"},
    "school.upserted": {"school_id", "name"},
    "approval.delegated": {"from_staff_id", "to_staff_id", "step", "from", "until"},
    "approval.delegation_revoked": {"to_staff_id"},
}


def body(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": "hr-1",
        "source": "urn:trust:hr",
        "type": event_type,
        "subject": "T-042",
        "actor": "hr-sync",
        "data": data,
    }


def refused(event_type: str, data: dict[str, Any]) -> list[list[str]]:
    with pytest.raises(InvalidEvent) as problem:
        parse_inbound(body(event_type, data))
    return [p["loc"] for p in problem.value.problems]


def test_every_directory_type_has_a_valid_example() -> None:
    assert set(VALID) == set(DIRECTORY_DATA) == set(REQUIRED)


@pytest.mark.parametrize("event_type", sorted(VALID))
def test_a_valid_directory_event_of_each_type_is_accepted(event_type: str) -> None:
    event = parse_inbound(body(event_type, VALID[event_type]))

    assert VALID[event_type].items() <= event.data.items()


@pytest.mark.parametrize("event_type", sorted(VALID))
def test_missing_data_is_refused_naming_each_required_field(event_type: str) -> None:
    assert {loc[-1] for loc in refused(event_type, {})} == REQUIRED[event_type]


def test_an_upsert_defaults_to_not_an_ect_and_no_extra_schools() -> None:
    data = parse_inbound(body("staff.upserted", VALID["staff.upserted"])).data

    assert (data["is_ect"], data["extra_school_ids"], data["line_manager_id"]) == (False, [], None)


def test_roles_are_the_policy_vocabulary_and_at_least_one() -> None:
    upsert = VALID["staff.upserted"]

    assert refused("staff.upserted", upsert | {"roles": []}) == [["data", "roles"]]
    assert refused("staff.upserted", upsert | {"roles": ["wizard"]}) == [["data", "roles", "0"]]
    every = parse_inbound(body("staff.upserted", upsert | {"roles": [r.value for r in Role]}))
    assert len(every.data["roles"]) == 10


@pytest.mark.parametrize(
    ("field", "value"),
    [("contract", "zero_hours"), ("email", "nobody"), ("started_on", "31/12/2020")],
)
def test_a_bad_staff_field_is_refused_by_name(field: str, value: str) -> None:
    assert refused("staff.upserted", VALID["staff.upserted"] | {field: value}) == [["data", field]]


def test_a_leaving_reason_outside_the_list_is_refused() -> None:
    assert refused("staff.left", VALID["staff.left"] | {"reason": "sabbatical"}) == [
        ["data", "reason"]
    ]


def test_a_delegation_keeps_from_on_the_wire_and_needs_a_real_window() -> None:
    window = VALID["approval.delegated"]

    assert parse_inbound(body("approval.delegated", window)).data["from"] == "2027-02-01"
    assert refused("approval.delegated", window | {"until": "2027-01-31"}) == [["data"]]
    assert refused("approval.delegated", window | {"to_staff_id": "HEAD-1"}) == [["data"]]
    assert refused("approval.delegated", window | {"step": "booking"}) == [["data", "step"]]
