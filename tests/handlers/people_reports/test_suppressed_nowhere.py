"""A suppressed group's size and figures appear in no format of the equality report: not in
its JSON, not in its CSV, not on its page or in the page's charts."""

from __future__ import annotations

import httpx
import pytest

AUTUMN = {"from": "2026-09-01", "to": "2026-12-31"}
# Walmley's leadership (HEAD-W and EXEC-1): the head's £737.00 conference of 7.25 hours and
# the 2-hour governors' induction, so spend 737.00, hours 9.25, per member 368.50 and 4.63.
LEADERSHIP_FIGURES = ("737", "9.25", "368.5", "4.63", "4.625")


@pytest.mark.parametrize("form", ["json", "csv", "html"])
async def test_walmley_s_leadership_figures_are_in_no_format(
    people_client: httpx.AsyncClient, form: str
) -> None:
    for params in (AUTUMN, {**AUTUMN, "school_id": "S-WALMLEY"}):
        answer = await people_client.get("/reports/equality", params={**params, "format": form})
        assert answer.status_code == 200, answer.text
        assert "Leadership" in answer.text
        found = [figure for figure in LEADERSHIP_FIGURES if figure in answer.text]
        assert found == [], f"{form}: {found}"


async def test_the_figures_searched_for_are_real_ones_the_head_s_portfolio_shows(
    people_client: httpx.AsyncClient,
) -> None:
    # So the search above would find them, were they anywhere in the equality report.
    answer = await people_client.get("/staff/HEAD-W/portfolio", params={"format": "csv"})
    assert "737.00" in answer.text and "7.25" in answer.text
