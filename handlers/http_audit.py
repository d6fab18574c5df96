"""`GET /audit` (the chain's entries, searched, a page at a time, as JSON or CSV) and
`GET /audit/head` (its last entry, for a trust to keep elsewhere)."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request, Response

from handlers import http_reach, views
from handlers.http_access import CallerDep
from handlers.service import Service
from schemas.http_bodies import AuditHead, AuditPage
from workflow.access import Caller
from workflow.audit import COLUMNS, DEFAULT_LIMIT, MAX_LIMIT, InvalidCursor, search_of
from workflow.errors import DomainError
from workflow.states import State
from workflow.store.audit import head
from workflow.store.audit_search import Reader, search

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
NEXT_CURSOR_HEADER = "X-Next-Cursor"
Text = Annotated[str | None, Query(min_length=1, max_length=200)]
When = Annotated[str | None, Query(max_length=40, description="inclusive: a date or date-time")]
_PAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "description": "the page; as CSV (format=csv), the next cursor in X-Next-Cursor",
    },
    400: {"description": "a cursor this service did not give"},
}


def add_audit_routes(app: FastAPI, service: Service) -> None:
    @app.get("/audit/head", response_model=AuditHead)
    async def get_audit_head() -> Response:
        """The chain's last entry, `{"seq": …, "hash": …}`: what `cpd audit head` prints."""
        found = await service.store.on_reader(head)
        return views.ok(AuditHead(seq=found.seq, hash=found.hash))

    @app.get("/audit", response_model=AuditPage, responses=_PAGE_RESPONSES)
    async def get_audit(
        request: Request,
        caller: CallerDep,
        request_id: Text = None,
        staff_id: Text = None,
        school_id: Text = None,
        actor: Text = None,
        event_type: Text = None,
        state: State | None = None,
        outcome: Literal["applied", "refused", "reminder"] | None = None,
        since: Annotated[str | None, Query(alias="from", max_length=40)] = None,
        to: When = None,
        order: Literal["oldest", "newest"] = "oldest",
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        cursor: Annotated[str | None, Query(max_length=200, description="`next_cursor`")] = None,
        format: Literal["json", "csv"] = "json",
    ) -> Response:
        """Audit entries, oldest or newest first, every filter combinable: `state` is the
        state an entry left its request in; `staff_id` finds entries about the person, by
        them, and reminders to them; `from` and `to` are inclusive. A person sees only
        entries within their reach."""
        filters = {
            "request_id": request_id,
            "staff_id": staff_id,
            "school_id": school_id,
            "actor": actor,
            "event_type": event_type,
            "state": state.value if state else None,
            "outcome": outcome,
        }
        try:
            asked = search_of(filters, since=since, to=to, order=order, limit=limit, cursor=cursor)
        except DomainError as error:
            status = 400 if isinstance(error, InvalidCursor) else 422
            return views.error(status, error.code, error.reason)
        reader = await _reader(service, caller)
        page = await service.store.on_reader(search, asked, reader)
        if format == "csv":
            return _csv(request, page.entries, page.next_cursor)
        body = {"entries": page.entries, "next_cursor": page.next_cursor}
        return views.ok(AuditPage.model_validate(body))


async def _reader(service: Service, caller: Caller | None) -> Reader | None:
    within = await http_reach.reach(service, caller)
    if within.everything:
        return None
    own = {within.staff_id} if within.staff_id else set()
    return Reader(within.staff_id, within.schools, own | within.reports)


def _csv(request: Request, entries: list[dict[str, Any]], next_cursor: str | None) -> Response:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([entry[c] for c in COLUMNS] for entry in entries)
    headers = {}
    if next_cursor is not None:
        headers[NEXT_CURSOR_HEADER] = next_cursor
        headers["Link"] = f'<{request.url.include_query_params(cursor=next_cursor)}>; rel="next"'
    return Response(text.getvalue(), media_type=CSV_MEDIA_TYPE, headers=headers)
