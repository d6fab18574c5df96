"""How long statutory training lasts, and where a person stands with it today: pure rules.

A qualification is valid from the day it was achieved until `valid_until`, inclusive; from
the policy, that is the same date `valid_months` later (a month from 31 January is the last
day of February), so training repeated on the same date each year never leaves a gap.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# `expiring`: valid, but its last day falls within this many days from today.
EXPIRING_WITHIN_DAYS = 90


class Status(StrEnum):
    EXPIRED = "expired"
    EXPIRING = "expiring"
    VALID = "valid"
    MISSING = "missing"


def months_after(day: date, months: int) -> date:
    """The same date `months` later, or the last day of that month if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(achieved_on: date, valid_months: int) -> date:
    return months_after(achieved_on, valid_months)


def status_on(today: date, last_valid_day: date | None) -> Status:
    if last_valid_day is None:
        return Status.MISSING
    if last_valid_day < today:
        return Status.EXPIRED
    if last_valid_day <= today + timedelta(days=EXPIRING_WITHIN_DAYS):
        return Status.EXPIRING
    return Status.VALID


@dataclass(frozen=True)
class StatutoryStanding:
    """One row of a school's compliance list: a person and a kind they must hold."""

    staff_id: str
    name: str
    kind: str
    status: Status
    valid_until: date | None
