"""The updates-and-lifetimes benchmark: its cases, its scoring and its baselines."""

from __future__ import annotations

import json
import warnings
from types import SimpleNamespace

import pytest
from conftest import HashEmbedder
from gatedmem.bench import updates
from gatedmem.memory.errors import ModelMismatchWarning

CASES = {
    "updates": [
        {
            "id": "u1",
            "kind": "home",
            "fact": "I live in Paris",
            "filler": ["the weather is nice", "had pasta for lunch"],
            "update": "I live in Berlin",
            "days_between": 40,
            "question": "where do I live",
            "new_value": "Berlin",
            "old_value": "Paris",
        }
    ],
    "controls": [
        {
            "id": "c1",
            "kind": "pets",
            "fact": "my dog is called Rex",
            "filler": ["work was busy"],
            "later": "my brother got a dog called Max",
            "subtype": "someone_else",
            "days_between": 10,
            "question": "what is my dog called",
            "value": "Rex",
        }
    ],
    "durable": [
        {
            "id": "d1",
            "kind": "health",
            "text": "I am allergic to peanuts",
            "via": "add",
            "question": "what am I allergic to",
            "key": "peanuts",
        }
    ],
    "passing": [
        {
            "id": "p1",
            "kind": "traffic",
            "text": "stuck in traffic right now",
            "question": "am I stuck in traffic",
        }
    ],
    "duplicates": [
        {
            "id": "x1",
            "kind": "name",
            "first": "my name is Tomasz",
            "second": "my name is Tomasz",
            "days_between": 3,
        }
    ],
}
CASES["in_conversation"] = [
    {
        "id": "v1",
        "kind": "name",
        "opening": ["hi", "can you help me write a poem?"],
        "fact": "thanks! oh, my name is Zofia by the way",
        "after": ["make it about the sea"],
        "question": "what am I called",
        "key": "Zofia",
    }
]
CASES["introductions"] = [
    {
        "id": "n1",
        "kind": "name",
        "opening": [],
        "fact": "hiya, I'm Dev!",
        "after": [],
        "question": "what's my name",
        "key": "Dev",
    }
]
CASES["greetings"] = [
    {
        "id": "g1",
        "kind": "greeting",
        "opening": ["hi"],
        "fact": "hey it's me again",
        "after": [],
        "question": "",
        "key": "",
    }
]
CASES["named_facts"] = [
    {
        "id": f"nf1{said[0]}",
        "kind": "named_people",
        "opening": opening,
        "fact": "Zofia is 7 years old now.",
        "after": [],
        "said": said,
    }
    for said, opening in (("first", []), ("after_small_talk", ["hi", "long day"]))
]
CASES["named_chatter"] = [
    {
        "id": "nc1f",
        "kind": "named_chatter",
        "opening": [],
        "fact": "Ana says hi!",
        "after": [],
        "said": "first",
    }
]
CASES["name_traps"] = [
    {
        "id": "t1",
        "kind": "name_trap",
        "opening": [],
        "fact": "I'm Welsh, not English!",
        "after": [],
        "question": "What's my name?",
        "trap": "identity",
    }
]
CASES["endings"] = [
    {
        "id": "e1",
        "kind": "ending",
        "earlier": "I drive a Honda Civic",
        "later": "sold the Civic, got a bike",
        "days_between": 30,
    }
]
CASES["ending_controls"] = [
    {
        "id": "ec1",
        "kind": "ending",
        "earlier": "I drive a Honda Civic",
        "later": "my brother sold his Civic",
        "days_between": 30,
    }
]
CASES["order"] = [
    {
        "id": f"o{i}",
        "kind": "order",
        "type": kind,
        "older": "I drive a Honda Civic",
        "newer": newer,
        "days_between": 30,
        "question": "What car do I drive?",
        "first": first,
    }
    for i, (kind, newer, first) in enumerate(
        [
            ("update", "sold the Civic, I drive a Tesla now", "newer"),
            ("still_true", "the Civic needs new tyres", "older"),
            ("both_fine", "still driving my Honda Civic", "either"),
        ]
    )
]
CASES["news_changes"] = [
    {
        "id": "nw1",
        "kind": "news",
        "fact": "I make 42k a year",
        "filler": ["what is a haiku"],
        "update": "got the raise!!! 48,500 from next month",
        "days_between": 40,
        "question": "how much do I earn",
        "new_value": "48,500",
        "old_value": "42k",
    }
]
CASES["passing_after"] = [
    {
        "id": "pa1",
        "kind": "news",
        "fact": "I drive a Skoda Octavia",
        "filler": ["what is a haiku"],
        "days_between": 12,
        "later": "the Octavia's tyre light came on, pulled over on the M6",
        "question": "is anything wrong with my car",
        "fact_question": "what car have I got",
        "fact_value": "Skoda Octavia",
    }
]
CASES["near_misses"] = [
    {
        "id": "nm1",
        "kind": "pet_name",
        "fact": "My dog's name is Biscuit.",
        "answered": "What did I name my dog?",
        "near_miss": "What's my cat called?",
        "why": "the cat, not the dog",
    }
]
SPLITS = {
    "dev": ["home", "pets"],
    "heldout": [
        "health",
        "traffic",
        "name",
        "greeting",
        "named_people",
        "named_chatter",
        "name_trap",
        "ending",
        "order",
    ],
    "fresh": ["news"],
    "fresh3": ["near_miss"],
}


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "updates"
    d.mkdir()
    for section, cases in CASES.items():
        (d / f"{section}.json").write_text(json.dumps({"description": "t", "cases": cases}))
    (d / "splits.json").write_text(json.dumps(SPLITS))
    return d


def run_fake(data_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMismatchWarning)
        return updates.run(data_dir, embedder=HashEmbedder(), log=lambda m: None)


def test_store_everything_baselines_score_as_they_must(data_dir):
    s = run_fake(data_dir)["summary"]
    for system in ("cosine", "cosine_newest"):
        assert s["heldout"]["durable"][system]["recalled"] == 1.0  # nothing ever fades
        assert s["heldout"]["passing"][system]["not_recalled"] == 0.0
        assert s["heldout"]["duplicates"][system]["stored_once"] == 0.0  # both kept
        assert s["heldout"]["in_conversation"][system]["stored"] == 1.0
        assert s["heldout"]["introductions"][system]["recalled"] == 1.0
        assert s["heldout"]["greetings"][system]["not_stored"] == 0.0  # every turn kept
        assert s["heldout"]["named_facts"][system]["kept"] == 1.0
        assert s["heldout"]["named_chatter"][system]["not_kept"] == 0.0
        assert s["heldout"]["endings"][system]["superseded"] == 0.0  # nothing is replaced
        assert s["heldout"]["ending_controls"][system]["kept"] == 1.0
        assert s["dev"]["updates"][system]["stale_hidden"] == 0.0
        assert s["dev"]["updates"][system]["new_stored"] == 1.0  # every turn kept
        assert s["dev"]["controls"][system]["false_supersession"] == 0.0
        assert s["heldout"]["durable"][system]["judged_passing"] == 0.0  # nothing ever fades
        assert s["fresh"]["news_changes"][system]["new_recalled"] == 1.0
        assert s["fresh"]["passing_after"][system]["not_recalled"] == 0.0  # every turn kept
        assert s["fresh"]["passing_after"][system]["fact_recalled"] == 1.0
        assert s["fresh3"]["near_misses"][system]["recalled"] == 1.0
        assert s["fresh3"]["near_misses"][system]["near_miss_silent"] == 0.0  # no threshold
    # "I live in Paris" and "I live in Berlin" tie on cosine: plain cosine keeps turn order,
    # the newest-first baseline puts the change first.
    assert s["dev"]["updates"]["cosine"]["new_first"] == 0.0
    assert s["dev"]["updates"]["cosine_newest"]["new_first"] == 1.0


def test_summary_is_split_by_kind_and_counts_cases(data_dir):
    out = run_fake(data_dir)
    assert set(out["summary"]) == {"dev", "heldout", "fresh", "fresh3", "all"}
    assert set(out["summary"]["dev"]) == {"updates", "controls"}
    assert out["summary"]["all"]["updates"]["gated"]["n"] == 1
    assert out["cases"]["d1"]["split"] == "heldout"
    lines = []
    updates.report(out, log=lines.append)
    assert any("controls.false_supersession" in line for line in lines)


def test_each_share_carries_its_95_percent_wilson_interval(data_dir):
    # Known values: 0 of 10 -> [0, 0.278]; 5 of 10 -> [0.237, 0.763]; 110 of 110 -> [0.966, 1].
    assert [round(x, 3) for x in updates.wilson(0, 10)] == [0.0, 0.278]
    assert [round(x, 3) for x in updates.wilson(5, 10)] == [0.237, 0.763]
    assert round(updates.wilson(110, 110)[0], 3) == 0.966
    out = run_fake(data_dir)
    cell = out["summary"]["dev"]["updates"]["cosine_newest"]
    assert cell["new_first"] == 1.0 and cell["ci95"]["new_first"] == [0.207, 1.0]  # n = 1
    lines = []
    updates.report(out, log=lines.append)
    assert any("gated 95%" in line for line in lines)
    row = next(line for line in lines if "updates.new_first" in line and "dev" not in line)
    gated = out["summary"]["dev"]["updates"]["gated"]
    lo, hi = gated["ci95"]["new_first"]
    assert row.rstrip().endswith(f"{lo:.2f}-{hi:.2f}")  # the gated memory's interval


def test_a_control_fact_superseded_weakened_or_hidden_counts_as_lost():
    ids = {"fact": 1, "filler": 2, "later": 3}
    case = {"value": "Rex"}
    kept = {
        "ids": ids,
        "recalled": [1],
        "superseded": False,
        "weakened": False,
        "first_text": "my dog is called Rex",
    }
    assert updates.score("controls", case, kept) == {
        "false_supersession": False,
        "lost": False,
        "hidden": False,
        "value_first": True,
        "judged_passing": False,
    }
    for change in ({"superseded": True}, {"weakened": True}, {"recalled": [3]}):
        assert updates.score("controls", case, kept | change)["false_supersession"] is True
    moved = kept | {"recalled": [3, 1], "first_text": "my brother got a dog called Max"}
    assert updates.score("controls", case, moved)["value_first"] is False


def test_an_update_counts_only_when_the_change_comes_first():
    r = {"ids": {"fact": 1, "later": 2}, "recalled": [1, 2]}
    assert updates.score("updates", {}, r) == {
        "new_first": False,
        "stale_hidden": False,
        "new_stored": True,
        "new_judged_passing": False,
    }
    r = {"ids": {"fact": 1, "later": 2}, "recalled": [2], "judged_passing": {"later": True}}
    assert updates.score("updates", {}, r) == {
        "new_first": True,
        "stale_hidden": True,
        "new_stored": True,
        "new_judged_passing": True,  # the new value will fade a month on
    }
    r = {"ids": {"fact": 1, "later": None}, "recalled": []}  # the change was not stored
    out = updates.score("updates", {}, r)
    assert out["new_first"] is False and out["new_stored"] is False


def test_a_change_told_as_news_is_asked_two_months_on_and_must_still_be_there():
    turns, question, asked = updates.script("news_changes", CASES["news_changes"][0])
    assert [t.role for t in turns] == ["fact", "filler", "later"]
    assert asked - turns[-1].at == updates.NEWS_ASK_AFTER
    r = {"ids": {"fact": 1, "later": 3}, "recalled": [1, 3], "judged_passing": {"later": True}}
    assert updates.score("news_changes", {}, r) == {
        "new_recalled": True,
        "new_first": False,
        "new_stored": True,
        "new_judged_passing": True,
    }


def test_a_state_after_a_fact_counts_when_not_recalled_and_the_fact_still_is():
    turns, question, asked = updates.script("passing_after", CASES["passing_after"][0])
    assert turns[-1].role == "later" and asked - turns[-1].at == updates.PASSING_AFTER
    r = {
        "ids": {"fact": 1, "later": 3},
        "recalled": [1],
        "fact_recalled": [1],
        "superseded": False,
        "weakened": False,
        "judged_passing": {"later": True},
    }
    assert updates.score("passing_after", {}, r) == {
        "not_recalled": True,
        "fact_recalled": True,
        "fact_lost": False,
        "judged_passing": True,
    }
    worse = r | {"recalled": [3, 1], "fact_recalled": [3], "weakened": True}
    out = updates.score("passing_after", {}, worse)
    assert not out["not_recalled"] and not out["fact_recalled"] and out["fact_lost"]


def test_a_fact_said_in_conversation_is_played_in_its_place_and_scored():
    turns, question, asked = updates.script("in_conversation", CASES["in_conversation"][0])
    assert [t.role for t in turns] == ["opening", "opening", "fact", "after"]
    assert [t.at for t in turns] == sorted(t.at for t in turns)
    assert question == "what am I called" and asked - turns[2].at == updates.IN_CONVERSATION_AFTER
    kept = {"ids": {"opening": 1, "fact": 2, "after": 3}, "recalled": [3, 2]}
    assert updates.score("in_conversation", {}, kept) == {
        "stored": True,
        "recalled": True,
        "judged_passing": False,
    }
    dropped = {"ids": {"opening": 1, "fact": None, "after": 3}, "recalled": [3]}
    assert updates.score("in_conversation", {}, dropped) == {
        "stored": False,
        "recalled": False,
        "judged_passing": False,
    }
    fading = kept | {"judged_passing": {"fact": True}}
    assert updates.score("in_conversation", {}, fading)["judged_passing"] is True


def test_a_greeting_is_scored_by_whether_it_was_stored():
    turns, question, _ = updates.script("greetings", CASES["greetings"][0])
    assert [t.role for t in turns] == ["opening", "fact"] and question == ""
    assert updates.score("greetings", {}, {"ids": {"opening": 1, "fact": None}}) == {
        "not_stored": True
    }
    assert updates.score("greetings", {}, {"ids": {"opening": 1, "fact": 2}}) == {
        "not_stored": False
    }


def test_a_fact_about_a_named_person_counts_when_stored_and_not_judged_passing():
    turns, question, _ = updates.script("named_facts", CASES["named_facts"][1])
    assert [t.role for t in turns] == ["opening", "opening", "fact"] and question == ""
    stored = {"ids": {"opening": 1, "fact": 3}}
    assert updates.score("named_facts", {}, stored) == {"stored": True, "kept": True}
    fading = stored | {"judged_passing": {"fact": True}}
    assert updates.score("named_facts", {}, fading) == {"stored": True, "kept": False}
    dropped = {"ids": {"opening": 1, "fact": None}}
    assert updates.score("named_facts", {}, dropped) == {"stored": False, "kept": False}
    assert updates.score("named_chatter", {}, dropped) == {"not_kept": True}
    assert updates.score("named_chatter", {}, fading) == {"not_kept": True}  # time hides it
    assert updates.score("named_chatter", {}, stored) == {"not_kept": False}


def test_named_people_are_reported_apart_for_a_turn_said_first_and_after_small_talk(data_dir):
    cases = {
        "named_facts": [
            {"id": "a", "said": "first"},
            {"id": "b", "said": "first"},
            {"id": "c", "said": "after_small_talk"},
        ]
    }
    per_case = {
        "a": {"split": "heldout", "stored": True, "kept": True},
        "b": {"split": "heldout", "stored": True, "kept": False},
        "c": {"split": "heldout", "stored": False, "kept": False},
    }
    assert updates.by_said(cases, per_case) == {
        "named_facts": {
            "first": {"stored": 1.0, "kept": 0.5, "n": 2},
            "after_small_talk": {"stored": 0.0, "kept": 0.0, "n": 1},
        }
    }
    out = run_fake(data_dir)
    assert set(out["named_by_said"]) == {"named_facts", "named_chatter"}
    lines = []
    updates.report(out, log=lines.append)
    assert any(line.startswith("named_facts, said after small talk (gated, n=1)") for line in lines)


def test_every_split_splits_json_names_is_reported(data_dir):
    splits = dict(SPLITS, heldout=[k for k in SPLITS["heldout"] if k != "traffic"])
    splits["later"] = ["traffic"]
    (data_dir / "splits.json").write_text(json.dumps(splits))
    out = run_fake(data_dir)
    assert set(out["summary"]) == {"dev", "heldout", "fresh", "fresh3", "later", "all"}
    assert set(out["summary"]["later"]) == {"passing"}
    lines: list[str] = []
    updates.report(out, log=lines.append)
    assert any(line.lstrip().startswith("later") for line in lines)


def test_a_kind_without_a_split_is_refused(data_dir):
    (data_dir / "splits.json").write_text(json.dumps({"dev": ["home"], "heldout": []}))
    with pytest.raises(ValueError, match="no split for"):
        updates.load(data_dir)


def test_the_shipped_cases_meet_the_issue_minimums():
    cases, splits = updates.load(updates.default_dir())
    assert len(cases["updates"]) >= 150 and len(cases["controls"]) >= 100
    assert len({c["kind"] for c in cases["updates"]}) >= 25
    for section in ("durable", "passing", "duplicates", "in_conversation"):
        assert cases[section], section
    assert len(cases["introductions"]) >= 50 and len(cases["greetings"]) >= 30
    assert len(cases["named_facts"]) >= 300 and len(cases["named_chatter"]) >= 200
    for section in ("named_facts", "named_chatter"):
        assert {c["said"] for c in cases[section]} == {"first", "after_small_talk"}
    assert len(cases["name_traps"]) >= 100
    assert {splits[c["kind"]] for c in cases["name_traps"]} == {"dev", "heldout"}
    for section in ("endings", "ending_controls"):
        assert {splits[c["kind"]] for c in cases[section]} == {"dev", "heldout", "fresh", "fresh2"}
        # The fresh2 cases: a later turn that names the earlier fact's value.
        fresh2 = [c for c in cases[section] if splits[c["kind"]] == "fresh2"]
        assert len(fresh2) == 60, section
        assert all(c["value"].casefold() in c["later"].casefold() for c in fresh2), section
    assert len(cases["order"]) >= 100 and {splits[c["kind"]] for c in cases["order"]} == {"heldout"}
    assert {c["first"] for c in cases["order"]} == {"newer", "older", "either"}
    for c in cases["introductions"]:
        assert c["key"] in c["fact"] and c["question"], c["id"]
    assert {"dev", "heldout", "fresh", "fresh2", "fresh3", "fresh4"} == set(splits.values())
    # The near misses: two sets by two hands, each its own split, a question each that the
    # fact answers and one it does not, over many kinds of fact.
    near = cases["near_misses"]
    assert {c["kind"] for c in near} == {"near_miss", "near_miss_4"}
    for kind, split in (("near_miss", "fresh3"), ("near_miss_4", "fresh4")):
        one = [c for c in near if c["kind"] == kind]
        assert len(one) >= 100 and {splits[c["kind"]] for c in one} == {split}
        assert len({c["fact_kind"] for c in one}) >= 25
    assert len({c["id"] for c in near}) == len(near)
    assert all(c["fact"] and c["answered"] and c["near_miss"] for c in near)
    # The fresh cases: updates, controls and duplicates written after the settings were chosen.
    for section, n in (
        ("updates", 80),
        ("controls", 60),
        ("duplicates", 60),
        ("endings", 40),
        ("ending_controls", 50),
        ("news_changes", 70),
        ("passing_after", 80),
    ):
        fresh = [c for c in cases[section] if splits[c["kind"]] == "fresh"]
        assert len(fresh) == n and all(c["topic"] for c in fresh), section
    ids = [c["id"] for cs in cases.values() for c in cs]
    assert len(ids) == len(set(ids))


@pytest.mark.model
def test_a_slice_runs_with_the_real_model(real_embedder):
    out = updates.run(embedder=real_embedder, limit=4, log=lambda m: None)
    s = out["summary"]["all"]
    assert s["updates"]["gated"]["n"] == 4
    assert s["durable"]["cosine"]["recalled"] == 1.0
    assert s["passing"]["cosine_newest"]["not_recalled"] == 0.0
    assert len(out["cases"]) == 4 * len(updates.SECTIONS)  # every case played by the gates
    # The scores' calibration on these small memories, with one off-topic request a case.
    cal = out["calibration"]
    cases, _ = updates.load(updates.default_dir())
    asked = [c for s in updates.SCORED for c in cases[s][:4] if updates.script(s, c)[1]]
    assert cal["offtopic_requests"] == len(asked) > 0
    assert cal["candidates"] > cal["offtopic_requests"] and 0 < cal["relevant"] < 1
    assert 0 <= cal["ece"] <= 1 and sum(b["n"] for b in cal["bins"]) == cal["candidates"]
    # And one question each about a fact the memory was never told.
    assert cal["untold_requests"] == len(asked) and 0 <= cal["untold_silent"] <= 1


def test_the_calibration_check_bins_scores_against_what_was_relevant():
    pairs = [(0.05, False)] * 8 + [(0.05, True)] * 2 + [(0.9, True)] * 9 + [(0.9, False)]
    cal = updates.reliability(pairs, [True, True, False, True])
    assert cal["candidates"] == 20 and cal["relevant"] == 0.55
    assert [(b["bin"], b["n"], b["relevant"]) for b in cal["bins"]] == [
        ("0.0-0.1", 10, 0.2),
        ("0.9-1.0", 10, 0.9),
    ]
    # Half the candidates are 0.15 off, half exactly right.
    assert cal["ece"] == pytest.approx(0.5 * 0.15)
    assert cal["offtopic_requests"] == 4 and cal["offtopic_silent"] == 0.75


def test_the_calibration_check_counts_questions_the_memory_was_never_told_apart():
    pairs = [(0.9, True), (0.1, False)]
    untold = [[(0.7, False), (0.2, False)], [(0.1, False)], []]
    cal = updates.reliability(pairs, [True], untold, [False, True, True])
    assert cal["ece"] == pytest.approx(0.1)  # the first candidates alone, as before
    assert cal["untold_requests"] == 3 and cal["untold_silent"] == round(2 / 3, 3)
    assert cal["untold_confident"] == round(1 / 3, 3)  # one best candidate at 0.5 or more
    # With them, five candidates: 0.1 twice, 0.2 and 0.7 none relevant, 0.9 relevant.
    assert cal["ece_with_untold"] == pytest.approx((0.1 * 2 + 0.2 + 0.7 + 0.1) / 5)


def test_an_untold_question_is_about_a_kind_of_fact_unlike_the_cases_own():
    durable = [
        {"kind": "allergy", "question": "What am I allergic to?"},
        {"kind": "chronic_condition", "question": "Do I have any long-term conditions?"},
        {"kind": "name", "question": "What's my last name?"},
        {"kind": "birthday", "question": "When is my birthday?"},
        {"kind": "sibling", "question": "Who are my siblings?"},
    ]
    asked = {updates.untold_question(durable, "health_condition", n) for n in range(12)}
    assert asked == {"When is my birthday?", "Who are my siblings?"}
    asked = {updates.untold_question(durable, "birthday", n) for n in range(12)}
    assert "What's my last name?" not in asked and "What am I allergic to?" in asked
    assert updates.untold_question(durable[:3], "allergy", 0) is None


def test_a_near_miss_counts_when_nothing_is_handed_over_and_the_fact_scores_low():
    case = {"near_miss": "What's my cat called?"}
    ids = {"fact": 7}
    right = {"ids": ids, "recalled": [7], "near": [], "near_score": 0.2}
    assert updates.score("near_misses", case, right) == {
        "recalled": True,
        "near_miss_silent": True,
        "near_miss_confident": False,
    }
    # A fact never stored is recalled for nothing, and is not silent about what it holds.
    lost = {"ids": {"fact": None}, "recalled": [], "near": [], "near_score": 0.0}
    assert updates.score("near_misses", case, lost)["near_miss_silent"] is False
    wrong = {"ids": ids, "recalled": [], "near": [7], "near_score": 0.97}
    assert updates.score("near_misses", case, wrong) == {
        "recalled": False,
        "near_miss_silent": False,
        "near_miss_confident": True,
    }


def test_an_ending_counts_when_the_fact_is_superseded_and_a_control_when_it_is_kept():
    r = {"ids": {"fact": 1, "later": 2}, "superseded": True, "weakened": False}
    assert updates.score("endings", CASES["endings"][0], r) == {"superseded": True}
    assert updates.score("ending_controls", CASES["ending_controls"][0], r) == {"kept": False}
    r = {"ids": {"fact": 1, "later": 2}, "superseded": False, "weakened": True}
    assert updates.score("endings", CASES["endings"][0], r) == {"superseded": False}
    assert updates.score("ending_controls", CASES["ending_controls"][0], r) == {"kept": False}
    r["weakened"] = False
    assert updates.score("ending_controls", CASES["ending_controls"][0], r) == {"kept": True}


def test_an_order_case_counts_when_the_turn_it_names_comes_first():
    update, still, either = CASES["order"]
    newer_first = {"ids": {"fact": 1, "later": 2}, "recalled": [2, 1]}
    older_first = {"ids": {"fact": 1, "later": 2}, "recalled": [1, 2]}
    assert updates.score("order", update, newer_first) == {"first_right": True}
    assert updates.score("order", update, older_first) == {"first_right": False}
    assert updates.score("order", still, newer_first) == {"first_right": False}
    assert updates.score("order", still, older_first) == {"first_right": True}
    assert updates.score("order", either, newer_first) == {"first_right": True}
    assert updates.score("order", either, older_first) == {"first_right": True}
    # Nothing recalled, or the wanted turn never stored: not right.
    assert updates.score("order", either, {"ids": {"fact": 1, "later": 2}}) == {
        "first_right": False
    }
    assert updates.score("order", update, {"ids": {"fact": 1, "later": None}, "recalled": [1]}) == {
        "first_right": False
    }


def test_the_order_section_is_reported_per_type_beside_the_baselines(data_dir):
    out = run_fake(data_dir)
    by_type = out["order_by_type"]
    assert set(by_type) == {"update", "still_true", "both_fine"}
    assert by_type["both_fine"]["cosine"] == 1.0 and by_type["update"]["n"] == 1
    assert set(by_type["update"]) == {*updates.SYSTEMS, "n"}


class RecordingMemory:
    """Stands in for GatedMemory in play_gated: stores every turn, and recall returns the
    first memory whatever the query, recording the queries."""

    def __init__(self):
        self.n, self.asked = 0, []

    def observe(self, text, user, at, session=None):
        self.n += 1
        return SimpleNamespace(memory_id=self.n, half_life_days=None, input_gate=0.9)

    def recall(self, query, user, at, reinforce=True):
        self.asked.append(query)
        return [SimpleNamespace(memory_id=1, text="fact", gates={})]

    def history(self, memory_id):
        return []


def test_a_state_after_a_fact_asks_both_questions_of_the_memory():
    case = CASES["passing_after"][0]
    mem = RecordingMemory()
    r = updates.play_gated(mem, "u", "passing_after", case)
    assert mem.asked == [case["question"], case["fact_question"]]
    assert r["recalled"] == [1] and r["fact_recalled"] == [1]
    out = updates.score("passing_after", case, r)
    assert out["fact_recalled"] and out["not_recalled"]  # the state (memory 3) not returned
