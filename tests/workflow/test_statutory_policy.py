"""Statutory training in policy sets: which kinds, how long each lasts, who must hold it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.workflow.policy_files import EXAMPLES, head_led, write
from workflow.policy import (
    PolicyLibrary,
    PolicySetsInvalid,
    Role,
    default_policy_set,
    load_policy_dir,
)

EXAMPLE_SETS = PolicyLibrary(load_policy_dir(EXAMPLES).sets)
ELSTON = EXAMPLE_SETS.current("elston-hall-trust", date(2027, 1, 4))


def test_the_default_set_has_staff_renew_safeguarding_every_year_as_the_issue_shows() -> None:
    safeguarding = default_policy_set().statutory["safeguarding"]
    assert safeguarding.valid_months == 12
    assert safeguarding.required_for_roles == {
        Role.TEACHER,
        Role.SUPPORT,
        Role.LEADERSHIP,
        Role.HEAD_TEACHER,
    }


def test_the_default_set_asks_no_statutory_training_of_governors_or_the_booking_office() -> None:
    default = default_policy_set()
    assert default.statutory_training_for(Role.GOVERNOR) == {}
    assert default.statutory_training_for(Role.BOOKING_OFFICE) == {}


def test_elston_hall_tracks_first_aid_for_three_years_but_asks_it_of_no_role() -> None:
    first_aid = ELSTON.statutory["first_aid"]
    assert (first_aid.valid_months, first_aid.required_for_roles) == (36, frozenset())
    assert "first_aid" not in ELSTON.statutory_training_for(Role.TEACHER)
    assert set(ELSTON.statutory) == {"safeguarding", "first_aid"}


def test_a_set_may_name_several_kinds_each_with_its_own_roles(tmp_path: Path) -> None:
    extra = """
[statutory.safeguarding]
valid_months = 12
required_for_roles = ["teacher", "support"]
[statutory.prevent]
valid_months = 24
required_for_roles = ["teacher"]
"""
    write(tmp_path, "head-led.toml", head_led(extra=extra))
    [policy_set] = load_policy_dir(tmp_path).sets
    assert set(policy_set.statutory_training_for(Role.TEACHER)) == {"safeguarding", "prevent"}
    assert set(policy_set.statutory_training_for(Role.SUPPORT)) == {"safeguarding"}


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (
            '[statutory.First-Aid]\nvalid_months = 36\nrequired_for_roles = ["teacher"]',
            "statutory.First-Aid.[key]: must be lower-case letters, digits, - or _",
        ),
        (
            '[statutory.first_aid]\nvalid_months = 0\nrequired_for_roles = ["teacher"]',
            "statutory.first_aid.valid_months: must be at least 1 (got 0)",
        ),
        (
            '[statutory.first_aid]\nvalid_months = 36\nrequired_for_roles = "teacher"',
            "statutory.first_aid.required_for_roles: must be a list",
        ),
    ],
)
def test_a_statutory_kind_is_checked_like_every_other_key(
    tmp_path: Path, extra: str, problem: str
) -> None:
    write(tmp_path, "head-led.toml", head_led(extra=extra))
    with pytest.raises(PolicySetsInvalid) as refused:
        load_policy_dir(tmp_path)
    assert any(problem in str(p) for p in refused.value.problems), refused.value
