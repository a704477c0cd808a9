"""The store's start-up failures and their one-line reason, importable without loading SQLAlchemy."""


class SchemaNotReady(Exception):
    """The shared database is behind the code; migrations must run once, before the replicas."""


class DatabaseUnavailable(Exception):
    """The database cannot be opened or reached at all."""


REASON_MAX = 200


def database_reason(error: BaseException) -> str:
    """The driver's own reason for a failed connection or migration, on one line.

    SQLAlchemy wraps the driver's exception (``orig``) in its own and adds the SQL and a link;
    the driver's text (``database "x" does not exist``, ``unable to open database file``,
    ``Connect call failed``) is what an operator can act on. It names no password.
    """
    driver = getattr(error, "orig", None) or error
    text = driver.strerror if isinstance(driver, OSError) and driver.strerror else str(driver)
    first_line = " ".join(text.split("\n", 1)[0].split())
    return first_line[:REASON_MAX] or type(driver).__name__
