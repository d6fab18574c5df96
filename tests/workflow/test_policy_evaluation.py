"""The evaluation questions of a policy set: a sensible default, a trust's own, checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workflow.policy_files import head_led, write
from workflow.policy import PolicySetsInvalid, default_policy_set, load_policy_dir

NEEDED = """\
[[evaluation.questions]]
id = "rating"
kind = "rating"
label = "How good was it?"
[[evaluation.questions]]
id = "impact_on_practice"
kind = "text"
label = "What will you do differently?"
[[evaluation.questions]]
id = "recommend_provider"
kind = "yes_no"
label = "Would you recommend them?"
"""


def loaded(tmp_path: Path, evaluation: str) -> list[tuple[str, str]]:
    write(tmp_path, "head-led.toml", head_led(extra=evaluation))
    (policy,) = load_policy_dir(tmp_path).sets
    return [(q.id, q.kind) for q in policy.evaluation.questions]


def problems(tmp_path: Path, evaluation: str) -> list[str]:
    write(tmp_path, "head-led.toml", head_led(extra=evaluation))
    with pytest.raises(PolicySetsInvalid) as refused:
        load_policy_dir(tmp_path)
    return [str(p) for p in refused.value.problems]


def test_the_default_set_asks_rating_learning_impact_recommendation_and_follow_up() -> None:
    questions = default_policy_set().evaluation.questions
    assert [(q.id, q.kind) for q in questions] == [
        ("rating", "rating"),
        ("learned", "text"),
        ("impact_on_practice", "text"),
        ("recommend_provider", "yes_no"),
        ("follow_up_wanted", "yes_no"),
    ]
    follow_up = questions[-1]
    assert follow_up.note is not None and follow_up.note_id == "follow_up_wanted_note"


def test_a_set_without_an_evaluation_section_asks_the_default_questions(tmp_path: Path) -> None:
    assert loaded(tmp_path, "") == [
        (q.id, q.kind) for q in default_policy_set().evaluation.questions
    ]


def test_a_trust_may_ask_its_own_questions_beside_the_three_the_record_needs(
    tmp_path: Path,
) -> None:
    own = NEEDED + '[[evaluation.questions]]\nid = "again"\nkind = "yes_no"\nlabel = "Go again?"\n'
    assert loaded(tmp_path, own)[-1] == ("again", "yes_no")


@pytest.mark.parametrize(
    ("evaluation", "problem"),
    [
        (
            '[evaluation]\nquestions = [{ id = "rating", kind = "stars", label = "How good?" }]',
            'evaluation.questions[0].kind: must be one of rating, text, yes_no (got "stars")',
        ),
        (
            NEEDED.replace('label = "How good was it?"', 'lable = "How good was it?"'),
            "evaluation.questions[0].lable: unknown key (did you mean label?)",
        ),
        (
            NEEDED.replace('kind = "yes_no"', 'kind = "text"'),
            "evaluation: must ask rating (rating), impact_on_practice (text), recommend_provider"
            " (yes_no), each required, as the evaluation record needs them (wrong or missing:"
            " recommend_provider)",
        ),
        (
            "[evaluation]\nquestions = []",
            "evaluation: must ask rating (rating), impact_on_practice (text), recommend_provider"
            " (yes_no), each required, as the evaluation record needs them (wrong or missing:"
            " rating, impact_on_practice, recommend_provider)",
        ),
        (
            NEEDED.replace('label = "How good was it?"', 'label = "How good?"\nnote = "Why?"'),
            "evaluation.questions[0]: note is for yes_no questions only",
        ),
        (
            NEEDED + '[[evaluation.questions]]\nid = "rating"\nkind = "text"\nlabel = "Again?"\n',
            "evaluation: each question needs its own id (used twice: rating)",
        ),
    ],
)
def test_a_mistake_in_the_questions_is_named_by_key_and_problem(
    tmp_path: Path, evaluation: str, problem: str
) -> None:
    assert f"head-led.toml: {problem}" in problems(tmp_path, evaluation)
