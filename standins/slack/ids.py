"""Identifiers shaped like Slack's: view ids, hashes, trigger ids, message timestamps."""

from __future__ import annotations

import secrets
import string

from standins.slack.clock import FakeClock

_ALPHABET = string.ascii_uppercase + string.digits
_BLOCK_ID_ALPHABET = string.ascii_letters + string.digits


def random_id(prefix: str, length: int = 10) -> str:
    """`V0A1B2C3D4`-style ids: a one-letter kind prefix and upper-case alphanumerics."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def generated_block_id() -> str:
    """What Slack fills in for a block or element that came without an id (e.g. `Wv6Pe`)."""
    return "".join(secrets.choice(_BLOCK_ID_ALPHABET) for _ in range(5))


def view_hash(clock: FakeClock) -> str:
    return f"{int(clock.now())}.{secrets.token_hex(4)}"


def trigger_id(clock: FakeClock) -> str:
    """`<seconds>.<team number>.<hex>`, the shape of a real trigger_id."""
    return f"{int(clock.now())}.{secrets.randbelow(10**10)}.{secrets.token_hex(16)}"


class TimestampSource:
    """Message `ts` values: `seconds.micros` from the clock, strictly increasing even within a microsecond."""

    def __init__(self, clock: FakeClock) -> None:
        self._clock = clock
        self._last_micros = 0

    def next(self) -> str:
        micros = max(int(self._clock.now() * 1_000_000), self._last_micros + 1)
        self._last_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"
