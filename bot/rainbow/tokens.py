"""Reading the Rainbow JWT claims that drive renewal (Rainbow auth API 1.104.0, /login and /renew)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt


@dataclass(frozen=True)
class TokenClaims:
    """What the bot needs from the JWT payload.

    The lifetime is `exp - iat` because Rainbow does not document it; it is measured
    against our own monotonic clock from the moment we receive the token, so clock skew between
    this host and Rainbow does not matter.
    """

    issued_at: int
    expires_at: int
    count_renewed: int
    max_token_renew: int

    @property
    def lifetime_seconds(self) -> float:
        return float(max(self.expires_at - self.issued_at, 0))

    @property
    def usable_seconds(self) -> float:
        """Lifetime we can count on from receipt: `iat` is truncated to the second, so the token
        may be up to one second older than it says."""
        return max(self.lifetime_seconds - 1, self.lifetime_seconds / 2)

    @property
    def renewals_left(self) -> int:
        return max(self.max_token_renew - self.count_renewed, 0)


def read_claims(token: str) -> TokenClaims | None:
    """Decode without verifying the signature (we do not have Rainbow's key).

    Returns None when the token is not a readable JWT or lacks `iat`/`exp`: the client then
    relies on Rainbow's `401 jwt expired` to know when to log in again.
    """
    try:
        payload: dict[str, Any] = jwt.decode(
            token, options={"verify_signature": False, "verify_exp": False, "verify_iat": False}
        )
    except jwt.PyJWTError:
        return None
    issued_at = _as_int(payload.get("iat"))
    expires_at = _as_int(payload.get("exp"))
    if issued_at is None or expires_at is None:
        return None
    return TokenClaims(
        issued_at=issued_at,
        expires_at=expires_at,
        count_renewed=_as_int(payload.get("countRenewed")) or 0,
        max_token_renew=_as_int(payload.get("maxTokenRenew")) or 0,
    )


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str):
        try:
            return int(float(value))
        except ValueError:
            return None
    return None
