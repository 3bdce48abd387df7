"""Synthetic (old, new, label) pairs for fact-supersession training.

A memory holds a first-person statement of one fact ("old").  Later the SAME
person says something ("new", 1-3 chat-style sentences).  The label says
whether "new" makes "old" stale for that person:

    2  SUPERSEDE  - the person's own fact really changed (explicitly, through
                    an event that implies it, by ending with no replacement,
                    told as a story, as excited news, naming the old value as
                    left, or without naming the old value at all)
    0  KEEP       - "new" is on the same topic, often names the same value or
                    a new value of the same kind, but the old fact stays true:
                    someone else's news, a visit or temporary stay, something
                    borrowed/rented/loaned, a wish, a hypothetical, a plan not
                    carried out, a question, an addition, a reaffirmation, the
                    past, a detail change, a denial of change, an event that
                    presupposes the value, an opinion, a return to the value.

KEEP and SUPERSEDE turns deliberately share vocabulary (moved, new, left,
got, switched ...) so surface words cannot decide.  About 55% of pairs are
KEEP because losing a true fact is costlier than missing a change.

Public API
    pairs(rng, n) -> list[(old, new, label)]   deterministic given rng
    KINDS                                       kinds of fact covered
    KEEP, SUPERSEDE                             label constants

Written for gatedmem by an assistant who read nothing of the project (its code, its
hand-written benchmarks in benchdata/, the shared data), so that its phrasing is its own;
its kinds of fact (``KINDS``) leave out every kind the updates benchmark holds out
(bank, commute, dentist, doctor, employer, job title, pay, team, hair, hobby, home type,
language, pets, phone, siblings, children, coffee order, birthday, health ...). It trains
the forget gate's change-words head (train.fit_change_words). Standard library only;
run the module to print samples and counts. Template lines are kept whole, however long,
so that they read as written.
"""

# ruff: noqa: E501

from __future__ import annotations

import random
import re
from collections import Counter

KEEP = 0
SUPERSEDE = 2
P_KEEP = 0.55

# ---------------------------------------------------------------------------
# shared fillers
# ---------------------------------------------------------------------------

PEOPLE = [
    "my sister",
    "my brother",
    "my cousin",
    "my best mate",
    "Dan",
    "Priya",
    "a friend from work",
    "Jess",
    "my neighbour",
    "Tom from uni",
    "my colleague",
    "Marco",
    "my aunt",
    "Aisha",
    "my mate Kieran",
    "one of my old school friends",
    "Hannah",
    "my uncle",
]
PEOPLE_POSS = [
    "my sister's",
    "my brother's",
    "my cousin's",
    "my best mate's",
    "Dan's",
    "Priya's",
    "Jess's",
    "my neighbour's",
    "Marco's",
    "my aunt's",
    "Aisha's",
    "Kieran's",
    "Hannah's",
    "my uncle's",
    "a mate's",
]
NUMS = ["two", "three", "four", "five", "six", "seven", "eight", "ten", "twelve"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
CITIES_AWAY = [
    "Rome",
    "Berlin",
    "Dublin",
    "Madrid",
    "Lisbon",
    "Paris",
    "Amsterdam",
    "Copenhagen",
    "Prague",
    "Vienna",
    "New York",
    "Barcelona",
]

# chatter that can precede the key sentence (neutral: implies nothing)
CHATTER = [
    "ok so.",
    "long day.",
    "hey!",
    "morning!",
    "random update:",
    "quick one.",
    "sorry I've been quiet.",
    "anyway.",
    "right.",
    "ugh what a week.",
    "haha ok.",
    "oh also,",
    "btw",
    "hiya.",
    "so, news of sorts.",
    "been meaning to say.",
    "hope you're well!",
    "evening!",
    "not much going on here.",
    "just got in.",
    "finally sat down.",
    "totally unrelated but",
    "random thought,",
    "hey you.",
    "what a week honestly.",
    "can't sleep so chatting.",
    "ok this is boring but",
    "little life update.",
    "oh and",
]
# chatter that can follow the key sentence
TAIL = [
    " lol",
    " haha",
    " anyway.",
    " how's your week going?",
    " how are you?",
    " just thought I'd mention it.",
    " that's my news.",
    " so yeah.",
    " weird week.",
    " anyway, how's things?",
    " more soon.",
    " fun times.",
    " life, eh.",
    " ok back to work.",
]
# ---------------------------------------------------------------------------
# kinds of fact
#   values: str or (form1, form2) tuples -> {v}/{w} and {v2}/{w2}
#   pick:   optional fn(rng) -> (v_tuple, w_tuple) for generated values
#   old:    first-person statements of the fact using {v}
#   keep:   {form: [templates]}; sup: {form: [templates]}
#   {a_X} = X with a/an;  {p} other person; {pp} other person's;
#   {n} number word; {mon} month; {away} some city
# ---------------------------------------------------------------------------


def _email_pick(rng):
    handles = [
        "sam.kerr",
        "jbarnes88",
        "alex.rowe",
        "mtaylor",
        "lucy.parks",
        "dani.w",
        "r.osei",
        "katmills",
        "ben.hughes",
        "nadia.k",
        "tomgreen",
        "el.morris",
    ]
    domains = [
        "gmail.com",
        "fastmail.com",
        "proton.me",
        "outlook.com",
        "icloud.com",
        "yahoo.co.uk",
        "hotmail.co.uk",
    ]
    h = rng.choice(handles)
    d1, d2 = rng.sample(domains, 2)
    h2 = rng.choice([h, h, h.replace(".", ""), h + str(rng.randint(1, 99))])
    return (h + "@" + d1,), (h2 + "@" + d2,)


def _number_pick(rng):
    def one():
        style = rng.randint(0, 2)
        if style == 0:
            return f"{rng.randint(1000, 9999):04d} {rng.randint(0, 9999):04d}"
        if style == 1:
            return f"{rng.choice(['BA', 'FF', 'MX', 'KL', 'EZ'])}{rng.randint(0, 9999999):07d}"
        return f"{rng.randint(100000000, 999999999):09d}"

    a = one()
    b = one()
    while b == a:
        b = one()
    return (a,), (b,)


_BEDTIMES = ["9:30", "10pm", "half ten", "11pm", "midnight", "1am", "2am"]


def _bedtime_pick(rng):
    """v has both earlier and later options; w any other time.
    Extra fields: we (earlier than v), wl (later than v)."""
    i = rng.randint(1, len(_BEDTIMES) - 2)
    j = rng.choice([k for k in range(len(_BEDTIMES)) if k != i])
    extra = {"we": rng.choice(_BEDTIMES[:i]), "wl": rng.choice(_BEDTIMES[i + 1 :])}
    return (_BEDTIMES[i],), (_BEDTIMES[j],), extra


_RENTS = ["£640", "£725", "£850", "£960", "£1,100", "£1,250", "£1,400"]


def _rent_pick(rng):
    """Extra fields: wh (higher than v), wlo (lower than v)."""
    i = rng.randint(1, len(_RENTS) - 2)
    j = rng.choice([k for k in range(len(_RENTS)) if k != i])
    extra = {"wh": rng.choice(_RENTS[i + 1 :]), "wlo": rng.choice(_RENTS[:i])}
    return (_RENTS[i],), (_RENTS[j],), extra


KIND_DEFS = {}

# -- home city ---------------------------------------------------------------
KIND_DEFS["home_city"] = dict(
    values=[
        "Leeds",
        "Bristol",
        "Glasgow",
        "Manchester",
        "Cardiff",
        "Porto",
        "Lyon",
        "Denver",
        "Melbourne",
        "Toronto",
        "Edinburgh",
        "Brighton",
        "Utrecht",
        "Valencia",
        "Norwich",
        "Sheffield",
        "Seattle",
        "Nottingham",
        "York",
        "Newcastle",
    ],
    old=[
        "I live in {v}.",
        "i'm based in {v}",
        "Home is {v} these days.",
        "I've been living in {v} for about {n} years now.",
        "I'm in {v}, moved here after uni.",
        "we live in {v}, pretty central",
        "born elsewhere but {v} is home now",
        "I live in {v} and honestly love it.",
        "i live in {v}",
        "My home is in {v}.",
    ],
    keep={
        "other_person": [
            "My sister just moved to {w}!",
            "{p} is moving to {w} next month, it's going to be weird without them around.",
            "{p} finally bought a place in {w}. So happy for them.",
            "ugh {p} is leaving {v} for {w}. the group chat is devastated",
            "{p} got the job in {w} so they're moving in the summer. I'll have a free place to stay at least lol",
        ],
        "visit_temp": [
            "In {w} for the week for work, hotel wifi is awful.",
            "Spending the weekend in {w} with friends, back Sunday.",
            "I'm in {w} till Thursday for a conference. The food is unreal.",
            "currently sitting in a cafe in {w}, quick trip to see some friends",
            "Got to {w} last night for a wedding, heading home Monday.",
        ],
        "borrowed": [
            "Housesitting for a friend in {w} this month, then back home.",
            "got a short let in {w} for the summer project, keeping my place in {v} though",
            "Staying at my aunt's in {w} while our kitchen gets redone. Two weeks, tops.",
        ],
        "wish": [
            "honestly could see myself retiring to {w} one day",
            "{w} looked so lovely on that show, part of me wants to pack up and go lol",
            "Someday I'd love a little place by the sea near {w}.",
            "The dream is to end up in {w} eventually. Dream being the key word.",
        ],
        "hypothetical": [
            "If I ever left {v} it'd be for somewhere by the sea.",
            "If the rent keeps going up I might have to think about {w}. But not yet.",
            "if i didn't have everyone here i'd probably be in {w} tbh",
            "Say I got the chance to move anywhere, it'd be {w}, no question.",
        ],
        "plan_not_done": [
            "Might look at places in {w} next year, nothing decided.",
            "We've been talking about moving to {w} at some point. Just talk for now.",
            "Applied for a transfer to {w}. Won't hear for months and it probably won't happen.",
            "had a look at some flats in {w} online last night. just browsing really",
        ],
        "question": [
            "Is {w} nicer to live in than {v}? asking for a friend lol",
            "What's the best area in {v} for brunch? I never go out on my side of town.",
            "has anyone actually moved from {v} to {w}? curious how it compares",
            "Do you know if the trains from {v} to {away} are running this weekend?",
        ],
        "reaffirm": [
            "Still in {v}, {n} years now and not going anywhere.",
            "People assume I moved but nope, still {v}.",
            "{v} for life honestly. Can't imagine being anywhere else.",
        ],
        "past": [
            "Back in my twenties I lived in {w} for a bit. Feels like a lifetime ago.",
            "used to live in {w} before this, don't miss the weather",
            "Grew up in {w}, went back for a school reunion last week. So strange.",
        ],
        "detail_change": [
            "Moved flats last weekend but still in {v}, just across town.",
            "New place is only ten minutes from the old one, still very much {v}.",
            "We moved! Only to the other side of {v} though, so not very exciting.",
        ],
        "denial": [
            "No, not moving to {w} after all. Staying put in {v}.",
            "people keep asking if I'm moving to {w} but nah, I'm staying",
            "The {w} thing fell through so I'm staying put. Honestly relieved.",
        ],
        "event_presupposes": [
            "{v} was flooded again last night, our street looked like a river.",
            "Bin strike in {v} is on week three now, the smell is unreal.",
            "Massive storm in {v} today. Lost power for an hour.",
            "there's a festival on in {v} all weekend so the whole town is rammed",
        ],
        "opinion": [
            "Honestly {v} in winter is so grim. Love it the rest of the year though.",
            "rent in {v} is getting ridiculous",
            "{v} gets a bad rep but I really like it here.",
        ],
        "return": [
            "Back home in {v} after three weeks away, so good to be home.",
            "flew back into {v} last night. my own bed!!",
        ],
    },
    sup={
        "explicit": [
            "Moved to {w} in {mon}, still unpacking.",
            "I live in {w} now, by the way.",
            "Quick update: I've relocated to {w}.",
            "finally made the move to {w} last month",
            "We're in {w} now! Moved a couple of weeks ago.",
        ],
        "implicit_event": [
            "Signed the lease on a place in {w} today! Moving in next week.",
            "Picked up the keys to my new flat in {w} this morning.",
            "First night sleeping in my new place in {w}. So many boxes.",
            "got my first council tax bill from {w}, guess it's official now",
            "Just registered to vote in {w}, now that I actually live here.",
        ],
        "ended": [
            "Handed the keys back and left {v}. No idea where I'll settle yet, sofa-surfing at friends' for now.",
            "gave up my place in {v}, going to travel for a while with no fixed address",
        ],
        "story": [
            "{v} was home for {n} years but we finally packed up and moved to {w} in {mon}.",
            "Funny how things go. Came to {v} for one year, stayed ages, and now I'm writing this from my new place in {w}.",
            "After everything this year we decided to start fresh. Moved down to {w} last month.",
        ],
        "excited": [
            "WE GOT THE FLAT IN {w}!!! moving saturday",
            "officially a {w} resident now!! still can't believe it",
            "Guess who lives in {w} now?! This girl!",
        ],
        "left_named": [
            "Left {v} for good last week. Weird feeling.",
            "said goodbye to {v} on Friday, the van's already unloaded at the new place",
            "So that's it, I'm out of {v}. New city, new start.",
        ],
        "unnamed": [
            "We moved! New city, new everything. Still finding my way around.",
            "Last box unpacked at the new place. Different city, same mess lol",
            "The move went fine. Still getting used to the new city, everyone's so friendly.",
        ],
    },
)

# -- neighbourhood -----------------------------------------------------------
KIND_DEFS["neighbourhood"] = dict(
    values=[
        "Headingley",
        "Clifton",
        "Hackney",
        "Didsbury",
        "Roath",
        "Leith",
        "Jesmond",
        "Kemptown",
        "Southville",
        "Ancoats",
        "Chorlton",
        "Meanwood",
        "Bearsden",
        "Walthamstow",
        "Stokes Croft",
        "Gorgie",
    ],
    old=[
        "I live in {v}, the north side of town.",
        "our place is in {v}, near the park",
        "I'm in {v}, it's a lovely neighbourhood.",
        "we live on a little street in {v}",
        "My flat's in {v}.",
        "been in {v} for ages, love the area",
    ],
    keep={
        "other_person": [
            "{p} just moved into {w}, we're practically neighbours now.",
            "{p} found a place in {w}. Jealous of all the cafés.",
            "my cousin's moving out of {v} next month, gutted",
        ],
        "visit_temp": [
            "Spent the whole day in {w} wandering round the markets.",
            "staying over at a friend's in {w} tonight, too late to get home",
        ],
        "wish": [
            "{w} is so pretty, could totally see myself there someday.",
            "every time I walk through {w} I daydream about living there",
        ],
        "hypothetical": [
            "if we ever had the money we'd be in {w} in a heartbeat",
            "If I didn't live in {v} I'd probably pick {w}.",
        ],
        "plan_not_done": [
            "Keeping an eye on listings in {w}, just browsing really.",
            "we went to see a flat in {w} on Saturday. not for us I don't think",
        ],
        "question": [
            "anyone know a good pub in {v}? feel like I've tried them all",
            "Is {w} as noisy as people say? Compared to {v} I mean.",
        ],
        "reaffirm": [
            "Still in {v}, wouldn't live anywhere else.",
            "{n} years in {v} now and I still find new little streets.",
        ],
        "past": [
            "when I first moved here I was in {w}, much louder",
            "I lived in {w} for a year when I was a student. Fun but chaotic.",
        ],
        "detail_change": [
            "Moved two streets over, still {v} though.",
            "New flat! Same neighbourhood, just a bigger kitchen.",
            "we switched to the flat upstairs, same building in {v}",
        ],
        "denial": [
            "Nope, the {w} place didn't work out. Staying in {v}.",
            "no we're not leaving {v}, I don't know where that rumour came from",
        ],
        "event_presupposes": [
            "They're finally fixing the potholes on my road in {v}.",
            "street party in {v} this weekend, the whole road's out",
            "Someone's opened a new bakery at the end of my street in {v}. Dangerous.",
        ],
        "opinion": [
            "{v} is getting so gentrified, six quid for a sandwich now",
            "Love {v} but the parking is a nightmare.",
        ],
        "return": [
            "Back in {v} after a fortnight away, it's nice to see the old street.",
        ],
    },
    sup={
        "explicit": [
            "Moved to {w} last month, finally settled in.",
            "I'm in {w} now, across the river from where I was.",
            "we've moved over to {w}, much quieter",
        ],
        "implicit_event": [
            "First morning waking up in {w}, the birdsong is ridiculous.",
            "Picked up the keys to our place in {w} today!",
            "my new local in {w} does the best Sunday roast, so glad we moved",
        ],
        "story": [
            "We were in {v} for {n} years, but last month we moved over to {w}.",
            "Loved {v}, but with the noise and the rent it was time. We're in {w} now.",
        ],
        "excited": [
            "we're {w} people now!!! moved on saturday",
            "GOT THE FLAT in {w}!!! moving in next week and already unpacked in my head",
        ],
        "left_named": [
            "Left {v} last week, bit sad about it honestly. New place in {w} is bigger though.",
            "said bye to {v} and our old street on Sunday. new neighbourhood feels weird",
        ],
        "unnamed": [
            "Moved across town at the weekend, completely different area.",
            "new neighbourhood, new corner shop, new everything. getting used to it",
        ],
    },
)

# -- car -----------------------------------------------------------------------
KIND_DEFS["car"] = dict(
    values=[
        "Golf",
        "Yaris",
        "Civic",
        "Fiesta",
        "Corsa",
        "Octavia",
        "Model 3",
        "Focus",
        "Leaf",
        "Clio",
        "Polo",
        "Qashqai",
        "Prius",
        "Mini",
        "Astra",
        "Jazz",
        "Outback",
        "Kuga",
    ],
    old=[
        "I drive {a_v}.",
        "my car's {a_v}, nothing fancy",
        "I've got {a_v}, had it a few years.",
        "i drive an old {v}",
        "My car is {a_v}.",
        "I get around in {a_v}, mostly for weekends",
        "we've got {a_v}, it's my car really",
    ],
    keep={
        "other_person": [
            "{p} is getting {a_w}, won't stop talking about it.",
            "Dan just bought {a_w}! Took me for a spin, very smooth.",
            "my neighbour parked a brand new {w} outside, I'm a bit jealous",
        ],
        "borrowed": [
            "Driving a rental while the {v} is in the shop.",
            "Borrowed {pp} {w} for the weekend, so weird driving something else.",
            "Got a courtesy {w} from the garage till Friday. Nice but give me my {v} back.",
            "hired {a_w} for the trip to {away}, way too big for me",
        ],
        "wish": [
            "honestly the new {w} looks gorgeous. one day...",
            "Could totally see myself in {a_w} when the {v} finally gives up.",
        ],
        "hypothetical": [
            "If I ever replace the {v} it'd probably be something electric.",
            "if i won the lottery first thing i'd do is get {a_w} lol",
        ],
        "plan_not_done": [
            "Test drove {a_w} on Saturday. Not buying anything, just looking.",
            "thinking about trading in the {v} next year maybe, no rush",
        ],
        "question": [
            "Is {a_w} any good on motorways? Comparing it to my {v}.",
            "how often should the {v} get a service? I always forget",
        ],
        "addition": [
            "We got a second car, {a_w} for my partner. I'm still in the {v}.",
            "Picked up a cheap {w} as a second car for the weekends, the {v} stays my main one.",
        ],
        "reaffirm": [
            "Still driving the {v}, {n} years and counting.",
            "the old {v} just passed 150k miles and keeps going",
        ],
        "past": [
            "My first car was {a_w}. Loved that thing.",
            "used to drive {a_w} back in uni, it had no heating",
        ],
        "detail_change": [
            "The {v} got new tyres today, drives like new.",
            "Got the {v} resprayed. Same car, but it looks brand new.",
            "had a new clutch put in the {v}, wallet is crying",
        ],
        "denial": [
            "No I didn't sell the {v}, that was just an advert I was looking at lol",
            "people keep telling me to get rid of the {v} but I'm keeping it",
        ],
        "event_presupposes": [
            "My {v} failed its MOT, annoying.",
            "someone dinged my {v} in the car park and didn't leave a note",
            "The {v}'s battery died again this morning. Had to get a jump start.",
        ],
        "opinion": [
            "Love my {v} but the boot is tiny.",
            "the {v} is honestly the most reliable thing in my life",
        ],
        "return": [
            "Got the {v} back from the garage finally, so good to have it back.",
        ],
    },
    sup={
        "explicit": [
            "I drive {a_w} now, traded the {v} in.",
            "Swapped the {v} for {a_w} last week.",
            "switched to {a_w} in {mon}, love it so far",
        ],
        "implicit_event": [
            "Picked up the keys to the new {w} this morning!",
            "Just finished my first road trip in the new {w}.",
            "insurance came through for the {w}, cheaper than the old car was",
        ],
        "ended": [
            "Sold the {v}. Going car-free for a while.",
            "The {v} got written off. I'm fine, but no car for now.",
            "gave my {v} to my niece, it's bikes and buses for me now",
        ],
        "story": [
            "The {v} was my car for {n} years, finally traded it in last weekend.",
            "end of an era... the {v} went to the scrapyard on Friday",
        ],
        "excited": [
            "NEW CAR!!! {a_w}, collected it today",
            "got the {w}!!! can't stop grinning",
        ],
        "left_named": [
            "Said goodbye to the {v} today, the dealer took it for part-ex.",
        ],
        "unnamed": [
            "Finally replaced my old car. The new one has heated seats!",
            "new car smell is the best smell, I'm never getting out of it",
        ],
    },
)

# -- allergy -------------------------------------------------------------------
KIND_DEFS["allergy"] = dict(
    values=[
        ("peanuts", "peanut"),
        ("shellfish", "shellfish"),
        ("sesame", "sesame"),
        ("kiwi", "kiwi"),
        ("tree nuts", "tree nut"),
        ("strawberries", "strawberry"),
        ("eggs", "egg"),
        ("mustard", "mustard"),
        ("celery", "celery"),
    ],
    old=[
        "I'm allergic to {v}.",
        "just so you know I have {a_v2} allergy",
        "I've got a pretty bad {v2} allergy.",
        "i'm allergic to {v}, properly allergic",
        "{v}? can't go near it, I'm allergic",
        "I have {a_v2} allergy.",
    ],
    keep={
        "other_person": [
            "{p} just found out they're allergic to {w}, poor thing.",
            "{pp} little one has {a_w2} allergy, scary stuff",
        ],
        "question": [
            "Is it normal for {a_v2} allergy to get worse with age?",
            "any good {v2}-free snack recommendations? getting bored of the same ones",
        ],
        "reaffirm": [
            "Yep, still allergic to {v}, the test confirmed it again.",
            "{n} years on and the {v2} allergy hasn't budged.",
        ],
        "detail_change": [
            "Got a new EpiPen prescription, same {v2} allergy though.",
            "got a little allergy card for my wallet now, says {v} on it in big letters",
        ],
        "denial": [
            "No I didn't grow out of the {v2} allergy, that was {p}.",
            "people keep saying allergies fade but mine definitely hasn't",
        ],
        "event_presupposes": [
            "Had a reaction at a restaurant last night, they swore there was no {v2} in it.",
            "had to send my curry back, it had {v} in it. close call",
        ],
        "opinion": [
            "Being allergic to {v} makes eating out a nightmare.",
            "honestly the {v2} allergy is the most annoying thing about me",
        ],
        "addition": [
            "turns out I'm also allergic to {w} now, on top of {v}. great.",
        ],
        "hypothetical": [
            "If I wasn't allergic to {v} I'd be eating {v2} everything, honestly.",
        ],
        "wish": [
            "Would love just one day without checking every label for {v}.",
        ],
        "past": [
            "As a kid I was allergic to {w} too but grew out of that one.",
        ],
    },
    sup={
        "explicit": [
            "Allergy test came back: I'm not allergic to {v} after all! It's actually {w}.",
            "update: apparently I've outgrown the {v2} allergy",
        ],
        "implicit_event": [
            "Had {v} for the first time in years and nothing happened, the allergy clinic says I'm clear.",
            "did the hospital food challenge with {v} and passed!! allowed to have it now",
        ],
        "ended": [
            "Officially no longer allergic to {v}.",
            "the {v2} allergy is gone, no more carrying the EpiPen everywhere",
        ],
        "story": [
            "I was allergic to {v} my whole life, but the latest tests say it's gone.",
        ],
        "excited": [
            "I CAN HAVE {v} NOW!!! the allergy is gone",
        ],
        "unnamed": [
            "the allergy clinic cleared me today, turns out I outgrew it. no more checking labels!",
        ],
    },
)

# -- diet ----------------------------------------------------------------------
KIND_DEFS["diet"] = dict(
    values=["vegetarian", "vegan", "pescatarian", "plant-based"],
    old=[
        "I'm {v}.",
        "i've been {v} for {n} years",
        "I'm {v}, have been for a while.",
        "just fyi I'm {v}",
        "I follow a {v} diet.",
        "I eat {v}, mostly for ethical reasons",
    ],
    keep={
        "other_person": [
            "{p} just went {w}, good luck to them lol",
            "{p} is trying {w} for a month and is already moaning about it.",
        ],
        "past": [
            "I was {w} for a while in uni, didn't last.",
            "used to be {w} before this, it was a lot",
        ],
        "return": [
            "Back to {v} after a bit of a wobble over the holidays, feels good.",
            "ok the meat month experiment is over, back to being {v} and honestly relieved",
        ],
        "hypothetical": [
            "If I ever stopped being {v} it'd be for my nan's roast dinner lol",
        ],
        "question": [
            "anyone know a good {v} place near the station?",
            "What's the best source of protein when you're {v}? Running out of ideas.",
        ],
        "reaffirm": [
            "Still {v}, {n} years in and I don't miss anything.",
            "yep, still {v}, my family have finally stopped asking",
        ],
        "detail_change": [
            "Switched from oat milk to soy, still {v} though.",
            "Started meal prepping my {v} lunches on Sundays, game changer.",
        ],
        "denial": [
            "No I haven't given up being {v} lol, that photo was a veggie burger",
            "people keep trying to tempt me with bacon but I'm staying {v}",
        ],
        "opinion": [
            "Being {v} at a wedding buffet is a nightmare.",
            "honestly being {v} is so much easier than it used to be",
        ],
        "event_presupposes": [
            "Made a full {v} Christmas dinner for eight people and nailed it.",
        ],
        "wish": [
            "Part of me would love to try going {w} one day.",
        ],
        "plan_not_done": [
            "thinking about trying {w} for a bit, haven't started",
        ],
    },
    sup={
        "explicit": [
            "I've switched to {w}, as of this month.",
            "went {w} in January and I'm sticking with it",
        ],
        "implicit_event": [
            "Had my first burger in {n} years yesterday and honestly loved it.",
            "my mum made her lamb roast on sunday and I had seconds. I think I'm done with the {v} thing",
        ],
        "ended": [
            "I'm not {v} anymore, started eating meat again in {mon}.",
            "Gave up being {v} last month.",
        ],
        "story": [
            "I was {v} for {n} years but I've been eating meat again since the summer.",
        ],
        "excited": [
            "went full {w} this month and I feel amazing!!",
        ],
        "left_named": [
            "gave up the {v} thing, couldn't keep it up with all the travel",
        ],
        "unnamed": [
            "Ate a steak yesterday for the first time since I was a teenager. Feels weird but I'm back to eating everything.",
        ],
    },
)

# -- bedtime -------------------------------------------------------------------
KIND_DEFS["bedtime"] = dict(
    values=[],
    pick=_bedtime_pick,
    old=[
        "I'm usually in bed by {v}.",
        "i go to sleep around {v} most nights",
        "lights out at {v} for me, I'm boring",
        "My bedtime is {v} on weeknights.",
        "I'm asleep by {v} pretty much every night.",
    ],
    keep={
        "other_person": [
            "{p} goes to bed at {w}, I don't know how they function.",
            "my flatmate's started going to bed at {w}, the flat is so quiet",
        ],
        "visit_temp": [
            "Been up till {wl} all week with this deadline, back to normal after Friday.",
            "On holiday so bedtime's out the window. Back to {v} next week.",
        ],
        "past": [
            "In my twenties I'd never be asleep before {wl}.",
        ],
        "hypothetical": [
            "If I didn't have to be up early I'd stay up till {wl} every night.",
        ],
        "wish": [
            "would love to be one of those people who's asleep by {we}",
        ],
        "plan_not_done": [
            "Thinking of trying an earlier bedtime, maybe {we}. We'll see if I actually do it.",
        ],
        "question": [
            "is {v} a weird bedtime for someone my age?",
        ],
        "reaffirm": [
            "Still asleep by {v} every night, can't help it.",
            "yep still in bed by {v}, my friends think I'm ninety",
        ],
        "detail_change": [
            "Got blackout blinds. Still in bed by {v} but I sleep way better.",
            "started reading in bed instead of scrolling, still lights out at {v}",
        ],
        "denial": [
            "No, still going to bed at {v}. Last night was a one-off.",
        ],
        "event_presupposes": [
            "fell asleep on the sofa before {v} again lol",
        ],
        "opinion": [
            "Love my {v} bedtime, people can mock me all they want.",
        ],
        "return": [
            "back to my {v} bedtime after the holidays, body's thanking me",
        ],
    },
    sup={
        "explicit": [
            "I go to bed around {w} now, the old schedule stopped working.",
            "moved my bedtime to {w}, so far so good",
        ],
        "implicit_event": [
            "started the 6am gym classes so it's lights out at {we} for me now",
        ],
        "ended": [
            "Gave up on having a fixed bedtime. I just go when I'm tired now.",
        ],
        "story": [
            "For years it was bed at {v}, but since {mon} I've been going to bed at {w}.",
        ],
        "excited": [
            "new routine: in bed by {w} and I feel like a new person!!",
        ],
        "unnamed": [
            "My sleep schedule is completely different now, I'm a proper night owl these days.",
        ],
    },
)

# -- current book --------------------------------------------------------------
KIND_DEFS["book"] = dict(
    values=[
        "Middlemarch",
        "The Secret History",
        "Dune",
        "Piranesi",
        "Circe",
        "The Overstory",
        "Wolf Hall",
        "Project Hail Mary",
        "Normal People",
        "Anna Karenina",
        "Klara and the Sun",
        "Rebecca",
        "East of Eden",
        "The Goldfinch",
    ],
    old=[
        "I'm reading {v} at the moment.",
        "currently reading {v}, about halfway",
        "My current book is {v}.",
        "I've just started {v}.",
        "reading {v} right now, slowly",
        "I'm in the middle of {v}.",
    ],
    keep={
        "other_person": [
            "{p} is reading {w} and won't shut up about it.",
            "my book club picked {w} for next month, not started it yet",
        ],
        "addition": [
            "Started {w} alongside, one for daytime and one for bed.",
            "picked up {w} too, reading both at once like a maniac",
        ],
        "plan_not_done": [
            "{w} is next on my list once I finish {v}.",
        ],
        "wish": [
            "Want to read {w} someday, everyone raves about it.",
        ],
        "question": [
            "has anyone read {v}? no spoilers, just wondering if it gets better",
        ],
        "reaffirm": [
            "Still plodding through {v}. It's long.",
            "yep still on {v}, chapter 12 now",
        ],
        "past": [
            "read {w} last year, loved it",
        ],
        "detail_change": [
            "Switched to the audiobook of {v}, easier to get through.",
        ],
        "denial": [
            "No I haven't given up on {v} yet!",
        ],
        "event_presupposes": [
            "Left my copy of {v} on the train, had to buy another one.",
            "spilled tea all over {v}, pages are all wavy now",
        ],
        "opinion": [
            "{v} is slow but I'm kind of loving it.",
        ],
        "return": [
            "picked {v} back up after a week off",
        ],
        "borrowed": [
            "Borrowed {w} from {p} but haven't opened it, still on {v}.",
        ],
    },
    sup={
        "explicit": [
            "Finished {v} last night! Starting {w} now.",
            "Now reading {w}.",
        ],
        "ended": [
            "Finally finished {v}. What an ending.",
            "couldn't get into {v}, gave up at chapter 10",
        ],
        "story": [
            "Took me {n} months but {v} is done. Onto {w}.",
        ],
        "excited": [
            "just started {w} and i'm OBSESSED",
        ],
        "left_named": [
            "abandoned {v} halfway, life's too short",
        ],
        "unnamed": [
            "Started a new book tonight, already hooked.",
        ],
    },
)

# -- device (laptop) -----------------------------------------------------------
KIND_DEFS["laptop"] = dict(
    values=[
        "ThinkPad",
        "MacBook Air",
        "MacBook Pro",
        "Dell XPS",
        "Surface Laptop",
        "Framework",
        "Chromebook",
        "HP Spectre",
        "Asus Zenbook",
        "Acer Swift",
    ],
    old=[
        "I use {a_v} for everything.",
        "my laptop's {a_v}",
        "working off {a_v} these days",
        "I've got {a_v}, a few years old now.",
        "My laptop is {a_v}.",
    ],
    keep={
        "other_person": [
            "{p} just got {a_w}, kind of tempted ngl.",
            "{pp} {w} died so I'm helping them set up a new one.",
        ],
        "borrowed": [
            "Using a loaner {w} from IT while my {v} gets fixed.",
            "borrowed {pp} {w} for the weekend, the keyboard feels so weird",
        ],
        "addition": [
            "Got a cheap {w} for travel, the {v} stays as my main machine.",
        ],
        "plan_not_done": [
            "Looking at the new {w}, probably won't buy it though.",
        ],
        "wish": [
            "one day I'll treat myself to {a_w}",
        ],
        "question": [
            "How do you clear space on {a_v}? It's getting so slow.",
        ],
        "reaffirm": [
            "Still on the {v}, {n} years and still going.",
        ],
        "past": [
            "My first laptop was {a_w}, that thing weighed a tonne.",
        ],
        "detail_change": [
            "Got a new battery in the {v}, good as new.",
            "upgraded the RAM in my {v}, way faster now",
        ],
        "denial": [
            "nah not upgrading, the {v} is fine",
        ],
        "event_presupposes": [
            "Spilled tea on my {v}, it survived somehow.",
            "my {v} did a forced update in the middle of a call, classic",
        ],
        "opinion": [
            "Love my {v} but the fan noise is unreal.",
        ],
        "hypothetical": [
            "If the {v} ever dies I'm getting {a_w}.",
        ],
    },
    sup={
        "explicit": [
            "Switched to {a_w} last week, the {v} is retired.",
            "I'm on {a_w} now.",
        ],
        "implicit_event": [
            "Just finished setting up my new {w}, been transferring files all evening.",
        ],
        "ended": [
            "the {v} finally died, using my phone for everything until payday",
        ],
        "story": [
            "The {v} served me well for {n} years. Handed it down to my nephew and got {a_w}.",
        ],
        "excited": [
            "NEW LAPTOP!!! the {w} arrived this morning",
        ],
        "left_named": [
            "sold my {v} online, the new one arrives thursday",
        ],
        "unnamed": [
            "New laptop day! Spent all evening setting it up.",
        ],
    },
)

# -- email ---------------------------------------------------------------------
KIND_DEFS["email"] = dict(
    values=[],
    pick=_email_pick,
    old=[
        "my email is {v}",
        "You can reach me at {v}.",
        "Best email for me is {v}.",
        "i use {v} for everything",
        "My email address is {v}, in case you need it.",
    ],
    keep={
        "other_person": [
            "{pp} email changed to {w}, can you update the invite list?",
        ],
        "addition": [
            "Made a separate {w} for newsletters, but {v} is still my main one.",
        ],
        "visit_temp": [
            "sent that from my work account by mistake, {v} is still the one to use",
        ],
        "question": [
            "why does {v} keep sending things to spam?",
        ],
        "reaffirm": [
            "Yep still {v}, had it since school.",
        ],
        "denial": [
            "No, I haven't changed my email, {v} still works fine.",
        ],
        "event_presupposes": [
            "{v} got hacked last night. Changed the password, all sorted.",
        ],
        "detail_change": [
            "changed the password on {v} and turned on two-factor",
        ],
        "opinion": [
            "{v} is so embarrassing now but it's on every account I own lol",
        ],
        "plan_not_done": [
            "Should really get a more grown-up address than {v} one day.",
        ],
        "hypothetical": [
            "if I ever make a new email I'll keep it simpler than {v}",
        ],
    },
    sup={
        "explicit": [
            "New email: {w}. The old one's getting shut down.",
            "please use {w} from now on",
        ],
        "implicit_event": [
            "I've stopped checking {v}, reach me at {w}.",
        ],
        "ended": [
            "deleted {v} for good, too much spam",
        ],
        "story": [
            "Had {v} since I was fifteen but finally moved everything over to {w}.",
        ],
        "left_named": [
            "ditched {v}, migrated everything to {w} this weekend",
        ],
        "unnamed": [
            "Switched email providers, will send you the new address.",
        ],
    },
)

# -- fitness routine -----------------------------------------------------------
KIND_DEFS["fitness"] = dict(
    values=[
        "CrossFit",
        "spin",
        "yoga",
        "bouldering",
        "Pilates",
        "boxing",
        "weightlifting",
        "kettlebells",
        "HIIT",
    ],
    old=[
        "I do {v} a few times a week.",
        "my workout is mostly {v}",
        "{v} three times a week, that's my thing",
        "I'm really into {v} for fitness.",
        "I do {v} on Mondays and Thursdays.",
    ],
    keep={
        "other_person": [
            "{p} just signed up for {w}, wants me to come along.",
        ],
        "visit_temp": [
            "Tried {w} on holiday, fun for a change.",
            "gym's closed for refurb so it's home workouts this week",
        ],
        "addition": [
            "Added {w} on Fridays on top of my usual {v}.",
        ],
        "plan_not_done": [
            "Might try {w} at some point, haven't got round to it.",
        ],
        "question": [
            "is it ok to do {v} two days in a row?",
        ],
        "reaffirm": [
            "Still doing {v}, {n} years now.",
        ],
        "past": [
            "did {w} for a year back in uni",
        ],
        "detail_change": [
            "Moved my {v} sessions to the mornings, still three times a week.",
        ],
        "denial": [
            "No I haven't quit {v}, just had a week off.",
        ],
        "event_presupposes": [
            "pulled something at {v} yesterday, ouch",
        ],
        "opinion": [
            "{v} is brutal but I love it.",
        ],
        "return": [
            "Back at {v} after two weeks off, legs are jelly.",
        ],
        "hypothetical": [
            "if {v} ever gets too much I'd probably switch to {w}",
        ],
        "wish": [
            "One day I'd love to get good enough at {w} to compete.",
        ],
    },
    sup={
        "explicit": [
            "I've switched from {v} to {w}.",
            "doing {w} now instead",
        ],
        "implicit_event": [
            "Cancelled my {v} membership and signed up for {w}.",
        ],
        "ended": [
            "quit {v}, my knees couldn't take it anymore",
            "Haven't worked out at all since {mon}. Need to sort that out.",
        ],
        "story": [
            "Did {v} for {n} years, but since the summer it's all {w}.",
        ],
        "excited": [
            "I'm a {w} convert!!! haven't done {v} in weeks",
        ],
        "left_named": [
            "Left the {v} classes behind in {mon}, wasn't enjoying them anymore.",
        ],
        "unnamed": [
            "Gave up my old workout, doing something totally different now.",
        ],
    },
)

# -- household -----------------------------------------------------------------
KIND_DEFS["household"] = dict(
    values=[
        "my partner",
        "my flatmate",
        "my mum",
        "my best friend",
        "my grandma",
        "my dad",
        "my cousin",
        "an old uni friend",
    ],
    old=[
        "I live with {v}.",
        "i live with {v}, it works pretty well",
        "It's me and {v} at home.",
        "I share a place with {v}.",
    ],
    keep={
        "other_person": [
            "{p} just moved in with their boyfriend, big step.",
            "{p} is finally living on their own, so jealous of the peace",
        ],
        "visit_temp": [
            "My cousin's crashing on our sofa till Sunday.",
            "{w} is staying with us for a couple of weeks while their place gets fixed.",
        ],
        "question": [
            "How do you split bills fairly when you live with {v}?",
        ],
        "reaffirm": [
            "Still living with {v}, we're like an old married couple at this point.",
        ],
        "detail_change": [
            "We swapped rooms, I've got the bigger one now.",
        ],
        "denial": [
            "no, {v} isn't moving out, that was just a rumour",
        ],
        "event_presupposes": [
            "{v} cooked dinner for me tonight, such a treat.",
        ],
        "opinion": [
            "Love living with {v} but I could do with some quiet.",
        ],
        "plan_not_done": [
            "thinking about living on my own at some point, no plans yet",
        ],
        "hypothetical": [
            "If {v} ever moved out I don't think I could afford this place alone.",
        ],
        "past": [
            "I lived with {w} back in uni, total chaos.",
        ],
        "addition": [
            "{w} moved in too, so it's a full house now.",
        ],
    },
    sup={
        "explicit": [
            "I live with {w} now.",
            "moved in with {w} last month",
        ],
        "ended": [
            "{v} moved out, it's just me now.",
            "living alone for the first time ever, it's so quiet",
        ],
        "story": [
            "Lived with {v} for {n} years, but that ended in {mon} and now it's {w} and me.",
        ],
        "excited": [
            "{w} and I got a place together!!!",
        ],
        "left_named": [
            "I moved out and left {v} to it. Got my own place.",
        ],
        "implicit_event": [
            "signed a lease just in my name, first time living solo",
        ],
        "unnamed": [
            "New living situation: it's just me and a very quiet flat.",
        ],
    },
)

# -- membership number ---------------------------------------------------------
KIND_DEFS["membership_number"] = dict(
    values=[],
    pick=_number_pick,
    old=[
        "my frequent flyer number is {v}",
        "For bookings, my membership number is {v}.",
        "Membership no. {v}, if you need it for the booking.",
        "my loyalty card number is {v}",
    ],
    keep={
        "other_person": [
            "{pp} number is {w}, can you add them to the booking too?",
        ],
        "question": [
            "Do I need my number {v} when I check in, or is the app enough?",
        ],
        "reaffirm": [
            "Yep, {v} is still my number, just checked the app.",
        ],
        "denial": [
            "no the number hasn't changed, still {v}",
        ],
        "detail_change": [
            "Got bumped up to silver tier, same number though.",
        ],
        "event_presupposes": [
            "{v} got me a free upgrade on the flight home!",
        ],
        "visit_temp": [
            "They gave me a temporary reference, {w}, while they sort the glitch out. My actual number's the same.",
        ],
        "addition": [
            "Also got a hotel rewards number, {w}, separate from the airline one.",
        ],
        "opinion": [
            "the points on {v} never seem to add up to anything",
        ],
    },
    sup={
        "explicit": [
            "My membership number changed, it's {w} now.",
            "new card arrived, number's {w}",
        ],
        "implicit_event": [
            "They merged my accounts and I've got a new number: {w}.",
        ],
        "ended": [
            "Closed that membership account, I don't use it enough to bother.",
        ],
        "story": [
            "Had {v} for {n} years but after the merger they issued everyone new numbers. Mine's {w}.",
        ],
        "unnamed": [
            "they reissued all the membership numbers after the merger, need to update it everywhere",
        ],
    },
)

# -- instrument ----------------------------------------------------------------
KIND_DEFS["instrument"] = dict(
    values=[
        ("guitar", "a guitar"),
        ("piano", "a piano"),
        ("violin", "a violin"),
        ("cello", "a cello"),
        ("drums", "a drum kit"),
        ("bass", "a bass"),
        ("saxophone", "a sax"),
        ("ukulele", "a ukulele"),
        ("trumpet", "a trumpet"),
        ("flute", "a flute"),
    ],
    old=[
        "I play the {v}.",
        "i play {v} in a little band",
        "Been playing the {v} since I was a kid.",
        "I play the {v}, mostly at home.",
    ],
    keep={
        "other_person": [
            "{p} just started learning the {w}, the noise through the wall is something.",
        ],
        "borrowed": [
            "Borrowing {pp} {w} to mess around on, but the {v} is still my thing.",
        ],
        "addition": [
            "Picked up the {w} as well, still playing {v} most days.",
        ],
        "wish": [
            "always fancied learning the {w} one day",
        ],
        "hypothetical": [
            "If I had more time I'd learn the {w}.",
        ],
        "plan_not_done": [
            "Thinking about lessons in the {w}, maybe next year.",
        ],
        "question": [
            "how many hours a day should I be practising the {v}?",
        ],
        "reaffirm": [
            "Still playing the {v} every evening.",
        ],
        "past": [
            "played the {w} in the school orchestra, hated it",
        ],
        "detail_change": [
            "Switched teachers, still doing the {v} though.",
        ],
        "denial": [
            "No I haven't given up the {v}!",
        ],
        "event_presupposes": [
            "Played the {v} at a friend's wedding on Saturday, nervous wreck.",
        ],
        "opinion": [
            "the {v} is such a satisfying instrument",
        ],
        "return": [
            "back on the {v} after a month off, fingers are sore",
        ],
    },
    sup={
        "explicit": [
            "I play the {w} now, swapped over from the {v}.",
        ],
        "implicit_event": [
            "Sold my {v} to buy {w2}. First lesson on Monday.",
        ],
        "ended": [
            "Gave up the {v}, just never had the time.",
        ],
        "story": [
            "Played the {v} for {n} years, but these days it's all {w}.",
        ],
        "excited": [
            "first {w} lesson today!!! I'm hooked, the {v} is going online",
        ],
        "left_named": [
            "sold my {v}, wasn't playing it anymore",
        ],
        "unnamed": [
            "Haven't touched an instrument since I moved. Honestly I think I'm done with music.",
        ],
    },
)

# -- favourite food (lifelong preference) ---------------------------------------
KIND_DEFS["favourite_food"] = dict(
    values=[
        "lasagne",
        "sushi",
        "pho",
        "curry",
        "tacos",
        "ramen",
        "paella",
        "dumplings",
        "pizza",
        "roast chicken",
        "pad thai",
    ],
    old=[
        "My favourite food is {v}.",
        "{v} is my all-time favourite",
        "I'd eat {v} every day if I could, it's my favourite.",
        "fave food? {v}, always has been",
    ],
    keep={
        "other_person": [
            "{pp} favourite is {w}, we can never agree on takeaway.",
        ],
        "past": [
            "as a kid I only ate {w} lol",
        ],
        "question": [
            "Know any places that do good {v} around here?",
        ],
        "reaffirm": [
            "{v} forever, nothing comes close.",
        ],
        "event_presupposes": [
            "Had {v} three nights in a row this week, no regrets.",
        ],
        "opinion": [
            "The {v} at that new place was disappointing. Still my favourite though.",
        ],
        "denial": [
            "No, {w} is nice but {v} is still my number one.",
        ],
        "addition": [
            "Been really into {w} lately too, but {v} is still my favourite.",
        ],
        "visit_temp": [
            "on a bit of a {w} kick this week",
        ],
        "hypothetical": [
            "If I had to eat one thing forever it'd still be {v}.",
        ],
    },
    sup={
        "explicit": [
            "{w} is my favourite now, honestly. {v} has been dethroned.",
        ],
        "ended": [
            "Went off {v} completely after that food poisoning, can't even look at it.",
        ],
        "story": [
            "{v} was my favourite for about {n} years but {w} has taken over.",
        ],
        "unnamed": [
            "weirdly my taste has completely changed, my old favourite just doesn't do it for me anymore",
        ],
        "excited": [
            "New favourite food alert!!! {w}, where has it been all my life",
        ],
        "implicit_event": [
            "can't stand {v} these days, no idea what happened",
        ],
    },
)

# -- manager -------------------------------------------------------------------
KIND_DEFS["manager"] = dict(
    values=[
        "Karen",
        "Marcus",
        "Dev",
        "Helen",
        "Tomasz",
        "Aisha",
        "Greg",
        "Priyanka",
        "Fiona",
        "Jonas",
        "Ruth",
        "Omar",
    ],
    old=[
        "My manager is {v}.",
        "I report to {v}.",
        "{v} is my boss, pretty decent",
        "my line manager is {v}",
    ],
    keep={
        "other_person": [
            "{p} got a new manager, sounds like a nightmare.",
        ],
        "visit_temp": [
            "{v} is on leave so {w} is covering for two weeks.",
        ],
        "question": [
            "how do I ask {v} for a day off without it being awkward?",
        ],
        "reaffirm": [
            "Still reporting to {v}, thank god.",
        ],
        "detail_change": [
            "{v} got promoted but I still report to them.",
        ],
        "denial": [
            "no, {v} isn't leaving, false alarm",
        ],
        "event_presupposes": [
            "{v} took the whole team out for lunch today.",
        ],
        "opinion": [
            "{v} micromanages but means well.",
        ],
        "plan_not_done": [
            "There's talk of a reorg, I might end up under {w}. Nothing official.",
        ],
        "hypothetical": [
            "If {v} ever left I'd probably leave too.",
        ],
        "past": [
            "my old boss {w} used to be way worse",
        ],
    },
    sup={
        "explicit": [
            "I report to {w} now after the reorg.",
        ],
        "implicit_event": [
            "Had my first one-to-one with my new manager {w} today.",
        ],
        "ended": [
            "{v} left the company last week, nobody's replaced them yet.",
        ],
        "story": [
            "{v} managed me for {n} years, but they moved teams and now it's {w}.",
        ],
        "left_named": [
            "said goodbye to {v} at leaving drinks, new boss starts Monday",
        ],
        "unnamed": [
            "Got a new manager this week, seems nice so far.",
        ],
    },
)

# -- medication ----------------------------------------------------------------
KIND_DEFS["medication"] = dict(
    values=[
        "sertraline",
        "propranolol",
        "metformin",
        "levothyroxine",
        "citalopram",
        "omeprazole",
        "amlodipine",
        "lisinopril",
    ],
    old=[
        "I take {v} every morning.",
        "i'm on {v}",
        "I'm on {v}, have been for a while.",
        "I take {v} daily.",
    ],
    keep={
        "other_person": [
            "{p} just started on {w}, asked me how I got on with mine.",
        ],
        "question": [
            "Can you drink on {v}? Asking before this wedding.",
        ],
        "reaffirm": [
            "Still on {v}, same dose.",
        ],
        "detail_change": [
            "Dose of {v} went up a bit, otherwise same.",
            "pharmacy gave me a different brand of {v}, same stuff",
        ],
        "denial": [
            "No I didn't come off {v}. Thought about it but staying on it.",
        ],
        "event_presupposes": [
            "forgot my {v} this morning, feel off",
        ],
        "opinion": [
            "{v} makes me so sleepy but it helps.",
        ],
        "addition": [
            "got prescribed {w} as well, on top of the {v}",
        ],
        "past": [
            "Was on {w} years ago, didn't suit me.",
        ],
        "plan_not_done": [
            "Thinking about asking about coming off {v} eventually, not yet though.",
        ],
        "return": [
            "back on {v} after the pharmacy mix-up, relieved",
        ],
    },
    sup={
        "explicit": [
            "Switched from {v} to {w} last month.",
        ],
        "ended": [
            "Stopped the {v} last month.",
            "officially off {v} now, tapered down over the summer",
        ],
        "implicit_event": [
            "First week on {w} instead, fingers crossed.",
        ],
        "story": [
            "I was on {v} for {n} years, finally came off it in {mon}.",
        ],
        "excited": [
            "medication-free for a month now!!!",
        ],
        "unnamed": [
            "They changed my medication completely, the new one starts tomorrow.",
        ],
    },
)

# -- parents -------------------------------------------------------------------
KIND_DEFS["parents"] = dict(
    values=[
        "Cornwall",
        "York",
        "Galway",
        "Norfolk",
        "Devon",
        "Aberdeen",
        "Kent",
        "the Algarve",
        "Lisbon",
        "Dorset",
        "Harrogate",
    ],
    old=[
        "My parents live in {v}.",
        "mum and dad are in {v}",
        "My folks live in {v}, I visit at Christmas.",
        "my parents are down in {v}",
    ],
    keep={
        "other_person": [
            "{pp} parents just moved to {w}, they love it.",
        ],
        "visit_temp": [
            "Mum and dad are in {w} for a fortnight, sending me a million photos.",
        ],
        "wish": [
            "my parents keep saying they'd love to retire to {w}",
        ],
        "plan_not_done": [
            "Parents are looking at bungalows in {w}, nothing decided.",
        ],
        "question": [
            "What's a good restaurant in {v} to take my parents to?",
        ],
        "reaffirm": [
            "Parents still in {v}, they'll never leave.",
        ],
        "detail_change": [
            "My parents redid their kitchen, it looks amazing.",
            "mum and dad downsized to a smaller place, same village",
        ],
        "denial": [
            "no, my parents aren't moving after all",
        ],
        "event_presupposes": [
            "{v} got flooded, my parents are fine though.",
        ],
        "opinion": [
            "Getting to my parents' in {v} takes forever.",
        ],
        "past": [
            "my parents lived in {w} when I was little",
        ],
    },
    sup={
        "explicit": [
            "My parents moved to {w} in {mon}.",
        ],
        "implicit_event": [
            "Helped my parents unpack at their new place in {w} this weekend.",
        ],
        "story": [
            "My parents were in {v} for {n} years but they finally sold up and moved to {w}.",
        ],
        "excited": [
            "mum and dad got the house in {w}!!!",
        ],
        "left_named": [
            "My parents left {v} last week, end of an era.",
        ],
        "unnamed": [
            "My parents have moved! New place is much closer to me.",
        ],
    },
)

# -- partner -------------------------------------------------------------------
KIND_DEFS["partner"] = dict(
    values=[
        "Tom",
        "Leah",
        "Sam",
        "Jess",
        "Ravi",
        "Ollie",
        "Mia",
        "Chris",
        "Nadia",
        "Ben",
        "Alex",
        "Zoe",
    ],
    old=[
        "I'm seeing {v}.",
        "my partner is {v}",
        "{v} and I have been together {n} years.",
        "i'm with {v}, it's going well",
    ],
    keep={
        "other_person": [
            "{p} just got engaged!",
        ],
        "detail_change": [
            "{v} and I had our first proper fight. We're fine though.",
            "{v} passed their driving test, so proud",
        ],
        "visit_temp": [
            "{v} is away in {away} for work, missing them.",
        ],
        "denial": [
            "No we didn't break up lol, people keep asking.",
        ],
        "past": [
            "my ex {w} texted me out of nowhere, weird",
        ],
        "question": [
            "What should I get {v} for Christmas?",
        ],
        "event_presupposes": [
            "{v} surprised me with tickets to a gig tonight!",
        ],
        "opinion": [
            "{v} is the best thing that's happened to me honestly.",
        ],
        "reaffirm": [
            "Still with {v}, {n} years now.",
        ],
        "addition": [
            "{v} moved in with me, so big step!",
        ],
    },
    sup={
        "explicit": [
            "I'm with {w} now.",
        ],
        "implicit_event": [
            "{w} and I are official now.",
        ],
        "ended": [
            "{v} and I broke up.",
            "we split up last month",
        ],
        "story": [
            "{v} and I were together {n} years, but we called it off in {mon}.",
        ],
        "left_named": [
            "moved out of {v}'s place after the breakup",
        ],
        "unnamed": [
            "I'm single again, long story.",
        ],
        "excited": [
            "I'm seeing someone new!!! {w}, met at a friend's party",
        ],
    },
)

# -- morning routine -----------------------------------------------------------
KIND_DEFS["morning_routine"] = dict(
    values=[
        ("a 5k run", "run"),
        ("a walk round the park", "walk"),
        ("a swim at the lido", "swim"),
        ("a bike ride along the river", "ride"),
        ("a jog along the canal", "jog"),
        ("a cold dip in the sea", "dip"),
    ],
    old=[
        "I start every day with {v}.",
        "{v} first thing every morning, non-negotiable",
        "My morning routine is {v} before anything else.",
    ],
    keep={
        "other_person": [
            "{p} has started doing {w} every morning, very smug about it.",
        ],
        "visit_temp": [
            "skipped {v} this week, I'm away with work",
        ],
        "addition": [
            "Added {w} after {v}, morning's getting long lol.",
        ],
        "question": [
            "Is {v} better before or after breakfast?",
        ],
        "reaffirm": [
            "still doing {v} every morning, {n} months streak",
        ],
        "detail_change": [
            "Doing my {v2} a bit earlier now to fit everything in.",
        ],
        "denial": [
            "No I haven't stopped my morning {v2}, just missed a couple of days.",
        ],
        "event_presupposes": [
            "it was pouring during my {v2} this morning, soaked",
        ],
        "opinion": [
            "My morning {v2} is the only thing keeping me sane.",
        ],
        "plan_not_done": [
            "Might switch things up and try {w} instead. We'll see.",
        ],
        "wish": [
            "would love to be the kind of person who does {w} every day",
        ],
        "return": [
            "Back to my morning {v2} after a week off, felt great.",
        ],
    },
    sup={
        "explicit": [
            "Switched my morning routine to {w} now.",
            "I do {w} in the mornings now instead",
        ],
        "ended": [
            "I've stopped my morning {v2}, mornings are just coffee and emails now.",
        ],
        "story": [
            "Did {v} every morning for {n} years, but since {mon} it's been {w}.",
        ],
        "implicit_event": [
            "gave up the morning thing, I'm doing evenings now",
        ],
        "excited": [
            "new routine!!! {w} every morning and I'm loving it",
        ],
        "left_named": [
            "dropped {v} from my routine, my knees weren't having it",
        ],
        "unnamed": [
            "Totally new morning routine these days, much calmer.",
        ],
    },
)

# -- school/university ---------------------------------------------------------
KIND_DEFS["university"] = dict(
    values=[
        "Greenhill University",
        "Northbrook College",
        "Kingsmere University",
        "St Aldric's College",
        "Riverside College",
        "Ashford University",
        "Harrowgate Uni",
    ],
    old=[
        "I'm studying at {v}.",
        "i'm a second year at {v}",
        "I'm at {v} doing history.",
        "Currently at {v}, loving it so far.",
    ],
    keep={
        "other_person": [
            "{p} just got into {w}!",
        ],
        "visit_temp": [
            "Visited {w} for an open day with my cousin.",
            "Doing a term abroad at {w}, back to {v} in January.",
        ],
        "plan_not_done": [
            "Thinking about doing my masters at {w}, nothing applied for yet.",
        ],
        "question": [
            "anyone know if the {v} library is open on Sundays?",
        ],
        "reaffirm": [
            "Still at {v}, final year now.",
        ],
        "detail_change": [
            "Switched modules, still at {v} though.",
            "moved into new halls, same uni",
        ],
        "denial": [
            "No I'm not dropping out of {v}, just a rough week.",
        ],
        "event_presupposes": [
            "{v} is on strike again, no lectures this week.",
        ],
        "opinion": [
            "{v} food is dire",
        ],
        "past": [
            "Did a summer course at {w} years ago.",
        ],
        "hypothetical": [
            "If I'd gone to {w} I'd probably have hated it.",
        ],
    },
    sup={
        "explicit": [
            "Transferred to {w} this term.",
            "I'm at {w} now",
        ],
        "implicit_event": [
            "First day at {w} tomorrow, nervous!!",
        ],
        "ended": [
            "Dropped out of {v}, taking some time to figure things out.",
            "graduated from {v} last week!!",
        ],
        "story": [
            "Spent {n} years at {v}, finally handed in the dissertation and I'm done.",
        ],
        "left_named": [
            "left {v} after first year, it wasn't for me",
        ],
        "unnamed": [
            "New uni, new me. Transferred over the summer.",
        ],
    },
)

# -- travel plan ---------------------------------------------------------------
KIND_DEFS["travel_plan"] = dict(
    values=[
        "Japan",
        "Iceland",
        "Portugal",
        "Mexico",
        "Vietnam",
        "Greece",
        "Canada",
        "Morocco",
        "New Zealand",
        "Peru",
    ],
    old=[
        "I'm going to {v} in {mon}.",
        "we've booked a trip to {v} for {mon}",
        "Big trip to {v} coming up in {mon}!",
    ],
    keep={
        "other_person": [
            "{p} is off to {w} next week, so jealous.",
        ],
        "wish": [
            "one day I'll do {w} too",
        ],
        "question": [
            "What should I pack for {v}?",
        ],
        "reaffirm": [
            "{v} trip still on for {mon}, counting down.",
        ],
        "detail_change": [
            "Moved our flights a day earlier, still {v} in {mon}.",
        ],
        "denial": [
            "no we didn't cancel {v}, still going!",
        ],
        "event_presupposes": [
            "Got my visa for {v} sorted today.",
        ],
        "opinion": [
            "flights to {v} cost a fortune but worth it",
        ],
        "addition": [
            "Adding a few days in {w} on the way to {v}.",
        ],
        "past": [
            "Went to {w} years ago, loved it.",
        ],
        "hypothetical": [
            "if {v} falls through we'd probably do {w}, but it won't",
        ],
    },
    sup={
        "explicit": [
            "We're going to {w} instead of {v} now.",
            "changed plans, it's {w} in {mon} now",
        ],
        "ended": [
            "Cancelled the {v} trip, just not the right time.",
            "had to scrap {v}, money's tight",
        ],
        "implicit_event": [
            "Got refunds for the {v} flights and booked {w}.",
        ],
        "story": [
            "We'd been planning {v} for a year but ended up switching to {w}.",
        ],
        "excited": [
            "booked {w}!!! couldn't resist, {v} can wait",
        ],
        "unnamed": [
            "Holiday plans totally changed, long story.",
        ],
    },
)

# -- anniversary ---------------------------------------------------------------
KIND_DEFS["anniversary"] = dict(
    values=[
        "June 14th",
        "the 3rd of May",
        "September 9th",
        "March 22nd",
        "October 1st",
        "the 18th of August",
        "December 5th",
        "July 27th",
    ],
    old=[
        "Our wedding anniversary is {v}.",
        "we celebrate our anniversary on {v}",
        "Anniversary's {v}, in case I forget to mention it.",
    ],
    keep={
        "other_person": [
            "{pp} anniversary is {w}, need to get them a card.",
        ],
        "question": [
            "Ideas for our anniversary on {v}? It's a big one.",
        ],
        "reaffirm": [
            "yep anniversary's still {v}, not something I'd forget lol",
        ],
        "event_presupposes": [
            "Booked dinner for {v}, our anniversary.",
        ],
        "plan_not_done": [
            "Might do a weekend away for the anniversary, haven't booked anything.",
        ],
        "opinion": [
            "{v} always falls in such a busy week.",
        ],
        "denial": [
            "No it's definitely {v}, my husband put it in the calendar wrong lol",
        ],
        "past": [
            "we had our first date on {w}, so we get two celebrations a year",
        ],
        "visit_temp": [
            "Celebrating on {w} this year because of travel, the real date's still {v}.",
        ],
    },
    sup={
        "explicit": [
            "Actually our anniversary is {w}, not {v}. I've been getting it wrong for years.",
        ],
        "ended": [
            "We're divorced now, so no more anniversaries.",
        ],
        "implicit_event": [
            "We renewed our vows on {w}, so that's our anniversary now.",
        ],
        "story": [
            "For years we celebrated on {v}, but since the vow renewal it's {w}.",
        ],
        "unnamed": [
            "we split up in the spring, so the anniversary's not a thing anymore",
        ],
    },
)

# -- streaming subscription ----------------------------------------------------
KIND_DEFS["streaming"] = dict(
    values=[
        "Netflix",
        "Disney+",
        "Spotify",
        "Prime Video",
        "Apple TV+",
        "Paramount+",
        "YouTube Premium",
        "Crunchyroll",
        "Mubi",
    ],
    old=[
        "I pay for {v}.",
        "we've got {v}",
        "I'm subscribed to {v}.",
        "i have {v}, it's the only one I pay for",
    ],
    keep={
        "other_person": [
            "{p} got {w}, I've been mooching off their login.",
        ],
        "borrowed": [
            "Using {pp} {w} login for the weekend.",
        ],
        "addition": [
            "Got {w} as well, for one show.",
        ],
        "question": [
            "Is {v} putting its prices up again?",
        ],
        "reaffirm": [
            "still paying for {v}, can't give it up",
        ],
        "detail_change": [
            "Upgraded {v} to the ad-free plan.",
        ],
        "denial": [
            "nah not cancelling {v}, too much good stuff on it",
        ],
        "event_presupposes": [
            "{v} was down all evening, so annoying.",
        ],
        "opinion": [
            "{v}'s catalogue is getting worse.",
        ],
        "visit_temp": [
            "Free trial of {w} for a month, mainly for one show.",
        ],
        "plan_not_done": [
            "Might cancel {v} after this series ends, we'll see.",
        ],
    },
    sup={
        "explicit": [
            "Switched from {v} to {w}.",
        ],
        "ended": [
            "Cancelled {v}.",
            "let {v} lapse, wasn't using it",
        ],
        "story": [
            "Had {v} for {n} years but finally cancelled it in {mon}.",
        ],
        "implicit_event": [
            "My {v} payment didn't go through and honestly I'm not renewing.",
        ],
        "left_named": [
            "ditched {v} for {w}, cheaper and better",
        ],
        "unnamed": [
            "cancelled all my subscriptions, too expensive",
        ],
    },
)

# -- rent ----------------------------------------------------------------------
KIND_DEFS["rent"] = dict(
    values=[],
    pick=_rent_pick,
    old=["My rent is {v} a month.", "i pay {v} rent", "Rent's {v} a month for my place."],
    keep={
        "other_person": [
            "{pp} rent is {wh}, makes mine look cheap.",
        ],
        "question": [
            "Is {v} a month reasonable for round here?",
        ],
        "reaffirm": [
            "rent's still {v}, landlord hasn't put it up yet",
        ],
        "denial": [
            "Landlord threatened to raise it but rent's staying at {v} for now.",
        ],
        "event_presupposes": [
            "Paid {v} rent today, ouch.",
        ],
        "opinion": [
            "{v} a month for this place is daylight robbery.",
        ],
        "plan_not_done": [
            "landlord mentioned maybe going up to {wh} next year, nothing confirmed",
        ],
        "hypothetical": [
            "If the rent ever hits {wh} I'm out.",
        ],
        "detail_change": [
            "Landlord finally fixed the boiler.",
        ],
        "past": [
            "Paid {w} at my old place, felt like a lot then.",
        ],
    },
    sup={
        "explicit": [
            "Rent went up to {wh} this month.",
        ],
        "implicit_event": [
            "New tenancy agreement says {w} a month from April.",
        ],
        "story": [
            "Rent was {v} for {n} years, now it's {w}.",
        ],
        "ended": [
            "Bought my own place, no more rent!!!",
        ],
        "unnamed": [
            "rent went up again. can't keep doing this",
        ],
        "excited": [
            "landlord dropped the rent!! {wlo} now",
        ],
    },
)

# -- volunteer role ------------------------------------------------------------
KIND_DEFS["volunteering"] = dict(
    values=[
        "at the food bank",
        "at a charity shop",
        "at the library",
        "at a hospice",
        "at a community garden",
        "with a literacy charity",
    ],
    old=[
        "I volunteer {v} on Saturdays.",
        "i volunteer {v} once a week",
        "I help out {v} most weekends.",
    ],
    keep={
        "other_person": [
            "{p} started volunteering {w}, they love it.",
        ],
        "addition": [
            "Also helping out {w} once a month now, still doing Saturdays {v}.",
        ],
        "question": [
            "how do I ask for fewer shifts {v}?",
        ],
        "reaffirm": [
            "Still volunteering {v}, {n} years now.",
        ],
        "detail_change": [
            "Moved my shift {v} to Sundays.",
        ],
        "denial": [
            "No I'm not quitting {v}, just took a week off.",
        ],
        "event_presupposes": [
            "busiest day ever {v} today, so many people",
        ],
        "opinion": [
            "Volunteering {v} is the best part of my week.",
        ],
        "plan_not_done": [
            "Thinking about also volunteering {w}.",
        ],
        "visit_temp": [
            "Filling in {w} for a couple of weeks while they're short.",
        ],
        "past": [
            "used to volunteer {w} in school",
        ],
    },
    sup={
        "explicit": [
            "I volunteer {w} now instead.",
        ],
        "ended": [
            "Stopped volunteering {v}, just couldn't fit it in.",
        ],
        "story": [
            "Volunteered {v} for {n} years, handed over my keys last week.",
        ],
        "left_named": [
            "left my role {v}, they threw me a little goodbye party",
        ],
        "unnamed": [
            "Stepped back from volunteering for now.",
        ],
        "excited": [
            "swapped to volunteering {w} and my first shift today was amazing!!",
        ],
    },
)

# -- club membership -----------------------------------------------------------
KIND_DEFS["club"] = dict(
    values=[
        ("book club", "a book club"),
        ("choir", "a choir"),
        ("chess club", "a chess club"),
        ("pub quiz team", "a pub quiz team"),
        ("walking group", "a walking group"),
        ("film society", "a film society"),
        ("knitting circle", "a knitting circle"),
    ],
    old=["I'm in {v2}.", "i'm part of {v2}, we meet on tuesdays", "I go to {v2} every week."],
    keep={
        "other_person": [
            "{p} joined {w2}, trying to get me along.",
        ],
        "addition": [
            "Joined {w2} as well, still doing my {v} on Tuesdays.",
        ],
        "question": [
            "any ideas for what my {v} should do for the christmas social?",
        ],
        "reaffirm": [
            "Still in my {v}, {n} years now.",
        ],
        "detail_change": [
            "My {v} moved to a new pub, same crowd.",
        ],
        "denial": [
            "No I haven't left the {v}!",
        ],
        "event_presupposes": [
            "my {v} had its christmas do last night",
        ],
        "opinion": [
            "Love my {v} but the politics are exhausting.",
        ],
        "visit_temp": [
            "Missing my {v} this month, away a lot.",
        ],
        "plan_not_done": [
            "Might try {w2} too.",
        ],
    },
    sup={
        "explicit": [
            "Left my {v} and joined {w2}.",
        ],
        "ended": [
            "quit my {v}",
            "Stopped going to the {v}, wasn't fun anymore.",
        ],
        "story": [
            "Was in my {v} for {n} years but gave it up in {mon}.",
        ],
        "unnamed": [
            "I'm not in any clubs anymore, needed my evenings back.",
        ],
    },
)

# -- favourite restaurant ------------------------------------------------------
KIND_DEFS["favourite_restaurant"] = dict(
    values=[
        "Luca's",
        "The Copper Kettle",
        "Mama Thai",
        "Bao Bar",
        "Rosie's Diner",
        "El Toro",
        "The Green Fork",
        "Pho Saigon",
        "Little Lisbon",
    ],
    old=[
        "My favourite restaurant is {v}.",
        "{v} is my favourite place to eat",
        "fave spot is {v}, been going for years",
    ],
    keep={
        "other_person": [
            "{p} swears by {w}.",
        ],
        "visit_temp": [
            "Tried {w} last night, decent but {v} is still the best.",
        ],
        "question": [
            "Does {v} take bookings or is it walk-in only?",
        ],
        "reaffirm": [
            "{v} still the best, went again last week",
        ],
        "event_presupposes": [
            "{v} has a new menu!",
        ],
        "opinion": [
            "{v} has gone up in price but it's still worth it.",
        ],
        "denial": [
            "No, {w} is nice but nowhere near {v}.",
        ],
        "past": [
            "Used to love {w} as a student.",
        ],
        "detail_change": [
            "{v} moved to a bigger place round the corner, still my favourite.",
        ],
    },
    sup={
        "explicit": [
            "{w} is my new favourite.",
        ],
        "ended": [
            "{v} closed down :(",
        ],
        "story": [
            "{v} was my go-to for {n} years, but {w} is the place now.",
        ],
        "implicit_event": [
            "{v} changed owners and it's just not the same, I've stopped going.",
        ],
        "unnamed": [
            "found a new favourite spot!",
        ],
        "excited": [
            "new favourite restaurant alert!!! {w}",
        ],
    },
)

# -- broadband provider --------------------------------------------------------
KIND_DEFS["broadband"] = dict(
    values=[
        "Virgin",
        "BT",
        "Sky",
        "TalkTalk",
        "Vodafone",
        "Plusnet",
        "Hyperoptic",
        "Community Fibre",
    ],
    old=[
        "We're with {v} for broadband.",
        "my internet is {v}",
        "I'm with {v} for internet, it's fine.",
    ],
    keep={
        "other_person": [
            "{p} just switched to {w}, says it's great.",
        ],
        "question": [
            "anyone know if {v} has outages in the area?",
        ],
        "reaffirm": [
            "Still with {v}, can't be bothered switching.",
        ],
        "denial": [
            "people keep asking but I'm staying with {v}",
        ],
        "event_presupposes": [
            "{v} went down again, brilliant.",
        ],
        "opinion": [
            "{v} customer service is a joke.",
        ],
        "detail_change": [
            "{v} upgraded us to faster speeds for free.",
        ],
        "plan_not_done": [
            "Might switch to {w} when the contract ends, haven't decided.",
        ],
        "visit_temp": [
            "Using my phone's hotspot while {v} fixes the line.",
        ],
        "past": [
            "Had {w} at my old place, it was awful.",
        ],
    },
    sup={
        "explicit": [
            "Switched to {w}.",
        ],
        "implicit_event": [
            "{w} engineer came round today to set everything up.",
        ],
        "ended": [
            "Cancelled {v}, just using mobile data now.",
        ],
        "story": [
            "Was with {v} for {n} years but finally moved to {w}.",
        ],
        "excited": [
            "fibre's in!!! {w} is SO fast",
        ],
        "left_named": [
            "left {v}, the contract's finally up and we've gone with {w}",
        ],
        "unnamed": [
            "new broadband provider as of today, so far so good",
        ],
    },
)


# ---------------------------------------------------------------------------
# second wave of templates, merged into the kinds above
# ---------------------------------------------------------------------------

EXTRA = {
    "neighbourhood": dict(
        keep={
            "borrowed": ["Plant-sitting for a friend in {w} this week. Back to {v} on Sunday."],
            "addition": ["we rented a little allotment over in {w}, still living in {v} of course"],
        },
        sup={
            "unnamed": [
                "We've left the old neighbourhood. New one's quieter, which I didn't expect to like this much."
            ],
        },
    ),
    "allergy": dict(
        keep={
            "visit_temp": [
                "Doing a 'safe foods' week for an allergy study, nothing's changed with the {v} thing though."
            ],
            "other_person": [
                "my partner tested for {w} and it came back positive, so now we're BOTH label readers lol"
            ],
            "question": [
                "do you think {w2} oil is ok if you're allergic to {v}? the packet is vague"
            ],
            "event_presupposes": [
                "Waiter asked about allergies and I said {v} like always, he went and checked the whole kitchen. Legend."
            ],
            "opinion": ["people think the {v2} thing is me being fussy. it is not."],
        },
        sup={
            "left_named": [
                "the {v2} allergy is officially a thing of the past, the clinic signed me off"
            ],
            "story": [
                "Carried an EpiPen for {v} for {n} years. As of Tuesday, I don't need to. Outgrew it apparently!"
            ],
        },
    ),
    "diet": dict(
        keep={
            "visit_temp": [
                "Staying with my in-laws for the week, they've been great about cooking {v} for me."
            ],
            "addition": ["also cutting out sugar now, on top of being {v}. send help"],
            "question": ["is it weird to bring my own food to a barbecue when I'm {v}?"],
            "event_presupposes": [
                "ordered the {v} option on the flight and they forgot it. classic."
            ],
        },
        sup={
            "implicit_event": [
                "Had bacon for breakfast for the first time in {n} years and didn't feel a shred of guilt. I think that chapter's closed."
            ],
            "unnamed": ["Finally admitted it's not for me anymore. Eating everything again."],
            "excited": ["ok big news, I've gone fully {w}!! cleared out the fridge yesterday"],
        },
    ),
    "bedtime": dict(
        keep={
            "other_person": ["{p} said they go to sleep at {w} and I genuinely gasped"],
            "addition": ["added a ten-minute stretch before bed, still lights out at {v}"],
            "visit_temp": ["Jet lag has me wide awake till {wl}, should settle in a few days."],
            "question": ["how do people stay up past {wl}? I'm gone by {v}"],
            "past": ["at uni I was going to bed at {wl}, no idea how I survived"],
        },
        sup={
            "explicit": ["I've switched to going to bed at {w}, it suits me way better."],
            "implicit_event": [
                "My alarm's set for 5 now, so it's bed at {we} every night. New era."
            ],
            "left_named": ["the {v} bedtime is gone, I just can't wind down that early anymore"],
            "story": [
                "I was a strict {v} person for years. Somewhere this year it drifted to {w} and it's stuck."
            ],
        },
    ),
    "book": dict(
        keep={
            "visit_temp": ["only got two pages of {v} read on holiday, too much sun"],
            "wish": ["really want to reread {w} sometime, maybe after {v}"],
            "hypothetical": ["if {v} doesn't pick up soon I might give up, but so far so good"],
            "addition": ["Started a short story collection in between chapters of {v}."],
            "opinion": ["whoever said {v} is slow was right but I'm hooked anyway"],
        },
        sup={
            "explicit": ["Done with {v}! On to {w} now, already loving it."],
            "implicit_event": [
                "Returned {v} to the library today and picked up {w}, started it on the bus home."
            ],
            "story": [
                "{v} and I had a long relationship. It's over now, finished it last night. {w} is next."
            ],
            "unnamed": ["finished my book! need to start something new, any recs?"],
            "excited": ["FINISHED {v}!!! what a ride. starting {w} tonight"],
        },
    ),
    "laptop": dict(
        keep={
            "other_person": ["helped {p} pick {a_w}, they're thrilled"],
            "visit_temp": [
                "work gave me {a_w} for the project, but I'm still on my {v} for everything personal"
            ],
            "return": ["got my {v} back from repair, felt like greeting an old friend"],
            "wish": ["that new {w} is gorgeous... nope, the {v} is fine. it's fine."],
            "question": ["is it worth getting a new battery for {a_v}, or does that not help?"],
        },
        sup={
            "implicit_event": [
                "Spent the evening moving all my files off the {v} onto the new {w}."
            ],
            "ended": [
                "My {v} got stolen from the train. Laptop-less for now, using the library ones."
            ],
            "unnamed": ["Finally upgraded my laptop, the old one was wheezing."],
            "explicit": ["treated myself to {a_w}, bye bye {v}"],
        },
    ),
    "email": dict(
        keep={
            "other_person": [
                "{p} just made a new email, {w}, and forgot the password the same day lol"
            ],
            "addition": ["Set up {w} for work stuff. Personal things still go to {v}."],
            "past": ["my first ever email was {w}, mortifying"],
            "reaffirm": ["yes {v} is still right, don't know why that form bounced"],
            "denial": [
                "the bounce wasn't because I changed it, {v} is still live, their system's just broken"
            ],
            "event_presupposes": [
                "{v} hit the storage limit again, had to delete a thousand photos"
            ],
        },
        sup={
            "excited": ["Finally got a sensible email!! it's {w} now, please update me"],
            "implicit_event": [
                "just set up forwarding from {v}, everything should go to {w} from now on"
            ],
            "unnamed": ["my old email's gone, I closed it down. will send the new one"],
        },
    ),
    "fitness": dict(
        keep={
            "other_person": ["{p} got really into {w}, I just nod along"],
            "borrowed": ["borrowed {pp} pass to try {w} once, fun but not for me"],
            "event_presupposes": ["{v} was packed tonight, new year's resolution crowd"],
            "reaffirm": ["yep, still doing {v}, just hit a new personal best"],
            "opinion": ["honestly {v} has done more for my mood than anything"],
        },
        sup={
            "explicit": ["Moved over to {w} now, {v} wasn't doing it for me anymore."],
            "implicit_event": [
                "Signed up for a year of {w} and cancelled the old membership the same day."
            ],
            "story": ["{v} was my thing for ages. These days you'll find me doing {w} instead."],
            "left_named": ["I've left {v} behind, my back needed a break from it"],
        },
    ),
    "household": dict(
        keep={
            "visit_temp": ["{v} is away for the month, weird having the place to myself."],
            "past": ["before this I lived with {w} for a couple of years, that was fun"],
            "other_person": ["{p} has moved back in with their parents to save money"],
            "question": [
                "any tips for living with {v} without killing each other? asking seriously lol"
            ],
            "detail_change": [
                "we finally got a proper dining table, {v} and I actually eat together now"
            ],
            "wish": ["sometimes I daydream about living alone but honestly I'd miss {v}"],
        },
        sup={
            "explicit": ["It's {w} and me now, {v} moved out in {mon}."],
            "implicit_event": ["{v} took the last of their boxes today. The spare room's empty."],
            "unnamed": ["Living on my own now, took a while to get used to the quiet."],
        },
    ),
    "membership_number": dict(
        keep={
            "question": ["would {v} work for the partner airline too, do you know?"],
            "reaffirm": ["still {v}, I've had it memorised for years"],
            "past": ["my old number with the other airline was {w}, no idea why I remember that"],
            "event_presupposes": ["logged in with {v} and finally had enough points for a flight!"],
            "other_person": ["{p} just signed up, their number is {w}"],
        },
        sup={
            "explicit": ["Update: my number's now {w}, the old one won't work."],
            "excited": ["new gold card came today!! new number too, {w}"],
            "left_named": ["scrapped {v}, it kept glitching, they gave me {w} instead"],
            "ended": ["cancelled my loyalty account completely, so {v} is dead"],
        },
    ),
    "instrument": dict(
        keep={
            "other_person": ["{p} bought {w2} on a whim and now I'm getting daily voice notes"],
            "visit_temp": ["left the {v} at home for the trip, my fingers are itching"],
            "event_presupposes": [
                "broke a string on the {v} mid-song last night, kept going somehow"
            ],
            "opinion": ["the {v} never gets easier, but that's the fun"],
        },
        sup={
            "explicit": ["switched to the {w}, the {v} just never clicked"],
            "implicit_event": [
                "Teacher says I'm ready for my first {w} exam! The {v} is gathering dust now."
            ],
            "ended": ["I've stopped playing altogether, the {v} went to a kid down the road"],
            "story": ["{n} years of {v} lessons and I've finally hung it up for good"],
        },
    ),
    "favourite_food": dict(
        keep={
            "wish": ["would kill for some {v} right now"],
            "plan_not_done": ["might try making {w} at home sometime, not that it'll replace {v}"],
            "question": ["what goes best with {v}? making it for friends saturday"],
            "detail_change": ["found a new {v} place nearer work. same favourite, better location"],
            "past": ["used to love {w} as a teenager, not so much now"],
        },
        sup={
            "explicit": ["Honestly {w} is my favourite now. Sorry {v}."],
            "left_named": ["I'm over {v}, had way too much of it last year"],
            "implicit_event": [
                "I order {w} every single time now, I think it's officially my favourite"
            ],
        },
    ),
    "manager": dict(
        keep={
            "other_person": ["{p} is managed by {w} and says they're lovely"],
            "visit_temp": ["{w} is standing in for {v} this week, very different vibe"],
            "reaffirm": ["yep still {v}, they're not going anywhere"],
            "event_presupposes": ["{v} forgot our one-to-one again"],
            "addition": ["I've got a project lead now too, {w}, but {v} is still my line manager"],
        },
        sup={
            "explicit": ["My manager's {w} now."],
            "implicit_event": ["{w} did my appraisal this year, so yeah, they're my boss now"],
            "excited": ["new boss is amazing!!! {w} is everything {v} wasn't"],
            "story": [
                "{v} was my manager for years. They retired in {mon}, and now I report to {w}."
            ],
        },
    ),
    "medication": dict(
        keep={
            "visit_temp": ["taking some antibiotics this week as well, nothing to do with the {v}"],
            "question": ["does {v} interact with ibuprofen? can't find a clear answer"],
            "reaffirm": ["yep still taking {v}, {n} years now"],
            "other_person": ["my mum's on {w} now, we compare notes lol"],
            "opinion": ["{v} is a pain to remember but I'm better on it"],
        },
        sup={
            "explicit": ["They've moved me onto {w} instead of {v}."],
            "left_named": ["I'm done with {v}, finished the taper on Friday"],
            "story": [
                "{v} was part of my morning for {n} years. Not anymore, came off it in {mon}."
            ],
        },
    ),
    "parents": dict(
        keep={
            "visit_temp": ["staying at my parents' in {v} this week, home cooking heaven"],
            "other_person": ["my in-laws moved to {w}, my parents are staying in {v} though"],
            "event_presupposes": ["my parents' street in {v} got new speed bumps, dad is furious"],
            "hypothetical": ["if my parents ever left {v} they'd probably go to {w}"],
            "return": ["My parents got back to {v} after a month of travelling."],
        },
        sup={
            "explicit": ["Mum and dad live in {w} now."],
            "implicit_event": ["First visit to my parents' new house in {w} this weekend."],
            "ended": [
                "My parents sold the house in {v} and they're living in a camper van now, touring Europe."
            ],
            "left_named": ["mum and dad finally left {v}, they're in {w} now"],
        },
    ),
    "partner": dict(
        keep={
            "other_person": ["{p} and their girlfriend broke up, feel awful for them"],
            "visit_temp": ["{v} is at their parents' for the week, the flat is so quiet"],
            "hypothetical": ["if {v} and I ever split I'd be a mess"],
            "reaffirm": ["Still with {v}, going strong!"],
            "question": ["any ideas for a date night? {v} and I are stuck in a rut"],
            "plan_not_done": ["{v} and I are talking about moving in together, nothing decided"],
        },
        sup={
            "explicit": ["Seeing {w} now, we met in {mon}."],
            "ended": ["it's over with {v}", "we broke up. I'm ok, honestly."],
            "story": ["{v} and I had a good run, {n} years. We ended it in {mon}."],
        },
    ),
    "morning_routine": dict(
        keep={
            "other_person": ["{p} tried copying my morning {v2} and gave up after two days lol"],
            "past": ["used to do {w} back when I lived by the coast"],
            "hypothetical": [
                "if it ever gets too cold I might swap my morning {v2} for {w}, but not yet"
            ],
            "reaffirm": ["never miss my morning {v2}"],
        },
        sup={
            "explicit": ["I've swapped my morning {v2} for {w}."],
            "implicit_event": ["since the baby arrived there's no time for {v} anymore, sadly"],
            "ended": ["no morning routine anymore, I just roll out of bed"],
        },
    ),
    "university": dict(
        keep={
            "other_person": ["{p} is transferring to {w}, I'm staying put"],
            "wish": ["would love to do a phd at {w} one day"],
            "event_presupposes": ["{v} has a new library and it's actually nice"],
            "reaffirm": ["still at {v}, exams in {mon}"],
        },
        sup={
            "excited": ["I'M A {w} STUDENT!!! transfer went through"],
            "explicit": ["switched universities, I'm at {w} now"],
            "unnamed": ["finished uni! no more lectures ever"],
        },
    ),
    "travel_plan": dict(
        keep={
            "wish": ["someday I'll do {w}, for now it's {v}"],
            "plan_not_done": ["thinking about adding {w} next year"],
            "question": ["anyone been to {v} in {mon}? what's the weather like?"],
            "reaffirm": ["all booked for {v}, counting the days"],
            "other_person": ["{p} just got back from {w}, showed me a million photos"],
        },
        sup={
            "explicit": ["Plans changed, we're doing {w} instead."],
            "implicit_event": ["Just booked flights to {w} and cancelled {v}."],
            "left_named": ["{v} is off the table, work got in the way"],
            "excited": ["it's official, {w} in {mon}!!! {v} can wait another year"],
        },
    ),
    "anniversary": dict(
        keep={
            "other_person": ["{p} and their wife celebrate on {w}, same week as ours"],
            "question": ["what's a good gift for an anniversary on {v}? it's our fifth"],
            "reaffirm": ["still {v}, don't worry I won't forget"],
            "event_presupposes": ["Got us tickets to a show for our anniversary on {v}."],
            "opinion": ["love that our anniversary's {v}, always good weather"],
            "plan_not_done": ["might move the celebration to {w} this year, nothing booked"],
        },
        sup={
            "explicit": ["we've moved our anniversary to {w}, long story"],
            "story": [
                "We celebrated on {v} for years. Turns out we'd got the date wrong, it's actually {w}."
            ],
            "left_named": ["{v} doesn't mean anything anymore since the divorce"],
        },
    ),
    "streaming": dict(
        keep={
            "visit_temp": ["on holiday so I've been using the hotel's {w}, weird interface"],
            "past": ["Used to have {w} back in uni."],
            "hypothetical": ["if {v} goes up again I'm out"],
            "reaffirm": ["still on {v}, my one luxury"],
        },
        sup={
            "implicit_event": ["{v} finally asked me to renew and I said no."],
            "excited": ["freed up so much money, no more {v}!!"],
            "explicit": ["switched to {w}, {v} got too expensive"],
        },
    ),
    "rent": dict(
        keep={
            "visit_temp": [
                "landlord gave us a month's discount while the kitchen's being redone, back to {v} in {mon}"
            ],
            "reaffirm": ["rent still {v}, miraculously"],
            "question": ["is {v} a month a lot for somewhere this size? I honestly don't know"],
            "other_person": ["{p} just moved and pays {wh}, which sounds mad"],
        },
        sup={
            "implicit_event": ["signed the renewal at {wh} a month, ouch"],
            "explicit": ["Rent's {wh} now, the increase kicked in this month."],
            "left_named": [
                "no more {v} rent, moved in with my partner and we split everything now"
            ],
            "ended": ["moved back in with my parents so no rent for now, saving like mad"],
        },
    ),
    "volunteering": dict(
        keep={
            "other_person": ["{p} got a place volunteering {w}, so proud"],
            "wish": ["one day I'd love to volunteer {w} too"],
            "hypothetical": ["if I had more time I'd volunteer {w} as well"],
            "reaffirm": ["still volunteering {v} every week"],
            "return": ["back volunteering {v} after my holiday, missed everyone"],
        },
        sup={
            "implicit_event": ["handed in my volunteer badge {v}, starting {w} next week"],
            "story": ["{n} years volunteering {v}, and I've just hung up my apron."],
            "explicit": ["swapped to volunteering {w}"],
        },
    ),
    "club": dict(
        keep={
            "other_person": ["{p} is in {w2} and keeps trying to recruit me"],
            "reaffirm": ["still going to the {v} every week, wouldn't miss it"],
            "past": ["was in {w2} at uni, lots of fun"],
            "return": ["back at my {v} after a month off, missed it"],
            "wish": ["would love to try {w2} too one day"],
        },
        sup={
            "explicit": ["I'm in {w2} now instead of my {v}."],
            "left_named": ["left the {v} last week, too much drama"],
            "implicit_event": ["gave back my {v} membership card today, done with it"],
            "excited": ["joined {w2}!!! first meeting tonight, and I finally quit the {v}"],
        },
    ),
    "favourite_restaurant": dict(
        keep={
            "other_person": ["{p} is obsessed with {w}, dragged me there on Friday"],
            "reaffirm": ["{v} forever, had the usual last night"],
            "event_presupposes": ["{v} was fully booked on Saturday, gutted"],
            "question": ["what's good at {v} apart from the usual?"],
            "wish": ["would love to try {w} someday"],
        },
        sup={
            "explicit": ["{w} has replaced {v} as my favourite."],
            "left_named": ["I've gone off {v}, the last three visits were bad"],
            "story": ["I was a {v} regular for {n} years. These days it's {w}."],
        },
    ),
    "broadband": dict(
        keep={
            "other_person": ["{p} is with {w} and swears it's better"],
            "reaffirm": ["still on {v}, it's fine"],
            "question": ["is {v} supposed to be this slow in the evenings?"],
            "addition": ["got a mobile broadband stick for trips, home internet is still {v}"],
        },
        sup={
            "explicit": ["We're on {w} now."],
            "implicit_event": ["The {w} router arrived today, plugged it in and we're online."],
            "ended": ["Cut off {v} and going without home internet for a while."],
        },
    ),
    "car": dict(
        keep={
            "wish": ["saw {a_w} in red today and honestly my heart skipped"],
            "question": ["what's the best tyre brand for {a_v}?"],
            "other_person": ["{p} just got rid of their {w}, finally"],
        },
        sup={
            "implicit_event": [
                "Took the new {w} to the car wash for the first time, felt like a proud parent."
            ],
            "left_named": [
                "waved goodbye to the {v} this morning, dealer's giving me a decent price for it"
            ],
        },
    ),
    "home_city": dict(
        keep={
            "addition": [
                "Bought a tiny place in {w} as a holiday let, still living in {v} though."
            ],
            "borrowed": [
                "subletting a room in {w} for the three-month contract, coming back to {v} after"
            ],
            "return": ["back in {v} after a month in {away}. weird how fast you miss home"],
        },
        sup={
            "explicit": ["I'm a {w} resident now, moved over the summer."],
            "implicit_event": [
                "Just signed up at the gym in {w}, since I live here now I might as well."
            ],
        },
    ),
}

for _k, _extra in EXTRA.items():
    for _part in ("keep", "sup"):
        for _form, _ts in _extra.get(_part, {}).items():
            KIND_DEFS[_k][_part].setdefault(_form, []).extend(_ts)


# ---------------------------------------------------------------------------
# engine
# ---------------------------------------------------------------------------

KINDS = list(KIND_DEFS)

_A_EXCEPT = ("uni", "one", "ukulele", "eu", "use", "euro")
_AN_EXCEPT = ("hp", "mot", "honest", "hour", "8", "11", "18")


def _article(s):
    first = s.split()[0].lower()
    if first.startswith(_A_EXCEPT):
        return "a " + s
    if first in _AN_EXCEPT or first[0] in "aeiou":
        return "an " + s
    return "a " + s


def _as_tuple(x):
    return x if isinstance(x, tuple) else (x,)


def _pick_values(kd, rng):
    extra = {}
    if "pick" in kd:
        got = kd["pick"](rng)
        v, w = got[0], got[1]
        if len(got) > 2:
            extra = got[2]
    else:
        v, w = rng.sample(kd["values"], 2)
    return _as_tuple(v), _as_tuple(w), extra


def _fields(kd, rng):
    v, w, extra = _pick_values(kd, rng)
    d = {"v": v[0], "w": w[0], "v2": v[-1], "w2": w[-1]}
    d.update(extra)
    for k in ("v", "w", "v2", "w2"):
        d["a_" + k] = _article(d[k])
    vals = {d["v"].lower(), d["w"].lower()}

    def other(pool):
        while True:
            x = rng.choice(pool)
            if not any(t in x.lower() or x.lower().split("'")[0] in t for t in vals):
                return x

    d["p"] = other(PEOPLE)
    d["pp"] = other(PEOPLE_POSS)
    d["n"] = rng.choice(NUMS)
    d["mon"] = rng.choice(MONTHS)
    d["away"] = rng.choice([c for c in CITIES_AWAY if c.lower() not in vals])
    return d


def _cap_first(s):
    for i, ch in enumerate(s):
        if ch.isalpha():
            return s[:i] + ch.upper() + s[i + 1 :]
    return s


_WORD = re.compile(r"[A-Za-z]{5,}")


def _typo(text, rng, protect):
    words = [
        m for m in _WORD.finditer(text) if not any(m.group().lower() in p.lower() for p in protect)
    ]
    if not words:
        return text
    m = rng.choice(words)
    w = m.group()
    i = rng.randint(1, len(w) - 3)
    op = rng.randint(0, 2)
    if op == 0:  # swap two letters
        w2 = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
    elif op == 1:  # drop a letter
        w2 = w[:i] + w[i + 1 :]
    else:  # double a letter
        w2 = w[:i] + w[i] + w[i:]
    return text[: m.start()] + w2 + text[m.end() :]


def _style_new(text, rng, protect, starts_with_slot):
    if starts_with_slot and rng.random() < 0.6:
        text = _cap_first(text)
    r = rng.random()
    if r < 0.22:
        pre = rng.choice(CHATTER)
        if pre[-1] not in ".!?" and not starts_with_slot:
            first = text.split()[0]
            if (
                first != "I"
                and not first.startswith("I'")
                and first.strip(",.!?") not in _proper_starts
            ):
                text = text[0].lower() + text[1:]
        text = pre + " " + text
    if rng.random() < 0.12 and not text.rstrip().endswith("?"):
        tail = rng.choice(TAIL)
        body = text.rstrip()
        if body[-1] not in ".!?" and tail not in (" lol", " haha"):
            body += "."
        text = body + tail
    if rng.random() < 0.2:
        text = text.lower()
    if rng.random() < 0.07:
        text = _typo(text, rng, protect)
    if rng.random() < 0.2 and text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    return text


_TAGGED = (
    "fyi",
    "just so you know",
    "by the way",
    "btw",
    "in case",
    "for the record",
    "so you know",
)


def _style_old(text, rng):
    """Wrap an old statement with at most one small aside."""
    tagged = any(t in text.lower() for t in _TAGGED)
    r = rng.random()
    body, end = text, ""
    if body[-1] in ".!":
        body, end = body[:-1], body[-1]
    if not tagged and r < 0.3:
        first = body.split()[0]
        if first != "I" and not first.startswith("I'") and first.strip(",.?") not in _proper_starts:
            body = body[0].lower() + body[1:]
        body = rng.choice(OLD_PRE_) + body
    elif not tagged and r < 0.5 and "," not in body:
        body = body + rng.choice(OLD_POST_)
    elif rng.random() < 0.5:
        body = _cap_first(body)
    if end and rng.random() < 0.7:
        body += end
    if rng.random() < 0.12:
        body = body.lower()
    return body


OLD_PRE_ = [
    "fyi ",
    "for the record, ",
    "just so you know, ",
    "oh and ",
    "in case it matters, ",
    "btw ",
    "so, ",
]
OLD_POST_ = [" btw", " by the way", ", just so you know", " if that matters", ", fyi"]


_proper_starts = set()
for _kd in KIND_DEFS.values():
    for _x in _kd["values"]:
        for _f in _as_tuple(_x):
            _proper_starts.add(_f.split()[0])


def _sample(rng):
    """One pair plus metadata: (old, new, label, kind, form)."""
    label = KEEP if rng.random() < P_KEEP else SUPERSEDE
    kind = rng.choice(KINDS)
    kd = KIND_DEFS[kind]
    group = kd["keep"] if label == KEEP else kd["sup"]
    form = rng.choice(sorted(group))
    tmpl = rng.choice(group[form])
    d = _fields(kd, rng)
    old = _style_old(rng.choice(kd["old"]).format_map(d), rng)
    new = tmpl.format_map(d)
    new = _style_new(new, rng, (d["v"], d["w"], d["v2"], d["w2"]), tmpl.startswith("{"))
    return old, new, label, kind, form


def pairs(rng, n):
    """n (old, new, label) tuples; label 0 KEEP / 2 SUPERSEDE; ~55% KEEP."""
    return [_sample(rng)[:3] for _ in range(n)]


def pairs_labelled(rng, n):
    """n (kind, old, new, label): ``pairs`` with the kind of fact (the same draw)."""
    return [
        (kind, old, new, label) for old, new, label, kind, _ in (_sample(rng) for _ in range(n))
    ]


def template_counts():
    """{(label, form): number of templates} over all kinds."""
    c = Counter()
    for kd in KIND_DEFS.values():
        for form, ts in kd["keep"].items():
            c[(KEEP, form)] += len(ts)
        for form, ts in kd["sup"].items():
            c[(SUPERSEDE, form)] += len(ts)
    return c


if __name__ == "__main__":  # a look at the data: samples, and counts by label and form
    _rng = random.Random(0)
    for _ in range(40):
        _old, _new, _label, _kind, _form = _sample(_rng)
        print(f"[{'KEEP' if _label == KEEP else 'SUPERSEDE'} {_kind}/{_form}]")
        print(f"  old: {_old}\n  new: {_new}")
    _r = random.Random(1)
    _metas = [_sample(_r) for _ in range(5000)]
    print("labels:", Counter(m[2] for m in _metas))
    print("forms:", Counter(("K:" if m[2] == KEEP else "S:") + m[4] for m in _metas))
    print("distinct new texts in 5000:", len({m[1] for m in _metas}))
    print("templates:", dict(sorted(template_counts().items())))
