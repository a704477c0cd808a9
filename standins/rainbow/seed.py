"""Deterministic seed data: a realistic mix of companies (and a few Default-company users) so demos have
something to find and `--seed-companies 2000` gives a stable benchmark set."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

from standins.rainbow.models import Company, CompanyStatus, Visibility
from standins.rainbow.state import SandboxState
from standins.rainbow.users import add_user

SHOWCASE_NAMES = (
    "Étoile Télécom",
    "Café Société Réseaux",
    "Müller & Söhne GmbH",
    "Ångström Networks AB",
    "São Paulo Comunicações Ltda",
    "Łódź Łączność",
)
PREFIXES = (
    "Acme",
    "Alpine",
    "Atlas",
    "Aurora",
    "Azur",
    "Baltic",
    "Beacon",
    "Boréal",
    "Cedar",
    "Cobalt",
    "Comète",
    "Coral",
    "Delta",
    "Emerald",
    "Falcon",
    "Fjord",
    "Granite",
    "Harbor",
    "Helix",
    "Horizon",
    "Iris",
    "Jade",
    "Kestrel",
    "Lagune",
    "Lumen",
    "Meridian",
    "Nordic",
    "Nova",
    "Orion",
    "Pacific",
    "Phénix",
    "Quartz",
    "Riviera",
    "Sierra",
    "Solstice",
    "Summit",
    "Tundra",
    "Vega",
    "Zénith",
    "Zephyr",
)
CORES = (
    "Telecom",
    "Networks",
    "Logistics",
    "Consulting",
    "Industries",
    "Health",
    "Energy",
    "Software",
    "Foods",
    "Legal",
    "Média",
    "Retail",
    "Robotics",
    "Finance",
    "Transports",
    "Systems",
    "Hôtels",
    "Analytics",
    "Pharma",
    "Studios",
    "Education",
    "Construction",
    "Assurances",
    "Labs",
    "Travel",
)
LEGAL_FORMS = ("SA", "SAS", "GmbH", "Ltd", "Inc", "BV", "SpA", "AB", "Oy", "LLC", "SARL", "Group")
COUNTRIES = (
    ("FRA", None),
    ("DEU", None),
    ("GBR", None),
    ("ESP", None),
    ("ITA", None),
    ("USA", "NY"),
    ("USA", "CA"),
    ("CAN", "QC"),
    ("CAN", "ON"),
    ("BEL", None),
    ("CHE", None),
    ("NLD", None),
)
CUSTOMER_STATUSES = (
    CompanyStatus.ACTIVE,
    CompanyStatus.ACTIVE,
    CompanyStatus.INITIALIZING,
    CompanyStatus.HOLD,
    CompanyStatus.ALERTING,
)
DEFAULT_USERS = (
    ("Alice", "Martin"),
    ("Bruno", "Lefèvre"),
    ("Chloé", "Dubois"),
    ("David", "Smith"),
    ("Élodie", "Moreau"),
    ("Farid", "Benali"),
    ("Greta", "Schmidt"),
    ("Zoé", "Laurent"),
)


def company_names(count: int) -> Iterator[str]:
    """The showcase names, then prefix/core/legal-form combinations in a scrambled but fixed order;
    past every combination a counter keeps names unique."""
    combinations = len(PREFIXES) * len(CORES) * len(LEGAL_FORMS)
    for index in range(count):
        if index < len(SHOWCASE_NAMES):
            yield SHOWCASE_NAMES[index]
            continue
        position = (index * 7919) % combinations
        prefix = PREFIXES[position % len(PREFIXES)]
        core = CORES[(position // len(PREFIXES)) % len(CORES)]
        form = LEGAL_FORMS[position // (len(PREFIXES) * len(CORES))]
        suffix = f" {index // combinations + 1}" if index >= combinations else ""
        yield f"{prefix} {core} {form}{suffix}"


def seed(state: SandboxState, company_count: int) -> None:
    """About 12% our customers in various statuses, 8% another reseller's, 10% private without BP, and
    the rest public without BP (the showcase names always are)."""
    if company_count <= 0:
        return
    draws = random.Random(4242)
    other_bp = state.add_company(
        Company(state.new_id(), "Other Reseller (BP)", "DEU", state.clock.now(), is_bp=True, bp_type="DR")
    )
    for index, name in enumerate(company_names(company_count)):
        country, subdivision = COUNTRIES[index % len(COUNTRIES)]
        roll = 1.0 if index < len(SHOWCASE_NAMES) else draws.random()
        company = state.add_company(
            Company(
                id=state.new_id(),
                name=name,
                country=country,
                state=subdivision,
                creation_date=state.clock.now() - timedelta(minutes=company_count - index),
                visibility=Visibility.PRIVATE if 0.20 <= roll < 0.30 else Visibility.PUBLIC,
            )
        )
        if roll < 0.12:
            _make_our_customer(state, company, index)
        elif roll < 0.20:
            company.bp_id = other_bp.id
    for first, last in DEFAULT_USERS:
        add_user(
            state,
            state.default_company,
            f"{first}.{last}@people.example.com".lower(),
            f"{first} {last}",
            first,
            last,
        )


def _make_our_customer(state: SandboxState, company: Company, index: int) -> None:
    company.bp_id = state.bp_company.id
    company.visibility = Visibility.PRIVATE
    company.status = CUSTOMER_STATUSES[index % len(CUSTOMER_STATUSES)]
    company.status_updated_date = company.creation_date
    company.external_reference = f"CUST-{index:05d}"
    if company.status != CompanyStatus.INITIALIZING:
        add_user(state, company, f"admin{index}@customer{index}.example.com", company_admin=True)
