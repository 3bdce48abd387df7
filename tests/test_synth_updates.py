"""The generator of (old, new, action) pairs that trains the forget gate's content head."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from gatedmem.memory.training import synth_updates
from gatedmem.memory.training.synth_updates import KINDS, pairs, pairs_labelled
from gatedmem.memory.training.train import NOT_TRAINED_KINDS


@pytest.fixture(scope="module", params=["train", "val"])
def drawn(request) -> list[tuple[str, str, str, str, int]]:
    return pairs_labelled(random.Random(0), 6000, request.param)


def test_deterministic_and_the_plain_draw_is_the_labelled_one():
    a = pairs_labelled(random.Random(3), 200, "train")
    assert a == pairs_labelled(random.Random(3), 200, "train")
    assert pairs(random.Random(3), 200, "train") == [(o, n, y) for _, _, o, n, y in a]


def test_splits_are_disjoint_kinds_of_fact(drawn):
    split = KINDS[drawn[0][0]]
    assert {k for k, *_ in drawn} == {k for k, s in KINDS.items() if s == split}
    assert len(KINDS) >= 30 and {"train", "val"} == set(KINDS.values())


def test_the_actions_in_their_shares(drawn):
    share = Counter(y for *_, y in drawn)
    assert 0.35 < share[2] / len(drawn) < 0.45  # supersede
    assert 0.10 < share[1] / len(drawn) < 0.20  # weaken
    assert 0.40 < share[0] / len(drawn) < 0.50  # keep
    assert Counter(h for *_, h, _, _, y in drawn if y == 2).keys() == {"x", "i"}


def test_varied_and_well_formed(drawn):
    news = [n for *_, n, _ in drawn]
    assert len(set(news)) > 0.8 * len(news)
    for _, _, old, new, _ in drawn:
        for text in (old, new):
            assert text.strip() == text and text, text
            assert not re.search(r"[{}]|\b([a-z]+) \1\b", text, re.IGNORECASE), text
    supersedes = [(o, n) for *_, o, n, y in drawn if y == 2]
    assert all(o != n for o, n in supersedes)


def test_kinds_left_out_are_never_drawn():
    assert NOT_TRAINED_KINDS <= set(KINDS)
    for split in ("train", "val"):
        got = {k for k, *_ in pairs_labelled(random.Random(1), 3000, split, NOT_TRAINED_KINDS)}
        assert got and not got & NOT_TRAINED_KINDS


def test_an_unknown_split_is_an_error():
    with pytest.raises(ValueError, match="split"):
        synth_updates.pairs(random.Random(0), 5, "test")
