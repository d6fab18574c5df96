"""One Settings object: the environment over `.env` in the working directory over the
defaults, flags over all; a refused value is one line naming its variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.settings import Settings, SettingsError


@pytest.fixture
def working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in Settings.model_fields:
        monkeypatch.delenv(f"CPD_{name.upper()}", raising=False)
    return tmp_path


def test_the_env_file_in_the_working_directory_is_read_and_the_environment_wins(
    working_directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (working_directory / ".env").write_text(
        "# the trust's settings\nCPD_PORT=8100\nCPD_LINK_DAYS=20\nCPD_MAIL_FROM='CPD <cpd@x>'\n"
    )
    monkeypatch.setenv("CPD_PORT", "8200")

    settings = Settings.from_env()

    assert (settings.port, settings.origin("port")) == (8200, "environment")
    assert (settings.link_days, settings.origin("link_days")) == (20, ".env")
    assert settings.mail_from == "CPD <cpd@x>"
    assert (settings.host, settings.origin("host")) == ("127.0.0.1", "default")


def test_a_flag_wins_over_the_environment_and_an_absent_flag_changes_nothing(
    working_directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPD_PORT", "8200")
    monkeypatch.setenv("CPD_HOST", "0.0.0.0")

    settings = Settings.from_env(port=9000, host=None)

    assert (settings.port, settings.origin("port")) == (9000, "flag")
    assert (settings.host, settings.origin("host")) == ("0.0.0.0", "environment")


def test_no_env_file_is_no_error(working_directory: Path) -> None:
    assert Settings.from_env().port == 8000


def test_other_cpd_variables_are_not_settings_and_are_left_alone(
    working_directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (working_directory / ".env").write_text("CPD_WORKFLOW_NATS_PASSWORD=x\nOTHER=1\n")
    monkeypatch.setenv("CPD_REQUIRE_BROKERS", "1")
    assert Settings.from_env() == Settings()


def test_settings_made_in_code_hold_only_what_they_are_given(
    working_directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPD_LINK_DAYS", "30")
    (working_directory / ".env").write_text("CPD_PORT=8100\n")
    assert (Settings(host="::1").link_days, Settings().port) == (14, 8000)


def test_a_mapping_given_is_the_whole_environment(working_directory: Path) -> None:
    (working_directory / ".env").write_text("CPD_PORT=8100\n")
    assert Settings.from_env({"CPD_LINK_DAYS": "3"}).port == 8000
    given_file = Settings.from_env({}, env_file=working_directory / ".env")
    assert given_file.port == 8100


@pytest.mark.parametrize(
    ("environ", "says"),
    [
        ({"CPD_PORT": "eighty"}, "CPD_PORT: must be a whole number from 0 to 65535, got 'eighty'"),
        ({"CPD_PORT": "70000"}, "CPD_PORT: must be a whole number from 0 to 65535, got '70000'"),
        (
            {"CPD_MAX_BODY_BYTES": "100"},
            "CPD_MAX_BODY_BYTES: must be a whole number from 1024 to 1048576, got '100'",
        ),
        (
            {"CPD_MAIL_MAX_ATTEMPTS": "51"},
            "CPD_MAIL_MAX_ATTEMPTS: must be a whole number from 1 to 50, got '51'",
        ),
        (
            {"CPD_MAX_DELIVER": "0"},
            "CPD_MAX_DELIVER: must be a whole number of at least 1, got '0'",
        ),
        ({"CPD_WAIT_TIMEOUT": "soon"}, "CPD_WAIT_TIMEOUT: must be a number above 0, got 'soon'"),
        (
            {"CPD_LOG_LEVEL": "loud"},
            "CPD_LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'loud'",
        ),
        (
            {"CPD_PUBLIC_URL": "cpd.trust.example"},
            "CPD_PUBLIC_URL: must start with http:// or https://, got 'cpd.trust.example'",
        ),
        (
            {"CPD_OIDC_AUDIENCE": "cpd"},
            "CPD_OIDC_AUDIENCE: sign-in also needs CPD_OIDC_ISSUER, CPD_OIDC_JWKS_URL",
        ),
        (
            {"CPD_PORT": "x", "CPD_LINK_DAYS": "0"},
            "CPD_PORT: must be a whole number from 0 to 65535, got 'x';"
            " CPD_LINK_DAYS: must be a whole number from 1 to 366, got '0'",
        ),
    ],
)
def test_a_refused_value_is_one_line_naming_its_variable(
    environ: dict[str, str], says: str
) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(environ)
    assert str(refused.value) == says


def test_a_refused_address_never_repeats_its_password() -> None:
    for name in ("CPD_BROKER_URL", "CPD_SMTP_URL"):
        with pytest.raises(SettingsError, match=name) as refused:
            Settings.from_env({name: "kafka://cpd:hunter2@bus:9092"})
        assert "hunter2" not in str(refused.value)


def test_no_secret_is_in_the_settings_as_logged() -> None:
    settings = Settings.from_env(
        {
            "CPD_API_KEY": "cpd_secret",
            "CPD_BROKER_URL": "nats://cpd:hunter2@bus:4222",
            "CPD_SMTP_URL": "smtps://cpd:swordfish@mail:465",
        }
    )
    assert settings.api_key is not None and settings.api_key.get_secret_value() == "cpd_secret"
    for secret in ("cpd_secret", "hunter2", "swordfish"):
        assert secret not in repr(settings)
