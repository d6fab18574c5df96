"""An HTTP client for the whole service on its embedded NATS (no network between them)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from handlers.http import create_app
from handlers.service import Service


@pytest.fixture
async def client(embedded_service: Service) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(embedded_service)  # the fixture already started the service
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as http:
        yield http
