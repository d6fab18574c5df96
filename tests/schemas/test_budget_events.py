"""The money on the wire: a request's cover and funding shares, and `budget.set`."""

from __future__ import annotations

from typing import Any

import pytest

from schemas import InvalidEvent, parse_inbound
from tests.workflow.builders import SOURCE, STAFF, VALID_DATA


def submission(**data: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": "evt-1",
        "source": SOURCE,
        "type": "cpd.request.submitted",
        "subject": "req-1",
        "actor": STAFF,
        "data": {**VALID_DATA["cpd.request.submitted"], **data},
    }


def budget(**data: Any) -> dict[str, Any]:
    fields = {"school_id": "S-1", "financial_year": "2026-27", "amount_gbp": "12000", **data}
    return {
        "specversion": "1.0",
        "id": "fin-1",
        "source": "urn:trust:finance",
        "type": "budget.set",
        "subject": "S-1",
        "actor": "finance-sync",
        "data": {k: v for k, v in fields.items() if v is not None},
    }


def problems(body: dict[str, Any]) -> list[tuple[list[str], str]]:
    with pytest.raises(InvalidEvent) as refused:
        parse_inbound(body)
    return [(p["loc"], p["msg"]) for p in refused.value.problems]


def test_cover_and_funding_are_kept_as_exact_decimals() -> None:
    event = parse_inbound(
        submission(
            cover_days=1.5,
            cover_cost_gbp="180.00",
            funding={"school": 0.1, "trust": "0.2", "grant": 0.3, "self": "0.4"},
        )
    )

    assert event.data["cover_days"] == "1.5"
    assert event.data["cover_cost_gbp"] == "180.00"
    assert event.data["funding"] == {"school": "0.1", "trust": "0.2", "grant": "0.3", "self": "0.4"}


def test_a_request_without_them_carries_none_of_them() -> None:
    data = parse_inbound(submission()).data

    assert not {"cover_days", "cover_cost_gbp", "funding"} & set(data)


def test_an_unknown_funding_source_is_named() -> None:
    found = problems(submission(funding={"school": "0.5", "lottery": "0.5"}))

    assert found == [
        (
            ["data", "funding"],
            "Value error, unknown funding source 'lottery': use school, trust, grant, self",
        )
    ]


@pytest.mark.parametrize(
    ("funding", "total"),
    [({"school": "0.5", "grant": "0.4"}, "0.9"), ({"school": 1, "self": 0.25}, "1.25"), ({}, "0")],
)
def test_shares_that_do_not_add_up_to_one_are_refused(funding: dict[str, Any], total: str) -> None:
    found = problems(submission(funding=funding))

    assert found == [
        (["data", "funding"], f"Value error, the funding shares add up to {total}, not 1")
    ]


@pytest.mark.parametrize("field", ["cover_days", "cover_cost_gbp"])
def test_negative_cover_is_refused(field: str) -> None:
    assert [loc for loc, _ in problems(submission(**{field: "-1"}))] == [["data", field]]


def test_a_share_above_one_is_refused() -> None:
    locations = [loc for loc, _ in problems(submission(funding={"school": "2", "trust": "-1"}))]

    assert ["data", "funding", "school"] in locations and ["data", "funding", "trust"] in locations


def test_a_budget_names_its_school_year_and_amount() -> None:
    event = parse_inbound(budget(categories={"courses": 8000, "supply_cover": "3000.50"}))

    assert event.data == {
        "school_id": "S-1",
        "financial_year": "2026-27",
        "amount_gbp": "12000",
        "categories": {"courses": "8000", "supply_cover": "3000.50"},
    }


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("2026-28", "'2026-28' is not a financial year"),
        ("2026/27", "'2026/27' is not a financial year"),
        ("26-27", "'26-27' is not a financial year"),
    ],
)
def test_a_financial_year_is_written_as_the_years_it_spans(year: str, message: str) -> None:
    [(loc, msg)] = problems(budget(financial_year=year))

    assert loc == ["data", "financial_year"] and message in msg


def test_categories_may_not_come_to_more_than_the_budget() -> None:
    found = problems(budget(categories={"courses": "9000", "supply_cover": "3000.01"}))

    assert found == [
        (["data"], "Value error, the categories add up to 12000.01, more than amount_gbp 12000")
    ]


@pytest.mark.parametrize("missing", ["school_id", "financial_year", "amount_gbp"])
def test_a_budget_without_each_required_field_is_refused(missing: str) -> None:
    body = budget(**{missing: None})

    assert (["data", missing], "Field required") in problems(body)


def test_a_negative_budget_is_refused() -> None:
    assert [loc for loc, _ in problems(budget(amount_gbp="-5"))] == [["data", "amount_gbp"]]
