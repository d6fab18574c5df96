"""HTTP reads of the approval queues and of requests page by page.

`GET /queues/head?school_id=` and `GET /queues/executive` (scope `read:reports`): the
requests waiting at that step, highest priority first, then the longest waiting. `GET
/requests` (scope `read:requests`): requests newest first, a page at a time. A person
reads within their reach: a school's queue or list needs the whole school (a head
teacher, a CPD lead: theirs; an executive lead: the trust's); the executive queue and an
unfiltered list hold only what they may read.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from fastapi import FastAPI, Query, Response

from handlers import http_reach, views
from handlers.http_access import CallerDep
from handlers.service import Service
from schemas.http_bodies import QueueItemView, QueueView, ReasonView, RequestPage
from workflow.access import Caller, Reach, check_school_list
from workflow.directory import school_as_of
from workflow.directory.store import schools_as_of
from workflow.priority.queue import Queue, Step, school_budget, waiting_queue
from workflow.states import State
from workflow.store.request_pages import Filters, InvalidCursor, Within, request_page

SchoolId = Annotated[str, Query(min_length=1, max_length=200)]
QueueLimit = Annotated[int, Query(ge=1, le=5000, description="most items to list")]


def add_queue_routes(app: FastAPI, service: Service) -> None:
    @app.get("/queues/head", response_model=QueueView, responses=views.NOT_FOUND)
    async def head_queue(
        caller: CallerDep, school_id: SchoolId, limit: QueueLimit = 1000
    ) -> Response:
        """The school's requests waiting for the head teacher's approval."""
        within = await http_reach.reach(service, caller)
        _whole_school(caller, within, school_id)
        now = service.clock.now()
        if await service.store.on_reader(school_as_of, school_id, now) is None:
            return views.error(404, "unknown_school", f"no school '{school_id}' in the directory")
        queue, (year, remaining) = await service.store.on_reader(
            _head, school_id, service, now, limit
        )
        return _answer(_view(queue, school_id, year, remaining))

    @app.get("/queues/executive", response_model=QueueView)
    async def executive_queue(
        caller: CallerDep,
        trust_id: Annotated[
            str | None, Query(max_length=200, description="only its schools")
        ] = None,
        limit: QueueLimit = 1000,
    ) -> Response:
        """Requests waiting for the executive lead's approval: for a person, their schools'
        (an executive lead: the trust's); else every school's, or one trust's."""
        within = await http_reach.reach(service, caller)
        now = service.clock.now()
        queue = await service.store.on_reader(
            _executive, None if within.everything else within.schools, trust_id, service, now, limit
        )
        return _answer(_view(queue, None, None, None))

    @app.get(
        "/requests", response_model=RequestPage, responses={422: {"description": "bad cursor"}}
    )
    async def list_requests(
        caller: CallerDep,
        school_id: Annotated[str | None, Query(max_length=200)] = None,
        state: State | None = None,
        staff_id: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        cursor: Annotated[str | None, Query(max_length=1000, description="`next_cursor`")] = None,
    ) -> Response:
        """Requests, newest first, a page at a time: follow `next_cursor` to the end."""
        within = await http_reach.reach(service, caller)
        readable = _readable(within)
        if school_id is not None:  # the whole school, or refused: nothing more to filter
            _whole_school(caller, within, school_id)
            readable = Within()
        filters = Filters(school_id, state.value if state else None, staff_id)
        try:
            page = await service.store.on_reader(request_page, filters, readable, limit, cursor)
        except InvalidCursor as error:
            return views.error(422, error.code, error.reason)
        body = {"items": page.items, "next_cursor": page.next_cursor}
        return views.ok(RequestPage.model_validate(body))


def _whole_school(caller: Caller | None, within: Reach, school_id: str) -> None:
    if caller is not None:
        check_school_list(caller, within, school_id)


def _readable(within: Reach) -> Within:
    if within.everything:
        return Within()
    own = {within.staff_id} if within.staff_id else set()
    return Within(schools=within.schools, people=own | within.reports)


def _head(
    db: sqlite3.Connection, school_id: str, service: Service, now: datetime, limit: int
) -> tuple[Queue, tuple[str, Decimal | None]]:
    governance = service.store.governance
    queue = waiting_queue(
        db,
        Step.HEAD,
        {school_id},
        governance=governance,
        school_days=service.calendars.school_days(db, now),
        now=now,
        limit=limit,
    )
    return queue, school_budget(db, school_id, governance, now)


def _executive(
    db: sqlite3.Connection,
    schools: frozenset[str] | None,
    trust_id: str | None,
    service: Service,
    now: datetime,
    limit: int,
) -> Queue:
    if trust_id is not None:
        trusts = frozenset(
            s.school_id for s in schools_as_of(db, now).values() if s.trust_id == trust_id
        )
        schools = trusts if schools is None else schools & trusts
    return waiting_queue(
        db,
        Step.EXECUTIVE,
        schools,
        governance=service.store.governance,
        school_days=service.calendars.school_days(db, now),
        now=now,
        limit=limit,
    )


def _view(
    queue: Queue, school_id: str | None, year: str | None, remaining: Decimal | None
) -> QueueView:
    """The body, built from the queue's own typed values without validating them again: a
    trust's queue holds a thousand items, and validation was a fifth of its answer's time."""
    items = [
        QueueItemView.model_construct(
            request_id=i.request_id,
            score=i.score.total,
            reasons=[
                ReasonView.model_construct(text=r.text, weight=r.weight) for r in i.score.reasons
            ],
            days_waiting=i.days_waiting,
            waiting_since=i.waiting_since,
            staff_id=i.staff_id,
            school_id=i.school_id,
            title=i.title,
            start_date=i.start_date.isoformat(),
            cost_gbp=f"{i.cost_gbp:.2f}",
            rule=i.rule,
            financial_year=i.financial_year,
            budget_remaining_gbp=_pounds(i.budget_remaining_gbp),
        )
        for i in queue.items
    ]
    return QueueView.model_construct(
        step=queue.step.value,
        school_id=school_id,
        financial_year=year,
        budget_remaining_gbp=_pounds(remaining),
        total=queue.total,
        items=items,
    )


def _answer(view: QueueView) -> Response:
    # Serialised by pydantic-core straight to JSON bytes: a third of the time of dumping to
    # Python objects and encoding those, for a body of a thousand items.
    return Response(view.model_dump_json(exclude_unset=True), media_type="application/json")


def _pounds(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"
