"""Checking what callers hand in, with errors that say what to do."""

from __future__ import annotations

import json
import math
import time
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from .errors import EmptyText, InvalidArgument, InvalidText, InvalidUser, TextTooLong
from .types import Recall

MAX_TEXT_CHARS = 20_000  # one utterance; longer text is a document, not a turn
MAX_NAME_CHARS = 256
# The times a memory may be stamped with: every stored time must read back as a date, with
# room for what is worked out from it (when a memory fades, a half-life later).
EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc)
TIME_RANGE = f"from {EARLIEST:%Y-%m-%d} up to {LATEST:%Y-%m-%d} (UTC)"


def _decode(value: Any, what: str, error: type[ValueError]) -> str:
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise error(f"{what} is not valid UTF-8 (byte {exc.start}); decode it first") from None
    if not isinstance(value, str):
        raise error(f"{what} must be a string, not {type(value).__name__}")
    if "\x00" in value:
        raise error(f"{what} contains a NUL character; remove it")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = value[exc.start : exc.end]
        if all("\udc80" <= c <= "\udcff" for c in bad):
            # How Python hands over bytes it could not decode (a command line, a file name).
            raise error(
                f"{what} contains U+{ord(bad[0]):04X}, how Python passes on a byte that is not "
                f"valid UTF-8 (0x{ord(bad[0]) - 0xDC00:02x}); fix the encoding"
            ) from None
        raise error(f"{what} contains a lone surrogate (broken UTF-16); fix the encoding") from None
    return value


INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})  # control, format (zero-width), spaces


def text(value: Any, *, readable: bool = True) -> str:
    """An utterance or query: a non-empty str of at most MAX_TEXT_CHARS, stripped; with
    ``readable``, also one with a character that is not white space, a control or a
    zero-width mark (an unassigned code point, such as an emoji newer than Python's Unicode
    tables, counts as readable)."""
    s = _decode(value, "text", InvalidText).strip()
    if not s or (readable and all(unicodedata.category(c) in INVISIBLE for c in s)):
        raise EmptyText(
            "text is empty or only white space, zero-width or control characters; "
            "pass what was said"
        )
    if len(s) > MAX_TEXT_CHARS:
        raise TextTooLong(
            f"text is {len(s):,} characters; one turn may have at most {MAX_TEXT_CHARS:,} "
            "(split a document into sentences or paragraphs first)"
        )
    return s


# Invisible characters that make a name print as another without a visible difference:
# bidirectional controls (a right-to-left override turns "ana" + "lina" into "anilana"),
# zero-width spaces and joiners between words, invisible operators and separators, the
# byte-order mark and annotation marks. Other format characters spell names and are kept:
# Persian's zero-width non-joiner, the joiner inside emoji, a flag's tags, a soft hyphen.
HIDING = frozenset(
    "\u061c\u180e\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\ufeff\ufff9\ufffa\ufffb"
)


def name_form(name: str) -> str:
    """A user name as the memory keeps it: stripped, in Unicode normal form C, so that
    "José" is one user however its "é" was typed."""
    return unicodedata.normalize("NFC", name.strip())


def user(value: Any) -> str:
    """A user name: non-empty printable text of at most MAX_NAME_CHARS, in name_form, with
    no control characters and none of HIDING."""
    s = name_form(_decode(value, "user", InvalidUser))
    if not s:
        raise InvalidUser("user is empty; pass the id of the person this memory belongs to")
    if len(s) > MAX_NAME_CHARS:
        raise InvalidUser(f"user is longer than {MAX_NAME_CHARS} characters")
    if any(unicodedata.category(c) == "Cc" for c in s):
        raise InvalidUser("user contains control characters")
    if HIDING.intersection(s):
        raise InvalidUser(
            "user contains a character that hides how it reads (a zero-width space, a "
            "right-to-left override ...)"
        )
    if all(unicodedata.category(c) == "Cf" or c.isspace() for c in s):
        raise InvalidUser("user is empty; pass the id of the person this memory belongs to")
    return s


def label(value: Any, what: str) -> str:
    """A speaker, session or actor name."""
    s = _decode(value, what, InvalidArgument).strip()
    if not s or len(s) > MAX_NAME_CHARS:
        raise InvalidArgument(f"{what} must be 1 to {MAX_NAME_CHARS} characters")
    return s


def memory_id(value: Any) -> int:
    if isinstance(value, bool):
        raise InvalidArgument(f"a memory id is an integer, not {value!r}")
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdecimal():
        value = int(value.strip())  # not "²", which isdigit() takes and int() refuses
    if not isinstance(value, int):
        raise InvalidArgument(f"a memory id is an integer, not {value!r}")
    return value


def timestamp(at: datetime | float | int | None) -> float:
    """Epoch seconds from a datetime (naive = local time, as Python does) or a number,
    from EARLIEST to LATEST."""
    if at is None:
        return time.time()
    if isinstance(at, datetime):
        try:
            ts = at.timestamp()
        except (OverflowError, ValueError):  # year 1 or 9999 in a local time zone
            ts = math.inf
    elif isinstance(at, (int, float)) and not isinstance(at, bool):
        try:
            ts = float(at)
        except OverflowError:  # an int too large for a float
            ts = math.inf
    else:
        raise InvalidArgument(f"at= takes a datetime or epoch seconds, not {at!r}")
    if not EARLIEST.timestamp() <= ts < LATEST.timestamp():  # also NaN and infinities
        raise InvalidArgument(f"at= must be a time {TIME_RANGE}, not {at!r}")
    return ts


def metadata(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidArgument("metadata must be a dict of JSON-serialisable values")
    try:
        # Strict JSON, as it is stored and served: no NaN or infinity (a REST or --json
        # reader could not parse them), no lone surrogates (SQLite could not store them).
        json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError is a ValueError
        raise InvalidArgument(f"metadata must be JSON-serialisable: {exc}") from None
    except RecursionError:
        raise InvalidArgument("metadata must be JSON-serialisable: nested too deeply") from None
    return value


def k(value: Any) -> int:
    """How many memories recall may return: an integer from 1 to 1000."""
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1000:
        raise InvalidArgument(f"k must be an integer from 1 to 1000, not {value!r}")
    return value


def min_score(value: Any) -> float | None:
    """A recall cut-off: None (the weights' default threshold) or a probability, 0 to 1."""
    if value is not None and (
        isinstance(value, bool) or not (isinstance(value, int | float) and 0.0 <= value <= 1.0)
    ):
        raise InvalidArgument(f"min_score must be a number from 0 to 1, not {value!r}")
    return value


def memory_ids(value: Any, what: str) -> set[int]:
    """A collection of memory ids (None: none)."""
    if value is None:
        return set()
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidArgument(f"{what} must be a collection of memory ids, not {value!r}")
    return {memory_id(i) for i in value}


def recalls(value: Any) -> list:
    """What recall returned: an iterable of Recall objects."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidArgument(f"recalled must be what recall returned, not {value!r}")
    out = list(value)
    for r in out:
        if not isinstance(r, Recall):
            raise InvalidArgument(
                f"recalled must hold what recall returned (Recall objects), not {r!r}"
            )
    return out


# Control characters a terminal would act on (escape sequences, bell, carriage return ...):
# every C0 and C1 control but tab and line feed.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}


def printable(value: str) -> str:
    """``value`` as a terminal may show it: each control character but tab and line feed
    written as ``\\xNN``, so stored text (which any user of a server may have sent) cannot
    move the cursor, clear the screen or retitle the window of whoever reads it."""
    return value.translate(_CONTROLS)
