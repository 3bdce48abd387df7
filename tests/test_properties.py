"""Property-based bad input: any text or user name is handled cleanly and harms nothing."""

from __future__ import annotations

import unicodedata

from gatedmem import InvalidText, InvalidUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
_PLAIN = st.text(alphabet=ANY_CHAR, max_size=30)
_NASTY = st.sampled_from(["\x00", "\ud800", "\udfff", "\x07", "\x1b", "\r\n", "\ufeff"])
TEXTS = st.one_of(
    st.text(alphabet=ANY_CHAR, max_size=60),  # any script, controls, private use ...
    st.builds(lambda a, c, b: a + c + b, _PLAIN, _NASTY, _PLAIN),  # NUL, lone surrogates
    st.binary(max_size=60),  # valid and invalid UTF-8
    st.sampled_from(
        [
            "",
            "   ",
            "\n\t",
            "x" * 20_001,
            "'; DROP TABLE memories; --",
            "bell\x07 and escape \x1b[31m red",
            "\u202eright-to-left override",
        ]
    ),
)
RELAXED = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _expected(value) -> str | None:
    """What the memory should store for ``value``, or None if it must be refused."""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if "\x00" in value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None
    value = value.strip()
    # Text of nothing but spaces, controls and zero-width marks is empty.
    invisible = {"Cc", "Cf", "Zs", "Zl", "Zp"}
    readable = any(unicodedata.category(c) not in invisible for c in value)
    return value if readable and len(value) <= 20_000 else None


@RELAXED
@given(value=TEXTS)
def test_any_text_is_stored_exactly_or_refused_by_name(fake_sqlite_memory, value):
    mem = fake_sqlite_memory
    keep = mem.add("the fact that must survive", user="keeper")
    want = _expected(value)
    if want is None:
        try:
            mem.add(value, user="ana")
        except InvalidText:
            pass
        else:
            raise AssertionError(f"{value!r} was accepted")
        try:
            mem.recall(value, user="keeper")
        except InvalidText:
            pass
        else:
            raise AssertionError(f"{value!r} was accepted as a query")
    else:
        m = mem.add(value, user="ana")
        assert mem.get(m.id).text == want
        mem.recall(value, user="keeper", reinforce=False)  # any valid query is fine
    assert mem.get(keep.id, user="keeper").text == "the fact that must survive"


@RELAXED
@given(name=st.one_of(st.text(alphabet=ANY_CHAR, max_size=40), st.binary(max_size=20)))
def test_any_user_name_works_or_is_refused_by_name(fake_sqlite_memory, name):
    mem = fake_sqlite_memory
    try:
        m = mem.add("a fact about someone", user=name)
    except InvalidUser:
        return
    assert m.id in [x.id for x in mem.list(user=m.user)]
    others = [u["user"] for u in mem.users() if u["user"] != m.user]
    for other in others:
        assert m.id not in [x.id for x in mem.list(user=other, include_forgotten=True)]
