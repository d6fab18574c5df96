"""The `[priority]` section: the weights of a request's priority score, as a trust writes
them; a weight that would turn a reason against a request is refused."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.workflow.policy_files import EXAMPLES, head_led, write
from workflow.policy import PolicySetsInvalid, default_policy_set, load_policy_dir
from workflow.store import policy_versions
from workflow.store._migrations import migrate_connection

WEIGHTS = """
[priority]
sip = 4                       # linked to one of the school's SIP priorities
agreed_in_appraisal = 3
statutory_renewal = 5
ect = 2
directed = 0                  # this trust does not weigh directed CPD
cost_per_participant = -2     # for each whole cost_step_gbp per participant
cost_step_gbp = 250
"""


def problems_of(tmp_path: Path, priority: str) -> list[str]:
    write(tmp_path, "head-led.toml", head_led(extra=priority))
    with pytest.raises(PolicySetsInvalid) as refused:
        load_policy_dir(tmp_path)
    return [str(p) for p in refused.value.problems]


def test_a_policy_set_gives_each_reason_its_weight(tmp_path: Path) -> None:
    write(tmp_path, "head-led.toml", head_led(extra=WEIGHTS))

    (policy,) = load_policy_dir(tmp_path).sets

    weights = policy.priority
    assert (weights.sip, weights.agreed_in_appraisal, weights.statutory_renewal) == (4, 3, 5)
    assert (weights.ect, weights.directed) == (2, 0)
    assert (weights.cost_per_participant, weights.cost_step_gbp) == (-2, Decimal(250))


def test_a_policy_set_without_the_section_has_the_shipped_weights(tmp_path: Path) -> None:
    write(tmp_path, "head-led.toml", head_led())

    (policy,) = load_policy_dir(tmp_path).sets

    assert policy.priority == default_policy_set().priority


@pytest.mark.parametrize(
    ("priority", "problem"),
    [
        ("[priority]\nect = -1", "priority.ect: must be at least 0 (got -1)"),
        (
            "[priority]\ncost_per_participant = 1",
            "priority.cost_per_participant: must be at most 0 (got 1)",
        ),
        ("[priority]\nsip = 2.5", "priority.sip: must be a whole number (got 2.5)"),
        (
            "[priority]\nect_weight = 3",
            "priority.ect_weight: unknown key (known here: sip, agreed_in_appraisal,"
            " statutory_renewal, ect, directed, cost_per_participant, cost_step_gbp)",
        ),
        ("[priority]\ndirectd = 1", "priority.directd: unknown key (did you mean directed?)"),
    ],
)
def test_a_weight_that_cannot_be_read_as_the_policy_means_is_refused(
    tmp_path: Path, priority: str, problem: str
) -> None:
    assert problems_of(tmp_path, priority) == [f"head-led.toml: {problem}"]


def test_a_cost_step_of_nothing_is_refused(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, "[priority]\ncost_step_gbp = 0")

    assert problem.startswith("head-led.toml: priority.cost_step_gbp: ")
    assert "greater than 0" in problem


def test_walmley_weighs_a_link_to_its_sip_most_as_its_policy_rates_it() -> None:
    walmley = next(s for s in load_policy_dir(EXAMPLES).sets if s.id == "walmley-infant")

    weights = walmley.priority
    assert weights.sip == 4 and weights.sip > max(weights.ect, weights.directed)
    assert (weights.cost_per_participant, weights.cost_step_gbp) == (-1, Decimal(100))


def test_a_kept_version_reads_back_with_its_amounts_and_weights_as_loaded(
    tmp_path: Path,
) -> None:
    write(tmp_path / "policies", "head-led.toml", head_led(executive='"above"', extra=WEIGHTS))
    (loaded,) = load_policy_dir(tmp_path / "policies").sets
    with closing(sqlite3.connect(tmp_path / "cpd.sqlite3")) as db:
        migrate_connection(db)
        policy_versions.keep(db, [loaded], datetime(2026, 9, 1, tzinfo=UTC))

        (kept,) = policy_versions.remembered(db)

    assert kept.same_rules_as(loaded)
    assert kept.approval.executive_above_gbp == Decimal(500)
    assert kept.priority.cost_step_gbp == Decimal(250)


def test_a_policy_file_may_not_write_an_amount_as_text(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, '[priority]\ncost_step_gbp = "100"')

    assert problem.startswith("head-led.toml: priority.cost_step_gbp: must be an amount in pounds")
