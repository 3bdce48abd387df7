"""The whole-conversation benchmark: its data's checks, its scoring and its baselines."""

from __future__ import annotations

import copy
import json
import warnings

import pytest
from conftest import HashEmbedder
from gatedmem import GatedMemory
from gatedmem.bench import lives
from gatedmem.memory.errors import ModelMismatchWarning

CONV = {
    "id": "c01",
    "persona": "a nurse in Leeds",
    "turns": [
        {"id": "t1", "day": 0, "text": "I live in Leeds with my partner"},
        {"id": "t2", "day": 0, "text": "my sister Ines lives in Lyon"},
        {"id": "t3", "day": 0, "text": "how many grams in a cup of flour"},
        {"id": "t4", "day": 40, "text": "we moved to Bristol last week"},
    ],
    "facts": [
        {"turn": "t1", "about": "home", "whose": "user", "status": "changed", "changed_by": "t4"},
        {"turn": "t2", "about": "sister's home", "whose": "sister", "status": "current"},
        {"turn": "t4", "about": "home", "whose": "user", "status": "current"},
    ],
    "traps": [],
    "questions": [
        {
            "id": "q1",
            "day": 50,
            "text": "where do I live",
            "answer": "Bristol",
            "answer_turns": ["t4"],
            "stale_turns": ["t1"],
            "type": "changed",
        },
        {
            "id": "q2",
            "day": 50,
            "text": "where does my sister Ines live",
            "answer": "Lyon",
            "answer_turns": ["t2"],
            "stale_turns": [],
            "type": "unchanged_near_change",
        },
    ],
}


def write(folder, convs, split="fresh5"):
    folder.mkdir(exist_ok=True)
    (folder / "set.json").write_text(json.dumps({"split": split, "conversations": convs}))
    return folder


def test_the_shipped_conversations_load_and_are_labelled_consistently():
    convs = lives.load(lives.default_dir())
    assert len(convs) >= 10
    facts = [f for c in convs for f in c["facts"]]
    assert {f["status"] for f in facts} == {"current", "changed"}
    assert {q["type"] for c in convs for q in c["questions"]} <= set(lives.QUESTION_TYPES)


@pytest.mark.parametrize(
    "break_it, message",
    [
        (lambda c: c["facts"].append({"turn": "t9", "status": "current"}), "unknown turn t9"),
        (lambda c: c["facts"][0].update(changed_by="t1"), "not a later turn"),
        (lambda c: c["facts"][1].update(status="stale"), "status 'stale'"),
        (lambda c: c["questions"][0].update(day=40), "before the last turn"),
        (lambda c: c["questions"][0].update(answer_turns=[]), "names no turn"),
        (lambda c: c["questions"][1].update(stale_turns=["t7"]), "unknown one"),
        (lambda c: c["questions"][1].update(type="other"), "type 'other'"),
        (lambda c: c["turns"][3].update(day=-1), "not in order"),
        (lambda c: c["turns"][1].update(id="t1"), "used twice"),
        (lambda c: c["turns"][1].update(speaker="bot"), "neither user nor assistant"),
        (lambda c: c["turns"][1].update(speaker="assistant"), "are the user's"),
    ],
)
def test_a_mislabelled_conversation_is_refused(tmp_path, break_it, message):
    conv = copy.deepcopy(CONV)
    break_it(conv)
    with pytest.raises(ValueError, match=message):
        lives.load(write(tmp_path / "d", [conv]))


def test_a_conversation_id_in_two_files_is_refused(tmp_path):
    folder = write(tmp_path / "d", [CONV])
    (folder / "other.json").write_text(json.dumps({"split": "x", "conversations": [CONV]}))
    with pytest.raises(ValueError, match="conversation c01 is in"):
        lives.load(folder)


def test_the_calibration_pairs_are_every_ranked_candidate_but_outdated_values():
    r = played()
    r["questions"]["q1"].update(ranked=["t4", "t1", "t2"], ranked_scores=[0.9, 0.5, 0.1])
    r["questions"]["q2"].update(ranked=["t1", "t2"], ranked_scores=[0.3, 0.8])
    # q1's outdated t1 is left out; t4 answers q1, t2 answers q2.
    assert lives.scored_pairs(CONV, r) == [(0.9, True), (0.1, False), (0.3, False), (0.8, True)]


def test_an_empty_folder_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no conversations"):
        lives.load(tmp_path / "empty")


def test_turns_of_one_day_are_minutes_apart_and_days_apart_otherwise():
    at = lives.times(CONV)
    assert at["t2"] - at["t1"] == lives.TURN_GAP
    assert (at["t4"] - at["t1"]).days == 40


def played(facts=None, questions=None):
    base = {"stored": True, "retired": False, "retired_by": [], "active": True}
    r = {"facts": {f["turn"]: dict(base) for f in CONV["facts"]}, "questions": {}}
    for turn, state in (facts or {}).items():
        r["facts"][turn].update(state)
    for q in CONV["questions"]:
        handed = (questions or {}).get(q["id"], q["answer_turns"])
        r["questions"][q["id"]] = {"handed": handed, "ranked": handed}
    return r


def measures(r):
    out: dict[str, list[float]] = {}
    for name, v in lives.score(CONV, r):
        out.setdefault(name, []).append(float(v))
    return out


def test_a_fact_still_true_that_was_superseded_is_lost_not_kept():
    m = measures(played({"t2": {"retired": True, "retired_by": ["t4"], "active": False}}))
    assert m["current.lost"] == [1.0, 0.0]  # t2 lost; t4 not
    assert m["current.kept"] == [0.0, 1.0]
    assert m["current.faded"] == [0.0, 0.0]


def test_a_fact_hidden_by_time_is_faded_and_one_let_go_not_stored():
    m = measures(played({"t2": {"active": False}, "t4": {"stored": False, "active": False}}))
    assert m["current.faded"] == [1.0, 0.0]
    assert m["current.not_stored"] == [0.0, 1.0]
    assert m["current.kept"] == [0.0, 0.0]


def test_a_changed_fact_is_retired_by_its_change_or_by_another_turn():
    by_change = measures(played({"t1": {"retired": True, "retired_by": ["t4"]}}))
    assert by_change["changed.retired"] == by_change["changed.retired_by_change"] == [1.0]
    by_other = measures(played({"t1": {"retired": True, "retired_by": ["t3"]}}))
    assert by_other["changed.retired"] == [1.0]
    assert by_other["changed.retired_by_change"] == [0.0]


def test_a_stale_value_handed_before_the_current_one_is_counted():
    m = measures(played(questions={"q1": ["t1", "t4"], "q2": []}))
    assert m["q.changed.answered"] == [1.0]
    assert m["q.changed.first"] == [0.0]
    assert m["q.changed.stale_before_answer"] == [1.0]
    assert m["q.unchanged_near_change.answered"] == [0.0]
    assert "q.unchanged_near_change.stale_handed" not in m  # it has no stale turn
    assert m["q.handed_count"] == [2.0, 0.0]
    right = measures(played(questions={"q1": ["t4", "t1"]}))
    assert right["q.changed.first"] == [1.0]
    assert right["q.changed.stale_before_answer"] == [0.0]
    assert right["q.changed.stale_handed"] == [1.0]


def test_the_newest_baseline_puts_the_later_of_two_near_ties_first():
    conv = copy.deepcopy(CONV)
    conv["turns"][3]["text"] = "I live in Bristol with my partner"
    emb = lives.TableEmbedder(HashEmbedder(), [])
    plain = lives.play_baseline(emb, conv, newest=False)["questions"]["q1"]["handed"]
    newest = lives.play_baseline(emb, conv, newest=True)["questions"]["q1"]["handed"]
    assert plain[:2] == ["t1", "t4"]  # a tie, in the order said
    assert newest[:2] == ["t4", "t1"]


def test_an_assistants_turn_is_observed_as_the_assistants(tmp_path):
    conv = copy.deepcopy(CONV)
    conv["turns"][2] = {"id": "t3", "day": 0, "speaker": "assistant", "text": "Lyon is lovely."}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMismatchWarning)
        with GatedMemory(f"sqlite:///{tmp_path / 'm.db'}", embedder=HashEmbedder()) as mem:
            said: dict[str, str] = {}
            observe = mem.observe

            def recorded(text, **kw):
                said[text] = kw["speaker"]
                return observe(text, **kw)

            mem.observe = recorded
            lives.play_gated(mem, conv)
    assert said["Lyon is lovely."] == "assistant"
    assert said["I live in Leeds with my partner"] == "user"


def test_run_plays_every_conversation_through_the_gated_memory(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelMismatchWarning)
        out = lives.run(write(tmp_path / "d", [CONV]), embedder=HashEmbedder(), log=lambda m: None)
    played = out["conversations"]["c01"]
    assert set(played["facts"]) == {"t1", "t2", "t4"}
    assert set(played["questions"]) == {"q1", "q2"}
    gated = out["summary"]["fresh5"]
    assert gated["current.kept"]["n"] == 2
    assert gated["q.all.answered"]["n"] == 2
    # The baselines store every turn and hand over K of them.
    assert gated["q.all.answered"]["cosine"] == 1.0
    assert gated["q.handed_count"]["cosine"] == min(lives.K, len(CONV["turns"]))
    assert list(out["summary"]) == ["fresh5"]  # "all" only beside two splits or more
