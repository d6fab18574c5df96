"""Form links for the whole service on its embedded NATS, with the lifecycle's people, and
one headless Chromium per test module for the browser tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver

from handlers.service import Service
from tests.handlers.forms.browser import chromium
from tests.handlers.forms.walk import form_path

MakeLink = Callable[..., str]


@pytest.fixture
def link(embedded_service: Service) -> MakeLink:
    """`link(request_id, step, staff_id, issued_at=now)`: the path a mail's link would open."""

    def make(request_id: str, step: str, staff_id: str, issued_at: datetime | None = None) -> str:
        at = issued_at or embedded_service.clock.now()
        return form_path(embedded_service.settings.data_dir, request_id, step, staff_id, at)

    return make


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    """Started once per module (a start takes a second or two); skipped with the reason
    when Debian's chromium is absent, failed instead under CPD_REQUIRE_BROKERS=1."""
    with chromium() as driver:
        yield driver
