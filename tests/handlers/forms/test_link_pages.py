"""A link that cannot be used says so, and what to do, on a page of its own."""

from __future__ import annotations

from datetime import timedelta

import httpx

from handlers.forms.submit import FORMS_SOURCE
from handlers.service import Service
from tests.handlers.forms.conftest import MakeLink
from tests.handlers.forms.html import text
from tests.handlers.forms.walk import history_of, nonce_of, post_as, request_of, walk
from tests.lifecycle import event


async def test_a_used_link_says_who_used_it_and_when_whether_opened_or_sent_again(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-L1", "approve_head")
    path = link("REQ-L1", "approve_head", "HEAD-1")
    assert (await client.post(path, data={"decision": "approve"})).status_code == 200

    opened = await client.get(path)
    sent_again = await client.post(path, data={"decision": "reject", "reason": "Changed mind"})

    assert opened.status_code == sent_again.status_code == 410
    words = text(opened.text)
    assert "This link has already been used" in words
    assert "This request was approved by Head-1 on" in words
    assert "There is nothing more to do." in words
    assert (await request_of(client, "REQ-L1"))["state"] == "head_approved"
    assert len(await history_of(client, "REQ-L1")) == 2


async def test_an_expired_link_says_to_ask_for_a_new_one_and_sends_nothing(
    client: httpx.AsyncClient, embedded_service: Service, link: MakeLink
) -> None:
    await walk(client, "REQ-L2", "approve_head")
    fifteen_days_ago = embedded_service.clock.now() - timedelta(days=15)
    path = link("REQ-L2", "approve_head", "HEAD-1", fifteen_days_ago)

    opened = await client.get(path)
    sent = await client.post(path, data={"decision": "approve"})

    assert opened.status_code == sent.status_code == 410
    words = text(opened.text)
    assert "This link has expired" in words
    assert "Links to forms work for 14 days" in words
    assert "Ask your school's CPD lead for a new link." in words
    assert (await request_of(client, "REQ-L2"))["state"] == "requested"


async def test_a_link_still_within_its_days_opens(
    client: httpx.AsyncClient, embedded_service: Service, link: MakeLink
) -> None:
    await walk(client, "REQ-L3", "approve_head")
    thirteen_days_ago = embedded_service.clock.now() - timedelta(days=13)

    opened = await client.get(link("REQ-L3", "approve_head", "HEAD-1", thirteen_days_ago))

    assert opened.status_code == 200


async def test_a_changed_or_cut_short_link_says_it_does_not_work(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-L4", "approve_head")
    path = link("REQ-L4", "approve_head", "HEAD-1")

    for broken in (
        path[:-10],
        path[:20] + "x" + path[21:],
        "/forms/nonsense",
        "/forms/" + "a" * 5000,
    ):
        opened = await client.get(broken)
        assert opened.status_code == 404, broken
        assert "This link does not work" in text(opened.text)
    sent = await client.post(path[:-10], data={"decision": "approve"})
    assert sent.status_code == 404
    assert (await request_of(client, "REQ-L4"))["state"] == "requested"


async def test_a_link_for_a_request_already_approved_by_someone_else_says_nothing_more_is_needed(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-L5", "approve_executive")  # HEAD-1 approved it over the API
    path = link("REQ-L5", "approve_head", "HEAD-1")

    opened = await client.get(path)
    sent = await client.post(path, data={"decision": "approve"})

    assert opened.status_code == 200 and sent.status_code == 409
    words = text(opened.text)
    assert "Nothing more to do" in words
    assert "This request was approved by Head-1 on" in words
    assert "The request is now waiting for executive approval." in words
    assert len(await history_of(client, "REQ-L5")) == 2  # the second approval was never sent


async def test_a_link_for_a_withdrawn_request_says_it_was_withdrawn(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-L6", "approve_head")
    await post_as(client, "withdrawn", "REQ-L6", "T-042", reason="Course full")

    opened = await client.get(link("REQ-L6", "approve_head", "HEAD-1"))

    assert opened.status_code == 200
    words = text(opened.text)
    assert "This request was withdrawn by T-042 on" in words
    assert "The reason given: “Course full”" in words


async def test_a_dissemination_link_after_a_waiver_says_sharing_was_waived(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-L7", "disseminate")
    await post_as(client, "dissemination_waived", "REQ-L7", "HEAD-1", reason="Own class only")

    opened = await client.get(link("REQ-L7", "disseminate", "T-042"))

    assert opened.status_code == 200
    assert "Sharing what was learned was waived by Head-1 on" in text(opened.text)


async def test_a_link_for_a_request_that_does_not_exist_says_so(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    opened = await client.get(link("REQ-NONE", "evaluate", "T-042"))

    assert opened.status_code == 404
    assert "We cannot find this request" in text(opened.text)


async def test_an_answer_still_queued_from_the_link_is_not_sent_twice(
    client: httpx.AsyncClient, embedded_service: Service, link: MakeLink
) -> None:
    """As after a ?wait that timed out: the first answer is queued, not yet applied."""
    await walk(client, "REQ-L8", "impact_review")
    path = link("REQ-L8", "impact_review", "HEAD-1")
    nonce = nonce_of(path, embedded_service.settings.data_dir, embedded_service.clock.now())
    queued = event("impact_reviewed", "REQ-L8", "HEAD-1", event_id=f"{nonce}.first")
    await embedded_service.store.record_queued(FORMS_SOURCE, queued["id"], queued["type"], "REQ-L8")

    opened = await client.get(path)
    sent = await client.post(path, data={"impact_rating": "4", "summary": "Better"})

    assert opened.status_code == sent.status_code == 202
    assert "Your answer is being recorded" in text(opened.text)
    assert "impact_reviewed" not in (await request_of(client, "REQ-L8"))["details"]
