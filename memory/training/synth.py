"""Conversation data the project generates itself, for what the public data lacks.

Persona-Chat has durable facts but no fillers, no passing remarks and no facts that change.
These generators fill those gaps from templates: fillers and back-channels, remarks about
the moment, and facts that a later utterance updates (supersede), casts doubt on (weaken)
or leaves alone (keep), with the questions that ask for them. Deterministic given the rng.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_ACKS = [
    "lol",
    "ok",
    "okay",
    "k",
    "haha",
    "hahaha",
    "lmao",
    "yeah",
    "yep",
    "sure",
    "cool",
    "nice",
    "thanks",
    "thank you",
    "thx",
    "hmm",
    "oh",
    "wow",
    "omg",
    "alright",
    "right",
    "true",
    "same",
    "agreed",
    "great",
    "awesome",
    "good",
    "fine",
    "no worries",
    "np",
    "bye",
    "see you",
    "good night",
    "morning",
    "hi",
    "hello",
    "hey",
    "hey there",
    "sounds good",
    "got it",
    "makes sense",
    "fair enough",
    "i see",
    "oh really",
    "no way",
    "for sure",
    "totally",
    "exactly",
    "me too",
    "you too",
    "haha yes",
    "ok cool",
    "yeah yeah",
    "lol ok",
    "thanks!",
    "cool cool",
    "nice one",
    "that's funny",
    "that's great",
    "good for you",
    "i know right",
    "ha",
    "uh huh",
    "mhm",
    "sorry",
    "how are you",
    "how's it going",
    "what's up",
    "not much",
    "all good",
    "you?",
]
_ENDS = ["", "!", "!!", ".", "?", " :)", " :D", " haha", " lol", "..."]

_PASSING = [
    "I'm so tired today",
    "Long day at work today, I'm exhausted",
    "I'm having a lazy Sunday",
    "I'm a bit stressed this week",
    "I just got back from the gym",
    "I'm cooking dinner right now",
    "It's so cold this morning",
    "I just had a coffee",
    "It's raining here right now",
    "I'm eating a sandwich at the moment",
    "Traffic was bad this morning",
    "I'm watching TV right now",
    "I'm a bit bored tonight",
    "I just got home",
    "My phone is almost out of battery",
    "I'm about to take a nap",
    "It's really hot today",
    "I'm waiting for the bus",
    "I had pasta for lunch",
    "I'm in a good mood this afternoon",
    "I'm stuck in a meeting right now",
    "The wifi is slow today",
    "I'm making tea",
    "I just woke up",
    "I'm heading to the store now",
    "I feel a little sick this evening",
]

# Paris and Berlin are left out on purpose: the tests use them, so they test generalisation.
CITIES = [
    "London",
    "Tokyo",
    "Madrid",
    "Chicago",
    "Toronto",
    "Sydney",
    "Lisbon",
    "Seoul",
    "Denver",
    "Austin",
    "Boston",
    "Dublin",
    "Oslo",
    "Rome",
    "Vienna",
    "Prague",
    "Nairobi",
    "Lima",
    "Mumbai",
    "Cairo",
    "Zurich",
    "Munich",
    "Seattle",
]
JOBS = [
    "nurse",
    "teacher",
    "software engineer",
    "accountant",
    "chef",
    "lawyer",
    "plumber",
    "graphic designer",
    "firefighter",
    "pharmacist",
    "photographer",
    "electrician",
    "data analyst",
    "dentist",
    "journalist",
    "architect",
    "barista",
    "mechanic",
]
COMPANIES = [
    "Google",
    "a bank",
    "the hospital",
    "a startup",
    "Amazon",
    "the city council",
    "a law firm",
    "a bakery",
    "IKEA",
    "Siemens",
    "a school",
    "Microsoft",
]
COLORS = ["blue", "green", "red", "purple", "yellow", "black", "orange", "pink", "teal"]
FOODS = ["pizza", "sushi", "tacos", "pasta", "curry", "ramen", "burgers", "salad", "dumplings"]
CARS = ["Toyota", "Honda", "Tesla", "Volkswagen", "Ford", "BMW", "Subaru", "Volvo"]
NAMES = ["Rex", "Luna", "Max", "Bella", "Charlie", "Milo", "Daisy", "Rocky", "Coco", "Buddy"]
PEOPLE = ["Anna", "Tom", "Sara", "James", "Maria", "David", "Emma", "Lucas", "Nina", "Omar"]
# The people in someone's life whose facts they tell by name ("Ewa is 7 years old now.").
GIVEN_NAMES = """Agnieszka Bartek Ewa Kuba Magda Pawel Jose Lucia Carmen Diego Chinedu Ngozi
Emeka Adaeze Tunde Arjun Meera Rohan Divya Sanjay Wei Mei Jun Xiu Hao Layla Yusuf Hana Karim
Samira Oliver Grace Harry Chloe George Freya Jack Isla Noah Mia Liam Ava Kenji Yuki Haruto
Sofia Mateo Valentina Ivan Olga Dmitri Elif Emre Aylin Kwame Ama Kofi Ingrid Lars Astrid
Pierre Camille Hugo Giulia Marco Chiara""".split()
SPORTS = [
    "tennis",
    "soccer",
    "basketball",
    "golf",
    "the guitar",
    "chess",
    "volleyball",
    "the piano",
    "hockey",
    "badminton",
]
MAJORS = [
    "biology",
    "history",
    "computer science",
    "economics",
    "physics",
    "art",
    "psychology",
    "law",
    "chemistry",
    "music",
]


@dataclass(frozen=True)
class Slot:
    name: str
    values: list[str]
    state: list[str]  # "{a}" states the fact
    update: list[str]  # "{a}" old value, "{b}" new value: supersedes the state
    doubt: list[str]  # casts doubt on "{a}": weakens the state
    related: list[str]  # about "{a}" but compatible with the state: keep
    questions: list[str]
    others: list[str] = ()  # the same kind of fact about someone else: "{b}"


_KIN = [
    "My sister",
    "My brother",
    "My mom",
    "My dad",
    "My best friend",
    "My cousin",
    "My neighbor",
    "My boss",
    "My friend Sam",
    "My roommate",
]
_OTHERS = {
    "city": [
        "{p} lives in {b}.",
        "{p} just moved to {b}.",
        "{p} is a doctor in {b}.",
        "{p} is visiting {b} next month.",
        "{p} grew up in {b}.",
    ],
    "job": ["{p} works as a {b}.", "{p} is a {b}.", "{p} just became a {b}."],
    "employer": ["{p} works at {b}.", "{p} got a job at {b}."],
    "color": ["{p}'s favorite color is {b}."],
    "food": ["{p} loves {b}.", "{p} makes amazing {b}."],
    "car": ["{p} drives a {b}.", "{p} just bought a {b}."],
    "pet": ["{p} has a dog named {b}.", "{p} adopted a puppy called {b}."],
    "partner": ["{p} is dating {b}.", "{p} just married {b}."],
    "hobby": ["{p} plays {b}.", "{p} started playing {b}."],
    "diet": ["{p} is {b}.", "{p} went {b} last year."],
    "status": ["{p} is {b}.", "{p} just got {b}."],
    "major": ["{p} studies {b}.", "{p} switched to {b}."],
}


SLOTS = [
    Slot(
        "city",
        CITIES,
        [
            "I live in {a}.",
            "I'm based in {a}.",
            "My home is in {a}.",
            "I've lived in {a} for years.",
            "We have an apartment in {a}.",
        ],
        [
            "I moved to {b}.",
            "I just moved to {b} last month.",
            "I live in {b} now.",
            "We relocated from {a} to {b}.",
            "Now I'm living in {b}.",
            "I left {a} and moved to {b}.",
        ],
        [
            "I might be moving away from {a} soon.",
            "I'm thinking about leaving {a}.",
            "Not sure how much longer I'll stay in {a}.",
        ],
        [
            "I love the museums in {a}.",
            "{a} is beautiful in spring.",
            "The food in {a} is great.",
            "My sister visited me in {a}.",
        ],
        [
            "Where {does} {who} live?",
            "Which city is {whose} home?",
            "Where {is} {who} based?",
            "What city {does} {who} live in?",
        ],
    ),
    Slot(
        "job",
        JOBS,
        [
            "I work as a {a}.",
            "I'm a {a}.",
            "My job is being a {a}.",
            "I've been a {a} for ten years.",
        ],
        [
            "I quit being a {a} and became a {b}.",
            "I'm now working as a {b}.",
            "I changed careers, I'm a {b} now.",
            "I got a new job as a {b}.",
        ],
        ["I'm considering quitting my job as a {a}.", "I'm not sure I want to stay a {a}."],
        [
            "Being a {a} is tiring some days.",
            "My boss at work is nice.",
            "I had a long shift at work.",
        ],
        [
            "What {does} {who} do for work?",
            "What is {whose} job?",
            "What's {whose} profession?",
            "What {does} {who} do for a living?",
        ],
    ),
    Slot(
        "employer",
        COMPANIES,
        ["I work at {a}.", "I have a job at {a}."],
        ["I left {a} and started at {b}.", "I started a new job at {b}.", "I work at {b} now."],
        ["I might leave {a} this year."],
        ["My coworkers at {a} are friendly."],
        ["Where {does} {who} work?", "Which company {does} {who} work for?"],
    ),
    Slot(
        "color",
        COLORS,
        ["My favorite color is {a}.", "I love the color {a}.", "{a} is my favourite colour."],
        [
            "My favorite color is {b} now.",
            "These days I prefer {b} over {a}.",
            "I don't like {a} anymore, {b} is my new favorite color.",
        ],
        ["I'm not sure {a} is still my favorite color."],
        ["I painted my room {a}."],
        ["What is {whose} favorite color?", "Which colour {does} {who} like best?"],
    ),
    Slot(
        "food",
        FOODS,
        ["My favorite food is {a}.", "I love eating {a}.", "{a} is my favourite meal."],
        [
            "I'm tired of {a}, now I love {b}.",
            "My new favorite food is {b}.",
            "I don't eat {a} anymore, I prefer {b}.",
        ],
        ["I'm eating less {a} lately."],
        ["I had {a} with friends once."],
        ["What is {whose} favorite food?", "What {does} {who} like to eat?"],
    ),
    Slot(
        "car",
        CARS,
        ["I drive a {a}.", "My car is a {a}.", "I own a {a}."],
        ["I sold my {a} and bought a {b}.", "I drive a {b} now.", "I traded in my {a} for a {b}."],
        ["I'm thinking of selling my {a}."],
        ["My {a} needs new tires."],
        ["What car {does} {who} drive?", "What kind of car {does} {who} have?"],
    ),
    Slot(
        "pet",
        NAMES,
        ["My dog's name is {a}.", "I have a dog called {a}.", "Our dog {a} is three years old."],
        [
            "Sadly {a} passed away, and we adopted a new dog named {b}.",
            "We renamed our dog {b}.",
            "Our dog is called {b} now.",
        ],
        ["I think I might have to rehome {a}."],
        ["{a} loves long walks.", "I took {a} to the vet."],
        [
            "What is {whose} dog's name?",
            "What's the name of {whose} dog?",
            "{does} {who} have a pet?",
        ],
    ),
    Slot(
        "partner",
        PEOPLE,
        ["My girlfriend is {a}.", "I'm dating {a}.", "My partner's name is {a}."],
        [
            "I broke up with {a}, now I'm dating {b}.",
            "{a} and I split up; I'm with {b} now.",
            "My new partner is {b}.",
        ],
        ["Things with {a} have been rocky lately."],
        ["{a} and I went to the movies.", "{a} cooked dinner for me."],
        ["Who is {whose} partner?", "Who {is} {who} dating?", "{is} {who} in a relationship?"],
    ),
    Slot(
        "hobby",
        SPORTS,
        ["I play {a} every week.", "I've played {a} since I was a kid.", "I'm really into {a}."],
        [
            "I stopped playing {a}, I play {b} now.",
            "I gave up {a} and took up {b}.",
            "These days I play {b} instead of {a}.",
        ],
        ["I don't play {a} as much as I used to."],
        ["I watched a {a} match on TV.", "I bought new gear for {a}."],
        ["What {does} {who} play?", "What sport or instrument {does} {who} play?"],
    ),
    Slot(
        "diet",
        ["vegetarian", "vegan", "pescatarian", "on a keto diet", "gluten-free"],
        ["I'm {a}.", "I've been {a} for five years.", "I eat {a} food only."],
        [
            "I'm not {a} anymore, I started eating meat again.",
            "I stopped being {a}.",
            "I quit being {a} last month.",
        ],
        ["Being {a} is getting harder for me."],
        ["I found a great {a} restaurant."],
        ["{does} {who} have any dietary restrictions?", "What {does} {who} eat?"],
    ),
    Slot(
        "status",
        ["single", "engaged", "married", "divorced"],
        ["I'm {a}.", "I am {a} right now."],
        ["I'm not {a} anymore, I'm {b} now.", "I used to be {a}, but now I'm {b}."],
        ["I don't know how long I'll stay {a}."],
        ["My friends are mostly {a} too."],
        ["{is} {who} married?", "What is {whose} relationship status?"],
    ),
    Slot(
        "major",
        MAJORS,
        ["I study {a} at university.", "I'm majoring in {a}.", "My degree is in {a}."],
        ["I switched my major from {a} to {b}.", "I'm studying {b} now instead of {a}."],
        ["I'm having doubts about studying {a}."],
        ["My {a} exam is next week."],
        ["What {does} {who} study?", "What is {whose} major?"],
    ),
]


# Held out of training: the thresholds are chosen on kinds of facts the gates never saw.
VALIDATION_SLOTS = ("employer", "food")

_NEWS = [
    "",
    "",
    "",
    "",
    "Big news: ",
    "Guess what, ",
    "So, ",
    "Oh, by the way, ",
    "Update: ",
    "Just so you know, ",
    "Fun fact: ",
    "Honestly, ",
    "Well, ",
    "Hey! ",
]
_NEWS_END = [
    "",
    "",
    "",
    " last week!",
    " a few days ago.",
    " recently.",
    " haha",
    " and I love it.",
    " finally!",
    " this year.",
    " :)",
    "!",
]
_STATE_END = [
    "",
    "",
    "",
    " with my family.",
    " and I love it.",
    " for a while now.",
    " haha",
    " these days.",
    ", just so you know.",
    "!",
]


def slots(split: str) -> list[Slot]:
    """The slots for ``split``: "train", "val" (VALIDATION_SLOTS) or "all"."""
    if split == "all":
        return list(SLOTS)
    val = split == "val"
    return [s for s in SLOTS if (s.name in VALIDATION_SLOTS) == val]


def _decorate(text: str, rng: random.Random, starts: list[str], ends: list[str]) -> str:
    start, end = rng.choice(starts), rng.choice(ends)
    if end:
        text = text.rstrip(".!") + end
    if start:
        first, _, rest = text.partition(" ")
        if first in _LOWER_AFTER_START:
            first = first.lower()
        text = start + first + (" " + rest if rest else "")
    return text


_LOWER_AFTER_START = {"My", "We", "Our", "These", "Sadly", "Now", "Being", "Things"}


def filler(rng: random.Random) -> str:
    parts = [rng.choice(_ACKS) for _ in range(rng.choice([1, 1, 1, 2]))]
    text = " ".join(parts) + rng.choice(_ENDS)
    return text[0].upper() + text[1:] if rng.random() < 0.5 else text


_ECHO = [
    "Got it, {f}.",
    "I remember: {f}.",
    "Noted, {f}.",
    "So {f}?",
    "Oh nice, {f}!",
    "Right, {f}.",
    "Sure, I'll keep in mind that {f}.",
    "{F}, how lovely!",
    "As you told me, {f}.",
    "Yes, {f}.",
]
_YOUR = [
    (r"\bI'm\b", "you're"),
    (r"\bI've\b", "you've"),
    (r"\bI\b", "you"),
    (r"\bmy\b", "your"),
    (r"\bMy\b", "your"),
    (r"\bme\b", "you"),
    (r"\bam\b", "are"),
    (r"\bwe\b", "you"),
    (r"\bour\b", "your"),
    (r"\bOur\b", "your"),
]


def echo(rng: random.Random, fact_text: str) -> str:
    """What a bot says back about a stored fact: nothing new, so not worth storing again."""
    f = fact_text.rstrip(".!")
    if rng.random() < 0.6:  # bots paraphrase to "you" ... or quote the user verbatim
        for pattern, repl in _YOUR:
            f = re.sub(pattern, repl, f)
    return rng.choice(_ECHO).format(f=f, F=f[:1].upper() + f[1:])


def passing(rng: random.Random) -> str:
    return (
        rng.choice(["", "", "Ugh, ", "Honestly ", "So "])
        + rng.choice(_PASSING)
        + rng.choice([".", "!", "", " lol", " haha", ", long day.", " :("])
    )


def _two(rng: random.Random, values: list[str]) -> tuple[str, str]:
    a, b = rng.sample(values, 2)
    return a, b


def fact(rng: random.Random, slot: Slot, a: str) -> str:
    return _decorate(rng.choice(slot.state).format(a=a), rng, [""], _STATE_END)


def update(rng: random.Random, slot: Slot, a: str, b: str) -> str:
    return _decorate(rng.choice(slot.update).format(a=a, b=b), rng, _NEWS, _NEWS_END)


def fact_pairs(rng: random.Random, n: int, split: str = "train") -> list[tuple[str, str, int]]:
    """(old, new, action) with action 0 keep, 1 weaken, 2 supersede."""
    pool = slots(split)
    out = []
    for _ in range(n):
        slot = rng.choice(pool)
        a, b = _two(rng, slot.values)
        old = fact(rng, slot, a)
        kind = rng.random()
        if kind < 0.4:
            out.append((old, update(rng, slot, a, b), 2))
        elif kind < 0.55:
            out.append((old, _decorate(rng.choice(slot.doubt).format(a=a), rng, _NEWS, [""]), 1))
        elif kind < 0.7:
            out.append(
                (old, _decorate(rng.choice(slot.related).format(a=a), rng, _NEWS, _NEWS_END), 0)
            )
        elif kind < 0.8:  # the same fact again in other words: nothing to supersede
            out.append((old, fact(rng, slot, a), 0))
        elif kind < 0.9:  # the same kind of news about someone else: keep, either way round
            other = rng.choice(_OTHERS[slot.name]).format(p=rng.choice(_KIN), b=b)
            if rng.random() < 0.5:
                out.append((old, _decorate(other, rng, _NEWS, _NEWS_END), 0))
            else:
                out.append((_decorate(other, rng, [""], _STATE_END), update(rng, slot, a, b), 0))
        else:  # news about something else
            other = rng.choice([s for s in SLOTS if s is not slot])
            x, y = _two(rng, other.values)
            new = update(rng, other, x, y) if rng.random() < 0.5 else fact(rng, other, x)
            out.append((old, new, 0))
    return out


_WHO = [  # (who, does, is, whose, has, whom): a question may ask about the user in any person
    ("I", "do", "am", "my", "have", "me"),
    ("she", "does", "is", "her", "has", "her"),
    ("he", "does", "is", "his", "has", "him"),
    ("they", "do", "are", "their", "have", "them"),
    ("the user", "does", "is", "the user's", "has", "the user"),
    ("Ana", "does", "is", "Ana's", "has", "Ana"),
    ("Tom", "does", "is", "Tom's", "has", "Tom"),
]


def ask(rng: random.Random, template: str) -> str:
    """Fill a question's subject: "Where {does} {who} live?" -> "Where does she live?"."""
    who, does, is_, whose, _, _ = rng.choice(_WHO)
    q = template.format(who=who, does=does, whose=whose, **{"is": is_})
    return q[0].upper() + q[1:]


_YOU = [
    (re.compile(r"\b(do|does) you\b", re.I), "{does} {who}"),
    (re.compile(r"\b(did) you\b", re.I), "did {who}"),
    (re.compile(r"\bare you\b", re.I), "{is} {who}"),
    (re.compile(r"\bhave you\b", re.I), "{has} {who}"),
    (re.compile(r"\byou are\b", re.I), "{who} {is}"),
    (re.compile(r"\byou're\b", re.I), "{who} {is}"),
    (re.compile(r"\byour\b", re.I), "{whose}"),
    (re.compile(r"\byourself\b", re.I), "{whom}"),
    (re.compile(r"^you\b", re.I), "{who}"),
    (re.compile(r"\byou\b", re.I), "{whom}"),
]


def reperson(rng: random.Random, question: str, name: str | None = None) -> str:
    """A question put to "you" asked about the user instead: "What do you do?" ->
    "What does she do?" (a real question keeps its content; only its person changes).
    With ``name``, about that person: "What does Maria do?"."""
    if name is None:
        who, does, is_, whose, has, whom = rng.choice(_WHO)
    else:
        who, does, is_, whose, has, whom = name, "does", "is", f"{name}'s", "has", name
    q = question
    for pattern, repl in _YOU:
        q = pattern.sub(lambda _m, r=repl: r, q)
    q = q.replace("{does}", does).replace("{who}", who).replace("{is}", is_)
    q = q.replace("{whose}", whose).replace("{has}", has).replace("{whom}", whom)
    return q[0].upper() + q[1:] if q else q


def fact_questions(
    rng: random.Random, n: int, split: str = "train"
) -> list[tuple[str, str, list[str]]]:
    """(question, the fact that answers it, facts about other things)."""
    pool = slots(split)
    out = []
    for _ in range(n):
        slot = rng.choice(pool)
        a = rng.choice(slot.values)
        answer = (
            fact(rng, slot, a)
            if rng.random() < 0.7
            else update(rng, slot, rng.choice([v for v in slot.values if v != a]), a)
        )
        others = []
        for other in rng.sample([s for s in SLOTS if s is not slot], 4):
            others.append(fact(rng, other, rng.choice(other.values)))
        out.append((ask(rng, rng.choice(slot.questions)), answer, others))
    return out


_FIRST = [  # first-person forms -> (third-person form, with {name} for the person)
    (re.compile(r"^i am\b|^i'm\b", re.I), "{name} is"),
    (re.compile(r"^i have\b|^i've\b", re.I), "{name} has"),
    (re.compile(r"^i do not\b|^i don't\b", re.I), "{name} doesn't"),
    (re.compile(r"^i was\b", re.I), "{name} was"),
    (
        re.compile(r"^i (can|could|will|would|should|did|used|had|didn't|can't|won't)\b", re.I),
        "{name} \\1",
    ),
]
_ES = ("s", "sh", "ch", "x", "o", "z")
_ADVERBS = frozenset(
    "just also really only still never always usually often recently sometimes".split()
)
_PAST = frozenset(
    """grew went got made took knew began spent bought became came left lost met won wrote
    drove rode ran swam sang taught thought found felt kept sold told broke fell gave""".split()
)


def _past(verb: str) -> bool:
    return verb.endswith("ed") or verb in _PAST


def about(name: str, fact: str) -> str:
    """A first-person persona sentence said about its speaker by name: "I love to cook." ->
    "Maria loves to cook."; "My dog is old." -> "Maria's dog is old."."""
    s = fact.strip()
    for pattern, repl in _FIRST:
        if pattern.search(s):
            s = pattern.sub(repl.replace("{name}", name), s, count=1)
            break
    else:
        m = re.match(r"^i (\w+)\b", s, re.I)
        if m:
            verb = m.group(1).lower()
            if verb.endswith("y") and verb[-2:-1] not in "aeiou":
                verb = verb[:-1] + "ies"
            elif verb.endswith(_ES):
                verb += "es"
            else:
                verb += "s"
            s = f"{name} {verb}{s[m.end() :]}"
        elif re.match(r"^my\b", s, re.I):
            s = f"{name}'s{s[2:]}"
    s = re.sub(r"\bmy\b", "their", s, flags=re.I)
    s = re.sub(r"\bmyself\b", "themselves", s, flags=re.I)
    s = re.sub(r"\bme\b", "them", s, flags=re.I)
    s = re.sub(r"\bI\b", name, s)
    return s


def said_of(name: str, fact: str) -> str | None:
    """``about(name, fact)`` when it reads as a sentence about that person ("Maria loves to
    cook."); None when the fact does not open with its speaker ("Knitting is my passion.")
    or keeps a first person inside ("... where i feel at home.")."""
    s = about(name, fact)
    if not (s.startswith(name + " ") or s.startswith(name + "'s ")):
        return None
    if re.search(r"\b(?:i|i'm|i've|i'd|i'll)\b|'m\b|'s name\b", s, re.I):
        return None
    words = fact.lower().split()
    if len(words) > 1 and words[0] == "i" and (words[1] in _ADVERBS or _past(words[1])):
        return None  # about() would give "Maria justs woke up.", "Maria grews up ..."
    return s


# Turns that name someone but tell nothing to keep: "{n}" the name, "{them}"/"{their}" a pronoun.
_NAMED_GREETINGS = [
    "{n} says hi!",
    "{n} says hello to you lol",
    "{n} says thanks for the help earlier",
    "{n} wanted me to say thank you!!",
    "oh and {n} says hey",
    "{n} sends {their} love haha",
    "Quick message from {n}: thank you so much!",
    "{n} says good morning :)",
    "{n} is waving at the screen, say hi back lol",
    "my friend {n} says you're a lifesaver, thanks!",
]
_NAMED_REACTIONS = [
    "{n} is laughing so hard at your last answer lol",
    "{n} read that over my shoulder and lost it haha",
    "omg {n} can't stop giggling at this",
    "{n} thinks your joke was terrible lmao",
    "{n} just said 'wow' out loud",
    "haha {n} loved that one",
    "{n} rolled {their} eyes at your pun lol",
    "{n} is cracking up over here",
    "lol {n} says that's the best answer ever",
    "{n} went 'no way' when I showed {them} that",
]
_NAMED_REQUESTS = [
    "Can you help me write a birthday card for {n}?",
    "help me write a text to {n} saying I'll be late",
    "remind me to call {n} later",
    "What should I get {n} for {their} birthday?",
    "Can you write a short toast for {n}?",
    "write a funny thank-you note to {n} pls",
    "give me a gift idea for {n}, something under 20 bucks",
    "Remind me to text {n} back tonight",
    "Could you draft an apology message to {n} for me?",
    "{n} needs a nice goodbye message, can you write one?",
    "{n}'s card still needs a message, any ideas?",
]
_NAMED_QUESTIONS = [
    "should I text {n} back?",
    "Is it rude if {n} doesn't reply for a day?",
    "{n} left me on read lol, should I be worried?",
    "{n} invited me over, should I bring something?",
    "Do you think {n} was joking or serious??",
    "{n} sent me a thumbs up, what does that even mean haha",
    "how long should I wait before calling {n} back?",
    "Is it weird to send {n} a meme at midnight?",
    "{n} wants to know if you're a real person lol, are you?",
    "What's a good reply to {n}'s 'sup'?",
]
_NAMED_REMARKS = [
    "{n} would love this!",
    "{n} says you're funny",
    "{n} would totally agree with you haha",
    "omg {n} has to see this",
    "{n} thinks you're smarter than me lol",
    "I should show this to {n}",
    "{n} is gonna be so jealous I'm chatting with you",
    "{n} says you're way nicer than {their} phone's assistant",
    "ha, that sounds exactly like something {n} would say",
    "{n} wants you to know you're doing a great job!",
]
_NAMED_MOMENTS = [
    "{n} is making tea",
    "{n} just walked in lol",
    "oh {n} just texted me",
    "{n} just knocked over a glass of water haha",
    "{n} is calling me, brb",
    "hold on, {n} is at the door",
    "{n} just sneezed really loud lol",
    "{n} is making popcorn rn",
    "{n} just stole my fries omg",
    "gotta go, {n} needs the laptop",
]
_NAMED_CHATTER = [
    _NAMED_GREETINGS,
    _NAMED_REACTIONS,
    _NAMED_REQUESTS,
    _NAMED_QUESTIONS,
    _NAMED_REMARKS,
    _NAMED_MOMENTS,
]
# A state of someone's that passes within hours or days.
_NAMED_STATES = [
    "{n} is asleep right now",
    "{n} is on the way over",
    "{n} is stuck at work tonight",
    "{n} has a cold this week",
    "{n} is in a bad mood today",
    "{n} is at the dentist this afternoon",
    "{n} is out of town till Sunday",
    "{n} is busy all day today, so it's just me and you lol",
    "ugh {n} is running late",
    "{n}'s phone is dead so I can't reach {them} rn",
    "{n} is feeling a bit sick today",
    "{n} is at the gym right now",
    "{n} is working from home today",
    "{n} has a headache this morning :(",
    "heads up, {n} is stuck in traffic",
    "{n} is napping, so I have to be quiet haha",
    "{n} is super stressed this week",
    "{n} is babysitting tonight",
    "{n} is at a concert tonight!",
    "can't talk long, {n} is home sick today",
    "{n} is grumpy today lol",
    "{n} is on a call for the next hour",
    "{n} is visiting {their} parents this weekend",
    "{n} is off work today",
    "my friend {n} is at the doctor for a checkup this morning",
    "{n} is out with friends tonight",
    "omg {n} is so hungover today",
]
_PRONOUNS = [("him", "his"), ("her", "her"), ("them", "their")]  # (them, their)


def named_chatter(rng: random.Random) -> tuple[str, float]:
    """A turn that names someone but tells nothing to keep for months, with its label:
    0.0 for greetings, reactions, requests, questions and small talk involving them, 0.7
    for a passing state of theirs ("Ewa is asleep right now."). Persona-Chat tells facts
    only in the first person, so without these a turn that names someone is always a fact."""
    name = rng.choice(GIVEN_NAMES)
    them, their = rng.choice(_PRONOUNS)
    if rng.random() < 0.3:
        template, label = rng.choice(_NAMED_STATES), 0.7
    else:
        template, label = rng.choice(rng.choice(_NAMED_CHATTER)), 0.0
    return template.format(n=name, them=them, their=their), label
