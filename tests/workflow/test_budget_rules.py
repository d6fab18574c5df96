"""The money rules on their own: financial years, the school's share, what a request holds
in each state, the ledger rows between two holdings, and the over-budget check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from workflow.budgets.rules import (
    BudgetStanding,
    Holding,
    OverBudget,
    check_within_budget,
    holding_of,
    movements,
    school_share,
    year_of,
)
from workflow.policy.sections import Money
from workflow.states import State

D = Decimal


@pytest.mark.parametrize(
    ("day", "first_month", "year"),
    [
        (date(2027, 3, 31), 4, "2026-27"),
        (date(2027, 4, 1), 4, "2027-28"),
        (date(2026, 12, 31), 4, "2026-27"),
        (date(2027, 8, 31), 9, "2026-27"),
        (date(2027, 9, 1), 9, "2027-28"),
        (date(2027, 1, 1), 9, "2026-27"),
        (date(2099, 6, 1), 1, "2099-99"),  # from January: within one calendar year
        (date(2099, 6, 1), 2, "2099-00"),
        (date(1999, 12, 31), 4, "1999-00"),
    ],
)
def test_the_money_of_an_activity_belongs_to_the_year_it_starts_in(
    day: date, first_month: int, year: str
) -> None:
    assert year_of(day, first_month) == year
    assert Money(financial_year_starts=first_month).year_containing(day).label == year


def test_without_funding_the_school_pays_everything_and_with_it_its_share() -> None:
    assert school_share({}) == 1
    assert school_share({"funding": None}) == 1
    assert school_share({"funding": {"school": "0.25", "trust": "0.75"}}) == D("0.25")
    assert school_share({"funding": {"grant": "1"}}) == 0


SUBMITTED = {"cover_cost_gbp": "180.00", "funding": {"school": "0.75", "trust": "0.25"}}


@pytest.mark.parametrize(
    ("state", "holding"),
    [
        (State.REQUESTED, Holding()),
        (State.HEAD_APPROVED, Holding(committed=D("375.00"))),
        (State.EXECUTIVE_APPROVED, Holding(committed=D("375.00"))),
        (State.BOOKED, Holding(committed=D("375.00"))),
        (State.COMPLETED, Holding(spent=D("375.00"))),
        (State.EVALUATED, Holding(spent=D("375.00"))),
        (State.DISSEMINATED, Holding(spent=D("375.00"))),
        (State.NOT_ATTENDED, Holding(spent=D("240.00"))),  # the cost incurred; no cover
        (State.REJECTED, Holding()),
        (State.WITHDRAWN, Holding()),
    ],
)
def test_a_request_holds_the_schools_share_of_cost_and_cover_by_its_state(
    state: State, holding: Holding
) -> None:
    # 0.75 of a £320.00 course is £240.00, and of £180.00 cover £135.00.
    assert holding_of(state, D("320.00"), SUBMITTED) == holding


def test_each_share_is_rounded_to_the_penny_half_up() -> None:
    third = {"funding": {"school": "0.3333", "trust": "0.6667"}, "cover_cost_gbp": "0.05"}
    # 120.00 x 0.3333 = 39.996 -> 40.00; 0.05 x 0.3333 = 0.016665 -> 0.02
    assert holding_of(State.BOOKED, D("120.00"), third) == Holding(committed=D("40.02"))
    half = {"funding": {"school": "0.5", "self": "0.5"}}
    assert holding_of(State.COMPLETED, D("0.05"), half) == Holding(spent=D("0.03"))


@pytest.mark.parametrize(
    ("held", "target", "rows"),
    [
        (Holding(), Holding(committed=D("430")), [("committed", D("430"))]),
        (Holding(committed=D("430")), Holding(committed=D("420")), [("released", D("10"))]),
        (Holding(committed=D("255")), Holding(committed=D("275")), [("committed", D("20"))]),
        (Holding(committed=D("420")), Holding(spent=D("420")), [("spent", D("420"))]),
        (
            Holding(committed=D("375")),
            Holding(spent=D("210")),
            [("released", D("165")), ("spent", D("210"))],
        ),
        (
            Holding(committed=D("100")),
            Holding(spent=D("130")),
            [("committed", D("30")), ("spent", D("130"))],
        ),
        (Holding(committed=D("275")), Holding(), [("released", D("275"))]),
        (Holding(spent=D("420")), Holding(spent=D("420")), []),
        (Holding(), Holding(), []),
        # approved before budgets were kept: what it spends is committed first
        (Holding(), Holding(spent=D("50")), [("committed", D("50")), ("spent", D("50"))]),
    ],
)
def test_the_ledger_rows_between_two_holdings_are_positive_and_balance(
    held: Holding, target: Holding, rows: list[tuple[str, Decimal]]
) -> None:
    found = movements(held, target)

    assert found == rows
    assert all(amount > 0 for _, amount in found)
    sums = {kind: sum(a for k, a in found if k == kind) for kind in ("committed", "released")}
    spent = sum(a for k, a in found if k == "spent")
    committed = held.committed + sums["committed"] - sums["released"] - spent
    assert (committed, held.spent + spent) == (target.committed, target.spent)


def standing(this_request: str, *, committed: str = "600.00") -> BudgetStanding:
    return BudgetStanding(
        school_id="school-elston",
        financial_year="2026-27",
        budget=D("1000.00"),
        committed=D(committed),
        spent=D("250.50"),
        this_request=D(this_request),
        citation="rule money.within_budget of policy set elston-hall-trust v1",
    )


def test_an_approval_past_the_budget_is_refused_giving_every_figure() -> None:
    with pytest.raises(OverBudget) as refused:
        check_within_budget(standing("150.00"), "")

    assert refused.value.code == "over_budget"
    assert refused.value.reason == (
        "approving this request would take school-elston past its 2026-27 CPD budget (rule"
        " money.within_budget of policy set elston-hall-trust v1): budget £1,000.00,"
        " committed £600.00, spent £250.50, this request £150.00, remaining £149.50;"
        " approve with an override_reason to go over it"
    )


def test_an_approval_that_uses_up_exactly_what_remains_is_allowed() -> None:
    check_within_budget(standing("149.50"), "")


def test_an_override_reason_lets_an_approval_go_over() -> None:
    check_within_budget(standing("5000.00"), "DSL training is statutory")


def test_a_request_that_costs_the_school_nothing_passes_even_when_the_budget_is_spent() -> None:
    check_within_budget(standing("0.00", committed="5000.00"), "")


def test_a_negative_remainder_reads_as_money_owed() -> None:
    with pytest.raises(OverBudget, match=r"remaining -£4,250.50;"):
        check_within_budget(standing("1.00", committed="5000.00"), "")
