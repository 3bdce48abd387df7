"""Whether a new turn names an older memory's value as still held, or as something left.

"Nell is not impressed" after "We have a border collie called Nell.", "I never quit
Target, I just switched to part-time" after "I work at Target.", "came straight back to
Austin" after "I live in Austin.": a turn that names every value of an older memory (its
names and numbers, features.told_values) and none of them as something left tells of that
value as still there, whatever else it changes. The forget gate may not supersede the memory
on its word (decisions.forget_verdicts): the value lives on in the older memory, and a
wrong supersession loses a fact where a missed one only leaves two memories, of which recall
puts the newer first (ranking._newer_first).

A value is named as left when a word of leaving comes shortly before it in its clause
("sold the Civic", "no more Dr Okafor", "switched from verizon"), or right after it
("Sandra's retired", "Dre moved to Atlanta", "not at Target anymore"), unless that word is
denied ("never quit", "haven't left") or the turn tells of coming back after it ("moved away
from Boston for college but came back in 2015").
"""

from __future__ import annotations

import re

from .features import STOPWORDS, _plain

LEFT_BEFORE = 6  # words before a value within which a word of leaving counts
LEFT_AFTER = 3  # ... and after it
NEXT_TO = 2  # "from" and "out" count only this close: "moved from picking to packing at Amazon"

_WORD = re.compile(r"[\w@][\w'@.\-]*")
_CLAUSE = re.compile(r"[,;:.!?()\"“”]+\s|[,;:!?()\"“”]+|\s[-–—]+\s|\bbut\b|\n")
# Words of leaving before the value: "left Deloitte", "sold the Civic", "bye Verizon",
# "handed back the keys to the Leith flat", "no longer employed by Deloitte".
_LEAVING = frozenset(
    """left leave leaving leaves quit quitting quits sold sell selling sells cancelled
    canceled cancel cancelling canceling bye goodbye farewell ditched ditching dumped
    traded trading handed finished finishing ended ending stopped stopping resigned
    resigning dropped stepped lost ex former returned scrapped unsubscribed retired done
    gave giving replaced replacing closed""".split()
)
_NEXT_TO = frozenset("from out".split())  # "switched from verizon", "dropped out of Boise State"
# Words of leaving right after the value: "Sandra's retired", "Dre moved to Atlanta", "not at
# Target anymore", "the Civic died".
_LEFT_AFTER = frozenset(
    """retired retiring moved moving closed closing shut died passed gone left quit sold
    ended finished folded anymore""".split()
)
_NO = frozenset("no".split())  # "no longer", "no more"
_LONGER = frozenset("longer more".split())
_DENIED = frozenset(
    """never not didn't don't haven't hasn't won't wasn't isn't almost nearly nt""".split()
)
# Coming back after leaving: "came back", "moved straight back to", "went back to it".
_RETURN_VERBS = frozenset("came come coming comes moved moving went go going gone got get".split())


def _clauses(text: str) -> list[list[str]]:
    """The text's words (casefolded, without a possessive "'s" or trailing marks), clause by
    clause."""
    out = []
    for part in _CLAUSE.split(_plain(text).casefold()):
        words = [w.rstrip(".'-").removesuffix("'s") for w in _WORD.findall(part)]
        if words := [w for w in words if w]:
            out.append(words)
    return out


def _denied(words: list[str], i: int) -> bool:
    """Whether the word at ``i`` is denied by the word or two before it ("never quit",
    "I haven't left")."""
    return any(w in _DENIED or w.endswith("n't") for w in words[max(0, i - 2) : i])


def _left_at(words: list[str], i: int) -> bool:
    """Whether the value at ``words[i]`` is named as something left."""
    for j in range(max(0, i - LEFT_BEFORE), i):
        w = words[j]
        near = i - j <= NEXT_TO
        if (w in _LEAVING or (near and w in _NEXT_TO)) and not _denied(words, j):
            return True
        if w in _LONGER and j and words[j - 1] in _NO:
            return True
    after = words[i + 1 : i + 1 + LEFT_AFTER]
    return any(w in _LEFT_AFTER for w in after) or "any more" in " ".join(after)


def _comes_back(clauses: list[list[str]], c: int, i: int) -> bool:
    """Whether "back", after a verb of going (a word or two before it), follows the word at
    clause ``c``, position ``i``."""
    rest = [clauses[c][i + 1 :]] + clauses[c + 1 :]
    for words in rest:
        for j, w in enumerate(words):
            if w == "back" and _RETURN_VERBS & set(words[max(0, j - 2) : j]):
                return True
    return False


def still_named(text: str, values: frozenset[str]) -> str | None:
    """The values (of an older memory, features.told_values) that ``text`` names, every one
    and none as something left, joined by ", "; None when it leaves one out or names one as
    left. Values that are common words ("The" of "The Static") are not read."""
    wanted = {v for v in values if v not in STOPWORDS and len(v) > 1}
    if not wanted:
        return None
    clauses = _clauses(text)
    found: set[str] = set()
    for c, words in enumerate(clauses):
        for i, w in enumerate(words):
            if w not in wanted:
                continue
            if _left_at(words, i) and not _comes_back(clauses, c, i):
                return None
            found.add(w)
    return ", ".join(sorted(found)) if found == wanted else None
