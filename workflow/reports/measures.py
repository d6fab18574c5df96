"""How reports round: money to the penny, averages of ratings to 2 decimal places, medians
of days to 1, shares to 3 (75.0 %), always half up, as people round by hand."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

PENNY = Decimal("0.01")
RATING_PLACES = Decimal("0.01")
DAYS_PLACES = Decimal("0.1")
SHARE_PLACES = Decimal("0.001")


def money(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, ROUND_HALF_UP)


def average(values: Iterable[int | Decimal], places: Decimal = RATING_PLACES) -> Decimal | None:
    """None when there is nothing to average."""
    found = [Decimal(v) for v in values]
    if not found:
        return None
    return (sum(found, Decimal(0)) / len(found)).quantize(places, ROUND_HALF_UP)


def median_days(days: Iterable[int]) -> Decimal | None:
    found = sorted(days)
    if not found:
        return None
    return Decimal(str(median(found))).quantize(DAYS_PLACES, ROUND_HALF_UP)


def share(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` as a fraction (0.750); None when the whole is nothing."""
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, ROUND_HALF_UP)


def per_head(amount: Decimal, people: int) -> Decimal | None:
    return None if people == 0 else money(amount / people)
