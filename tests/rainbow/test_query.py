"""Query encoding: repeated keys and string booleans (Rainbow admin API 1.82.0 examples)."""

from bot.rainbow.query import encode_query


def test_multi_values_become_repeated_keys() -> None:
    assert encode_query({"status": ["accepted", "auto-accepted"]}) == [
        ("status", "accepted"),
        ("status", "auto-accepted"),
    ]


def test_booleans_become_lowercase_strings() -> None:
    assert encode_query({"hasBP": False, "isBP": True}) == [("hasBP", "false"), ("isBP", "true")]


def test_none_is_not_sent_and_numbers_are_text() -> None:
    assert encode_query({"name": None, "limit": 100, "offset": 0, "format": "small"}) == [
        ("limit", "100"),
        ("offset", "0"),
        ("format", "small"),
    ]


def test_tuples_and_empty_lists() -> None:
    assert encode_query({"status": ("pending",), "other": []}) == [("status", "pending")]
