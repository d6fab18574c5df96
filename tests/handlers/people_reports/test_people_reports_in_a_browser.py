"""The equality and provider pages opened in headless Chromium with the network off: their
charts are drawn (SVG bars and lines, with labels) and the suppressed cells are marked; the
portfolio prints on A4. Each page is saved as a file and opened from disk, so nothing the
page needed could come from the service or anywhere else."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions

from tests.handlers.forms.browser import chromium

AUTUMN = {"from": "2026-09-01", "to": "2026-12-31"}
A4_POINTS = (595.28, 841.89)  # 210 mm x 297 mm
A4_CSS_PIXELS = 794  # 210 mm at 96 pixels to the inch


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    with chromium() as driver:
        # Offline: a page that fetched anything (a font, a script, a chart library) breaks.
        driver.set_network_conditions(
            offline=True, latency=0, download_throughput=0, upload_throughput=0
        )
        yield driver


async def opened(
    client: httpx.AsyncClient, driver: WebDriver, folder: Path, path: str, **params: str
) -> None:
    answer = await client.get(path, params={**params, "format": "html"})
    assert answer.status_code == 200, answer.text
    page = folder / f"{path.strip('/').replace('/', '-')}.html"
    page.write_text(answer.text, encoding="utf-8")
    driver.get(page.as_uri())
    fetched = driver.execute_script("return performance.getEntriesByType('resource').length")
    assert fetched == 0


async def test_the_equality_page_draws_its_bars_and_marks_suppressed_cells(
    people_client: httpx.AsyncClient, browser: WebDriver, tmp_path: Path
) -> None:
    await opened(people_client, browser, tmp_path, "/reports/equality", **AUTUMN)
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart-bar")
    # Two for Walmley; none where fewer than two groups are shown (Elmhurst, Northfield
    # and the trust: everything but their whole staff suppressed).
    assert len(charts) == 2
    walmley = browser.find_element(By.ID, "table-groups_S-WALMLEY")
    withheld = walmley.find_elements(By.CSS_SELECTOR, "td.suppressed")
    assert len(withheld) == 3 * 7  # support, leadership, ECTs: every figure
    assert {cell.text for cell in withheld} == {"—*"}
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.chart-bar rect.bar")
    labels = {t.text for t in browser.find_elements(By.CSS_SELECTOR, "svg.chart-bar text.label")}
    assert bars and {"All staff and governors", "Teaching", "Part-time", "Leadership"} <= labels
    shown = [b for b in bars if b.size["width"] > 0]
    assert shown, "every bar is drawn with no width"
    assert browser.find_element(By.ID, "suppressed-note").is_displayed()


async def test_the_provider_page_draws_its_trend_as_lines(
    people_client: httpx.AsyncClient, browser: WebDriver, tmp_path: Path
) -> None:
    await opened(
        people_client,
        browser,
        tmp_path,
        "/reports/providers",
        **{"from": "2026-06-01", "to": "2027-03-31"},
    )
    lines = browser.find_elements(By.CSS_SELECTOR, "svg.chart-line polyline.line")
    assert len(lines) >= 2  # participants and ratings of Reading Hub, at least
    labels = {t.text for t in browser.find_elements(By.CSS_SELECTOR, "svg.chart-line text.label")}
    assert {"2026-summer", "2026-autumn", "2027-spring"} <= labels
    legend = {t.text for t in browser.find_elements(By.CSS_SELECTOR, "svg.chart-line text.legend")}
    assert {"Reading Hub", "SEND Online"} <= legend
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart-bar rect.bar")


async def test_a_portfolio_prints_on_a4(
    people_client: httpx.AsyncClient, browser: WebDriver, tmp_path: Path
) -> None:
    await opened(people_client, browser, tmp_path, "/staff/T-W1/portfolio")
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7  # centimetres
    pdf = base64.b64decode(browser.print_page(options))
    assert pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes, "no page in the PDF"
    for width, height in boxes:  # Chromium rounds to its own units: within a point
        assert abs(float(width) - A4_POINTS[0]) < 1 and abs(float(height) - A4_POINTS[1]) < 1


PAGES = [
    ("/staff/T-W1/portfolio", {}),
    ("/reports/equality", AUTUMN),
    ("/reports/providers", {"from": "2026-06-01", "to": "2027-03-31"}),
    ("/reports/annual-review", {"school_id": "S-WALMLEY", "year": "2026-27"}),
]


@pytest.mark.parametrize(("path", "params"), PAGES)
async def test_each_page_printed_fits_the_width_of_a4(
    people_client: httpx.AsyncClient,
    browser: WebDriver,
    tmp_path: Path,
    path: str,
    params: dict[str, str],
) -> None:
    await opened(people_client, browser, tmp_path, path, **params)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": A4_CSS_PIXELS, "height": 1123, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        inner, scroll = browser.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth]"
        )
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert scroll <= inner, f"the page is {scroll} px wide on a {inner} px sheet"
