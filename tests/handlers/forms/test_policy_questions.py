"""The evaluation form asks the questions of the request's own policy set."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from tests.handlers.forms.html import assert_accessible, text
from tests.handlers.forms.walk import form_path, history_of
from tests.lifecycle import lifecycle, load_directory
from tests.workflow.directory_builders import school
from tests.workflow.policy_files import head_led, write

OWN_QUESTIONS = """
[[evaluation.questions]]
id = "rating"
kind = "rating"
label = "Out of five, how useful was it?"
[[evaluation.questions]]
id = "impact_on_practice"
kind = "text"
label = "What will you do differently in class?"
[[evaluation.questions]]
id = "recommend_provider"
kind = "yes_no"
label = "Should other schools in the trust use them?"
[[evaluation.questions]]
id = "go_again"
kind = "yes_no"
label = "Would you go to their next course?"
required = false
"""


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    policies = tmp_path / "policies"
    write(policies, "head-led.toml", head_led(extra=OWN_QUESTIONS))
    service = Service(Settings(data_dir=tmp_path / "data", policy_dir=policies))
    await service.start()
    try:
        await load_directory(service.store)
        walmley = school("S-WALMLEY", name="Walmley Infant School", policy_id="head-led-school")
        assert (await service.store.apply(walmley)).status.status == "applied"
        yield service
    finally:
        await service.stop()


@pytest.fixture
async def client(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as http:
        yield http


async def test_a_school_with_its_own_questions_gets_them_and_the_answers_are_kept(
    client: httpx.AsyncClient, service: Service
) -> None:
    submitted, head_approved, _, booked, completed = lifecycle("REQ-P1")[:5]
    for step in (submitted, head_approved, booked, completed):  # no executive step here
        answer = await client.post("/events?wait=true", json=step)
        assert answer.status_code == 200, answer.text
    path = form_path(service.settings.data_dir, "REQ-P1", "evaluate", "T-042", datetime.now(UTC))

    page = await client.get(path)

    assert page.status_code == 200
    assert_accessible(page.text)
    words = text(page.text)
    assert "Out of five, how useful was it?" in words
    assert "Would you go to their next course? Yes No" in words
    assert "What did you learn?" not in words  # a default question this set does not ask
    answer = await client.post(
        path,
        data={
            "rating": "3",
            "impact_on_practice": "Shorter phonics sessions",
            "recommend_provider": "no",
            "go_again": "yes",
        },
    )
    assert answer.status_code == 200, answer.text
    last = (await history_of(client, "REQ-P1"))[-1]
    assert last["data"] == {
        "rating": 3,
        "impact_on_practice": "Shorter phonics sessions",
        "recommend_provider": False,
        "go_again": True,
    }
