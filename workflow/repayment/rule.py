"""The repayment clause as one pure rule: what a resigning member of staff owes for one
training the school paid for.

Policy 003 (First Steps Together), "4. Repayment of training costs": the full cost when
resigning during the training or within a month of its end, then one twelfth less for
each whole month served after it, nothing once a year is served. `months` is the length
of that scale (12 in the policy; a policy set or terms agreed at approval may say
another). With k the whole calendar months from the training's end date to the
resignation date:

- resigning before the end date, or with k = 0: the whole share;
- 1 <= k <= months - 1: share x (months - k) / months, rounded to the penny, halves up
  (ROUND_HALF_UP: £0.005 is £0.01);
- k >= months: nothing.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Owed:
    """What the rule decided: the amount, the months it counted and the share of the scale."""

    amount_gbp: Decimal
    months_counted: int  # 0 when resigning before the training ended
    fraction: Fraction  # of the school's share: 1, (months - k) / months, or 0
    explanation: str


def month_anniversary(start: date, months: int) -> date:
    """`months` calendar months after `start`; a day the month lacks becomes its last day
    (one month after 31 January is 28 February, or 29 in a leap year)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def whole_months(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` (0 when `end` is before `start`). A month
    counted from 31 January is complete on the last day of February."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if month_anniversary(start, months) > end else months


def share_owed(training_ended: date, resigned_on: date, months: int) -> tuple[int, Fraction]:
    """The whole months counted and the fraction of the school's share owed."""
    if months < 1:
        raise ValueError(f"the repayment scale needs at least one month (got {months})")
    if resigned_on < training_ended:
        return 0, Fraction(1)
    k = whole_months(training_ended, resigned_on)
    if k == 0:
        return 0, Fraction(1)
    return k, Fraction(max(0, months - k), months)


def to_pennies(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def amount_owed(
    share_gbp: Decimal, training_ended: date, resigned_on: date, months: int = 12
) -> Owed:
    """What someone resigning on `resigned_on` owes of `share_gbp` (the school's share of a
    training that ended on `training_ended`), on a scale of `months` months."""
    k, fraction = share_owed(training_ended, resigned_on, months)
    # Forty digits: the exact quotient's digits past the penny can never be mistaken for
    # a half (a share in pence over at most a few hundred months), so rounding is exact.
    with localcontext(prec=40):
        exact = share_gbp * fraction.numerator / fraction.denominator
    amount = to_pennies(exact)
    return Owed(amount, k, fraction, _explain(training_ended, resigned_on, k, fraction, months))


def _explain(ended: date, resigned: date, k: int, fraction: Fraction, months: int) -> str:
    if resigned < ended:
        when = f"resigned on {resigned}, before the training ended on {ended}"
    else:
        months_served = f"{k} whole month{'' if k == 1 else 's'}"
        when = f"resigned on {resigned}, {months_served} after the training ended on {ended}"
    if fraction == 1:
        owed = "the whole of the school's share is owed"
    elif fraction == 0:
        owed = f"nothing is owed after {months} months"
    else:
        owed = f"{months - k}/{months} of the school's share is owed"
    return f"{when}: {owed}"
