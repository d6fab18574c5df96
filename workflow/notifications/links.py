"""Links in mail: one signed token per request, step and person, opened at /forms/{token}.

The token is the form page's credential, so it is signed (itsdangerous, salted, with the
secret the service keeps in its data directory) and carries the moment it was issued; the
page decides how old a token it still accepts. Pure: the secret and the moments are passed
in, so a fake clock issues and checks tokens as the real one would.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

APPROVE_HEAD = "approve_head"
APPROVE_EXECUTIVE = "approve_executive"
EVALUATE = "evaluate"
DISSEMINATE = "disseminate"
IMPACT_REVIEW = "impact_review"
FORM_STEPS = (APPROVE_HEAD, APPROVE_EXECUTIVE, EVALUATE, DISSEMINATE, IMPACT_REVIEW)
# Separates these tokens from anything else ever signed with the same secret.
_SALT = "cpd-workflow/form-link"


class LinkInvalid(ValueError):
    """Not a token this service issued (tampered, truncated, another secret)."""


class LinkExpired(LinkInvalid):
    """Issued by this service, but longer ago than the page accepts."""


@dataclass(frozen=True)
class FormToken:
    request_id: str
    step: str
    staff_id: str
    issued_at: datetime


def form_link(
    public_url: str,
    request_id: str,
    step: str,
    staff_id: str,
    issued_at: datetime,
    *,
    secret: str,
) -> str:
    """`{public_url}/forms/{token}`: the page for `staff_id` to take `step` on the request."""
    token = form_token(secret, request_id, step, staff_id, issued_at)
    return f"{public_url.rstrip('/')}/forms/{token}"


def form_token(secret: str, request_id: str, step: str, staff_id: str, issued_at: datetime) -> str:
    if step not in FORM_STEPS:
        raise ValueError(f"no form for step {step!r}; one of {', '.join(FORM_STEPS)}")
    payload = {"r": request_id, "s": step, "p": staff_id}
    return _serializer(secret, issued_at).dumps(payload)


def read_form_token(secret: str, token: str, now: datetime, max_age: timedelta) -> FormToken:
    """What the token says, if this service issued it no longer than `max_age` before `now`;
    raises LinkExpired or LinkInvalid."""
    serializer = _serializer(secret, now)
    try:
        payload, signed_at = serializer.loads(
            token, max_age=int(max_age.total_seconds()), return_timestamp=True
        )
    except SignatureExpired as error:
        raise LinkExpired("this link has expired") from error
    except BadSignature as error:
        raise LinkInvalid("this link was not issued by this service") from error
    if not _well_formed(payload):
        raise LinkInvalid("this link was not issued by this service")
    return FormToken(payload["r"], payload["s"], payload["p"], signed_at.astimezone(UTC))


def _well_formed(payload: Any) -> bool:
    return (
        isinstance(payload, dict)
        and all(isinstance(payload.get(k), str) for k in ("r", "s", "p"))
        and payload["s"] in FORM_STEPS
    )


# The moment the signer reads as "now", per thread: tokens are issued on the store's writer
# thread and read on the event loop's, each passing its own clock's moment.
_moment = threading.local()


class _ClockedSigner(TimestampSigner):
    """Stamps tokens with the moment given, and measures their age from it (itsdangerous
    would read the wall clock, which a fake clock in a test cannot move)."""

    def get_timestamp(self) -> int:
        stamp: int = _moment.stamp
        return stamp


def _serializer(secret: str, moment: datetime) -> URLSafeTimedSerializer:
    _moment.stamp = int(moment.timestamp())
    return _serializer_for(secret)


@functools.lru_cache(maxsize=8)
def _serializer_for(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT, signer=_ClockedSigner)
