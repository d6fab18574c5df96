"""The whole service: mail goes as soon as a step is applied, and HTTP says what went."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from tests.lifecycle import event, load_directory, submitted_data
from tests.mail_server import Inbox, body, smtp_server, subject

PUBLIC_URL = "https://cpd.walmley.example"


async def post(client: httpx.AsyncClient, body: dict[str, object]) -> None:
    answer = await client.post("/events?wait=true", json=body)
    assert answer.status_code == 200, answer.text


async def test_the_service_sends_a_new_requests_mail_as_soon_as_it_is_applied(
    tmp_path: Path,
) -> None:
    inbox = Inbox()
    async with smtp_server(inbox) as url:
        settings = Settings(data_dir=tmp_path / "data", smtp_url=url, public_url=PUBLIC_URL)
        service = Service(settings)
        await service.start()
        try:
            await load_directory(service.store)
            transport = httpx.ASGITransport(app=create_app(service))
            async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as client:
                await post(client, event("submitted", "REQ-1", "T-042", submitted_data()))
                (message,) = await inbox.wait_for(1)  # the sender was woken by the commit
        finally:
            await service.stop()

    assert message["To"] == "Head-1 <head-1@walmley.example>"
    assert subject(message).endswith("(Walmley Infant School)")
    assert f"{PUBLIC_URL}/forms/" in body(message, "plain")


async def test_the_link_in_the_head_teachers_mail_approves_and_the_next_mails_go(
    tmp_path: Path,
) -> None:
    inbox = Inbox()
    async with smtp_server(inbox) as url:
        settings = Settings(data_dir=tmp_path / "data", smtp_url=url, public_url=PUBLIC_URL)
        service = Service(settings)
        await service.start()
        try:
            await load_directory(service.store)
            transport = httpx.ASGITransport(app=create_app(service))
            async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as client:
                await post(client, event("submitted", "REQ-1", "T-042", submitted_data()))
                (asked,) = await inbox.wait_for(1)
                path = link_in(body(asked, "plain")).removeprefix(PUBLIC_URL)
                page = await client.get(path)
                answer = await client.post(path, data={"decision": "approve"})
                request = (await client.get("/requests/REQ-1")).json()
                then = await inbox.wait_for(3)
        finally:
            await service.stop()

    assert page.status_code == 200 and "Approve" in page.text
    assert answer.status_code == 200
    assert request["state"] == "head_approved"
    assert sorted(str(m["To"]) for m in then[1:]) == [
        "Exec-1 <exec-1@walmley.example>",
        "T-042 <t-042@walmley.example>",
    ]


def link_in(text: str) -> str:
    (found,) = re.findall(rf"{re.escape(PUBLIC_URL)}/forms/\S+", text)
    return found


async def test_get_notifications_lists_mail_by_status(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    await post(client, event("submitted", "REQ-1", "T-042", submitted_data()))
    await embedded_service.mail.sender.send_due()

    sent = (await client.get("/notifications?status=sent")).json()["items"]
    assert [(n["to"], n["status"], n["attempts"]) for n in sent] == [
        ("head-1@walmley.example", "sent", 1)
    ]
    assert set(sent[0]) >= {"id", "message_id", "to", "subject", "status", "attempts"}
    assert sent[0]["subject"].startswith("Approval needed: T-042")
    assert sent[0]["last_error"] is None and sent[0]["at"]
    assert (await client.get("/notifications?status=failed")).json() == {"items": []}
    assert len((await client.get("/notifications")).json()["items"]) == 1


async def test_an_unknown_status_is_refused_with_a_json_body(client: httpx.AsyncClient) -> None:
    answer = await client.get("/notifications?status=lost")

    assert answer.status_code == 422
    assert answer.json()["error"] == "unknown_status"


async def test_a_request_says_what_mail_was_sent_to_whom_and_when(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    await post(client, event("submitted", "REQ-1", "T-042", submitted_data()))
    await post(client, event("head_approved", "REQ-1", "HEAD-1"))
    await embedded_service.mail.sender.send_due()

    found = (await client.get("/requests/REQ-1")).json()["notifications"]
    assert [(n["to_staff_id"], n["status"]) for n in found] == [
        ("HEAD-1", "sent"),
        ("T-042", "sent"),
        ("EXEC-1", "sent"),
    ]
    assert found[1]["subject"] == "Approved by your head teacher: Phonics leadership course"
    assert all(n["at"] for n in found)


async def test_without_smtp_the_service_writes_each_mail_to_its_data_directory(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    await post(client, event("submitted", "REQ-1", "T-042", submitted_data()))
    await embedded_service.mail.sender.send_due()

    mail_dir = embedded_service.settings.data_dir / "mail"
    assert [p.suffix for p in mail_dir.iterdir()] == [".eml"]
