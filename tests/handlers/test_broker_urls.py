"""Broker URLs as they may be shown, and as the NATS client is given them."""

from __future__ import annotations

import pytest
from faststream.nats import NatsToken, NatsUserPassword

from handlers.brokers.urls import nats_server_and_security, shown


@pytest.mark.parametrize(
    ("url", "as_shown"),
    [
        ("nats://cpd:s3cret@nats.trust:4222", "nats://cpd:***@nats.trust:4222"),
        ("tls://cpd:p%40ss@nats.trust:4222", "tls://cpd:***@nats.trust:4222"),
        ("nats://T0KEN@nats.trust:4222", "nats://***@nats.trust:4222"),
        ("amqp://cpd:s3cret@rabbit:5672/cpd", "amqp://cpd:***@rabbit:5672/cpd"),
        ("amqps://cpd:a@b@rabbit/cpd?heartbeat=30", "amqps://cpd:***@rabbit/cpd?heartbeat=30"),
        ("nats://127.0.0.1:4222", "nats://127.0.0.1:4222"),
    ],
)
def test_a_url_is_shown_without_its_password_or_token(url: str, as_shown: str) -> None:
    assert shown(url) == as_shown


def test_a_nats_url_gives_the_client_its_user_and_password_decoded() -> None:
    server, security = nats_server_and_security("nats://hr%2Dfeed:p%40ss%3Aw%2F%25@nats.trust:4222")
    assert server == "nats://nats.trust:4222"
    assert isinstance(security, NatsUserPassword)
    assert (security.username, security.password) == ("hr-feed", "p@ss:w/%")


def test_a_nats_url_with_one_secret_before_the_at_sign_gives_a_token() -> None:
    server, security = nats_server_and_security("nats://s%2Fcret@nats.trust:4222")
    assert server == "nats://nats.trust:4222"
    assert isinstance(security, NatsToken) and security.token == "s/cret"


def test_a_nats_url_without_credentials_is_used_as_it_is() -> None:
    assert nats_server_and_security("nats://127.0.0.1:4222") == ("nats://127.0.0.1:4222", None)
