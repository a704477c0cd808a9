"""Backoff policy: bounded, jittered, honouring Retry-After, never for POST."""

from bot.rainbow.retry import RetryPolicy, retry_after_seconds


def test_post_is_never_retried() -> None:
    policy = RetryPolicy()

    assert not policy.may_retry("POST")
    assert policy.may_retry("GET") and policy.may_retry("PUT") and policy.may_retry("DELETE")
    assert not RetryPolicy(max_attempts=1).may_retry("GET")


def test_delays_are_full_jitter_below_the_exponential_cap() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)

    for attempt in range(1, 8):
        for _ in range(50):
            assert 0 <= policy.delay(attempt, None) <= min(4.0, 0.5 * 2 ** (attempt - 1))


def test_retry_after_is_honoured_and_capped() -> None:
    policy = RetryPolicy(retry_after_cap=30.0)

    assert policy.delay(1, 2.0) == 2.0
    assert policy.delay(1, 3600.0) == 30.0


def test_retry_after_header_parsing() -> None:
    assert retry_after_seconds({"Retry-After": "3"}) == 3.0
    assert retry_after_seconds({"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}) is None
    assert retry_after_seconds({"Retry-After": "-1"}) is None
    assert retry_after_seconds({}) is None
