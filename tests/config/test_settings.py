"""Every configuration mistake stops start-up with one clear line naming the variable."""

from datetime import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.config import ConfigError, Settings, load_settings, load_store_settings

VARIABLES = [name.upper() for name in Settings.model_fields] + ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"]
VALID = {
    "SLACK_BOT_TOKEN": "xoxb-111-222-abcdef",
    "SLACK_SIGNING_SECRET": "signing-secret-value",
    "APPROVALS_CHANNEL": "C0123ABCD",
    "RAINBOW_LOGIN": "bp-admin@reseller.example",
    "RAINBOW_PASSWORD": "Rainbow-Passw0rd!",
    "RAINBOW_APP_ID": "app-id-123",
    "RAINBOW_APP_SECRET": "app-secret-456",
}


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Set exactly the given variables (on top of VALID unless told otherwise) and load the settings."""
    monkeypatch.chdir(tmp_path)

    def load(overrides: dict[str, str | None] | None = None, base: dict[str, str] = VALID) -> Settings:
        for name in VARIABLES:
            monkeypatch.delenv(name, raising=False)
        values: dict[str, str | None] = {**base, **(overrides or {})}
        for name, value in values.items():
            if value is not None:
                monkeypatch.setenv(name, value)
        return load_settings(env_file=None)

    return load


def problems(load, overrides: dict[str, str | None], base: dict[str, str] = VALID) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(overrides, base)
    return caught.value.problems


def test_defaults_follow_the_operator_contract(environment) -> None:
    settings = environment()
    assert settings.database_url == "sqlite+aiosqlite:///./reseller-bot.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.rainbow_host == "https://sandbox.openrainbow.com"
    assert settings.digest_channel_id == "C0123ABCD"
    assert settings.digest_time == time(9, 0) and settings.timezone == "UTC"
    assert (settings.poll_interval_seconds, settings.stale_invitation_days) == (60, 7)
    assert settings.approvers == () and settings.resellers == ()
    assert (settings.host, settings.port, settings.log_level, settings.log_format) == (
        "0.0.0.0",
        3000,
        "INFO",
        "text",
    )
    assert not settings.socket_mode


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"APPROVALS_CHANNEL": "#approvals"},
            "APPROVALS_CHANNEL must be a Slack channel id such as C0123ABCD",
        ),
        ({"APPROVALS_CHANNEL": None}, "APPROVALS_CHANNEL is required: a Slack channel id such as C0123ABCD"),
        ({"DIGEST_CHANNEL": "general"}, "DIGEST_CHANNEL must be a Slack channel id such as C0123ABCD"),
        ({"TIMEZONE": "Europe/Pariss"}, "TIMEZONE 'Europe/Pariss' is not an IANA time zone"),
        ({"DIGEST_TIME": "9h"}, "DIGEST_TIME must be HH:MM"),
        ({"DIGEST_TIME": "24:00"}, "DIGEST_TIME must be HH:MM"),
        ({"POLL_INTERVAL_SECONDS": "often"}, "POLL_INTERVAL_SECONDS must be a whole number of seconds"),
        (
            {"POLL_INTERVAL_SECONDS": "1"},
            "POLL_INTERVAL_SECONDS must be a whole number of seconds between 10",
        ),
        (
            {"STALE_INVITATION_DAYS": "0"},
            "STALE_INVITATION_DAYS must be a whole number of days between 1 and 365",
        ),
        ({"PORT": "70000"}, "PORT must be a TCP port between 1 and 65535"),
        ({"APPROVERS": "U0123ABCD1,bob"}, "APPROVERS must be comma-separated Slack user ids (U…)"),
        ({"RESELLERS": "@team"}, "RESELLERS must be comma-separated Slack user ids"),
        ({"SLACK_BOT_TOKEN": None}, "SLACK_BOT_TOKEN is required: a Slack bot token starting with xoxb-"),
        (
            {"SLACK_BOT_TOKEN": "xoxp-user-token"},
            "SLACK_BOT_TOKEN must be a Slack bot token starting with xoxb-",
        ),
        ({"SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN must be an app-level token starting with xapp-"),
        ({"SLACK_SIGNING_SECRET": None}, "SLACK_SIGNING_SECRET is required in HTTP mode"),
        ({"SLACK_API_URL": "slack.com"}, "SLACK_API_URL must be an http(s) URL"),
        (
            {"RAINBOW_HOST": "openrainbow.com"},
            "RAINBOW_HOST must be a base URL such as https://openrainbow.com",
        ),
        (
            {"RAINBOW_LOGIN": "bp-admin"},
            "RAINBOW_LOGIN must be the e-mail address of the reseller (bp_admin) account",
        ),
        ({"RAINBOW_PASSWORD": None}, "RAINBOW_PASSWORD is required"),
        ({"RAINBOW_APP_SECRET": None}, "RAINBOW_APP_SECRET is required"),
        ({"DATABASE_URL": "mysql://root@localhost/bot"}, "DATABASE_URL must be sqlite+aiosqlite:///"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be text or json"),
        (
            {"SLACK_CLIENT_ID": "123.456", "SLACK_CLIENT_SECRET": "s3cr3t"},
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are both set",
        ),
    ],
)
def test_each_mistake_gives_one_line_naming_the_variable(environment, overrides, expected) -> None:
    lines = problems(environment, overrides)
    assert len(lines) == 1, lines
    assert lines[0].startswith(expected), lines[0]
    assert "\n" not in lines[0]


def test_several_mistakes_are_all_reported_at_once(environment) -> None:
    lines = problems(environment, {"TIMEZONE": "Mars/Olympus", "DIGEST_TIME": "noon", "PORT": "0"})
    assert [line.split()[0] for line in lines] == ["DIGEST_TIME", "TIMEZONE", "PORT"]


def test_secrets_are_never_repeated_in_messages(environment) -> None:
    secret_token = "xoxp-THIS-IS-SECRET"
    secret_url = "mysql://root:hunter2-secret@db/bot"
    lines = problems(environment, {"SLACK_BOT_TOKEN": secret_token, "DATABASE_URL": secret_url})
    text = "\n".join(lines)
    assert "THIS-IS-SECRET" not in text and "hunter2" not in text
    settings = environment()
    assert VALID["RAINBOW_PASSWORD"] not in repr(settings) and VALID["SLACK_SIGNING_SECRET"] not in str(settings)


def test_socket_mode_needs_no_signing_secret_and_embedded_rainbow_needs_no_credentials(environment) -> None:
    settings = environment(
        {"SLACK_SIGNING_SECRET": None, "SLACK_APP_TOKEN": "xapp-1-A-2-abc", "RAINBOW_HOST": "embedded"},
        base={"SLACK_BOT_TOKEN": "xoxb-1", "APPROVALS_CHANNEL": "C0123ABCD"},
    )
    assert settings.socket_mode and settings.rainbow_host == "embedded"


def test_values_are_normalised(environment) -> None:
    settings = environment(
        {
            "DATABASE_URL": "postgres://bot:pw@db:5432/bot",
            "SLACK_API_URL": "http://127.0.0.1:9999/api",
            "RAINBOW_HOST": "https://openrainbow.com/",
            "DIGEST_TIME": "7:05",
            "LOG_LEVEL": "debug",
            "LOG_FORMAT": "JSON",
            "APPROVERS": " U0123ABCD1 , S0123ABCD2 ,",
            "DIGEST_CHANNEL": "G0123ABCD",
        }
    )
    assert settings.database_url == "postgresql+asyncpg://bot:pw@db:5432/bot"
    assert settings.slack_api_url == "http://127.0.0.1:9999/api/"
    assert settings.rainbow_host == "https://openrainbow.com"
    assert settings.digest_time == time(7, 5)
    assert (settings.log_level, settings.log_format) == ("DEBUG", "json")
    assert settings.approvers == ("U0123ABCD1", "S0123ABCD2")
    assert settings.digest_channel_id == "G0123ABCD"


def test_dotenv_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("\n".join(f"{k}={v}" for k, v in {**VALID, "TIMEZONE": "Europe/Paris"}.items()))
    assert load_settings(env_file=env_file).zone.key == "Europe/Paris"


def test_store_settings_need_nothing_but_an_optional_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert load_store_settings(env_file=None).database_url.startswith("sqlite+aiosqlite://")
    monkeypatch.setenv("DATABASE_URL", "oracle://x")
    with pytest.raises(ConfigError, match=r"^DATABASE_URL must be"):
        load_store_settings(env_file=None)


slack_ids = st.from_regex(r"[UWS][A-Z0-9]{8,11}", fullmatch=True)


@given(st.lists(slack_ids, min_size=1, max_size=6), st.sampled_from([",", ", ", " ,"]))
def test_any_list_of_slack_ids_parses_back_to_itself(ids: list[str], separator: str) -> None:
    parsed = Settings.model_validate(
        {
            "approvers": separator.join(ids),
            "slack_bot_token": "xoxb-1",
            "slack_signing_secret": "s",
            "approvals_channel": "C0123ABCD",
            "rainbow_host": "embedded",
        }
    ).approvers
    assert parsed == tuple(ids)


@given(st.text(min_size=1, max_size=20).filter(lambda s: "," not in s and s.strip()))
def test_anything_that_is_not_a_slack_id_is_refused(item: str) -> None:
    from hypothesis import assume

    assume(not (item.strip()[:1] in "UWS" and item.strip()[1:].isalnum() and item.strip()[1:].isupper()))
    with pytest.raises(Exception, match="Slack user ids"):
        Settings.model_validate(
            {
                "resellers": item,
                "slack_bot_token": "xoxb-1",
                "slack_signing_secret": "s",
                "approvals_channel": "C0123ABCD",
                "rainbow_host": "embedded",
            }
        )
