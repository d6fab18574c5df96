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
