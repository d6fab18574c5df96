"""The approval page: the request in full, Approve, or Reject with a reason."""

from __future__ import annotations

import httpx

from handlers.forms.submit import FORMS_SOURCE
from handlers.service import Service
from tests.handlers.forms.conftest import MakeLink
from tests.handlers.forms.html import assert_accessible, text
from tests.handlers.forms.walk import history_of, nonce_of, request_of, used_row, walk
from tests.lifecycle import event, submitted_data


async def test_the_head_teachers_page_shows_the_whole_request_and_opening_it_uses_nothing_up(
    client: httpx.AsyncClient, embedded_service: Service, link: MakeLink
) -> None:
    await walk(client, "REQ-A1", "approve_head")
    path = link("REQ-A1", "approve_head", "HEAD-1")

    first, again = await client.get(path), await client.get(path)

    assert first.status_code == again.status_code == 200
    assert first.headers["content-type"].startswith("text/html")
    assert first.headers["cache-control"] == "no-store"
    assert first.headers["referrer-policy"] == "no-referrer"
    assert_accessible(first.text)
    words = text(first.text)
    for shown in (
        "Head teacher approval",
        "Who T-042 (T-042)",
        "School Walmley Infant School",
        "Training Phonics leadership course",
        "Provider Teaching Hub",
        "Cost £180.00 (estimate)",
        "Why they want to go SIP priority 2: early reading",
        "School priorities it supports SIP-2",
        "(default, version 1)",
        "This link is for Head-1",
    ):
        assert shown in words
    assert "Approve" in words and "Reject" in words
    assert (await request_of(client, "REQ-A1"))["state"] == "requested"
    assert (
        await used_row(
            embedded_service,
            nonce_of(path, embedded_service.settings.data_dir, embedded_service.clock.now()),
        )
        is None
    )


async def test_approving_through_the_link_moves_the_request_on_as_the_head_teacher(
    client: httpx.AsyncClient, embedded_service: Service, link: MakeLink
) -> None:
    await walk(client, "REQ-A2", "approve_head")
    path = link("REQ-A2", "approve_head", "HEAD-1")

    answer = await client.post(path, data={"decision": "approve", "comment": "Fits SIP 2"})

    assert answer.status_code == 200, answer.text
    assert "Thank you You approved this request." in text(answer.text)
    assert (await request_of(client, "REQ-A2"))["state"] == "head_approved"
    last = (await history_of(client, "REQ-A2"))[-1]
    assert (last["event_type"], last["actor"], last["outcome"]) == (
        "cpd.request.head_approved",
        "HEAD-1",
        "applied",
    )
    assert last["event_source"] == FORMS_SOURCE and last["data"] == {"comment": "Fits SIP 2"}
    nonce = nonce_of(path, embedded_service.settings.data_dir, embedded_service.clock.now())
    assert last["event_id"].startswith(f"{nonce}.")
    row = await used_row(embedded_service, nonce)
    assert row is not None and (row.request_id, row.staff_id) == ("REQ-A2", "HEAD-1")


async def test_a_reject_without_a_reason_asks_for_one_and_leaves_the_link_usable(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-A3", "approve_head")
    path = link("REQ-A3", "approve_head", "HEAD-1")

    refused = await client.post(path, data={"decision": "reject", "reason": "  "})

    assert refused.status_code == 422
    assert_accessible(refused.text)
    assert "<title>Error: Head teacher approval" in refused.text
    assert 'aria-describedby="reason-hint reason-error" aria-invalid="true"' in refused.text
    assert '<p class="error-message" id="reason-error">' in refused.text
    assert '<a href="#reason">Say why you are rejecting this request</a>' in refused.text
    assert (await request_of(client, "REQ-A3"))["state"] == "requested"
    assert len(await history_of(client, "REQ-A3")) == 1  # nothing sent, nothing refused

    answer = await client.post(path, data={"decision": "reject", "reason": "No cover that week"})

    assert answer.status_code == 200, answer.text
    assert (await request_of(client, "REQ-A3"))["state"] == "rejected"
    last = (await history_of(client, "REQ-A3"))[-1]
    assert (last["event_type"], last["actor"]) == ("cpd.request.head_rejected", "HEAD-1")
    assert last["data"] == {"reason": "No cover that week"}


async def test_the_executive_leads_page_names_the_head_approval_and_approving_moves_it_on(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-A4", "approve_executive")
    path = link("REQ-A4", "approve_executive", "EXEC-1")

    page = await client.get(path)

    assert page.status_code == 200
    assert "Executive approval" in text(page.text)
    assert "This request was approved by Head-1 on" in text(page.text)
    assert "Comment: “Fits SIP 2”" in text(page.text)
    answer = await client.post(path, data={"decision": "approve", "comment": ""})
    assert answer.status_code == 200, answer.text
    assert (await request_of(client, "REQ-A4"))["state"] == "executive_approved"
    last = (await history_of(client, "REQ-A4"))[-1]
    assert (last["event_type"], last["actor"]) == ("cpd.request.executive_approved", "EXEC-1")
    assert last["data"].get("comment") is None  # an empty box is no comment


async def test_a_head_teachers_link_cannot_give_the_executive_approval(
    client: httpx.AsyncClient, embedded_service: Service, link: MakeLink
) -> None:
    await walk(client, "REQ-A5", "approve_executive")
    path = link("REQ-A5", "approve_executive", "HEAD-1")

    answer = await client.post(path, data={"decision": "approve"})

    assert answer.status_code == 403
    words = text(answer.text)
    assert "This could not be recorded" in words
    assert "'HEAD-1' gave the head approval, so another person must give the executive" in words
    assert "the link has not been used up" in words
    assert (await request_of(client, "REQ-A5"))["state"] == "head_approved"
    last = (await history_of(client, "REQ-A5"))[-1]
    assert (last["outcome"], last["actor"], last["event_source"]) == (
        "refused",
        "HEAD-1",
        FORMS_SOURCE,
    )
    nonce = nonce_of(path, embedded_service.settings.data_dir, embedded_service.clock.now())
    assert await used_row(embedded_service, nonce) is None
    assert (await client.get(path)).status_code == 200  # still opens: refused, not used up


async def test_someone_who_is_not_a_head_teacher_cannot_give_the_head_approval(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-A6", "approve_head")

    answer = await client.post(
        link("REQ-A6", "approve_head", "BOOKING-OFFICE"), data={"decision": "approve"}
    )

    assert answer.status_code == 403
    assert "may not give the head approval" in text(answer.text)
    assert (await request_of(client, "REQ-A6"))["state"] == "requested"


async def test_a_form_without_a_decision_asks_for_one(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    await walk(client, "REQ-A7", "approve_head")

    answer = await client.post(link("REQ-A7", "approve_head", "HEAD-1"), content=b"\xff\x00=&&")

    assert answer.status_code == 422
    assert "Choose Approve or Reject" in text(answer.text)
    assert (await request_of(client, "REQ-A7"))["state"] == "requested"


async def test_what_the_requester_typed_is_shown_as_text_never_as_markup(
    client: httpx.AsyncClient, link: MakeLink
) -> None:
    submitted = event(
        "submitted",
        "REQ-A8",
        "T-042",
        submitted_data(title="<script>alert(1)</script>", justification="A & B <b>now</b>"),
    )
    assert (await client.post("/events?wait=true", json=submitted)).status_code == 200

    page = await client.get(link("REQ-A8", "approve_head", "HEAD-1"))

    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "A &amp; B &lt;b&gt;now&lt;/b&gt;" in page.text
