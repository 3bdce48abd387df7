"""Generated requests about nothing a person told the memory: arithmetic, facts about the
world, programming, small talk and writing tasks. Calibration asks them of a memory full of
someone's conversation, so that what it learns says "nothing here" for them.

Made from templates and word lists of this module; the hand-written evaluation set
(benchdata/offtopic) is kept apart from it and is never read here.
"""

from __future__ import annotations

import random

_COUNTRIES = (
    "Chile Kenya Norway Vietnam Portugal Canada Egypt Mongolia Iceland Peru Ghana Finland "
    "Argentina Thailand Morocco Austria Nepal Cuba Poland Uruguay"
).split()
_THINGS = (
    "photosynthesis|inflation|the water cycle|plate tectonics|black holes|the French Revolution|"
    "compound interest|vaccines|the stock market|climate change|DNA replication|blockchains|"
    "the Roman Empire|quantum computing|supply and demand|volcanoes|the immune system|"
    "machine learning|the printing press|tides"
).split("|")
_WORDS = "ephemeral ubiquitous serendipity pragmatic ambivalent quixotic laconic esoteric".split()
_LANGS = "Python JavaScript Rust Go Java C++ SQL Bash TypeScript Ruby".split()
_CODE_TASKS = (
    "reverse a string|read a CSV file|sort a list of dictionaries by a key|make an HTTP request|"
    "parse JSON|remove duplicates from a list|check if a number is prime|write to a file|"
    "split a string on commas|get the current date|merge two sorted arrays|count words in a text|"
    "handle exceptions|run a function in parallel|connect to a database"
).split("|")
_ERRORS = (
    "TypeError: 'NoneType' object is not subscriptable|IndexError: list index out of range|"
    "SyntaxError: unexpected EOF while parsing|segmentation fault (core dumped)|"
    "undefined is not a function|NullPointerException|ModuleNotFoundError: No module named 'x'|"
    "permission denied (publickey)|fatal: not a git repository|CORS policy blocked the request"
).split("|")
_SNIPPETS = (
    "for i in range(10):\n    print(i * i)",
    "def f(xs):\n    return [x for x in xs if x % 2]",
    "SELECT name, COUNT(*) FROM orders GROUP BY name HAVING COUNT(*) > 3;",
    "const total = items.reduce((a, b) => a + b.price, 0);",
    "git rebase -i HEAD~3",
    "while (n > 0) { sum += n % 10; n /= 10; }",
)
_SMALL_TALK = (
    "hi|hello!|hey there|good morning|good evening :)|thanks!|thank you so much|cool|ok|lol|"
    "tell me a joke|tell me something interesting|how are you?|what's up?|are you a robot?|"
    "what can you do?|you're funny|nice one|bye for now|see you later|that's great|"
    "can you help me?|I'm bored|what's your name?|haha good one"
).split("|")
_TOPICS = "autumn|the sea|city lights|a cup of tea|mountains|rain|friendship|the moon".split("|")
_TARGETS = "Spanish French German Italian Japanese Portuguese Dutch".split()
_PHRASES = (
    "good morning|where is the train station|thank you very much|how much does this cost|"
    "I would like a coffee|see you tomorrow|the weather is nice today"
).split("|")
_SENTENCES = (
    "the meeting got moved to thursday cause of the holiday|"
    "pls send the report asap we need it for the client|"
    "the new policy applies to all staff starting next quarter|"
    "our quarterly revenue went up by twelve percent compared to last year"
).split("|")


def _arithmetic(rng: random.Random) -> str:
    a, b = rng.randint(2, 999), rng.randint(2, 99)
    return rng.choice(
        [
            f"What is {a} times {b}?",
            f"{a} + {b} = ?",
            f"what's {a} divided by {b}",
            f"Calculate {rng.randint(5, 60)}% of {a}.",
            f"What is the square root of {rng.choice([144, 169, 256, 625, 1024, 2025])}?",
            f"How many kilometres is {b} miles?",
            f"Convert {a} grams to pounds please",
            f"If a train goes {b} km/h for {rng.randint(2, 9)} hours, how far does it go?",
            f"{a}*{b}",
        ]
    )


def _knowledge(rng: random.Random) -> str:
    return rng.choice(
        [
            f"What is the capital of {rng.choice(_COUNTRIES)}?",
            f"Explain {rng.choice(_THINGS)} in simple terms.",
            f"How does {rng.choice(_THINGS)} work?",
            f"What does the word '{rng.choice(_WORDS)}' mean?",
            f"What language do they speak in {rng.choice(_COUNTRIES)}?",
            f"Who invented {rng.choice(['the telephone', 'the light bulb', 'the airplane'])}?",
            f"Give me three facts about {rng.choice(_THINGS)}.",
            f"What's the population of {rng.choice(_COUNTRIES)}?",
        ]
    )


def _coding(rng: random.Random) -> str:
    lang = rng.choice(_LANGS)
    return rng.choice(
        [
            f"How do I {rng.choice(_CODE_TASKS)} in {lang}?",
            f"What does this error mean: {rng.choice(_ERRORS)}",
            f"Write a {lang} function to {rng.choice(_CODE_TASKS)}.",
            f"What does this do?\n{rng.choice(_SNIPPETS)}",
            f"Why is this slow?\n{rng.choice(_SNIPPETS)}",
            f"{lang} vs {rng.choice(_LANGS)}, which is faster?",
        ]
    )


def _task(rng: random.Random) -> str:
    return rng.choice(
        [
            f"Translate '{rng.choice(_PHRASES)}' into {rng.choice(_TARGETS)}.",
            f"Write a haiku about {rng.choice(_TOPICS)}.",
            f"Rewrite this more formally: {rng.choice(_SENTENCES)}",
            f"Summarise in one line: {rng.choice(_SENTENCES)}",
            f"Fix the grammar: {rng.choice(_SENTENCES)}",
            f"Give me a title for a poem about {rng.choice(_TOPICS)}.",
        ]
    )


KINDS = {
    "arithmetic": _arithmetic,
    "general_knowledge": _knowledge,
    "coding": _coding,
    "small_talk": lambda rng: rng.choice(_SMALL_TALK),
    "task": _task,
}


def requests(rng: random.Random, n: int) -> list[str]:
    """``n`` off-topic requests, the kinds in turn."""
    makers = list(KINDS.values())
    return [makers[i % len(makers)](rng) for i in range(n)]
