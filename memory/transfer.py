"""Export and import of a user's memories, history included, as JSON-serialisable data."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

from . import validate
from .errors import InvalidArgument
from .storage import MemoryRow, Store, from_blob, to_blob

EXPORT_FORMAT = "gatedmem-export"
EXPORT_VERSION = 1


def export_user(store: Store, user: str) -> dict[str, Any]:
    """Everything a user has: memories with embeddings, links and history."""
    info = store.embedding_info()
    with store.session() as s:
        urow = store.require_user(s, user)
        mems = [
            {
                "id": r.id,
                "text": r.text,
                "speaker": r.speaker,
                "session": r.session,
                "source": r.source,
                "metadata": r.meta or {},
                "created_at": r.created_at,
                "strength": r.strength,
                "strength_at": r.strength_at,
                "half_life": r.half_life,
                "pinned": r.pinned,
                "input_gate": r.input_gate,
                "forgotten_at": r.forgotten_at,
                "forgotten_by": r.forgotten_by,
                "superseded_by": r.superseded_by,
                "recall_count": r.recall_count,
                "last_recalled_at": r.last_recalled_at,
                "embedding": base64.b64encode(r.embedding).decode("ascii"),
                "history": [
                    {
                        "at": e.at,
                        "kind": e.kind,
                        "value": e.value,
                        "other_id": e.other_id,
                        "query": e.query,
                        "actor": e.actor,
                        "detail": e.detail,
                    }
                    for e in store.events(s, r.id)
                ],
            }
            for r in store.list_rows(s, urow.id, include_forgotten=True)
        ]
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "user": user,
        "embedding_model": info.get("embedding_model"),
        "embedding_dim": int(info["embedding_dim"]) if "embedding_dim" in info else None,
        "memories": mems,
    }


def parse_export(data: Any, user: str | None) -> tuple[str, list[dict], list[str]]:
    """Check an export before anything is written: (target user, memories, their texts)."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise InvalidArgument(
            f"not a gatedmem export (expected an object with 'format': '{EXPORT_FORMAT}', "
            "as `export` writes)"
        )
    try:
        target = validate.user(user or data["user"])
        mems = list(data["memories"])
        texts = [validate.text(m["text"]) for m in mems]
        for m in mems:
            int(m["id"]), float(m["created_at"]), float(m["strength"])
            float(m["strength_at"]), float(m["half_life"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidArgument(f"malformed gatedmem export: {exc!r}") from None
    return target, mems, texts


def stored_vectors(mems: list[dict]) -> list[np.ndarray]:
    return [from_blob(base64.b64decode(m["embedding"])) for m in mems]


def import_records(
    store: Store, user: str, mems: list[dict], texts: list[str], vecs: list[np.ndarray], now: float
) -> list[int]:
    """Write checked export records for ``user`` in one transaction; returns the new ids."""
    mapping: dict[int, int] = {}
    with store.session(write=True) as s:
        urow = store.user_for_write(s, user, now)
        rows = []
        for m, text, vec in zip(mems, texts, vecs, strict=True):
            row = MemoryRow(
                user_id=urow.id,
                text=text,
                embedding=to_blob(vec),
                speaker=m.get("speaker") or "user",
                session=m.get("session"),
                source=m.get("source") or "import",
                meta=m.get("metadata") or {},
                created_at=float(m["created_at"]),
                strength=float(m["strength"]),
                strength_at=float(m["strength_at"]),
                half_life=float(m["half_life"]),
                pinned=bool(m.get("pinned")),
                input_gate=m.get("input_gate"),
                forgotten_at=m.get("forgotten_at"),
                forgotten_by=m.get("forgotten_by"),
                recall_count=int(m.get("recall_count") or 0),
                last_recalled_at=m.get("last_recalled_at"),
            )
            s.add(row)
            s.flush()
            mapping[int(m["id"])] = row.id
            rows.append((m, row))
        for m, row in rows:
            if m.get("superseded_by") is not None:
                row.superseded_by = mapping.get(int(m["superseded_by"]))
            for e in m.get("history") or []:
                other = e.get("other_id")
                store.add_event(
                    s,
                    row,
                    float(e["at"]),
                    str(e["kind"]),
                    value=e.get("value"),
                    other_id=mapping.get(other, other),
                    query=e.get("query"),
                    actor=e.get("actor"),
                    detail=e.get("detail"),
                )
            store.add_event(
                s, row, now, "imported", actor="import", detail={"exported_id": m["id"]}
            )
        store.bump(s, urow)
    return [mapping[int(m["id"])] for m in mems]
