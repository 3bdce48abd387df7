"""Reply backends. Each is one small class behind the :class:`Responder` protocol.

Also here: the per-user state every stateful backend keeps (:class:`PerUser`), and the
English the memory-only backend needs to read a message back to its owner.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Generic, Protocol, TypeVar

from ..memory import Observation, Recall, validate

T = TypeVar("T")


class ResponderError(RuntimeError):
    """A responder could not produce a reply (endpoint down, bad answer ...)."""


class Responder(Protocol):
    """Turns a message and the memories recalled for it into a reply, streamed in chunks.

    ``user`` names whose conversation this is: a backend that keeps a conversation history
    keeps one per user, and never shows one user's turns to another.
    """

    name: str
    # True when replies only restate recalled memories (so observing them adds nothing).
    echoes_memory: bool

    def reply(
        self, text: str, memories: list[Recall], *, user: str, observation: Observation
    ) -> Iterator[str]:
        """Yield the reply in pieces (one piece is fine)."""
        ...


class PerUser(Generic[T]):
    """A thread-safe map from user to state, holding the ``users`` most recently active.

    A bot serving many people keeps bounded state: the least recently active user's entry
    is dropped past ``users`` (they start afresh if they come back).
    """

    def __init__(self, factory: Callable[[], T], *, users: int = 1024):
        assert users >= 1, "PerUser must hold at least one user"
        self._factory = factory
        self._users = users
        self._items: OrderedDict[str, T] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(user: str) -> str:
        """The user as the memory names them, so that one person's conversation is one,
        however their name was typed."""
        return validate.name_form(user) if isinstance(user, str) else user

    def get(self, user: str) -> T:
        """The user's state, created by ``factory`` if there is none."""
        user = self._key(user)
        with self._lock:
            if user not in self._items:
                self._items[user] = self._factory()
            self._touch(user)
            return self._items[user]

    def peek(self, user: str) -> T | None:
        """The user's state, or None; does not count as activity."""
        user = self._key(user)
        with self._lock:
            return self._items.get(user)

    def set(self, user: str, value: T) -> None:
        user = self._key(user)
        with self._lock:
            self._items[user] = value
            self._touch(user)

    def _touch(self, user: str) -> None:
        self._items.move_to_end(user)
        while len(self._items) > self._users:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


# ---- reading a message back to its owner --------------------------------------------------

# Who said it becomes who hears it, and back: "my dog" -> "your dog", "your app" -> "my app".
_SWAP = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i've": "you've",
    "i'll": "you'll",
    "i'd": "you'd",
    "am": "are",
    "we": "you",
    "we're": "you're",
    "we've": "you've",
    "we'll": "you'll",
    "our": "your",
    "ours": "yours",
    "ourselves": "yourselves",
    "us": "you",
    "your": "my",
    "yours": "mine",
    "yourself": "myself",
    "you're": "I'm",
    "you've": "I've",
    "you'll": "I'll",
    "you'd": "I'd",
}
_I_FORMS = {"i", "i'm", "i've", "i'll", "i'd"}
# The verb after a swapped subject, by the new subject: "I was" -> "you were", "you are" ->
# "I am"; "my dog was" keeps its "was".
_AGREE = {
    "you": {"was": "were", "wasn't": "weren't"},
    "i": {"are": "am", "were": "was", "weren't": "wasn't", "aren't": "am not"},
}
_ADVERBS = {"also", "really", "just", "never", "always", "still", "even", "only", "already"}
# "you" is a subject ("I") at a clause's start or after these; elsewhere an object ("me").
_BEFORE_SUBJECT = {
    "and", "but", "or", "so", "because", "if", "when", "that", "while", "since", "think",
    "thought", "know", "knew", "hope", "guess", "believe", "said", "say", "feel", "wish", "bet",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+\s+$")

# Openers that carry no fact: "Big news:", "Oh, and", "So", "Well,", "By the way" ...
_FILLER = (
    r"(?:(?:big|good|bad|great|exciting|sad|quick|small|some|fun|random)\s+)?"
    r"(?:news|update|fact)|guess what|you know what|just so you know|fyi|psa|heads[- ]up|"
    r"by the way|btw|oh my (?:god|gosh|goodness)|omg|oh|ah|aw|wow|yay|lol|haha(?:ha)*|"
    r"hey(?: there)?|hi(?: there)?|hello|well|ok|okay|yeah|yes|um+|uh+|hmm+|anyway|anyways|"
    r"actually|so|and|but|also|plus|(?:please )?(?:remember|note)(?: that)?"
)
_FIRST_PERSON = r"i|i['’](?:m|ve|ll|d)|my|me|we|our"
_OPENER = re.compile(
    rf"^(?P<w>{_FILLER})(?:\s*[,:;!.?…\-–—]+\s*"  # followed by punctuation ("Well, ...")
    rf"|\s+(?=(?:{_FIRST_PERSON}|{_FILLER})\b))",  # or by "I", "my" ...: "So I", not "So far"
    re.IGNORECASE,
)
_CONJUNCTION_OPENER = re.compile(r"^(?P<w>and|but|plus|also)\s+", re.IGNORECASE)  # "And the"
_CONJUNCTIONS = {"and", "but", "so", "yet", "or", "plus"}
# "I changed jobs, I'm now a nurse": a comma joining two sentences of the speaker's ...
_SPLICE = re.compile(r",\s+(?=(?:I|I['’](?:m|ve|ll|d))\b)")
# ... unless the first part is subordinate: "When I was young, I lived in Rome".
_SUBORDINATE = re.compile(
    r"^(?:when|whenever|if|because|since|after|before|while|although|though|as|once|until|"
    r"unless|whether|even)\b",
    re.IGNORECASE,
)
_ABBREVIATIONS = {"st", "dr", "mr", "mrs", "ms", "jr", "sr", "mt", "no", "vs", "etc", "prof"}
_TRAILING = re.compile(r"(?:\s|[.!?,;:…]|[:;]-?[)(DPp]|[\U0001F300-\U0001FAFF☀-➿])+$")
# Words that start a sentence without being names: lower-cased when the clause is embedded.
_COMMON = _CONJUNCTIONS | set(
    "a an the this that these those there here it it's its he he's she she's they they're "
    "his her their them some many most all every each no none one two three both either "
    "neither today yesterday tomorrow tonight now then last next recently lately usually "
    "always never sometimes often once since after before when while if because in on at "
    "for from with without about during until as by to not just still also even only really "
    "finally actually apparently hopefully unfortunately fortunately luckily sadly honestly "
    "seriously basically frankly personally literally obviously clearly surprisingly what how "
    "work home school thank thanks".split()
)


# Verbs a speaker opens a sentence with when they leave out "I" ("Sold the Civic on
# Saturday", "Moved to Leeds last year"): read back with "you" before them.
_SUBJECTLESS = set(
    "sold bought got moved started left quit went took made found lost picked switched "
    "finished joined changed cancelled canceled stopped signed booked adopted married "
    "graduated passed failed won broke ran visited ordered upgraded downgraded retired "
    "divorced became".split()
)


def _key(word: str) -> str:
    return word.lower().replace("’", "'")


def second_person(text: str) -> str:
    """'I live in Berlin' -> 'you live in Berlin': the memory read back to its owner.

    First-person words become second-person and second-person ones first ("I was" -> "you
    were", "my" -> "your", "I love you" -> "you love me"); a swapped word is capitalised only
    where a sentence starts ("I" always), and the text's first word is lower-cased when it
    is a swapped pronoun ("Your dog" -> "your dog").
    """
    out: list[str] = []
    pos = 0
    prev = ""  # the previous word, as a _key()
    subject = None  # the swapped subject just written ("you" or "i"), if any
    for m in _WORD.finditer(text):
        word, key = m.group(0), _key(m.group(0))
        before = text[pos : m.start()]
        at_start = not prev or bool(_SENTENCE_END.search(text[: m.start()]))
        if subject and key in _AGREE[subject]:
            swapped = _AGREE[subject][key]
        elif key == "you":
            as_subject = at_start or prev in _BEFORE_SUBJECT or before.strip() in (",", ";")
            swapped = "I" if as_subject else "me"
        else:
            swapped = _SWAP.get(key)
        out.append(before)
        if swapped is None:
            out.append(word)
        else:
            if "’" in word:
                swapped = swapped.replace("'", "’")
            capital = word[0].isupper() and (key not in _I_FORMS or at_start)
            out.append(swapped.capitalize() if capital and swapped[0] != "I" else swapped)
        if key in ("i", "you") and swapped in ("you", "I"):
            subject = _key(swapped)
        elif key not in _ADVERBS:
            subject = None
        prev = key
        pos = m.end()
    out.append(text[pos:])
    result = "".join(out).strip()
    first = _WORD.match(result)
    if first and _key(first.group(0)) in _SWAP.values() and first.group(0)[0] != "I":
        result = result[0].lower() + result[1:]
    return result


def _sentences(text: str) -> list[str]:
    """Split at . ! ? followed by a capital, except after St., Dr., initials and the like."""
    out, start = [], 0
    for m in re.finditer(r"[.!?…]+\s+(?=[\"'“‘(]?[A-Z0-9])", text):
        before = re.search(r"([A-Za-z'’]+)$", text[start : m.start()])
        if (
            m.group(0)[0] == "."
            and before
            and (before.group(1).lower() in _ABBREVIATIONS or len(before.group(1)) == 1)
        ):
            continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _strip_openers(sentence: str, *, first: bool) -> str:
    """Drop the openers; a later sentence keeps its conjunction ("But I miss them")."""
    while m := _OPENER.match(sentence) or _CONJUNCTION_OPENER.match(sentence):
        if not first and m.group("w").lower() in _CONJUNCTIONS:
            return m.group("w").lower() + " " + sentence[m.end() :]
        sentence = sentence[m.end() :]
    return sentence


def _clause(sentence: str) -> str:
    """One sentence as a clause to embed: second person, no end punctuation, and no capital
    letter at its start unless it starts with a name (or a word we cannot tell from one)."""
    body = _TRAILING.sub("", sentence)
    splice = _SPLICE.search(body)
    if splice and not _SUBORDINATE.match(body) and re.search(r"\bI\b", body[: splice.start()]):
        body = body[: splice.start()] + " and " + body[splice.end() :]
    body = second_person(body)
    first = _WORD.match(body)
    if first and _key(first.group(0)) in _SUBJECTLESS:
        return "you " + body[0].lower() + body[1:]
    if first and first.group(0)[0].isupper() and _key(first.group(0)) in _COMMON:
        if first.group(0)[1:].islower() or len(first.group(0)) == 1:  # not "IT" or "NASA"
            body = body[0].lower() + body[1:]
    return body


def echo(text: str) -> str:
    """The message as one clause read back to its owner, for "I'll remember that ...".

    Openers that carry no fact ("Big news:", "Oh,", "And", "So", "Well,") are dropped,
    first person becomes second, sentences are joined with "and" (or with their own "but",
    "so" ...), and the end punctuation is removed (the caller adds one full stop).
    "Big news: I got the job! And I start Monday." -> "you got the job, and you start Monday"
    """
    clauses: list[str] = []
    for n, sentence in enumerate(_sentences(text.strip())):
        body = _clause(_strip_openers(sentence, first=n == 0))
        if body:
            clauses.append(body)
    if not clauses:  # nothing but an opener ("Big news!"): read it back as it is
        clauses = [_TRAILING.sub("", second_person(text))]
        if not _WORD.search(clauses[0]):
            return ""
    out = clauses[0]
    for n, clause in enumerate(clauses[1:], start=2):
        if clause.split(" ", 1)[0] in _CONJUNCTIONS:
            out += ", " + clause
        else:
            out += (" and " if n == len(clauses) else ", ") + clause
    return out


# A question word asks when it is followed by a verb ("When did I ..."), not by a subject
# ("When I was young, ..."); "Tell me ..." asks whatever it ends with ("Remember that ..."
# does not: it says something to keep).
_QUESTION = re.compile(
    r"\?\s*$|^(?:tell me|remind me|remember(?!\s+that\b|\s*:))\b"
    r"|^(?:(?:who|what|when|where|why|how|which)\b"
    r"(?!\s+(?:i|i['’]m|my|we|our|you|he|she|they|it)\b)"
    r"|(?:do|does|did|is|are|am|can|could|would|will|have|has)\b)",
    re.IGNORECASE,
)


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text.strip()))


class MemoryResponder:
    """The default: no language model, only what the memory holds.

    It answers a question with the memories the output gate recalled, acknowledges what
    the input gate stored or superseded (and what it already held, said again), and says
    plainly when it has nothing.
    """

    name = "memory"
    echoes_memory = True

    def reply(
        self, text: str, memories: list[Recall], *, user: str, observation: Observation
    ) -> Iterator[str]:
        if is_question(text):
            if memories:
                best, *more = [echo(m.text) or m.text for m in memories[:3]]
                yield f"From what you told me: {best}."
                for said in more:
                    yield f" Also: {said}."
            else:
                yield (
                    "I have nothing in memory about that. I'm not a language model: "
                    "I can only answer from what you've told me."
                )
            return
        said = echo(text)
        if observation.superseded:
            yield f"Updated: I'll remember that {said}." if said else "Updated."
        elif observation.stored:
            yield f"Noted: {said}." if said else "Noted."
        elif observation.restated is not None:
            yield f"I know: {said}." if said else "I know."
        else:
            yield "OK."
