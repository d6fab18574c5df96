"""The five steps a form link can be for: what each page asks, which event it sends, and
when the request is waiting for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from handlers.forms.fields import IMPACT_WORDS, Field
from workflow.model import CpdRequest
from workflow.policy import PolicySet, Question
from workflow.states import DISSEMINATION_REQUIRED, REVIEWABLE_STATES, State

EVENT = "cpd.request."


@dataclass(frozen=True)
class Step:
    name: str  # as in the token
    heading: str
    template: str
    answers: tuple[str, ...]  # the event types that answer it (approve, reject)
    waiting: Callable[[CpdRequest], bool]
    fields: Callable[[PolicySet], tuple[Field, ...]] = lambda _: ()
    intro: str = ""  # the first words of the page; {requester} is the member of staff


def evaluation_fields(policy: PolicySet) -> tuple[Field, ...]:
    """The request's policy set's questions; a yes/no question's note is a field of its own."""
    fields: list[Field] = []
    for question in policy.evaluation.questions:
        fields.append(_asked(question))
        if question.note is not None and question.note_id is not None:
            fields.append(Field(question.note_id, "text", question.note, required=False))
    return tuple(fields)


def _asked(question: Question) -> Field:
    return Field(question.id, question.kind, question.label, question.hint, question.required)


DISSEMINATION_FIELDS = (
    Field(
        "method",
        "line",
        "How did you share what you learned?",
        "For example a staff meeting, a training session or a written summary.",
        missing="Say how you shared what you learned",
    ),
    Field(
        "disseminated_on",
        "date",
        "When did you share it?",
        missing="Enter the date you shared it",
    ),
    Field(
        "audience",
        "line",
        "Who did you share it with?",
        "For example the whole staff, the Key Stage 1 team or the teaching assistants.",
        missing="Say who you shared it with",
    ),
)

IMPACT_FIELDS = (
    Field(
        "impact_rating",
        "rating",
        "How much difference has the training made?",
        scale=IMPACT_WORDS,
    ),
    Field(
        "summary",
        "text",
        "What has changed?",
        "What the member of staff now does differently, and what difference it makes.",
        missing="Say what has changed",
    ),
    Field(
        "evidence",
        "text",
        "What shows it? (optional)",
        "For example lesson observations, pupils' work or data.",
        required=False,
    ),
    Field("reviewed_on", "date", "Date of this review", missing="Enter the date of this review"),
)

STEPS = {
    step.name: step
    for step in (
        Step(
            "approve_head",
            "Head teacher approval",
            "approval.html",
            (f"{EVENT}head_approved", f"{EVENT}head_rejected"),
            lambda r: r.state == State.REQUESTED,
        ),
        Step(
            "approve_executive",
            "Executive approval",
            "approval.html",
            (f"{EVENT}executive_approved", f"{EVENT}executive_rejected"),
            lambda r: r.state == State.HEAD_APPROVED,
        ),
        Step(
            "evaluate",
            "How did the training go?",
            "questions.html",
            (f"{EVENT}evaluated",),
            lambda r: r.state == State.COMPLETED,
            evaluation_fields,
            "Please tell us how the training went. It takes about five minutes.",
        ),
        Step(
            "disseminate",
            "Sharing what you learned",
            "questions.html",
            (f"{EVENT}disseminated",),
            lambda r: r.state == State.EVALUATED and r.dissemination == DISSEMINATION_REQUIRED,
            lambda _: DISSEMINATION_FIELDS,
            "Please record how you shared what you learned with colleagues.",
        ),
        Step(
            "impact_review",
            "Impact review",
            "questions.html",
            (f"{EVENT}impact_reviewed",),
            lambda r: r.state in REVIEWABLE_STATES and "impact_reviewed" not in r.details,
            lambda _: IMPACT_FIELDS,
            "Please look back at what difference this training has made to {requester}'s work.",
        ),
    )
}
