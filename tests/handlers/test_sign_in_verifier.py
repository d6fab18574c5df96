"""The sign-in's token checks on their own: keys the issuer rotates in, and settings that
cannot work."""

from __future__ import annotations

import pytest

from handlers.settings import Settings, SettingsError
from handlers.sign_in import TokenVerifier
from tests.handlers.sign_in_issuer import AUDIENCE, ISSUER, Issuer, serving_keys
from workflow.access import InvalidToken

TEACHER = "t-042@walmley.example"


async def test_a_key_the_issuer_rotates_in_is_fetched_once_and_then_accepted() -> None:
    issuer = Issuer()
    with serving_keys(issuer) as url:
        verifier = TokenVerifier(ISSUER, AUDIENCE, url, refresh_cooldown=0)
        assert (await verifier.verify(issuer.token(TEACHER))).email == TEACHER
        issuer.add_key("key-2", publish=False)
        with pytest.raises(InvalidToken):
            await verifier.verify(issuer.token(TEACHER, kid="key-2"))
        issuer.published.append("key-2")
        fetched = issuer.fetches

        person = await verifier.verify(issuer.token(TEACHER, kid="key-2"))

    assert person.email == TEACHER
    assert issuer.fetches == fetched + 1  # the set was fetched again once, then kept


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"oidc_issuer": ISSUER}, "CPD_OIDC_AUDIENCE, CPD_OIDC_JWKS_URL"),
        (
            {"oidc_issuer": ISSUER, "oidc_audience": "a", "oidc_jwks_url": "http://idp/keys"},
            "https://",
        ),
    ],
)
def test_an_incomplete_or_insecure_sign_in_is_a_configuration_error(
    fields: dict[str, str], says: str
) -> None:
    environ = {f"CPD_{name.upper()}": value for name, value in fields.items()}

    with pytest.raises(SettingsError, match=says):
        Settings.from_env(environ)
