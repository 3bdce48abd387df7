"""Generated utterances for the forget gate's time head: the moment versus the lifetime.

``momentary(rng)`` says something that will not be true in a few days: what the speaker is
doing or where they are right now, the weather, a late train, a mood, a headache, a flat
phone battery, a queue, tonight's plans. ``lasting(rng)`` says something that stays true for
years: a name, a birthday, family, a first language, a hometown, an allergy, a blood type, a
degree, a career, a pet's name. Both are built from templates and slot lists per kind,
then given time words, openers, endings, a second clause and casual spellings, so the gate
learns what makes a remark short-lived rather than memorising a few sentences (see
``synth.passing``, which picks from 26 fixed ones: ``momentary`` never says one of them
word for word, not even inside a longer remark).

Deterministic given the rng. ``momentary_labelled`` and ``lasting_labelled`` also return
the kind each utterance was drawn from (``MOMENTARY_KINDS``, ``LASTING_KINDS``). Names and
numbers are made up. Paris and Berlin are left out, as in ``synth``: tests use them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from .synth import _PASSING


@dataclass(frozen=True)
class _Kind:
    """One kind of utterance: templates with {slot}s, filled from ``slots`` or _SHARED.

    ``tone`` picks the openers, endings and generic second clauses that suit it: "bad",
    "good" or "neutral" for momentary kinds, "serious" or "neutral" for lasting ones.
    ``then`` are second clauses that fit this kind in particular."""

    name: str
    tone: str
    templates: tuple[str, ...]
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)
    then: tuple[str, ...] = ()


def _nums(lo: int, hi: int, step: int = 1) -> tuple[str, ...]:
    return tuple(str(n) for n in range(lo, hi + 1, step))


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


_SHARED: dict[str, tuple[str, ...]] = {
    # time deixis: often none at all
    "now": ("", "", "", "right now", "at the moment", "atm", "rn", "now", "as we speak"),
    "today": (
        "",
        "",
        "today",
        "today",
        "this morning",
        "this afternoon",
        "this evening",
        "tonight",
        "right now",
        "at the moment",
    ),
    "morning": ("this morning", "today", "this afternoon", "tonight", "this evening", ""),
    "tonight": ("tonight", "this evening", "later", "later on", "after work", "tonight"),
    "evening": ("tonight", "this evening", "again tonight", "tonight"),
    "sched_day": ("", "today", "this morning", "this afternoon", "tonight", "tomorrow morning"),
    "daypart": ("morning", "afternoon", "evening", "day", "night"),
    "nowx": ("right now", "at the moment", "atm", "rn", "for now", "this week", "today"),
    "dayish": ("", "today", "today", "this morning", "this afternoon", "at the moment"),
    "lead": ("Right now", "At the moment", "Currently", "As we speak", "Atm"),
    "mins": _nums(5, 55, 5) + ("ten", "twenty", "forty"),
    "hours": ("two", "three", "four", "five", "six"),
    "city": (
        "Leeds",
        "Lisbon",
        "Glasgow",
        "Porto",
        "Denver",
        "Osaka",
        "Valencia",
        "Bristol",
        "Krakow",
        "Cork",
        "Seville",
        "Toronto",
        "Edinburgh",
        "Bologna",
        "Melbourne",
        "Gdansk",
        "Montreal",
        "Bergen",
    ),
    "friend": (
        "my sister",
        "my brother",
        "my mum",
        "my dad",
        "a friend",
        "some friends",
        "my flatmate",
        "my boyfriend",
        "my girlfriend",
        "my husband",
        "my wife",
        "the kids",
        "my cousin",
        "a mate from work",
        "my best friend",
    ),
    "event": (
        "a dentist appointment",
        "a job interview",
        "a team meeting",
        "a haircut",
        "a work call",
        "a doctor's appointment",
        "yoga",
        "football practice",
        "parents' evening",
        "a presentation",
        "a driving lesson",
        "drinks with colleagues",
        "a physio session",
        "an exam",
        "a school play",
        "book club",
        "a viewing for a flat",
    ),
    "clock": (
        "9",
        "10",
        "10:30",
        "11",
        "noon",
        "2",
        "3pm",
        "half four",
        "5:15",
        "6",
        "7",
        "8 o'clock",
        "quarter past nine",
    ),
}


_MOMENTARY: tuple[_Kind, ...] = (
    _Kind(
        "activity",
        "neutral",
        (
            "I'm {act} {now}",
            "{lead} I'm {act}",
            "Just {act} {now}",
            "Not much, just {act}",
            "Currently {act}",
            "Sitting here {act}",
            "Been {act} all {daypart}",
            "Me and {friend} are {we_act} {now}",
            "Spending the {daypart} {act}",
            "We're {we_act} {now}",
        ),
        {
            "act": (
                "watching {show}",
                "reading on the sofa",
                "playing {game}",
                "scrolling through my phone",
                "lying in the garden",
                "listening to {audio}",
                "doing a jigsaw",
                "painting my nails",
                "studying for my exams",
                "revising for a test",
                "writing an essay",
                "out walking the dog",
                "doing some yoga",
                "on the treadmill",
                "knitting",
                "baking cookies",
                "babysitting my nephew",
                "sitting on the balcony",
                "lying in bed",
                "curled up under a blanket",
                "playing with the cat",
                "messing around on the guitar",
                "sorting through old photos",
                "doing a crossword",
                "people-watching in the park",
            ),
            "show": (
                "the football",
                "a film",
                "some trashy reality TV",
                "the news",
                "old sitcom reruns",
                "a documentary about sharks",
                "the match",
                "a cooking show",
                "YouTube videos",
                "the tennis",
                "the new season of my show",
                "cartoons with the kids",
            ),
            "game": (
                "video games",
                "chess online",
                "a board game",
                "Mario Kart",
                "cards",
                "a game I just downloaded",
                "Scrabble",
            ),
            "we_act": (
                "watching a film",
                "playing a board game",
                "having a barbecue",
                "sitting in the garden",
                "at the park",
                "watching the match",
                "building a sandcastle",
                "doing a puzzle",
            ),
            "audio": (
                "some old records",
                "a podcast",
                "an audiobook",
                "the radio",
                "a playlist my friend made",
                "jazz",
                "the cricket on the radio",
            ),
        },
        (", it's nice", ", lazy as anything", ", bliss"),
    ),
    _Kind(
        "location",
        "neutral",
        (
            "I'm at {spot} {now}",
            "At {spot} {now}",
            "{lead} I'm at {spot}",
            "Currently sitting in {room}",
            "I'm in {city} for {stay}",
            "We're in {city} for {stay}",
            "Writing this from {spot}",
            "I'm over at {spot} {now}",
            "Hiding in {room} {now}",
            "I'm in {city} {nowx}",
        ),
        {
            "spot": (
                "the airport",
                "my mum's",
                "the gym",
                "the office",
                "the library",
                "the dentist's",
                "a café near work",
                "the hospital",
                "the beach",
                "a friend's place",
                "the station",
                "a wedding",
                "a conference",
                "the supermarket",
                "the park",
                "a gig",
                "my in-laws'",
                "the pub",
                "my parents' house",
                "the vet's",
                "a hotel",
                "the hairdresser's",
                "my cousin's barbecue",
            ),
            "room": (
                "the car",
                "a waiting room",
                "the kitchen",
                "the garden shed",
                "a hotel lobby",
                "the back of a taxi",
                "the bathroom",
                "a stuffy meeting room",
                "the departure lounge",
            ),
            "stay": (
                "the weekend",
                "a few days",
                "work",
                "a conference",
                "the night",
                "a wedding",
                "two nights",
                "a quick visit",
            ),
        },
        (", back home on Sunday", ", flying back tomorrow", ", so it's a bit loud here"),
    ),
    _Kind(
        "on_the_way",
        "neutral",
        (
            "On my way to {dest} {now}",
            "I'm heading to {dest}",
            "Heading over to {dest} {now}",
            "I'm on the {vehicle} to {vdest}",
            "On the {vehicle} home {now}",
            "Walking home from {from} {now}",
            "Just leaving {from}",
            "Driving to {dest}, so voice typing this",
            "I'm about to set off for {dest}",
            "Halfway to {dest} {now}",
        ),
        {
            "dest": (
                "work",
                "the shops",
                "my sister's",
                "the airport",
                "the gym",
                "school pickup",
                "the station",
                "a meeting",
                "my mum's",
                "the dentist",
                "the pub",
                "the hospital",
                "uni",
                "a friend's birthday",
                "the vet",
                "{city}",
            ),
            "vehicle": ("train", "bus", "tram", "night bus", "coach", "tube"),
            "vdest": ("work", "{city}", "the airport", "my mum's", "uni", "town", "the match"),
            "from": (
                "work",
                "the gym",
                "the pub",
                "the shops",
                "school",
                "my mate's",
                "the station",
                "the cinema",
                "the office",
            ),
        },
        (", see you in a bit", ", signal's patchy", ", back in an hour or so"),
    ),
    _Kind(
        "weather",
        "bad",
        (
            "It's {wx} here {now}",
            "It's {wx} outside {now}",
            "Wow it's {wx} {now}",
            "It's been {wxing} all {daypart}",
            "There's a {storm} going on outside {now}",
            "We're in the middle of a {storm} {now}",
            "Can't see a thing, the fog is so thick {morning}",
            "{wxing_cap} nonstop here {today}",
            "The weather is {wx_adj} {today}",
            "Got absolutely soaked on the way {here}",
        ),
        {
            "wx": (
                "pouring",
                "so windy",
                "really foggy",
                "freezing",
                "grey and miserable",
                "snowing",
                "hailing",
                "drizzling",
                "really humid",
                "stormy",
                "chucking it down",
                "sleeting",
                "so muggy",
                "blowing a gale",
                "icy",
            ),
            "wxing": ("raining", "snowing", "drizzling", "pouring", "hailing", "thundering"),
            "wxing_cap": ("Raining", "Snowing", "Drizzling", "Pouring", "Hailing"),
            "wx_adj": ("awful", "grim", "horrible", "wild", "so gloomy", "miserable"),
            "storm": ("thunderstorm", "hailstorm", "snowstorm", "downpour", "gale"),
            "here": ("here", "to work", "home", "back", "to the shop"),
        },
        (
            ", so I'm staying in",
            ", so no walk for the dog",
            ", my umbrella's useless",
            ", not leaving the house",
        ),
    ),
    _Kind(
        "nice_weather",
        "good",
        (
            "It's {nice} here {now}",
            "It's {nice} outside {dayish}",
            "The sun's finally out {now}",
            "Gorgeous {daypart} here, not a cloud in the sky",
            "Such a {nice_adj} day {dayish}",
            "Sitting in the sun {now}",
            "Blue skies {dayish} for once",
            "The snow has all melted {now}",
        ),
        {
            "nice": (
                "lovely and sunny",
                "gorgeous",
                "warm and sunny",
                "really mild",
                "bright and crisp",
                "actually sunny",
                "beautiful",
            ),
            "nice_adj": ("lovely", "beautiful", "glorious", "perfect", "gorgeous"),
        },
        (
            ", perfect day for the beach",
            ", might eat outside",
            ", making the most of it",
            ", finally!",
        ),
    ),
    _Kind(
        "temperature",
        "bad",
        (
            "It's {hot} degrees here {now}",
            "It's minus {cold} outside {morning}",
            "It's {temp_adj} in my {room} {now}",
            "My flat is {temp_adj} {today}",
            "The heating's not working so I'm {cold_state}",
            "The air con is broken and it's {hot} degrees inside",
            "I'm {cold_state} {now}",
            "I'm {hot_state} {now}",
            "Sweating buckets, it's {hot} in here",
            "My hands are frozen {now}",
            "It's way too hot to sleep {evening}",
        ),
        {
            "hot": _nums(28, 42),
            "cold": _nums(2, 18),
            "temp_adj": (
                "boiling",
                "freezing",
                "like a sauna",
                "like an icebox",
                "so stuffy",
                "roasting",
            ),
            "room": ("bedroom", "office", "flat", "kitchen", "classroom", "car"),
            "cold_state": (
                "freezing",
                "shivering",
                "wearing three jumpers",
                "wrapped in a blanket",
                "sitting in my coat",
            ),
            "hot_state": ("sweltering", "melting", "sweating", "sat in front of the fan"),
        },
        (", can't concentrate", ", need a cold drink", ", send help"),
    ),
    _Kind(
        "transport",
        "bad",
        (
            "Stuck in traffic on {road} {now}",
            "I'm stuck in traffic {now}",
            "My {transit} is delayed by {mins} minutes",
            "The {transit} is cancelled {today}",
            "The {line} is down {morning}",
            "My bus didn't turn up {morning}",
            "My flight's delayed {hours} hours",
            "There's been an accident on {road}, nothing's moving",
            "The trains are on strike {today}",
            "Missed my bus by like {secs} seconds",
            "The roads are gridlocked {morning}",
            "Sat on a train that hasn't moved for {mins} minutes",
            "Our plane has been sitting on the tarmac for an hour",
        ),
        {
            "road": (
                "the M25",
                "the ring road",
                "the motorway",
                "the bridge",
                "the highway",
                "the bypass",
                "the A1",
                "Station Road",
                "the high street",
            ),
            "transit": ("train", "bus", "flight", "tram", "ferry", "connection"),
            "line": (
                "Northern line",
                "whole tube",
                "metro",
                "tram line",
                "train line into town",
                "ferry service",
            ),
            "secs": ("10", "20", "30", "5", "two"),
        },
        (
            ", so I'll be late",
            ", gonna miss my meeting",
            ", no idea when I'll get home",
            ", typical",
        ),
    ),
    _Kind(
        "mood_low",
        "bad",
        (
            "I'm feeling {low} {today}",
            "Feeling kinda {low} {today}",
            "I'm in a {low_mood} mood {today}",
            "Bit {low} {today} to be honest",
            "I'm so {low} {now}",
            "Not my day {today}, feeling {low}",
            "Honestly just {low} {today}",
            "Woke up {low}",
            "Been {low} since I woke up",
            "Having a rough {daypart}",
        ),
        {
            "low": (
                "down",
                "low",
                "anxious",
                "grumpy",
                "irritable",
                "overwhelmed",
                "stressed",
                "on edge",
                "cranky",
                "flat",
                "meh",
                "frustrated",
                "sad",
                "restless",
                "fed up",
                "weepy",
            ),
            "low_mood": ("bad", "foul", "grumpy", "funny", "weird", "mopey"),
        },
        (
            ", probably just need some sleep",
            ", it'll pass",
            ", don't mind me",
            ", just one of those days",
        ),
    ),
    _Kind(
        "mood_good",
        "good",
        (
            "I'm feeling {high} {today}",
            "I'm in a {high_mood} mood {today}",
            "Feeling {high} {now}",
            "I'm so {high} {now}",
            "Honestly feeling {high} {today}",
            "Such a good {daypart} so far",
            "Weirdly {high} {today}",
        ),
        {
            "high": (
                "happy",
                "chuffed",
                "excited",
                "relieved",
                "giddy",
                "great",
                "upbeat",
                "calm",
                "relaxed",
                "hopeful",
                "proud of myself",
                "productive",
                "energetic",
                "chilled out",
            ),
            "high_mood": ("great", "really good", "silly", "chatty", "brilliant", "sunny"),
        },
        (
            ", don't know why",
            ", long may it last",
            ", got a lot done",
            ", nice change",
        ),
    ),
    _Kind(
        "tired",
        "bad",
        (
            "I'm {tired} {today}",
            "Barely slept last night, I'm {tired}",
            "Running on {hours} hours of sleep {today}",
            "Can barely keep my eyes open {now}",
            "So sleepy {now}",
            "I'm {tired} after {exertion}",
            "Totally jet lagged {today}",
            "I need a nap so badly {now}",
            "The baby kept us up all night, we're {we_tired}",
        ),
        {
            "tired": (
                "exhausted",
                "shattered",
                "wiped out",
                "knackered",
                "running on empty",
                "half asleep",
                "dead on my feet",
                "so tired",
                "zonked",
                "drained",
            ),
            "we_tired": ("shattered", "exhausted", "wiped out", "zombies", "knackered"),
            "exertion": (
                "that hike",
                "the gym",
                "a twelve-hour shift",
                "a night shift",
                "the kids' party",
                "a long drive",
                "helping my friend move",
                "a crazy day at work",
                "back-to-back meetings",
                "that spin class",
            ),
        },
        (
            ", going to bed early",
            ", need coffee",
            ", so replies might be slow",
            ", can't think straight",
        ),
    ),
    _Kind(
        "hungry",
        "neutral",
        (
            "I'm {hungry} {now}",
            "{hungry_cap}, haven't eaten since {clock}",
            "So thirsty {now}",
            "Dying for a {drink} {now}",
            "Could really go for {craving} {now}",
            "Craving {craving} {tonight}",
            "My stomach is rumbling {now}",
            "Skipped lunch and now I'm {hungry}",
            "I'm gasping for a {drink}",
        ),
        {
            "hungry": ("starving", "so hungry", "famished", "absolutely ravenous", "peckish"),
            "hungry_cap": ("Starving", "So hungry", "Famished", "Ravenous"),
            "drink": (
                "coffee",
                "cold beer",
                "cup of tea",
                "glass of water",
                "iced latte",
                "cold drink",
            ),
            "craving": (
                "pizza",
                "chocolate",
                "chips",
                "a burger",
                "sushi",
                "something sweet",
                "a big bowl of noodles",
                "ice cream",
                "a curry",
            ),
        },
        (
            ", ordering takeaway",
            ", what should I eat?",
            ", fridge is empty",
            ", dinner can't come soon enough",
        ),
    ),
    _Kind(
        "ailment",
        "bad",
        (
            "I've got a {ail} {today}",
            "My {body} is killing me {today}",
            "Think I'm coming down with {illness}",
            "Feeling {sick} {today}",
            "Woke up with a {ail}",
            "Off sick {dayish} with {illness}",
            "My {body} hurts {today}",
            "I have a {ail} {now}",
            "Pulled something in my {muscle} at the gym {earlier}",
            "I'm full of cold {today}",
        ),
        {
            "ail": (
                "headache",
                "sore throat",
                "stiff neck",
                "runny nose",
                "dodgy stomach",
                "migraine",
                "blocked nose",
                "cough",
                "toothache",
                "splitting headache",
                "bit of a temperature",
                "hangover",
            ),
            "body": ("back", "head", "knee", "neck", "shoulder", "ankle", "tooth", "wrist"),
            "earlier": ("", "today", "this morning", "earlier", "yesterday"),
            "muscle": ("back", "neck", "shoulder", "calf", "hamstring", "groin"),
            "illness": (
                "a cold",
                "the flu",
                "something",
                "a stomach bug",
                "a chest infection",
                "a nasty cold",
            ),
            "sick": (
                "a bit under the weather",
                "queasy",
                "rough",
                "feverish",
                "achy",
                "dizzy",
                "pretty rubbish",
                "a bit off",
            ),
        },
        (
            ", so taking it easy",
            ", staying in bed",
            ", so I'm off work",
            ", should pass in a day or two",
            ", popping painkillers",
        ),
    ),
    _Kind(
        "device",
        "bad",
        (
            "My {device} is on {pct}%",
            "My phone's about to die",
            "The wifi keeps dropping {now}",
            "The internet's down {today}",
            "My laptop just crashed",
            "My {device} {trouble} {now}",
            "I'm on {pct}% battery",
            "No signal here {now}",
            "Typing on my {device} {now} so excuse the typos",
            "Forgot my charger {today}",
            "The wifi on this train is useless",
        ),
        {
            "device": ("phone", "laptop", "tablet", "computer", "watch"),
            "trouble": (
                "keeps freezing",
                "won't charge",
                "is being super slow",
                "is stuck on an update",
                "just died",
                "keeps restarting",
                "won't connect to the wifi",
                "won't turn on",
            ),
            "pct": ("1", "2", "3", "4", "5", "7", "8", "9", "10", "12", "15"),
        },
        (
            ", so I might drop off",
            ", so I'm on my phone",
            ", might lose you any second",
            ", so replies might be patchy",
        ),
    ),
    _Kind(
        "chore",
        "neutral",
        (
            "I'm {chore} {now}",
            "Halfway through {chore}",
            "Spent all {daypart} {chore}",
            "Just started {chore}",
            "Busy {chore} {now}",
            "{lead} I'm {chore}",
            "Stuck {chore} {today}",
            "Finally getting round to {chore}",
        ),
        {
            "chore": (
                "doing the laundry",
                "cleaning the bathroom",
                "hoovering",
                "doing the dishes",
                "ironing shirts",
                "doing my taxes",
                "mowing the lawn",
                "folding a mountain of washing",
                "cleaning out the fridge",
                "putting up shelves",
                "building a flat-pack wardrobe",
                "washing the car",
                "defrosting the freezer",
                "tidying the kids' room",
                "packing for my trip",
                "unpacking the shopping",
                "painting the hallway",
                "weeding the garden",
                "clearing out the garage",
                "changing the bed sheets",
            ),
        },
        (", nearly done", ", so exciting", ", send snacks", ", it's endless"),
    ),
    _Kind(
        "waiting",
        "neutral",
        (
            "Waiting for {wait} {now}",
            "Still waiting on {wait}",
            "I've been waiting for {wait_in} for {mins} minutes",
            "Sitting around waiting for {wait}",
            "Waiting to hear back about {result} {today}",
            "I'm waiting in for {wait_in} {dayish}",
            "Just waiting for {wait}",
            "Can't go out, waiting for {wait_in}",
        ),
        {
            "wait": (
                "a delivery",
                "the plumber",
                "my pizza",
                "the electrician",
                "my friend to show up",
                "the kettle to boil",
                "the doctor to call me back",
                "the washing machine to finish",
                "a parcel",
                "my taxi",
                "my flight to board",
                "the kids to come out of school",
                "a call back from the bank",
                "the bread to come out of the oven",
                "the engineer",
                "my lift",
                "the paint to dry",
            ),
            "wait_in": (
                "a delivery",
                "the plumber",
                "the electrician",
                "a parcel",
                "the engineer",
                "the gas man",
                "my food order",
                "the locksmith",
            ),
            "result": (
                "the job interview",
                "my blood test",
                "the flat we viewed",
                "my visa appointment",
                "the offer we made",
            ),
        },
        (
            ", so I'm stuck in",
            ", they said between 8 and 6",
            ", taking forever",
            ", could be hours",
        ),
    ),
    _Kind(
        "queue",
        "bad",
        (
            "I'm in a queue at {qplace} {now}",
            "Stuck in line at {qplace} {now}",
            "Queueing for {qthing} {now}",
            "The line at {qplace} is {huge}",
            "There are like {people} people ahead of me at {qplace}",
            "Been in this queue for {mins} minutes",
            "Standing in line for {qthing}",
        ),
        {
            "qplace": (
                "the post office",
                "the bank",
                "the pharmacy",
                "the DMV",
                "passport control",
                "the supermarket",
                "the coffee shop",
                "the bakery",
                "airport security",
                "the GP surgery",
                "the chippy",
                "the council office",
            ),
            "qthing": (
                "concert tickets",
                "a table",
                "the toilets",
                "coffee",
                "the rollercoaster",
                "the ferry",
                "a taxi",
                "the cash machine",
            ),
            "huge": (
                "massive",
                "out the door",
                "ridiculous",
                "going nowhere",
                "round the block",
            ),
            "people": ("20", "30", "50", "a hundred", "15", "40"),
        },
        (", only one till open", ", of course", ", should've come earlier"),
    ),
    _Kind(
        "meal",
        "neutral",
        (
            "I'm having {food} for {meal}",
            "I'm having {bfood} for breakfast",
            "Eating {anyfood} {now}",
            "Just made {cook} for {meal}",
            "Cooking {cook} {tonight}",
            "Making {cook} for the kids {now}",
            "Grabbing {grab} for lunch",
            "About to tuck into {anyfood}",
            "We're having {cook} {tonight}",
            "Having {food} at my desk {now}",
            "{lead} I'm eating {anyfood}",
        ),
        {
            "anyfood": ("{food}", "{food}", "{bfood}"),
            "food": (
                "leftover curry",
                "cheese on toast",
                "spaghetti bolognese",
                "a massive salad",
                "tacos",
                "instant noodles",
                "a takeaway pizza",
                "tomato soup",
                "fish and chips",
                "a stir fry",
                "a jacket potato",
                "a burrito",
                "a meal deal",
                "beans on toast",
                "a chicken wrap",
            ),
            "bfood": (
                "a bowl of cereal",
                "porridge",
                "pancakes",
                "scrambled eggs",
                "a bacon sandwich",
                "toast and jam",
                "a croissant",
                "a fry-up",
            ),
            "cook": (
                "a curry",
                "spaghetti bolognese",
                "a stir fry",
                "a roast",
                "tacos",
                "soup",
                "a lasagne",
                "chilli",
                "fajitas",
                "a risotto",
                "fish pie",
            ),
            "grab": ("a meal deal", "a sandwich", "a burrito", "sushi", "a salad", "a pasty"),
            "meal": ("lunch", "dinner", "tea"),
        },
        (", so good", ", nothing fancy", ", hope it turns out ok", ", bit burnt"),
    ),
    _Kind(
        "noise",
        "bad",
        (
            "My neighbours are {neigh} {now}",
            "There's {loud} outside {now}",
            "Can't hear myself think, the neighbours are {neigh}",
            "The baby upstairs won't stop crying {evening}",
            "The dog next door has been barking for {hours} hours",
            "There's a car alarm going off outside {now}",
            "The people upstairs are {neigh} {evening}",
            "So noisy here {now}",
        ),
        {
            "neigh": (
                "drilling",
                "having a party",
                "blasting music",
                "arguing again",
                "hammering away",
                "playing the drums",
                "doing karaoke",
            ),
            "loud": (
                "roadworks",
                "a drill going",
                "building work",
                "a fire alarm going off",
                "a massive party",
                "a brass band",
                "a leaf blower",
                "a helicopter circling",
            ),
        },
        (
            ", can't concentrate",
            ", so I can't take calls",
            ", earplugs in",
            ", hope it stops soon",
        ),
    ),
    _Kind(
        "outage",
        "bad",
        (
            "The power's out {now}",
            "We've got a power cut {now}",
            "No electricity {today}, the whole street is dark",
            "The water's been shut off {today}",
            "No hot water {morning}",
            "The boiler's packed in {today} so no heating",
            "Power cut {evening}, sitting here with candles",
            "The lights keep flickering {now}",
        ),
        {},
        (
            ", so I'm on my phone",
            ", they say it'll be back on soon",
            ", the fridge is defrosting",
            ", cold showers for me",
        ),
    ),
    _Kind(
        "schedule",
        "neutral",
        (
            "I've got {event} at {clock} {sched_day}",
            "Busy day {dayish}, {event} then {event2}",
            "Off to {event} {tonight}",
            "Got {event} {later}",
            "Seeing {friend} {tonight}",
            "Date night {tonight}",
            "I have {event} at {clock}, then {event2}",
            "Meeting {friend} for lunch {lunchday}",
            "Nothing planned {dayish}, just {free}",
            "Got to pick up {friend} at {clock}",
        ),
        {
            "later": (
                "later",
                "this afternoon",
                "tonight",
                "after lunch",
                "in an hour",
                "at lunchtime",
            ),
            "free": ("chilling", "catching up on sleep", "pottering about", "errands"),
            "lunchday": ("", "today", "later", "at one"),
        },
        (
            ", so I'll be offline for a bit",
            ", then I'm free",
            ", wish me luck",
            ", should be home by nine",
        ),
    ),
    _Kind(
        "just_done",
        "neutral",
        (
            "Just {done}",
            "I just {done}",
            "Finally {done}",
            "Only just {done}",
            "I've just {done_pp}",
            "Literally just {done}",
        ),
        {
            "done": (
                "got out of the shower",
                "got back from a run",
                "walked in the door",
                "finished work",
                "dropped the kids at school",
                "put the baby down for a nap",
                "finished my last exam",
                "got off the phone with my mum",
                "landed in {city}",
                "got my hair cut",
                "came out of a three-hour meeting",
                "woke up from a nap",
                "finished the washing up",
                "handed in my essay",
                "stepped off the plane",
                "got back from the shops",
                "finished a 10k",
                "had a massive lunch",
                "put the kettle on",
                "got in from walking the dog",
            ),
            "done_pp": (
                "got out of the shower",
                "finished work",
                "come back from the gym",
                "eaten way too much",
                "got in",
                "woken up from a nap",
                "finished a long shift",
                "put the kids to bed",
                "landed",
                "had a bath",
            ),
        },
        (
            ", give me a sec",
            ", what did I miss?",
            ", so I'm free now",
            ", feeling better for it",
        ),
    ),
    _Kind(
        "late",
        "bad",
        (
            "I'm running {mins} minutes late",
            "Running late for {event} {again}",
            "Overslept and now I'm late for {event}",
            "Gonna be late, {reason}",
            "Rushing to catch my {transit}",
            "Sprinting for the bus {now}",
            "I'm so late {morning}",
            "Late for work {again}",
        ),
        {
            "again": ("", "again", "today", "this morning", ""),
            "reason": (
                "the car won't start",
                "the bus never came",
                "I couldn't find my keys",
                "the kids were a nightmare",
                "there's a diversion",
                "I overslept",
            ),
            "transit": ("train", "bus", "flight", "ferry"),
        },
        (", so sorry", ", talk later", ", great start to the day"),
    ),
    _Kind(
        "busy",
        "bad",
        (
            "In a meeting {now}",
            "On a call {now}, can't talk",
            "Swamped at work {today}",
            "At work {now}, it's chaos",
            "Drowning in emails {morning}",
            "Big deadline {dayish}, so I'm {busy}",
            "Back-to-back meetings {today}",
            "Stuck in a training session {now}",
            "Working late {late_when}",
            "Doing a double shift {today}",
        ),
        {
            "late_when": ("tonight", "again", "this evening", "tonight again"),
            "busy": (
                "flat out",
                "up to my eyeballs",
                "chained to my desk",
                "panicking a bit",
                "in the zone",
            ),
        },
        (
            ", so I'll be a bit slow to reply",
            ", message you after",
            ", can't chat long",
            ", will reply properly later",
        ),
    ),
    _Kind(
        "about_to",
        "neutral",
        (
            "About to {soon}",
            "I'm about to {soon}",
            "Gonna {soon} in a sec",
            "Just about to {soon}",
            "Need to {soon} in a minute",
        ),
        {
            "soon": (
                "jump in the shower",
                "go to bed",
                "head out for a run",
                "start cooking",
                "put the kids to bed",
                "leave for work",
                "go for a walk",
                "hop on a call",
                "take the dog out",
                "do the food shop",
                "get my hair done",
                "pick the kids up",
                "hit the gym",
                "crash on the sofa",
            ),
        },
        (", back in a bit", ", talk soon", ", brb", ", catch you later"),
    ),
    _Kind(
        "household_now",
        "neutral",
        (
            "The kids are {kids} {now}",
            "The baby is {baby} {now}",
            "My toddler is {kid} {now}",
            "The cat is {cat} {now}",
            "The dog is {dog} {now}",
            "My son is {kid} {today}",
            "My daughter is {kid} {today}",
        ),
        {
            "kids": (
                "bouncing off the walls",
                "finally asleep",
                "fighting over the remote",
                "at a birthday party",
                "home from school with a cold",
                "watching cartoons",
                "having a tantrum",
                "building a den in the living room",
                "covered in paint",
            ),
            "kid": (
                "bouncing off the walls",
                "finally asleep",
                "at a birthday party",
                "home from school with a cold",
                "watching cartoons",
                "having a tantrum",
                "refusing to nap",
                "covered in paint",
            ),
            "baby": (
                "teething",
                "finally napping",
                "screaming the house down",
                "crawling everywhere",
                "asleep on me",
            ),
            "cat": (
                "asleep on my keyboard",
                "sitting on my laptop",
                "yelling for food",
                "chasing a fly",
                "sulking under the bed",
            ),
            "dog": (
                "barking at the postman",
                "snoring next to me",
                "covered in mud",
                "begging for my toast",
                "going mad at the fireworks",
            ),
        },
        (", send coffee", ", peace at last", ", never a dull moment"),
    ),
    _Kind(
        "day_off",
        "good",
        (
            "I'm off work {today}",
            "Day off {dayish}",
            "Having a lazy {daypart}",
            "Pyjama day {dayish}",
            "Working from home {dayish}",
            "On holiday in {city} {now}",
            "We're on holiday {now}",
            "No school {dayish} so the kids are home",
        ),
        {},
        (
            ", loving it",
            ", back to reality tomorrow",
            ", bliss",
            ", not doing anything",
        ),
    ),
    _Kind(
        "social",
        "good",
        (
            "My friends are over {now}",
            "At a party {now}",
            "Having drinks with {friend} {now}",
            "Got people over for dinner {tonight}",
            "Out for {outing} with {friend} {now}",
            "Catching up with {friend} {today}",
            "At my friend's birthday {now}",
            "We've got guests staying {evening}",
        ),
        {
            "outing": ("dinner", "brunch", "a drink", "coffee", "a curry", "lunch"),
        },
        (
            ", so I'll be a bit slow to reply",
            ", having a great time",
            ", message you tomorrow",
        ),
    ),
)

_LASTING: tuple[_Kind, ...] = (
    _Kind(
        "name",
        "neutral",
        (
            "My name's {first}",
            "My name is {first} {last}",
            "I'm {first} {last}",
            "My full name is {fullname}",
            "Call me {nick}, everyone does",
            "I go by {nick}",
            "Everyone calls me {nick}",
            "My surname is {last}",
            "My maiden name was {last}",
            "I'm {first}, by the way",
            "I go by my middle name, {middle}",
        ),
        {},
        (
            ", named after my {elder}",
            ", nobody ever spells it right",
            ", it's a family name",
        ),
    ),
    _Kind(
        "birthday",
        "neutral",
        (
            "My birthday is {month} {day}",
            "My birthday is on the {ordinal} of {month}",
            "I was born on {day} {month} {year}",
            "I was born in {year}",
            "I'm a {month} baby, the {ordinal}",
            "My birthday's the {ordinal} of {month}",
            "I was born on {month} {day}, {year}",
            "My {kin}'s birthday is {month} {day}",
            "My {kin} was born on the {ordinal} of {month}",
        ),
        {},
        (
            ", same day as my {elder}",
            ", so I always get cake at work",
            ", easy to remember",
        ),
    ),
    _Kind(
        "family",
        "neutral",
        (
            "My {kin_f} is called {fname}",
            "My {kin_m} is called {mname}",
            "My {kin_f}'s name is {fname}",
            "My {kin_m}'s name is {mname}",
            "I have {count} {sibs}",
            "My {relative} lives in {city}",
            "I'm the {order} of {kids} kids",
            "I'm an only child",
            "I have a twin {twin}",
            "My parents are both from {country}",
            "I have two kids, {first} and {first2}",
            "My {relative} is a {job}",
            "My {elder} raised me",
        ),
        {
            "count": ("two", "three", "four", "five"),
            "sibs": ("sisters", "brothers", "older brothers", "younger sisters", "step-siblings"),
            "order": ("eldest", "youngest", "middle one"),
            "kids": ("three", "four", "five", "six", "seven"),
            "twin": ("sister", "brother"),
        },
        (
            ", we're really close",
            ", we talk every week",
            ", in case I mention them",
        ),
    ),
    _Kind(
        "partner",
        "neutral",
        (
            "I've been married to {first} for {years} years",
            "My husband's name is {mname}",
            "My wife is called {fname}",
            "{first} and I got married in {since}",
            "My partner {first} and I have been together since {since}",
            "I'm married, my wife {fname} is a {job}",
            "My husband {mname} is a {job}",
        ),
        {},
        (", we met at uni", ", best decision I ever made", ", we met through friends"),
    ),
    _Kind(
        "language",
        "neutral",
        (
            "My first language is {lang}",
            "I'm a native {lang} speaker",
            "I grew up speaking {lang} at home",
            "{lang} is my mother tongue",
            "English is my second language, my first is {lang}",
            "I'm bilingual, {lang} and English",
            "We only ever spoke {lang} at home growing up",
            "I speak {lang} with my parents",
        ),
        {},
        (
            ", so forgive my English",
            ", so sometimes I mix up words",
            ", though I think in English now",
        ),
    ),
    _Kind(
        "hometown",
        "neutral",
        (
            "I grew up in {place}",
            "I'm originally from {place}",
            "I was born and raised in {place}",
            "I spent my whole childhood in {place}",
            "My hometown is {city}",
            "I'm from {place} originally",
            "I lived in {place} until I was {age}",
            "I was born in {city} but grew up in {city2}",
        ),
        {
            "place": (
                "{city}",
                "{city}",
                "a small village outside {city}",
                "the countryside near {city}",
                "the suburbs of {city}",
                "a little seaside town",
                "a mining town up north",
            ),
        },
        (
            ", and my family's still there",
            ", and I still support the local team",
            ", so I know it really well",
        ),
    ),
    _Kind(
        "allergy",
        "serious",
        (
            "I'm allergic to {allergen}",
            "I have a severe {allergen} allergy",
            "I've got a {allergen} allergy",
            "I'm really allergic to {allergen}",
            "I can't have {allergen_food}, I'm allergic",
            "I've been allergic to {allergen} since I was a kid",
            "I'm {intolerant}",
            "{allergen_cap} makes me come out in hives",
        ),
        {
            "allergen": (
                "shellfish",
                "peanuts",
                "tree nuts",
                "penicillin",
                "latex",
                "bee stings",
                "cats",
                "sesame",
                "eggs",
                "kiwi",
                "ibuprofen",
                "wasp stings",
                "mustard",
                "soy",
                "prawns",
                "horses",
            ),
            "allergen_food": (
                "shellfish",
                "peanuts",
                "sesame",
                "eggs",
                "kiwi",
                "soy",
                "prawns",
                "penicillin",
                "ibuprofen",
                "walnuts",
            ),
            "allergen_cap": ("Shellfish", "Penicillin", "Latex", "Sesame", "Kiwi", "Mustard"),
            "intolerant": ("lactose intolerant", "gluten intolerant", "intolerant to onions"),
        },
        (
            ", so please keep that in mind",
            ", so I always carry an EpiPen",
            ", so I check every label",
            ", it's pretty serious",
        ),
    ),
    _Kind(
        "condition",
        "serious",
        (
            "I have {cond}",
            "I've had {cond} since I was {age}",
            "I was diagnosed with {cond} when I was {age}",
            "I've lived with {cond} for {years} years",
            "I'm {cond_adj}",
            "I've been {cond_adj} my whole life",
            "I have {device}",
        ),
        {
            "cond": (
                "type 1 diabetes",
                "asthma",
                "coeliac disease",
                "epilepsy",
                "Crohn's disease",
                "a heart murmur",
                "rheumatoid arthritis",
                "ADHD",
                "dyslexia",
                "tinnitus",
                "psoriasis",
                "chronic migraines",
                "sickle cell",
                "MS",
            ),
            "cond_adj": (
                "colour-blind",
                "deaf in one ear",
                "diabetic",
                "short-sighted",
                "autistic",
                "asthmatic",
                "partially sighted",
            ),
            "device": (
                "a pacemaker",
                "a metal plate in my arm",
                "a hearing aid",
                "a prosthetic leg",
                "an insulin pump",
            ),
        },
        (
            ", so I take meds every day",
            ", just so you know",
            ", it's under control",
            ", it doesn't stop me much",
        ),
    ),
    _Kind(
        "blood_type",
        "serious",
        (
            "My blood type is {blood}",
            "I'm blood type {blood}",
            "I'm {blood}, blood-wise",
            "My blood group is {blood}",
            "My blood type's {short}",
        ),
        {
            "blood": (
                "O positive",
                "O negative",
                "A positive",
                "A negative",
                "B positive",
                "B negative",
                "AB positive",
                "AB negative",
            ),
            "short": ("O+", "O-", "A+", "A-", "B+", "B-", "AB+", "AB-"),
        },
        (
            ", so I give blood regularly",
            ", in case of emergencies",
            ", it's on my donor card",
        ),
    ),
    _Kind(
        "diet",
        "neutral",
        (
            "I've been vegetarian for {years} years",
            "I've never eaten meat",
            "I've been vegan since {year}",
            "I don't drink alcohol, never have",
            "I've always hated {food}",
            "I can't stand {food} and never could",
            "I haven't eaten {meat} since I was {age}",
            "I take my coffee black, always have",
            "I've never had a cup of coffee in my life",
        ),
        {
            "food": (
                "mushrooms",
                "olives",
                "coriander",
                "blue cheese",
                "liver",
                "tomatoes",
                "anchovies",
                "sprouts",
                "beetroot",
            ),
            "meat": ("red meat", "pork", "beef", "fish", "meat"),
        },
        (
            ", so no recipes with it please",
            ", it's just how I am",
            ", my whole family's the same",
        ),
    ),
    _Kind(
        "preference",
        "neutral",
        (
            "My favourite colour has always been {colour}",
            "I've supported {team} my whole life",
            "I've been a {team} fan since I was a kid",
            "{genre_cap} has always been my favourite music",
            "I've always been a {person} person",
            "I've always preferred {pref}",
            "I've read every {author} book at least twice",
            "I've been collecting {collect} since I was {age}",
        ),
        {
            "colour": ("green", "purple", "yellow", "navy", "orange", "teal", "red"),
            "team": (
                "Harbour City",
                "Northgate United",
                "the Kestrels",
                "Riverside Rovers",
                "the Ravens",
            ),
            "genre_cap": ("Jazz", "Folk", "Classical", "Old soul", "Punk", "Country"),
            "person": ("morning", "night", "dog", "cat", "tea", "beach", "mountain"),
            "pref": ("the sea to the mountains", "tea to coffee", "winter to summer"),
            "author": ("Dickens", "Agatha Christie", "Terry Pratchett", "Jane Austen"),
            "collect": ("stamps", "vinyl", "old maps", "coins", "postcards"),
        },
        (", that'll never change", ", ask anyone", ", it's a big part of me"),
    ),
    _Kind(
        "id_number",
        "serious",
        (
            "My {card} number is {code}",
            "My {card} number's {code}",
            "Here's my {card} number: {code}",
            "My {card} number is {code}, please save it",
        ),
        {
            "card": (
                "frequent flyer",
                "library card",
                "membership",
                "National Insurance",
                "passport",
                "customer",
                "loyalty card",
                "NHS",
                "student ID",
                "employee",
                "gym membership",
                "insurance policy",
                "social security",
            ),
            "code": (
                "{d}{d}{d}{d} {d}{d}{d} {d}{d}{d}",
                "{L}{L}{d}{d}{d}{d}{d}{d}",
                "{L}{L} {d}{d} {d}{d} {d}{d} {L}",
                "{d}{d}{d}-{d}{d}-{d}{d}{d}{d}",
                "{L}{d}{d}{d}{d}{d}{d}{d}",
                "{d}{d}{d}{d}{d}{d}{d}",
            ),
            "d": _nums(0, 9),
            "L": tuple("ABCDEFGHJKLMNPRSTUVWXYZ"),
        },
        (
            ", I always forget it",
            ", in case I need it later",
            ", it never changes",
        ),
    ),
    _Kind(
        "education",
        "neutral",
        (
            "I studied {subject} at {uni}",
            "I have a degree in {subject}",
            "I did a master's in {subject} at {uni}",
            "I graduated from {uni} in {since}",
            "I did my PhD in {subject}",
            "I went to {school} for secondary school",
            "I left school at {leave} and did an apprenticeship",
            "I trained as a {job} at {uni}",
            "I never went to university",
        ),
        {
            "subject": (
                "chemistry",
                "law",
                "graphic design",
                "nursing",
                "mechanical engineering",
                "history",
                "economics",
                "marine biology",
                "music",
                "philosophy",
                "civil engineering",
                "accounting",
                "French literature",
                "computer science",
                "geology",
            ),
            "uni": (
                "the University of Northfield",
                "Harrowvale College",
                "Eastbrook University",
                "the Kingsport Institute",
                "Marlow Polytechnic",
                "St Aldric's College",
            ),
            "school": (
                "a Catholic girls' school",
                "a boarding school",
                "the local comprehensive",
                "a tiny village school",
                "Oakfield High",
            ),
            "leave": ("16", "17", "18"),
        },
        (", which still shapes how I think", ", long time ago now"),
    ),
    _Kind(
        "career",
        "neutral",
        (
            "I've been a {job} for {years} years",
            "I've worked at {company} since {since}",
            "I was a {job} for most of my career",
            "I served {years} years in the {branch}",
            "I've been {trade} for over {years} years",
            "I've worked in {field} my whole life",
            "I retired in {since} after {years} years as a {job}",
            "I've run my own {biz} since {since}",
        ),
        {
            "company": (
                "Halden & Royce",
                "Brightwater Foods",
                "Norvik Logistics",
                "the council",
                "Castell Insurance",
                "Pinewood Labs",
            ),
            "branch": ("army", "navy", "air force", "police", "fire service"),
            "trade": ("teaching", "nursing", "driving buses", "farming", "writing code"),
            "field": ("hospitality", "finance", "construction", "healthcare", "retail"),
            "biz": ("bakery", "plumbing business", "hair salon", "design studio", "garage"),
        },
        (
            ", so I know the industry well",
            ", it's who I am really",
            ", never wanted to do anything else",
        ),
    ),
    _Kind(
        "values",
        "neutral",
        (
            "I'm {religion}",
            "I was raised {religion}",
            "My faith is really important to me, I'm {practising}",
            "I'm a practising {practising}",
            "I don't eat pork, for religious reasons",
            "I've been teetotal my whole life",
            "I'm an atheist and always have been",
            "I keep kosher",
            "I fast every Ramadan",
            "I'm a lifelong pacifist",
            "I go to church every Sunday, always have",
            "Honesty matters more to me than anything",
        ),
        {
            "religion": (
                "Catholic",
                "Muslim",
                "Jewish",
                "Hindu",
                "Buddhist",
                "Sikh",
                "a Quaker",
                "Greek Orthodox",
                "Methodist",
                "agnostic",
            ),
            "practising": ("Catholic", "Muslim", "Buddhist", "Sikh", "Hindu", "Jew"),
        },
        (
            ", it shapes a lot of my choices",
            ", so please respect that",
            ", that won't change",
        ),
    ),
    _Kind(
        "pet",
        "neutral",
        (
            "My {pet} is called {petname}",
            "I have a {pet} named {petname}",
            "We've had our {pet} {petname} for {pet_years} years",
            "My {pet}'s name is {petname}",
            "I've got two {pets}, {petname} and {petname2}",
            "{petname} is my {pet}, I've had her since she was tiny",
            "{petname} the {pet} has been with us for {pet_years} years",
        ),
        {
            "pet": (
                "dog",
                "cat",
                "rabbit",
                "tortoise",
                "parrot",
                "labrador",
                "border collie",
                "tabby",
                "greyhound",
                "spaniel",
            ),
            "pet_years": _nums(2, 14),
            "pets": ("cats", "dogs", "rabbits", "guinea pigs", "budgies"),
            "petname": (
                "Biscuit",
                "Pickle",
                "Mochi",
                "Rufus",
                "Pepper",
                "Bramble",
                "Ziggy",
                "Noodle",
                "Captain",
                "Waffles",
                "Olive",
                "Gizmo",
                "Hazel",
                "Bean",
                "Sprocket",
                "Marmalade",
            ),
        },
        (", part of the family", ", best pet ever", ", spoiled rotten"),
    ),
    _Kind(
        "physical",
        "neutral",
        (
            "I'm {height}",
            "I'm left-handed",
            "I have {eyes} eyes",
            "I've worn glasses since I was {age}",
            "I have a birthmark on my {bodyp}",
            "I've got naturally curly hair",
            "I'm really tall, {tall}",
            "I have a scar on my {bodyp} from when I was a kid",
            "I've had freckles all my life",
            "I'm ambidextrous",
            "I've got one blue eye and one green",
        ),
        {
            "height": (
                "six foot two",
                "5'3\"",
                "1.85m",
                "about 160 cm",
                "barely five foot",
                "6'5\"",
                "1.70 m",
            ),
            "tall": ("six foot two", "6'5\"", "1.92m", "nearly two metres", "six foot four"),
            "eyes": ("brown", "green", "blue", "hazel", "grey", "dark brown"),
            "bodyp": ("chin", "left arm", "knee", "forehead", "back", "right hand", "neck"),
        },
        (),
    ),
    _Kind(
        "lifelong",
        "neutral",
        (
            "I've always been terrified of {phobia}",
            "I can't swim, never learned",
            "I've never learned to drive",
            "I've had a fear of {phobia} since I was little",
            "I've played the {instrument} since I was {age}",
            "I've never been on a plane",
            "I'm scared of {phobia} and always will be",
        ),
        {
            "phobia": (
                "heights",
                "spiders",
                "deep water",
                "needles",
                "flying",
                "clowns",
                "the dark",
                "dogs",
                "lifts",
            ),
            "instrument": ("piano", "violin", "cello", "trumpet", "guitar", "drums"),
        },
        (", don't even try to change my mind", ", it's just me"),
    ),
)

_LASTING_SHARED: dict[str, tuple[str, ...]] = {
    "first": ("{fname}", "{mname}"),
    "fname": (
        "Maren",
        "Ines",
        "Priya",
        "Soraya",
        "Lidia",
        "Hannelore",
        "Ottilie",
        "Amara",
        "Teodora",
        "Nell",
        "Sunniva",
        "Luisa",
        "Greta",
        "Zainab",
        "Dalia",
        "Yuki",
    ),
    "mname": (
        "Tobias",
        "Kofi",
        "Declan",
        "Emeka",
        "Rafael",
        "Bram",
        "Jun",
        "Cormac",
        "Idris",
        "Vikram",
        "Ezra",
        "Mateus",
        "Oisin",
        "Henrik",
        "Anselm",
    ),
    "middle": ("Rose", "James", "Amadou", "Louise", "Marie", "Alexander", "Jane", "Tomas"),
    "fullname": ("{fname} {fmid} {last}", "{mname} {mmid} {last}"),
    "fmid": ("Rose", "Louise", "Marie", "Jane", "Adaeze", "Kirsten"),
    "mmid": ("James", "Amadou", "Alexander", "Tomas", "Rhys", "Kenji"),
    "last": (
        "Okafor",
        "Lindqvist",
        "Marchetti",
        "Halloran",
        "Nakamura",
        "Brennan",
        "Vasquez",
        "Kowalczyk",
        "Achterberg",
        "Demir",
        "Fairbairn",
        "Sato",
        "Quist",
        "Ferreira",
        "Abernethy",
        "Moreau",
        "Kaur",
        "Whitlock",
        "Petrakis",
        "Oyelaran",
    ),
    "nick": ("Jo", "Mags", "Benji", "Tash", "Rory", "Bea", "Kit", "Sunny", "Dee", "Fitz", "Lou"),
    "kin_f": ("sister", "mum", "daughter", "grandma", "aunt", "little sister", "twin sister"),
    "kin_m": ("brother", "dad", "son", "grandad", "uncle", "big brother", "stepdad"),
    "kin_n": ("cousin", "best friend", "oldest friend", "godchild"),
    "relative": ("{kin_f} {fname}", "{kin_m} {mname}", "{kin_n} {first}"),
    "kin": (
        "sister",
        "brother",
        "mum",
        "dad",
        "son",
        "daughter",
        "grandma",
        "grandad",
        "aunt",
        "uncle",
        "cousin",
        "eldest son",
        "little sister",
        "big brother",
        "stepdad",
        "best friend",
    ),
    "elder": ("grandmother", "grandfather", "dad", "mum", "aunt", "great-uncle"),
    "month": (
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
    ),
    "day": _nums(1, 28),
    "ordinal": tuple(_ordinal(n) for n in range(1, 29)),
    "year": _nums(1950, 2004),  # born
    "since": _nums(1978, 2019),  # married, graduated, started a job
    "years": _nums(3, 40) + ("ten", "twenty", "fifteen"),
    "age": _nums(4, 18),
    "country": (
        "Portugal",
        "Ghana",
        "the Philippines",
        "Poland",
        "Jamaica",
        "Vietnam",
        "Ireland",
        "Turkey",
        "Chile",
        "Iran",
    ),
    "lang": (
        "Portuguese",
        "Tagalog",
        "Welsh",
        "Polish",
        "Cantonese",
        "Yoruba",
        "Finnish",
        "Greek",
        "Hindi",
        "Turkish",
        "Dutch",
        "Swahili",
        "Korean",
        "Arabic",
        "Hungarian",
        "Catalan",
        "Tamil",
        "Vietnamese",
    ),
    "job": (
        "nurse",
        "primary school teacher",
        "carpenter",
        "software developer",
        "paramedic",
        "pharmacist",
        "electrician",
        "civil servant",
        "chef",
        "librarian",
        "firefighter",
        "architect",
        "bus driver",
        "translator",
        "midwife",
        "vet",
    ),
}

# Asides: a lasting fact embedded in a longer sentence, still only saying lasting things.
_ASIDES: dict[str, tuple[str, ...]] = {
    "language": (
        "As a native {lang} speaker, I sometimes mix up English idioms",
        "Since {lang} is my first language, I still count in it in my head",
    ),
    "allergy": (
        "Because I'm allergic to {allergen}, I always ask about ingredients",
        "Being allergic to {allergen} means I have to be careful everywhere",
    ),
    "hometown": (
        "Growing up in {city}, I spent every summer by the river",
        "Having grown up in {city}, I've always loved the rain",
    ),
    "physical": (
        "Being left-handed, I've always hated spiral notebooks",
        "As someone who's {tall}, I always bang my head on doorframes",
    ),
    "family": (
        "My {relative}, who lives in {city}, is the person I'm closest to",
        "Ever since I was small, my {relative} has looked out for me",
    ),
    "condition": (
        "Ever since I was diagnosed with {cond} at {age}, I've had to plan my meals",
        "Living with {cond} means I keep an eye on myself all the time",
    ),
    "career": (
        "After {years} years as a {job}, I can spot a problem a mile off",
        "Having worked at {company} since {since}, I know everyone there",
    ),
    "values": (
        "As a practising {practising}, I pray every day",
        "Being teetotal, I'm always the designated driver",
    ),
    "pet": ("Whenever I travel, my {pet} {petname} stays with my parents",),
    "name": ("With a surname like {last}, I've spent my whole life spelling it out",),
    "education": ("Because I studied {subject} at {uni}, I still read about it for fun",),
    "diet": ("As a vegetarian of {years} years, I know every veggie place in town",),
}

_OPENERS = {
    "any": (
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "Ok so ",
        "So ",
        "Well, ",
        "Heads up, ",
        "Quick update: ",
        "Honestly ",
        "Lol ",
        "Not gonna lie, ",
        "Hey, ",
        "Hi! ",
        "Btw ",
    ),
    "neutral": ("Ah ", "Right, ", "Mm, "),
    "bad": ("Ugh, ", "Ugh ", "Oof, ", "Man, ", "Argh, ", "Sigh. ", "Typical, ", "Oh god, "),
    "good": ("Yay, ", "Woo, ", "Ahh ", "Phew, ", "Oh nice, ", "Finally, "),
}
_ENDS = {
    "any": ("", "", ".", ".", ".", "!", "...", " lol", " haha", " tbh"),
    "neutral": (" :)", ".", "!"),
    "bad": (" :(", " ugh", "!!", " lol", "...", " :/"),
    "good": (" :)", "!!", " yay", "!"),
}
_THEN = {
    "any": (
        ", so I'll be a bit slow to reply",
        ", so bear with me",
        ", so I can't chat for long",
        ", anyway how are you?",
        ", just so you know",
        " - I'll message you later",
        ", what are you up to?",
    ),
    "neutral": (", anyway", ", nothing exciting"),
    "bad": (
        ", what a day",
        ", send help",
        ", typical",
        ", can't wait for today to be over",
        ", but I'll survive",
    ),
    "good": (", can't complain", ", loving it", ", honestly the best"),
}

_LASTING_OPENERS = {
    "any": (
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "Remember that ",
        "For the record, ",
        "fyi ",
        "FYI, ",
        "Just so you know, ",
        "btw ",
        "By the way, ",
        "Oh and ",
        "Not sure if I told you, but ",
        "In case it matters, ",
        "For future reference, ",
        "Don't forget that ",
        "You should know ",
        "Please remember ",
        "Worth remembering: ",
    ),
    "neutral": ("Something about me: ", "Random fact about me: ", "Fun fact, ", "Oh, and "),
    "serious": (
        "Important: ",
        "Please make a note: ",
        "This is important, ",
        "Medical info: ",
        "Please remember that ",
        "Please keep in mind ",
    ),
}
_LASTING_ENDS = ("", "", ".", ".", ".", ".", "!", " haha", " lol", ", just so you know.")
_LASTING_THEN = (
    ", in case it comes up",
    ", for what it's worth",
    ", if that helps",
    ", just so you know",
)

_CASUAL = (  # (pattern, chat spelling): each applied with some probability
    (r"\bright now\b", "rn"),
    (r"\bat the moment\b", "atm"),
    (r"\bI'm\b", "im"),
    (r"\bdon't\b", "dont"),
    (r"\bcan't\b", "cant"),
    (r"\bwon't\b", "wont"),
    (r"\bit's\b", "its"),
    (r"\bthat's\b", "thats"),
    (r"\bI've\b", "ive"),
    (r"\bI'll\b", "ill"),
    (r"\bgoing to\b", "gonna"),
    (r"\byou\b", "u"),
    (r"\btonight\b", "tonite"),
    (r"\btomorrow\b", "tmrw"),
    (r"\bminutes\b", "mins"),
    (r"\breally\b", "rly"),
    (r"\bprobably\b", "prob"),
    (r"\bthough\b", "tho"),
    (r"\bbecause\b", "cuz"),
    (r"\bplease\b", "pls"),
    (r"\bwith\b", "w"),
    (r"\bsecond\b", "sec"),
    (r"\bto be honest\b", "tbh"),
)
_SLOT = re.compile(r"\{([A-Za-z_]+?)(\d?)\}")
_REPEATABLE = {"d", "L"}  # digits and letters of a made-up number may repeat
# Words that keep their capital after an opener: I, names, places, languages, months, ...
_PROPER_SLOTS = ("city", "fname", "mname", "last", "middle", "nick", "lang", "petname")
_PROPER_SLOTS += ("country", "month", "company", "author", "team", "uni", "practising")
_A_AN = re.compile(r"\b([Aa]) ([aeio]|u(?!ni|s[eu])|hour|honest)", re.I)
_OLD = tuple(" ".join(re.findall(r"[a-z0-9']+", s.lower())) for s in _PASSING)

MOMENTARY_KINDS: tuple[str, ...] = tuple(k.name for k in _MOMENTARY)
LASTING_KINDS: tuple[str, ...] = tuple(k.name for k in _LASTING)
MIN_WORDS, MAX_WORDS = 3, 25  # momentary
MAX_LASTING_WORDS = 32


def _proper_words() -> frozenset[str]:
    words = {"I", "I'm", "I've", "I'll", "I'd", "English"}
    for kind in _LASTING:
        for name in _PROPER_SLOTS:
            for value in kind.slots.get(name, ()):
                words.add(value.split()[0])
    for table in (_SHARED, _LASTING_SHARED):
        for name in _PROPER_SLOTS:
            words.update(v.split()[0] for v in table.get(name, ()))
    words.discard("the")
    return frozenset(words)


_PROPER = _proper_words()


def _fill(rng: random.Random, template: str, *tables: dict[str, tuple[str, ...]]) -> str:
    """Fill each {slot} (and any slot inside a value) from the first table that has it;
    {slot2} is another value of {slot}: one utterance never names the same city twice."""
    used: dict[str, set[str]] = {}

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        values = next(t[name] for t in tables if name in t)
        taken = used.setdefault(name, set())
        pool = values if name in _REPEATABLE else [v for v in values if v not in taken]
        value = rng.choice(pool or values)
        taken.add(value)
        return value

    text = template
    while "{" in text:
        text = _SLOT.sub(one, text)
    return text


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r" ([,.!?:])", r"\1", text)
    return _A_AN.sub(lambda m: ("An " if m.group(1) == "A" else "an ") + m.group(2), text)


def _lower_first(text: str) -> str:
    """``text`` continuing a sentence: its first letter in lower case, unless it begins
    with "I", a name or an acronym."""
    first = text.split(" ", 1)[0].rstrip(",:.!")
    if first in _PROPER or (len(first) > 1 and first[1:2].isupper()):
        return text
    return text[:1].lower() + text[1:]


def _finish(text: str, end: str) -> str:
    """``text`` with ``end``, unless it asks a question; an end that would be one clause
    too many (", just so you know" after another clause) is a full stop instead."""
    if text.endswith("?"):
        return text
    if end.startswith(",") and "," in text:
        end = "."
    word = end.strip(" .!,")
    if word and re.search(rf"\b{re.escape(word)}\b", text, re.I):  # "Lol ... lol"
        end = ""
    return text.rstrip(".!") + end if end else text


def _typo(rng: random.Random, text: str) -> str:
    """Swap two neighbouring letters in one longer word: the kind of slip people leave in."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def _style(rng: random.Random, text: str, casual: float) -> tuple[str, str]:
    """(``text`` in a style, the style): "plain" as written; "lazy" without the capital
    (and, later, the full stop); "casual" all in lower case with chat spellings and now
    and then a typo. ``casual`` is the share of casual; a fifth are lazy."""
    roll = rng.random()
    if roll < 0.8 - casual:
        return text[:1].upper() + text[1:], "plain"
    if roll < 1 - casual:
        return _lower_first(text), "lazy"
    for pattern, repl in _CASUAL:
        if rng.random() < 0.6:
            text = re.sub(pattern, repl, text, flags=re.I)
    text = text.lower()
    if rng.random() < 0.15:
        text = _typo(rng, text)
    return text, "casual"


def _open(text: str, opener: str, style: str) -> str:
    if not opener:
        return text
    if style == "casual":
        return opener.lower() + text
    if opener.rstrip()[-1] in ".!?":  # "Sigh. There's roadworks outside"
        return opener + text[:1].upper() + text[1:]
    return opener + _lower_first(text)


def _contains_old(text: str) -> bool:
    """Whether one of synth.passing's fixed sentences is in ``text``, word for word."""
    words = " " + " ".join(re.findall(r"[a-z0-9']+", text.lower())) + " "
    return any(f" {old} " in words for old in _OLD)


def momentary_labelled(rng: random.Random) -> tuple[str, str]:
    """(kind, utterance): a remark about the moment that will not be true in a few days."""
    while True:
        kind = rng.choice(_MOMENTARY)
        text = _fill(rng, rng.choice(kind.templates), kind.slots, _SHARED)
        if rng.random() < 0.22:  # a second clause
            then = kind.then + _THEN["any"] + _THEN[kind.tone]
            text = text.rstrip(".!") + _fill(rng, rng.choice(then), _SHARED)
        text, style = _style(rng, _tidy(text), casual=0.22)
        text = _open(text, rng.choice(_OPENERS["any"] + _OPENERS[kind.tone]), style)
        end = rng.choice(_ENDS["any"] + _ENDS[kind.tone])
        text = _finish(text, "" if style != "plain" and end == "." else end)
        if MIN_WORDS <= len(text.split()) <= MAX_WORDS and not _contains_old(text):
            return kind.name, text


def momentary(rng: random.Random) -> str:
    """A remark about the moment, e.g. "ugh stuck in traffic on the ring road rn"."""
    return momentary_labelled(rng)[1]


def lasting_labelled(rng: random.Random) -> tuple[str, str]:
    """(kind, utterance): a personal fact that stays true for years."""
    while True:
        kind = rng.choice(_LASTING)
        tables = (kind.slots, _LASTING_SHARED, _SHARED)
        asides = _ASIDES.get(kind.name, ())
        roll = rng.random()
        if asides and roll < 0.12:  # the fact as an aside in a longer sentence
            text = _fill(rng, rng.choice(asides), *tables)
        else:
            text = _fill(rng, rng.choice(kind.templates), *tables)
            if roll > 0.78:  # a second clause
                then = kind.then + _LASTING_THEN
                text = text.rstrip(".!") + _fill(rng, rng.choice(then), *tables)
        text, style = _style(rng, _tidy(text), casual=0.12)
        extra = "serious" if kind.tone == "serious" else "neutral"
        text = _open(text, rng.choice(_LASTING_OPENERS["any"] + _LASTING_OPENERS[extra]), style)
        end = rng.choice(_LASTING_ENDS)
        text = _finish(text, "" if style != "plain" and end == "." else end)
        if MIN_WORDS <= len(text.split()) <= MAX_LASTING_WORDS:
            return kind.name, text


def lasting(rng: random.Random) -> str:
    """A durable personal fact, e.g. "For the record, I'm allergic to shellfish"."""
    return lasting_labelled(rng)[1]
