"""Whether a question asks about one of the speaker's people or pets that a memory is not
about: "What's my dad called?" of "My mum's name is Siobhan.", "What's my cat called?" of
"My dog's name is Biscuit."

Embeddings put a memory about someone's mum close to a question about their dad: the words
differ in one place, and mum and dad are near neighbours in meaning. So in a small memory
such a memory scored as the answer (0.99), and a reply said the mum's name for the dad's.
A word list can tell them apart where the embedding cannot: the question names, as the
speaker's own ("my", "our"), one of a kind of person or animal (a parent, a child, a
partner, a sibling, a boss, a dog ...), and the memory names another of that kind and not
this one, nor a word that takes it in ("parents" takes in dad, "kids" a son, "partner" a
wife, "pets" a cat). Then the memory is about someone or something else, and recall does not
hand it over as the answer (memory.ranking).

The lists err towards reading nothing: a word not listed ("lab" for a dog, "lad" for a son)
makes no conflict, and a question with a general word ("my kids", "my family") or none of
these words asks about no one in particular.
"""

from __future__ import annotations

import re

# Each kind: who or what it names -> the words for it (a question's word and a memory's
# word for the same one match). Kinds are apart from each other: a memory about a dog is
# no evidence about a question on someone's dad.
KINDS: dict[str, dict[str, tuple[str, ...]]] = {
    "family": {
        "mother": ("mum", "mom", "mother", "mama", "mummy", "mommy", "mam"),
        "father": ("dad", "father", "papa", "daddy"),
        "stepmother": ("stepmum", "stepmom", "stepmother"),
        "stepfather": ("stepdad", "stepfather"),
        "grandmother": ("grandma", "gran", "nan", "nana", "nanna", "granny", "grandmother"),
        "grandfather": ("grandpa", "grandad", "granddad", "grandfather", "gramps"),
        "mother_in_law": ("mother-in-law", "mum-in-law", "mom-in-law"),
        "father_in_law": ("father-in-law", "dad-in-law"),
        "son": ("son",),
        "daughter": ("daughter",),
        "stepson": ("stepson",),
        "stepdaughter": ("stepdaughter",),
        "grandson": ("grandson",),
        "granddaughter": ("granddaughter",),
        "brother": ("brother", "bro"),
        "sister": ("sister", "sis"),
        "husband": ("husband", "hubby"),
        "wife": ("wife", "missus"),
        "boyfriend": ("boyfriend", "bf"),
        "girlfriend": ("girlfriend", "gf"),
        "fiance": ("fiance", "fiancee", "fiancé", "fiancée"),
        "ex": ("ex", "ex-wife", "ex-husband", "ex-boyfriend", "ex-girlfriend", "ex-partner"),
        "uncle": ("uncle",),
        "aunt": ("aunt", "auntie", "aunty"),
        "nephew": ("nephew",),
        "niece": ("niece",),
    },
    "work": {
        "boss": ("boss", "manager", "supervisor"),
        "coworker": ("coworker", "co-worker", "colleague", "workmate"),
    },
    "pets": {
        "dog": ("dog", "puppy", "pup", "doggo", "pooch"),
        "cat": ("cat", "kitten", "kitty"),
        "rabbit": ("rabbit", "bunny"),
        "hamster": ("hamster",),
        "parrot": ("parrot", "budgie"),
        "horse": ("horse", "pony"),
        "tortoise": ("tortoise", "turtle"),
        "snake": ("snake",),
        "lizard": ("lizard", "gecko"),
        "ferret": ("ferret",),
    },
}
# Words that take in several of a kind: a memory naming one may be about the one asked.
GENERAL: dict[str, frozenset[str]] = {
    "parents": frozenset({"mother", "father", "stepmother", "stepfather"}),
    "folks": frozenset({"mother", "father", "stepmother", "stepfather"}),
    "grandparents": frozenset({"grandmother", "grandfather"}),
    "kids": frozenset({"son", "daughter", "stepson", "stepdaughter"}),
    "kid": frozenset({"son", "daughter", "stepson", "stepdaughter"}),
    "children": frozenset({"son", "daughter", "stepson", "stepdaughter"}),
    "child": frozenset({"son", "daughter", "stepson", "stepdaughter"}),
    "baby": frozenset({"son", "daughter"}),
    "grandkids": frozenset({"grandson", "granddaughter"}),
    "grandchildren": frozenset({"grandson", "granddaughter"}),
    "siblings": frozenset({"brother", "sister"}),
    "sibling": frozenset({"brother", "sister"}),
    "partner": frozenset({"husband", "wife", "boyfriend", "girlfriend", "fiance"}),
    "spouse": frozenset({"husband", "wife"}),
    "in-laws": frozenset({"mother_in_law", "father_in_law"}),
    "family": frozenset(KINDS["family"]),
    "relatives": frozenset(KINDS["family"]),
    "pet": frozenset(KINDS["pets"]),
    "pets": frozenset(KINDS["pets"]),
    "animal": frozenset(KINDS["pets"]),
    "animals": frozenset(KINDS["pets"]),
}
_KIND_OF = {who: kind for kind, members in KINDS.items() for who in members}
_WHO = {w: who for members in KINDS.values() for who, words in members.items() for w in words}
_WHO.update({w + "s": who for w, who in list(_WHO.items()) if "-" not in w})  # plurals
_WORD = re.compile(r"[a-zé]+(?:-[a-z]+)*")
# Owned by the speaker: "my", "our", then at most two words ("my little brother", "our old
# dog", "my ex's") before the word.
_OWNERS = frozenset({"my", "our"})
OWNED_WITHIN = 3
# A memory is about the one of a kind it names as the subject of a clause: among a clause's
# first SUBJECT_WITHIN words ("My mum was a teacher", "dad drives a taxi", "Grandma turns
# 90"), not further on ("Leo wants a drone, he told my mum", "chases the neighbour's cat").
SUBJECT_WITHIN = 3
_CLAUSE = re.compile(r"[,.;:!?()\n]+|\s[-–—]+\s|\b(?:and|but|so|because|since|while)\b")
_HAVING = frozenset("have has had got own adopted rescued bought".split())
# Possessors other than the speaker: "her brother", "Anna's mother", "Father's Day".
_NOT_OURS = frozenset({"his", "her", "their", "your", "its", "s"})  # "s": "Anna's mother"
# A question, not a statement ("My cat is called Tom." asks about no one).
_QUESTION = re.compile(
    r"\?|^\s*(?:what|who|whom|whose|where|when|which|how|why|do|does|did|is|are|was|were|"
    r"can|could|would|will|have|has|had|tell me|remind me)\b",
    re.IGNORECASE,
)
_STEP = re.compile(r"\bstep[\s-]+(mum|mom|mother|dad|father|son|daughter)\b")


def _plain(text: str) -> str:
    """Lower case, straight apostrophes, and "step mum" or "step-mum" as "stepmum"."""
    return _STEP.sub(r"step\1", text.lower().replace("’", "'"))


def _words(text: str) -> list[str]:
    return _WORD.findall(_plain(text))  # a possessive "'s" is a word "s" of its own


# A question that asks who stands in some relation to one of the speaker's people ("Who
# looks after my son?") may be answered by a memory about another of that kind ("my mum's
# having Leo"); one that asks who that person is ("Who's my boss?") is not.
_WHO_RELATION = re.compile(r"\bwho\b(?!(?:'s|\s+is|\s+was|\s+are|\s+were)\s+(?:my|our)\b)")
_PEOPLE = "|".join(sorted({w for w in _WHO if _KIND_OF[_WHO[w]] == "family"} | set(GENERAL)))
_POSSESSIVE = re.compile(rf"\b(?:{_PEOPLE})'s\s+([a-z]+)(?:\s+([a-z]+))?")
_SIZES_AGES = frozenset(
    "two three four little eldest oldest youngest older younger new baby twin".split()
)
_OF_SOMEONE = (
    frozenset(
        """girl girls boy boys lad lads lass kid kids man woman guy bloke fella friend friends
    godfather godmother godson goddaughter teacher boss coach doctor""".split()
    )
    | frozenset(_PEOPLE.split("|"))
    | frozenset(w + "s" for w in _PEOPLE.split("|"))
)
_THINGS_AFTER = frozenset("name birthday job car house school age".split())


def _someone_of_someone(text: str) -> bool:
    """Whether the text names someone of one of the speaker's people ("my sister's little
    girl", "my son's godfather", "Isla is my sister's eldest") rather than that person's
    thing ("my dog's name", "mum's name"): someone else again, whom a memory may call by no
    listed word, and whom a question may ask about."""
    for m in _POSSESSIVE.finditer(_plain(text)):
        first, second = m.group(1), m.group(2) or ""
        if first in _OF_SOMEONE or (first in _SIZES_AGES and second not in _THINGS_AFTER):
            return True
    return False


def asked(query: str) -> frozenset[str]:
    """Whom of a kind a question asks about as the speaker's own ("my dad", "our cat"): the
    names of KINDS' members; empty for a statement, a question naming none, one also
    naming a general word of their kind ("my kids and my son"), one about someone of them
    ("my son's godfather") or about who stands in a relation to them ("Who looks after my
    son?")."""
    text = _plain(query)
    if not _QUESTION.search(text) or _WHO_RELATION.search(text) or _someone_of_someone(text):
        return frozenset()
    words = _words(query)
    out = set()
    for i, w in enumerate(words):
        who = _WHO.get(w)
        if who is not None and _OWNERS & set(words[max(0, i - OWNED_WITHIN) : i]):
            out.add(who)
    if any(GENERAL.get(w, frozenset()) & out for w in words):
        return frozenset()
    return frozenset(out)


def _subjects(text: str) -> tuple[set[str], set[str]]:
    """Whom of KINDS a text names as the subject of a clause, and every one it names or
    takes in (GENERAL) anywhere; a word another possesses ("her brother") is no subject."""
    subjects: set[str] = set()
    for clause in _CLAUSE.split(_plain(text)):
        words = _WORD.findall(clause)  # "anna's mother" reads as "anna", "s", "mother"
        for i, w in enumerate(words[:SUBJECT_WITHIN]):
            if w in _WHO and not (i and words[i - 1] in _NOT_OURS):
                subjects.add(_WHO[w])
        # ... or as what the speaker has: "I have a dog called Rex", "we've got two cats".
        if words[:1] in (["i"], ["we"]):
            verbs = [j for j, w in enumerate(words[1:5], 1) if w in _HAVING]
            if verbs:
                after = words[verbs[0] + 1 : verbs[0] + 1 + SUBJECT_WITHIN]
                subjects |= {_WHO[w] for w in after if w in _WHO}
    words = _words(text)
    named = {_WHO[w] for w in words if w in _WHO}
    return subjects, named.union(*(GENERAL[w] for w in words if w in GENERAL))


def other_than_asked(asked_for: frozenset[str], text: str) -> str | None:
    """When ``text`` (a memory) is about someone of the kind asked about, as the subject of
    a clause, and names no one asked for anywhere, nor a word that takes one in: "mother,
    not father" (whom it is about, then whom the question asked about); None otherwise."""
    if not asked_for or _someone_of_someone(text):
        return None
    subjects, taken_in = _subjects(text)
    if asked_for & taken_in:
        return None
    kinds = {_KIND_OF[who] for who in asked_for}
    others = sorted(who for who in subjects if _KIND_OF[who] in kinds)
    if not others:
        return None
    return f"{', '.join(others)}, not {', '.join(sorted(asked_for))}"
