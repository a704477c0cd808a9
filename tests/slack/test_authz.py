"""Who may do what, with membership read from (a fake) Slack and refused when Slack cannot answer."""

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.authz import Authorizer, MembershipCache
from standins.slack import FakeSlack, example_workspace

ALICE, BOB, CAROL = "U0ALICE01", "U0BOB0001", "U0CAROL01"


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(example_workspace()) as fake:
        yield fake


def authorizer(slack: FakeSlack, resellers: tuple[str, ...] = (), approvers: tuple[str, ...] = ()) -> Authorizer:
    client = AsyncWebClient(token=slack.token, base_url=slack.api_url)
    return Authorizer(client, resellers=resellers, approvers=approvers, approvals_channel="C0APPROVE")


async def test_everyone_is_a_reseller_when_resellers_is_unset(slack: FakeSlack) -> None:
    assert await authorizer(slack).is_reseller(ALICE)
    assert slack.calls == []


async def test_resellers_by_user_id_and_by_user_group(slack: FakeSlack) -> None:
    authz = authorizer(slack, resellers=(BOB, "S0APPROVE"))
    assert await authz.is_reseller(BOB)
    assert await authz.is_reseller(CAROL)  # member of S0APPROVE
    assert not await authz.is_reseller(ALICE)
    assert not await authz.is_reseller(ALICE)
    assert len(slack.calls_to("usergroups.users.list")) == 1, "group membership is cached"


async def test_approvers_default_to_the_members_of_the_approvals_channel(slack: FakeSlack) -> None:
    authz = authorizer(slack)
    assert await authz.is_approver(CAROL)
    assert not await authz.is_approver(ALICE)


async def test_listed_approvers_replace_the_channel(slack: FakeSlack) -> None:
    authz = authorizer(slack, approvers=(ALICE,))
    assert await authz.is_approver(ALICE)
    assert not await authz.is_approver(CAROL)


async def test_slack_errors_mean_no(slack: FakeSlack) -> None:
    slack.fail_next("conversations.members", "channel_not_found")
    assert not await authorizer(slack).is_approver(CAROL)
    slack.fail_next("usergroups.users.list", "plan_upgrade_required")
    assert not await authorizer(slack, resellers=("S0APPROVE",)).is_reseller(CAROL)


async def test_a_failed_lookup_is_remembered_for_a_while_and_still_means_no(slack: FakeSlack) -> None:
    slack.fail_next("usergroups.users.list", "plan_upgrade_required")
    authz = authorizer(slack, resellers=("S0APPROVE",))
    for _ in range(5):
        assert not await authz.is_reseller(CAROL)
    assert len(slack.calls_to("usergroups.users.list")) == 1  # Tier 2: not asked again on every click


async def test_the_failure_cache_expires(slack: FakeSlack) -> None:
    slack.fail_next("usergroups.users.list", "plan_upgrade_required")
    client = AsyncWebClient(token=slack.token, base_url=slack.api_url)
    authz = Authorizer(
        client,
        resellers=("S0APPROVE",),
        approvers=(),
        approvals_channel="C0APPROVE",
        cache=MembershipCache(failure_ttl=0.0),
    )
    assert not await authz.is_reseller(CAROL)
    assert await authz.is_reseller(CAROL)
