"""The strict, case- and accent-insensitive prefix filter of the typeaheads."""

import unicodedata

from hypothesis import assume, given
from hypothesis import strategies as st

from bot.rainbow.text import fold, starts_with

ACCENTS = ("\u0301", "\u0300", "\u0302", "\u0308", "\u0327")
letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)


@st.composite
def decorated(draw: st.DrawFn, plain: str) -> str:
    """`plain` with random case and random accents, composed like real input (NFC)."""
    chars = []
    for char in plain:
        char = char.upper() if draw(st.booleans()) else char
        if draw(st.booleans()):
            char += draw(st.sampled_from(ACCENTS))
        chars.append(char)
    return unicodedata.normalize("NFC", "".join(chars))


@given(data=st.data(), plain=letters, rest=st.text(max_size=20))
def test_prefix_matches_whatever_the_case_and_accents(data: st.DataObject, plain: str, rest: str) -> None:
    name = data.draw(decorated(plain)) + rest
    typed = data.draw(decorated(plain))

    assert starts_with(name, plain)
    assert starts_with(name, typed)
    assert starts_with(plain + rest, typed)


@given(plain=letters, before=letters)
def test_a_match_inside_the_name_is_not_a_prefix(plain: str, before: str) -> None:
    assume(before[0] != plain[0])

    assert not starts_with(f"{before} {plain}", plain)


@given(st.text(max_size=30))
def test_folding_is_idempotent(value: str) -> None:
    assert fold(fold(value)) == fold(value)


def test_documented_example() -> None:
    assert starts_with("Étoile Télécom", "eto")
    assert starts_with("Étoile Télécom", "ÉTOILE t")
    assert not starts_with("Bel Étoile", "eto")
