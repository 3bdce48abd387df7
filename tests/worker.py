"""A separate process that writes, recalls or reads, for the load and fault tests.

python worker.py MODE URL USER N TAG
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from conftest import HashEmbedder  # noqa: E402
from gatedmem import GatedMemory  # noqa: E402


def main(mode: str, url: str, user: str, n: int, tag: str, start_at: float = 0.0) -> None:
    warnings.simplefilter("ignore")
    emb = HashEmbedder()
    # A barrier: every worker has paid its imports; now they open the database together
    # (migrating a new one, meeting a new user) and write at the same moment.
    time.sleep(max(0.0, start_at - time.time()))
    mem = GatedMemory(url, embedder=emb)
    if mode == "mixed":  # acknowledged writes, observes and recalls, interleaved
        ids = []
        for i in range(n):
            ids.append(mem.add(f"{tag} fact number {i} about topic {i % 7}", user=user).id)
            mem.observe(f"{tag} says hello number {i}", user=user)
            mem.recall(f"{tag} topic {i % 7}", user=user)
        print(json.dumps(ids))
    elif mode == "stream":  # one acknowledged id per line, until killed
        i = 0
        while True:
            print(mem.add(f"{tag} streamed fact {i}", user=user).id, flush=True)
            i += 1
    elif mode == "reader":  # until the file TAG exists (N s at most): memories must be whole
        bad, seen, sizes, end = [], 0, set(), time.time() + n
        while time.time() < end and not Path(tag).exists():
            try:
                mems = mem.list(user=user, include_forgotten=True)
            except LookupError:  # the writers have not met the user yet
                time.sleep(0.01)
                continue
            sizes.add(len(mems))
            for m in mems:
                seen += 1
                hist = mem.history(m.id)
                if not hist or hist[0].kind not in ("added", "written"):
                    bad.append(m.id)
            with mem.store.engine.connect() as conn:
                from sqlalchemy import text

                short = conn.execute(
                    text("SELECT count(*) FROM memories WHERE length(embedding) != 1536")
                ).scalar()
                if short:
                    bad.append(f"{short} embeddings not 384 floats")
        print(json.dumps({"bad": bad, "seen": seen, "sizes": len(sizes)}))
    mem.close()


if __name__ == "__main__":
    main(
        sys.argv[1],
        sys.argv[2],
        sys.argv[3],
        int(sys.argv[4]),
        sys.argv[5],
        float(sys.argv[6]) if len(sys.argv) > 6 else 0.0,
    )
