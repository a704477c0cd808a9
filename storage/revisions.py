"""Which schema revision the code needs and which one the database has, without importing Alembic.

Start-up only needs to compare the two; Alembic (about a tenth of the start-up imports) is loaded
only when a migration actually has to run (storage.migrate).
"""

import re
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

VERSIONS = Path(__file__).with_name("migrations") / "versions"
_REVISION = re.compile(r'^revision: str = "([^"]+)"', re.M)
_DOWN = re.compile(r'^down_revision: str \| None = (?:"([^"]+)"|None)', re.M)


def head_revision() -> str | None:
    """The one revision no other revision builds on (the migrations form a single line)."""
    revisions, parents = set(), set()
    for script in VERSIONS.glob("*.py"):
        source = script.read_text(encoding="utf-8")
        if found := _REVISION.search(source):
            revisions.add(found.group(1))
            down = _DOWN.search(source)
            if down and down.group(1):
                parents.add(down.group(1))
    heads = revisions - parents
    if len(heads) > 1:
        raise RuntimeError(f"several migration heads: {sorted(heads)}")
    return next(iter(heads), None)


def _stored(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


async def stored_revision(engine: AsyncEngine) -> str | None:
    """The revision recorded in the database (None for an empty one)."""
    async with engine.connect() as connection:
        return await connection.run_sync(_stored)
