"""The pages that tell rather than ask: a link that cannot be used, a request that has moved
on, and what became of an answer. Each says what happened and what to do, never an error
page. Status codes: 404 for a link that is not one (or names no request), 410 for a used
or expired link, 200 for a request that has moved on when the link is opened (409 when
an answer is sent to it), 202 while an answer is still being recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi.responses import HTMLResponse

from handlers.forms import words
from handlers.forms.pages import notice
from handlers.forms.steps import Step
from handlers.forms.tokens import FormLink
from workflow.model import CpdRequest
from workflow.states import DISSEMINATION_NOT_REQUIRED
from workflow.store import HistoryEntry
from workflow.store.used_links import UsedLink

ASK_THE_LEAD = "Ask your school's CPD lead for a new link."
NOTHING_MORE = (
    "There is nothing more for you to do with this link. If you think something is wrong,"
    " contact your school's CPD lead."
)
THANKS = {
    "cpd.request.head_approved": "You approved this request.",
    "cpd.request.executive_approved": "You gave this request executive approval.",
    "cpd.request.head_rejected": "You rejected this request. Your reason is kept with it.",
    "cpd.request.executive_rejected": "You rejected this request. Your reason is kept with it.",
    "cpd.request.evaluated": "Your evaluation has been recorded.",
    "cpd.request.disseminated": "How you shared what you learned has been recorded.",
    "cpd.request.impact_reviewed": "The impact review has been recorded.",
}


def not_a_link() -> HTMLResponse:
    return notice(
        404,
        "This link does not work",
        "The link may have been cut short or changed when it was copied.",
        next_step=f"Open it again straight from the e-mail. If that does not work: {ASK_THE_LEAD}",
    )


def expired(days: int) -> HTMLResponse:
    return notice(
        410,
        "This link has expired",
        f"Links to forms work for {days} days after they are sent, and this one is older.",
        "Nothing has been recorded from it.",
        next_step=ASK_THE_LEAD,
    )


def no_such_request(link: FormLink) -> HTMLResponse:
    return notice(
        404,
        "We cannot find this request",
        f"There is no training request {link.request_id}.",
        next_step="Contact your school's CPD lead.",
    )


def used(found: UsedLink, names: Mapping[str, str], school: str) -> HTMLResponse:
    what = words.DONE.get(found.event_type, "An answer was sent")
    by = words.who(found.staff_id, names)
    return notice(
        410,
        "This link has already been used",
        f"{what} by {by} on {words.when(found.used_at)}, using this link.",
        "Each link can be used once.",
        next_step="There is nothing more to do. To change the answer, contact your school's"
        " CPD lead.",
        school=school,
    )


def being_recorded(school: str) -> HTMLResponse:
    return notice(
        202,
        "Your answer is being recorded",
        "An answer from this link has been sent and will be recorded in a moment.",
        next_step="You do not need to send it again. Open the link again later to check.",
        school=school,
    )


def moved_on(
    step: Step,
    request: CpdRequest,
    entries: Sequence[HistoryEntry],
    names: Mapping[str, str],
    school: str,
    *,
    status: int = 200,
) -> HTMLResponse:
    """The request no longer waits for this step: say who took it (or what happened
    instead) and where the request stands."""
    said = []
    answer = words.last_answer(entries, step.answers)
    if answer is None and step.name == "disseminate":
        answer = words.last_answer(entries, ["cpd.request.dissemination_waived"])
        if answer is None and request.dissemination == DISSEMINATION_NOT_REQUIRED:
            said.append("The school's CPD policy does not ask for this training to be shared.")
    answer = answer or (None if said else words.last_step(entries))
    if answer is not None:
        said.append(words.happened(answer, names))
    said.append(f"The request is now {words.state(request.state)}.")
    return notice(status, "Nothing more to do", *said, next_step=NOTHING_MORE, school=school)


def thanks(event_type: str, request: CpdRequest | None, school: str) -> HTMLResponse:
    said = [THANKS.get(event_type, "Your answer has been recorded.")]
    if request is not None:
        said.append(f"The request is now {words.state(request.state)}.")
    return notice(200, "Thank you", *said, next_step="There is nothing more to do.", school=school)


def refused(code: str | None, reason: str | None, school: str) -> HTMLResponse:
    """The engine refused the answer: the link is not used up, and the page says why."""
    not_yours = code in ("not_authorised", "unknown_actor")
    return notice(
        403 if not_yours else 409,
        "This could not be recorded",
        f"The CPD service did not accept it: {reason or 'no reason was given'}.",
        "Nothing has been recorded, and the link has not been used up.",
        next_step="If you think you should be able to do this, contact your school's CPD lead.",
        school=school,
    )


def not_sent(school: str) -> HTMLResponse:
    return notice(
        503,
        "Your answer could not be sent just now",
        "Nothing has been recorded, and the link has not been used up.",
        next_step="Please try again in a few minutes, using the same link.",
        school=school,
    )


def too_long() -> HTMLResponse:
    return notice(
        413,
        "Your answers are too long to send",
        "Nothing has been recorded.",
        next_step="Go back, shorten your answers and send them again.",
    )


def failed() -> HTMLResponse:
    return notice(
        500,
        "Something went wrong on our side",
        "Your answer may not have been recorded.",
        next_step="Open the link again in a few minutes: it will say whether your answer was"
        " recorded. If this keeps happening, contact your school's CPD lead.",
    )
