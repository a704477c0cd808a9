"""Models are tolerant of missing and extra fields, read "_id", and parse dates to aware UTC."""

from datetime import UTC, datetime

from bot.rainbow.models import (
    Company,
    Country,
    JoinInvitation,
    LinkInvitation,
    LinkRequest,
    LoggedInUser,
    RainbowUser,
)


def test_logged_in_user_from_documented_login_answer() -> None:
    user = LoggedInUser.from_api(
        {
            "id": "u1",
            "loginEmail": "bot@reseller.example.com",
            "displayName": "Reseller Bot",
            "companyId": "bp1",
            "companyName": "Reseller",
            "roles": ["user", "admin", "bp_admin"],
            "adminType": "bp_admin",
            "isInDefaultCompany": False,
            "somethingNew": 1,
        }
    )

    assert user.company_id == "bp1"
    assert user.roles == ("user", "admin", "bp_admin")
    assert user.is_bp_admin
    assert not LoggedInUser.from_api({"id": "u2", "roles": ["user"], "companyId": "c"}).is_bp_admin


def test_company_reads_fields_and_dates() -> None:
    company = Company.from_api(
        {
            "id": "c1",
            "name": "Acme",
            "country": "FRA",
            "status": "initializing",
            "visibility": "private",
            "bpId": "bp1",
            "externalReference": "CUST-1",
            "externalReference2": "Q3",
            "supportEmail": "support@acme.example.com",
            "creationDate": "2026-03-01T10:20:30.123Z",
        }
    )

    assert company.external_reference == "CUST-1"
    assert company.creation_date == datetime(2026, 3, 1, 10, 20, 30, 123000, tzinfo=UTC)


def test_small_format_and_missing_fields() -> None:
    company = Company.from_api({"_id": "c2", "name": "Small"})

    assert company.id == "c2"
    assert company.status is None
    assert company.creation_date is None


def test_dates_are_normalised_to_utc() -> None:
    invitation = LinkInvitation.from_api(
        {"id": "i1", "invitationDate": "2026-03-01T12:00:00+02:00", "acceptationDate": "garbage"}
    )
    naive = LinkRequest.from_api({"_id": "r1", "requestDate": "2026-03-01T12:00:00"})

    assert invitation.invitation_date == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert invitation.acceptation_date is None
    assert naive.id == "r1"
    assert naive.request_date == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_join_invitation_and_user_and_country() -> None:
    invitation = JoinInvitation.from_api(
        {"id": "j1", "companyId": "c1", "invitedUserLoginEmail": "a@b.example.com", "status": "pending"}
    )
    user = RainbowUser.from_api({"id": "u9", "firstName": "Zoé", "lastName": "Martin", "companyId": "d"})

    assert invitation.invited_to_be_company_admin is None
    assert invitation.status == "pending"
    assert user.display_name == "Zoé Martin"
    assert invitation.invited_user_login_email == "a@b.example.com"


def test_join_invitation_reads_the_examples_email_field_too() -> None:
    """The schema says invitedUserLoginEmail, every official example says invitedUserEmail (SPEC-admin 1.82.0)."""
    invitation = JoinInvitation.from_api({"id": "j1", "invitedUserEmail": "boss@acme.com", "status": "pending"})

    assert invitation.invited_user_login_email == "boss@acme.com"


def test_country_reads_the_documented_fields() -> None:
    assert Country.from_api({"isoAlpha3Code": "FRA", "fullname": "France"}) == Country("FRA", "France")
    newer = Country.from_api(
        {"isoAlpha3Code": "USA", "isoAlpha2Code": "US", "fullname": "United States", "states": ["NY", {"code": "AA"}]}
    )
    assert (newer.alpha2, newer.states) == ("US", ("NY", "AA"))
    assert Country.from_api({"alpha3Code": "FRA", "name": "France"}).alpha3 == ""  # the invented shape is not read
