"""``reseller-bot sandbox``: a Rainbow sandbox in the foreground that the real client can use."""

import signal
from pathlib import Path

from bot.rainbow import RainbowClient
from tests.cli.support import clean_environment, free_port, service

RAINBOW_VARIABLES = ("RAINBOW_HOST", "RAINBOW_LOGIN", "RAINBOW_PASSWORD", "RAINBOW_APP_ID", "RAINBOW_APP_SECRET")


def printed_settings(lines: list[str]) -> dict[str, str]:
    """The ``NAME=value`` lines the command prints for the operator to paste."""
    pairs = (line.partition("=") for line in lines if line.startswith("RAINBOW_"))
    return {name: value for name, _, value in pairs}


async def test_prints_working_rainbow_settings_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    arguments = ("sandbox", "--host", "127.0.0.1", "--port", str(port), "--seed-companies", "5")
    async with service(*arguments, env=clean_environment(), cwd=tmp_path) as sandbox:
        await sandbox.wait_for_stdout(
            lambda lines: set(RAINBOW_VARIABLES) <= printed_settings(lines).keys(), "the RAINBOW_* lines"
        )
        settings = printed_settings(sandbox.stdout_lines)
        assert settings["RAINBOW_HOST"] == f"http://127.0.0.1:{port}"

        client = RainbowClient(*(settings[name] for name in RAINBOW_VARIABLES))
        try:
            me = await client.login()
            found = await client.search_companies_without_reseller("a")
        finally:
            await client.close()
        assert me.login_email == settings["RAINBOW_LOGIN"] and me.is_bp_admin
        assert [company.name for company in found] == ["Ångström Networks AB"]

        assert await sandbox.stop(signal.SIGTERM) == 0
    assert sandbox.stdout_lines[-1] == "Rainbow sandbox stopped."
    assert "Traceback" not in sandbox.output
