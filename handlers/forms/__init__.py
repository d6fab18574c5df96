"""One-click forms that close the loop: the pages a form link in an e-mail opens.

`GET /forms/{token}` shows the page for the link's step; `POST /forms/{token}` sends the
answer as the step's CloudEvent. The token is the page's credential: these paths need no
API key or sign-in even when the rest of the service does (`FORMS_PREFIX` is the open
path prefix for the authentication of issue 8).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from handlers.forms import notices
from handlers.forms.flow import Forms
from handlers.service import Service

FORMS_PREFIX = "/forms"  # open to anyone holding a link: the token is the credential
log = logging.getLogger("cpd.forms")
__all__ = ["FORMS_PREFIX", "add_form_routes"]


def add_form_routes(app: FastAPI, service: Service) -> None:
    forms = Forms(service)

    # Pages for people, not part of the API: left out of the OpenAPI document.
    @app.get(FORMS_PREFIX + "/{token}", response_class=HTMLResponse, include_in_schema=False)
    async def open_form(token: str) -> HTMLResponse:
        try:
            return await forms.open(token)
        except Exception:
            log.exception("opening a form link failed")
            return notices.failed()

    @app.post(FORMS_PREFIX + "/{token}", response_class=HTMLResponse, include_in_schema=False)
    async def send_form(token: str, request: Request) -> HTMLResponse:
        try:
            return await forms.send(token, request)
        except Exception:
            log.exception("sending a form failed")
            return notices.failed()
