"""Headless Chromium from Debian's packages, driven by Selenium; nothing downloads a browser.

Skipped with the reason when the packages are absent, except under CPD_REQUIRE_BROKERS=1
(CI), where a missing browser fails the run instead, as a missing broker does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service as DriverService
from selenium.webdriver.chrome.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PHONE_WIDTH = 400


def require_browser() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.is_file()]
    if not missing:
        return
    message = f"{' and '.join(missing)} not installed (apt-get install chromium chromium-driver)"
    if os.environ.get("CPD_REQUIRE_BROKERS") == "1":
        pytest.fail(f"CPD_REQUIRE_BROKERS=1 but {message}")
    pytest.skip(message)


@contextmanager
def chromium() -> Iterator[WebDriver]:
    """A phone-wide headless Chromium. Both paths are given, so Selenium Manager (which
    could download a driver or a browser) is never run; SE_OFFLINE forbids it anyway."""
    require_browser()
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
    ):
        options.add_argument(argument)
    # A phone's screen (a window is never narrower than 500 px): the page lays out as on
    # a phone, by its viewport tag, so a page without one would be 980 px wide and fail.
    metrics = {"width": PHONE_WIDTH, "height": 900, "pixelRatio": 1.0, "mobile": True}
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": metrics})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")
        driver = webdriver.Chrome(
            service=DriverService(executable_path=str(CHROMEDRIVER)), options=options
        )
    try:
        driver.set_page_load_timeout(30)
        yield driver
    finally:
        driver.quit()


def page_width(driver: WebDriver) -> tuple[int, int]:
    """(the window's inner width, the page's full width): equal when nothing scrolls sideways."""
    inner, scroll = driver.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth]"
    )
    return int(inner), int(scroll)
