"""The whole service on a copy of the extended scripted term (tests/reports_people_term.py),
its clock at the term's last afternoon, and an HTTP client for it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from handlers.http import create_app
from handlers.service import Service
from tests.reports_people_term import REPORT_TIME, build_people_term_database
from tests.reports_term import copy_term_database, term_settings
from workflow.clock import FakeClock


@pytest.fixture(scope="session")
def people_term_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = tmp_path_factory.mktemp("people-term")
    with ThreadPoolExecutor(1) as thread:  # its own event loop, whatever the test's is
        return thread.submit(asyncio.run, build_people_term_database(built)).result()


@pytest.fixture
def people_data_dir(people_term_built: Path, tmp_path: Path) -> Path:
    return copy_term_database(people_term_built, tmp_path / "data")


@pytest.fixture
async def people_service(people_data_dir: Path) -> AsyncIterator[Service]:
    service = Service(term_settings(people_data_dir), FakeClock(REPORT_TIME))
    await service.start()
    try:
        yield service
    finally:
        await service.stop()


@pytest.fixture
async def people_client(people_service: Service) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(people_service))
    async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as http:
        yield http
