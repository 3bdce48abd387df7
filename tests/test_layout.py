"""The shape of the code a newcomer reads: one public class, a pure decision step, and the
runtime apart from training, benchmarks and the chat."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
from gatedmem import GatedMemory
from gatedmem.memory.storage import Store
from gatedmem.memory.turn import Turn, decide_turn, nearby

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = {
    "observe", "observe_many", "add", "recall", "get", "list", "users", "stats", "history",
    "forget", "restore", "pin", "unpin", "purge", "export", "import_", "info", "warm_up",
    "close",
}  # fmt: skip


def _relative_imports(path: Path) -> list[tuple[int, str]]:
    """(level, module) of each relative import in a file."""
    tree = ast.parse(path.read_text())
    return [
        (node.level, node.module or "")
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level > 0
    ]


def test_every_public_method_is_defined_in_the_one_class():
    assert GatedMemory.__mro__ == (GatedMemory, object)
    missing = sorted(m for m in PUBLIC if m not in vars(GatedMemory))
    assert missing == []
    for name in PUBLIC:
        assert vars(GatedMemory)[name].__doc__, f"{name} has no docstring"


def test_the_runtime_never_imports_training_benchmarks_or_the_chat():
    """memory/ (outside memory/training) reaches neither training nor anything above it;
    memory/training reaches nothing above memory; so there is no package cycle."""
    offenders = []
    for path in (ROOT / "memory").rglob("*.py"):
        training = "training" in path.relative_to(ROOT / "memory").parts
        depth = 2 if training else 1  # the level that names memory/ itself
        for level, module in _relative_imports(path):
            if level > depth:
                offenders.append(f"{path.relative_to(ROOT)}: {'.' * level}{module}")
            elif not training and module.split(".")[0] == "training":
                offenders.append(f"{path.relative_to(ROOT)}: .{module}")
    for path in (ROOT / "chatbot").glob("*.py"):
        for level, module in _relative_imports(path):
            if level == 2 and module.split(".")[0] in {"bench", "servers", "cli"}:
                offenders.append(f"{path.relative_to(ROOT)}: ..{module}")
    assert offenders == []


def test_importing_the_memory_loads_no_training_benchmark_or_chat_module():
    code = (
        "import sys; from gatedmem import GatedMemory; import gatedmem.memory.core; "
        "print(sorted(m for m in sys.modules if m.startswith(('gatedmem.memory.training', "
        "'gatedmem.bench', 'gatedmem.chatbot', 'gatedmem.servers', 'gatedmem.cli'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_the_hot_path_hands_sql_one_kind_of_connection():
    """Store has the ORM session (rare paths) and the raw DBAPI transaction (every turn)."""
    assert not hasattr(Store, "connect")
    hot = (ROOT / "memory" / "hotsql.py").read_text()
    assert "hasattr" not in hot


def test_deciding_a_turn_changes_nothing_until_it_is_applied(fake_memory):
    """decide_turn is a function of its inputs: the index and the database are as they were,
    and the same inputs give the same decision."""
    mem = fake_memory
    mem.observe("I live in Paris with my cat", user="ana", at=1_000_000.0)
    mem.observe("My sister works at a bakery", user="ana", at=1_000_100.0)
    before = mem.stats()
    idx = mem._indexes["ana"]
    size, version = idx.size, idx.version
    turn = Turn.check(
        "I moved to Berlin last month", "ana", "user", None, 1_100_000.0, None, "observe", False
    )
    vec = mem._embed(turn.text)
    with mem.store.txn(write=False) as conn:
        ctx = mem.store.user_state(conn, "ana").context
    first = decide_turn(mem.gates, turn, vec, nearby(idx, vec, turn, True), ctx)
    again = decide_turn(mem.gates, turn, vec, nearby(idx, vec, turn, True), ctx)
    assert (idx.size, idx.version) == (size, version)
    assert mem.stats() == before
    assert first.observation(None) == again.observation(None)
    assert np.array_equal(first.context, again.context)
    # and applying it through observe gives the same verdicts
    obs = mem.observe(turn.text, user="ana", at=turn.at)
    assert [d.memory_id for d in obs.decisions] == [d.memory_id for d in first.verdicts]
    assert obs.input_gate == first.input_gate
