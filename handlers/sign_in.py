"""The trust's sign-in: OpenID Connect bearer tokens, checked against the issuer's keys.

PyJWT does the checking. Its key client fetches the issuer's key set with blocking I/O,
so it runs on a worker thread; it keeps the set for five minutes, and a token signed
with a key it has not seen makes it fetch the set again once (at most every
`refresh_cooldown` seconds), so a key the issuer rotates in is picked up at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import jwt
from jwt import PyJWKClient, PyJWKClientConnectionError, PyJWKClientError

from handlers.settings import Settings
from workflow.access import AccessRefused, InvalidToken

# Only public-key algorithms: a shared secret would let anyone who verifies, sign.
ASYMMETRIC = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
LEEWAY_SECONDS = 30  # clocks of the issuer and this machine may differ a little
KEY_SET_LIFESPAN = 300


class SignInUnavailable(AccessRefused):
    """The issuer's keys could not be fetched: not the caller's fault."""

    code = "sign_in_unavailable"
    status = 503


@dataclass(frozen=True)
class SignedIn:
    email: str
    subject: str | None


class TokenVerifier:
    def __init__(
        self,
        issuer: str,
        audience: str,
        jwks_url: str,
        email_claim: str = "email",
        *,
        refresh_cooldown: float = 30.0,
        timeout: float = 5.0,
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self.email_claim = email_claim
        self._keys = PyJWKClient(
            jwks_url,
            cache_jwk_set=True,
            lifespan=KEY_SET_LIFESPAN,
            timeout=timeout,
            cooldown_duration=refresh_cooldown,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenVerifier | None:
        if not settings.sign_in:
            return None
        assert settings.oidc_issuer and settings.oidc_audience and settings.oidc_jwks_url
        return cls(
            settings.oidc_issuer,
            settings.oidc_audience,
            settings.oidc_jwks_url,
            settings.oidc_email_claim,
        )

    async def verify(self, token: str) -> SignedIn:
        """The person the token names; InvalidToken saying why it was refused."""
        try:
            key = await asyncio.to_thread(self._keys.get_signing_key_from_jwt, token)
        except PyJWKClientConnectionError as error:
            raise SignInUnavailable(f"the sign-in's keys could not be fetched: {error}") from error
        except (PyJWKClientError, jwt.PyJWTError) as error:
            raise InvalidToken(f"token refused: {error}") from error
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=ASYMMETRIC,
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(f"token refused: {error}") from error
        email = claims.get(self.email_claim)
        if not isinstance(email, str) or not email:
            raise InvalidToken(f"token refused: it has no '{self.email_claim}' claim")
        subject = claims.get("sub")
        return SignedIn(email, subject if isinstance(subject, str) else None)


def claimed_name(token: str, email_claim: str) -> str:
    """Who an unverified token says it is, for the log of a refusal; never trusted."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return "an unreadable token"
    name = claims.get(email_claim) or claims.get("sub")
    return f"token claiming {str(name)[:200]!r}" if name else "a token naming no one"
