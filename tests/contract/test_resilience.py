"""Retries, their limits, and the errors callers see, with faults injected by the sandbox."""

import pytest

from bot.rainbow import (
    RainbowClient,
    RainbowConflict,
    RainbowRateLimited,
    RainbowServerError,
    RainbowUnavailable,
    RetryPolicy,
)
from standins.rainbow import Sandbox
from tests.contract.support import COMPANIES, COMPANY, FAST_RETRIES, ClientFactory, Controls


async def test_503_on_get_is_retried_until_it_succeeds(
    client: RainbowClient, controls: Controls, sandbox: Sandbox
) -> None:
    await controls.faults(rules=[{"method": "GET", "path_prefix": COMPANIES + "/", "status": 503, "times": 2}])

    company = await client.get_company(sandbox.bp_company_id)

    assert company.id == sandbox.bp_company_id
    assert controls.count(f"GET {COMPANY}") == 3


async def test_429_with_retry_after_is_retried(client: RainbowClient, controls: Controls, sandbox: Sandbox) -> None:
    rule = {"method": "GET", "path_prefix": COMPANIES + "/", "status": 429, "retry_after": 0.05, "times": 1}
    await controls.faults(rules=[rule])

    await client.get_company(sandbox.bp_company_id)

    assert controls.count(f"GET {COMPANY}") == 2


async def test_retries_are_bounded(client: RainbowClient, controls: Controls, sandbox: Sandbox) -> None:
    await controls.faults(rules=[{"method": "GET", "path_prefix": COMPANIES + "/", "status": 502}])

    with pytest.raises(RainbowServerError) as raised:
        await client.get_company(sandbox.bp_company_id)

    assert raised.value.status == 502
    assert controls.count(f"GET {COMPANY}") == FAST_RETRIES.max_attempts


async def test_503_on_post_is_not_retried(client: RainbowClient, controls: Controls) -> None:
    await controls.faults(rules=[{"method": "POST", "path_prefix": COMPANIES, "status": 503, "times": 1}])

    with pytest.raises(RainbowServerError) as raised:
        await client.create_company("Acme", "FRA")

    assert raised.value.status == 503
    assert raised.value.operation == "create_company"
    assert controls.count(f"POST {COMPANIES}") == 1


async def test_dropped_connection_on_post_is_an_unknown_outcome(client: RainbowClient, controls: Controls) -> None:
    rule = {"method": "POST", "path_prefix": COMPANIES, "drop_connection": True, "times": 1}
    await controls.faults(rules=[rule])

    with pytest.raises(RainbowUnavailable) as raised:
        await client.create_company("Acme", "FRA")

    assert raised.value.outcome_unknown
    assert raised.value.status is None
    assert controls.count(f"POST {COMPANIES}") == 1


async def test_dropped_connection_on_get_is_retried(
    client: RainbowClient, controls: Controls, sandbox: Sandbox
) -> None:
    rule = {"method": "GET", "path_prefix": COMPANIES + "/", "drop_connection": True, "times": 1}
    await controls.faults(rules=[rule])

    await client.get_company(sandbox.bp_company_id)

    assert controls.count(f"GET {COMPANY}") == 2


async def test_slow_answer_times_out(make_client: ClientFactory, controls: Controls, sandbox: Sandbox) -> None:
    client = make_client(timeout_seconds=0.2, retry=RetryPolicy(max_attempts=1))
    await client.login()
    await controls.faults(latency_ms=600)

    with pytest.raises(RainbowUnavailable) as raised:
        await client.get_company(sandbox.bp_company_id)

    assert not raised.value.outcome_unknown
    assert "0.2 s" in str(raised.value)


async def test_409_maps_to_conflict(client: RainbowClient, controls: Controls) -> None:
    request = await controls.post("/sandbox/bp-link/requests", {"companyName": "Conflict Corp"})
    await client.accept_link_request(request["id"])

    with pytest.raises(RainbowConflict) as raised:
        await client.accept_link_request(request["id"])

    assert raised.value.status == 409
    assert raised.value.request_id
    assert not raised.value.is_invitation_throttle


async def test_observer_sees_every_call(make_client: ClientFactory, controls: Controls) -> None:
    seen: list[tuple[str, str]] = []
    client = make_client(observer=lambda operation, outcome, seconds: seen.append((operation, outcome)))
    await controls.faults(rules=[{"method": "POST", "path_prefix": COMPANIES, "status": 503, "times": 1}])

    with pytest.raises(RainbowServerError):
        await client.create_company("Acme", "FRA")
    await client.create_company("Acme", "FRA")

    assert seen == [("login", "ok"), ("create_company", "server_error"), ("create_company", "ok")]


async def test_429_on_post_waits_retry_after_and_replays_once(client: RainbowClient, controls: Controls) -> None:
    """Rainbow refused the request, so nothing was created: the SDK's limiter re-queues it (HttpManager.ts)."""
    rule = {"method": "POST", "path_prefix": COMPANIES, "status": 429, "retry_after": 0.05, "times": 1}
    await controls.faults(rules=[rule])

    company = await client.create_company("Throttled SA", "FRA")

    assert company.name == "Throttled SA"
    assert controls.count(f"POST {COMPANIES}") == 2


async def test_a_second_429_on_post_is_the_callers_to_handle(client: RainbowClient, controls: Controls) -> None:
    rule = {"method": "POST", "path_prefix": COMPANIES, "status": 429, "retry_after": 0.05, "times": 2}
    await controls.faults(rules=[rule])

    with pytest.raises(RainbowRateLimited):
        await client.create_company("Throttled SA", "FRA")

    assert controls.count(f"POST {COMPANIES}") == 2
