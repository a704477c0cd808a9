"""Login, renewal and the never-retried refused login, counted on the sandbox."""

import asyncio

import aiohttp
import pytest
from pydantic import SecretStr

from bot.rainbow import RainbowClient, RainbowLoginRefused
from standins.rainbow import Sandbox
from tests.contract.support import LOGIN, RENEW, ClientFactory, Controls


async def test_login_reads_the_bp_account(make_client: ClientFactory, sandbox: Sandbox, controls: Controls) -> None:
    client = make_client()

    me = await client.login()

    assert me.is_bp_admin
    assert me.company_id == sandbox.bp_company_id
    assert client.me == me
    assert me.login_email == sandbox.credentials.login
    assert controls.count(LOGIN) == 1


async def test_calls_log_in_lazily_once(make_client: ClientFactory, controls: Controls) -> None:
    client = make_client()

    await asyncio.gather(*(client.countries() for _ in range(20)))

    assert controls.count(LOGIN) == 1
    assert controls.count(RENEW) == 0


async def _wave(client: RainbowClient, company_id: str, size: int = 50) -> None:
    companies = await asyncio.gather(*(client.get_company(company_id) for _ in range(size)))
    assert {company.id for company in companies} == {company_id}


async def test_renew_then_login_again_under_concurrency(
    make_client: ClientFactory, controls: Controls, sandbox: Sandbox
) -> None:
    """2-second tokens, one renewal allowed: exactly one renew, then exactly one new login."""
    await controls.faults(token_lifetime_seconds=2, max_token_renew=1)
    client = make_client()
    await client.login()
    our_id = sandbox.bp_company_id

    await _wave(client, our_id)
    assert (controls.count(LOGIN), controls.count(RENEW)) == (1, 0)

    await asyncio.sleep(0.7)
    await _wave(client, our_id)
    assert (controls.count(LOGIN), controls.count(RENEW)) == (1, 1)

    await asyncio.sleep(0.7)
    await _wave(client, our_id)
    assert (controls.count(LOGIN), controls.count(RENEW)) == (2, 1)


async def test_expired_token_leads_to_one_new_login(make_client: ClientFactory, controls: Controls) -> None:
    # 4 s tokens: past 3 s the client counts it expired; the next token is renewed only after 1.5 s,
    # which leaves the 50 calls (each answer checked against the contract) time on a busy machine.
    await controls.faults(token_lifetime_seconds=4, max_token_renew=5)
    client = make_client()
    await client.login()

    await asyncio.sleep(3.2)
    await asyncio.gather(*(client.countries() for _ in range(50)))

    assert (controls.count(LOGIN), controls.count(RENEW)) == (2, 0)


async def test_wrong_password_is_tried_once(make_client: ClientFactory, controls: Controls) -> None:
    client = make_client(password="not-the-password")

    with pytest.raises(RainbowLoginRefused) as first:
        await client.login()
    results = await asyncio.gather(*(client.countries() for _ in range(10)), return_exceptions=True)
    with pytest.raises(RainbowLoginRefused):
        await client.get_company("anything")

    assert controls.count(LOGIN) == 1
    assert all(isinstance(result, RainbowLoginRefused) for result in results)
    assert str(first.value) == (
        f"Rainbow refused the login for {client._login_email}: wrong password or application credentials"
    )
    assert "not-the-password" not in str(first.value) + repr(first.value)
    assert first.value.error_details_code == 401500


async def test_wrong_password_under_concurrency_is_tried_once(make_client: ClientFactory, controls: Controls) -> None:
    client = make_client(password="not-the-password")

    results = await asyncio.gather(*(client.countries() for _ in range(25)), return_exceptions=True)

    assert all(isinstance(result, RainbowLoginRefused) for result in results)
    assert controls.count(LOGIN) == 1


async def test_wrong_app_secret_is_refused_like_a_wrong_password(
    make_client: ClientFactory, controls: Controls
) -> None:
    client = make_client(app_secret="not-the-app-secret")

    with pytest.raises(RainbowLoginRefused) as refused:
        await client.login()

    assert "not-the-app-secret" not in str(refused.value) + repr(refused.value)
    assert controls.count(LOGIN) == 1


async def test_login_is_tried_again_after_the_back_off(make_client: ClientFactory, controls: Controls) -> None:
    client = make_client(password="not-the-password", login_backoff_seconds=0.3)

    with pytest.raises(RainbowLoginRefused):
        await client.login()
    with pytest.raises(RainbowLoginRefused):
        await client.countries()
    await asyncio.sleep(0.35)
    with pytest.raises(RainbowLoginRefused):
        await client.countries()

    assert controls.count(LOGIN) == 2


async def test_locked_account_is_reported(make_client: ClientFactory, controls: Controls) -> None:
    """Five refused logins (five separate clients, one attempt each) lock the account."""
    for _ in range(5):
        with pytest.raises(RainbowLoginRefused) as refused:
            await make_client(password="wrong").login()
        assert not refused.value.account_locked

    with pytest.raises(RainbowLoginRefused) as locked:
        await make_client().login()

    assert locked.value.account_locked
    assert "locked" in str(locked.value)
    assert controls.count(LOGIN) == 6


async def test_a_session_passed_in_stays_open_and_secretstr_is_accepted(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    async with aiohttp.ClientSession() as session:
        async with make_client(session=session, password=SecretStr(sandbox.credentials.password)) as client:
            await client.login()

        assert not session.closed
        assert sandbox.credentials.password not in repr(client)


async def test_a_password_outside_latin1_is_refused_without_trying(
    make_client: ClientFactory, controls: Controls
) -> None:
    """The official SDK sends Basic auth as Latin-1 (npm btoa); a password it cannot encode is not sent at all,
    so no refused attempt counts towards the lock."""
    with pytest.raises(RainbowLoginRefused) as refused:
        await make_client(password="mot-de-passe-€").login()

    assert "Latin-1" in str(refused.value)
    assert controls.count(LOGIN) == 0


async def test_login_and_calls_follow_the_documented_headers(
    make_client: ClientFactory, sandbox: Sandbox, controls: Controls
) -> None:
    """x-rainbow-client takes only Rainbow's own client names (SPEC-auth GetBasicLogin): the bot sends none."""
    client = make_client()

    await client.login()
    await client.countries()

    assert sandbox.contract.deviations == []
    assert controls.count(LOGIN) == 1


@pytest.mark.parametrize(
    ("code", "words"),
    [(401521, "company is not active"), (401523, "account has expired"), (401500, "wrong password")],
)
async def test_each_login_refusal_code_reaches_check_and_the_logs_in_its_own_words(
    make_client: ClientFactory, controls: Controls, caplog: pytest.LogCaptureFixture, code: int, words: str
) -> None:
    rule = {"method": "GET", "path_prefix": LOGIN.split(" ", 1)[1], "status": 401, "details_code": code}
    await controls.faults(rules=[rule])

    with pytest.raises(RainbowLoginRefused) as refused:
        await make_client().login()

    assert words in str(refused.value)  # `reseller-bot check` prints this sentence
    assert words in caplog.text
