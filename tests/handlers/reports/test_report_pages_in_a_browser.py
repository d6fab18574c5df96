"""The report pages in Debian's headless Chromium, with the network switched off: the
inline SVG charts drawn with their bars and labels, a withheld figure marked with its
footnote, nothing fetched from anywhere, and an A4 PDF printed from the page."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions

from handlers.reports import render_html
from tests.handlers.forms.browser import chromium
from tests.handlers.reports.test_report_forms import REPORT as WITHHELD
from tests.reports_term import WALMLEY


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    with chromium() as driver:
        driver.execute_cdp_cmd("Network.enable", {})
        offline = {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0}
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", offline)
        yield driver


def open_page(browser: WebDriver, html: str, path: Path) -> None:
    path.write_text(html, encoding="utf-8")
    browser.get(path.as_uri())


def fetched(browser: WebDriver) -> list[str]:
    """Every resource the page asked for beyond itself."""
    names = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    return list(names)


async def test_the_termly_page_draws_its_charts_offline_and_prints_on_a4(
    reports: httpx.AsyncClient, browser: WebDriver, tmp_path: Path
) -> None:
    answer = await reports.get(
        "/reports/termly", params={"school_id": WALMLEY, "term": "2026-autumn", "format": "html"}
    )
    open_page(browser, answer.text, tmp_path / "termly.html")

    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 6
    assert fetched(browser) == []
    priority = next(
        c
        for c in charts
        if "SIP priority" in c.find_element(By.TAG_NAME, "title").get_attribute("textContent")
    )
    labels = [t.text for t in priority.find_elements(By.CSS_SELECTOR, "text.label")]
    assert labels == ["Early reading", "Maths mastery", "Not linked to a SIP priority"]
    values = [t.text for t in priority.find_elements(By.CSS_SELECTOR, "text.value")]
    assert values == ["£600.00", "£485.00", "£600.00", "£300.00", "£0.00", "£140.00"]
    widths = browser.execute_script(
        "return [...arguments[0].querySelectorAll('rect.bar')].map(r => r.getBBox().width)",
        priority,
    )
    assert len(widths) == 6 and max(widths) > 0 and widths[4] == 0

    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7  # A4, in centimetres
    pdf = base64.b64decode(browser.print_page(options))
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 2


async def test_the_trust_summary_page_draws_a_bar_per_school(
    reports: httpx.AsyncClient, browser: WebDriver, tmp_path: Path
) -> None:
    answer = await reports.get(
        "/reports/trust", params={"from": "2026-09-01", "to": "2026-12-31", "format": "html"}
    )
    open_page(browser, answer.text, tmp_path / "trust.html")

    chart = browser.find_elements(By.CSS_SELECTOR, "svg.chart")[0]
    labels = [t.text for t in chart.find_elements(By.CSS_SELECTOR, "text.label")]
    assert labels == ["Elmhurst Academy", "Northfield Primary", "Walmley Infant School"]
    assert len(chart.find_elements(By.CSS_SELECTOR, "rect.bar")) == 3
    assert fetched(browser) == []


def test_a_withheld_figure_shows_its_mark_and_the_footnote_says_why(
    browser: WebDriver, tmp_path: Path
) -> None:
    open_page(browser, render_html(WITHHELD), tmp_path / "withheld.html")

    withheld = browser.find_elements(By.CSS_SELECTOR, "td.suppressed")
    assert [cell.text for cell in withheld] == ["—*", "—*"]
    assert browser.find_element(By.ID, "suppressed-note").is_displayed()
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")
    assert len(bars) == 1  # the withheld figure draws no bar
