"""What a reseller typed, checked before anything reaches Rainbow.

Each check returns the problem in words, keyed by field, so the modal can show it
beside the right input; nothing is stored or sent until every field is right.
"""

import re
from dataclasses import asdict, dataclass
from typing import Any, Self

import pycountry
from email_validator import EmailNotValidError, validate_email

NAME_MAX = 100
REFERENCE_MAX = 64
MESSAGE_MAX = 1000
# The `state` codes Rainbow accepts when creating a company in the USA or Canada: the enum and its
# names in the PostCompanies definition (Rainbow admin portal OpenAPI 1.82.0, `PostCompanies.state`).
RAINBOW_STATES = {
    "USA": {
        "AA": "Armed Forces America", "AE": "Armed Forces", "AP": "Armed Forces Pacific", "AK": "Alaska",
        "AL": "Alabama", "AR": "Arkansas", "AZ": "Arizona", "CA": "California", "CO": "Colorado",
        "CT": "Connecticut", "DC": "Washington DC", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
        "GU": "Guam", "HI": "Hawaii", "IA": "Iowa", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana",
        "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "MA": "Massachusetts", "MD": "Maryland",
        "ME": "Maine", "MI": "Michigan", "MN": "Minnesota", "MO": "Missouri", "MS": "Mississippi",
        "MT": "Montana", "NC": "North Carolina", "ND": "North Dakota", "NE": "Nebraska", "NH": "New Hampshire",
        "NJ": "New Jersey", "NM": "New Mexico", "NV": "Nevada", "NY": "New York", "OH": "Ohio",
        "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island",
        "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah",
        "VA": "Virginia", "VI": "Virgin Islands", "VT": "Vermont", "WA": "Washington", "WI": "Wisconsin",
        "WV": "West Virginia", "WY": "Wyoming",
    },
    "CAN": {
        "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
        "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories", "NU": "Nunavut",
        "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec", "SK": "Saskatchewan", "YT": "Yukon",
    },
}  # fmt: skip
STATE_EXAMPLE = {"USA": "NY", "CAN": "QC"}
# Only the values the create operation documents (PostCompanies.visibility enum, admin OpenAPI 1.82.0),
# spelled as it spells them.
VISIBILITIES = {
    "private": "Only Rainbow users invited by the company see it (Rainbow's default).",
    "public": "Every Rainbow user can find the company and ask to join it.",
    "organisation": "Companies of the same organisation can see it.",
}
# The pattern Rainbow checks supportEmail, adminEmail and invitation e-mails with (admin OpenAPI 1.82.0,
# PostCompanies.supportEmail / adminEmail, admin_PostJoinCompanyInvite.email; Rainbow-Node-SDK 2025
# AdminService.ts gives the same for supportEmail).
RAINBOW_EMAIL = re.compile(r"^[a-zA-Z0-9_\+-]+(\.[a-zA-Z0-9_\+-]+)*@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*\.([a-zA-Z]{2,4})$")
LANGUAGES = {
    "en": "English",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "it": "Italiano",
    "pt": "Português",
    "nl": "Nederlands",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean(value: Any) -> str | None:
    """Trim a submitted string; an empty one is no value at all."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def state_codes(country: str) -> dict[str, str]:
    """The state/province codes Rainbow accepts (``NY``, ``QC``) with their names, for a country that needs one."""
    return dict(RAINBOW_STATES.get(country, {}))


def email_problem(address: str) -> str | None:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return f"“{address}” is not a valid e-mail address."
    if not RAINBOW_EMAIL.match(address):
        return (
            f"Rainbow would refuse “{address}”: Rainbow accepts only addresses ending in a 2–4 letter domain,"
            " such as .com or .fr, with only letters, digits, dots, _, + and - before the @."
        )
    return None


class Stored:
    """A dataclass kept in a flow's JSON data between modal steps."""

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = asdict(self)  # type: ignore[call-overload]  # every subclass is a dataclass
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Self:
        fields = cls.__dataclass_fields__  # type: ignore[attr-defined]  # every subclass is a dataclass
        return cls(**{key: data[key] for key in fields if key in data})


@dataclass(frozen=True)
class CompanyDraft(Stored):
    name: str
    country: str
    state: str | None = None
    visibility: str = "private"
    external_reference: str | None = None
    external_reference2: str | None = None
    support_email: str | None = None

    @classmethod
    def parse(cls, raw: dict[str, Any], known_countries: set[str] | None = None) -> "CompanyDraft | dict[str, str]":
        """A valid draft, or the problems keyed by field name."""
        problems: dict[str, str] = {}
        name = clean(raw.get("name"))
        if name is None:
            problems["name"] = "Give the company a name."
        elif len(name) > NAME_MAX:
            problems["name"] = f"The name can have at most {NAME_MAX} characters ({len(name)} now)."
        elif _CONTROL.search(name):
            problems["name"] = "The name cannot contain line breaks or control characters."
        country = (clean(raw.get("country")) or "").upper()
        if not country:
            problems["country"] = "Choose the company's country."
        elif (
            (country not in known_countries)
            if known_countries is not None
            else (pycountry.countries.get(alpha_3=country) is None)
        ):
            problems["country"] = f"“{country}” is not a country Rainbow knows; pick one from the list."
        state = (clean(raw.get("state")) or "").upper() or None
        if country in RAINBOW_STATES:
            valid_states = state_codes(country)
            if state is None:
                kind = "state" if country == "USA" else "province"
                problems["state"] = f"A {kind} is required for this country (for example {STATE_EXAMPLE[country]})."
            elif state not in valid_states:
                problems["state"] = (
                    f"“{state}” is not a valid code here; use one such as {', '.join(sorted(valid_states)[:6])}."
                )
        elif state is not None and country:
            problems["state"] = "Only companies in the USA or Canada have a state; leave it empty."
        visibility = clean(raw.get("visibility")) or "private"
        if visibility not in VISIBILITIES:
            problems["visibility"] = "Choose one of the listed visibilities."
        references = {}
        for key in ("external_reference", "external_reference2"):
            reference = references[key] = clean(raw.get(key))
            if reference is not None and len(reference) > REFERENCE_MAX:
                problems[key] = f"At most {REFERENCE_MAX} characters."
        support_email = clean(raw.get("support_email"))
        if support_email is not None and (problem := email_problem(support_email)):
            problems["support_email"] = problem
        if problems:
            return problems
        assert name is not None
        return cls(
            name=name,
            country=country,
            state=state,
            visibility=visibility,
            external_reference=references["external_reference"],
            external_reference2=references["external_reference2"],
            support_email=support_email,
        )


@dataclass(frozen=True)
class AdminChoice(Stored):
    """Who becomes the new company's administrator: an e-mail, or an existing Rainbow user."""

    email: str | None = None
    user_id: str | None = None
    user_label: str | None = None
    lang: str = "en"
    message: str | None = None

    @property
    def who(self) -> str:
        return self.email or self.user_label or "the chosen Rainbow user"

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> "AdminChoice | dict[str, str]":
        problems: dict[str, str] = {}
        email = clean(raw.get("email"))
        user_id = clean(raw.get("user_id"))
        if user_id == UNAVAILABLE:
            problems["admin_user"] = "Searching Rainbow users is not available; invite by e-mail instead."
            user_id = None
        elif email and user_id:
            problems["admin_email"] = "Give an e-mail or pick a user, not both."
        elif not email and not user_id:
            problems["admin_email"] = "Give the administrator's e-mail address, or pick an existing Rainbow user."
        if email and "admin_email" not in problems and (problem := email_problem(email)):
            problems["admin_email"] = problem
        lang = clean(raw.get("lang")) or "en"
        if lang not in LANGUAGES:
            problems["lang"] = "Choose one of the listed languages."
        message = parse_message(raw.get("message"), problems)
        if problems:
            return problems
        return cls(email=email, user_id=user_id, user_label=clean(raw.get("user_label")), lang=lang, message=message)


UNAVAILABLE = "-unavailable-"  # the value of an option that only carries an explanation


def parse_message(value: Any, problems: dict[str, str]) -> str | None:
    message = clean(value)
    if message is not None and len(message) > MESSAGE_MAX:
        problems["message"] = f"The message can have at most {MESSAGE_MAX} characters ({len(message)} now)."
    return message


@dataclass(frozen=True)
class LinkChoice(Stored):
    """Which existing company to invite, in what language, with what words."""

    company_id: str
    company_name: str
    country: str | None = None
    status: str | None = None
    lang: str = "en"
    message: str | None = None

    @property
    def label(self) -> str:
        return f"{self.company_name} ({self.country})" if self.country else self.company_name

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> "LinkChoice | dict[str, str]":
        """``raw["company"]`` is the picked option: ``{"value": id, "text": "Name (FRA)"}`` as stored."""
        problems: dict[str, str] = {}
        company = raw.get("company") or {}
        company_id = clean(company.get("id"))
        if company_id is None:
            problems["company"] = "Pick the company to invite (type at least two letters of its name)."
        elif company_id == UNAVAILABLE:
            problems["company"] = "Rainbow could not be searched; type the letters again in a minute."
        lang = clean(raw.get("lang")) or "en"
        if lang not in LANGUAGES:
            problems["lang"] = "Choose one of the listed languages."
        message = parse_message(raw.get("message"), problems)
        if problems:
            return problems
        assert company_id is not None
        return cls(
            company_id=company_id,
            company_name=clean(company.get("name")) or company_id,
            country=clean(company.get("country")),
            status=clean(company.get("status")),
            lang=lang,
            message=message,
        )
