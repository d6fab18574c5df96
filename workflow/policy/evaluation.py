"""The questions a participant answers after the training (`[evaluation]` of a policy set).

The evaluation form asks them; the answers are kept in the `cpd.request.evaluated` event's
`data`, each under its question's `id` (a yes/no question's note under `<id>_note`). The
event itself needs three answers (schemas/inbound.py `Evaluated`), so every set must ask
them, with those ids and kinds; a trust adds its own questions around them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictStr,
    StringConstraints,
    model_validator,
)

QuestionId = Annotated[StrictStr, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Words = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]

# What the evaluation record needs, whatever else a trust asks: id -> kind.
NEEDED = {"rating": "rating", "impact_on_practice": "text", "recommend_provider": "yes_no"}
NOTE_SUFFIX = "_note"


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: QuestionId
    kind: Literal["rating", "text", "yes_no"]  # 1 to 5; words; yes or no
    label: Words  # the question as the form asks it
    hint: Words | None = None  # a line under the question, e.g. an example answer
    required: StrictBool = True
    note: Words | None = None  # yes_no only: the label of an optional box to say more

    @model_validator(mode="after")
    def _note_only_on_yes_no(self) -> Question:
        if self.note is not None and self.kind != "yes_no":
            raise ValueError("note is for yes_no questions only")
        return self

    @property
    def note_id(self) -> str | None:
        return f"{self.id}{NOTE_SUFFIX}" if self.note is not None else None


DEFAULT_QUESTIONS: tuple[Question, ...] = (
    Question(id="rating", kind="rating", label="Overall, how good was the training?"),
    Question(
        id="learned",
        kind="text",
        label="What did you learn?",
        hint="The two or three things you will remember.",
    ),
    Question(
        id="impact_on_practice",
        kind="text",
        label="How will it change what you do at work?",
        hint="For example a new routine in class, or a change to how you plan.",
    ),
    Question(
        id="recommend_provider",
        kind="yes_no",
        label="Would you recommend this provider to a colleague?",
    ),
    Question(
        id="follow_up_wanted",
        kind="yes_no",
        label="Would you like any follow-up, such as more training or support?",
        note="What would help? (optional)",
    ),
)


class Evaluation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    questions: tuple[Question, ...] = DEFAULT_QUESTIONS

    @model_validator(mode="after")
    def _asks_what_the_record_needs(self) -> Evaluation:
        ids = [q.id for q in self.questions] + [q.note_id for q in self.questions if q.note_id]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"each question needs its own id (used twice: {', '.join(twice)})")
        kinds = {q.id: (q.kind, q.required) for q in self.questions}
        wrong = [i for i, kind in NEEDED.items() if kinds.get(i) != (kind, True)]
        if wrong:
            needed = ", ".join(f"{i} ({kind})" for i, kind in NEEDED.items())
            raise ValueError(
                f"must ask {needed}, each required, as the evaluation record needs them"
                f" (wrong or missing: {', '.join(wrong)})"
            )
        return self
