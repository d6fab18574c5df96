"""How big and how odd an inbound event may be; README.md ("Limits") lists the same numbers.

Everything is checked before an event is validated or stored, at the HTTP edge and again by
the broker consumer, so a hostile or broken sender costs us little.
"""

from __future__ import annotations

# HTTP: the default of CPD_MAX_BODY_BYTES; a bigger body is refused with 413 unread.
MAX_BODY_BYTES = 262_144
# Any inbound message, however it arrived (RabbitMQ takes far bigger ones than NATS).
MAX_EVENT_BYTES = 1_048_576

# Objects and arrays inside one another; the envelope is level 1, `data` level 2.
MAX_DEPTH = 8
# Object members plus array items, counted over the whole event.
MAX_FIELDS = 256

# Identifiers: id, source, type, subject, actor, staff_id, school_id, booking_reference,
# line_manager_id, and every object key. No control characters either.
MAX_IDENTIFIER_CHARS = 200
# Free text (title, justification, reason, provider, comment, ...) and any other string.
MAX_TEXT_CHARS = 10_000

# Integers other than CloudEvents extension values: what every JSON reader holds exactly
# (RFC 7493, I-JSON). Floats must be finite.
MAX_INTEGER = 2**53 - 1

# CloudEvents 1.0 extension attributes: names of lower-case ASCII letters and digits, values
# a string, a boolean or an Integer (32-bit signed).
MAX_EXTENSION_NAME_CHARS = 20
EXTENSION_INTEGER_RANGE = (-(2**31), 2**31 - 1)

# HTTP batched mode (application/cloudevents-batch+json): events in one batch. The body's
# size is capped as well, by CPD_MAX_BODY_BYTES.
MAX_BATCH_EVENTS = 100
