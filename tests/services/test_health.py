"""/readyz names the problems an operator must know about, and only some make the replica unready."""

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.services.health import Health


async def test_an_unreadable_country_list_is_reported_without_making_the_replica_unready(engine: AsyncEngine) -> None:
    health = Health(engine, slack_problem=None)
    health.observe_rainbow("login", "ok", 0.1)
    health.countries_problem = lambda: "Rainbow's country list could not be read (empty list)"
    ready, checks = await health.report()
    assert ready
    assert checks == {
        "database": "ok",
        "rainbow": "ok",
        "slack": "ok",
        "countries": "Rainbow's country list could not be read (empty list)",
    }


async def test_a_country_list_once_read_is_not_reported(engine: AsyncEngine) -> None:
    health = Health(engine, slack_problem=None)
    health.observe_rainbow("login", "ok", 0.1)
    ready, checks = await health.report()
    assert ready
    assert "countries" not in checks
