"""A scripted year of two schools' money, checked line by line against figures worked out
by hand: Walmley (a maintained school: years from April, head teacher approves alone) and
Elston Hall (an academy trust: years from September, then the executive lead)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from schemas import parse_inbound
from tests.directory_seed import Person, seed_store
from tests.workflow.budget_builders import Calendar, budget_set, figures, rows, view
from tests.workflow.builders import EXECUTIVE, HEAD
from tests.workflow.governed import governed_store
from workflow.clock import FakeClock

WALMLEY, ELSTON = "school-walmley", "school-elston"
LEAVER = "staff-lee"
HEAD_APPROVED, EXEC_APPROVED = "cpd.request.head_approved", "cpd.request.executive_approved"
BOOKED, CANCELLED = "cpd.request.booked", "cpd.request.booking_cancelled"
COMPLETED, NOT_ATTENDED = "cpd.request.completed", "cpd.request.not_attended"
WITHDRAWN, EXEC_REJECTED = "cpd.request.withdrawn", "cpd.request.executive_rejected"


async def run_the_year(days: Calendar) -> None:
    # Budgets: Walmley's 2026-27 set twice (the second stands), and 2027-28; Elston's 2026-27.
    await days.on("2026-03-01").apply(budget_set(WALMLEY, "2026-27", "1000.00"))
    await days.on("2026-03-02").apply(
        budget_set(
            WALMLEY,
            "2026-27",
            "1500.00",
            actor="finance-sync",
            categories={"courses": "1200.00", "supply_cover": "300.00"},
        )
    )
    await days.apply(budget_set(WALMLEY, "2027-28", "500.00", actor="finance-sync"))
    await days.on("2026-03-03").apply(budget_set(ELSTON, "2026-27", "2000.00", actor=EXECUTIVE))

    # W1: a £250 course with a day's cover (£180), all the school's; booked at £240, attended.
    await days.on("2026-05-01").submit(
        "W1",
        WALMLEY,
        start_date="2026-06-10",
        end_date="2026-06-10",
        cost_gbp="250.00",
        cover_days="1",
        cover_cost_gbp="180.00",
    )
    await days.step("head_approved", "W1")  # no executive step at Walmley
    await days.step("booked", "W1", confirmed_cost_gbp="240.00")
    await days.on("2026-06-11").step("completed", "W1", completed_on="2026-06-10")

    # E0: £5,000 starting in July 2026, Elston's 2025-26: no budget that year, so no guard.
    await days.on("2026-05-02").submit(
        "E0", ELSTON, start_date="2026-07-15", end_date="2026-07-15", cost_gbp="5000.00"
    )
    await days.step("head_approved", "E0")
    await days.step("executive_approved", "E0")
    await days.step("booked", "E0", data={"booking_reference": "BK-E0"})
    await days.on("2026-07-16").step("completed", "E0", completed_on="2026-07-15")

    # W2: £400 in March 2027 (still Walmley's 2026-27), half grant-funded, £150 cover; booked
    # at £360, the booking cancelled (back to the estimate), then withdrawn.
    await days.on("2026-07-01").submit(
        "W2",
        WALMLEY,
        start_date="2027-03-30",
        end_date="2027-03-31",
        cost_gbp="400.00",
        cover_cost_gbp="150.00",
        funding={"school": "0.5", "grant": "0.5"},
    )
    await days.step("head_approved", "W2")
    await days.step("booked", "W2", confirmed_cost_gbp="360.00")
    await days.on("2026-07-02").step("booking_cancelled", "W2")
    await days.step("withdrawn", "W2")

    # E1: a £300 course in September 2026 (Elston's 2026-27), three quarters the school's,
    # two days' cover (£220); booked at £280, not attended with all £280 lost.
    await days.on("2026-08-01").submit(
        "E1",
        ELSTON,
        start_date="2026-09-15",
        end_date="2026-09-16",
        cost_gbp="300.00",
        cover_days="2",
        cover_cost_gbp="220.00",
        funding={"school": 0.75, "trust": 0.25},  # numbers as well as strings
    )
    await days.step("head_approved", "E1")
    await days.step("executive_approved", "E1")
    await days.step("booked", "E1", confirmed_cost_gbp="280.00")
    await days.on("2026-09-16").step("not_attended", "E1", cost_incurred_gbp="280.00")

    # W3: a £120 in-school day in April 2027 (Walmley's 2027-28), a third the school's (not
    # booked centrally: the head approval goes straight on to booked); a no-show costs £60.
    await days.on("2026-09-01").submit(
        "W3",
        WALMLEY,
        activity_type="in_school",
        start_date="2027-04-20",
        end_date="2027-04-20",
        cost_gbp="120.00",
        funding={"school": "0.3333", "trust": "0.6667"},
    )
    await days.step("head_approved", "W3")
    # W5: rejected by the head teacher: it never held anything.
    await days.on("2026-09-02").submit(
        "W5", WALMLEY, start_date="2026-12-01", end_date="2026-12-01", cost_gbp="75.00"
    )
    await days.step("head_rejected", "W5")

    # E2: a £500 conference on 31 August 2027, the last day of Elston's 2026-27; the
    # executive lead rejects it.
    await days.on("2026-09-17").submit(
        "E2",
        ELSTON,
        activity_type="conference",
        start_date="2027-08-31",
        end_date="2027-08-31",
        cost_gbp="500.00",
    )
    await days.step("head_approved", "E2")
    await days.step("executive_rejected", "E2")

    # E3: a £100 course from 1 September 2027 (Elston's 2027-28), by someone who then
    # leaves: the service withdraws it and releases the money.
    await days.submit(
        "E3",
        ELSTON,
        staff_id=LEAVER,
        start_date="2027-09-01",
        end_date="2027-09-01",
        cost_gbp="100.00",
    )
    await days.step("head_approved", "E3")
    await days.on("2026-09-18").apply(
        parse_inbound(
            {
                "specversion": "1.0",
                "id": "hr-left-lee",
                "source": "urn:trust:hr",
                "type": "staff.left",
                "subject": LEAVER,
                "actor": "hr-sync",
                "data": {"staff_id": LEAVER, "left_on": "2026-09-17", "reason": "resignation"},
            }
        )
    )

    await days.on("2027-04-21").step("not_attended", "W3", cost_incurred_gbp="60.00")


async def test_a_year_of_two_schools_money_matches_the_figures_worked_by_hand(
    db_path: Path,
) -> None:
    clock = FakeClock(datetime(2026, 3, 1, 9, tzinfo=UTC))
    async with governed_store(db_path, clock) as follow_ups:
        store = follow_ups.store
        await seed_store(store, [], [Person(LEAVER, ELSTON)])
        await run_the_year(Calendar(store, clock))

        walmley = await view(store, WALMLEY, "2026-27")
        assert (walmley["starts_on"], walmley["ends_on"]) == ("2026-04-01", "2027-03-31")
        assert rows(walmley) == [
            ("budget_set", None, "1000.00", "budget.set"),
            ("budget_set", None, "1500.00", "budget.set"),
            ("committed", "W1", "430.00", HEAD_APPROVED),  # 250 + 180
            ("released", "W1", "10.00", BOOKED),  # confirmed at 240
            ("spent", "W1", "420.00", COMPLETED),
            ("committed", "W2", "275.00", HEAD_APPROVED),  # (400 + 150) x 0.5
            ("released", "W2", "20.00", BOOKED),  # (360 + 150) x 0.5 = 255
            ("committed", "W2", "20.00", CANCELLED),  # back to the estimate
            ("released", "W2", "275.00", WITHDRAWN),
        ]
        # committed 430 - 10 - 420 + 275 - 20 + 20 - 275 = 0; remaining 1500 - 420
        assert figures(walmley) == ("1500.00", "0.00", "420.00", "1080.00")
        assert walmley["categories"] == {"courses": "1200.00", "supply_cover": "300.00"}
        assert [r["actor"] for r in walmley["ledger"][:3]] == [HEAD, "finance-sync", HEAD]

        next_year = await view(store, WALMLEY, "2027-28")
        assert rows(next_year) == [
            ("budget_set", None, "500.00", "budget.set"),
            ("committed", "W3", "40.00", HEAD_APPROVED),  # 120 x 0.3333 = 39.996
            ("released", "W3", "20.00", NOT_ATTENDED),
            ("spent", "W3", "20.00", NOT_ATTENDED),  # 60 x 0.3333 = 19.998
        ]
        assert figures(next_year) == ("500.00", "0.00", "20.00", "480.00")

        elston = await view(store, ELSTON, "2026-27")
        assert (elston["starts_on"], elston["ends_on"]) == ("2026-09-01", "2027-08-31")
        assert rows(elston) == [
            ("budget_set", None, "2000.00", "budget.set"),
            ("committed", "E1", "390.00", HEAD_APPROVED),  # (300 + 220) x 0.75
            ("released", "E1", "15.00", BOOKED),  # (280 + 220) x 0.75 = 375
            ("released", "E1", "165.00", NOT_ATTENDED),  # the cover, 220 x 0.75
            ("spent", "E1", "210.00", NOT_ATTENDED),  # 280 x 0.75
            ("committed", "E2", "500.00", HEAD_APPROVED),
            ("released", "E2", "500.00", EXEC_REJECTED),
        ]
        assert figures(elston) == ("2000.00", "0.00", "210.00", "1790.00")

        unbudgeted = await view(store, ELSTON, "2025-26")
        assert rows(unbudgeted) == [
            ("committed", "E0", "5000.00", HEAD_APPROVED),
            ("spent", "E0", "5000.00", COMPLETED),
        ]
        assert figures(unbudgeted) == (None, "0.00", "5000.00", None)

        left = await view(store, ELSTON, "2027-28")
        assert rows(left) == [
            ("committed", "E3", "100.00", HEAD_APPROVED),
            ("released", "E3", "100.00", WITHDRAWN),
        ]
        assert left["ledger"][1]["actor"] == "cpd-workflow"  # the leaver's withdrawal
        assert figures(left) == (None, "0.00", "0.00", None)
