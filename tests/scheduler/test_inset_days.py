"""INSET days: training days in the term-dates file, when staff work and pupils do not.

They are working days for follow-ups, even when the file's holiday spans them (the first
days of the autumn term are often INSET days inside "Summer" as a local authority lists it).
"""

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scheduler.calendar import (
    CalendarError,
    Holiday,
    SchoolCalendar,
    default_calendar_path,
    load_calendar,
)
from scheduler.policy import APPROVAL_PENDING, FollowUpPolicy, RequestFacts, on_entering

LONDON = ZoneInfo("Europe/London")
SUMMER = Holiday("Summer 2026", date(2026, 7, 22), date(2026, 9, 2))  # to Wednesday 2 Sept
INSET_TUESDAY, INSET_WEDNESDAY = date(2026, 9, 1), date(2026, 9, 2)
WITH_INSET = SchoolCalendar([SUMMER], "with INSET", [INSET_TUESDAY, INSET_WEDNESDAY])
WITHOUT_INSET = SchoolCalendar([SUMMER], "holiday only")
MID_TERM_INSET = SchoolCalendar([], "a Friday of training", [date(2026, 11, 6)])


def write(tmp_path: Path, content: Any) -> Path:
    path = tmp_path / "term_dates.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


def test_an_inset_day_inside_a_holiday_is_a_school_day() -> None:
    assert WITH_INSET.is_school_day(INSET_TUESDAY) and WITH_INSET.is_inset_day(INSET_TUESDAY)
    assert not WITHOUT_INSET.is_school_day(INSET_TUESDAY)
    assert not WITH_INSET.is_school_day(date(2026, 8, 31))  # the rest stays a holiday


def test_an_inset_day_is_no_holiday_though_the_holiday_around_it_still_is() -> None:
    assert WITH_INSET.holiday_on(INSET_WEDNESDAY) is None
    assert WITH_INSET.holiday_on(date(2026, 8, 28)) == SUMMER


def test_counting_school_days_counts_inset_days() -> None:
    friday_before = date(2026, 8, 28)
    assert WITH_INSET.add_school_days(friday_before, 1) == INSET_TUESDAY
    assert WITH_INSET.add_school_days(friday_before, 3) == date(2026, 9, 3)
    assert WITHOUT_INSET.add_school_days(friday_before, 3) == date(2026, 9, 7)


def test_the_next_school_day_from_the_holiday_is_the_first_inset_day() -> None:
    assert WITH_INSET.next_school_day(date(2026, 8, 20)) == INSET_TUESDAY


def test_an_inset_day_in_term_time_stays_a_school_day() -> None:
    assert MID_TERM_INSET.is_school_day(date(2026, 11, 6))
    assert MID_TERM_INSET.add_school_days(date(2026, 11, 5), 1) == date(2026, 11, 6)


def test_an_approval_chase_counts_the_inset_days_before_term_starts() -> None:
    facts = RequestFacts("req-1", "requested", "T-1", date(2026, 10, 1), date(2026, 10, 1))
    submitted = datetime(2026, 8, 27, 10, 0, tzinfo=LONDON)  # Thursday in the holiday
    [with_inset] = on_entering(facts, submitted, WITH_INSET, FollowUpPolicy())
    [holiday_only] = on_entering(facts, submitted, WITHOUT_INSET, FollowUpPolicy())
    assert with_inset.kind == APPROVAL_PENDING
    assert with_inset.due_at.astimezone(LONDON).date() == date(2026, 9, 3)
    assert holiday_only.due_at.astimezone(LONDON).date() == date(2026, 9, 7)


def test_a_reminder_falling_on_an_inset_day_stays_on_it() -> None:
    morning = datetime(2026, 9, 1, 8, 0, tzinfo=LONDON)
    assert WITH_INSET.move_to_school_day(morning) == morning
    assert WITHOUT_INSET.move_to_school_day(morning).date() == date(2026, 9, 3)


def test_the_term_dates_file_lists_inset_days_as_dates_or_named_objects(tmp_path: Path) -> None:
    holidays = [{"name": "Summer 2026", "start": "2026-07-22", "end": "2026-09-02"}]
    inset = ["2026-09-01", {"date": "2026-09-02", "name": "Safeguarding training"}]
    calendar = load_calendar(write(tmp_path, {"holidays": holidays, "inset": inset}))
    assert calendar.inset_days == {INSET_TUESDAY, INSET_WEDNESDAY}
    assert calendar.is_school_day(INSET_WEDNESDAY)


def test_a_term_dates_file_without_inset_days_has_none(tmp_path: Path) -> None:
    assert load_calendar(write(tmp_path, {"holidays": []})).inset_days == frozenset()


@pytest.mark.parametrize(
    ("inset", "message"),
    [
        ("2026-09-01", "'inset' must be a list"),
        (["1 September"], r"inset\[0\]: '1 September' is not a YYYY-MM-DD date"),
        ([{"name": "no date"}], r"inset\[0\]"),
        (["2026-09-05"], "INSET day 2026-09-05 is a Saturday"),
    ],
)
def test_an_unusable_inset_entry_is_a_calendar_error_naming_the_file(
    tmp_path: Path, inset: Any, message: str
) -> None:
    path = write(tmp_path, {"holidays": [], "inset": inset})
    with pytest.raises(CalendarError, match=message) as caught:
        load_calendar(path)
    assert str(path) in str(caught.value)


def test_the_shipped_default_has_an_inset_list_to_fill_in() -> None:
    data = json.loads(default_calendar_path().read_text("utf-8"))
    assert data["inset"] == [] and '"inset"' in data["note"]
