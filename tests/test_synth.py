"""The generators of momentary and lasting remarks that train the forget gate's time head."""

from __future__ import annotations

import random
import re

import pytest
from gatedmem.memory.training import synth, synth_lifetimes
from gatedmem.memory.training.synth_lifetimes import (
    LASTING_KINDS,
    MAX_LASTING_WORDS,
    MAX_WORDS,
    MIN_WORDS,
    MOMENTARY_KINDS,
    lasting,
    lasting_labelled,
    momentary,
    momentary_labelled,
)

GENERATORS = [momentary, lasting]


def draws(gen, n: int, seed: int = 0) -> list:
    rng = random.Random(seed)
    return [gen(rng) for _ in range(n)]


@pytest.fixture(scope="module")
def moments() -> list[tuple[str, str]]:
    return draws(momentary_labelled, 20_000)


@pytest.fixture(scope="module")
def lastings() -> list[tuple[str, str]]:
    return draws(lasting_labelled, 20_000)


@pytest.mark.parametrize("gen", GENERATORS, ids=lambda g: g.__name__)
def test_deterministic_for_a_seed(gen):
    assert draws(gen, 500, seed=42) == draws(gen, 500, seed=42)
    assert draws(gen, 500, seed=42) != draws(gen, 500, seed=43)


@pytest.mark.parametrize(
    "plain, labelled", [(momentary, momentary_labelled), (lasting, lasting_labelled)]
)
def test_labelled_draws_the_same_text(plain, labelled):
    assert draws(plain, 300, seed=5) == [t for _, t in draws(labelled, 300, seed=5)]


@pytest.mark.parametrize("gen", GENERATORS, ids=lambda g: g.__name__)
def test_varied(gen):
    assert len(set(draws(gen, 2000, seed=1))) > 1500


def test_momentary_reaches_every_kind():
    assert len(MOMENTARY_KINDS) >= 15
    kinds = {k for k, _ in draws(momentary_labelled, 2000, seed=2)}
    assert kinds == set(MOMENTARY_KINDS)


def test_lasting_reaches_every_kind():
    assert len(LASTING_KINDS) >= 12
    kinds = {k for k, _ in draws(lasting_labelled, 2000, seed=2)}
    assert kinds == set(LASTING_KINDS)


def test_every_template_fills():
    """Every template of every kind fills without a missing slot or a leftover brace."""
    rng = random.Random(0)
    shared, lasting_shared = synth_lifetimes._SHARED, synth_lifetimes._LASTING_SHARED
    assert set(synth_lifetimes._ASIDES) <= set(LASTING_KINDS)
    for kinds, tables in [
        (synth_lifetimes._MOMENTARY, (shared,)),
        (synth_lifetimes._LASTING, (lasting_shared, shared)),
    ]:
        for kind in kinds:
            asides = (
                synth_lifetimes._ASIDES.get(kind.name, ()) if tables[0] is lasting_shared else ()
            )
            for template in kind.templates + kind.then + asides:
                for _ in range(5):
                    text = synth_lifetimes._fill(rng, template, kind.slots, *tables)
                    assert "{" not in text and "}" not in text, (kind.name, template)


def test_well_formed(moments, lastings):
    for _, text in moments + lastings:
        assert "{" not in text and "}" not in text, text
        assert text == text.strip() and "  " not in text, text
        assert not re.search(r" [,.!?]", text), text
        assert not re.search(r"\b[Aa] [aeio]\w", text), text  # "a iced latte"


def test_never_one_of_the_fixed_passing_remarks(moments):
    """Not the old sentences word for word, neither whole nor inside a longer remark, so a
    gate tested on momentary remarks is not rewarded for having memorised those 26."""
    old = {s.lower() for s in synth._PASSING}
    words = [" ".join(re.findall(r"[a-z0-9']+", s.lower())) for s in synth._PASSING]
    for _, text in moments:
        assert text.lower() not in old, text
        said = " " + " ".join(re.findall(r"[a-z0-9']+", text.lower())) + " "
        assert not any(f" {w} " in said for w in words), text


def test_lengths(moments, lastings):
    n = [len(t.split()) for _, t in moments]
    assert MIN_WORDS == 3 and MAX_WORDS == 25
    assert min(n) == MIN_WORDS and max(n) <= MAX_WORDS
    assert 6 <= sum(n) / len(n) <= 12
    assert sum(x >= 15 for x in n) > 0.02 * len(n)  # some long ones, with a second clause
    m = [len(t.split()) for _, t in lastings]
    assert min(m) >= 3 and max(m) <= MAX_LASTING_WORDS
    assert 6 <= sum(m) / len(m) <= 16


def test_momentary_styles(moments):
    texts = [t for _, t in moments]
    lower = [t for t in texts if t == t.lower() and re.search("[a-z]", t)]
    assert 0.1 < len(lower) / len(texts) < 0.6  # casual and lazy styles, not all of them
    for deixis in ["right now", "at the moment", "this morning", "tonight", "today", "atm"]:
        assert any(deixis in t.lower() for t in texts), deixis
    assert any(t.lower().startswith(("ugh", "ok so", "lol")) for t in texts)
    assert any(t.endswith(("...", " lol", "!")) for t in texts)
    assert any("slow to reply" in t for t in texts)
    assert any(re.match(r"^(We're|It's|The )", t) for t in texts)
    no_time = r"right now|at the moment|atm|\brn\b|today|tonight|this (morning|afternoon|evening)"
    assert sum(not re.search(no_time, t.lower()) for t in texts) > 0.2 * len(texts)


def test_lasting_phrasings(lastings):
    texts = [t for _, t in lastings]
    for opener in ["Remember that", "For the record", "fyi", "Just so you know"]:
        assert any(t.lower().startswith(opener.lower()) for t in texts), opener
    # asides in longer sentences
    assert any(t.startswith(("As a native", "Growing up in", "Being left-handed")) for t in texts)
    assert any(re.search(r"\d{6,}", t.replace(" ", "")) for t in texts)  # made-up numbers


def test_kinds_do_not_leak(moments, lastings):
    """Lasting facts carry no time of day; momentary remarks claim nothing for years."""
    now = re.compile(
        r"\b(right now|at the moment|atm|rn|today|tonight|this (morning|afternoon|evening))\b"
    )
    for kind, text in lastings:
        if kind != "id_number":  # a made-up number may well have "RN" in it
            assert not now.search(text.lower()), text
    ever = re.compile(r"\b(years?|always|my whole life|since i was|born|allergic)\b")
    for _, text in moments:
        assert not ever.search(text.lower()), text
