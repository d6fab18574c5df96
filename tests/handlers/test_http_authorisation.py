"""Over HTTP, against the whole service: a step refused for want of a role, and a delegate's
approval shown on behalf of the delegator in the request's history."""

from __future__ import annotations

import httpx

from tests.lifecycle import TODAY, directory_event, event, lifecycle, staff_event


async def test_a_step_without_the_role_answers_409_not_authorised_and_is_in_history(
    client: httpx.AsyncClient,
) -> None:
    submitted = lifecycle("AUTH-1")[0]
    await client.post("/events?wait=true", json=submitted)

    by_the_office = event("head_approved", "AUTH-1", "BOOKING-OFFICE", {"comment": "fine"})
    answer = await client.post("/events?wait=true", json=by_the_office)

    assert answer.status_code == 409
    assert answer.json()["error"] == "not_authorised"
    assert "needs a head teacher" in answer.json()["message"]
    entries = (await client.get("/requests/AUTH-1/history")).json()["entries"]
    assert [(e["actor"], e["outcome"]) for e in entries] == [
        ("T-042", "applied"),
        ("BOOKING-OFFICE", "refused"),
    ]
    assert entries[1]["reason"] == answer.json()["message"]


async def test_a_delegates_head_approval_shows_on_behalf_of_in_history(
    client: httpx.AsyncClient,
) -> None:
    deputy = staff_event("DEP-1", ["leadership"])
    window = {"from_staff_id": "HEAD-1", "to_staff_id": "DEP-1", "step": "head"}
    window |= {"from": TODAY.isoformat(), "until": TODAY.isoformat()}
    delegation = {**directory_event("approval.delegated", "HEAD-1", window), "actor": "HEAD-1"}
    for body in (deputy, delegation, lifecycle("AUTH-2")[0]):
        answer = await client.post("/events?wait=true", json=body)
        assert answer.status_code == 200, answer.text

    approval = event("head_approved", "AUTH-2", "DEP-1", {"comment": "for Ruth"})
    answer = await client.post("/events?wait=true", json=approval)

    assert answer.status_code == 200, answer.text
    entry = (await client.get("/requests/AUTH-2/history")).json()["entries"][1]
    assert (entry["actor"], entry["on_behalf_of"]) == ("DEP-1", "HEAD-1")
    assert entry["reason"].startswith("on behalf of HEAD-1")
