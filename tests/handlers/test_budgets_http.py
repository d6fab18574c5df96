"""Budgets over HTTP: `budget.set` through POST /events, the ledger through
GET /budgets/{school_id}, the over-budget refusal as a problem body, and who may read it."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from handlers.service import Service
from tests.handlers.keys import bearer, make_key
from tests.lifecycle import COURSE_END, COURSE_START, SCHOOL, TODAY, event, submitted_data
from workflow.budgets.rules import year_of

# The lifecycle's school follows the shipped default policy set: years from April.
YEAR = year_of(date.fromisoformat(COURSE_START), 4)


def budget_set(
    amount: str, *, actor: str = "HEAD-1", year: str = YEAR, **data: Any
) -> dict[str, Any]:
    body = event(
        "set",
        SCHOOL,
        actor,
        {"school_id": SCHOOL, "financial_year": year, "amount_gbp": amount, **data},
    )
    body["type"] = "budget.set"
    return body


async def post(client: httpx.AsyncClient, body: dict[str, Any], **headers: str) -> httpx.Response:
    return await client.post("/events?wait=true", json=body, headers=headers)


async def applied(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    answer = await post(client, body)
    assert answer.status_code == 200, answer.text


async def test_a_requests_money_moves_through_the_ledger_the_budget_view_shows(
    client: httpx.AsyncClient,
) -> None:
    await applied(
        client, budget_set("1000.00", categories={"courses": "800", "supply_cover": "200"})
    )
    data = submitted_data(
        cover_days="0.5", cover_cost_gbp="90.00", funding={"school": "0.5", "grant": "0.5"}
    )
    for body in (
        event("submitted", "REQ-M1", "T-042", data),
        event("head_approved", "REQ-M1", "HEAD-1"),
        event("executive_approved", "REQ-M1", "EXEC-1"),
        event(
            "booked",
            "REQ-M1",
            "BOOKING-OFFICE",
            {"booking_reference": "BK-1", "confirmed_cost_gbp": "170.00"},
        ),
        event("completed", "REQ-M1", "T-042", {"completed_on": COURSE_END}),
    ):
        await applied(client, body)

    answer = await client.get(f"/budgets/{SCHOOL}", params={"year": YEAR})

    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["school_id"], found["financial_year"]) == (SCHOOL, YEAR)
    assert (
        found["budget_gbp"],
        found["committed_gbp"],
        found["spent_gbp"],
        found["remaining_gbp"],
    ) == (
        "1000.00",
        "0.00",
        "130.00",
        "870.00",
    )
    assert found["categories"] == {"courses": "800", "supply_cover": "200"}
    assert [(r["kind"], r["request_id"], r["amount_gbp"], r["cause"]) for r in found["ledger"]] == [
        ("budget_set", None, "1000.00", "budget.set"),
        ("committed", "REQ-M1", "135.00", "cpd.request.head_approved"),  # (180 + 90) / 2
        ("released", "REQ-M1", "5.00", "cpd.request.booked"),  # (170 + 90) / 2 = 130
        ("spent", "REQ-M1", "130.00", "cpd.request.completed"),
    ]
    assert found["overrides"] == []


async def test_the_view_defaults_to_the_current_year_and_says_when_no_budget_is_set(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get(f"/budgets/{SCHOOL}")

    found = answer.json()
    assert found["financial_year"] == year_of(TODAY, 4)
    assert (found["budget_gbp"], found["remaining_gbp"], found["ledger"]) == (None, None, [])


async def test_an_approval_over_the_budget_is_refused_with_409_naming_the_figures(
    client: httpx.AsyncClient,
) -> None:
    await applied(client, budget_set("100.00"))
    await applied(client, event("submitted", "REQ-M2", "T-042", submitted_data()))

    answer = await post(client, event("head_approved", "REQ-M2", "HEAD-1"))

    assert answer.status_code == 409
    problem = answer.json()
    assert (problem["error"], problem["title"]) == ("over_budget", "Over the school's CPD budget")
    assert problem["type"] == "urn:cpd-workflow:problem:over_budget"
    assert (
        f"past its {YEAR} CPD budget (rule money.within_budget of policy set default v1):"
        " budget £100.00, committed £0.00, spent £0.00, this request £180.00, remaining"
        " £100.00" in problem["detail"]
    )
    override = {"override_reason": "Phonics is the SIP's first priority"}
    assert (
        await post(client, event("head_approved", "REQ-M2", "HEAD-1", override))
    ).status_code == 200
    found = (await client.get(f"/budgets/{SCHOOL}", params={"year": YEAR})).json()
    assert found["remaining_gbp"] == "-80.00"
    assert [o["override_reason"] for o in found["overrides"]] == [override["override_reason"]]


async def test_funding_that_is_not_shares_of_one_is_refused_with_422(
    client: httpx.AsyncClient,
) -> None:
    for funding, message in (
        ({"school": "0.5", "lottery": "0.5"}, "unknown funding source 'lottery'"),
        ({"school": "0.5", "grant": "0.25"}, "the funding shares add up to 0.75, not 1"),
    ):
        body = event("submitted", "REQ-M3", "T-042", submitted_data(funding=funding))

        answer = await post(client, body)

        assert answer.status_code == 422
        [problem] = answer.json()["problems"]
        assert problem["loc"] == ["data", "funding"] and message in problem["msg"]


async def test_a_wrong_year_or_school_is_answered_as_a_problem(client: httpx.AsyncClient) -> None:
    for year, message in (
        ("2026-28", "'2026-28' is not a financial year"),
        ("2026-26", "2026-26 is not a financial year of a school whose years start on 1 April"),
    ):
        answer = await client.get(f"/budgets/{SCHOOL}", params={"year": year})
        assert answer.status_code == 422
        assert answer.json()["error"] == "invalid_parameters" and message in answer.json()["detail"]
        assert answer.json()["problems"][0]["loc"] == ["query", "year"]

    answer = await client.get("/budgets/S-NOWHERE")
    assert (answer.status_code, answer.json()["error"]) == (404, "unknown_school")


async def test_a_person_reads_the_budget_of_a_school_they_read_and_no_other(
    embedded_service: Service, client: httpx.AsyncClient
) -> None:
    data_dir = embedded_service.settings.data_dir
    head = bearer(make_key(data_dir, "head", "read:reports", as_staff_id="HEAD-1"))
    teacher = bearer(make_key(data_dir, "teacher", "read:reports", as_staff_id="T-042"))
    no_scope = bearer(make_key(data_dir, "portal", "read:requests"))

    assert (await client.get(f"/budgets/{SCHOOL}", headers=head)).status_code == 200
    refused = await client.get(f"/budgets/{SCHOOL}", headers=teacher)
    assert (refused.status_code, refused.json()["error"]) == (403, "out_of_reach")
    refused = await client.get(f"/budgets/{SCHOOL}", headers=no_scope)
    assert (refused.status_code, refused.json()["error"]) == (403, "missing_scope")


async def test_a_finance_systems_key_sets_a_budget_in_its_own_name(
    embedded_service: Service, client: httpx.AsyncClient
) -> None:
    data_dir = embedded_service.settings.data_dir
    finance = bearer(make_key(data_dir, "finance", "post:budget.*", "read:reports"))
    hr = bearer(make_key(data_dir, "hr", "post:staff.*"))

    answer = await post(client, budget_set("5000.00", actor="finance-sync"), **finance)
    assert answer.status_code == 200, answer.text
    refused = await post(client, budget_set("1.00", actor="hr-sync"), **hr)
    assert (refused.status_code, refused.json()["error"]) == (403, "missing_scope")

    found = (await client.get(f"/budgets/{SCHOOL}", params={"year": YEAR}, headers=finance)).json()
    assert [(r["actor"], r["amount_gbp"]) for r in found["ledger"]] == [("finance-sync", "5000.00")]
