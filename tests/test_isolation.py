"""One user's memories are never visible to another user through any method."""

from __future__ import annotations

import pytest
from gatedmem import UnknownMemory

ANA = ["I live in Lisbon.", "My dog is called Rex.", "I'm allergic to penicillin."]
BOB = ["I live in Oslo.", "My cat is called Tom."]


@pytest.fixture
def two_users(fake_memory):
    a = [fake_memory.add(t, user="ana").id for t in ANA]
    b = [fake_memory.add(t, user="bob").id for t in BOB]
    return fake_memory, a, b


def test_list_is_per_user(two_users):
    mem, a, b = two_users
    assert [m.id for m in mem.list(user="ana")] == a
    assert [m.id for m in mem.list(user="bob", include_forgotten=True)] == b


@pytest.mark.model
def test_recall_never_returns_another_users_memory(real_memory):
    a = [real_memory.add(t, user="ana").id for t in ANA]
    b = [real_memory.add(t, user="bob").id for t in BOB]
    for text in ANA + ["Where do I live?", "What is my pet called?", "Any allergies?"]:
        hits = real_memory.recall(text, user="bob", k=50, reinforce=False)
        assert not {h.memory_id for h in hits} & set(a)
        assert {h.memory_id for h in real_memory.recall(text, user="ana", k=50)} <= set(a)
    # ... while the owner does get them back.
    assert a[2] in [h.memory_id for h in real_memory.recall("Any allergies?", user="ana")]
    assert b[0] in [h.memory_id for h in real_memory.recall("Where do I live?", user="bob")]


@pytest.mark.parametrize("method", ["get", "forget", "restore", "pin", "unpin", "history"])
def test_scoped_methods_do_not_reach_another_users_memory(two_users, method):
    mem, a, b = two_users
    with pytest.raises(UnknownMemory):
        getattr(mem, method)(a[0], user="bob")
    # Nothing was changed by the refused call.
    assert [e.kind for e in mem.history(a[0])] == ["added"]


def test_export_holds_only_that_user(two_users):
    mem, a, b = two_users
    data = mem.export(user="bob")
    assert sorted(m["text"] for m in data["memories"]) == sorted(BOB)


def test_users_lists_counts_not_content(two_users):
    mem, a, b = two_users
    rows = {u["user"]: u for u in mem.users()}
    assert rows["ana"]["memories"] == 3 and rows["bob"]["memories"] == 2
    assert all("text" not in u for u in rows.values())


def test_same_text_for_two_users_is_two_memories(fake_memory):
    x = fake_memory.add("I love hiking", user="ana")
    y = fake_memory.add("I love hiking", user="bob")
    assert x.id != y.id
    fake_memory.forget(x.id, user="ana")
    assert [m.id for m in fake_memory.list(user="bob")] == [y.id]
