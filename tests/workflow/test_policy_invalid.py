"""A policy file with a mistake is refused, each problem named by file, key and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workflow.policy_files import head_led, write
from workflow.policy import PolicySetsInvalid, load_policy_dir


def problems_in(directory: Path) -> list[str]:
    with pytest.raises(PolicySetsInvalid) as refused:
        load_policy_dir(directory)
    assert str(refused.value) == "\n".join(str(p) for p in refused.value.problems)
    return [str(p) for p in refused.value.problems]


def problems_of(tmp_path: Path, text: str) -> list[str]:
    write(tmp_path, "head-led.toml", text)
    return problems_in(tmp_path)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            ('executive = "never"', 'executive = "sometimes"'),
            'approval.executive: must be one of always, never, above (got "sometimes")',
        ),
        (
            ("version = 1", 'version = "1"'),
            'version: must be a whole number (got "1")',
        ),
        (
            ("version = 1", "version = 0"),
            "version: must be at least 1 (got 0)",
        ),
        (
            ("effective_from = 2026-09-01", 'effective_from = "2026-09-01"'),
            "effective_from: must be a date such as 2026-09-01, written without quotes"
            ' (got "2026-09-01")',
        ),
        (
            ('id = "head-led-school"', 'id = "Head Led"'),
            'id: must be lower-case letters, digits, - or _ (got "Head Led")',
        ),
        (
            ('title = "Single school, head teacher approves"', 'title = "  "'),
            "title: must not be empty",
        ),
        (
            ('"conference", "qualification"]', '"conferences", "qualification"]'),
            "booking.required_for[1]: must be one of course, conference, in_school, online,"
            ' coaching, visit, qualification, other (got "conferences")',
        ),
        (
            ('required_for = ["course", "conference"]  ', 'required_for = "course"  '),
            'dissemination.required_for: must be a list such as ["course", "conference"]'
            ' (got "course")',
        ),
        (
            ("executive_above_gbp = 500", 'executive_above_gbp = "500"'),
            "approval.executive_above_gbp: must be an amount in pounds such as 500 or 499.99"
            ' (got "500")',
        ),
        (
            ("executive_above_gbp = 500", "executive_above_gbp = -1"),
            "approval.executive_above_gbp: must be at least 0 (got -1)",
        ),
        (
            ("executive_above_gbp = 500", "executive_above_gbp = 500.005"),
            "approval.executive_above_gbp: must have at most 2 decimal places (got 500.005)",
        ),
        (
            ("executive_above_gbp = 500", "executive_abve_gbp = 500"),
            "approval.executive_abve_gbp: unknown key (did you mean executive_above_gbp?)",
        ),
        (
            ('title = "Single', 'titel = "x"\ntitle = "Single'),
            "titel: unknown key (did you mean title?)",
        ),
        (
            ("[booking]", "[bookings]"),
            "bookings: unknown key (did you mean booking?)",
        ),
    ],
)
def test_a_mistake_is_named_by_file_key_and_problem(
    tmp_path: Path, change: tuple[str, str], problem: str
) -> None:
    text = head_led()
    assert change[0] in text
    assert f"head-led.toml: {problem}" in problems_of(
        tmp_path, text.replace(change[0], change[1], 1)
    )


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        (
            "[follow_ups]\napproval_wait_days = 3",
            "follow_ups.approval_wait_days: unknown key (did you mean approval_wait_school_days?)",
        ),
        (
            "[follow_ups]\nevaluation_repeat_days = 0",
            "follow_ups.evaluation_repeat_days: must be at least 1 (got 0)",
        ),
        (
            '[follow_ups]\nreminder_time = "8am"',
            'follow_ups.reminder_time: must be a time of day such as 08:00 (got "8am")',
        ),
        (
            '[follow_ups]\ntimezone = "Europe/Atlantis"',
            'follow_ups.timezone: is not a time zone this machine knows, e.g. "Europe/London"'
            ' (got "Europe/Atlantis")',
        ),
        (
            "[money]\nfinancial_year_starts = 13",
            "money.financial_year_starts: must be at most 12 (got 13)",
        ),
        ("[repayment]\nenabled = 1", "repayment.enabled: must be true or false (got 1)"),
        ("[repayment]\nenabled = true\nmonths = 0", "repayment.months: must be at least 1 (got 0)"),
        (
            '[statutory.safeguarding]\nrequired_for_roles = ["teacher"]',
            "statutory.safeguarding.valid_months: is missing",
        ),
        (
            '[statutory.safeguarding]\nvalid_months = 12\nrequired_for_roles = ["pupil"]',
            "statutory.safeguarding.required_for_roles[0]: must be one of teacher, support,"
            " leadership, head_teacher, executive_lead, cpd_lead, booking_office, governor,"
            ' chair_of_governors, trustee (got "pupil")',
        ),
        (
            '[notifications]\ndigest_reminders = "yes"',
            'notifications.digest_reminders: must be true or false (got "yes")',
        ),
        (
            "[notifications]\ndigest_window_minutes = 600",
            "notifications.digest_window_minutes: must be at most 240 (got 600)",
        ),
        (
            "[notifications]\ndigest_minutes = 30",
            "notifications.digest_minutes: unknown key (did you mean digest_window_minutes?)",
        ),
        (
            "[statutory.safeguarding]\nvalid_month = 12\nrequired_for_roles = []",
            "statutory.safeguarding.valid_month: unknown key (did you mean valid_months?)",
        ),
    ],
)
def test_optional_sections_are_checked_as_strictly(
    tmp_path: Path, section: str, problem: str
) -> None:
    assert f"head-led.toml: {problem}" in problems_of(tmp_path, head_led(extra=section))


def test_executive_above_needs_its_threshold(tmp_path: Path) -> None:
    text = head_led(executive='"above"').replace("executive_above_gbp = 500", "")
    assert problems_of(tmp_path, text) == [
        'head-led.toml: approval.executive_above_gbp: is missing (needed when executive = "above")'
    ]


def test_nobody_may_be_named_to_approve_their_own_step(tmp_path: Path) -> None:
    approval = (
        'own_request_head_step = "head_teacher"\nown_request_executive_step = "executive_lead"'
    )
    assert problems_of(tmp_path, head_led(approval=approval)) == [
        "head-led.toml: approval.own_request_head_step: must name a role other than head_teacher"
        ' (got "head_teacher")',
        "head-led.toml: approval.own_request_executive_step: must name a role other than"
        ' executive_lead (got "executive_lead")',
    ]


def test_the_core_rules_must_be_written_out(tmp_path: Path) -> None:
    text = 'id = "bare"\nversion = 1\neffective_from = 2026-09-01\ntitle = "Bare"\n'
    assert problems_of(tmp_path, text) == [
        "head-led.toml: approval: is missing",
        "head-led.toml: booking: is missing",
        "head-led.toml: dissemination: is missing",
    ]


def test_every_problem_in_every_file_is_listed_at_once(tmp_path: Path) -> None:
    write(
        tmp_path, "a.toml", head_led(executive='"sometimes"').replace("version = 1", "version = 0")
    )
    write(tmp_path, "b.toml", "id = \n")
    problems = problems_in(tmp_path)
    assert problems[:2] == [
        "a.toml: version: must be at least 1 (got 0)",
        'a.toml: approval.executive: must be one of always, never, above (got "sometimes")',
    ]
    assert problems[2].startswith("b.toml: not valid TOML: Invalid value (at line 1, column 6)")


def test_two_files_with_the_same_id_and_version_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", head_led())
    write(tmp_path, "b.toml", head_led(executive='"always"'))
    assert problems_in(tmp_path) == [
        "b.toml: version: head-led-school v1 is also defined in a.toml"
    ]


def test_a_later_version_taking_effect_before_an_earlier_one_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "v1.toml", head_led(version=1, effective_from="2026-09-01"))
    write(tmp_path, "v2.toml", head_led(version=2, effective_from="2026-01-01"))
    assert problems_in(tmp_path) == [
        "v2.toml: effective_from: head-led-school v2 takes effect on 2026-01-01, before"
        " head-led-school v1 (2026-09-01, v1.toml), which would then never govern a request"
    ]


def test_the_default_sets_id_is_reserved(tmp_path: Path) -> None:
    assert problems_of(tmp_path, head_led(policy_id="default")) == [
        "head-led.toml: id: default is the shipped set's id; choose another"
    ]


def test_a_directory_that_is_missing_or_empty_is_refused(tmp_path: Path) -> None:
    assert problems_in(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: not a directory"]
    write(tmp_path, "README.txt", "not a policy")
    assert problems_in(tmp_path) == [f"{tmp_path}: no policy files (*.toml)"]


def test_a_section_from_a_later_release_is_noted_not_refused(tmp_path: Path) -> None:
    write(tmp_path, "head-led.toml", head_led(extra="[obligations]\nagreed_hours = 30"))
    loaded = load_policy_dir(tmp_path)
    assert [s.name for s in loaded.sets] == ["head-led-school v1"]
    assert [str(n) for n in loaded.notes] == [
        "head-led.toml: obligations: section not known to this version of cpd; ignored"
    ]


def test_an_unknown_top_level_value_is_refused_even_far_from_any_known_key(tmp_path: Path) -> None:
    text = head_led().replace("version = 1", 'version = 1\nowner = "Dawn"')
    assert problems_of(tmp_path, text) == [
        "head-led.toml: owner: unknown key (known: id, version, effective_from, title, approval,"
        " booking, dissemination, follow_ups, money, repayment, notifications, statutory,"
        " evaluation, priority)"
    ]
