"""Reading the JWT claims that drive renewal, without the signing key."""

import jwt

from bot.rainbow.tokens import read_claims


def _token(payload: dict[str, object]) -> str:
    return jwt.encode(payload, "a-key-the-client-never-sees-0123456789", algorithm="HS256")


def test_reads_documented_claims() -> None:
    token = _token(
        {
            "countRenewed": 2,
            "maxTokenRenew": 5,
            "user": {"id": "u1", "loginEmail": "bot@example.com"},
            "app": {"id": "a1", "name": "bot"},
            "iat": 1_700_000_000,
            "exp": 1_700_003_600,
        }
    )

    claims = read_claims(token)

    assert claims is not None
    assert claims.count_renewed == 2
    assert claims.max_token_renew == 5
    assert claims.renewals_left == 3
    assert claims.lifetime_seconds == 3600


def test_expired_token_is_still_readable() -> None:
    claims = read_claims(_token({"iat": 1, "exp": 3, "countRenewed": 0, "maxTokenRenew": 1}))

    assert claims is not None
    assert claims.lifetime_seconds == 2


def test_missing_renew_counters_mean_no_renewal() -> None:
    claims = read_claims(_token({"iat": 10, "exp": 70}))

    assert claims is not None
    assert claims.renewals_left == 0


def test_unreadable_tokens_give_none() -> None:
    assert read_claims("not-a-jwt") is None
    assert read_claims(_token({"user": {"id": "u1"}})) is None


def test_usable_lifetime_allows_for_second_truncation() -> None:
    long_lived = read_claims(_token({"iat": 0, "exp": 3600, "countRenewed": 0, "maxTokenRenew": 5}))
    short_lived = read_claims(_token({"iat": 0, "exp": 2, "countRenewed": 0, "maxTokenRenew": 5}))

    assert long_lived is not None and long_lived.usable_seconds == 3599
    assert short_lived is not None and short_lived.usable_seconds == 1
