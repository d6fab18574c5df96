"""/openapi.json: every body of every route, errors included, and every `$ref` resolving.

FastAPI documents the success bodies from each route's models; this adds what it cannot
know: that every error answer is a problem body, and the events `POST /events` takes."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema

from schemas import openapi_events
from schemas.http_bodies import PROBLEM_MEDIA_TYPE, Problem
from workflow.access import is_open

REF = "#/components/schemas/"
_PROBLEM = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": REF + "Problem"}}}
# FastAPI's own shape for a 422, which this service never answers with.
_FASTAPI_VALIDATION = {"HTTPValidationError", "ValidationError"}
UNEXPECTED = "an unexpected failure (the server logs it)"
UNAUTHENTICATED = (
    "once access is on (a key made or sign-in configured): no credentials, or ones that do"
    " not hold (an unknown or revoked key, a bad or expired token, a person not in the"
    " directory); with `WWW-Authenticate: Bearer`"
)
FORBIDDEN = "the key or person lacks the scope, reach or standing this needs"


def document_the_contract(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented extension point


def _document(app: FastAPI) -> dict[str, Any]:
    document = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
    )
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_VALIDATION:
        schemas.pop(name, None)
    for name, schema in {**_problem_schemas(), **openapi_events.components()}.items():
        schemas.setdefault(name, schema)
    for path, operation in _operations(document):
        responses = operation.setdefault("responses", {})
        if is_open(path):
            operation.pop("security", None)  # the health checks and documents need no key
        else:
            responses.setdefault("401", {"description": UNAUTHENTICATED})
            responses.setdefault("403", {"description": FORBIDDEN})
        responses.setdefault("500", {"description": UNEXPECTED})
        for status, response in responses.items():
            if status[0] in "45" and _names_no_body(response):
                response["content"] = _PROBLEM
    return document


def _problem_schemas() -> dict[str, Any]:
    _, top = models_json_schema([(Problem, "serialization")], ref_template=REF + "{model}")
    return dict(top.get("$defs", {}))


def _operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    methods = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
    return [
        (path, operation)
        for path, item in document.get("paths", {}).items()
        for method, operation in item.items()
        if method in methods
    ]


def _names_no_body(response: dict[str, Any]) -> bool:
    """True for an error response declared without a body, or with FastAPI's 422 body."""
    content = response.get("content")
    return not content or any(
        media.get("schema", {}).get("$ref", "").removeprefix(REF) in _FASTAPI_VALIDATION
        for media in content.values()
    )
