"""Everything a request handler may use, built once per process by bot.app."""

from dataclasses import dataclass, field

from bot.authz import Authorizer
from bot.config import Settings
from bot.metrics import Metrics
from bot.notifier import Notifier
from bot.services.audit_log import AuditLog
from bot.services.countries import CountryCatalog
from bot.services.digest import Digest
from bot.services.directory import Directory
from bot.services.flows import Flows
from bot.services.health import Health
from bot.services.linking import Linking
from bot.services.onboarding import Onboarding
from bot.services.reminders import Reminders
from bot.services.requests import Requests


@dataclass
class Runtime:
    settings: Settings
    authz: Authorizer
    notifier: Notifier
    flows: Flows
    onboarding: Onboarding
    linking: Linking
    requests: Requests
    digest: Digest
    reminders: Reminders
    directory: Directory
    audit: AuditLog
    countries: CountryCatalog
    health: Health
    metrics: Metrics = field(default_factory=Metrics)
    team_url: str | None = field(default=None)
    bot_id: str | None = field(default=None)
    bot_user_id: str | None = field(default=None)
