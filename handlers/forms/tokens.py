"""Signed, expiring form links: one request, one step, one person.

The token is the form page's credential. itsdangerous signs (not encrypts) the payload
`{"r": request_id, "s": step, "p": staff_id, "n": nonce}` with the secret kept in
`DATA_DIR/link-secret`; the nonce makes two links for the same step differ and names the
link once it is used up (workflow/store/used_links.py). Time comes from the service's
clock, so a test can let a link expire without waiting a fortnight.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

SALT = "cpd-form-link"
SECRET_FILE = "link-secret"
STEPS = ("approve_head", "approve_executive", "evaluate", "disseminate", "impact_review")
_NONCE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # token_urlsafe's alphabet: no GLOB wildcards


@dataclass(frozen=True)
class FormLink:
    request_id: str
    step: str
    staff_id: str
    nonce: str


class InvalidLink(ValueError):
    """Not a link this service signed (mistyped, cut short or tampered with)."""


class ExpiredLink(ValueError):
    """A genuine link past its days; `link` says what it was for."""

    def __init__(self, link: FormLink) -> None:
        super().__init__(f"the link for {link.step} of {link.request_id} has expired")
        self.link = link


class _SignerAt(TimestampSigner):
    """Signs and checks at a given moment (the service's clock) instead of time.time()."""

    def __init__(self, *args: Any, at: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._at = at

    def get_timestamp(self) -> int:
        return self._at


def _serializer(secret: str, at: datetime) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        secret, salt=SALT, signer=_SignerAt, signer_kwargs={"at": int(at.timestamp())}
    )


def issue(secret: str, request_id: str, step: str, staff_id: str, issued_at: datetime) -> str:
    if step not in STEPS:
        raise ValueError(f"unknown form step {step!r}; one of {', '.join(STEPS)}")
    payload = {"r": request_id, "s": step, "p": staff_id, "n": secrets.token_urlsafe(8)}
    return str(_serializer(secret, issued_at).dumps(payload))


def read(secret: str, token: str, now: datetime, valid_days: int) -> FormLink:
    """The link `token` stands for; raises ExpiredLink or InvalidLink."""
    serializer = _serializer(secret, now)
    try:
        payload = serializer.loads(token, max_age=int(timedelta(days=valid_days).total_seconds()))
    except SignatureExpired as expired:
        # Genuine but old (or dated after `now`): say what it was for, if it can be read.
        link = _link(_quietly_loaded(serializer, expired.payload))
        if link is None:
            raise InvalidLink("not a form link") from expired
        raise ExpiredLink(link) from expired
    except BadData as error:
        raise InvalidLink("not a form link") from error
    link = _link(payload)
    if link is None:
        raise InvalidLink("not a form link")
    return link


def form_link(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/forms/{token}"


def _quietly_loaded(serializer: URLSafeTimedSerializer, payload: Any) -> Any:
    try:
        return serializer.load_payload(payload)
    except BadData:
        return None


def _link(payload: Any) -> FormLink | None:
    """Only the shape this module signs; a signed payload of another shape is no link."""
    if not isinstance(payload, dict) or set(payload) != {"r", "s", "p", "n"}:
        return None
    if not all(isinstance(v, str) and v for v in payload.values()):
        return None
    if payload["s"] not in STEPS or not _NONCE.fullmatch(payload["n"]):
        return None
    return FormLink(payload["r"], payload["s"], payload["p"], payload["n"])


def link_secret(data_dir: Path) -> str:
    """The signing secret, made on first use: readable by the service's user only, and
    written whole before it is visible, so two starts racing agree on one secret."""
    path = data_dir / SECRET_FILE
    with contextlib.suppress(FileNotFoundError):
        return path.read_text(encoding="ascii").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    draft = data_dir / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(32) + "\n")
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another start won: use its secret
            os.link(draft, path)
    finally:
        draft.unlink()
    return path.read_text(encoding="ascii").strip()
