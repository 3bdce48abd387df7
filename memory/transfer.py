"""Export and import of a user's memories, history included, as JSON-serialisable data.

An export (format version 2) describes each memory in the units ``Memory.to_dict()`` uses,
which is what ``gatedmem memories list --json`` prints: dates are ISO 8601 with their
timezone (UTC), half-lives are in days, ``strength`` is the strength at ``exported_at``.
Beside those, each record keeps what an import needs to restore the memory exactly: the
stored strength and when it was set (``stored_strength``, ``stored_strength_at``; the
decay runs from there), who forgot it, its embedding and its history. Version 1 exports
(epoch seconds, half-lives in seconds) are still read.

Importing is idempotent: a memory already present is skipped. Already present means the
target user has a memory with the same text, created at the same moment (to the
millisecond: an export's dates keep microseconds).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from . import validate
from .decay import DAY
from .errors import InvalidArgument, InvalidUser
from .storage import Store, from_blob
from .types import Event, Memory, to_datetime

EXPORT_FORMAT = "gatedmem-export"
EXPORT_VERSION = 2
READABLE_VERSIONS = (1, 2)


def export_user(store: Store, user: str, now: float | None = None) -> dict[str, Any]:
    """Everything a user has: memories with embeddings, links and history.

    Raises:
        UnknownUser: nothing was ever stored for this user.
    """
    now = time.time() if now is None else now
    info = store.embedding_info()
    mems = [
        {
            **Memory.from_row(r, user, now).to_dict(),
            "stored_strength": r.strength,
            "stored_strength_at": _iso(r.strength_at),
            "forgotten_by": r.forgotten_by,
            "embedding": base64.b64encode(r.embedding).decode("ascii"),
            "history": [Event.from_row(e).to_dict() for e in events],
        }
        for r, events in store.export_rows(user)
    ]
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "user": user,
        "exported_at": _iso(now),
        "embedding_model": info.get("embedding_model"),
        "embedding_dim": int(info["embedding_dim"]) if "embedding_dim" in info else None,
        "memories": mems,
    }


def _iso(ts: float | None) -> str | None:
    return None if ts is None else to_datetime(ts).isoformat()


# ---- reading an export ----------------------------------------------------------------------


def load_export(path: str | Path, user: str | None = None) -> dict[str, Any]:
    """Read and check an export file; errors name the file (and, for bad JSON, the line).

    Raises:
        InvalidArgument: the file cannot be read, is not JSON, or is not an export this
            version of gatedmem reads.
    """
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidArgument(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InvalidArgument(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InvalidArgument(f"{path}: cannot read it ({exc.strerror or exc})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidArgument(
            f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    try:
        parse_export(data, user)
    except InvalidArgument as exc:
        raise InvalidArgument(f"{path}: {exc}") from None
    return data


def parse_export(data: Any, user: str | None) -> tuple[str, list[dict], list[str]]:
    """Check an export before anything is written: (target user, memories as records in
    stored units, their texts).

    Raises:
        InvalidArgument: not an export, a version this gatedmem does not read, or malformed.
        InvalidUser: ``user`` is not a valid user name.
    """
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise InvalidArgument(
            f"not a gatedmem export (expected an object with 'format': '{EXPORT_FORMAT}', "
            "as `export` writes)"
        )
    version = data.get("version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise InvalidArgument(
            f"export format version {version!r} is not one this gatedmem reads "
            f"({' or '.join(map(str, READABLE_VERSIONS))}); a newer gatedmem wrote it, "
            "or it was edited"
        )
    if "memories" not in data or not isinstance(data["memories"], list):
        raise InvalidArgument("malformed gatedmem export: no 'memories' list")
    if user is not None:
        target = validate.user(user)
    else:
        try:
            target = validate.user(data.get("user"))
        except InvalidUser as exc:
            raise InvalidArgument(f"malformed gatedmem export: {exc}") from None
    records, texts = [], []
    seen: set[int] = set()
    for i, m in enumerate(data["memories"]):
        where = f"memory {i + 1} of {len(data['memories'])}"
        try:
            if not isinstance(m, dict):
                raise InvalidArgument("not an object")
            # As stored: a memory written before unreadable text was refused still imports.
            texts.append(validate.text(m.get("text"), readable=False))
            record = _record(m) if version == 2 else _record_v1(m)
            if record["id"] in seen:
                raise InvalidArgument(f"id {record['id']} is given to an earlier memory too")
            seen.add(record["id"])
            records.append(record)
        except (InvalidArgument, KeyError, TypeError, ValueError) as exc:
            why = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
            raise InvalidArgument(f"malformed gatedmem export, {where}: {why}") from None
    _check_links(records)
    return target, records, texts


def _check_links(records: list[dict]) -> None:
    """Every chain of supersessions ends in a memory nothing superseded: one that loops
    (a memory superseded by itself, or by one it superseded) would leave no current value."""
    by = {r["id"]: r["superseded_by"] for r in records}
    for start in by:
        seen, at = {start}, by[start]
        while at is not None and at in by:
            if at in seen:
                raise InvalidArgument(
                    f"malformed gatedmem export: memory {start}'s supersessions loop back "
                    f"to memory {at}"
                )
            seen.add(at)
            at = by[at]


def _record(m: dict) -> dict[str, Any]:
    """A version 2 memory in stored units (epoch seconds, half-life in seconds)."""
    return {
        **_common(m),
        "created_at": _epoch(m["created_at"], "created_at"),
        "strength": _share(m["stored_strength"], "stored_strength"),
        "strength_at": _epoch(m["stored_strength_at"], "stored_strength_at"),
        "half_life": _number(m["half_life_days"], "half_life_days", positive=True) * DAY,
        # a memory that merely faded has no forgotten_by: its fade follows from its decay
        "forgotten_at": _epoch(m.get("forgotten_at"), "forgotten_at", optional=True)
        if m.get("forgotten_by")
        else None,
        "last_recalled_at": _epoch(m.get("last_recalled_at"), "last_recalled_at", optional=True),
        "history": [
            {**e, "at": _epoch(e["at"], "history at")} for e in _list(m.get("history"), "history")
        ],
    }


def _record_v1(m: dict) -> dict[str, Any]:
    """A version 1 memory: already in stored units."""
    return {
        **_common(m),
        "created_at": _when(_number(m["created_at"], "created_at"), "created_at"),
        "strength": _share(m["strength"], "strength"),
        "strength_at": _when(_number(m["strength_at"], "strength_at"), "strength_at"),
        "half_life": _number(m["half_life"], "half_life", positive=True),
        "forgotten_at": _when(
            _number(m.get("forgotten_at"), "forgotten_at", optional=True), "forgotten_at"
        ),
        "last_recalled_at": _when(
            _number(m.get("last_recalled_at"), "last_recalled_at", optional=True),
            "last_recalled_at",
        ),
        "history": [
            {**e, "at": _when(_number(e["at"], "history at"), "history at")}
            for e in _list(m.get("history"), "history")
        ],
    }


def _common(m: dict) -> dict[str, Any]:
    try:
        blob = base64.b64decode(m["embedding"], validate=True)
    except (binascii.Error, TypeError):
        raise InvalidArgument("embedding is not base64 text") from None
    if not blob or len(blob) % 4:
        raise InvalidArgument("embedding is not a vector of 32-bit floats")
    return {
        "id": validate.memory_id(m["id"]),
        "speaker": _label(m.get("speaker"), "speaker"),
        "session": _label(m.get("session"), "session"),
        "source": _label(m.get("source"), "source"),
        "metadata": validate.metadata(m.get("metadata")),
        "pinned": _flag(m.get("pinned"), "pinned"),
        "input_gate": _share(m.get("input_gate"), "input_gate", optional=True),
        "forgotten_by": _label(m.get("forgotten_by"), "forgotten_by"),
        "superseded_by": None
        if m.get("superseded_by") is None
        else validate.memory_id(m["superseded_by"]),
        "recall_count": _count(m.get("recall_count"), "recall_count"),
        "embedding": m["embedding"],
    }


def _label(value: Any, what: str) -> str | None:
    return None if value is None else validate.label(value, what)


def _flag(value: Any, what: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    raise InvalidArgument(f"{what} must be true or false, not {value!r}")


def _count(value: Any, what: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise InvalidArgument(f"{what} must be a whole number from 0 to 2**63 - 1, not {value!r}")
    return value


def _share(value: Any, what: str, optional: bool = False) -> float | None:
    """A number from 0 to 1 (a strength, a gate's value)."""
    number = _number(value, what, optional=optional)
    if number is not None and not 0.0 <= number <= 1.0:
        raise InvalidArgument(f"{what} must be from 0 to 1, not {value!r}")
    return number


def _list(value: Any, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidArgument(f"{what} must be a list")
    return value


def _number(value: Any, what: str, optional: bool = False, positive: bool = False) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgument(f"{what} must be a number, not {value!r}")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        raise InvalidArgument(f"{what} must be a finite number, not {value!r}")
    if positive and value <= 0:
        raise InvalidArgument(f"{what} must be positive, not {value!r}")
    return float(value)


def _epoch(value: Any, what: str, optional: bool = False) -> float | None:
    """Epoch seconds from an ISO 8601 date; one without a timezone is taken as UTC."""
    if value is None and optional:
        return None
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            return _when(when.timestamp(), what, shown=value)
    raise InvalidArgument(f"{what} must be an ISO 8601 date, not {value!r}")


def _when(ts: float | None, what: str, shown: Any = None) -> float | None:
    """Epoch seconds within the times a memory may hold (validate.timestamp's range);
    ``shown``: the value as the export gave it, for the error."""
    if ts is None:
        return None
    try:
        return validate.timestamp(ts)
    except InvalidArgument:
        given = ts if shown is None else shown
        raise InvalidArgument(
            f"{what} must be a time {validate.TIME_RANGE}, not {given!r}"
        ) from None


def stored_vectors(mems: list[dict], dim: int) -> list[np.ndarray]:
    """The exported embeddings, each checked to be ``dim`` finite floats.

    Raises:
        InvalidArgument: one is not (the export was edited, or its header is wrong).
    """
    vecs = []
    for i, m in enumerate(mems):
        vec = from_blob(base64.b64decode(m["embedding"]))
        if vec.shape != (dim,) or not np.isfinite(vec).all():
            raise InvalidArgument(
                f"malformed gatedmem export, memory {i + 1} of {len(mems)}: its embedding is "
                f"not {dim} finite numbers, as the export's header says"
            )
        vecs.append(vec)
    return vecs


# ---- writing an import ----------------------------------------------------------------------


def import_records(
    store: Store, user: str, mems: list[dict], texts: list[str], vecs: list[np.ndarray], now: float
) -> list[int]:
    """Write checked export records for ``user`` in one transaction, skipping those already
    present (same text, created at the same moment). Returns the new ids, in export order."""
    records = [
        {
            "id": m["id"],
            "superseded_by": m.get("superseded_by"),
            "history": m["history"],
            "embedding": vec,
            "text": text,
            "speaker": m.get("speaker") or "user",
            "session": m.get("session"),
            "source": m.get("source") or "import",
            "meta": m.get("metadata") or {},
            "created_at": m["created_at"],
            "strength": m["strength"],
            "strength_at": m["strength_at"],
            "half_life": m["half_life"],
            "pinned": bool(m.get("pinned")),
            "input_gate": m.get("input_gate"),
            "forgotten_at": m.get("forgotten_at"),
            "forgotten_by": m.get("forgotten_by") if m.get("forgotten_at") else None,
            "recall_count": int(m.get("recall_count") or 0),
            "last_recalled_at": m.get("last_recalled_at"),
        }
        for m, text, vec in zip(mems, texts, vecs, strict=True)
    ]
    return store.import_records(user, records, now)
