"""Operator configuration (docs/architecture.md, "Operator contract"), read from the environment and ``.env``.

A missing or malformed value stops the program with one line per problem that
names the variable and says what is expected, every problem in one round. Secrets
are ``SecretStr`` and no message ever repeats a submitted value unless it is
harmless (a time zone name). Each command asks only for what it uses:
``StoreSettings`` (migrate) ⊂ ``DigestSettings`` (digest) ⊂ ``DigestPostSettings``
(digest --post) ⊂ ``Settings`` (run, check).
"""

import os
import re
from datetime import time
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email
from pydantic import Field, SecretStr, ValidationError, ValidatorFunctionWrapHandler, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

EMBEDDED = "embedded"
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{8,}$")
USER_ID = re.compile(r"^[UW][A-Z0-9]{8,}$")
USERGROUP_ID = re.compile(r"^S[A-Z0-9]{8,}$")
HH_MM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}
OAUTH_TRAP = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")


class ConfigError(Exception):
    """The configuration cannot be used; ``problems`` holds one sentence per variable."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _expects(text: str) -> Any:
    """What a variable must look like, quoted in the one-line error when it does not."""
    return {"expected": text}


class StoreSettings(BaseSettings):
    """What every command needs: where the store is and how to log."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        case_sensitive=False,
    )

    database_url: str = Field(
        "sqlite+aiosqlite:///./reseller-bot.db",
        json_schema_extra=_expects(
            "sqlite+aiosqlite:///path/to/file.db or postgresql+asyncpg://user:password@host:5432/dbname"
        ),
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", json_schema_extra=_expects("one of DEBUG, INFO, WARNING, ERROR")
    )
    log_format: Literal["text", "json"] = Field("text", json_schema_extra=_expects("text or json"))

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        scheme, separator, rest = value.strip().partition("://")
        if not separator or scheme.lower() not in ASYNC_DRIVERS or not rest:
            raise ValueError(
                "must be sqlite+aiosqlite:///path/to/file.db or postgresql+asyncpg://user:password@host:5432/dbname"
            )
        return f"{ASYNC_DRIVERS[scheme.lower()]}://{rest}"


AnySettings = TypeVar("AnySettings", bound=StoreSettings)


class DigestSettings(StoreSettings):
    """What ``digest`` (print only) needs besides the store: which digest, and when it is due."""

    approvals_channel: str | None = Field(None, json_schema_extra=_expects("a Slack channel id such as C0123ABCD"))
    digest_channel: str | None = Field(None, json_schema_extra=_expects("a Slack channel id such as C0123ABCD"))
    digest_time: time = Field(time(9, 0), json_schema_extra=_expects("HH:MM (24-hour), such as 09:00"))
    timezone: str = Field("UTC", json_schema_extra=_expects("an IANA time zone such as Europe/Paris"))
    stale_invitation_days: int = Field(
        7, ge=1, le=365, json_schema_extra=_expects("a whole number of days between 1 and 365")
    )

    @field_validator("approvals_channel", "digest_channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        if value is not None and not CHANNEL_ID.match(value.strip()):
            raise ValueError("must be a Slack channel id such as C0123ABCD (channel details → About)")
        return None if value is None else value.strip()

    @field_validator("digest_time", mode="before")
    @classmethod
    def _hh_mm(cls, value: Any) -> Any:
        if isinstance(value, time):
            return value
        match = HH_MM.match(str(value).strip())
        if not match:
            raise ValueError("must be HH:MM (24-hour), such as 09:00")
        return time(int(match.group(1)), int(match.group(2)))

    @field_validator("timezone")
    @classmethod
    def _iana_zone(cls, value: str) -> str:
        value = value.strip()
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone (such as Europe/Paris)") from None
        return value

    @property
    def digest_channel_id(self) -> str | None:
        return self.digest_channel or self.approvals_channel

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class DigestPostSettings(DigestSettings):
    """``digest --post`` also needs the bot token, the Web API and a channel to post in."""

    slack_bot_token: SecretStr = Field(json_schema_extra=_expects("a Slack bot token starting with xoxb-"))
    slack_api_url: str = Field(
        "https://slack.com/api/", json_schema_extra=_expects("an http(s) URL such as https://slack.com/api/")
    )

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must be a Slack bot token starting with xoxb- (OAuth & Permissions page)")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        value = value.strip()
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @model_validator(mode="wrap")
    @classmethod
    def _every_problem_at_once(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """Field errors and the rules that join several variables, reported in one round."""
        joint = cls._joint_problems(data if isinstance(data, dict) else {})
        try:
            settings = handler(data)
        except ValidationError as error:
            raise ConfigError(_explain(error, cls) + joint) from None
        if joint:
            raise ConfigError(joint)
        return settings

    @classmethod
    def _joint_problems(cls, raw: dict[str, Any]) -> list[str]:
        """Rules over several variables, read from the raw values so they hold even when a field is malformed."""
        if raw.get("digest_channel") is None and raw.get("approvals_channel") is None:
            return ["DIGEST_CHANNEL is required to post the digest: a Slack channel id such as C0123ABCD"]
        return []


class Settings(DigestPostSettings):
    """Everything ``run`` and ``check`` need."""

    slack_signing_secret: SecretStr | None = Field(
        None, json_schema_extra=_expects("the app's Signing Secret (Basic Information page)")
    )
    slack_app_token: SecretStr | None = Field(
        None, json_schema_extra=_expects("an app-level token starting with xapp- (Socket Mode)")
    )
    rainbow_host: str = Field(
        "https://sandbox.openrainbow.com",
        json_schema_extra=_expects("an https URL such as https://openrainbow.com, or 'embedded'"),
    )
    rainbow_login: str | None = Field(
        None, json_schema_extra=_expects("the e-mail address of the reseller (bp_admin) account")
    )
    rainbow_password: SecretStr | None = Field(
        None, json_schema_extra=_expects("the password of the reseller (bp_admin) account")
    )
    rainbow_app_id: str | None = Field(
        None, json_schema_extra=_expects("the Rainbow application id (developers portal)")
    )
    rainbow_app_secret: SecretStr | None = Field(
        None, json_schema_extra=_expects("the Rainbow application secret (developers portal)")
    )
    approvals_channel: str = Field(json_schema_extra=_expects("a Slack channel id such as C0123ABCD"))
    poll_interval_seconds: int = Field(
        60, ge=10, le=86400, json_schema_extra=_expects("a whole number of seconds between 10 and 86400")
    )
    rainbow_max_rps: float = Field(
        10.0,
        ge=0.1,
        le=100,
        json_schema_extra=_expects("a number of Rainbow requests per second between 0.1 and 100"),
    )
    approvers: Annotated[tuple[str, ...], NoDecode] = Field(
        (), json_schema_extra=_expects("comma-separated Slack user ids (U…) and/or user-group ids (S…)")
    )
    resellers: Annotated[tuple[str, ...], NoDecode] = Field(
        (), json_schema_extra=_expects("comma-separated Slack user ids (U…) and/or user-group ids (S…)")
    )
    host: str = Field("0.0.0.0", json_schema_extra=_expects("an interface address such as 0.0.0.0"))
    port: int = Field(3000, ge=1, le=65535, json_schema_extra=_expects("a TCP port between 1 and 65535"))

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp- (Basic Information page)")
        return value

    @field_validator("rainbow_host")
    @classmethod
    def _rainbow_host(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value.lower() == EMBEDDED:
            return EMBEDDED
        if not re.match(r"^https?://[^/\s]+$", value):
            raise ValueError("must be a base URL such as https://openrainbow.com (no path), or 'embedded'")
        return value

    @field_validator("rainbow_login")
    @classmethod
    def _rainbow_login(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            validate_email(value.strip(), check_deliverability=False)
        except EmailNotValidError:
            raise ValueError("must be the e-mail address of the reseller (bp_admin) account") from None
        return value.strip()

    @field_validator("approvers", "resellers", mode="before")
    @classmethod
    def _slack_principals(cls, value: Any) -> Any:
        items = [item.strip() for item in value.split(",")] if isinstance(value, str) else list(value)
        items = [item for item in items if item]
        for item in items:
            if not (USER_ID.match(item) or USERGROUP_ID.match(item)):
                raise ValueError(
                    f"must be comma-separated Slack user ids (U…) and/or user-group ids (S…); {item!r} is neither"
                )
        return tuple(items)

    @classmethod
    def _joint_problems(cls, raw: dict[str, Any]) -> list[str]:
        problems = []
        if raw.get("slack_app_token") is None and raw.get("slack_signing_secret") is None:
            problems.append(
                "SLACK_SIGNING_SECRET is required in HTTP mode (Basic Information → Signing Secret);"
                " or set SLACK_APP_TOKEN to use Socket Mode"
            )
        if str(raw.get("rainbow_host", "")).strip().lower() != EMBEDDED:
            for name in ("rainbow_login", "rainbow_password", "rainbow_app_id", "rainbow_app_secret"):
                if raw.get(name) is None:
                    problems.append(f"{name.upper()} is required: {_expected(cls, name)}; or set RAINBOW_HOST=embedded")
        return problems

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def digest_channel_id(self) -> str:
        return self.digest_channel or self.approvals_channel


def _expected(model: type[BaseSettings], name: str) -> str:
    """The ``expected`` wording of a field, quoted in its one-line error."""
    field = model.model_fields.get(name)
    extra = field.json_schema_extra if field is not None else None
    return str(extra.get("expected", "a valid value")) if isinstance(extra, dict) else "a valid value"


def _explain(error: ValidationError, model: type[BaseSettings]) -> list[str]:
    """One sentence per failing variable, built from our own wording, never from the submitted value."""
    problems: list[str] = []
    for item in error.errors(include_input=False):
        if not item["loc"]:
            continue
        name = str(item["loc"][0])
        variable = name.upper()
        if item["type"] == "missing":
            problems.append(f"{variable} is required: {_expected(model, name)}")
        elif item["type"] == "value_error":
            problems.append(f"{variable} {item['msg'].removeprefix('Value error, ')}")
        else:
            problems.append(f"{variable} must be {_expected(model, name)}")
    return problems


def _oauth_trap() -> list[str]:
    if all(os.environ.get(name) for name in OAUTH_TRAP):
        return [
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are both set: Bolt would switch to OAuth and ignore"
            " SLACK_BOT_TOKEN; unset them (this app uses a single-workspace bot token)"
        ]
    return []


def _load(model: type[AnySettings], env_file: Path | str | None, problems: list[str]) -> AnySettings:
    try:
        settings = model(_env_file=env_file)
    except ValidationError as error:
        problems = problems + _explain(error, model)
    except ConfigError as error:
        problems = problems + error.problems
    if problems:
        raise ConfigError(problems)
    return settings


def load_store_settings(env_file: Path | str | None = ".env") -> StoreSettings:
    """Settings for commands that only touch the store (``migrate``)."""
    return _load(StoreSettings, env_file, [])


def load_digest_settings(env_file: Path | str | None = ".env", *, post: bool = False) -> DigestSettings:
    """Settings for ``digest``: the store and the digest's own settings, plus Slack's to ``--post``."""
    return _load(DigestPostSettings if post else DigestSettings, env_file, [])


def load_settings(env_file: Path | str | None = ".env") -> Settings:
    """Full settings; raises ConfigError listing every problem, one line each."""
    return _load(Settings, env_file, _oauth_trap())
