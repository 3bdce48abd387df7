"""Bad input gets a named error with a useful message, and harms nothing already stored."""

from __future__ import annotations

import warnings
from datetime import datetime, timezone

import numpy as np
import pytest
from gatedmem import (
    EmbeddingMismatch,
    EmptyText,
    GatedMemory,
    InvalidArgument,
    InvalidText,
    InvalidUser,
    StorageError,
    TextTooLong,
    UnknownMemory,
    UnknownUser,
    WeightsError,
)


@pytest.fixture
def mem_with_one(fake_memory):
    m = fake_memory.add("I live in Lisbon", user="ana")
    return fake_memory, m


def _intact(mem, m):
    assert [x.text for x in mem.list(user="ana")] == ["I live in Lisbon"]
    assert mem.get(m.id).text == "I live in Lisbon"


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("", EmptyText, "empty"),
        ("   \n\t ", EmptyText, "empty"),
        ("\u200b", EmptyText, "empty"),  # zero-width space: nothing anyone could read
        ("\u200b\u2060\ufeff \u00a0", EmptyText, "empty"),
        ("x" * 1_000_000, TextTooLong, "at most"),
        ("hello\x00world", InvalidText, "NUL"),
        ("broken \ud800 surrogate", InvalidText, "surrogate"),
        ("caf\udce9 from a Latin-1 terminal", InvalidText, r"U\+DCE9.*not valid UTF-8 \(0xe9\)"),
        (b"\xff\xfe invalid utf-8", InvalidText, "UTF-8"),
        (None, InvalidText, "string"),
        (42, InvalidText, "string"),
    ],
)
def test_bad_text_is_refused_for_every_writer_and_reader(mem_with_one, text, error, message):
    mem, m = mem_with_one
    for call in (
        lambda: mem.observe(text, user="ana"),
        lambda: mem.add(text, user="ana"),
        lambda: mem.recall(text, user="ana"),
    ):
        with pytest.raises(error, match=message):
            call()
    _intact(mem, m)


def test_valid_utf8_bytes_are_accepted(fake_memory):
    m = fake_memory.add("café crème".encode(), user="ana")
    assert m.text == "café crème"


@pytest.mark.parametrize(
    "user",
    [
        "",
        "  ",
        "x" * 300,
        "a\x00b",
        "tab\tname",
        None,
        "a\x7fb",  # DEL
        "a\x85b",  # a C1 control
        "\u200b",  # a zero-width space: a name nobody can see
        "ana\u200b",  # ... and one that prints as "ana"
        "a\u202eb",  # a right-to-left override: prints as another name
        "\u200d",  # only the emoji joiner
        "a\u2062na",  # an invisible operator: prints as "ana"
    ],
)
def test_bad_user_names(fake_memory, user):
    with pytest.raises(InvalidUser):
        fake_memory.add("a fact", user=user)


@pytest.mark.parametrize(
    "name",
    [
        "dev 👩\u200d💻",  # the emoji joiner
        "علی\u200cرضا",  # Persian's zero-width non-joiner: ordinary spelling
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # a flag's tags
    ],
)
def test_invisible_characters_that_spell_a_name_are_kept(fake_memory, name):
    m = fake_memory.add("a fact", user=name)
    assert m.user == name


def test_unicode_and_sql_metacharacters_are_just_text(fake_memory):
    name = "Zoë 李 🦊'; DROP TABLE memories; --"
    m = fake_memory.add("Robert'); DROP TABLE users;-- likes ☕", user=name)
    assert fake_memory.get(m.id, user=name).text == "Robert'); DROP TABLE users;-- likes ☕"
    assert [u["user"] for u in fake_memory.users()] == [name]


def test_unknown_ids_and_users(mem_with_one):
    mem, m = mem_with_one
    for call in (mem.get, mem.forget, mem.restore, mem.pin, mem.unpin, mem.history):
        with pytest.raises(UnknownMemory, match="memories list"):
            call(10_000)
    for bad in ("seven", 1.5, True):
        with pytest.raises(InvalidArgument):
            mem.get(bad)
    with pytest.raises(UnknownUser, match="nobody"):
        mem.list(user="nobody")
    with pytest.raises(UnknownUser):
        mem.export(user="nobody")
    with pytest.raises(UnknownUser):
        mem.purge(user="nobody")
    _intact(mem, m)


@pytest.mark.parametrize("k", [0, -1, 1001, "5", 2.0, True])
def test_bad_k(mem_with_one, k):
    mem, _ = mem_with_one
    with pytest.raises(InvalidArgument, match="k must be"):
        mem.recall("where do I live", user="ana", k=k)


@pytest.mark.parametrize(
    "at",
    [
        "yesterday",
        float("nan"),
        float("inf"),
        [1],
        -1e12,  # the year -29719: stored, it could never be read back as a date
        1e15,
        10**400,  # too large for a float
        datetime(1, 1, 1),
        datetime(9999, 12, 31, tzinfo=timezone.utc),
    ],
)
def test_bad_time(mem_with_one, at):
    mem, m = mem_with_one
    for call in (
        lambda: mem.observe("I like tea", user="ana", at=at),
        lambda: mem.add("I like tea", user="ana", at=at),
        lambda: mem.observe_many([{"text": "I like tea", "at": at}], user="ana"),
        lambda: mem.recall("tea", user="ana", at=at),
    ):
        with pytest.raises(InvalidArgument, match="at="):
            call()
    _intact(mem, m)
    assert [x.text for x in mem.recall("where do I live", user="ana")] == ["I live in Lisbon"]


@pytest.mark.parametrize("text", ["\U0001fa77", "\U0001fae8 \U0001fae8", "\uf8ff", "x\u200b"])
def test_new_emoji_and_private_use_characters_are_text(fake_memory, text):
    # Emoji newer than Python's Unicode tables are unassigned code points to it: still text.
    assert fake_memory.get(fake_memory.add(text, user="ana").id).text == text


def test_old_and_far_future_times_within_range_are_kept_and_read_back(fake_memory):
    old = datetime(1901, 6, 1, tzinfo=timezone.utc)
    far = datetime(8999, 6, 1, tzinfo=timezone.utc)
    a = fake_memory.add("I was born in a lighthouse", user="ana", at=old)
    b = fake_memory.add("I plan to live on Mars", user="ana", at=far)
    assert fake_memory.get(a.id).created_at == old
    assert fake_memory.get(b.id).created_at == far
    assert len(fake_memory.list(user="ana", at=far)) == 2


def _nested(depth: int) -> dict:
    d: dict = {}
    for _ in range(depth):
        d = {"x": d}
    return d


@pytest.mark.parametrize(
    "metadata",
    [
        {"when": object()},
        # Not JSON: a list or --json reader, and the REST API, could not read them back.
        {"x": float("nan")},
        {"x": [1.0, float("inf")]},
        {"x": float("-inf")},
        {"\ud800": 1},  # a lone surrogate, which SQLite cannot store
        _nested(5000),
    ],
)
def test_bad_metadata(mem_with_one, metadata):
    mem, m = mem_with_one
    with pytest.raises(InvalidArgument, match="JSON"):
        mem.add("x y z", user="ana", metadata=metadata)
    with pytest.raises(InvalidArgument, match="JSON"):
        mem.observe("I work in Leeds", user="ana", metadata=metadata)
    _intact(mem, m)


@pytest.mark.parametrize("value", [True, False, -0.1, 1.5, float("nan"), "0.5"])
def test_bad_min_score(mem_with_one, value):
    mem, m = mem_with_one
    with pytest.raises(InvalidArgument, match="min_score"):
        mem.recall("Lisbon", user="ana", min_score=value)
    _intact(mem, m)


def test_import_of_something_else_is_refused(mem_with_one):
    mem, m = mem_with_one
    for data in ({}, {"format": "other"}, [], {"format": "gatedmem-export", "version": 1}):
        with pytest.raises(InvalidArgument):
            mem.import_(data)
    _intact(mem, m)


def test_an_export_of_an_unknown_version_is_refused(mem_with_one):
    mem, m = mem_with_one
    data = mem.export(user="ana")
    with pytest.raises(InvalidArgument, match="export format version 99 is not one"):
        mem.import_({**data, "version": 99}, user="ana-copy")
    with pytest.raises(UnknownUser):
        mem.list(user="ana-copy")
    _intact(mem, m)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"capacity": 0}, InvalidArgument, "capacity"),
        ({"capacity": "3"}, InvalidArgument, "capacity"),
        ({"capacity": True}, InvalidArgument, "capacity"),
        ({"eviction": "random"}, InvalidArgument, "eviction"),
        ({"eviction": None}, InvalidArgument, "eviction"),
        ({"cache_memories": 0}, InvalidArgument, "cache_memories"),
        ({"cache_memories": 2.5}, InvalidArgument, "cache_memories"),
        ({"ablate": ["memory"]}, InvalidArgument, "ablate"),
        ({"ablate": "input"}, InvalidArgument, "ablate"),
        ({"ablate": 3}, InvalidArgument, "ablate"),
        ({"embedder": "all-MiniLM-L6-v2"}, InvalidArgument, "embedder"),
        ({"weights": "no/such/weights"}, WeightsError, "no gate weights directory"),
    ],
)
def test_bad_arguments_are_refused_before_a_database_is_created(tmp_path, kwargs, error, message):
    path = tmp_path / "sub" / "memory.db"
    with pytest.raises(error, match=message):
        GatedMemory(str(path), **kwargs)
    assert not path.parent.exists()


def test_a_url_that_is_not_text_is_refused():
    with pytest.raises(InvalidArgument, match="url"):
        GatedMemory(42)


def test_corrupt_weights_file(tmp_path, db_url, fake_memory, open_memory):
    from gatedmem.memory.gates import default_weights_dir

    bad = tmp_path / "weights"
    bad.mkdir()
    (bad / "config.json").write_text((default_weights_dir() / "config.json").read_text())
    (bad / "gates.safetensors").write_bytes(b"\x00garbage" * 100)
    from conftest import HashEmbedder

    mem = open_memory(db_url, embedder=HashEmbedder(), weights=bad)
    with pytest.raises(WeightsError, match="corrupt"):
        mem.observe("I like tea", user="ana")
    (bad / "gates.safetensors").unlink()
    mem = open_memory(db_url, embedder=HashEmbedder(), weights=bad)
    with pytest.raises(WeightsError, match="missing"):
        mem.observe("I like tea", user="ana")
    (bad / "config.json").write_text("{not json")
    with pytest.raises(WeightsError):
        open_memory(db_url, embedder=HashEmbedder(), weights=bad).observe("x", user="ana")


def test_embedder_of_another_dimension_is_refused(mem_with_one, db_url, open_memory):
    from conftest import HashEmbedder

    mem, m = mem_with_one
    other = open_memory(db_url, embedder=HashEmbedder(dim=128))
    with pytest.raises(EmbeddingMismatch, match="384-d"):
        other.observe("I like tea", user="ana")
    _intact(mem, m)


def test_embedder_of_another_name_is_refused_by_the_database(mem_with_one, db_url, open_memory):
    from conftest import HashEmbedder

    class Renamed(HashEmbedder):
        name = "some-other-model"

    mem, m = mem_with_one
    other = open_memory(db_url, embedder=Renamed())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(EmbeddingMismatch, match="test-hash-embedder"):
            other.add("I like tea", user="ana")
    _intact(mem, m)


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "not.db"
    path.write_bytes(b"this is a text file, not SQLite\n" * 200)
    with pytest.raises(StorageError, match="gatedmem database"):
        GatedMemory(str(path))
    assert path.read_bytes().startswith(b"this is a text file")


def test_a_bad_url():
    with pytest.raises(StorageError):
        GatedMemory("nosuchdriver://x/y")


@pytest.mark.parametrize("memory_id", [0, -3, 2**31, 2**63, 10**30])
def test_an_id_no_database_can_hold_is_an_unknown_memory(fake_memory, memory_id):
    fake_memory.add("I live in Lisbon", user="ana")
    for call in (fake_memory.get, fake_memory.forget, fake_memory.restore, fake_memory.pin):
        with pytest.raises(UnknownMemory, match=f"no memory with id {memory_id}"):
            call(memory_id)
    with pytest.raises(UnknownMemory):
        fake_memory.history(memory_id, user="ana")


def test_a_user_name_is_one_user_however_its_accents_were_typed(fake_memory):
    import unicodedata

    composed, decomposed = "José", unicodedata.normalize("NFD", "José")
    m = fake_memory.add("I keep bees", user=decomposed)
    assert m.user == composed
    assert [x.id for x in fake_memory.list(user=composed)] == [m.id]
    assert fake_memory.get(m.id, user=decomposed).text == "I keep bees"
    assert [u["user"] for u in fake_memory.users()] == [composed]


def _weights_with(tmp_path, **changes):
    """A copy of the shipped weights whose config has ``changes`` (None: the key removed)."""
    import json
    import shutil

    from gatedmem.memory.gates import default_weights_dir

    out = tmp_path / "edited"
    shutil.copytree(default_weights_dir(), out)
    cfg = json.loads((out / "config.json").read_text())
    for key, value in changes.items():
        if value is None:
            cfg.pop(key)
        else:
            cfg[key] = value
    (out / "config.json").write_text(json.dumps(cfg))
    return out


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hidden": "abc"}, "hidden must be a positive integer"),
        ({"dim": "384"}, "dim must be a positive integer"),
        ({"dim": -1}, "dim must be a positive integer"),
        ({"dim": None}, "it has no dim"),
        ({"recall_threshold": "high"}, "recall_threshold must be a number from 0 to 1"),
        ({"write_threshold": float("nan")}, "write_threshold must be a number from 0 to 1"),
        ({"supersede_threshold": 1.5}, "supersede_threshold must be a number from 0 to 1"),
        ({"calibration": "x"}, "calibration must be an object"),
        ({"min_half_life_hours": 0}, "min_half_life_hours must be a positive number"),
        ({"max_half_life_hours": 0.5}, "is above max_half_life_hours"),
        ({"min_half_life_hours": 50_000, "max_half_life_hours": None}, "is above max_half"),
        ({"calibration": {"coef": [0.1] * 7, "fit": {}}}, "finite numbers"),
        ({"calibration": {"coef": [0.1] * 7, "bias": 0.0, "fit": 3}}, "an object fit"),
        ({"calibration": {"coef": [0.1] * 7, "bias": 0, "fit": {"threshold": 1.01}}}, "0 to 1"),
    ],
)
def test_a_hand_edited_weights_config_is_refused_naming_the_field(tmp_path, changes, message):
    from gatedmem.memory.gates import Gates

    with pytest.raises(WeightsError, match=message):
        Gates.load(_weights_with(tmp_path, **changes))


def test_a_weights_config_that_is_not_an_object_is_refused(tmp_path):
    from gatedmem.memory.gates import Gates

    bad = _weights_with(tmp_path)
    (bad / "config.json").write_text("[1, 2]")
    with pytest.raises(WeightsError, match="not an object"):
        Gates.load(bad)


def _gates_of_dim(tmp_path, dim: int):
    from dataclasses import replace

    from gatedmem.memory.gates import Gates

    shipped = Gates.load(_weights_with(tmp_path))
    return Gates(replace(shipped.cfg, dim=dim, calibration={})).save(tmp_path / f"d{dim}")


def test_recall_with_weights_of_another_dimension_is_a_clear_error(
    mem_with_one, db_url, open_memory, tmp_path
):
    from conftest import HashEmbedder

    mem, m = mem_with_one
    other = open_memory(db_url, embedder=HashEmbedder(), weights=_gates_of_dim(tmp_path, 768))
    with pytest.raises(EmbeddingMismatch, match="768-d"):
        other.recall("Where do I live?", user="ana")
    with pytest.raises(EmbeddingMismatch, match="768-d"):
        other.recall("Lisbon", user="ana", min_score=0.0)  # and again, not a traceback
    _intact(mem, m)


def test_a_model_the_gates_cannot_read_does_not_claim_a_new_database(tmp_path, open_memory):
    from conftest import HashEmbedder

    url = f"sqlite:///{tmp_path / 'new.db'}"
    small = open_memory(url, embedder=HashEmbedder(dim=128))
    with pytest.raises(EmbeddingMismatch, match="128-d"):
        small.add("I like tea", user="ana")
    # The failed write recorded nothing: the right model may still use the database.
    good = open_memory(url, embedder=HashEmbedder())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the hash embedder is not the gates' own model
        assert good.add("I like tea", user="ana").text == "I like tea"


@pytest.mark.model
def test_a_folder_that_is_not_a_model_is_a_clear_error(tmp_path):
    from gatedmem.memory.embedding import SentenceTransformerEmbedder

    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(EmbeddingMismatch, match="is not a sentence-transformers model"):
        SentenceTransformerEmbedder(tmp_path).embed(["I like tea"])


@pytest.mark.parametrize("size", [0, -1, 1.5, True, "2"])
def test_observe_many_refuses_a_batch_size_that_is_no_count(mem_with_one, size):
    mem, m = mem_with_one
    with pytest.raises(InvalidArgument, match="batch_size"):
        mem.observe_many(["I work as a nurse in Leeds."], user="ana", batch_size=size)
    _intact(mem, m)


def test_recall_and_reinforce_refuse_what_is_not_ids_or_recalls(mem_with_one):
    mem, m = mem_with_one
    assert [h.memory_id for h in mem.recall("Lisbon", user="ana", exclude=None)] == [m.id]
    for bad in (5, "12", [1.5], ["²"], ["٣"]):
        with pytest.raises(InvalidArgument, match="exclude|memory id"):
            mem.recall("Lisbon", user="ana", exclude=bad)
    for bad in ([1, 2], "abc", 7):
        with pytest.raises(InvalidArgument, match="recalled"):
            mem.reinforce(bad, user="ana", query="Lisbon")
    _intact(mem, m)


def test_another_model_under_the_same_name_is_refused_by_what_it_embeds(tmp_path, open_memory):
    # A database records a model by its folder's name: two models in folders of the same
    # name are told apart by their vectors for one probe text.
    from conftest import HashEmbedder

    class Salted(HashEmbedder):  # same name and size, other vectors
        def embed(self, texts):
            return super().embed([f"salt {t} pepper" for t in texts])

    url = f"sqlite:///{tmp_path / 'm.db'}"
    first = open_memory(url, embedder=HashEmbedder())
    first.add("I like tea", user="ana")
    with pytest.raises(EmbeddingMismatch, match="embeds text differently"):
        open_memory(url, embedder=Salted()).add("I like cake", user="ana")
    assert open_memory(url, embedder=HashEmbedder()).add("I like cake", user="ana")
    assert [m.text for m in first.list(user="ana")] == ["I like tea", "I like cake"]


def _salted():
    """The hash embedder's name and size, other vectors: another model in a folder of the
    same name."""
    from conftest import HashEmbedder

    class Salted(HashEmbedder):
        def embed(self, texts):
            return super().embed([f"salt {t} pepper" for t in texts])

    return Salted()


def test_an_export_from_another_model_under_the_same_name_is_embedded_again(tmp_path, open_memory):
    from conftest import HashEmbedder
    from gatedmem.memory.storage import MemoryRow, from_blob
    from sqlalchemy import select

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # these embedders are not the gates' own model
        theirs = open_memory(f"sqlite:///{tmp_path / 'a.db'}", embedder=HashEmbedder())
        theirs.add("I like tea", user="ana")
        ours = open_memory(f"sqlite:///{tmp_path / 'b.db'}", embedder=_salted())
        ours.add("I like cake", user="bo")
        ours.import_(theirs.export(user="ana"))
    with ours.store.session() as s:
        blob = s.execute(select(MemoryRow.embedding).where(MemoryRow.text == "I like tea")).one()
    # This database's model gave it its vector, not the export's other model.
    assert np.allclose(from_blob(blob[0]), _salted().embed(["I like tea"])[0], atol=1e-6)


def test_a_database_from_before_probes_refuses_another_model_under_its_name(tmp_path, open_memory):
    from conftest import HashEmbedder
    from gatedmem.memory.storage import MetaRow
    from sqlalchemy import delete

    url = f"sqlite:///{tmp_path / 'm.db'}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        old = open_memory(url, embedder=HashEmbedder())
        old.add("I like tea", user="ana")
        with old.store.session(write=True) as s:  # as a database written before probes
            s.execute(delete(MetaRow).where(MetaRow.key == "embedding_probe"))
        # Its stored vectors tell: the other model is refused, and records no probe.
        with pytest.raises(EmbeddingMismatch, match="embeds text differently"):
            open_memory(url, embedder=_salted()).add("I like cake", user="ana")
        assert "embedding_probe" not in old.store.embedding_info()


def test_a_database_from_before_probes_records_one_on_first_use(tmp_path, open_memory):
    from conftest import HashEmbedder
    from gatedmem.memory.storage import MetaRow
    from sqlalchemy import delete

    url = f"sqlite:///{tmp_path / 'm.db'}"
    old = open_memory(url, embedder=HashEmbedder())
    old.add("I like tea", user="ana")
    with old.store.session(write=True) as s:  # as a database written before probes
        s.execute(delete(MetaRow).where(MetaRow.key == "embedding_probe"))
    open_memory(url, embedder=HashEmbedder()).add("I like cake", user="ana")
    assert "embedding_probe" in old.store.embedding_info()


def test_without_its_calibration_a_weights_dir_with_a_broken_one_still_loads(tmp_path):
    # How `gatedmem calibrate` recovers weights whose calibration this version cannot read.
    from gatedmem.memory.gates import Gates

    broken = {"coef": "x", "fit": {"raw_threshold": 0.3}}
    # As an older calibrate could write it: a threshold of 1.01 beside the calibration.
    bad = _weights_with(tmp_path, calibration=broken, recall_threshold=1.01)
    with pytest.raises(WeightsError, match="recall_threshold"):
        Gates.load(bad)
    gates = Gates.load(bad, calibration=False)
    assert gates.cfg.calibration == {} and gates.cfg.recall_threshold == 0.3


def test_gates_never_write_a_config_they_would_refuse(tmp_path):
    from dataclasses import replace

    from gatedmem.memory.gates import Gates

    gates = Gates.load(_weights_with(tmp_path / "a"))
    with pytest.raises(WeightsError, match="recall_threshold"):
        Gates(replace(gates.cfg, recall_threshold=1.01)).save(tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_abstaining_threshold_is_a_probability():
    import numpy as np
    from gatedmem.memory.training.calibrate import abstaining_threshold

    p = np.ones(4)  # a degenerate fit: every off-topic candidate at 1.0
    assert abstaining_threshold(p, np.arange(4), np.ones(4, dtype=bool)) == 1.0
