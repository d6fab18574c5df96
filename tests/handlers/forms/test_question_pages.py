"""The evaluation, dissemination and impact-review forms: asked, checked, recorded."""

from __future__ import annotations

from datetime import timedelta

import httpx

from handlers.forms.submit import FORMS_SOURCE
from handlers.service import Service
from tests.handlers.forms.conftest import MakeLink
from tests.handlers.forms.html import assert_accessible, read, text
from tests.handlers.forms.walk import history_of, request_of, walk
from tests.lifecycle import TODAY

EVALUATION = {
    "rating": "4",
    "learned": "Blending routines\r\nand decodable books",
    "impact_on_practice": "Daily phonics with the new routine",
    "recommend_provider": "yes",
    "follow_up_wanted": "yes",
    "follow_up_wanted_note": "A visit to see it in another school",
}


async def test_the_evaluation_form_asks_the_default_questions(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-Q1", "evaluate")

    page = await client.get(link("REQ-Q1", "evaluate", "T-042"))

    assert page.status_code == 200
    assert_accessible(page.text)
    names = {field["name"] for field in read(page.text).inputs}
    assert names == set(EVALUATION)
    words = text(page.text)
    for question in (
        "Overall, how good was the training? 1 (Poor)",
        "5 (Excellent)",
        "What did you learn?",
        "How will it change what you do at work?",
        "Would you recommend this provider to a colleague? Yes No",
        "Would you like any follow-up, such as more training or support? Yes No",
        "What would help? (optional)",
    ):
        assert question in words


async def test_an_evaluation_sent_through_the_link_keeps_every_answer_in_its_data(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-Q2", "evaluate")

    answer = await client.post(link("REQ-Q2", "evaluate", "T-042"), data=EVALUATION)

    assert answer.status_code == 200, answer.text
    assert "Your evaluation has been recorded." in text(answer.text)
    request = await request_of(client, "REQ-Q2")
    assert request["state"] == "evaluated"
    expected = {
        "rating": 4,
        "learned": "Blending routines\nand decodable books",
        "impact_on_practice": "Daily phonics with the new routine",
        "recommend_provider": True,
        "follow_up_wanted": True,
        "follow_up_wanted_note": "A visit to see it in another school",
    }
    assert request["details"]["evaluated"] == expected
    last = (await history_of(client, "REQ-Q2"))[-1]
    assert (last["event_type"], last["actor"], last["event_source"]) == (
        "cpd.request.evaluated",
        "T-042",
        FORMS_SOURCE,
    )
    assert last["data"] == expected


async def test_an_incomplete_evaluation_names_each_missing_answer_and_keeps_what_was_typed(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-Q3", "evaluate")
    path = link("REQ-Q3", "evaluate", "T-042")

    answer = await client.post(path, data={"rating": "9", "learned": "Blending"})

    assert answer.status_code == 422
    assert_accessible(answer.text)
    words = text(answer.text)
    assert "There is a problem" in words
    assert '<a href="#rating-1">Choose a number from 1 to 5</a>' in answer.text
    assert '<a href="#impact_on_practice">Enter an answer to: How will it change' in answer.text
    assert '<a href="#recommend_provider-yes">Choose an answer to: Would you' in answer.text
    assert '<fieldset aria-describedby="rating-error">' in answer.text
    assert ">Blending</textarea>" in answer.text
    assert (await request_of(client, "REQ-Q3"))["state"] == "completed"
    assert (await client.post(path, data=EVALUATION)).status_code == 200


async def test_the_participant_alone_may_evaluate(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-Q4", "evaluate")

    answer = await client.post(link("REQ-Q4", "evaluate", "HEAD-1"), data=EVALUATION)

    assert answer.status_code == 403
    assert "could not be recorded" in text(answer.text)
    assert (await request_of(client, "REQ-Q4"))["state"] == "completed"


async def test_sharing_what_was_learned_is_recorded_with_the_date_offered_as_today(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-Q5", "disseminate")
    path = link("REQ-Q5", "disseminate", "T-042")

    page = await client.get(path)
    assert page.status_code == 200
    assert_accessible(page.text)
    assert 'type="date" id="disseminated_on" name="disseminated_on"' in page.text
    assert f'value="{TODAY.isoformat()}"' in page.text
    answer = await client.post(
        path,
        data={
            "method": "Staff meeting",
            "disseminated_on": TODAY.isoformat(),
            "audience": "KS1 team",
        },
    )

    assert answer.status_code == 200, answer.text
    assert (await request_of(client, "REQ-Q5"))["state"] == "disseminated"
    last = (await history_of(client, "REQ-Q5"))[-1]
    assert (last["event_type"], last["actor"]) == ("cpd.request.disseminated", "T-042")
    assert last["data"] == {
        "method": "Staff meeting",
        "disseminated_on": TODAY.isoformat(),
        "audience": "KS1 team",
    }


async def test_sharing_cannot_be_dated_in_the_future(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-Q6", "disseminate")
    tomorrow = (TODAY + timedelta(days=1)).isoformat()

    answer = await client.post(
        link("REQ-Q6", "disseminate", "T-042"),
        data={"method": "Staff meeting", "disseminated_on": tomorrow, "audience": "KS1"},
    )

    assert answer.status_code == 422
    assert 'id="disseminated_on-error"' in answer.text
    assert "The date cannot be in the future" in text(answer.text)
    assert (await request_of(client, "REQ-Q6"))["state"] == "evaluated"


async def test_the_line_managers_impact_review_is_recorded_and_the_state_stays(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-Q7", "impact_review")
    path = link("REQ-Q7", "impact_review", "HEAD-1")

    page = await client.get(path)
    assert page.status_code == 200
    assert_accessible(page.text)
    assert "How much difference has the training made? 1 (No difference)" in text(page.text)
    answer = await client.post(
        path,
        data={
            "impact_rating": "5",
            "summary": "Phonics scores up a term",
            "evidence": "",
            "reviewed_on": TODAY.isoformat(),
        },
    )

    assert answer.status_code == 200, answer.text
    assert "The impact review has been recorded." in text(answer.text)
    request = await request_of(client, "REQ-Q7")
    assert request["state"] == "evaluated"
    last = (await history_of(client, "REQ-Q7"))[-1]
    assert (last["event_type"], last["actor"]) == ("cpd.request.impact_reviewed", "HEAD-1")
    assert last["data"]["impact_rating"] == 5
    assert last["data"]["summary"] == "Phonics scores up a term"
    assert last["data"]["reviewed_on"] == TODAY.isoformat()


async def test_the_participant_cannot_review_the_impact_of_their_own_training(
    client: httpx.AsyncClient, embedded_service: Service, link: MakeLink
) -> None:
    await walk(client, "REQ-Q8", "impact_review")

    answer = await client.post(
        link("REQ-Q8", "impact_review", "T-042"),
        data={"impact_rating": "5", "summary": "Great", "reviewed_on": TODAY.isoformat()},
    )

    assert answer.status_code == 403
    assert "impact_reviewed" not in (await request_of(client, "REQ-Q8"))["details"]
