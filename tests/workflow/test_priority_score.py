"""A request's priority score: each reason with its weight, summed; the cost lowers it."""

from __future__ import annotations

from decimal import Decimal

from workflow.policy import Priority
from workflow.priority.score import PriorityFacts, Reason, from_submission, score

SIP = {"SIP-1": "Early reading", "SIP-2": "Maths mastery"}
DEFAULTS = Priority()
FREE = Decimal(0)


def reasons(facts: PriorityFacts, weights: Priority = DEFAULTS) -> list[tuple[str, int]]:
    return [(r.text, r.weight) for r in score(facts, weights).reasons]


def test_the_shipped_weights_give_every_reason_points_and_the_cost_takes_them_away() -> None:
    weights = Priority()

    assert min(weights.sip, weights.agreed_in_appraisal, weights.statutory_renewal) > 0
    assert min(weights.ect, weights.directed) > 0
    assert weights.cost_per_participant < 0


def test_a_free_request_with_no_reasons_scores_nothing() -> None:
    assert score(PriorityFacts(sip=SIP), DEFAULTS) == score(PriorityFacts(), DEFAULTS)
    assert score(PriorityFacts(), DEFAULTS).total == 0
    assert score(PriorityFacts(), DEFAULTS).reasons == ()


def test_a_request_linked_to_a_sip_priority_scores_the_sip_weight_and_names_it() -> None:
    facts = PriorityFacts(priorities=["SIP-2"], sip=SIP)

    assert reasons(facts) == [("linked to SIP priority SIP-2: Maths mastery", 3)]


def test_sip_codes_match_whatever_their_case_and_spacing_and_count_once() -> None:
    facts = PriorityFacts(priorities=[" sip-1 ", "SIP-2", "SIP-1"], sip=SIP)

    assert reasons(facts) == [
        ("linked to SIP priorities SIP-1: Early reading; SIP-2: Maths mastery", 3)
    ]


def test_an_unknown_sip_code_is_listed_with_no_weight_and_not_refused() -> None:
    facts = PriorityFacts(priorities=["SIP-1", "SIP-9"], sip=SIP)

    result = score(facts, DEFAULTS)

    assert result.total == 3
    assert Reason("unknown SIP priority 'SIP-9' (not in the SIP)", 0) in result.reasons


def test_with_no_sip_on_record_every_code_is_unknown_and_says_why() -> None:
    facts = PriorityFacts(priorities=["SIP-1"], sip=None)

    assert reasons(facts) == [("unknown SIP priority 'SIP-1' (the school has no SIP on record)", 0)]


def test_each_reason_adds_its_weight_from_the_policy_set() -> None:
    weights = Priority(
        sip=5, agreed_in_appraisal=4, statutory_renewal=7, ect=3, directed=2, cost_per_participant=0
    )
    facts = PriorityFacts(
        priorities=["SIP-1"],
        sip=SIP,
        agreed_item_id="AG-7",
        statutory_kind="safeguarding",
        renewal_due=True,
        is_ect=True,
        directed=True,
        cost_gbp=Decimal("250.00"),
    )

    assert reasons(facts, weights) == [
        ("linked to SIP priority SIP-1: Early reading", 5),
        ("agreed in appraisal (item AG-7)", 4),
        ("statutory training due for renewal: safeguarding", 7),
        ("the requester is an Early Career Teacher", 3),
        ("directed by the school", 2),
    ]
    assert score(facts, weights).total == 21


def test_statutory_training_counts_only_when_its_renewal_is_due() -> None:
    facts = PriorityFacts(statutory_kind="first_aid", renewal_due=False)

    assert score(facts, DEFAULTS).total == 0


def test_the_cost_per_participant_lowers_the_score_per_whole_step() -> None:
    def cost_points(pounds: str, participants: int = 1) -> int:
        facts = PriorityFacts(cost_gbp=Decimal(pounds), participants=participants)
        return score(facts, DEFAULTS).total

    assert [cost_points(p) for p in ("99.99", "100.00", "180.00", "450.00")] == [0, -1, -1, -4]
    assert cost_points("450.00", participants=3) == -1  # £150 each


def test_the_cost_reason_says_what_each_participant_costs() -> None:
    facts = PriorityFacts(cost_gbp=Decimal("1200"), participants=2)
    weights = Priority(cost_per_participant=-2, cost_step_gbp=Decimal(250))

    assert reasons(facts, weights) == [("£600.00 per participant (2 participants)", -4)]


def test_a_reason_the_policy_weighs_at_nothing_is_left_out() -> None:
    facts = PriorityFacts(is_ect=True, directed=True, cost_gbp=Decimal(500))
    weights = Priority(ect=0, cost_per_participant=0)

    assert reasons(facts, weights) == [("directed by the school", 1)]


def test_the_facts_come_from_the_submitted_data_with_cover_and_appraisal() -> None:
    submitted = {
        "priorities": ["SIP-1", 7],
        "agreed_in_appraisal": True,
        "statutory_kind": "safeguarding",
        "directed": True,
        "cover_cost_gbp": "110.00",
        "participants": 2,
    }

    facts = from_submission(submitted, Decimal("90.00"), sip=SIP, is_ect=False, renewal_due=True)

    assert facts.priorities == ("SIP-1",)
    assert facts.agreed_in_appraisal and facts.directed and facts.renewal_due
    assert facts.statutory_kind == "safeguarding"
    assert (facts.cost_gbp, facts.participants) == (Decimal("200.00"), 2)


def test_malformed_optional_fields_are_read_as_absent_never_as_a_failure() -> None:
    submitted = {
        "priorities": "SIP-1",
        "agreed_in_appraisal": "yes",
        "agreed_item_id": "",
        "cover_cost_gbp": "lots",
        "participants": 0,
    }

    facts = from_submission(submitted, Decimal(40), sip=SIP, is_ect=False, renewal_due=False)

    assert facts == PriorityFacts(sip=SIP, cost_gbp=Decimal(40))
