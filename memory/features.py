"""The inputs of the gates, computed the same way at training and at inference time.

Cheap text features of one utterance, lexical overlap between two texts, and the assembly
of each gate's feature vector. Pure NumPy: no SQL, no torch.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_PIECE_END = re.compile(_SENTENCE_END.pattern + r"|\s+[-\u2013\u2014]\s+")  # or a spaced dash
# A part ending in an abbreviation ("Dr.", "e.g.", "U.S.") goes on into the next one.
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b(?:Dr|Mr|Mrs|Ms|Prof|St|vs|etc|approx)\.$")
PIECE_WORDS = 3  # words a piece of an utterance needs to be read on its own
MAX_PARTS = 8  # a turn of more parts (a pasted text, a long story) is read whole only

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    i'm i've i'll i'd it's that's you're don't didn't isn't wasn't can't won't let's""".split()
)
FILLERS = frozenset(
    """lol lmao haha hahaha hehe ok okay k kk thanks thank thx ty yeah yes yep yup no nope nah
    sure hmm hm um uh cool nice great wow omg bye goodbye hi hello hey yo oh ah alright right
    good fine awesome indeed really totally absolutely exactly same true agreed welcome morning
    night please sorry""".split()
)
FIRST_PERSON = frozenset("i me my mine myself we us our ours i'm i've i'll i'd".split())
# The words by which a speaker is what a sentence is about, as its subject or owner ("I",
# "my", "we're"), not only its object ("it drives me mad", "give us a hint").
SPEAKER_SUBJECT = frozenset(
    "i my mine myself we our ours ourselves i'm i've i'll i'd we're we've we'll we'd im ive".split()
)
SECOND_PERSON = frozenset("you your yours yourself you're you've".split())
PASSING = frozenset(
    "today tonight now currently right moment this morning afternoon evening just".split()
)
DURABLE = frozenset(
    """always never usually every years since born grew live lives living work works job
    married wife husband daughter son kids children dog cat name favorite favourite love hate
    allergic moved""".split()
)

N_TEXT = 15  # length of text_features()
N_INPUT_EXTRA = 4  # novelty max, novelty mean of top 3, cosine to context, has context
N_PAIR = 7  # forget-gate pair scalars
N_OUTPUT = 11  # output-gate scalars
CHANGE_BITS = 16  # the change-words head hashes words into 2**CHANGE_BITS slots
RANK_CAP = 64  # ranks past this count the same (recall scores this many per retriever)


_SENTENCE_MARKS = re.compile(r"[.,!?;:\"“”…]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def _plain(text: str) -> str:
    """The text with compatibility forms folded (NFKC) and curly apostrophes made plain."""
    return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)


def wording(text: str) -> str:
    """A text's words as a person repeats them: case, spacing, the kind of apostrophe and
    sentence punctuation aside ("My name is Zoë." and "my name is Zoë" share one;
    "It's -5", "Zoé" and another emoji do not)."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    return " ".join(_SENTENCE_MARKS.sub(" ", text).split())


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (BM25 and overlap use these)."""
    return _TOKEN.findall(text.lower())


BM25_K1 = 1.2  # Okapi BM25's usual parameters
BM25_B = 0.75


def bm25_term(tf, df: int, docs: int, doclen, avgdl: float):
    """Okapi BM25 of one query term in documents holding it ``tf`` times (arrays or
    numbers), when ``df`` of the ``docs`` documents hold it; ``doclen``: their lengths in
    tokens, ``avgdl`` the mean length. The one formula the index and training share."""
    idf = math.log(1.0 + (docs - df + 0.5) / (df + 0.5))
    norm = BM25_K1 * (1 - BM25_B + BM25_B * doclen / avgdl)
    return idf * tf * (BM25_K1 + 1) / (tf + norm)


def statement_pieces(text: str) -> list[str]:
    """The pieces of an utterance of several sentences (split at sentence ends and at a
    spaced dash, each of at least PIECE_WORDS words) in which the speaker is the subject or
    owner (SPEAKER_SUBJECT); [] for an utterance of one piece, or of more than MAX_PARTS. The input
    gate reads each of them as well as the whole, so that a fact wrapped in greetings or a
    request ("Oh wait, I'm allergic to peanuts - can you do it without them?") is judged on
    its own words."""
    parts: list[str] = []
    for part in _PIECE_END.split(text):
        if parts and _ABBREVIATION.search(parts[-1]):
            parts[-1] = f"{parts[-1]} {part}"
        else:
            parts.append(part)
    parts = [p.strip() for p in parts if len(p.split()) >= PIECE_WORDS]
    if not 2 <= len(parts) <= MAX_PARTS:
        return []
    return [p for p in parts if SPEAKER_SUBJECT & set(tokens(p))]


def content_tokens(text: str) -> set[str]:
    return {t for t in tokens(text) if t not in STOPWORDS}


# A value: a number, with separators inside and a unit after ("$1,450", "6:40", "100mg",
# "4.1%", "555-0187"), a word holding a digit or an "@" ("jenna@x.co", "M25"), or a
# capitalised word after the first of its clause (a name: "Westbrook", "Bitwarden").
_VALUE_WORD = re.compile(r"[$£€]?\d(?:[\d,.:/\-]*\d)?[\w%]*|[\w@][\w'@.\-]*")
_NOT_VALUES = frozenset("i i'm i've i'll i'd dr mr mrs ms mx prof st".split())
# Where a word opens with a capital for its place, not for being a name: the start of a
# sentence or line, and after a colon ("Melanie: Wow, ...", "Update: ..."); "Dr." and the
# like end no sentence.
_CLAUSE_START = re.compile(r"(?<=[.!?:])\s+|\n\s*")
# A name after a comma that ends its sentence or goes on after another comma, behind a few
# words, is the person spoken to ("That's great, Mel!", "Wow, Caroline, ..."), not a value
# told ("Started a new job, Google!" tells one).
_VOCATIVE = re.compile(r", [A-Z][\w'\-]*\s*(?:[,!?.]|$)")
VOCATIVE_AFTER_WORDS = 3


def value_clauses(text: str) -> list[str]:
    """The text's sentences, lines and parts after a colon, as told_values reads them (an
    abbreviation such as "Dr." or "St." ends none)."""
    parts: list[list[str]] = []
    for piece in _CLAUSE_START.split(_plain(text).replace("<3", "")):
        # An abbreviation lies whole in the piece before a break, so only that is searched.
        if parts and _ABBREVIATION.search(parts[-1][-1]):
            parts[-1].append(piece)
        else:
            parts.append([piece])
    return [" ".join(p) for p in parts]


def value_words(clause: str) -> list[str]:
    """Every word of a clause in the form told_values gives a value: casefolded, without a
    possessive "'s" or trailing marks, a number without its currency sign."""
    return [_value_form(m.group().rstrip(".'-,")) for m in _VALUE_WORD.finditer(clause)]


def _value_form(word: str) -> str:
    folded = word.casefold().removesuffix("'s")
    return folded.lstrip("$£€") if any(ch.isdigit() for ch in word) or "@" in word else folded


def told_values(text: str) -> set[str]:
    """The values a text names (casefolded, without a possessive "'s"): numbers, codes,
    addresses and capitalised names of more than one letter. A name that opens its clause,
    is typed in lower case or in capitals throughout, or is said to the person spoken to,
    is not read: its capital is the only sign of a name, and there it means something else.
    Titles ("Dr") are not values, and "<3" is a heart, not a 3."""
    return set(_values(text)) - {""}


def names_a_value(text: str) -> bool:
    """Whether the text names any value (told_values), read only as far as the first."""
    return any(v for v in _values(text))


def _values(text: str) -> Iterator[str]:
    for clause in value_clauses(text):
        for i, m in enumerate(_VALUE_WORD.finditer(clause)):
            word = m.group().rstrip(".'-,")
            folded = _value_form(word)
            if any(ch.isdigit() for ch in word) or "@" in word:
                yield folded
            elif (
                i
                and len(word) > 1
                and word[:1].isupper()
                and not (word.isupper() and word.isalpha())  # "LOL", "AGAIN": emphasis
                and folded not in _NOT_VALUES
                and not _vocative(clause, m.start())
            ):
                yield folded


def _vocative(clause: str, start: int) -> bool:
    """Whether the capitalised word at ``start`` is the person spoken to (_VOCATIVE)."""
    if start < 2 or not _VOCATIVE.match(clause, start - 2):
        return False
    return len(clause[: start - 2].split()) <= VOCATIVE_AFTER_WORDS


def new_values(text: str, others: list[str]) -> set[str]:
    """The values ``text`` names (told_values) that none of ``others`` holds, as a value or
    as a word in any case: "My doctor bumped my sertraline up to 100mg." tells "100mg" that
    "I take 50mg of sertraline every morning." does not; "passport no. 802214579" tells
    nothing new after "My passport number is 802214579."; "Dr Shah" nothing after "my
    dentist is dr shah's practice"."""
    values = told_values(text)
    if not values or not others:
        return values
    held: set[str] = set()
    for other in others:
        held |= told_values(other) | {t.removesuffix("'s") for t in tokens(other)}
    return values - held


def text_features(text: str) -> np.ndarray:
    """(N_TEXT,) float32: length, filler, person, question and durability cues of one text.

    A turn often tells something and then asks back ("I won my first tournament last week!
    How about you?"): the question cues measure how much of it is question, and how many
    content words it tells outside its questions.
    """
    words: list[str] = []  # = tokens(text): no token spans the whitespace split on
    asked: list[str] = []
    told: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        part = tokens(sentence)
        words += part
        (asked if sentence.rstrip().endswith("?") else told).extend(part)
    n = len(words)
    raw = text.split()
    # Capitalised words inside a sentence (names, places), not those that start one.
    caps = sum(
        1
        for i, w in enumerate(raw)
        if i > 0 and w[:1].isupper() and w.lower() != "i" and raw[i - 1][-1:] not in ".!?:"
    )
    nonstop = [w for w in words if w not in STOPWORDS]
    f = [
        math.log1p(n) / 5.0,
        sum(w in STOPWORDS for w in words) / max(n, 1),
        sum(w in FILLERS for w in words) / max(n, 1),
        float(any(c.isdigit() for c in text)),
        caps / max(len(raw), 1),
        float(any(w in FIRST_PERSON for w in words)),
        float(any(w in SECOND_PERSON for w in words)),
        len(asked) / max(n, 1),  # share of the words in questions
        float("!" in text),
        math.log1p(len(nonstop)) / 4.0,
        float(n <= 3),
        sum(w in PASSING for w in words) / max(n, 1) * 4.0,
        sum(w in DURABLE for w in words) / max(n, 1) * 4.0,
        float(len(set(words)) < 0.6 * n) if n else 1.0,  # repetitive ("haha haha haha")
        math.log1p(sum(w not in STOPWORDS for w in told)) / 4.0,  # content it tells
    ]
    return np.asarray(f, dtype=np.float32)


def overlap(query: set[str], memory: set[str]) -> float:
    """Share of the query's content words that the memory contains."""
    return len(query & memory) / len(query) if query else 0.0


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


_OPENERS = frozenset("so well oh hey big news guess what update honestly".split())


def _about_speaker(words: list[str]) -> float:
    """1 when the text's subject is the speaker ("I ...", "I'm ..."), 0 for "My sister ...".
    ``words``: tokens(text)."""
    subject = next((w for w in words if w not in _OPENERS), "")
    return float(subject in {"i", "i'm", "i've", "i'll", "i'd", "we", "we're", "we've"})


def input_extra(sims: np.ndarray, ctx_cos: float | None) -> np.ndarray:
    """(N_INPUT_EXTRA,) novelty of an utterance against the nearest stored memories."""
    if sims.size > 3:
        sims = np.partition(sims, sims.size - 3)[-3:]  # the 3 largest, O(n)
    # Three numbers: plain Python beats NumPy's sort and mean at this size. The mean is
    # summed in the array's own precision, largest first, as NumPy's mean of the sorted
    # array is: the same bits.
    top = sorted(sims.tolist(), reverse=True)
    one = sims.dtype.type if sims.dtype.kind == "f" else float
    total = one(0.0)
    for x in top:
        total = total + one(x)
    return np.asarray(
        [
            top[0] if top else 0.0,
            float(total / one(len(top))) if top else 0.0,
            0.0 if ctx_cos is None else float(ctx_cos),
            0.0 if ctx_cos is None else 1.0,
        ],
        dtype=np.float32,
    )


# Words that place what a text tells at a time: "yesterday", "last week", "this morning",
# "on Friday", "in May", "two years ago", "2023". Months count only capitalised ("march" and
# "may" are verbs too), and "May" only next to a day or after in/last/next/this/since/until.
_DATED = re.compile(
    r"\b(?:yesterday|today|tonight|tomorrow|recently|ago|the other day"
    r"|(?:last|next|this|past|coming)\s+(?:week|weekend|month|year|night|morning|afternoon"
    r"|evening|summer|winter|spring|fall|autumn|semester|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday)s?"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
    r"|(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_MONTH = re.compile(
    r"\b(?:(?:January|February|March|April|June|July|August|September|October|November"
    r"|December|(?:[Ii]n|[Ll]ast|[Nn]ext|[Tt]his|[Ss]ince|[Uu]ntil)\s+May)\b|May\s+\d)"
)


# A text holding none of these words and no digit cannot match: most texts skip the regexes.
_DIGIT = re.compile(r"\d")
_DATED_HINTS = frozenset(
    """yesterday today tonight tomorrow recently ago other last next this past coming monday
    tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays
    fridays saturdays sundays january february march april may june july august september
    october november december""".split()
)


def dated(text: str, toks: list[str] | None = None) -> bool:
    """Whether the text places what it tells at a time ("I lost my job yesterday", "we
    marry in June"): news of an event, which is what people later ask about ("when did
    ...?"). A persona trait ("I love dogs") is not dated. ``toks``: tokens(text), if at
    hand."""
    toks = tokens(text) if toks is None else toks
    # ("today's" is the token of "today's")
    if _DATED_HINTS.isdisjoint(t.partition("'")[0] for t in toks) and not _DIGIT.search(text):
        return False
    return bool(_DATED.search(text) or _MONTH.search(text))


# A turn that only asks, supposes or wishes. Each sentence (or line) must be one of:
# a question that opens as one ("What if we moved?", "Have you read it?"; not "I quit my
# job, can you believe it?"); a supposition, "if" or "suppose" with a conditional ("If Olu
# ever left I'd go for her job"; not "If you're wondering, I moved"); a wish ("I wish I
# reported to Raj", "I'd love to learn piano", "Someday I want to ..."; not "Wish me
# luck"). A sentence with "but" or "now" in it may carry news ("I wish I'd seen it coming,
# but we divorced", "I'm vegan now, remember?") and is not read so.
_ASKS = re.compile(
    r"^\W*(?:what|who|whose|where|when|why|how|which|do|does|did|is|are|was|were|am|can|"
    r"could|would|should|will|shall|have|has|had|may|might|any|anyone|anybody)\b",
    re.IGNORECASE,
)
_SUPPOSES = re.compile(r"^\W*(?:if|suppose|supposing)\b(?!\s+(?:you|anyone|it)\b)", re.IGNORECASE)
_CONDITIONAL = re.compile(r"\b(?:would|could|might)\b|\w'd\b", re.IGNORECASE)
_WISHES = re.compile(
    r"^\W*(?:i\s+wish|wish(?!\s+me\b)|i'd\s+love|i\s+would\s+love|would\s+love|someday)\b",
    re.IGNORECASE,
)
_MAY_TELL_NEWS = re.compile(r"\b(?:but|now)\b", re.IGNORECASE)
# (Pieces are stripped after: "\s*\n" would scan a long run of spaces again at every one.)
_SENTENCE_OR_LINE = re.compile(r"(?<=[.!?])\s+|\n\s*")


def _sentences(text: str) -> list[str]:
    """The sentences and lines of a plain text that hold a letter (an emoji alone is left
    out), stripped."""
    pieces = (s.strip() for s in _SENTENCE_OR_LINE.split(text.strip()))
    return [s for s in pieces if any(ch.isalpha() for ch in s)]


def _hedged_sentence(s: str) -> bool:
    if _MAY_TELL_NEWS.search(s):
        return False
    if s.endswith("?") and _ASKS.match(s):
        return True
    return bool(_WISHES.match(s) or (_SUPPOSES.match(s) and _CONDITIONAL.search(s)))


def hedged(text: str) -> bool:
    """Whether every sentence of the text only asks, supposes or wishes (the patterns
    above): it tells of nothing that is so, and so makes no memory stale ("If we ever left
    Norway we'd end up in Copenhagen", "Have you read it? is it good?"). One plain sentence
    among them is enough to say something ("Withdrew from the course. Might go back one
    day."); a sentence without a letter (an emoji) is left out."""
    sentences = _sentences(_plain(text))
    return bool(sentences) and all(_hedged_sentence(s) for s in sentences)


_TRAILING = re.compile(r"[^\w?]+$")  # what may follow a question mark: "?!", "?)", "?😊"
# "can you write ...", "would you remind ...": the person spoken to is asked to do
# something, not asked about themselves.
_ASKED_TO_ACT = re.compile(r"\b(?:can|could|would|will)\s+you\b", re.IGNORECASE)


def tells_dated(text: str) -> bool:
    """Whether the text places something at a time as news of its speaker's (dated): a
    dated sentence does, unless it only asks the person spoken to about themselves and
    names its speaker nowhere ("good morning! how are you today?", "hey, how was your
    weekend?"). A question that carries the speaker's news is news ("did you know I got
    engaged last week?", "How do I prepare for my surgery next week?"), and so is a request
    that names a time ("can you write a note about the party on Saturday?")."""
    for sentence in _sentences(_plain(text)):
        if not dated(sentence):
            continue
        words = set(tokens(sentence))
        asks = _hedged_sentence(sentence) or _TRAILING.sub("", sentence).endswith("?")
        about_listener = bool(words & SECOND_PERSON) and not _ASKED_TO_ACT.search(sentence)
        if not (asks and about_listener and not words & FIRST_PERSON):
            return True
    return False


def supposes(text: str) -> bool:
    """Whether a sentence of the text opens as a supposition ("If they bump me to 100mg I'll
    be so tired", "Suppose we moved to Leeds ...")."""
    return any(_SUPPOSES.match(s) for s in _sentences(_plain(text)))


# A request to an assistant, sentence by sentence: a question that opens as one and ends
# with a question mark ("What are the signs of burnout?"; not "What a day, finally moved
# in", nor "Did the marathon, legs are dead"), or an instruction that opens with a verb
# only requests use, after an optional "please" ("Tell me a joke about statisticians",
# "Summarise the causes of World War One"). Verbs a statement with its subject left out
# may open with ("Plan is to move", "Love this song", "Work at Tesco") are not listed,
# nor "remind", with which a person asks to be reminded of something.
_INSTRUCTS = re.compile(
    r"^\W*(?:(?:please|pls|plz)\W+)?(?:tell\s+(?:me|us)|give|write|explain|summari[sz]e|"
    r"recommend|suggest|translate|describe|define|compose|generate|calculate|convert|rewrite|"
    r"rephrase|proofread|paraphrase|outline|brainstorm|(?:help|show|teach)\s+me|"
    r"make\s+(?:me|this|it))\b",
    re.IGNORECASE,
)


# A second clause may tell of the speaker without naming them ("Recommend me some
# gluten-free recipes, coeliac here.", "Explain how insulin pumps work - just got one").
_CLAUSE_BREAK = re.compile(r"[,;]|\s[-–—]+\s|—|–")


def _request_sentence(s: str) -> bool:
    if _CLAUSE_BREAK.search(s):
        return False
    return (s.endswith("?") and bool(_ASKS.match(s))) or bool(_INSTRUCTS.match(s))


def only_requests(text: str) -> bool:
    """Whether the text is a request to an assistant and nothing else: every sentence asks
    or instructs (the patterns above), and none of its words makes the speaker a subject or
    owner (SPEAKER_SUBJECT: "Help me write a toast for my friend's 40th" tells of a friend,
    "How do I write a cover letter for a job I'm overqualified for?" of the speaker). Such a
    turn tells nothing of the person who says it."""
    text = _plain(text)
    if SPEAKER_SUBJECT & set(tokens(text)):
        return False
    sentences = _sentences(text)
    return bool(sentences) and all(_request_sentence(s) for s in sentences)


# A speaker telling their own name: "my name's Amara", "call me Bex", "Hi, I'm John.",
# "I'm Tomasz by the way", "Ines here", "This is Meera speaking", "Thabo Nkosi is my name".
# The name is the captured word, a whole token (so "Mark's" is not read as "Mark", and no
# match backs off through a long token); its first letter must be a capital, and it must
# not be one of _NOT_NAMES.
_NAME = r"(?<![\w'\-])(\w[\w'\-]*)(?![\w'\-])"
# Up to two more capitalised words of a name ("Kim Ji-woo", "Lucía Fernández Ortega").
_CAPITAL = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
_MORE = r"(?:\s+(?-i:[" + _CAPITAL + r"])[\w'\-]*(?![\w'\-])){0,2}"
# Where an introduction may start: the text's start, after any mark that is not part of a
# word (a sentence's end, a comma, a dash, an emoji), or after a greeting ("heyyy").
_OPENING = r"(?:^|[^\w\s'\"]\s*|\b(?:he+y+|hi+|hello+|hiya|heya|howdy|yo)\W+)"
# What may follow the name: a mark (not an apostrophe, nor a question mark), the end, or
# "and", "by the way" ...
_ENDS = r"(?=\s*(?:[^\w\s'?]|$)|\s(?:and|by the way|btw|here|speaking|from|but)\b)"
# Names that may be presented as someone else's (see _SOMEONE_ELSE).
_THIS_IS = re.compile(_OPENING + r"(?:this is|it's|it is)\s+" + _NAME + _MORE + _ENDS, re.I)
_HERE = re.compile(
    _OPENING + _NAME + _MORE + r",?\s+(?:here|speaking)\b\s*(?=[^\w\s'?]|$)",
    re.I,
)
_TELLS_NAME = (
    re.compile(r"\bmy (?:first |last |full |real |sur)?name(?:'s| is)\s+" + _NAME, re.I),
    re.compile(_OPENING + r"(?:the )?(?:sur)?name(?:'s|\s*:)\s*" + _NAME, re.I),
    re.compile(
        r"(?<!n't )(?<!not )\b(?:call me|i go by|i'm called|i am called|address me as"
        r"|(?:people|everyone|they|friends|most people) calls? me)\s+" + _NAME,
        re.I,
    ),
    re.compile(_OPENING + r"(?:i'm|i am|im)\s+" + _NAME + _MORE + _ENDS, re.I),
    _THIS_IS,
    _HERE,
    re.compile(_OPENING + _NAME + _MORE + r"\s+is my name\b(?!\s*\?)", re.I),
)
_NOT_NAMES = frozenset(
    w.casefold()
    for w in """User Name Sorry Fine Good Great Okay Ok Back Here Home Done Not So Just Still
    Also Really Very Tired Happy Sure Glad Excited Going Ready Free Busy New Off Out In On At
    The A An Me You You're It This That Same Right Over Nothing Anyone Everyone Nobody
    Someone Anybody Everybody Somebody Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday Today Tomorrow Yesterday Mum Mom Dad Hi Hello Hey Hiya Well Oh I I'm Im Yes No
    Yeah And But Or Then Now There Look What Who Who's How Why Where When Which Whose Is Was
    Does Do Did Can Could Would Will Dr Mr Mrs Ms Miss Prof Cold Hot Raining Midnight Morning
    Night Crazy""".split()
)


# Capitalised words that say what a person is, not who: "I'm Welsh", "I'm Catholic", "I'm
# Capricorn", "I'm Republican". Nationalities and peoples, faiths, star signs and political
# leanings; words that are as often given names ("Christian", "Leo", "Tory", "Sufi") are left
# out. Two-word ones are read as a pair ("Sri Lankan": "Sri" alone is a name).
_IDENTITIES = frozenset(
    w.casefold()
    for w in """Afghan Albanian Algerian American Andorran Angolan Argentine Argentinian
    Armenian Australian Austrian Azerbaijani Bahamian Bahraini Bangladeshi Barbadian
    Belarusian Belgian Belizean Beninese Bhutanese Bolivian Bosnian Botswanan Brazilian
    British Bruneian Bulgarian Burmese Burundian Cambodian Cameroonian Canadian Chadian
    Chilean Chinese Colombian Congolese Croatian Cuban Cypriot Czech Danish
    Djiboutian Dominican Dutch Ecuadorian Egyptian Emirati English Eritrean Estonian
    Ethiopian Fijian Filipino Filipina Finnish French Gabonese Gambian Georgian German
    Ghanaian Greek Grenadian Guatemalan Guinean Guyanese Haitian Honduran Hungarian
    Icelandic Indian Indonesian Iranian Iraqi Irish Israeli Italian Ivorian Jamaican Japanese
    Jordanian Kazakh Kenyan Korean Kosovar Kuwaiti Kyrgyz Lao Laotian Latvian Lebanese Liberian
    Libyan Lithuanian Luxembourgish Macedonian Malagasy Malawian Malaysian Maldivian Malian
    Maltese Mauritanian Mauritian Mexican Moldovan Monegasque Mongolian Montenegrin Moroccan
    Mozambican Namibian Nepalese Nepali Nicaraguan Nigerian Nigerien Norwegian Omani
    Pakistani Palestinian Panamanian Paraguayan Peruvian Polish Portuguese Qatari Romanian
    Russian Rwandan Salvadoran Samoan Saudi Scottish Senegalese Serbian Singaporean Slovak
    Slovakian Slovenian Somali Somalian Spanish Sudanese Surinamese Swazi Swedish
    Swiss Syrian Taiwanese Tajik Tanzanian Thai Tibetan Togolese Tongan Trinidadian Tunisian
    Turkish Turkmen Ugandan Ukrainian Uruguayan Uzbek Venezuelan Vietnamese Welsh Yemeni
    Zambian Zimbabwean Basque Breton Catalan Cornish Corsican Flemish Frisian Galician Kurdish
    Manx Sardinian Sicilian Bavarian Punjabi Bengali Tamil Telugu Gujarati Marathi Kashmiri
    Sindhi Pashtun Persian Arab Arabic Berber Yoruba Igbo Hausa Zulu Xhosa Maasai Maori
    Hawaiian Inuit Aboriginal Indigenous Hispanic Latino Latina Latinx Chicano Chicana Asian
    African European Caribbean Scandinavian Nordic Balkan Slavic Celtic Anglo Yankee Texan
    Californian Québécois Quebecois Brummie Scouse Scouser Cockney Glaswegian Londoner
    Parisian Berliner Catholic Protestant Muslim Moslem Jewish Jew Hindu Buddhist Sikh Jain
    Mormon Orthodox Anglican Baptist Methodist Lutheran Presbyterian Pentecostal Evangelical
    Quaker Mennonite Adventist Episcopalian Calvinist Atheist Agnostic Pagan Wiccan
    Druid Shia Shiite Sunni Taoist Shinto Zoroastrian Bahai Rastafarian Coptic Aries
    Taurus Gemini Virgo Libra Scorpio Sagittarius Capricorn Aquarius Pisces Republican
    Democrat Democratic Conservative Liberal Labour Libertarian Socialist Communist
    Marxist Anarchist Centrist Progressive Independent Green Vegan Vegetarian""".split()
)
_IDENTITY_PAIRS = frozenset(
    {
        "sri lankan",
        "costa rican",
        "puerto rican",
        "south african",
        "south korean",
        "north korean",
        "new zealander",
        "saudi arabian",
        "native american",
        "first nations",
        "el salvadoran",
    }
)
# Days a text may open on: "It's Christmas Eve!".
_OCCASIONS = frozenset(
    w.casefold()
    for w in """Christmas Xmas Halloween Thanksgiving Diwali Eid Hanukkah Chanukah Passover
    Purim Holi Lent Advent Valentine's Valentines Boxing Hogmanay""".split()
)
_NOT_A_NAME = _NOT_NAMES | _IDENTITIES | _OCCASIONS


def tells_name(text: str) -> str | None:
    """The name a speaker tells as their own ("Hi, I'm Goran and my washing machine ...",
    "name's Rafferty", "Fernanda Albuquerque here."), or None. Broader than the forms
    training labels (training.datasets.introduces_self); the memory stores such a turn
    whatever the input gate says, as a lasting memory (turn.decide_turn). Names in scripts
    without capitals are not read, nor what a person is ("I'm Welsh"), "This is Priya, my new
    colleague" (someone else) or "Call me Ishmael is the first line of ..." (the words
    talked about, not said). A name is read inside quotation marks: people quote what they
    draft ("'Dear Hiring Manager, my name is Samir Haddad ...' Does that sound ok?")."""
    return _read_name(text)[0]


def _read_name(text: str) -> tuple[str | None, bool]:
    """:func:`tells_name`'s name, and whether the text talks about the words of an
    introduction ("Call me Ishmael is the first line ...") instead of saying them."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    mentioned = False
    for pattern in _TELLS_NAME:
        for m in pattern.finditer(text):
            name = m.group(1)
            if not name[0].isupper() or _not_a_name(name):
                continue
            if " ".join(text[m.start(1) : m.end()].casefold().split()[:2]) in _IDENTITY_PAIRS:
                continue
            if _MENTIONED.match(text, m.end()):
                mentioned = True
                continue
            if pattern in (_THIS_IS, _HERE) and _SOMEONE_ELSE.match(text, m.end()):
                continue
            return name, mentioned
    return None, mentioned


def _not_a_name(word: str) -> bool:
    folded = word.casefold()
    if folded in _NOT_A_NAME:
        return True
    parts = folded.split("-")  # "Korean-American", "Libertarian-ish"
    return len(parts) > 1 and all(p in _IDENTITIES or p == "ish" for p in parts)


# "This is Priya, my new colleague", "Kenji here, my roommate, ...": a name presented with
# whose it is, a word or two ending the clause, is someone else's ("Sam here, my phone died"
# and "I'm Sam, my wife told me ..." are Sam).
_SOMEONE_ELSE = re.compile(
    r"\s*,\s*(?:my|our|his|her|their)\s+(?:[\w'\-]+\s+)?[\w'\-]+\s*(?:[,.!;:]|$)", re.I
)
# After "call me Ishmael" or "my name is Kathy": "is the first line", "was said by": the
# words are talked about.
_MENTIONED = re.compile(r"\s+(?:is|was)\s+(?:the|a|from|said|sung|in)\b", re.I)


# People a speaker tells news of: "my sister's moved", "my best mate got divorced", "Dad
# bought a Tesla". A text whose subject is one of them states someone else's fact.
# ("fianc" is how tokens() reads "fiancé" and "fiancée".)
# Words that may come with a name told, and add nothing to it.
_INTRODUCING = FILLERS | frozenset(
    "name name's names called call way btw meet pleased again here speaking go by".split()
)


def bare_name(text: str) -> str | None:
    """The name (casefolded) a text tells as its speaker's own when it tells nothing else
    ("I'm Tomasz by the way", "Hi there! My name is Tomasz, nice to meet you."); None when
    it tells no name or more than one ("it's Aoife btw, pronounced ee-fa")."""
    name = tells_name(text)
    if name is None:
        return None
    rest = content_tokens(text) - _INTRODUCING - set(tokens(name))
    return name.casefold() if not rest else None


# A question or request for the speaker's own name: "What's my name?", "Who am I?", "What
# am I called?", "What should you call me?", "How should you address me?", "Who's talking
# to you?", "What name did I give you?", "my first and last name" (not "my dog's name").
_ASKS_NAME = re.compile(
    r"\bmy\s+(?:(?:full|first|last|whole|family|given|middle|real)\s+)?"
    r"(?:(?:and|&)\s+(?:last|sur)\s*)?(?:name|surname|nickname)\b"
    r"|\bwho\s+am\s+i\s*(?:[?.!,]|$)|\b(?:am\s+i|i'?m|be)\s+called\b|\bcall\s+me\b"
    r"|\bwho(?:'s|\s+is)\s+(?:this|talking)\b|\bwho\s+you'?re\s+talking\s+to\b"
    r"|\b(?:nick)?name\s+(?:(?:did|do|should|have)\s+(?:i|you)|i\s+go\s+by)\b"
    r"|\baddress\s+me\b|\bbe\s+addressed\b",
    re.IGNORECASE,
)


def asks_own_name(text: str) -> bool:
    """Whether the text asks for its speaker's own name (a question, or "Tell me my name")."""
    text = _plain(text)
    if not _ASKS_NAME.search(text):
        return False
    name, mentioned = _read_name(text)
    return name is None and not mentioned


_PAST_VERBS = frozenset("did was were had".split())  # opening a question: "When did ..."
_EARLIER = frozenset("before previous previously old former formerly originally ago".split())
_PRESENT = frozenset("now currently nowadays anymore".split())
_TOLD = frozenset("tell told say said mention mentioned".split())  # "Did I tell you ...?"


def asks_about_past(text: str) -> bool:
    """Whether a query asks what was ("When did I ...", "What was my old job?", "Where
    did I live before?") rather than what is ("Where do I live now?", "Did I tell you
    where I work?")."""
    words = tokens(text)
    seen = set(words)
    if _PRESENT & seen or _TOLD & set(words[:4]) or "end up" in " ".join(words):
        return False
    return bool(_PAST_VERBS & set(words[:3]) or _EARLIER & seen or "used to" in text.lower())


OTHERS = frozenset(
    """wife husband partner boyfriend girlfriend fiance fiancee fianc spouse sister sisters
    brother brothers sibling siblings mum mom mother dad father parents parent son sons
    daughter daughters kids kid children child baby friend friends mate mates buddy pal boss
    manager colleague colleagues coworker coworkers neighbour neighbor neighbours neighbors
    flatmate roommate housemate landlord landlady cousin cousins aunt aunts uncle uncles
    nephew nephews niece nieces grandma grandpa grandmother grandfather gran nan granny
    grandparents grandkids grandchildren stepdad stepmum stepmom ex""".split()
)
# ... of whom "our" names the speaker's own household: "our son was born" is the
# speaker's news as much as the son's.
HOUSEHOLD = frozenset(
    "wife husband partner son sons daughter daughters kids kid children child baby".split()
)
_KIN_ADJ = frozenset("best old oldest older eldest little big younger youngest twin new".split())
_SPEAKER = frozenset("i me i'm i've i'd i'll we us we're we've we'd we'll".split())
_BARE = frozenset("mum mom dad grandma grandpa gran nan".split())  # a subject without "my"


def _about_other(words: list[str]) -> bool:
    """Whether the text's subject is another person, and the speaker is not in it: "My
    sister's moved ...", "my best mate just ...", "Dad finally ..."; not "My wife and I
    moved ...", "my boss fired me" or "our son was born". ``words``: tokens(text)."""
    i = 0
    while i < len(words) and (words[i] in _OPENERS or words[i] in FILLERS):
        i += 1
    if i == len(words):
        return False
    head = words[i].partition("'")[0]
    if head in ("my", "our"):
        j = i + 1
        while j < len(words) and words[j] in _KIN_ADJ:
            j += 1
        who = words[j].partition("'")[0] if j < len(words) else ""
        other = who in OTHERS and not (head == "our" and who in HOUSEHOLD)
        start = j + 1
    else:
        other, start = head in _BARE, i + 1
    return other and _SPEAKER.isdisjoint(words[start : start + 6])


@dataclass(frozen=True)
class TextCues:
    """What the forget gate and eviction read of a text besides its embedding; computed once
    per text."""

    words: frozenset[str]  # content words
    about_speaker: float  # 1 for "I moved ...", 0 for "My sister moved ..."
    dated: bool = False  # dated(text)
    about_other: bool = False  # "My sister moved ...": another person's fact

    @classmethod
    def of(cls, text: str) -> TextCues:
        toks = tokens(text)
        words = frozenset(t for t in toks if t not in STOPWORDS)  # = content_tokens(text)
        return cls(words, _about_speaker(toks), dated(text, toks), _about_other(toks))


def pair_scalars(cos: float, new: TextCues, old: TextCues, gap_days: float) -> np.ndarray:
    """(N_PAIR,) what the forget gate sees of a new utterance against one stored memory."""
    a, b = new.words, old.words
    return np.asarray(
        [
            cos,
            jaccard(a, b),
            overlap(b, a),
            math.log1p(max(gap_days, 0.0)) / 6.0,
            float(bool(a & b)),
            new.about_speaker,  # "I moved" vs "my sister moved": whose fact it is
            old.about_speaker,
        ],
        dtype=np.float32,
    )


_CHANGE_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def change_word_ids(new: str, old: str, bits: int = CHANGE_BITS) -> np.ndarray:
    """The hashed slots the forget gate's change-words head reads of a new turn against a
    stored memory: each word and each pair of adjacent words of the new turn ("rental",
    "used to", "sold the"), and each of its words the memory also says (its value named
    again). Sorted, each slot once; a stable hash (CRC-32), so the slots are the same in
    every process."""
    new_words = _CHANGE_WORD.findall(_plain(new).lower())
    old_words = set(_CHANGE_WORD.findall(_plain(old).lower()))
    keys = [f"n:{w}" for w in new_words]
    keys += [f"n:{a}_{b}" for a, b in zip(new_words, new_words[1:], strict=False)]
    keys += [f"s:{w}" for w in new_words if w in old_words]
    mask = (1 << bits) - 1
    return np.asarray(sorted({zlib.crc32(k.encode()) & mask for k in keys}), dtype=np.int64)


_GENERIC_SPEAKERS = frozenset({"user", "assistant", "bot", "ai", "system", "i", "you"})


def speaker_key(speaker: str) -> str:
    """The word a query would name the speaker by ("caroline"), or "" for user/assistant."""
    parts = tokens(speaker)
    return parts[0] if parts and parts[0] not in _GENERIC_SPEAKERS else ""


def names_speaker(query_words: set[str], speaker: str) -> float:
    """1.0 when the query names the speaker ("What did Caroline ...?" for "Caroline")."""
    key = speaker_key(speaker)
    return float(bool(key) and key in query_words)


def rank_feature(ranks: np.ndarray) -> np.ndarray:
    """A rank (0 = best) among all of a user's memories, on [0, 1], saturating at RANK_CAP."""
    return np.log1p(np.minimum(ranks, RANK_CAP)) / math.log1p(RANK_CAP)


def output_scalars(
    cos: np.ndarray,
    bm25: np.ndarray,
    cos_rank: np.ndarray,
    bm25_rank: np.ndarray,
    lexical: np.ndarray,
    strength: np.ndarray,
    age_days: np.ndarray,
    ctx_cos: np.ndarray,
    speaker_named: np.ndarray,
    words: np.ndarray,
    query_is_question: bool,
) -> np.ndarray:
    """(n, N_OUTPUT) what the output gate sees of n candidate memories for one query.

    Ranks are each candidate's place among all the user's memories by cosine and by BM25
    (0 = best; anything past RANK_CAP counts as RANK_CAP), so the gate can learn the kind
    of fusion reciprocal-rank fusion does by hand. ``speaker_named`` is 1 where the query
    names the memory's speaker ("What did Caroline ...?"); ``words`` is the memory's length.
    """
    n = len(cos)
    cols = [
        cos,
        bm25 / max(float(np.max(bm25)) if n else 0.0, 1e-9),
        rank_feature(cos_rank),
        rank_feature(bm25_rank),
        lexical,
        strength,
        np.log1p(np.maximum(age_days, 0.0)) / 6.0,
        ctx_cos,
        speaker_named,
        np.log1p(words) / 5.0,
        np.full(n, float(query_is_question)),
    ]
    return np.stack(cols, axis=1).astype(np.float32)
