"""A request is governed to the end by the policy-set version it was submitted under."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from scheduler.policy_sets import load_policy_library
from tests.workflow.builders import open_store
from tests.workflow.governed import FakeDirectory, applied, by_policy, governed_store, request
from tests.workflow.governed import submit as submit_for
from tests.workflow.policy_files import head_led, write
from workflow.clock import FakeClock
from workflow.policy import load_policy_dir
from workflow.store._migrations import MIGRATIONS

SCHOOL = {"school-north": "head-led-school"}


async def test_a_request_submitted_under_v1_keeps_v1s_rules_after_v2_is_loaded(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    policies = tmp_path / "policies"
    write(policies, "head-led-v1.toml", head_led(executive='"never"'))
    library = load_policy_library(policies)
    async with governed_store(db_path, clock, library, FakeDirectory(SCHOOL)) as governed:
        store = governed.store
        await submit_for(store, "head-led-school", "under-v1", school_id="school-north")
        # The trust adds an executive step from October; the service reloads the directory.
        v2 = head_led(executive='"always"', version=2, effective_from="2026-10-01")
        write(policies, "head-led-v2.toml", v2)
        library.load(load_policy_dir(policies).sets)
        await submit_for(store, "head-led-school", "under-v2", school_id="school-north")

        for request_id in ("under-v1", "under-v2"):
            await applied(store, "cpd.request.head_approved", request_id)

        v1_request, v2_request = await request(store, "under-v1"), await request(store, "under-v2")
        assert (v1_request.policy_version, v1_request.state) == (1, "executive_approved")
        assert (v2_request.policy_version, v2_request.state) == (2, "head_approved")
        [passed] = await by_policy(store, "under-v1")
        assert "of policy set head-led-school v1:" in (passed.reason or "")


async def test_a_file_edited_in_place_still_governs_with_the_rules_first_loaded(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    policies = tmp_path / "policies"
    write(policies, "head-led.toml", head_led(executive='"never"'))
    library = load_policy_library(policies)
    async with governed_store(db_path, clock, library, FakeDirectory(SCHOOL)) as governed:
        await submit_for(governed.store, "head-led-school", school_id="school-north")
        write(policies, "head-led.toml", head_led(executive='"always"'))  # same version
        library.load(load_policy_dir(policies).sets)

        await applied(governed.store, "cpd.request.head_approved")

        assert (await request(governed.store)).state == "executive_approved"


@pytest.mark.parametrize(
    ("cost", "state"),
    [("500.00", "executive_approved"), ("500.01", "head_approved")],
)
async def test_above_means_an_estimate_strictly_above_the_threshold(
    tmp_path: Path, db_path: Path, clock: FakeClock, cost: str, state: str
) -> None:
    write(tmp_path / "policies", "head-led.toml", head_led(executive='"above"'))
    library = load_policy_library(tmp_path / "policies")
    async with governed_store(db_path, clock, library, FakeDirectory(SCHOOL)) as governed:
        await submit_for(governed.store, "head-led-school", school_id="school-north", cost_gbp=cost)
        await applied(governed.store, "cpd.request.head_approved")

        assert (await request(governed.store)).state == state
        if state == "executive_approved":
            [passed] = await by_policy(governed.store)
            assert passed.reason == (
                "rule approval.executive of policy set head-led-school v1: executive approval"
                " is needed only above £500.00; this request costs £500.00"
            )


async def test_a_school_naming_a_set_that_is_not_loaded_cannot_submit(
    db_path: Path, clock: FakeClock
) -> None:
    directory = FakeDirectory({"school-north": "no-such-set"})
    async with governed_store(db_path, clock, directory=directory) as governed:
        outcome = await submit_for(governed.store, "no-such-set", school_id="school-north")

        assert (outcome.status.status, outcome.status.code) == ("rejected", "unknown_policy_set")
        assert outcome.status.reason == "no policy set no-such-set in the policy directory"
        # A refused submission creates no request, and so no history.
        assert await governed.store.get_request("req-1") is None
        assert await governed.store.history("req-1") == []
        [status] = await governed.store.event_status(outcome.status.event_id)
        assert status.status == "rejected"


async def test_a_set_with_no_version_in_force_yet_refuses_new_requests(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    write(tmp_path / "policies", "later.toml", head_led(effective_from="2027-09-01"))
    library = load_policy_library(tmp_path / "policies")
    async with governed_store(db_path, clock, library, FakeDirectory(SCHOOL)) as governed:
        outcome = await submit_for(governed.store, "head-led-school", school_id="school-north")

        assert outcome.status.code == "policy_set_not_in_force"
        assert await governed.store.get_request("req-1") is None


async def test_requests_stored_before_policy_sets_become_the_default_sets_on_migration(
    db_path: Path,
) -> None:
    with closing(sqlite3.connect(db_path)) as db:  # a file as the previous release left it
        for version, script in enumerate(MIGRATIONS[:3], start=1):
            db.executescript(f"{script}\nPRAGMA user_version = {version};")
        booked = {"booked": {"booking_reference": "BK-1", "confirmed_cost_gbp": "240.00"}}
        db.execute(
            "INSERT INTO requests VALUES ('old-1', 'completed', 'staff-ada', 'school-north', 't',"
            " 'course', NULL, '2026-10-05', '2026-10-06', '250.00', 4, 5, '2026-09-01T09:00',"
            " '2026-10-06T09:00', ?)",
            (json.dumps(booked),),
        )
        db.execute(
            "INSERT INTO history VALUES ('old-1', 5, '2026-10-07T09:00', 'f-1',"
            " 'cpd-workflow/scheduler', 'cpd.reminder.due', 'cpd-workflow', 'completed',"
            " 'completed', '{}')"
        )
        db.commit()

    async with open_store(db_path) as store:
        old = await store.get_request("old-1")
        [reminder] = await store.history("old-1")

    assert old is not None
    assert (old.policy_id, old.policy_version, old.dissemination) == ("default", 1, "required")
    assert (str(old.cost_gbp), str(old.estimate)) == ("240.00", "250.00")
    assert (reminder.outcome, reminder.reason) == ("reminder", None)


async def test_a_request_is_chased_by_its_own_sets_follow_up_numbers(
    tmp_path: Path, db_path: Path, clock: FakeClock
) -> None:
    quick = head_led(extra="[follow_ups]\napproval_wait_school_days = 1")
    write(tmp_path / "policies", "head-led.toml", quick)
    library = load_policy_library(tmp_path / "policies")
    directory = FakeDirectory(SCHOOL)
    async with governed_store(db_path, clock, library, directory) as governed:
        await submit_for(governed.store, "head-led-school", "quick", school_id="school-north")
        await submit_for(governed.store, "default", "usual", school_id="school-south")

        due = {
            f.request_id: f.due_at[:10]
            for f in await governed.due(before=clock.now().replace(year=2027))
        }

    assert due == {"quick": "2026-10-08", "usual": "2026-10-12"}  # 1 and 3 school days on
