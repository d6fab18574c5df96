"""The repayment rule, table by table: the whole months counted at the month boundaries,
and what is owed of the school's share (policy 003, "4. Repayment of training costs")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from workflow.repayment.rule import amount_owed, month_anniversary, whole_months

D = date.fromisoformat

# (training ended, resigned, whole months counted)
MONTH_BOUNDARIES = [
    # the end of a month: a month from the 31st is complete on the last day of a shorter one
    ("2027-01-31", "2027-02-27", 0),
    ("2027-01-31", "2027-02-28", 1),
    ("2027-01-31", "2027-03-30", 1),
    ("2027-01-31", "2027-03-31", 2),
    ("2027-03-31", "2027-04-29", 0),
    ("2027-03-31", "2027-04-30", 1),
    ("2027-08-31", "2027-09-30", 1),
    ("2027-12-31", "2028-01-30", 0),
    ("2027-12-31", "2028-01-31", 1),
    ("2027-01-30", "2027-02-28", 1),
    # 29 February
    ("2028-01-31", "2028-02-28", 0),
    ("2028-01-31", "2028-02-29", 1),
    ("2028-02-29", "2028-03-28", 0),
    ("2028-02-29", "2028-03-29", 1),
    ("2028-02-29", "2029-02-27", 11),
    ("2028-02-29", "2029-02-28", 12),
    ("2027-02-28", "2028-02-28", 12),
    ("2027-02-28", "2028-02-27", 11),
    # resigning on the training's last day, and before it
    ("2027-03-15", "2027-03-15", 0),
    ("2027-03-15", "2027-03-14", 0),
    # the day before, on and after twelve months
    ("2027-03-15", "2028-03-14", 11),
    ("2027-03-15", "2028-03-15", 12),
    ("2027-03-15", "2028-03-16", 12),
    # an ordinary month
    ("2027-03-15", "2027-04-14", 0),
    ("2027-03-15", "2027-04-15", 1),
    ("2027-03-15", "2027-08-15", 5),
]


@pytest.mark.parametrize(("ended", "resigned", "months"), MONTH_BOUNDARIES)
def test_whole_calendar_months_are_counted_from_the_training_s_end(
    ended: str, resigned: str, months: int
) -> None:
    assert whole_months(D(ended), D(resigned)) == months


@pytest.mark.parametrize(
    ("start", "months", "anniversary"),
    [
        ("2027-01-31", 1, "2027-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2028-02-29", 12, "2029-02-28"),
        ("2027-11-30", 3, "2028-02-29"),
        ("2027-05-15", 0, "2027-05-15"),
        ("2027-12-31", 14, "2029-02-28"),
    ],
)
def test_a_day_the_month_lacks_becomes_its_last_day(
    start: str, months: int, anniversary: str
) -> None:
    assert month_anniversary(D(start), months) == D(anniversary)


# (training ended, resigned, share, months of the scale, owed, months counted, fraction)
OWED = [
    # during the training, on its last day, and within the first month: the whole share
    ("2027-03-15", "2027-03-01", "1200.00", 12, "1200.00", 0, Fraction(1)),
    ("2027-03-15", "2027-03-15", "1200.00", 12, "1200.00", 0, Fraction(1)),
    ("2027-03-15", "2027-04-14", "1200.00", 12, "1200.00", 0, Fraction(1)),
    # then one twelfth less for each whole month
    ("2027-03-15", "2027-04-15", "1200.00", 12, "1100.00", 1, Fraction(11, 12)),
    ("2027-03-15", "2027-08-15", "1200.00", 12, "700.00", 5, Fraction(7, 12)),
    # the day before twelve months, on it, and the day after
    ("2027-03-15", "2028-03-14", "1200.00", 12, "100.00", 11, Fraction(1, 12)),
    ("2027-03-15", "2028-03-15", "1200.00", 12, "0.00", 12, Fraction(0)),
    ("2027-03-15", "2028-03-16", "1200.00", 12, "0.00", 12, Fraction(0)),
    ("2025-03-15", "2028-03-16", "1200.00", 12, "0.00", 36, Fraction(0)),
    # the end of a month and 29 February
    ("2027-01-31", "2027-02-27", "1200.00", 12, "1200.00", 0, Fraction(1)),
    ("2027-01-31", "2027-02-28", "1200.00", 12, "1100.00", 1, Fraction(11, 12)),
    ("2028-02-29", "2029-02-27", "1200.00", 12, "100.00", 11, Fraction(1, 12)),
    ("2028-02-29", "2029-02-28", "1200.00", 12, "0.00", 12, Fraction(0)),
    # rounded to the penny, halves up (ROUND_HALF_UP): 1.145 is 1.15, not 1.14
    ("2027-03-15", "2027-04-15", "100.00", 12, "91.67", 1, Fraction(11, 12)),
    ("2027-03-15", "2027-08-15", "100.00", 12, "58.33", 5, Fraction(7, 12)),
    ("2027-03-15", "2027-09-15", "2.29", 12, "1.15", 6, Fraction(1, 2)),
    ("2027-03-15", "2027-09-15", "0.01", 12, "0.01", 6, Fraction(1, 2)),
    ("2027-03-15", "2027-10-15", "0.01", 12, "0.00", 7, Fraction(5, 12)),
    # a school share that is not whole pence (a third funded by a grant) is rounded once
    ("2027-03-15", "2027-03-20", "166.6666", 12, "166.67", 0, Fraction(1)),
    # another scale: six months agreed at approval, or a one-month scale
    ("2027-03-15", "2027-06-15", "1200.00", 6, "600.00", 3, Fraction(1, 2)),
    ("2027-03-15", "2027-09-15", "1200.00", 6, "0.00", 6, Fraction(0)),
    ("2027-03-15", "2027-04-14", "1200.00", 1, "1200.00", 0, Fraction(1)),
    ("2027-03-15", "2027-04-15", "1200.00", 1, "0.00", 1, Fraction(0)),
]


@pytest.mark.parametrize(
    ("ended", "resigned", "share", "months", "owed", "counted", "fraction"), OWED
)
def test_the_amount_owed_follows_the_sliding_scale(
    ended: str,
    resigned: str,
    share: str,
    months: int,
    owed: str,
    counted: int,
    fraction: Fraction,
) -> None:
    result = amount_owed(Decimal(share), D(ended), D(resigned), months)

    assert (str(result.amount_gbp), result.months_counted, result.fraction) == (
        owed,
        counted,
        fraction,
    )


def test_the_explanation_says_when_and_how_much() -> None:
    during = amount_owed(Decimal("240.00"), D("2027-03-15"), D("2027-03-14"))
    later = amount_owed(Decimal("240.00"), D("2027-03-15"), D("2027-08-15"))
    after = amount_owed(Decimal("240.00"), D("2027-03-15"), D("2028-04-01"))

    assert during.explanation == (
        "resigned on 2027-03-14, before the training ended on 2027-03-15:"
        " the whole of the school's share is owed"
    )
    assert later.explanation == (
        "resigned on 2027-08-15, 5 whole months after the training ended on 2027-03-15:"
        " 7/12 of the school's share is owed"
    )
    assert after.explanation.endswith("nothing is owed after 12 months")


def test_a_scale_of_no_months_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one month"):
        amount_owed(Decimal("1.00"), D("2027-03-15"), D("2027-04-15"), 0)
