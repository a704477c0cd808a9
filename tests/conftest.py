"""Shared fixtures: a migrated database on the backend this run targets.

Without TEST_DATABASE_URL every test gets a fresh SQLite file; with it (a
postgresql+asyncpg URL) every test gets its own PostgreSQL schema, so tests stay
isolated while using real commits and concurrent sessions.
"""

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from standins.rainbow import contract
from storage.engine import SessionFactory, make_engine, make_session_factory
from storage.migrate import upgrade

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
# This machine is shared and noisy: a property test is judged on its examples, never on its speed.
hypothesis_settings.register_profile("ci", deadline=None, print_blob=True)
hypothesis_settings.load_profile("ci")
BACKEND = "postgresql" if POSTGRES_URL else "sqlite"


def pytest_report_header() -> str:
    return f"database backend: {BACKEND}"


@pytest.fixture
async def database_url(tmp_path: Path) -> AsyncIterator[str]:
    """A URL to an empty database (a new SQLite file, or a new PostgreSQL database)."""
    if not POSTGRES_URL:
        yield f"sqlite+aiosqlite:///{tmp_path}/empty.db"
        return
    name = "t_" + uuid.uuid4().hex[:12]
    admin = make_engine(POSTGRES_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty store."""
    if not POSTGRES_URL:
        engine = make_engine(f"sqlite+aiosqlite:///{tmp_path}/test.db")
        await upgrade(engine)
        yield engine
        await engine.dispose()
        return
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = make_engine(POSTGRES_URL, poolclass=NullPool)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}})
    try:
        await upgrade(engine)
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> SessionFactory:
    return make_session_factory(engine)


@pytest.fixture(autouse=True)
def _rainbow_deviations_marker(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test marked `rainbow_deviation` sends Rainbow a wrong request on purpose; nothing else may."""
    with contract.deviations_expected(request.node.get_closest_marker("rainbow_deviation") is not None):
        yield


@pytest.fixture(scope="session", autouse=True)
def _no_unexpected_rainbow_deviations() -> Iterator[None]:
    """Fails the run when any request or answer of a Rainbow sandbox broke Rainbow's OpenAPI contract."""
    yield
    found = contract.unexpected_deviations()
    if found:
        pytest.fail(f"{len(found)} Rainbow contract deviation(s):\n" + "\n".join(map(str, found[:50])), pytrace=False)
