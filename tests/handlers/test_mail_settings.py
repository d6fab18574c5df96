"""Mail settings: where mail goes, where its links point, and the secret that signs them."""

from __future__ import annotations

import pytest

from handlers.mail.transport import SmtpServer
from handlers.settings import Settings, SettingsError


def test_the_three_kinds_of_smtp_address_are_understood() -> None:
    assert SmtpServer.from_url("smtp://mail.trust.example") == SmtpServer(
        "mail.trust.example", 25, use_tls=False, start_tls=False
    )
    assert SmtpServer.from_url("smtp+starttls://cpd:p%40ss@mail.trust.example:587") == (
        SmtpServer("mail.trust.example", 587, False, True, "cpd", "p@ss")
    )
    assert SmtpServer.from_url("smtps://cpd:secret@mail.trust.example") == SmtpServer(
        "mail.trust.example", 465, True, False, "cpd", "secret"
    )


def test_an_address_that_is_not_smtp_is_a_configuration_error() -> None:
    with pytest.raises(SettingsError, match="CPD_SMTP_URL"):
        Settings.from_env({"CPD_SMTP_URL": "http://mail.trust.example"})
    with pytest.raises(SettingsError, match="CPD_MAIL_MAX_ATTEMPTS"):
        Settings.from_env({"CPD_MAIL_MAX_ATTEMPTS": "0"})


def test_links_start_with_the_public_url_else_the_services_own_address() -> None:
    assert Settings(port=8123).link_base == "http://127.0.0.1:8123"
    public = Settings.from_env({"CPD_PUBLIC_URL": "https://cpd.trust.example/"})
    assert public.link_base == "https://cpd.trust.example"
    assert Settings().mail_max_attempts == 8
