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
def drawn(request) -> tuple[str, list[tuple[str, str, str, str, int]]]:
    return request.param, pairs_labelled(random.Random(0), 6000, request.param)


def test_deterministic_and_the_plain_draw_is_the_labelled_one():
    a = pairs_labelled(random.Random(3), 200, "train")
    assert a == pairs_labelled(random.Random(3), 200, "train")
    assert pairs(random.Random(3), 200, "train") == [(o, n, y) for _, _, o, n, y in a]


def test_splits_are_disjoint_kinds_of_fact(drawn):
    split, drawn = drawn
    assert {k for k, *_ in drawn} == {k for k, s in KINDS.items() if s == split}
    assert len(KINDS) >= 30 and {"train", "val"} == set(KINDS.values())


def test_the_actions_in_their_shares(drawn):
    _, drawn = drawn
    share = Counter(y for *_, y in drawn)
    assert 0.35 < share[2] / len(drawn) < 0.45  # supersede
    assert 0.10 < share[1] / len(drawn) < 0.20  # weaken
    assert 0.40 < share[0] / len(drawn) < 0.50  # keep
    assert Counter(h for *_, h, _, _, y in drawn if y == 2).keys() == {"x", "i"}


def test_varied_and_well_formed(drawn):
    _, drawn = drawn
    news = [n for *_, n, _ in drawn]
    assert len(set(news)) > 0.8 * len(news)
    for _, _, old, new, _ in drawn:
        for text in (old, new):
            assert text.strip() == text and text, text
            assert not re.search(r"[{}]|\b([a-z]+) \1\b", text, re.IGNORECASE), text
    supersedes = [(o, n) for *_, o, n, y in drawn if y == 2]
    assert all(o != n for o, n in supersedes)


def test_kinds_left_out_are_never_drawn(monkeypatch):
    """Neither as the old memory's kind nor as the unrelated kind a keep pair draws."""
    assert NOT_TRAINED_KINDS <= set(KINDS)
    picked = []
    pick = synth_updates._pick
    monkeypatch.setattr(
        synth_updates, "_pick", lambda rng, k: picked.append(k.name) or pick(rng, k)
    )
    for split in ("train", "val"):
        got = {k for k, *_ in pairs_labelled(random.Random(1), 3000, split, NOT_TRAINED_KINDS)}
        assert got and not got & NOT_TRAINED_KINDS
    assert picked and not set(picked) & NOT_TRAINED_KINDS


# The updates benchmark's held-out kinds (benchdata/updates/splits.json) and the names the
# generator gives the same kinds of fact: each one the generator has is never trained on.
BENCH_NAMES = {
    "bank": "bank",
    "commute": "commute",
    "dentist": "dentist",
    "doctor": "doctor",
    "employer": "employer",
    "favourite_team": "fan_team",
    "appearance": "hair",
    "hobby": "hobby",
    "home_type": "home_type",
    "job_title": "job_title",
    "language_learning": "language",
    "pet": "pets",
    "phone_model": "phone",
    "phone_number": "phone_number",
}


def test_the_benchmarks_held_out_kinds_are_the_ones_left_out():
    import json
    from pathlib import Path

    splits = Path(__file__).resolve().parents[1] / "benchdata" / "updates" / "splits.json"
    held_out = set(json.loads(splits.read_text())["heldout"])
    assert set(BENCH_NAMES) <= held_out
    assert {BENCH_NAMES[k] for k in held_out if k in BENCH_NAMES} == NOT_TRAINED_KINDS
    assert not (held_out - set(BENCH_NAMES)) & set(KINDS)  # no other held-out name is drawn


def test_leaving_every_kind_out_says_so():
    with pytest.raises(ValueError, match="left out"):
        pairs(random.Random(0), 5, "val", without=set(KINDS))


def test_an_unknown_split_is_an_error():
    with pytest.raises(ValueError, match="split"):
        synth_updates.pairs(random.Random(0), 5, "test")
