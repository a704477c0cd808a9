"""Input checks: every mistake is named on its field, and nothing invalid gets through."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.drafts import UNAVAILABLE, AdminChoice, CompanyDraft, LinkChoice

VALID = {"name": "Acme", "country": "FRA", "visibility": "private"}


def problems(raw: dict) -> dict[str, str]:
    parsed = CompanyDraft.parse(raw)
    assert isinstance(parsed, dict), parsed
    return parsed


def test_a_complete_form_becomes_a_draft_with_clean_values() -> None:
    draft = CompanyDraft.parse(
        {
            "name": "  Étoile Télécom ",
            "country": "can",
            "state": " qc",
            "visibility": "public",
            "external_reference": "CUST-1",
            "support_email": "help@etoile.example.com",
        }
    )
    assert draft == CompanyDraft(
        name="Étoile Télécom",
        country="CAN",
        state="QC",
        visibility="public",
        external_reference="CUST-1",
        support_email="help@etoile.example.com",
    )
    assert CompanyDraft.from_data(draft.to_data()) == draft


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": "   "}, "name", "Give the company a name"),
        ({"name": "x" * 101}, "name", "at most 100 characters"),
        ({"name": "Acme\nCorp"}, "name", "line breaks"),
        ({"country": None}, "country", "Choose the company's country"),
        ({"country": "XYZ"}, "country", "not a country Rainbow knows"),
        ({"country": "USA"}, "state", "A state is required"),
        ({"country": "CAN", "state": "ZZ"}, "state", "not a valid code"),
        ({"state": "NY"}, "state", "Only companies in the USA or Canada"),
        ({"visibility": "everyone"}, "visibility", "Choose one of the listed"),
        ({"support_email": "not-an-address"}, "support_email", "not a valid e-mail"),
        ({"external_reference": "r" * 65}, "external_reference", "At most 64"),
    ],
)
def test_each_mistake_is_reported_on_its_field(changes: dict, field: str, words: str) -> None:
    found = problems({**VALID, **changes})
    assert list(found) == [field] and words in found[field]


def test_a_country_rainbow_does_not_list_is_refused() -> None:
    parsed = CompanyDraft.parse(VALID, known_countries={"DEU"})
    assert isinstance(parsed, dict) and "country" in parsed


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({}, "admin_email"),
        ({"email": "a@b.example.com", "user_id": "u1"}, "admin_email"),
        ({"email": "nope"}, "admin_email"),
        ({"user_id": UNAVAILABLE}, "admin_user"),
        ({"email": "a@b.example.com", "lang": "tlh"}, "lang"),
        ({"email": "a@b.example.com", "message": "m" * 1001}, "message"),
    ],
)
def test_administrator_choice_needs_exactly_one_valid_way_to_reach_them(raw: dict, field: str) -> None:
    parsed = AdminChoice.parse(raw)
    assert isinstance(parsed, dict) and field in parsed


def test_administrator_by_e_mail_or_by_picked_user() -> None:
    assert AdminChoice.parse({"email": "boss@acme.example.com", "lang": "fr"}) == AdminChoice(
        email="boss@acme.example.com", lang="fr"
    )
    picked = AdminChoice.parse({"user_id": "5f00", "user_label": "Ada Lovelace (ada@x.example.com)"})
    assert isinstance(picked, AdminChoice) and picked.who == "Ada Lovelace (ada@x.example.com)"


def test_link_choice_needs_a_company() -> None:
    assert LinkChoice.parse({"company": {}}) == {
        "company": "Pick the company to invite (type at least two letters of its name)."
    }
    choice = LinkChoice.parse({"company": {"id": "c1", "name": "Acme", "country": "FRA"}, "lang": "de"})
    assert isinstance(choice, LinkChoice) and choice.label == "Acme (FRA)" and choice.lang == "de"


@given(st.text(max_size=300))
def test_no_input_crashes_the_parser(name: str) -> None:
    parsed = CompanyDraft.parse({**VALID, "name": name})
    if isinstance(parsed, CompanyDraft):
        assert parsed.name == name.strip() and 0 < len(parsed.name) <= 100
    else:
        assert set(parsed) == {"name"}


@pytest.mark.parametrize("address", ["help@acme.agency", "o'brien@acme.com", "jörg@acme.de", "help@acme.consulting"])
def test_addresses_rainbow_would_refuse_are_refused_on_their_field(address: str) -> None:
    """Rainbow's own pattern (admin OpenAPI 1.82.0, PostCompanies.supportEmail / admin_PostJoinCompanyInvite.email)."""
    found = problems({**VALID, "support_email": address})
    admin = AdminChoice.parse({"email": address})

    assert "Rainbow accepts only addresses ending in a 2–4 letter domain, such as .com or .fr" in found["support_email"]
    assert isinstance(admin, dict)
    assert "2–4 letter domain" in admin["admin_email"]


@pytest.mark.parametrize("visibility", ["organization", "closed", "isolated"])
def test_only_the_documented_create_visibilities_are_offered(visibility: str) -> None:
    assert "visibility" in problems({**VALID, "visibility": visibility})
    assert isinstance(CompanyDraft.parse({**VALID, "visibility": "organisation"}), CompanyDraft)


@pytest.mark.parametrize(("state", "valid"), [("AA", True), ("AE", True), ("GU", True), ("AS", False), ("UM", False)])
def test_us_states_are_rainbow_s_list_not_iso(state: str, valid: bool) -> None:
    parsed = CompanyDraft.parse({**VALID, "country": "USA", "state": state})

    assert isinstance(parsed, CompanyDraft) is valid
