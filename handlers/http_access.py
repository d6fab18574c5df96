"""Who is calling, at the HTTP edge: credentials become a Caller, refusals an answer.

Every route depends on `current_caller` (the app's own dependency), so a new route is
closed unless workflow.access.routes opens it. Access is checked only once it is switched
on: a key has been made (revoked ones count) or the trust's sign-in is configured; until
then every caller is None and everything is open. The key table is read per request, on
the store's reader, so a key made by `cpd keys` while the service runs counts at once.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from handlers import views
from handlers.http_reach import can_act
from handlers.service import Service
from handlers.sign_in import TokenVerifier, claimed_name
from workflow.access import (
    BY_EVENT,
    AccessRefused,
    Caller,
    InvalidKey,
    InvalidToken,
    MissingCredentials,
    MissingScope,
    NotAuthenticated,
    Scopes,
    UnknownPerson,
    check_scope,
    is_open,
    key_hash,
    looks_like_key,
    scope_for,
    signed_in,
)
from workflow.directory import person_by_email
from workflow.store import api_keys

log = logging.getLogger("cpd.access")
bearer = HTTPBearer(
    auto_error=False,
    description="An API key (`cpd keys create`) or a token from the trust's sign-in.",
)
_REALM = 'Bearer realm="cpd-workflow"'


class Gate:
    def __init__(self, service: Service) -> None:
        self.service = service
        self.verifier = TokenVerifier.from_settings(service.settings)

    async def caller(self, request: Request, credential: str | None) -> Caller | None:
        route = request.scope.get("route")
        path = str(getattr(route, "path", request.url.path))
        if is_open(path):
            return None
        caller = await self._identify(request, credential)
        if caller is None:
            return None
        needed = scope_for(request.method, path)
        if needed != BY_EVENT:
            check_scope(caller, needed, f"{request.method} {path}")
        log.debug("%s %s by %s", request.method, request.url.path, caller.client)
        return caller

    def _now(self) -> datetime:
        return self.service.clock.now()

    async def _identify(self, request: Request, credential: str | None) -> Caller | None:
        hashed = key_hash(credential) if credential and looks_like_key(credential) else None
        keys_made, key = await self.service.store.on_reader(api_keys.lookup, hashed)
        if not keys_made and self.verifier is None:
            return None
        if credential is None:
            raise MissingCredentials(
                "this service needs credentials: send Authorization: Bearer with an API key"
                " or a sign-in token"
            )
        if hashed is not None:
            return await self._by_key(request, key, hashed)
        if self.verifier is None:
            raise InvalidToken("not an API key (keys start cpd_), and no sign-in is configured")
        return await self._by_token(request, self.verifier, credential)

    async def _by_key(
        self, request: Request, key: api_keys.KeyRecord | None, hashed: str
    ) -> Caller:
        if key is None:
            # A prefix of the hash lets an operator match attempts; it reveals nothing.
            request.state.client = f"an unknown key (sha256 {hashed[:12]}…)"
            raise InvalidKey("the API key is unknown or revoked")
        request.state.client = key.name
        if key.revoked_at is not None:
            raise InvalidKey("the API key is unknown or revoked")
        person = key.as_staff_id
        if person is not None and not await self.service.store.on_reader(
            can_act, person, self._now()
        ):
            raise UnknownPerson(
                f"key '{key.name}' acts as {person}, who is not a current person of the directory"
            )
        return Caller(key.name, Scopes(frozenset(key.scopes)), person)

    async def _by_token(self, request: Request, verifier: TokenVerifier, token: str) -> Caller:
        request.state.client = claimed_name(token, verifier.email_claim)
        person = await verifier.verify(token)
        request.state.client = person.email
        member = await self.service.store.on_reader(person_by_email, person.email, self._now())
        if member is None:
            raise UnknownPerson(f"'{person.email}' is not a current person of the directory")
        return signed_in(person.email, member.staff_id, member.roles)


async def current_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller | None:
    """The app-wide dependency: None while access is off, or on an open route."""
    gate: Gate = request.app.state.gate
    return await gate.caller(request, credentials.credentials if credentials else None)


CallerDep = Annotated[Caller | None, Depends(current_caller)]


def guard(app: FastAPI, gate: Gate) -> None:
    """Answer refusals with a JSON body (and a Bearer challenge on 401), and log each."""
    app.state.gate = gate

    async def refused(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, AccessRefused)
        client = getattr(request.state, "client", None) or "a caller without credentials"
        log.warning(
            "refused %s %s from %s: %s %s: %r",
            request.method,
            request.url.path,
            client,
            error.status,
            error.code,
            error.reason,
        )
        return views.error(error.status, error.code, error.reason, headers=_challenge(error))

    app.add_exception_handler(AccessRefused, refused)


def _challenge(error: AccessRefused) -> dict[str, str] | None:
    """RFC 6750: a Bearer challenge; why the credentials failed only when some were sent."""
    if isinstance(error, NotAuthenticated):
        detail = ', error="invalid_token"' if error.credentials_given else ""
        return {"WWW-Authenticate": _REALM + detail}
    if isinstance(error, MissingScope):
        return {"WWW-Authenticate": f'{_REALM}, error="insufficient_scope", scope="{error.scope}"'}
    return None
