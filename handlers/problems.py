"""Every error answer is an RFC 9457 problem body, the framework's own errors included.

`type` is `urn:cpd-workflow:problem:<code>`, `title` comes from one table, keyed by the code,
and the members clients read before this shape (`error`, `message`) stay beside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from schemas.http_bodies import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_PREFIX, Problem

# One short title per code, whichever endpoint answers with it.
TITLES: dict[str, str] = {
    # Input the HTTP edge refuses before any work
    "invalid_event": "Not a valid event",
    "body_too_large": "Body too large",
    "too_many_events": "Too many events in the batch",
    "unsupported_media_type": "Unsupported media type",
    "invalid_parameters": "Invalid parameters",
    "unknown_kind": "Unknown follow-up kind",
    "invalid_cursor": "Cursor not recognised",
    # Things asked for that do not exist
    "not_found": "No such endpoint",
    "method_not_allowed": "Method not allowed",
    "unknown_event": "Unknown event",
    "ambiguous_event": "Ambiguous event id",
    "unknown_request": "Unknown CPD request",
    "unknown_staff": "Unknown member of staff",
    "unknown_school": "Unknown school",
    # A refused event (409): the workflow's, the directory's and the policy sets' codes
    "rejected": "Event refused",
    "domain_error": "Event refused",
    "invalid_transition": "Step not allowed in this state",
    "guard_failed": "Refused by the policy set",
    "request_exists": "Request already exists",
    "unknown_actor": "Actor not in the directory",
    "not_authorised": "Actor may not take this step",
    "directory_refused": "Refused by the directory",
    "subject_mismatch": "Subject does not match the data",
    "unknown_policy_set": "Unknown policy set",
    "unknown_term_dates": "Unknown term-dates file",
    "policy_set_not_in_force": "No policy set in force",
    # Obligations: statutory training, agreed CPD, in-house sessions
    "unknown_statutory_kind": "Not statutory training in the set",
    "unknown_session": "Unknown session",
    "session_exists": "Session already recorded",
    "unknown_agreed_item": "Unknown agreed CPD",
    "agreed_item_exists": "Agreed CPD belongs to someone else",
    "date_in_future": "Date in the future",
    "dead_letter": "Event kept as a dead letter",
    # Dead letters put back through the queue (handlers/dead_letter_replay.py)
    "unknown_dead_letter": "Unknown dead letter",
    "already_replayed": "Dead letter already replayed",
    "already_processed": "Event already processed",
    # Repayment claims (workflow.repayment.decisions)
    "unknown_repayment_claim": "Unknown repayment claim",
    "repayment_already_confirmed": "Repayment claim already confirmed",
    "repayment_already_waived": "Repayment claim already waived",
    "over_budget": "Over the school's CPD budget",
    "not_a_financial_year": "Not one of the school's financial years",
    # Who is calling (workflow.access): 401 without credentials that hold, 403 without right
    "unauthenticated": "Credentials needed",
    "missing_credentials": "Credentials needed",
    "invalid_key": "API key not accepted",
    "invalid_token": "Sign-in token not accepted",
    "unknown_person": "Not a current person of the directory",
    "sign_in_unavailable": "The trust's sign-in cannot be reached",
    "forbidden": "Not allowed",
    "missing_scope": "The key lacks the scope this needs",
    "actor_mismatch": "You may act only as yourself",
    "person_required": "Only a person may take this step",
    "actor_not_in_directory": "Actor not in the directory",
    "out_of_reach": "Outside what you may read",
    "unknown_scope": "Unknown scope",
    # The service itself
    "broker_unavailable": "Broker unavailable",
    "schema_too_new": "Database from a newer release",
    "internal_error": "Internal error",
}

# Framework errors that carry only an HTTP status get a code of their own.
_CODES_BY_STATUS = {404: "not_found", 405: "method_not_allowed", 422: "invalid_parameters"}


def title(code: str, http_status: int) -> str:
    """The table's title, or the status's reason phrase for a code it does not know."""
    if code in TITLES:
        return TITLES[code]
    try:
        return HTTPStatus(http_status).phrase
    except ValueError:
        return "Error"


def problem(http_status: int, code: str, detail: str, **extra: Any) -> Problem:
    """The problem body; `extra` adds members (`problems`, `id`, `event_status`, ...)."""
    return Problem.model_validate(
        {
            "type": PROBLEM_TYPE_PREFIX + code,
            "title": title(code, http_status),
            "status": http_status,
            "detail": detail,
            "error": code,
            "message": detail,
            **extra,
        }
    )


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def problem_response(body: Problem, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return ProblemResponse(
        body.model_dump(mode="json", exclude_unset=True), body.status, headers=headers
    )


def answer_framework_errors_as_problems(app: FastAPI) -> None:
    """An unknown route, a wrong method, a bad parameter and an unexpected failure answer
    in the same shape as the service's own refusals."""

    async def http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        status = error.status_code
        code = _CODES_BY_STATUS.get(status) or _code_of(status)
        detail = str(error.detail)
        if status == 404:
            detail = f"no endpoint {request.url.path}"
        elif status == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        return problem_response(problem(status, code, detail), error.headers)

    async def invalid_parameters(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        problems = [
            {"loc": [str(p) for p in e["loc"]], "msg": e["msg"], "type": e["type"]}
            for e in error.errors()
        ]
        where = ", ".join(".".join(p["loc"]) for p in problems)
        body = problem(422, "invalid_parameters", f"invalid {where}", problems=problems)
        return problem_response(body)

    async def internal_error(_: Request, __: Exception) -> JSONResponse:
        # The server logs the trace; the caller learns only that it failed.
        body = problem(500, "internal_error", "the service failed to handle this request")
        return problem_response(body)

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_parameters)
    app.add_exception_handler(Exception, internal_error)


def _code_of(http_status: int) -> str:
    try:
        return HTTPStatus(http_status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "http_error"
