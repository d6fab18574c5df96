"""Without Debian's Chromium the browser tests say why they skip, and CI fails instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.handlers.forms import browser


def test_a_missing_browser_skips_with_the_packages_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.delenv("CPD_REQUIRE_BROKERS", raising=False)

    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium chromium-driver"):
        browser.require_browser()


def test_a_missing_browser_fails_when_ci_requires_everything(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "CHROMEDRIVER", tmp_path / "chromedriver")
    monkeypatch.setenv("CPD_REQUIRE_BROKERS", "1")

    with pytest.raises(pytest.fail.Exception, match=r"CPD_REQUIRE_BROKERS=1 but .*chromedriver"):
        browser.require_browser()
