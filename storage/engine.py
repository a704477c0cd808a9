"""Async engine and session factory, correct on SQLite and on PostgreSQL.

SQLite needs the per-connection recipe of https://sqlite.org/wal.html and https://sqlite.org/pragma.html: WAL,
busy_timeout, foreign keys, and ``BEGIN IMMEDIATE`` so that a read-then-write
transaction takes the write lock up front instead of failing with
"database is locked" or silently losing an update.
"""

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

SQLITE_PRAGMAS = ("journal_mode=WAL", "busy_timeout=15000", "foreign_keys=ON", "synchronous=NORMAL")

SessionFactory = async_sessionmaker[AsyncSession]


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, **engine_options: Any) -> AsyncEngine:
    """Build the engine for ``url`` (``sqlite+aiosqlite://`` or ``postgresql+asyncpg://``)."""
    if is_sqlite(url):
        engine = create_async_engine(url, connect_args={"timeout": 15}, **engine_options)
        _install_sqlite_recipe(engine)
        return engine
    if "poolclass" not in engine_options:
        engine_options.setdefault("pool_size", 5)
        engine_options.setdefault("max_overflow", 5)
        engine_options.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **engine_options)


def _install_sqlite_recipe(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions whose objects stay readable after commit (no lazy reload under asyncio)."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
