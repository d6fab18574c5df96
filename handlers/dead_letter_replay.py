"""A dead letter put back through the queue the service reads, as kept or corrected.

It goes in as any inbound message does (the broker's inbound queue, then the one handler),
so it is applied, refused, or kept as a new dead letter like any other message, whichever
broker the service uses. Events still apply once by source and id: a message whose event
was applied (or refused by a rule) since is not sent, since it would change nothing.
"""

from __future__ import annotations

from typing import Any

from handlers import event_intake, http_reach, views
from handlers.service import Service
from schemas import CloudEvent, InvalidEvent, parse_inbound
from workflow.access import Caller
from workflow.store import dead_letters as letters


async def replay(
    service: Service, caller: Caller | None, letter_id: int, corrected: bytes | None, wait: bool
) -> views.Reply:
    """`corrected`: the message to send in the letter's place (None: the letter as kept).
    The answer is POST /events's for the message sent (202; with `wait` 200 or 409)."""
    store = service.store
    letter = await store.on_reader(letters.one, letter_id)
    if letter is None:
        return views.refused(404, "unknown_dead_letter", f"no dead letter {letter_id}")
    if letter["replayed_at"] is not None:
        return _already_replayed(letter)
    try:
        event = parse_inbound(corrected if corrected is not None else letter["body"].encode())
    except InvalidEvent as error:
        if corrected is not None:
            return views.invalid_event(error)
        return views.invalid_event(
            InvalidEvent(
                f"dead letter {letter_id} as kept is not a valid event ({error.message}):"
                " replay it with a corrected message",
                error.problems,
            )
        )
    if corrected is not None:  # the caller wrote this one: checked and named as any post is
        await http_reach.may_post(service, caller, event)
    status = await store.fresh_status(event.source, event.id)
    if letters.settled_elsewhere(status):
        assert status is not None
        return views.refused(
            409,
            "already_processed",
            f"event '{event.id}' from '{event.source}' was already {status.status}"
            f" ({status.processed_at}); an event applies once by its source and id, so sending"
            " it again would change nothing: give the corrected message a new id",
        )
    return await _send(service, caller, letter_id, event, corrected is not None, wait)


async def _send(
    service: Service,
    caller: Caller | None,
    letter_id: int,
    event: CloudEvent,
    is_corrected: bool,
    wait: bool,
) -> views.Reply:
    store, now = service.store, service.clock.now()
    text = event.model_dump_json(exclude_none=True)
    by = caller.client if caller is not None else None
    corrected_body = text if is_corrected else None
    marked, before = await store.transaction(
        lambda db: letters.mark_replayed(
            db, letter_id, by=by, corrected_body=corrected_body, event=event, now=now
        )
    )
    if not marked:  # another replay of it won the race
        letter = await store.on_reader(letters.one, letter_id)
        return _already_replayed(letter or {"id": letter_id})
    waiter = service.waiters.expect(event.source, event.id) if wait else None
    try:
        # Its own dedupe key: the broker may still remember the original's, and would drop it.
        await service.broker.publish_inbound(text.encode(), f"dead-letter-{letter_id}")
    except Exception as error:
        if waiter is not None:
            service.waiters.discard(event.source, event.id, waiter)
        await store.transaction(lambda db: letters.unmark(db, letter_id, event, before))
        return views.refused(503, "broker_unavailable", f"dead letter not replayed: {error!r}")
    if waiter is None:
        return views.accepted(event.id)
    return await event_intake.settle(service, event_intake.Pending(event, waiter))


def _already_replayed(letter: dict[str, Any]) -> views.Reply:
    by = f" by {letter['replayed_by']}" if letter.get("replayed_by") else ""
    return views.refused(
        409,
        "already_replayed",
        f"dead letter {letter['id']} was replayed at {letter.get('replayed_at')}{by}; a message"
        " that failed again is kept as a new dead letter: replay that one",
    )
