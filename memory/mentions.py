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
("sold the Civic", "no more Dr Okafor", "switched from verizon", "my ex-boss Mark") or
shortly after it ("Sandra's retired", "Dre moved to Atlanta", "Daniel's my ex-husband"),
unless that word is denied ("never quit", "hasn't closed"); or when "no longer", "no more"
or "anymore" follows it in its clause ("Rex is no longer with us", "Target isn't my
employer anymore"); unless the turn then tells of coming back ("moved away from Boston
for college but came back in 2015", "signed back up", "resubscribed", "back together"; not
"never going back").

A turn that leaves some of a memory's values and, in a clause that leaves none, names others
("Sold the Civic, keeping the Vespa" after "I have a Civic and a Vespa") ends only part of
what the memory holds: the forget gate may not supersede it either (:func:`ends_one_of`).

A turn that is not about a sentence of an older memory that tells of another person
("Robert's firm is transferring him to Aberdeen" after "My son Robert is an engineer in
York. My daughter Helen is a solicitor in Leeds.") changes at most the rest: superseding
the memory would lose that person's fact (:func:`untouched_part`). A sentence
that goes on about the same thing ("I work at Google. My team is in Mountain View.") goes
stale with it, and is not read so.

A turn that says only that what a memory tells goes on as it was ("Still doing Duolingo, no
changes there" after "I'm learning Spanish on Duolingo every morning.", "Nothing new at
work, still at the Co-op") makes it no staler: the heads read its words of change, not
that they are denied (:func:`goes_on`). One that also tells a change ("Still a nurse, but
on day shifts now") is left to the gate: it says again what goes on.

Reading a value as left only hands the decision back to the forget gate's content head, so
the words of leaving are many. The reading errs the other way where it is cheap: a value is
matched in any case, since people type names in lower case ("made a separate gmail"), so a
common word that is also a name ("target", "reading") may hold a memory; and any coming
back later in the turn counts, whoever comes back and wherever to ("Quit Target, went back
to bed"). Each costs a missed change (two memories, the newer recalled first), not a lost
fact.
"""

from __future__ import annotations

import re

from .features import (
    FILLERS,
    STOPWORDS,
    TextCues,
    content_tokens,
    told_values,
    value_clauses,
    value_words,
)

LEFT_BEFORE = 6  # words before a value within which a word of leaving counts
LEFT_AFTER = 3  # ... and after it
NEXT_TO = 2  # "from" and "out" count only this close: "moved from picking to packing at Amazon"

# Where a sentence (features.value_clauses) breaks into clauses: a comma or colon before a
# space (not the one in "2,200" or "7:40"), other marks, a spaced dash, "but". The
# lookbehind starts a run of marks only at its first mark, so a long run is read once.
_MARKS = ',;:!?()"“”'
_BREAK = re.compile(
    rf"(?<![{_MARKS}])[{_MARKS}]+(?=\s|$)|[;!?()\"“”]|\s[-–—]+\s|\bbut\b", re.IGNORECASE
)
# Words of leaving before the value: "left Deloitte", "sold the Civic", "bye Verizon",
# "handed back the keys to the Leith flat", "instead of the Civic".
_LEAVING = frozenset(
    """left leave leaving leaves quit quitting quits sold sell selling sells cancelled
    canceled cancel cancelling canceling bye goodbye farewell ditched ditching dumped
    traded trading handed finished finishing ended ending stopped stopping resigned
    resigning dropped stepped lost ex former returned scrapped unsubscribed retired done
    gave giving replaced replacing closed instead""".split()
)
_NEXT_TO = frozenset("from out".split())  # "switched from verizon", "dropped out of Boise State"
# Words of leaving right after the value: "Sandra's retired", "Dre moved to Atlanta", "the
# Civic died", "Google laid me off", "Jake and I broke up".
_LEFT_AFTER = frozenset(
    """retired retiring moved moving closed closing shut died dead passed gone left quit
    sold ended finished folded laid fired broke split divorced""".split()
)
_DENIED = frozenset("never not no almost nearly".split())
# Words of keeping: a value after one is held, whatever was left before it in the clause.
_KEEPING = frozenset("kept keep keeping keeps sticking staying".split())
# Words that make "back together" a hope or a doubt, not a return: "I wish we could get
# back together", "not sure we will get back together".
_HEDGES = frozenset("wish hope hoping maybe doubt if might sure chance".split())
# Coming back after leaving: "came back", "moved straight back to", "went back to it",
# "signed back up"; "back together" whatever comes before it; or one word ("rejoined").
_RETURN_VERBS = frozenset("came come coming comes moved moving went go going gone signed".split())
_RETURNED = frozenset(
    """resubscribed re-subscribed rejoined re-joined reunited re-enrolled reenrolled
    reactivated re-activated""".split()
)


def _clauses(text: str) -> list[list[str]]:
    """The text's words (features.value_words), clause by clause."""
    out = []
    for sentence in value_clauses(text):
        for part in _BREAK.split(sentence):
            if words := [w for w in value_words(part) if w]:
                out.append(words)
    return out


def _denied(words: list[str], i: int, reach: int = 2) -> bool:
    """Whether the word at ``i`` is denied by one of the ``reach`` words before it ("never
    quit", "I haven't left", "not going back")."""
    return any(w in _DENIED or w.endswith("n't") for w in words[max(0, i - reach) : i])


def _leaving(words: list[str], j: int) -> bool:
    w = words[j]
    return w in _LEAVING or w.startswith("ex-") or (w == "used" and words[j + 1 : j + 2] == ["to"])


def _kept_before(words: list[str], i: int) -> int:
    """Where the last word of keeping before ``words[i]`` is in its clause ("Sold the Civic
    and kept the Vespa"), or -1."""
    return max((j for j in range(i) if words[j] in _KEEPING and not _denied(words, j)), default=-1)


def _left_at(words: list[str], i: int) -> bool:
    """Whether the value at ``words[i]`` is named as something left (a word of leaving
    before it counts only where no word of keeping comes between)."""
    for j in range(max(0, i - LEFT_BEFORE, _kept_before(words, i) + 1), i):
        near = i - j <= NEXT_TO
        if (_leaving(words, j) or (near and words[j] in _NEXT_TO)) and not _denied(words, j):
            return True
        if words[j] in ("longer", "more") and j and words[j - 1] == "no":
            return True
    for k in range(i + 1, min(len(words), i + 1 + LEFT_AFTER)):
        if (words[k] in _LEFT_AFTER or words[k].startswith("ex-")) and not _denied(words, k):
            return True
    return False


def _last_over(words: list[str]) -> int:
    """Where "no longer", "no more", "anymore" or "any more" last ends in a clause, or -1."""
    last = -1
    for k, w in enumerate(words):
        before = words[k - 1] if k else ""
        if (
            w == "anymore"
            or (w == "longer" and before == "no")
            or (w == "more" and before in ("no", "any"))
        ):
            last = k
    return last


def _last_return(clauses: list[list[str]]) -> tuple[int, int] | None:
    """Where the turn last tells of coming back (clause, word): "back" after a verb of going
    a word or two before it or before "together", or a word of rejoining; not denied
    ("never going back", "haven't rejoined")."""
    last = None
    for c, words in enumerate(clauses):
        for j, w in enumerate(words):
            if w in _RETURNED:
                if not _denied(words, j):
                    last = (c, j)
                continue
            if w != "back":
                continue
            verbs = [k for k in range(max(0, j - 2), j) if words[k] in _RETURN_VERBS]
            if words[j + 1 : j + 2] == ["together"]:
                # Whatever the verb; denied or hoped for by any word before it in its
                # clause ("never ever getting back together", "I wish we could get back
                # together"), it is no return.
                if not _denied(words, j, reach=j) and _HEDGES.isdisjoint(words[:j]):
                    last = (c, j)
                continue
            if verbs and not _denied(words, verbs[0]):
                last = (c, j)
    return last


def _reading(text: str, values: frozenset[str]) -> tuple[set[str], set[str]]:
    """The values (of an older memory, features.told_values) that ``text`` names, as two
    sets: those it names as left somewhere (and does not tell of coming back after), and
    those it names in clauses that leave none ("The Co-op on Burton Road shut down" leaves
    the one place, whichever of its words "shut" follows) or after a word of keeping ("Sold
    the Civic and kept the Vespa"). Values that are common
    words ("The" of "The Static") are not read."""
    wanted = {v for v in values if v not in STOPWORDS}
    left: set[str] = set()
    found: set[str] = set()
    if not wanted:
        return left, found
    clauses = _clauses(text)
    back = _last_return(clauses)
    for c, words in enumerate(clauses):
        over = _last_over(words)
        here: set[str] = set()
        leaves = False
        for i, w in enumerate(words):
            if w not in wanted:
                continue
            if (_left_at(words, i) or over > i) and not (back and back > (c, i)):
                left.add(w)
                leaves = True
            elif _kept_before(words, i) >= 0:
                found.add(w)  # "... and kept the Vespa": held, in a clause that leaves
            else:
                here.add(w)
        if not leaves:
            found |= here
    return left, found - left


def still_named(text: str, values: frozenset[str]) -> str | None:
    """The values (of an older memory, features.told_values) that ``text`` names, every one
    and none as something left, joined by ", "; None when it leaves one out or names one as
    left and does not tell of coming back after it. Values that are common words ("The" of
    "The Static") are not read."""
    wanted = {v for v in values if v not in STOPWORDS}
    left, held = _reading(text, values)
    return ", ".join(sorted(held)) if wanted and not left and held == wanted else None


def ends_one_of(text: str, values: frozenset[str]) -> tuple[str, str] | None:
    """(left, kept), each joined by ", ", when ``text`` names some of an older memory's
    values as left and others as still held ("Sold the Civic, keeping the Vespa" after "I
    have a Civic and a Vespa"): the memory holds more than the turn ends. None otherwise."""
    left, held = _reading(text, values)
    return (", ".join(sorted(left)), ", ".join(sorted(held))) if left and held else None


STEM = 5  # letters two words must share to count as one ("transferred", "transferring")

# Words of going on as before, in a clause (value_words): "still" (not "still can't", "still
# getting used to", "not still"), "no change(s)", "nothing changed", "nothing new",
# "unchanged" and "same" (not "not the same"), "no plans to", and a word of changing or
# leaving denied ("never quit", "haven't moved", "not switching").
_STILL_NOT = frozenset(
    """not no never getting adjusting settling unpacking recovering waiting trying looking
    deciding thinking miss missing weird strange hard odd feels feel seems cant cannot dont
    didnt wont""".split()
)
_CHANGE_VERBS = _LEAVING | frozenset(
    """move moved moving moves change changed changing changes switch switched switching
    switches give given stop transferred converted started joined bought""".split()
)
# Those words say nothing of what goes on: a clause shares the memory's thing only in others.
_GOING_ON = frozenset("still same unchanged change changes changed nothing new plans".split())
BESIDES = 1  # words a clause may say besides what goes on and what the memory says
_SAID_OF_GOING_ON = _GOING_ON | frozenset("ever usual before always there".split())
# A turn that says what does change beside what goes on ("Nothing changed at work except
# I'm on nights now") tells a change.
_EXCEPT = re.compile(r"\b(?:except|apart from|other than|besides|aside from)\b", re.IGNORECASE)


def _goes_on(words: list[str]) -> bool:
    """Whether a clause's words tell that something goes on as it was (the words above),
    and no undenied word of changing tells that something else does ("Same job, I
    transferred to Denver" has one clause of each)."""
    said = False
    for j, w in enumerate(words):
        after = words[j + 1 : j + 2]
        denied = (
            _denied(words, j)
            or "nothing" in words[max(0, j - 2) : j]  # "nothing (has) changed"
            or words[max(0, j - 3) : j] == ["no", "plans", "to"]
        )
        if w in _CHANGE_VERBS:  # "no change", "nothing changed", "never quit"
            if not denied:
                return False
            said = True
        elif w == "new" and not (j and words[j - 1] in ("nothing", "no")):
            return False  # "the new job at Shopify"
        elif w == "still":
            said |= (
                not denied
                and bool(after)
                and after[0] not in _STILL_NOT
                and not after[0].endswith("n't")
            )
        elif w in ("unchanged", "same"):
            said |= not denied
        elif w == "nothing":
            said |= bool(set(words[j + 1 : j + 3]) & {"changed", "new"})
        elif w == "plans":
            said |= j > 0 and words[j - 1] == "no" and after == ["to"]
    return said


def goes_on(text: str, memory: str) -> str | None:
    """The first clause of ``text`` when the turn says only that things go on as they were,
    and of what ``memory`` tells: every clause of it with a content word tells that
    something goes on (:func:`_goes_on`), one of them shares a content word (STEM letters,
    not one of the words of going on) or a value with the memory, and the turn names none
    of the memory's values as left nor says what changes besides ("except ..."), no clause
    says more than BESIDES words of anything else (:func:`_besides`), and no "but" takes it
    back (:func:`_but_not`). "Still vegetarian, no plans to change that" holds "I'm
    vegetarian."; "Still a nurse, but I'm on day shifts now" tells a change beside what goes
    on, and holds nothing: superseding the memory loses nothing the new turn does not say
    again. None otherwise."""
    if _EXCEPT.search(text):
        return None
    clauses = [
        part.strip()
        for sentence in value_clauses(text)
        for part in _BREAK.split(sentence)
        if content_tokens(part)
    ]
    if not clauses or not all(_goes_on([w for w in value_words(c) if w]) for c in clauses):
        return None
    values = frozenset(told_values(memory))
    mine = (_stems(memory) | {v[:STEM] for v in values}) - {w[:STEM] for w in _GOING_ON}
    if not any(_stems(c) & mine for c in clauses) or _reading(text, values)[0]:
        return None
    if any(len(_besides(c, mine)) > BESIDES for c in clauses) or _but_not(text):
        return None
    return clauses[0]


def _besides(clause: str, mine: set[str]) -> list[str]:
    """The words of a clause that are neither small words, words of going on or of changing,
    nor the memory's own (``mine``: its STEM-letter stems): what else it tells. "still at the
    co-op just relocated to the leeds branch" tells "relocated", "leeds" and "branch"."""
    return [
        w
        for w in value_words(clause)
        if w
        and w not in STOPWORDS
        and w not in FILLERS
        and w not in _SAID_OF_GOING_ON
        and w not in _CHANGE_VERBS
        and not w.endswith("n't")
        and w[:STEM] not in mine
    ]


def _but_not(text: str) -> bool:
    """Whether a "but" is followed by words with no content word ("I swore I'd never quit
    the band but I did", "... but not any more"): it takes back what went before."""
    return any(
        value_words(after) and not content_tokens(after)
        for sentence in value_clauses(text)
        for after in re.split(r"\bbut\b", sentence, flags=re.IGNORECASE)[1:]
    )


def _stems(text: str) -> set[str]:
    return {w[:STEM] for w in content_tokens(text)}


def untouched_part(text: str, memory: str) -> str | None:
    """A sentence of ``memory`` about another person ("My daughter Helen ...": TextCues'
    about_other) that names a value besides them (two features.told_values: "My mum Carol
    lives in Bath", not "My manager Priya is great", which goes on about the memory's
    own thing) and shares no content word
    with ``text`` (no two words with the same first STEM letters), when ``memory`` has two
    sentences or more of two content words: whatever else the new turn changes, it leaves
    that person's fact standing. None otherwise, and for a memory of one sentence (the
    gate judged it whole)."""
    sentences = [s for s in value_clauses(memory) if len(content_tokens(s)) >= 2]
    if len(sentences) < 2:
        return None
    new = _stems(text)
    left = [
        s
        for s in sentences
        if not _stems(s) & new and len(told_values(s)) >= 2 and TextCues.of(s).about_other
    ]
    return left[0] if left else None
