"""Which version of a policy set governs a request: chosen on submission, kept to the end."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.workflow.policy_files import head_led, write
from workflow.policy import (
    NoPolicySetInForce,
    PolicyLibrary,
    UnknownPolicySet,
    load_policy_dir,
)

SET = "head-led-school"


def library_of(directory: Path) -> PolicyLibrary:
    return PolicyLibrary(load_policy_dir(directory).sets)


@pytest.fixture
def three_versions(tmp_path: Path) -> Path:
    write(tmp_path, "v1.toml", head_led(version=1, effective_from="2026-09-01"))
    write(
        tmp_path, "v2.toml", head_led(version=2, effective_from="2027-01-01", executive='"always"')
    )
    write(
        tmp_path, "v3.toml", head_led(version=3, effective_from="2027-09-01", executive='"above"')
    )
    return tmp_path


@pytest.mark.parametrize(
    ("submitted_on", "version"),
    [
        (date(2026, 9, 1), 1),
        (date(2026, 12, 31), 1),
        (date(2027, 1, 1), 2),  # the day a version takes effect, it governs
        (date(2027, 8, 31), 2),
        (date(2031, 1, 1), 3),
    ],
)
def test_a_new_request_gets_the_highest_version_whose_date_has_come(
    three_versions: Path, submitted_on: date, version: int
) -> None:
    assert library_of(three_versions).current(SET, submitted_on).version == version


def test_a_request_before_the_first_version_takes_effect_is_refused_with_the_date(
    three_versions: Path,
) -> None:
    with pytest.raises(
        NoPolicySetInForce,
        match=r"no version in force on 2026-08-31 \(the first takes effect on 2026-09-01\)",
    ):
        library_of(three_versions).current(SET, date(2026, 8, 31))


def test_a_school_naming_a_set_nobody_loaded_is_refused(three_versions: Path) -> None:
    with pytest.raises(UnknownPolicySet, match="no policy set trust-wide"):
        library_of(three_versions).current("trust-wide", date(2027, 1, 1))


def test_a_school_that_names_no_set_gets_the_shipped_default(three_versions: Path) -> None:
    default = library_of(three_versions).current(None, date(1999, 1, 1))
    assert default.name == "default v1"


def test_a_pinned_version_keeps_its_rules_when_its_file_is_edited_in_place(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "head-led.toml", head_led(executive='"never"'))
    library = library_of(tmp_path)
    pinned = library.current(SET, date(2026, 10, 1))  # a request submitted now records v1

    path.write_text(head_led(executive='"always"'))  # same id, same version, new rules
    notices = library.load(load_policy_dir(tmp_path).sets)

    assert not library.version(SET, pinned.version).executive_step_required(Decimal(800))
    assert [str(n) for n in notices] == [
        "head-led.toml: version: head-led-school v1 has changed since it was loaded; the rules"
        " loaded first stay in force for it, so give changed rules a new version number"
    ]


def test_a_file_edited_to_a_new_version_governs_new_requests_and_the_old_one_stays_pinned(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "head-led.toml", head_led(version=1, executive='"never"'))
    library = library_of(tmp_path)
    path.write_text(head_led(version=2, effective_from="2027-01-01", executive='"always"'))
    assert library.load(load_policy_dir(tmp_path).sets) == []

    assert not library.version(SET, 1).executive_step_required(Decimal(800))
    assert library.version(SET, 2).executive_step_required(Decimal(800))
    assert library.current(SET, date(2027, 1, 4)).version == 2
    # Until v2 takes effect, v1 (no longer on disk) is not offered either: nothing is.
    with pytest.raises(NoPolicySetInForce):
        library.current(SET, date(2026, 12, 1))


def test_a_set_whose_file_was_removed_still_governs_its_requests_but_no_new_ones(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "head-led.toml", head_led())
    write(tmp_path, "other.toml", head_led(policy_id="other-school"))
    library = library_of(tmp_path)
    path.unlink()
    library.load(load_policy_dir(tmp_path).sets)

    assert library.version(SET, 1).title == "Single school, head teacher approves"
    with pytest.raises(UnknownPolicySet):
        library.current(SET, date(2027, 1, 4))


def test_reloading_an_unchanged_directory_says_nothing(three_versions: Path) -> None:
    library = library_of(three_versions)
    assert library.load(load_policy_dir(three_versions).sets) == []
    assert [s.name for s in library.versions(SET)] == [f"{SET} v{n}" for n in (1, 2, 3)]


def test_comments_and_layout_are_not_rules(tmp_path: Path) -> None:
    path = write(tmp_path, "head-led.toml", head_led())
    library = library_of(tmp_path)
    path.write_text("# reviewed by the governors, no change\n" + head_led())
    assert library.load(load_policy_dir(tmp_path).sets) == []


def test_asking_for_a_version_never_loaded_is_refused(three_versions: Path) -> None:
    with pytest.raises(UnknownPolicySet, match="head-led-school v7 is not loaded"):
        library_of(three_versions).version(SET, 7)
