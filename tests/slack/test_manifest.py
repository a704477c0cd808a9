"""manifest.yml is a valid Slack manifest and declares exactly what the code uses."""

import json
import re
from pathlib import Path

import yaml
from jsonschema import Draft7Validator

ROOT = Path(__file__).resolve().parents[2]
# Slack's manifest schema (MIT), copied unchanged with its LICENSE and README so every clone runs this check
SCHEMA = Path(__file__).with_name("manifest_schema") / "manifest.schema.1.0.0.json"
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())
CODE = "\n".join(
    p.read_text()
    for folder in ("bot", "handlers")
    for p in (ROOT / folder).rglob("*.py")
    if "fakeslack" not in p.parts and "sandbox" not in p.parts
)


def test_manifest_validates_against_slacks_schema() -> None:
    errors = sorted(Draft7Validator(json.loads(SCHEMA.read_text())).iter_errors(MANIFEST), key=str)
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


def test_one_request_url_serves_commands_interactivity_options_and_events() -> None:
    settings = MANIFEST["settings"]
    urls = {
        MANIFEST["features"]["slash_commands"][0]["url"],
        settings["interactivity"]["request_url"],
        settings["interactivity"]["message_menu_options_url"],
        settings["event_subscriptions"]["request_url"],
    }
    assert len(urls) == 1 and urls.pop().endswith("/slack/events")
    assert settings["interactivity"]["is_enabled"] is True


def test_the_command_and_events_are_the_ones_the_code_listens_to() -> None:
    assert [c["command"] for c in MANIFEST["features"]["slash_commands"]] == ["/rainbow"]
    assert 'COMMAND = "/rainbow"' in CODE
    for event in MANIFEST["settings"]["event_subscriptions"]["bot_events"]:
        assert f'"{event}"' in CODE, event


SCOPE_USES = {
    "commands": r"app\.command\(",
    "chat:write": r"chat_postMessage|chat_update|chat_postEphemeral",
    "im:write": r"conversations_open",
    "channels:read": r"conversations_members",
    "groups:read": r"conversations_members",
    "usergroups:read": r"usergroups_users_list",
}


def test_exactly_the_bot_scopes_the_code_uses() -> None:
    scopes = MANIFEST["oauth_config"]["scopes"]["bot"]
    assert sorted(scopes) == sorted(SCOPE_USES)
    for scope, pattern in SCOPE_USES.items():
        assert re.search(pattern, CODE), f"{scope} is declared but nothing calls {pattern}"


def test_the_container_runs_the_console_script_as_a_non_root_user_with_a_health_check() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["reseller-bot"]' in dockerfile and 'CMD ["run"]' in dockerfile
    assert "USER bot" in dockerfile and "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    for package in ("bot", "handlers", "blocks", "storage"):
        assert f"COPY {package} ./{package}" in dockerfile
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    assert compose["migrate"]["command"] == ["migrate"]
    assert compose["bot"]["deploy"]["replicas"] == 2
    assert compose["bot"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
