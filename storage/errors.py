"""The store's start-up failures, importable without loading SQLAlchemy (the CLI catches them)."""


class SchemaNotReady(Exception):
    """The shared database is behind the code; migrations must run once, before the replicas."""


class DatabaseUnavailable(Exception):
    """The database cannot be opened or reached at all."""
