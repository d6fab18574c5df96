"""What a person may read (their reach), and which scope each route needs."""

from __future__ import annotations

import pytest

from workflow.access import (
    BY_EVENT,
    EVERYTHING,
    ROUTE_SCOPES,
    Caller,
    MissingScope,
    OutOfReach,
    Reach,
    Scopes,
    check_event,
    check_person,
    check_request,
    check_school,
    check_school_list,
    check_scope,
    is_open,
    reach_of,
    scope_for,
)
from workflow.policy import Role

NONE: frozenset[str] = frozenset()
BOTH = frozenset({"north", "south"})  # a trust of two schools, or a head teacher of both
TEACHER = reach_of("T-1", ("north",), {Role.TEACHER: frozenset({"north"})}, NONE)
MANAGER = reach_of("M-1", ("north",), {Role.LEADERSHIP: frozenset({"north"})}, frozenset({"T-1"}))
HEAD = reach_of("H-1", ("north",), {Role.HEAD_TEACHER: BOTH}, NONE)
EXEC = reach_of("E-1", ("north",), {Role.EXECUTIVE_LEAD: BOTH}, NONE)
OFFICE = reach_of("B-1", ("north",), {Role.BOOKING_OFFICE: BOTH}, NONE)

# reach, a request's (staff id, school id), may it be read
REQUESTS: list[tuple[str, Reach, tuple[str, str], bool]] = [
    ("a teacher reads their own request", TEACHER, ("T-1", "north"), True),
    ("a teacher does not read a colleague's", TEACHER, ("T-2", "north"), False),
    ("a line manager reads a direct report's", MANAGER, ("T-1", "north"), True),
    ("a line manager does not read others'", MANAGER, ("T-2", "north"), False),
    ("a head teacher reads their schools'", HEAD, ("T-9", "south"), True),
    ("a head teacher does not read another school's", HEAD, ("T-9", "east"), False),
    ("an executive lead reads the trust's", EXEC, ("T-9", "south"), True),
    ("the booking office reads the schools it books for", OFFICE, ("T-9", "north"), True),
    ("the booking office does not read other schools'", OFFICE, ("T-9", "east"), False),
    ("a portal or system reads everything", EVERYTHING, ("T-9", "east"), True),
]


@pytest.mark.parametrize(
    ("reach", "request_of", "readable"),
    [case[1:] for case in REQUESTS],
    ids=[case[0] for case in REQUESTS],
)
def test_who_reads_which_request(reach: Reach, request_of: tuple[str, str], readable: bool) -> None:
    assert reach.covers_request(*request_of) is readable


def test_a_request_out_of_reach_is_refused_with_403_naming_it() -> None:
    caller = Caller("t-1@trust.example", Scopes.of("read:requests"), "T-1")

    with pytest.raises(OutOfReach) as refused:
        check_request(caller, TEACHER, "REQ-9", "T-2", "north")

    assert refused.value.status == 403
    assert (
        "request REQ-9 is outside what 't-1@trust.example' (acting as T-1)" in refused.value.reason
    )


def test_records_and_schools_follow_the_same_reach() -> None:
    caller = Caller("x", Scopes.of("read:directory"), "T-1")

    check_person(caller, TEACHER, "T-1", ("north",))
    check_person(caller, HEAD, "T-5", ("south",))
    check_school(caller, TEACHER, "north")  # their own school's record
    check_school_list(caller, HEAD, "south")
    with pytest.raises(OutOfReach):
        check_person(caller, TEACHER, "T-2", ("north",))
    with pytest.raises(OutOfReach):
        check_school(caller, TEACHER, "south")
    with pytest.raises(OutOfReach):
        check_school_list(caller, TEACHER, "north")  # a school's lists need all of it


def test_an_events_status_reads_like_what_it_is_about() -> None:
    caller = Caller("x", Scopes.of("read:requests"), "H-1")

    check_event(caller, HEAD, "e-1", request=("T-9", "south"))
    check_event(caller, HEAD, "e-2", person=("T-9", ("north",)))
    check_event(caller, HEAD, "e-3", school="south")
    with pytest.raises(OutOfReach, match="event e-4"):
        check_event(caller, HEAD, "e-4", school="REQ-NEVER-MADE")


ROUTES = [
    ("POST", "/events", BY_EVENT),
    ("GET", "/events/{event_id}", "read:requests"),
    ("GET", "/requests/{request_id}", "read:requests"),
    ("GET", "/requests/{request_id}/history", "read:requests"),
    ("GET", "/requests/{request_id}/follow-ups", "read:requests"),
    ("GET", "/follow-ups", "read:requests"),
    ("GET", "/dead-letters", "read:audit"),
    ("GET", "/notifications", "read:audit"),
    ("GET", "/audit", "read:audit"),
    ("GET", "/audit/head", "read:audit"),
    ("GET", "/staff/{staff_id}", "read:directory"),
    ("GET", "/schools/{school_id}", "read:directory"),
    ("GET", "/repayments", "read:reports"),
    ("GET", "/budgets/{school_id}", "read:reports"),
    ("GET", "/requests", "read:requests"),
    ("GET", "/queues/head", "read:reports"),
    ("GET", "/queues/executive", "read:reports"),
    ("GET", "/compliance", "read:reports"),
    ("GET", "/staff/{staff_id}/agreed-cpd", "read:requests"),
    ("GET", "/staff/{staff_id}/cpd-hours", "read:requests"),
    ("GET", "/sessions/{session_id}", "read:requests"),
    ("GET", "/metrics", "read:metrics"),
    ("POST", "/dead-letters/{letter_id}/replay", "admin"),
    ("GET", "/reports/termly", "read:reports"),
    ("GET", "/reports/trust", "read:reports"),
    ("GET", "/staff/{staff_id}/portfolio", "read:requests"),
    ("GET", "/reports/equality", "read:reports"),
    ("GET", "/reports/providers", "read:reports"),
    ("GET", "/reports/annual-review", "read:reports"),
    ("GET", "/a-route-nobody-listed", "admin"),
]


@pytest.mark.parametrize(("method", "path", "scope"), ROUTES)
def test_each_route_needs_its_scope_and_an_unlisted_one_needs_admin(
    method: str, path: str, scope: str
) -> None:
    assert scope_for(method, path) == scope


def test_every_listed_route_is_in_the_table_above() -> None:
    assert set(ROUTE_SCOPES) == {(m, p) for m, p, _ in ROUTES[:-1]}


@pytest.mark.parametrize(
    ("path", "open_"),
    [
        ("/health", True),
        ("/health/ready", True),
        ("/health/live", True),
        ("/openapi.json", True),
        ("/asyncapi.json", True),
        ("/schemas", True),
        ("/docs", True),
        ("/docs/oauth2-redirect", True),
        ("/redoc", True),
        ("/healthy", False),
        ("/requests/{request_id}", False),
    ],
)
def test_only_health_and_the_contracts_documents_are_open(path: str, open_: bool) -> None:
    assert is_open(path) is open_


def test_a_missing_reading_scope_is_refused_naming_it() -> None:
    with pytest.raises(MissingScope, match="needs the scope read:audit"):
        check_scope(Caller("portal", Scopes.of("read:requests")), "read:audit", "GET /dead-letters")
