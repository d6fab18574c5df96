"""Every route the service serves is named in workflow.access: open, or with its scope."""

from __future__ import annotations

from fastapi.routing import APIRoute

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from workflow.access import ROUTE_SCOPES, is_open


def test_every_route_is_open_or_has_its_scope_listed() -> None:
    app = create_app(Service(Settings()))
    unlisted = [
        (method, route.path)
        for route in app.routes
        if isinstance(route, APIRoute)
        for method in route.methods
        if not is_open(route.path) and (method, route.path) not in ROUTE_SCOPES
    ]

    assert unlisted == []


def test_the_forms_are_open_because_their_link_is_the_credential() -> None:
    assert is_open("/forms/{token}")


def test_the_document_says_which_routes_need_a_bearer_and_what_a_refusal_looks_like() -> None:
    document = create_app(Service(Settings())).openapi()

    for path, item in document["paths"].items():
        for operation in item.values():
            guarded = not is_open(path)
            assert ("security" in operation) is guarded, path
            assert {"401", "403"} <= set(operation["responses"]) or not guarded, path
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
