"""Login, lockout, Bearer checks, expiry, renew and logout behave as Rainbow's auth API 1.104.0 says."""

from __future__ import annotations

import asyncio
import base64
import hashlib

import aiohttp
import jwt
import pytest

from standins.rainbow import Sandbox

from .rainbow_http import ADMIN, AUTH, ENDUSER, RainbowHttp, basic


async def test_login_body_is_not_wrapped_and_carries_the_documented_jwt(
    anonymous: RainbowHttp, sandbox: Sandbox
) -> None:
    reply = await anonymous.login()

    assert reply.status == 200
    assert set(reply.body) == {"token", "loggedInUser", "loggedInApplication"}
    user = reply.body["loggedInUser"]
    assert user["companyId"] == sandbox.bp_company_id
    assert user["roles"] == ["user", "admin", "bp_admin"]
    assert user["adminType"] == "bp_admin"
    assert user["isInDefaultCompany"] is False
    claims = jwt.decode(reply.body["token"], options={"verify_signature": False})
    assert claims["countRenewed"] == 0
    assert claims["maxTokenRenew"] == 5
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["user"] == {"id": user["id"], "loginEmail": sandbox.credentials.login}
    assert claims["app"]["id"] == sandbox.credentials.app_id


async def test_wrong_app_hash_is_refused(anonymous: RainbowHttp, sandbox: Sandbox) -> None:
    credentials = sandbox.credentials
    separated = hashlib.sha256(f"{credentials.app_secret}:{credentials.password}".encode()).hexdigest()
    upper_hex = hashlib.sha256((credentials.app_secret + credentials.password).encode()).hexdigest().upper()

    for header in (basic(credentials.app_id, separated), basic(credentials.app_id, upper_hex)):
        reply = await anonymous.login(app_header=header)
        assert (reply.status, reply.detail_code) == (401, 401500)


@pytest.mark.rainbow_deviation
async def test_wrong_app_id_and_missing_app_header_are_refused(anonymous: RainbowHttp, sandbox: Sandbox) -> None:
    credentials = sandbox.credentials
    digest = hashlib.sha256((credentials.app_secret + credentials.password).encode()).hexdigest()

    wrong_id = await anonymous.login(app_header=basic("not-the-app", digest))
    no_header = await anonymous.request(
        "GET", f"{AUTH}/login", headers={"Authorization": basic(credentials.login, credentials.password)}
    )

    assert (wrong_id.status, no_header.status) == (401, 400)  # the header is required by GetBasicLogin
    assert wrong_id.body["errorMsg"] == "Unauthorized"


async def test_five_failures_lock_the_account_even_for_the_right_password(
    anonymous: RainbowHttp, sandbox: Sandbox
) -> None:
    for _ in range(5):
        failed = await anonymous.login(password="wrong")
        assert failed.detail_code == 401500

    locked = await anonymous.login()

    assert (locked.status, locked.detail_code) == (401, 401501)
    sandbox.advance_clock(60 * 60 + 1)
    assert (await anonymous.login()).status == 200


async def test_a_failure_during_the_lock_restarts_it(anonymous: RainbowHttp, sandbox: Sandbox) -> None:
    for _ in range(5):
        await anonymous.login(password="wrong")
    sandbox.advance_clock(50 * 60)
    assert (await anonymous.login(password="still wrong")).detail_code == 401501

    sandbox.advance_clock(20 * 60)
    still_locked = await anonymous.login()
    sandbox.advance_clock(41 * 60)
    unlocked = await anonymous.login()

    assert still_locked.detail_code == 401501
    assert unlocked.status == 200


async def test_a_success_resets_the_failure_count(anonymous: RainbowHttp) -> None:
    for _ in range(4):
        await anonymous.login(password="wrong")
    assert (await anonymous.login()).status == 200
    for _ in range(4):
        await anonymous.login(password="wrong")

    assert (await anonymous.login()).status == 200


@pytest.mark.rainbow_deviation
async def test_login_path_is_case_sensitive(anonymous: RainbowHttp, sandbox: Sandbox) -> None:
    credentials = sandbox.credentials
    headers = {
        "Authorization": basic(credentials.login, credentials.password),
        "x-rainbow-app-auth": credentials.app_auth_header(),
    }

    reply = await anonymous.request("GET", f"{AUTH}/Login", headers=headers)

    assert reply.status == 404


async def test_api_routes_need_a_valid_bearer(anonymous: RainbowHttp) -> None:
    missing = await anonymous.get(f"{ADMIN}/companies")
    other_key = "a-signing-key-that-is-not-the-sandbox-one"
    forged_token = jwt.encode({"user": {"id": "x"}, "iat": 0, "exp": 2**31}, other_key, algorithm="HS256")
    forged = await anonymous.get(f"{ENDUSER}/countries", headers={"Authorization": f"Bearer {forged_token}"})
    basic_instead = await anonymous.get(f"{ENDUSER}/countries", headers={"Authorization": basic("a", "b")})

    for reply in (missing, forged, basic_instead):
        assert (reply.status, reply.detail_code) == (401, 401000)


async def test_an_expired_token_is_refused_with_jwt_expired(api: RainbowHttp, sandbox: Sandbox) -> None:
    sandbox.set_faults(token_lifetime_seconds=1)
    assert (await api.login()).status == 200

    await asyncio.sleep(1.2)
    reply = await api.get(f"{ENDUSER}/countries")

    assert reply.status == 401
    assert reply.body["errorDetails"] == "jwt expired"
    assert (reply.detail_code, reply.body["errorDetails"]) == (401000, "jwt expired")


async def test_renew_counts_up_to_the_maximum_then_refuses(api: RainbowHttp, sandbox: Sandbox) -> None:
    sandbox.set_faults(max_token_renew=2)
    await api.login()

    for expected_count in (1, 2):
        renewed = await api.get(f"{AUTH}/renew")
        assert renewed.status == 200
        assert "data" not in renewed.body
        api.token = renewed.body["token"]
        assert jwt.decode(api.token, options={"verify_signature": False})["countRenewed"] == expected_count

    refused = await api.get(f"{AUTH}/renew")
    assert refused.status == 401
    assert (await api.get(f"{ENDUSER}/countries")).status == 200


async def test_logout_revokes_the_token(api: RainbowHttp) -> None:
    assert (await api.get(f"{AUTH}/logout")).status == 200

    reply = await api.get(f"{ENDUSER}/countries")

    assert (reply.status, reply.detail_code) == (401, 401000)
    assert (await api.login()).status == 200


async def test_app_auth_helper_matches_the_documented_python_recipe(sandbox: Sandbox) -> None:
    credentials = sandbox.credentials
    digest = hashlib.sha256((credentials.app_secret + credentials.password).encode()).hexdigest()
    recipe = base64.b64encode(f"{credentials.app_id}:{digest}".encode()).decode()

    assert credentials.app_auth_header() == f"Basic {recipe}"


async def test_an_account_without_bp_admin_cannot_create_companies() -> None:
    sandbox = Sandbox(account_roles=["user", "admin"])
    await sandbox.start()
    try:
        async with aiohttp.ClientSession() as session:
            caller = RainbowHttp(session, sandbox)
            assert (await caller.login()).body["loggedInUser"]["adminType"] == "company_admin"
            reply = await caller.post(f"{ADMIN}/companies", {"name": "Acme", "country": "FRA"})
    finally:
        await sandbox.stop()

    assert reply.status == 403


@pytest.mark.rainbow_deviation
async def test_a_plain_user_account_cannot_use_the_admin_api() -> None:
    sandbox = Sandbox(account_roles=["user"])
    await sandbox.start()
    try:
        async with aiohttp.ClientSession() as session:
            caller = RainbowHttp(session, sandbox)
            await caller.login()
            own_company = await caller.get(f"{ADMIN}/companies/{sandbox.bp_company_id}")
            invitation = await caller.post(
                f"{ADMIN}/companies/{sandbox.bp_company_id}/join-companies/invitations", {"email": "a@b.com"}
            )
            countries = await caller.get(f"{ENDUSER}/countries")
    finally:
        await sandbox.stop()

    assert (own_company.status, invitation.status, countries.status) == (403, 403, 200)
