"""The service on a copy of the scripted term, its clock at the end of the term, and an
HTTP client for it (no network between them)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from handlers.http import create_app
from handlers.service import Service
from tests.reports_term import REPORT_TIME, term_settings
from workflow.clock import FakeClock


@pytest.fixture
async def term_service(term_data_dir: Path) -> AsyncIterator[Service]:
    service = Service(term_settings(term_data_dir), clock=FakeClock(REPORT_TIME))
    await service.start()
    try:
        yield service
    finally:
        await service.stop()


@pytest.fixture
async def reports(term_service: Service) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(term_service))
    async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as http:
        yield http
