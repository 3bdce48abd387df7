"""Generated (old, new, action) pairs for the forget gate's content head: does ``new`` make
the speaker's stored ``old`` fact stale?

This module owns the update pairs: for each of the kinds of personal fact in ``KINDS``
(home city, employer, partner, pets, phone, diet, bedtime, bank, ...) a list of values and
templates for stating the fact (old) and for the turns that may follow it (new):

- supersede (2): the value changes for the speaker, said outright ("sold the Golf and got a
  Yaris") or to be inferred from an event ("first day at Brightwave tomorrow, nervous");
- weaken (1): doubt without a replacement ("thinking about leaving Leeds");
- keep (0): related but changing nothing for the speaker: someone else's news of the same
  kind, a visit or something borrowed for a while, a wish or hypothetical, a plan, a
  question, an addition that does not replace ("we got a second dog"), a reaffirmation, a
  past fact, news of an unrelated kind, and (rarely) an old memory about someone else
  followed by the speaker's own change.

The kinds are split into "train" and "val" once and for all (``KINDS``) so that training
can hold out whole kinds of fact. No phrasing comes from the project's evaluation sets
(benchdata/). Deterministic given the rng; names, numbers and addresses are made up.

Template lines in ``_TABLE`` begin with a tag (s: old statement, x: explicit supersede,
i: implicit supersede, d: weaken, then the keep tags other, temp, wish, plan, ask, add,
still, past). {o} is the old value and {v} another value of the same kind; {o1}, {v1} ...
are further "/"-separated fields of a value. A template starting with "~" is sad or
serious, and gets no jokey ending.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection
from dataclasses import dataclass

SUPERSEDE, WEAKEN, KEEP = 2, 1, 0


@dataclass(frozen=True)
class _Kind:
    """One kind of fact: its split, values (tuples of fields) and templates by tag."""

    name: str
    split: str
    values: tuple[tuple[str, ...], ...]
    lines: dict[str, tuple[str, ...]]
    pick: str  # "any"; "next": v follows o in the list; "same0": v shares o's first field


_TAGS = ("s", "x", "i", "d", "other", "temp", "wish", "plan", "ask", "add", "still", "past")


def _kind(name: str, split: str, values: str, text: str, pick: str = "any") -> _Kind:
    vals = tuple(tuple(v.strip().split("/")) for v in re.split(r"[,\n]", values) if v.strip())
    lines: dict[str, list[str]] = {}
    for row in text.strip().splitlines():
        tag, _, template = row.strip().partition(" ")
        if tag not in _TAGS:
            raise ValueError(f"{name}: unknown tag in {row!r}")
        lines.setdefault(tag, []).append(template.strip())
    return _Kind(name, split, vals, {t: tuple(ls) for t, ls in lines.items()}, pick)


_TABLE: list[_Kind] = [
    _kind(
        "home_city",
        "train",
        """Leeds, Porto, Denver, Glasgow, Lyon, Melbourne, Osaka, Vancouver, Bristol, Valencia,
        Krakow, Austin, Edinburgh, Montreal, Manchester, Auckland, Cork, Utrecht, Seville,
        Bologna, Ghent, Halifax, Brighton, Gothenburg""",
        """
        s i live in {o}
        s i'm based in {o}
        s home is {o} these days
        s been living in {o} for about {n} years
        s we're in {o}, have been since uni
        s not from here originally but {o} is home
        s {o} born and bred, never lived anywhere else
        x moved to {v} last month, still living out of boxes
        x we relocated to {v} for my partner's job
        x i left {o} in the spring, i'm in {v} these days
        x packed up my whole life in {o} and went to {v}
        x officially a {v} resident as of this week
        x said goodbye to {o} for good, hello {v}
        x we did it, swapped {o} for {v} and i don't miss it one bit
        i finally got the keys to our place in {v}
        i first electricity bill at the {v} flat was brutal
        i still getting lost on the way to the shops here in {v}
        i registered with a gp in {v} yesterday, it finally feels real
        i the removal van got to {v} three hours late but we're in
        i changed my address on everything to {v}, what a faff
        i the neighbours here in {v} already invited us round for dinner
        i ~last night in {o} before the big move, feeling emotional
        d thinking about leaving {o}, the rent is getting silly
        d not sure how much longer i'll stay in {o}
        d been browsing flats in {v}, just browsing though
        d might take a job that would mean moving to {v}
        d {o} is starting to wear me down, might be time for a change
        d honestly not sure {o} is for me any more
        other {who} just moved to {v}
        other {who} lives in {o} too, small world
        other {who} is relocating to {v} for work
        other {who} bought a flat in {v}, so jealous
        other {who} finally left {o} for {v}
        temp spending a week in {v} for work
        temp back from a long weekend in {v}, my legs are dead
        temp in {v} till friday for a conference
        temp staying with my cousin in {v} for a few nights
        wish i'd love to live in {v} one day
        wish if i ever moved i'd pick {v}
        wish dream life is a tiny flat in {v} honestly
        plan thinking about visiting {v} in {month}
        plan booked flights to {v} for a friend's wedding
        plan we might do a day trip to {v} on {day}
        ask is {v} a nice place to live?
        ask anyone know a good coffee spot in {o}?
        ask what's the weather like in {v} in {month}?
        ask how expensive is rent in {v} compared to {o}?
        add we bought a tiny holiday place near {v}, weekends only
        add picked up a second flat in {v} to rent out
        still still loving life in {o}
        still {o} still feels like home after all these years
        still can't imagine living anywhere but {o}
        past i lived in {v} as a kid
        past spent most of my twenties in {v}
        past did a year abroad in {v} back at uni
        i thinking back, leaving {o} for {v} was the best thing i ever did
        i {who} helped us carry the sofa up three flights in {v}, never again
        i still not used to how early the shops shut here in {v}
        d {who} thinks i should leave {o}, might listen for once
        d not sure i'll still be in {o} this time next year
        other {who} might move to {v}, not sure yet
        other {who} is thinking about leaving {o}
        other {who} switched from {o} to {v} last year and loves it
        still still in {o} these days, no plans to move
        ask not sure if {v} is nice in {month}, any tips?
        plan might spend a few days in {v} in {month}, not sure yet
        wish if i ever switched cities it would be {v}, no question
        temp in {v} today and tomorrow for a work thing
        x moved to {v} in {month}, and changed jobs as well, busy year
        d might leave {o}, and the job as well, everything's up in the air
        other {who} is still getting used to life in {v}
        ask not sure why everyone raves about {v}, is it actually nice?
        i ~i'll miss {o} but the new place in {v} already feels like home
        plan i'll be in {v} for a week in {month}, any tips?
        still {o} is where i'll stay, no question
        """,
    ),
    _kind(
        "street",
        "train",
        """Mill Lane, Rose Street, Albert Road, Harbour View, Orchard Close, Station Road,
        Victoria Terrace, Elm Grove, Canal Street, Chapel Walk, Hill Rise, Linden Avenue,
        Foundry Lane, Marsh Road""",
        """
        s i live on {o}
        s my address is {num} {o}
        s we're at number {num} {o}, the one with the blue door
        s our flat is on {o}, right by the park
        x moved round the corner to {v}, same area but a way bigger kitchen
        x new address for you: {num} {v}
        x we're not on {o} any more, we went over to {v}
        x left the {o} place, we're on {v} these days
        i got our first post delivered to {v} today
        i the neighbours on {v} brought round a cake to welcome us
        i parking on {v} is a nightmare compared to {o}
        i handed the keys for the {o} flat back to the landlord this morning
        d the landlord wants to sell, so we might have to leave {o}
        d not sure we'll renew the lease on {o}
        d been to look at a place on {v}, nothing decided
        other {who} lives on {v}
        other {who} just moved onto {o}, so we're basically neighbours
        other {who} is buying a house on {v}
        temp staying at my parents' on {v} while our boiler gets fixed
        temp house-sitting for a friend on {v} for the week
        wish the houses on {v} are gorgeous, i'd love one
        plan there's a street party on {v} on {day}, might pop along
        ask is {v} a noisy street at night?
        ask does anyone know why they keep digging up {o}?
        add we're renting a garage on {v} as well, for the bikes
        still still at {num} {o}, same as ever
        still another year on {o} and i still love the street
        past grew up on {v}
        past my first ever flat was on {v}
        i still not used to the noise from the pub on {v}
        other {who} is thinking about buying on {v}
        still we're still on {o} these days, the street is lovely in summer
        plan might go look at the new cafe on {v} today
        d we got a letter about the rent going up, {o} might be over for us
        wish if we ever buy it'll be somewhere like {v}
        """,
    ),
    _kind(
        "home_type",
        "val",
        """a flat/flat, a terraced house/house, a houseboat/boat, a studio/studio,
        a bungalow/bungalow, a semi/semi, a house share/house share, a cottage/cottage,
        a loft apartment/loft, a static caravan/caravan, a townhouse/townhouse""",
        """
        s i live in {o}
        s home is {o}, tiny but ours
        s we rent {o} near the station
        s i've got {o}, nothing fancy
        s we own {o} just outside town
        x swapped the {o1} for {v}, so much more space
        x we moved out of the {o1} and into {v}
        x sold the {o1}, we're living in {v} these days
        x goodbye {o1}, we live in {v} now
        i first night in the new {v1} and i'm too excited to sleep
        i completion day! the {v1} is officially ours
        i spent all weekend painting the new {v1}
        i the {v1} is freezing in the mornings, still working out the heating
        i ~handed the keys to the {o1} over to the new owners, bittersweet
        d the {o1} is starting to feel way too small
        d we're half thinking of selling the {o1}
        d not sure how long we can put up with the {o1}, the damp is awful
        other {who} just bought {v}
        other {who} lives in {o} too, we compare damp problems
        other {who} is selling their {v1}
        temp staying in {v} for the week, a holiday let
        temp crashing in {who}'s {v1} while ours gets rewired
        wish one day i want {v} by the sea
        wish if money was no object i'd live in {v}
        plan going to view {v} with {who} on {day}, they're buying
        ask is living in {v} as cold as people say?
        ask how do you heat {v} without going broke?
        add we bought {v} to do up and rent out
        still still in the {o1}, still love it
        past grew up in {v}
        past lived in {v} for a year after uni
        i thinking back, selling the {o1} was the right call, {v} suits us
        other {who} is thinking about selling their {v1}
        other {who} switched from {o} to {v} and regrets it
        still still in the {o1} these days, no plans to leave
        d the {o1} was fine for one but it's a squeeze for two, we'll see
        plan might look at {v} with {who} at the weekend, they want to downsize
        ask anyone here ever lived in {v}? pros and cons?
        """,
    ),
    _kind(
        "job_title",
        "train",
        """nurse, teacher, software engineer, accountant, chef, paramedic, graphic designer,
        electrician, pharmacist, data analyst, journalist, architect, barista, mechanic,
        physiotherapist, solicitor, midwife, copywriter, estate agent, civil engineer""",
        """
        s i'm a {o}
        s i work as a {o}
        s been a {o} for {n} years
        s by day i'm a {o}, by night i sleep
        s i'm a {o}, it pays the bills
        x i quit being a {o} and retrained as a {v}
        x career change done, i'm a {v}
        x no longer a {o}! working as a {v}
        x handed in my notice as a {o}, starting as a {v} in {month}
        x i work as a {v} these days, the {o} life burnt me out
        i passed my final exam, fully qualified {v} as of friday
        i first week as a {v} and my feet are killing me
        i my {v} uniform arrived and it actually fits
        i ~my last ever shift as a {o} was so emotional
        i got my first payslip as a {v}, not bad at all
        d not sure i want to be a {o} forever
        d looking into retraining as a {v}, just looking
        d so burnt out as a {o}, might change careers
        d some days i wonder why i'm still a {o}
        other {who} just qualified as a {v}
        other {who} is a {o} too, we swap horror stories
        other {who} is training to be a {v}
        other my boss's daughter wants to be a {v}
        temp volunteering as a {v} at the festival this weekend
        wish part of me wishes i'd become a {v}
        wish if i could start again i'd be a {v}
        plan taking my nephew to a careers talk about being a {v}
        ask do {v}s get paid well?
        ask how long does it take to train as a {v}?
        add picked up a weekend job as a {v} as well
        add side gig as a {v} on saturdays, on top of the day job
        still still a {o}, still tired
        still {n} years as a {o} and i still like it
        past i was a {v} before i had kids
        past worked as a {v} in my twenties
        i not sure why i waited so long to retrain, being a {v} suits me
        i {who} came to my graduation today, officially a {v}, so proud of myself
        i still getting used to the hours as a {v}
        d {who} thinks i'd make a good {v}, might look into it
        other {who} is a {v} now
        other {who} switched careers and became a {v}
        other {who} might retrain as a {v}
        still i'm still a {o} these days, nothing new
        temp shadowing a {v} today for a work thing, just the one day
        plan thinking about doing a first aid course, just for fun
        x i'm a {v} these days, and i went part time as well
        d might stop being a {o}, and leave the city as well
        ask not sure why anyone becomes a {v}, is it fun?
        still still getting used to the night shifts as a {o}, even after all these years
        x i'll never go back to being a {o}, i love being a {v}
        plan i'll be helping out at a {v} training day on {day}, should be fun
        """,
    ),
    _kind(
        "employer",
        "val",
        """Northgate Hospital, Brightwave, Halcyon Foods, the council, Orbital Labs,
        Kestrel Bank, Bluefin Studios, Greenleaf Energy, Pinecrest Insurance, Vantage Retail,
        Lumen Software, Tidewater Shipping, Crestline Pharma, Maple & Co, Fernhill Schools""",
        """
        s i work at {o}
        s i'm at {o}, on the finance side
        s been with {o} since {year}
        s my employer is {o}
        s i work for {o}, the pay is decent
        x left {o} and joined {v}
        x i'm at {v} these days, {o} got too much
        x signed my contract with {v}, bye {o}
        x jumped ship from {o} to {v}
        x i don't work for {o} any more, i went to {v}
        i first day at {v} tomorrow, nervous
        i picked up my lanyard and laptop from {v} today
        i my leaving drinks at {o} were last night, head is pounding
        i onboarding at {v} is three days of slides
        i cleared my desk at {o} on friday, weird feeling
        d got an interview at {v} on {day}
        d things at {o} are shaky, layoffs are rumoured
        d a recruiter from {v} keeps messaging me and i'm tempted
        d not sure i see a future at {o}
        other {who} just got a job at {v}
        other {who} works at {o} too, different floor
        other {who} got made redundant from {v}
        temp on a two-week secondment at {v}, then back to normal
        wish would love to work at {v} someday
        wish if {v} ever called i'd say yes
        plan {o} is sending me to a conference in {city} in {month}
        plan team away day with {o} next week
        ask is {v} a good place to work?
        ask anyone know what the pension is like at {v}?
        add doing some evening consulting for {v} too
        still still at {o}, coming up on {n} years
        still {o} still treats us pretty well
        past did an internship at {v} years ago
        past my first job out of school was at {v}
        i thinking back, leaving {o} was the best move i've made
        i still finding my way around the office at {v}
        d {who} says {v} is hiring, might apply
        other {who} is thinking about leaving {v}
        other {who} is at {v} these days
        still still at {o} these days, no complaints
        temp at the offices of {v} today for a meeting, nice building
        d not sure why i'm still at {o}, might start looking
        other {who} is still getting used to {v}, big place
        i i'll be badging into {v} from monday, wish me luck
        still i'll probably retire at {o} at this rate
        """,
    ),
    _kind(
        "team",
        "train",
        """marketing, customer support, finance, design, sales, logistics, HR, research,
        legal, operations, procurement, IT, data, quality""",
        """
        s i work in {o}
        s i'm on the {o} team
        s i sit with {o} at work
        s my department is {o}
        x transferred from {o} to {v}
        x moved over to the {v} team, same company
        x said bye to the {o} lot, i'm with {v} these days
        x i'm not in {o} any more, they put me in {v}
        i first standup with the {v} team today
        i my new desk is right next to the {v} people
        i ~the {o} team gave me a card when i left, cried a bit
        i the {v} lot have way better snacks than my old team
        d there's an opening in {v} and i'm tempted
        d might put in for a transfer out of {o}
        d not sure {o} is the right fit for me
        other {who} works in {v}
        other {who} just joined {o}, same team as me
        other {who} got promoted to head of {v}
        temp covering for someone in {v} this week, total chaos
        wish i'd love to end up in {v} one day
        plan doing a lunch and learn with the {v} team on {day}
        ask what do people in {v} actually do all day?
        add i've been roped into helping {v} on fridays as well
        still still in {o}, still the best team in the building
        past started out in {v} when i first joined
        i not sure why i didn't move to {v} years ago
        other {who} switched to {v} last month
        other {who} might move over to {o}
        still i'm still in {o} these days
        d my manager keeps hinting i'd be good in {v}, we'll see
        ask is {v} a good team to move into?
        past spent a summer helping out in {v} as an intern
        """,
    ),
    _kind(
        "manager",
        "val",
        """Priya, Tom, Grace, Marcus, Helen, Dev, Sofia, Callum, Ines, Rob, Yusuf, Beth, Olu,
        Fiona""",
        """
        s my manager is {o}
        s i report to {o}
        s my boss {o} is pretty fair
        s {o} runs our team
        x i report to {v} these days, {o} moved on
        x new manager! {v} took over from {o}
        x we got reshuffled and {v} is my boss
        x {o} isn't my manager any more, i'm under {v}
        i had my first one to one with {v} today, seems sound
        i ~we signed {o}'s leaving card today, end of an era
        i {v} approved my holiday in ten minutes, the old boss took weeks
        i my appraisal is with {v} this year, not {o}, which is weird
        d rumour is {o} is leaving
        d {o} might be moving to another team
        d not sure {o} will still be my boss after the restructure
        other {who} has a new manager called {v}
        other {who} says their boss is a nightmare
        temp {v} is covering for {o} while they're on leave
        wish honestly wish {v} was my manager
        plan catch up with {o} on {day} about my pay rise
        ask how do you tell your manager you're overwhelmed?
        add got a mentor as well, {v} from the other office
        still {o} is still my boss, thankfully
        past my first ever manager was called {v}
        i still getting used to having {v} as my boss
        other {who} might get {v} as a manager, poor thing
        still {o} is still in charge these days
        temp {v} is signing things off today because {o} is off sick
        d {o} has been interviewing elsewhere, i'm fairly sure
        s {o} is my line manager
        ask is it normal for a manager to cancel every one to one?
        past {v} managed me for about six months at my last place
        """,
    ),
    _kind(
        "partner",
        "train",
        """Alex, Jamie, Sam, Chris, Morgan, Robin, Dani, Elliot, Nadia, Leo, Maya, Theo, Zara,
        Jonah, Kit, Ruth""",
        """
        s i'm with {o}
        s my partner is called {o}
        s {o} and i have been together {n} years
        s i live with my partner {o}
        s me and {o} are pretty serious
        x ~{o} and i broke up
        x ~i'm not with {o} any more
        x seeing someone called {v} these days, early days
        x ~split from {o} last month, and i'm seeing {v}
        x {o} is my ex now, it was mutual
        i ~helped {o} move their stuff out on saturday, weird day
        i ~sleeping in the middle of the bed again since {o} left
        i {v} and i made it official!
        i ~gave {o} their key back and that was that
        i {v} met my parents this weekend, only took three months of dating
        d things with {o} are rocky
        d not sure {o} and i are going to make it
        d we're on a break, me and {o}
        d been wondering lately if {o} is the one
        other {who} just started dating someone called {v}
        other {who} got engaged to {v}
        other {who} split up with {v}
        plan {o} and i are going to {city} for our anniversary
        ask what's a good anniversary present?
        still {o} and i are still going strong
        still {n} years with {o} and still not bored of each other
        past my first ever date was with someone called {v}
        past dated a {v} at school, we still laugh about it
        i ~still not used to coming home to an empty flat, {o} took the cat too
        i {who} set me up with {v} and it's going really well
        d {who} thinks {o} and i should take a break, might be right
        other {who} is thinking about breaking up with {v}
        other {who} is with {v} now, cute couple
        still {o} and i are still together these days, despite everything
        plan might take {o} to {city} for their birthday, not sure yet
        still still getting used to {o}'s snoring, {n} years in
        """,
    ),
    _kind(
        "pets",
        "train",
        """dog/Biscuit, cat/Pickle, rabbit/Clover, dog/Bear, cat/Mochi, parrot/Kiwi,
        greyhound/Pepper, cat/Juniper, guinea pig/Nugget, spaniel/Rolo, tortoise/Gus,
        lurcher/Fern, cat/Tofu, beagle/Waffle""",
        """
        s i have a {o} called {o1}
        s my {o}, {o1}, is my whole world
        s it's just me and {o1} the {o}
        s we've got a {o} named {o1}
        x ~we had to rehome {o1}, it wasn't fair on a {o} in a flat
        x ~{o1} passed away last week
        x ~lost {o1} on {day}, i'm gutted
        x no pets these days, {o1} went to live with my parents
        x {o1} went to live on my aunt's farm and we adopted a {v} called {v1}
        i ~the house is so quiet without {o1}
        i ~scattered {o1}'s ashes at the beach today
        i ~still can't bring myself to wash {o1}'s bowl
        i ~gave all of {o1}'s toys to the rescue centre, it felt right
        d not sure we can keep {o1}, the landlord is kicking up a fuss
        d might have to rehome {o1}, i'm never home any more
        other {who} got a {v} called {v1}
        other {who} is looking after a {v} for a friend
        other {who} has a {o} too, they're basically twins
        temp pet-sitting {who}'s {v} this week
        wish i'd love a {v} one day
        plan taking {o1} to the vet on {day}
        ask how often should a {v} go to the vet?
        ask what do you feed a {v} that's gone fussy?
        add we got a second {o}!
        add adopted a {v} called {v1} to keep {o1} company
        add the vet says the new {v} is settling in fine
        still {o1} is still the laziest {o} alive
        past we had a {v} when i was little
        i ~still can't walk past the park without thinking of {o1}
        d {who} thinks we should rehome {o1}, might be right
        other {who} might get a {v}, not sure yet
        other {who} is thinking about adopting a {v}
        add thinking back, getting {o1} a buddy was the best idea
        still {o1} is still with us these days, old but happy
        still still getting used to {o1}'s weird habits, even now
        other {who} is still getting used to their new {v}
        """,
    ),
    _kind(
        "children",
        "val",
        "one kid/one/first, two kids/two/second, three kids/three/third, four kids/four/fourth",
        """
        s i have {o}
        s we've got {o}, busy house
        s parent of {o1}, zero sleep
        s i've got {o} and a very tired face
        x baby number {v1} arrived on {day}!
        x that makes {v} for us, we're outnumbered
        x our {v2} was born last night, everyone's healthy
        x we have {v} as of this week, send coffee
        i three am feeds again, i forgot how hard the newborn stage is
        i the eldest is loving being a big sister, the baby not so much
        i home from the hospital with our {v2}, tiny and perfect
        i had to buy a bigger car, there's one more car seat to fit
        d early days but we might be expecting again
        d we keep talking about trying for a {v2}
        other {who} just had their {v2} baby
        other {who} has {v} too, we swap survival tips
        temp babysitting my nephews all week, so it's mayhem here
        wish always wanted a big family honestly
        plan school open day on {day}, can't believe how fast they grow
        ask how do people with {v} ever leave the house?
        still still {o}, still no sleep
        past i was one of {v1} kids growing up
        i {who} came to meet the new baby today, the older one is jealous already
        other {who} might have another, not sure yet
        still still {o} these days, and that's plenty
        s we're a house with {o}, never quiet
        d baby names keep coming up at dinner, make of that what you will
        ask what's the age gap between your kids?
        past {who} was one of {v1} kids too
        """,
        pick="next",
    ),
    _kind(
        "car",
        "train",
        """Ford Fiesta, Toyota Yaris, VW Golf, Honda Civic, Skoda Octavia, Mazda MX-5,
        Volvo XC40, Kia Niro, Tesla Model 3, Fiat 500, Nissan Leaf, Mini Cooper,
        Subaru Outback, Renault Clio, Land Rover Defender""",
        """
        s i drive a {o}
        s my car is a {o}
        s got an old {o}, runs fine
        s i've had my {o} for {n} years
        x sold the {o} and bought a {v}
        x traded in the {o} for a {v}
        x i drive a {v} these days
        x swapped the {o} for a {v}, no regrets
        x the {o} is gone, got myself a {v}
        i picked up the {v} from the dealer this morning, that new car smell
        i ~the {o} went to the scrapyard today, rip
        i insurance on the {v} is way cheaper than the {o} was
        i ~my {o} got written off in the crash, i'm fine though
        i still keep looking for the {o} in the car park out of habit
        d thinking about selling the {o}
        d the {o} keeps breaking down, might get rid
        d test driving a {v} on {day}, just to see
        d not sure the {o} will pass its mot this year
        other {who} bought a {v}
        other my boss just bought a {v}, showing off as usual
        other {who} drives a {o} too, same colour even
        temp got a {v} as a courtesy car while mine's in the garage
        temp rented a {v} for the road trip, fun to drive
        wish dream car is a {v}
        wish if i won the lottery i'd get a {v} tomorrow
        plan going to help {who} look at a {v} on {day}
        ask are {v}s reliable?
        ask what's the insurance like on a {v}?
        add we got a second car, a little {v} for the school run
        still still driving the {o}, it refuses to die
        past my first car was a {v}
        past learned to drive in my dad's {v}
        i not sure why i didn't get a {v} years ago
        i {who} gave me a lift to pick up the {v} today
        i still getting used to the pedals on the {v}
        d {who} keeps saying i should sell the {o}, might listen
        other {who} switched from a {o} to a {v}
        other {who} sold their {v} today
        other {who} might get a {v}, not sure yet
        other {who} has a new {v}, so shiny
        still still the {o} these days, it just keeps going
        temp {who} lent me their {v} today, so weird to drive
        i sold the {o} and the roof box as well, the {v} has loads of space
        other {who} is still getting used to their {v}
        ask not sure why {v}s are so expensive, anyone know?
        still i'll drive the {o} till the wheels fall off
        wish one day i'll treat myself to a {v}
        """,
    ),
    _kind(
        "bike",
        "train",
        """road bike, mountain bike, e-bike, folding bike, fixie, gravel bike, cargo bike,
        hybrid, vintage racer, BMX, tandem""",
        """
        s i ride a {o}
        s i've got a {o} i take everywhere
        s my bike's a {o}
        x sold the {o}, got a {v}
        x i ride a {v} these days, so much better for hills
        x upgraded from a {o} to a {v}
        i ~my {o} got nicked from outside the station
        i first ride on the new {v} and i was grinning the whole way
        i the {v} fits in the hallway so much better than the {o} did
        d might sell the {o}, it's gathering dust
        d not sure the {o} suits me any more
        other {who} got a {v} for their birthday
        other {who} rides a {o} as well, we go out on sundays
        temp borrowed {who}'s {v} for the weekend
        wish i want a {v} so badly
        plan going to a bike shop with {who} on {day}, they want a {v}
        ask are {v}s worth the money?
        add bought a {v} too, for the muddy stuff
        still still riding the {o} to work every day
        past had a {v} as a teenager
        i still getting used to the gears on the {v}
        other {who} might get a {v}, not sure
        other {who} sold their {v} today
        still still on the {o} these days
        s i get everywhere on my {o}
        d the {o} needs so much work, might just get something else
        d half tempted by a {v}, the {o} is a bit much on my commute
        """,
    ),
    _kind(
        "phone",
        "train",
        """iPhone 12, iPhone 15, Pixel 7, Pixel 8, Galaxy S23, Galaxy A54, OnePlus 11,
        iPhone SE, Fairphone 5, Motorola Edge, Nothing Phone, Xperia""",
        """
        s i use a {o}
        s my phone's a {o}
        s i'm on a {o}, it does the job
        x switched from my {o} to a {v}
        x got rid of the {o}, i've got a {v}
        x i'm a {v} person these days
        i setting up the {v} took all evening, transferring photos
        i ~dropped my {o} in the canal, so that's gone
        i the battery on the {v} is unreal compared to the {o}
        i still learning where everything is on the {v}
        d my {o} is dying, might upgrade
        d eyeing up the {v} deals
        d not sure the {o} will last another year
        other {who} got a {v}
        other {who} has the same {o} as me
        temp using {who}'s old {v} while mine's being repaired
        wish want the {v} so bad
        plan {who} wants me to help set up their {v} on {day}
        ask is the camera on the {v} any good?
        add got a cheap {v} as a work phone too
        still still on my trusty {o}
        past my first smartphone was a {v}
        i not sure why i waited so long to switch to a {v}
        i still getting used to the keyboard on the {v}
        d {who} keeps telling me to switch to a {v}, might do it
        other {who} switched to a {v} and won't shut up about it
        other {who} might get a {v}, not sure yet
        other {who} has a new {v}
        still still using the {o} these days
        x switched to a {v}, and changed network as well
        ask not sure why the {v} costs so much, is it worth it?
        other {who} is still getting used to their new {v}
        s i've got a {o}
        """,
    ),
    _kind(
        "laptop",
        "val",
        """MacBook Air, ThinkPad, Dell XPS, Surface Laptop, Chromebook, MacBook Pro,
        gaming laptop, HP Spectre, Framework laptop, Zenbook, Acer Swift""",
        """
        s i work on a {o}
        s my laptop is a {o}
        s i do everything on my {o}
        x replaced the {o} with a {v}
        x i'm on a {v} these days, the {o} finally gave up
        x ditched the {o} for a {v}
        i unboxed the {v} last night and it's so light
        i ~spilled tea all over the {o} and it's totally dead
        i the {v} boots in about three seconds, i keep laughing at it
        i sold the {o} on marketplace yesterday
        d the {o} is getting so slow, might replace it
        d been reading reviews of the {v}, tempted
        other {who} bought a {v} for uni
        other {who} has a {o} too, ours got mixed up at work once
        temp using a loaner {v} from work while mine's at the repair shop
        wish would love a {v} if i had the money
        plan helping {who} pick a laptop on {day}, they like the {v}
        ask is the {v} good for video editing?
        add got a {v} as well, just for games
        still still on the {o}, it's held up well
        past my first laptop was a {v}
        i still not used to the keyboard on the {v}
        other {who} switched to a {v} today
        other {who} is thinking about getting a {v}
        still still on the {o} these days
        ask not sure why the {v} is so popular, is it good?
        s i'm a {o} person for work and everything else
        x my {o} is retired, it's a {v} for me
        d the battery on the {o} lasts about an hour, i'm looking around
        d keep getting adverts for the {v}, and honestly it's working
        ask how long should a laptop last, realistically?
        past i had a {v} at school, it weighed a ton
        """,
    ),
    _kind(
        "email",
        "train",
        """bluefox{d}{d}@gmail.com, quiet.river{d}@outlook.com, tea.and.toast{d}{d}@proton.me,
        nightowl{d}{d}{d}@yahoo.com, moss.green{d}@icloud.com, littlebird{d}{d}@fastmail.com,
        kettle.on{d}{d}@hotmail.co.uk, paperplane{d}{d}@gmail.com, hello{d}{d}@jmakes.co.uk""",
        """
        s my email is {o}
        s best email for me is {o}
        s you can reach me at {o}
        s email me on {o} if you need anything
        x new email: {v}
        x stopped using {o}, use {v} instead
        x please use {v} from now on, not {o}
        x my address changed to {v}, the {o} one is gone
        i finally got {v} set up and forwarding everything
        i closed down {o}, drowning in spam
        i if you email {o} it'll bounce, sorry
        i got my first newsletter on {v}, it's really mine
        d might ditch {o}, it's full of spam
        d not sure i'll keep {o}, thinking of switching providers
        other {who}'s email is {v}
        other {who} keeps emailing my old address instead of {o}
        temp i'm away so the auto-reply is on for {o}
        plan need to clear out {o} this weekend, 4000 unread
        ask is a paid email service worth it?
        add made a separate email for work stuff, {v}
        still {o} still works, that's the one
        past my first email address was so embarrassing
        i not sure why i kept {o} so long, {v} is so much cleaner
        other {who} switched to a new address, {v}
        other {who} might change their email, not sure
        still {o} is still my main one these days
        d half my mail to {o} ends up in spam, might switch
        s {o} is the address to use for me
        """,
    ),
    _kind(
        "phone_number",
        "val",
        """07{d}{d}{d} {d}{d}{d}{d}{d}{d}, +44 7{d}{d}{d} {d}{d}{d} {d}{d}{d},
        ({d}{d}{d}) 555-{d}{d}{d}{d}, 06 {d}{d} {d}{d} {d}{d} {d}{d},
        +353 8{d} {d}{d}{d} {d}{d}{d}{d}""",
        """
        s my number is {o}
        s you can text me on {o}
        s my mobile is {o}
        s call me on {o} if it's urgent
        x new number, it's {v}
        x changed my number to {v}
        x {o} doesn't work any more, use {v}
        x save this one instead of {o}: {v}
        i got a new sim, this is me: {v}
        i ~my old number got cancelled when i switched networks, so {o} is dead
        i if you rang {o} and got a stranger, that's why, it's {v} for me
        d might switch networks and lose {o}
        d thinking about a new number, way too many spam calls
        other {who}'s number is {v}
        other {who} had {o} before me, i still get their calls
        temp using a local sim while i'm abroad, {v}, back on {o} next week
        ask how do you block spam calls?
        add got a work number too: {v}
        still same number as always, {o}
        past had the same number from age twelve until uni
        i still giving out {o} by accident, it's {v} these days
        other {who} has a new number now
        other {who} switched networks today and lost their number
        still still {o} these days
        d my contract ends next month, {o} might not survive the switch
        d might get a new number after all these scam texts
        ask is it a hassle to keep your number when you switch networks?
        past my first mobile number was one digit off my mum's
        """,
    ),
    _kind(
        "diet",
        "train",
        "vegetarian, vegan, pescatarian, gluten-free, dairy-free, low-carb",
        """
        s i'm {o}
        s i've been {o} for {n} years
        s i follow a {o} diet
        s i eat {o}, have done for ages
        x i'm not {o} any more, went {v}
        x gave up being {o}, i'm {v} these days
        x switched from {o} to {v} in january
        x i eat {v} now, {o} just wasn't working for me
        i my fridge is full of {v} stuff since the switch
        i one month fully {v} today!
        i my doctor is really pleased with how the {v} diet is going
        i cleared out all my {o} recipe books, the new {v} ones are better
        d finding it so hard to stay {o}
        d not sure {o} is working for me
        d had a wobble at the weekend, not sure how {o} i really am
        other {who} went {v}
        other {who} is {o} too, makes dinner easy
        temp doing a {v} week for a charity challenge
        wish i really admire people who manage to be {v}
        plan cooking a {v} dinner for {who} on {day}
        ask any good {v} places to eat near you?
        add cutting out caffeine as well
        still still {o}, still not missing much
        past i was {v} for a year at uni
        i not sure why i didn't go {v} years ago
        i still finding it weird cooking {v} every night
        d {who} thinks being {o} isn't good for me, might see a nutritionist
        other {who} might go {v}, not sure yet
        other {who} switched to {v} today
        other {who} is {v} now
        still still {o} these days
        temp eating {v} this week because {who} is visiting
        x went {v}, and gave up alcohol as well
        ask not sure why {v} is so popular, is it healthier?
        d the {o} thing is harder at work lunches than i expected
        """,
    ),
    _kind(
        "allergy",
        "val",
        "peanuts, shellfish, penicillin, cats, pollen, latex, eggs, wasp stings, sesame, kiwi",
        """
        s i'm allergic to {o}
        s i have a bad allergy to {o}
        s i react badly to {o}
        x turns out i'm not allergic to {o} after all
        x my allergy test came back clear for {o}
        x i outgrew being allergic to {o}
        x the reaction was to {v} all along, not {o}
        i did the supervised test for {o} at the hospital, no reaction at all
        i the specialist took {o} off my allergy list
        i my notes don't mention {o} any more after the retest
        d not sure i'm still allergic to {o}, had a tiny bit and was fine
        d the doctor wonders if i was ever really allergic to {o}
        other {who} is allergic to {v}
        other {who} is allergic to {o} as well
        plan allergy review with the practice nurse on {day}, just routine
        ask is being allergic to {v} common?
        add turns out i'm allergic to {v} too
        add new one for the list: {v}
        still still allergic to {o}, still annoying
        past i was mildly allergic to {v} as a baby
        i still can't believe {o} doesn't bother me any more, after all these years
        other {who} might be allergic to {v}, not sure yet
        still still allergic to {o} these days, nothing's changed
        s i can't go near {o}, allergic
        x the allergy clinic says i'm not allergic to {o} any more
        d i'm booked in to be retested, the {o} allergy might have gone
        d had {o} by accident and nothing happened, not sure what to think
        ask can you grow out of being allergic to {v}?
        past my dad was allergic to {v} when he was young
        """,
    ),
    _kind(
        "medication",
        "train",
        """sertraline, metformin, levothyroxine, propranolol, citalopram, amlodipine,
        omeprazole, lisinopril, fluoxetine, ramipril, atorvastatin, mirtazapine""",
        """
        s i take {o} every morning
        s i'm on {o}
        s my regular meds are {o}
        x came off {o}, i'm on {v} instead
        x doctor switched me from {o} to {v}
        x stopped taking {o} last month
        i first week on {v} and the side effects are calming down
        i picked up my first box of {v} today
        i no more {o}, the doctor's happy with my bloods
        i binned the last of the {o} at the pharmacy take-back
        d thinking about asking to come off {o}
        d not sure {o} is doing much for me
        other {who} takes {v}
        other {who} is on {o} as well, we compare notes
        plan med review with the gp on {day}
        ask can you drink on {v}?
        add been given {v} on top of the {o}
        still still on {o}, no changes
        past took {v} for a while as a teenager
        i not sure why i put off switching to {v} for so long
        i still getting used to taking {v} at night instead of the morning
        other {who} switched to {v} today
        other {who} might come off {v}
        still still on {o} these days
        plan might ask about {v} at my next review, just to know my options
        s {o} is my daily med
        x the doctor took me off {o} and put me on {v}
        d might come off {o} in the summer, we'll see what the doctor says
        d wondering if {o} is causing my headaches
        """,
    ),
    _kind(
        "dose",
        "train",
        """sertraline/50mg, sertraline/100mg, sertraline/150mg, levothyroxine/50mcg,
        levothyroxine/75mcg, levothyroxine/100mcg, propranolol/10mg, propranolol/40mg,
        metformin/500mg, metformin/1000mg, citalopram/10mg, citalopram/20mg""",
        """
        s i'm on {o1} of {o}
        s my {o} dose is {o1}
        s i take {o1} of {o} a day
        x my {o} got changed to {v1}
        x they moved my {o} to {v1}
        x dose change: {v1} of {o} instead of {o1}
        i the new {v1} {o} tablets are a different colour, confused me this morning
        i the pharmacist double checked the {v1} dose with me, all sorted
        i week two on the new dose and i feel more like myself
        d my {o} dose might change at my next review
        d not sure {o1} is enough any more
        other {who} is on {v1} of {v}
        temp taking an extra dose this week, doctor's orders, just short term
        ask is {v1} of {v} a high dose?
        still still on {o1} of {o}
        past i was on {v1} when i first started
        i still getting used to the new dose, bit of a headache today
        other {who} just had their {v} dose changed
        still still {o1} these days, no change
        d the doctor mentioned changing my {o1} of {o}, nothing's decided
        """,
        pick="same0",
    ),
    _kind(
        "doctor",
        "val",
        """Dr Okafor, Dr Lindqvist, Dr Patel, Dr Moreau, Dr Chen, Dr Ferreira, Dr Walsh,
        Dr Haddad, Dr Nakamura, Dr Byrne, Dr Mensah""",
        """
        s my gp is {o}
        s i see {o} at the surgery
        s {o} is my doctor
        x switched gps, i see {v} these days
        x {o} retired so they've moved me to {v}
        x i'm with {v} now rather than {o}
        i first appointment with {v} today, they actually listened
        i registered at the new surgery and got {v}
        i ~went to {o}'s retirement do at the surgery, sad to see them go
        d thinking of changing surgeries, {o} never has appointments
        d not sure i'll stick with {o}
        other {who} sees {v}
        other {who} is with {o} too
        temp saw a locum, {v}, because {o} was off
        plan seeing {o} on {day} about my knee
        ask how do you switch gp?
        add got referred to a specialist as well, {v}
        still still with {o}, wouldn't change
        past {v} was my doctor when i was a kid
        i still getting used to {v}, but they're nice
        other {who} switched to {v} today
        other {who} might change gp
        still still seeing {o} these days
        s i'm registered with {o}
        x the surgery moved me from {o} to {v}
        d {o} might be leaving the practice, the receptionist hinted
        d i keep thinking about switching gp, {o} rushes everything
        ask do you get to choose your gp?
        past {who} used to see {v} as well, years ago
        """,
    ),
    _kind(
        "dentist",
        "train",
        """Bright Smile Dental, Harbour Dental, Parkside Dental, City Dental Care,
        Elm Tree Dental, Riverside Dental, Kingsway Dental, Oakwood Dental, the dental school""",
        """
        s my dentist is at {o}
        s i go to {o} for my teeth
        s i'm registered at {o}
        x left {o}, registered at {v}
        x i go to {v} for my teeth these days
        x changed dentists, it's {v} for me
        i first check-up at {v} and no fillings!
        i {o} dropped me as a patient, so {v} it is
        i the hygienist at {v} is so much gentler
        d thinking of leaving {o}, they keep cancelling
        d not sure about {o} any more, the prices went up
        other {who} goes to {v}
        other {who} swears by {o} too
        temp emergency appointment at {v} because mine had no slots
        plan check-up at {o} on {day}, dreading it
        ask is {v} any good?
        still still at {o}, they're lovely
        past went to {v} as a kid
        i not sure why i stayed at {o} so long, {v} is lovely
        other {who} switched to {v} today
        still still at {o} these days
        s {o} is my dentist
        x switched from {o} to {v}
        d {o} might stop doing nhs, which would mean finding somewhere new
        d not impressed with {o} after the last filling
        """,
    ),
    _kind(
        "gym",
        "train",
        """PureGym, the leisure centre, Anytime Fitness, Gymbox, The Gym Group,
        Fitness First, the uni gym, David Lloyd, the YMCA, Nuffield Health,
        the climbing centre""",
        """
        s i go to {o}
        s i'm a member at {o}
        s my gym is {o}
        s i train at {o} most mornings
        x cancelled my {o} membership and joined {v}
        x switched gyms, {v} these days
        x i'm at {v} now, {o} was always rammed
        i induction at {v} today, the machines are so fancy
        i my last direct debit to {o} went out, free at last
        i the showers at {v} actually have hot water, what a treat
        d thinking of cancelling {o}
        d might switch gyms, {o} is always rammed
        other {who} joined {v}
        other {who} goes to {o} too, we never see each other
        temp got a free week pass for {v}
        wish wish i could afford {v}
        plan trying a class at {v} with {who} on {day}, just a one-off
        ask is {v} worth the money?
        add joined {v} as well, just for the pool
        still still going to {o} three times a week
        past used to go to {v} back in the day
        i not sure why i didn't switch to {v} sooner
        i still getting lost in the changing rooms at {v}
        other {who} switched to {v} today
        other {who} might cancel {v}, not sure
        still still at {o} these days
        temp trying out {v} today with a guest pass, just the once
        x joined {v} and cancelled the yoga classes as well
        ask not sure why {v} costs so much, is it worth it?
        plan i'll try the spin class at {o} on {day}
        d i barely use {o} any more, thinking of cancelling
        d {o} is putting prices up, might go elsewhere
        """,
    ),
    _kind(
        "hobby",
        "train",
        """running, climbing, tennis, swimming, yoga, five-a-side, pottery, rowing, cycling,
        chess, boxing, baking, knitting, photography""",
        """
        s i'm really into {o}
        s my thing is {o}
        s i spend every weekend on {o}
        s {o} keeps me sane
        x gave up {o}, it's all about {v} these days
        x i don't do {o} any more, took up {v} instead
        x swapped {o} for {v}, my knees thank me
        i my {v} club already voted me social secretary
        i sold all my {o} gear on marketplace
        i three months into {v} and i'm obsessed
        i ~my physio says no more {o}, ever
        d falling out of love with {o}
        d not sure i'll keep up {o} after the injury
        other {who} just got into {v}
        other {who} does {o} as well, we should go together
        temp had a go at {v} on holiday, fun but not for me
        wish always wanted to try {v}
        plan signed up for a {v} taster session on {day}, just to see
        ask is {v} hard to pick up?
        add picked up {v} as well
        still still obsessed with {o}
        past did {v} at school
        i not sure why i didn't take up {v} years ago
        i still sore from {v} on sunday, the new thing is brutal
        other {who} switched from {o} to {v}
        other {who} might try {v}, not sure
        still still doing {o} these days
        temp doing {v} today for a team building thing
        x gave up {o}, and the gym as well, it's just {v} for me
        d might give up {o}, and the club membership as well
        other {who} is still getting used to {v}, it's hard
        still i'll never get bored of {o}
        d {o} is starting to feel like a chore
        """,
    ),
    _kind(
        "instrument",
        "val",
        """guitar, piano, drums, violin, cello, ukulele, saxophone, bass, trumpet, flute,
        banjo, harp""",
        """
        s i play the {o}
        s i've played the {o} since i was little
        s the {o} is my instrument
        x gave up the {o}, learning the {v} instead
        x i've switched from the {o} to the {v}
        x i play the {v} these days, the {o} is in the loft
        i my {v} teacher says i've got a good ear
        i sold my {o} to pay for {v} lessons
        i first gig on the {v} with the new band!
        d not sure i'll keep playing the {o}
        d thinking of giving up the {o}, no time
        other {who} plays the {v}
        other {who} plays the {o} too, we should jam
        temp borrowed a {v} from school for the summer to mess about on
        wish i'd love to be able to play the {v}
        plan going to see {who} play the {v} on {day}
        ask is the {v} hard to learn as an adult?
        add learning the {v} as well
        still still playing the {o} most evenings
        past played the {v} in the school orchestra
        i still getting the hang of the {v}, slow going
        other {who} switched to the {v}
        other {who} might take up the {v}
        still still playing the {o} these days
        s i play the {o} in a little band
        x these days i play the {v}, i gave the {o} away
        d i haven't touched the {o} in months, might sell it
        d the {o} is feeling like homework lately
        wish if i had the time i'd learn the {v}
        ask what's the easiest instrument to pick up, the {v}?
        past my grandad played the {v}
        """,
    ),
    _kind(
        "school",
        "train",
        """Northumbria, the Open University, King's, Bristol, Strathclyde, UCL, Exeter,
        Cardiff, Trinity, Sheffield Hallam, Warwick, Durham""",
        """
        s i study at {o}
        s i'm at {o}
        s i'm a student at {o}
        x transferred from {o} to {v}
        x dropped out of {o}, starting at {v} in september
        x i'm at {v} these days, {o} wasn't for me
        i freshers' week at {v} is absolute chaos
        i got my {v} student card today
        i ~collected my things from halls at {o} for the last time
        d not sure {o} is right for me
        d thinking about transferring out of {o}
        other {who} got into {v}
        other {who} is at {o} as well
        temp summer school at {v} for two weeks
        wish always dreamed of going to {v}
        plan open day at {v} with my little brother on {day}
        ask is {v} good for engineering?
        add doing an evening course at {v} too
        still still at {o}, second year
        past did a foundation year at {v}
        i not sure why i didn't transfer to {v} sooner
        i still getting lost on campus at {v}
        other {who} might transfer to {v}
        still still at {o} these days
        temp visiting {v} today for a friend's graduation
        s {o} is where i study
        x left {o} for {v}, long story but it's better
        d the course at {o} is a mess, might look elsewhere
        d keep thinking about applying to {v} instead of staying at {o}
        """,
    ),
    _kind(
        "degree",
        "val",
        """law, nursing, computer science, history, economics, biology, architecture,
        psychology, maths, french, medicine, philosophy, engineering""",
        """
        s i'm studying {o}
        s i'm doing a degree in {o}
        s i'm a {o} student
        x switched my degree from {o} to {v}
        x i changed course, it's {v} for me
        x i'm not doing {o} any more, i'm on the {v} course
        i first {v} lecture today and i actually understood it
        i the {v} reading list is insane
        i ~sold my {o} textbooks to a first year
        d not sure {o} is for me
        d thinking about changing course
        other {who} is studying {v}
        other {who} does {o} too, same lectures
        temp sitting in on some {v} lectures this week, for fun
        wish wish i'd done {v}
        plan going to a {v} open lecture on {day}
        ask is {v} a hard degree?
        add picked up a {v} module too
        still still doing {o}, final year
        past did {v} at a-level
        i still catching up on the {v} first year stuff
        other {who} switched to {v}
        other {who} might change to {v}
        still still doing {o} these days
        s i'm in my first year of {o}
        x i'm doing {v} now, not {o}
        d {o} is harder than i thought, might switch
        d talked to my tutor about maybe moving over to {v}
        d wondering if i picked the wrong subject with {o}
        wish wish i'd picked {v} at eighteen
        ask is {v} useful for getting a job?
        past my mum studied {v}
        """,
    ),
    _kind(
        "bedtime",
        "train",
        "9pm, 10pm, half ten, 11pm, midnight, half nine, 1am, 2am",
        """
        s i'm in bed by {o}
        s lights out at {o} for me
        s i go to sleep around {o}
        x i go to bed at {v} these days
        x pushed my bedtime from {o} to {v}
        x i'm a {v} bedtime person now, not {o}
        i since the new shifts i'm not in bed till {v}
        i the baby has me asleep by {v} most nights, rock and roll
        i my sleep tracker says {v} is when i actually drop off these days
        d my {o} bedtime isn't really happening lately
        d not sure {o} works for me any more
        other {who} goes to bed at {v}
        temp staying up till {v} tonight for the match
        wish wish i could be in bed by {v}
        ask is {v} too late to go to bed?
        still still in bed by {o}, like a grandma
        past as a student i never slept before {v}
        i not sure why i fought it so long, {v} bedtimes suit me
        i still getting used to {v} bedtimes
        other {who} switched to a {v} bedtime now
        still still {o} these days
        temp probably bed at {v} tonight, long day tomorrow
        s bedtime for me is {o}, strict
        x {v} is my bedtime these days, {o} was never realistic
        d struggling to get to bed by {o} lately
        d might give up on the {o} bedtime, it's not happening
        """,
    ),
    _kind(
        "wake_time",
        "val",
        "5am, 6am, half six, 7am, 8am, 9am, quarter to six, 10am, half seven",
        """
        s i'm up at {o} every day
        s my alarm goes off at {o}
        s i wake up at {o}
        x i get up at {v} these days
        x moved my alarm from {o} to {v}
        x i'm a {v} riser now, {o} is history
        i the new job starts early so it's a {v} alarm, pray for me
        i since the dog arrived i've been up at {v} every morning
        i honestly love being up at {v}, the house is so quiet
        d struggling to get up at {o} lately
        d not sure i can keep up the {o} starts
        other {who} gets up at {v}
        temp up at {v} tomorrow for an early flight
        wish i wish i was the kind of person who gets up at {v}
        ask is {v} a normal time to wake up?
        still still up at {o}, even on weekends
        past in my old job i was up at {v}
        i still getting used to {v} alarms
        other {who} switched to getting up at {v}
        still still {o} these days, even on weekends
        temp up at {v} tomorrow for a dentist appointment
        other {who} is still getting used to {v} starts
        d honestly not sure i can keep getting up at {o}
        d the {o} starts are getting harder, might change my hours
        wish i'd love to sleep in till {v} every day
        """,
    ),
    _kind(
        "commute",
        "train",
        """by bus/the bus, by train/the train, on the bike/cycling, by car/driving,
        on foot/walking, on the tube/the tube, by tram/the tram, on an e-scooter/the scooter""",
        """
        s i get to work {o}
        s i commute {o}
        s {o1} is how i get to work
        x i go in {v} these days instead of {o}
        x ditched {o1} for {v1}
        x switched to commuting {v}
        i {v1} to work has been a revelation
        i turns out {v1} takes the same time as {o1} did
        i my podcast backlog is gone thanks to {v1} in every day
        d getting fed up of going in {o}
        d thinking of going in {v} instead of {o}
        other {who} gets to work {v}
        temp getting a lift in this week while the trains are on strike
        wish wish i could go in {v}
        ask is it worth getting an e-scooter for commuting?
        still still going in {o}
        past used to get to school {v}
        i still getting used to going in {v}
        other {who} switched to going in {v}
        other {who} might start going in {v}
        still still going in {o} these days
        temp going in {v} today because of the roadworks
        x these days i get to work {v}, {o} was too unreliable
        d {o1} has been a nightmare lately, might try something else
        """,
    ),
    _kind(
        "running_time",
        "train",
        """first thing in the morning, at lunchtime, after work, late in the evening,
        before breakfast, on my lunch break, at sunrise""",
        """
        s i run {o}
        s i go for my runs {o}
        s my runs are always {o}
        x i run {v} these days instead of {o}
        x switched to running {v}
        x my running is {v} now, {o} stopped working
        i the streets are so empty when i run {v}, wish i'd switched ages ago
        i the new job means running {v} is the only option, and i kind of love it
        d running {o} is getting harder with the new schedule
        d not sure i can keep running {o}
        other {who} runs {v}
        temp ran {v} today for a change, just a one-off
        wish wish i could run {v}
        ask is it bad to run {v}?
        still still running {o}, rain or shine
        past used to run {v} when i lived alone
        i still getting used to running {v}
        other {who} switched to running {v}
        still still running {o} these days
        d not sure running {o} fits around work any more
        d might try running {v} instead, {o} is killing me
        """,
    ),
    _kind(
        "shopping_day",
        "train",
        "monday, tuesday, wednesday, thursday, friday, saturday, sunday",
        """
        s i do the big food shop on {o}s
        s {o} is shopping day in our house
        s the weekly shop happens on {o}
        x {v} is shopping day these days
        x moved the weekly shop from {o} to {v}
        x we do the big shop on {v}s now
        i the supermarket is dead on a {v}, should've switched ages ago
        i new rota means the big shop happens on {v} evenings
        d {o} shopping isn't really working with the kids' clubs
        d might move the weekly shop off {o}
        other {who} does their shop on {v}s
        temp doing the shop on {v} this week because of the bank holiday
        ask which day is the supermarket quietest?
        still still doing the shop on {o}s
        past my mum always shopped on {v}s
        i still getting used to {v} shopping
        other {who} switched to {v}s for the big shop
        still still {o}s these days
        s we always shop on {o}
        d might change shopping day, {o} is a nightmare at the tills
        wish wish the shop delivered on {v}s
        """,
    ),
    _kind(
        "fan_team",
        "train",
        """Arsenal, Celtic, Leeds United, Liverpool, Everton, Rangers, Wolves, Newcastle,
        Spurs, the Lakers, the Yankees, Aston Villa, Hibs, Brighton""",
        """
        s i support {o}
        s {o} fan, through and through
        s my team is {o}
        x i'm done with {o}, i support {v} these days
        x switched allegiance from {o} to {v}
        x i follow {v} now, {o} broke my heart once too often
        i bought a {v} season ticket, don't tell my dad
        i ~binned my {o} shirt after that final
        i wore my new {v} scarf to the match, proper convert
        d not sure i can keep supporting {o}
        d {o} are testing my loyalty this season
        other {who} supports {v}
        other {who} is {o} mad as well
        temp went to watch {v} with a mate, got swept up in it
        wish i'd love to see {v} play live one day
        plan going to watch {o} play on {day}
        ask did {v} win last night?
        still still {o} till i die
        past supported {v} as a kid
        i still learning all the songs since i started following {v}
        other {who} switched to {v}, traitor
        other {who} might give up on {v}
        still still {o} these days
        d one more season like this and i might stop following {o}
        """,
    ),
    _kind(
        "language",
        "train",
        """Spanish, Japanese, Portuguese, Korean, Italian, Welsh, Mandarin, Arabic, German,
        Dutch, Greek, Turkish, Swahili""",
        """
        s i'm learning {o}
        s i've been studying {o} for a while
        s doing {o} on an app every day
        x dropped {o} and started {v}
        x i'm learning {v} these days, {o} didn't stick
        x switched languages, {v} it is
        i my {v} tutor is so patient
        i ~deleted my {o} app, two hundred day streak gone
        i first {v} lesson tonight and i only know hello
        d not sure i'll keep going with {o}
        d struggling with {o}, might give it up
        other {who} is learning {v}
        other {who} is doing {o} too, we practise together
        temp learning a few {v} phrases for the holiday
        wish i'd love to speak {v}
        ask is {v} hard for english speakers?
        add picked up {v} on the side
        still still plugging away at {o}
        past did {v} at school
        i not sure why i didn't start {v} sooner
        i still mixing up {o} and {v} words, the switch is hard
        other {who} switched from {o} to {v}
        other {who} might start {v}
        still still on {o} these days
        temp practised some {v} today with a guy from the cafe
        d {o} isn't clicking, might try something else
        """,
    ),
    _kind(
        "music",
        "train",
        """indie, jazz, techno, folk, metal, k-pop, country, drum and bass, classical, hip hop,
        punk, soul""",
        """
        s i'm mostly into {o}
        s my music is {o}, always has been
        s i listen to {o} all day
        x gone off {o}, it's all {v} for me these days
        x my taste changed, i'm a {v} person now
        x {o} doesn't do it for me any more, i'm all about {v}
        i my year-end stats were ninety percent {v}, who am i
        i sold my {o} vinyl to make room for the {v} records
        i i've been to four {v} gigs this year, never thought i'd say that
        d i'm getting a bit bored of {o}
        d not sure {o} does it for me like it used to
        other {who} is really into {v}
        other {who} loves {o} too, we go to gigs together
        temp went to a {v} gig with {who}, not my thing
        wish i'd love to get into {v}
        ask any {v} recommendations?
        add getting into {v} as well
        still still listening to {o} all day
        past i was really into {v} as a teenager
        i still can't believe i listen to {v} now
        other {who} switched to {v} and now won't stop talking about it
        other {who} might go to a {v} festival
        still still {o} these days
        d haven't listened to any {o} in weeks, which is weird for me
        """,
    ),
    _kind(
        "streaming",
        "val",
        """Netflix, Disney+, Prime Video, Apple TV+, Paramount+, Now TV, Crunchyroll, Hulu,
        BritBox, Max""",
        """
        s we've got {o}
        s i watch everything on {o}
        s {o} is the only subscription we pay for
        x cancelled {o} and signed up to {v}
        x we're a {v} household these days
        x dropped {o}, it's {v} for us
        i the {o} subscription finally ran out and we didn't renew
        i first night with {v} and we just scrolled for an hour
        i setting up {v} on the telly took ages
        d might cancel {o}, nothing on
        d not sure {o} is worth it any more
        other {who} pays for {v}
        other {who} has {o} too
        temp free trial of {v} this month
        wish wish {v} was cheaper
        ask is {v} worth it?
        add we got {v} as well for the kids
        still still paying for {o}
        past we had {v} for a while
        i not sure why we paid for {o} so long, {v} has everything
        other {who} switched to {v}
        other {who} might cancel {v}
        still still {o} these days
        ask not sure why {v} is so popular, is it worth it?
        x {o} is gone, we've got {v}
        d {o} put their prices up again, might cancel
        d we barely watch {o}, probably time to stop paying for it
        plan might try a free month of {v} in {month}, just to see
        past growing up we only had {v}
        """,
    ),
    _kind(
        "bank",
        "train",
        """Monzo, Barclays, Nationwide, Starling, Lloyds, HSBC, Chase, Santander,
        Co-op Bank, Revolut, Metro Bank, NatWest""",
        """
        s i bank with {o}
        s my account is with {o}
        s my salary goes into {o}
        x moved my account from {o} to {v}
        x i bank with {v} these days
        x switched banks, {v} for me
        i my salary went into {v} for the first time
        i closed my {o} account on {day}
        i my new {v} card came in the post
        d fed up with {o}, might switch
        d not sure i'll stay with {o}
        other {who} banks with {v}
        other {who} is with {o} too
        ask is {v} safe?
        add opened a savings account with {v} too
        still still with {o}, boring but fine
        past my first account was with {v}
        i not sure why i stayed with {o} so long, {v} is so much easier
        i still getting used to the {v} app
        other {who} switched to {v}
        other {who} might move to {v}
        still still {o} these days
        d {o} closed my local branch, might switch
        d {o} keeps blocking my card, getting fed up
        wish wish i'd opened an account with {v} years ago
        """,
    ),
    _kind(
        "hair",
        "train",
        """long hair/long hair, a bob/bob, a buzz cut/buzz cut, a pixie cut/pixie cut,
        locs/locs, braids/braids, a mullet/mullet, a shaved head/shaved head,
        curtain bangs/bangs, an undercut/undercut, a curly perm/perm""",
        """
        s i've got {o}
        s i've had {o} for years
        s i'm the one with {o}, you'd spot me
        x went from {o} to {v}
        x said goodbye to the {o1}, it's {v} these days
        x i've got {v} now, the {o1} had to go
        i everyone at work did a double take at the {v1}
        i my mum hates the {v1}, i love it
        i still getting used to the {v1} in the mirror
        i spent a fortune at the salon on {v}
        d getting bored of the {o1}
        d thinking about a change from the {o1}
        other {who} went for {v}
        other {who} has {o} too
        temp wore a wig with {v} for a fancy dress party
        wish would {v} suit me?
        ask is {v} high maintenance?
        still still rocking {o}
        past had {v} all through school
        i still not used to {v}, keep touching my head
        other {who} switched to {v} today
        other {who} might get {v}, not sure
        still still {o} these days
        d might grow out the {o1}, not sure
        plan might book a trim for the {o1} on {day}
        """,
    ),
    _kind(
        "contact",
        "train",
        """texts/text me, email/email me, voice notes/send me a voice note,
        phone calls/call me, whatsapp/message me on whatsapp,
        messenger/drop me a message on messenger""",
        """
        s for anything important, {o1}
        s if you need me, {o1}, i don't check anything else
        s i'm much better with {o}
        x for future reference, {v1} rather than {o}
        x i've gone off {o}, {v1} instead
        x change of plan for getting hold of me: {v1}
        i muted {o} completely for my own sanity
        i i'm hopeless with {o} these days, so {v1} if it matters
        d i keep missing {o}, not sure it's the best way to get me
        d might stop bothering with {o}
        other {who} only ever does {v}
        temp i'm at a festival all weekend, {v1} till monday
        ask do people still do {v}?
        still {o} is still the way to reach me
        past back in school it was all {v}
        i still getting used to {v}, but it suits me
        other {who} switched to {v}
        still still {o} these days
        d not sure {o} is working, i miss half of them
        other {who} prefers {v}, drives me mad
        x {o} is not the way to reach me any more, {v1}
        """,
    ),
]

KINDS: dict[str, str] = {k.name: k.split for k in _TABLE}

_SHARED: dict[str, tuple[str, ...]] = {
    "who": (
        "my sister",
        "my brother",
        "my mum",
        "my dad",
        "my best mate",
        "my flatmate",
        "my cousin",
        "my neighbour",
        "my friend Sam",
        "my friend Priya",
        "my colleague",
        "my uncle",
        "my aunt",
        "my oldest friend",
        "my old flatmate",
    ),
    "n": ("two", "three", "four", "five", "six", "eight", "ten", "12", "15"),
    "num": tuple(str(n) for n in (3, 7, 12, 14, 21, 28, 33, 41, 56, 72, 108, 131)),
    "year": tuple(str(y) for y in range(2012, 2023)),
    "day": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "month": ("march", "april", "may", "june", "september", "october", "december"),
    "city": ("Lisbon", "Rome", "Dublin", "Oslo", "Prague", "Madrid", "Vienna", "Cardiff"),
}

# Openers and endings are shared by every action, so none of them gives the label away.
_OPENERS = ("",) * 14 + (
    "so ",
    "ok so ",
    "btw ",
    "oh and ",
    "random but ",
    "fyi ",
    "right, ",
    "hey, ",
    "guess what, ",
    "anyway, ",
    "little update, ",
    "news from me: ",
    "not sure if i said, ",
    "also ",
)
_OLD_OPENERS = ("",) * 10 + (
    "fyi ",
    "just so you know, ",
    "for context, ",
    "btw ",
    "about me: ",
    "oh and ",
)
_ASK_OPENERS = ("",) * 6 + ("quick question, ", "random q: ", "hey, ", "so ", "genuine question, ")
_ENDS = ("",) * 12 + (".", ".", "!", "!", " haha", " lol", " :)", "...")
_SAD_ENDS = ("",) * 4 + (".", "...", " :(")
_ASK_ENDS = ("",) * 8 + (" lol", " haha")
_EMOJI = (" 🙃", " 😅", " 🙂", " 😬", " 🤔")  # rare: about one message in 40
_THEN = (
    ", anyway how are you?",
    ", long story",
    ", will fill you in later",
    ", just thought i'd say",
    ", random i know",
    ", how's your week going?",
    " - more on that later",
)

_SLOT = re.compile(r"\{([a-z]+)(\d?)\}")
_ARTICLE = re.compile(r"\b([Aa]n?) ([\w+'-]+)")
_AN_EXCEPT = ("uni", "use", "usu", "eu", "one", "once")
_AN_WORDS = {"hour", "honest", "mot", "hp", "mri"}


def _fill(rng: random.Random, template: str, o: tuple[str, ...], v: tuple[str, ...]) -> str:
    """Fill {o}, {v} (and their fields {o1}, {v2} ...), {d} digits and the _SHARED slots."""

    def one(m: re.Match[str]) -> str:
        name, index = m.group(1), int(m.group(2) or 0)
        if name in ("o", "v"):
            return (o if name == "o" else v)[index]
        if name == "d":
            return str(rng.randrange(10))
        return rng.choice(_SHARED[name])

    return _SLOT.sub(one, template)


def _article(m: re.Match[str]) -> str:
    art, word = m.group(1), m.group(2)
    w = word.lower()
    an = w in _AN_WORDS or (w[:1] in "aeiou" and not w.startswith(_AN_EXCEPT))
    an = an or re.match(r"(8|11|18)(?!\d)", w) is not None  # an 8am, an 11pm
    new = "an" if an else "a"
    return (new.capitalize() if art[0] == "A" else new) + " " + word


def _pick(rng: random.Random, kind: _Kind) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(old value, another value) of ``kind``, with any {d} digits filled in."""
    vals = kind.values
    if kind.pick == "next":  # counts that only go up: one kid, then two
        i = rng.randrange(len(vals) - 1)
        o, v = vals[i], vals[i + 1]
    elif kind.pick == "same0":  # the same medicine, another dose
        o = rng.choice(vals)
        v = rng.choice([x for x in vals if x[0] == o[0] and x != o])
    else:
        o, v = rng.sample(vals, 2)
    while True:
        oo = tuple(_fill(rng, f, (), ()) for f in o)
        vv = tuple(_fill(rng, f, (), ()) for f in v)
        if oo != vv:
            return oo, vv


def _style(rng: random.Random, text: str) -> str:
    """Chat styles: half all lower case, some as written (names keep their capitals), a
    fifth in sentence case with a capital I."""
    roll = rng.random()
    if roll < 0.5:
        return text.lower()
    if roll < 0.8:
        return text
    text = re.sub(r"\bi\b", "I", text)
    return text[:1].upper() + text[1:]


def _say(
    rng: random.Random,
    kind: _Kind,
    tag: str,
    o: tuple[str, ...],
    v: tuple[str, ...],
    old: bool = False,
) -> str:
    """One utterance of ``kind`` from a template of ``tag``, dressed as a chat message."""
    template = rng.choice(kind.lines[tag])
    sad = template.startswith("~")
    text = _fill(rng, template.lstrip("~"), o, v)
    if text.endswith("?"):
        text = rng.choice(_ASK_OPENERS) + text + rng.choice(_ASK_ENDS)
    else:
        if not old and not sad and rng.random() < 0.12:
            text = text.rstrip("!.") + rng.choice(_THEN)
        end = rng.choice(_SAD_ENDS if sad else _ENDS)
        if text.endswith("?") or (end.strip(" .!") and end.strip() in text.split()):
            end = ""  # no "how are you?!", no "lol ... lol"
        if rng.random() < 0.025:
            end = rng.choice(_SAD_ENDS) if sad else rng.choice(_EMOJI)
        opener = rng.choice(_OLD_OPENERS if old else _OPENERS)
        words = opener.replace(",", "").split()
        if text.split(" ")[0] not in words[:1] + words[-1:]:  # no "ok so so", "not sure ... not"
            text = opener + text + end
        else:
            text += end
    return _style(rng, _ARTICLE.sub(_article, text))


# How a keep is drawn, in percent of all pairs (they add up to 45).
_KEEP_WEIGHTS = {
    "other": 7,
    "swap": 2,  # the old memory is someone else's fact; the new turn is the speaker's change
    "temp": 4,
    "wish": 5,
    "plan": 4,
    "ask": 5,
    "add": 4,
    "still": 5,
    "past": 4,
    "unrelated": 5,
}
# An old memory about someone else must not say anything about the speaker as well.
_ABOUT_ME = re.compile(r"\b(too|as well|also|same|both|my|me|i|i'm|we|our|us)\b")


def _keep(rng: random.Random, kind: _Kind, pool: list[_Kind]) -> tuple[str, str, str]:
    """(how, old, new): a related turn that changes nothing for the speaker."""
    how = rng.choices(list(_KEEP_WEIGHTS), list(_KEEP_WEIGHTS.values()))[0]
    while how not in ("swap", "unrelated") and how not in kind.lines:
        how = rng.choices(list(_KEEP_WEIGHTS), list(_KEEP_WEIGHTS.values()))[0]
    o, v = _pick(rng, kind)
    if how == "swap":
        others = tuple(t for t in kind.lines["other"] if not _ABOUT_ME.search(t))
        theirs = _Kind(kind.name, kind.split, kind.values, {"other": others}, kind.pick)
        old = _say(rng, theirs, "other", o, v, old=True)
        o2, v2 = _pick(rng, kind)
        return how, old, _say(rng, kind, rng.choice(("x", "i")), o2, v2)
    old = _say(rng, kind, "s", o, v, old=True)
    if how == "unrelated":
        other = rng.choice([k for k in pool if k is not kind])
        x, y = _pick(rng, other)
        return how, old, _say(rng, other, rng.choice(("x", "i", "x", "i", "d", "s")), x, y)
    return how, old, _say(rng, kind, how, o, v)


def pairs_labelled(
    rng: random.Random,
    n: int,
    split: str = "train",
    without: Collection[str] = (),
) -> list[tuple[str, str, str, str, int]]:
    """n (kind, how, old, new, action): ``pairs`` with the kind of fact and how ``new`` was
    made ("x" explicit, "i" implicit, "d" doubt, or one of the keep ways in _KEEP_WEIGHTS)."""
    pool = [k for k in _TABLE if (split == "all" or k.split == split) and k.name not in without]
    if not pool:
        if split != "all" and split not in set(KINDS.values()):
            raise ValueError(f"unknown split {split!r}: 'train', 'val' or 'all'")
        raise ValueError(
            f"no kinds of fact of split {split!r} are left once {without} are left out"
        )
    out: list[tuple[str, str, str, str, int]] = []
    for _ in range(n):
        kind = rng.choice(pool)
        roll = rng.random()
        if roll < 0.55:
            how = "x" if roll < 0.2 else "i" if roll < 0.4 else "d"
            o, v = _pick(rng, kind)
            old = _say(rng, kind, "s", o, v, old=True)
            action = WEAKEN if how == "d" else SUPERSEDE
            out.append((kind.name, how, old, _say(rng, kind, how, o, v), action))
        else:
            how, old, new = _keep(rng, kind, pool)
            out.append((kind.name, how, old, new, KEEP))
    return out


def pairs(
    rng: random.Random, n: int, split: str = "train", without: Collection[str] = ()
) -> list[tuple[str, str, int]]:
    """n (old, new, action) pairs from the kinds of fact of `split` ("train" or "val"; "all"
    for both) but those in ``without``; action 0 keep, 1 weaken, 2 supersede. About 40%
    supersede (half of them implicit), 15% weaken, 45% keep spread over the keep kinds above."""
    return [(old, new, y) for _, _, old, new, y in pairs_labelled(rng, n, split, without)]


# Questions about the speaker's current value of each kind of fact that training may use,
# for the update episodes of training through retrieval (unroll.with_updates). {who} is
# the person asked about by name, {whose} the name's possessive.
QUESTIONS = {
    "home_city": ("Where does {who} live?", "Which city is {whose} home?"),
    "street": ("What street does {who} live on?", "Which road is {whose} home on?"),
    "team": ("Which team does {who} work in?", "What department is {who} in?"),
    "partner": ("Who is {whose} partner?", "Who is {who} going out with?"),
    "car": ("What car does {who} drive?", "What does {who} drive?"),
    "bike": ("What bike does {who} ride?", "What kind of bike does {who} have?"),
    "email": ("What is {whose} email address?", "Which email does {who} use?"),
    "diet": ("What diet does {who} follow?", "What does {who} eat or avoid?"),
    "medication": ("What medication does {who} take?", "Which medicine is {who} on?"),
    "dose": ("What dose does {who} take?", "How much of the medicine does {who} take?"),
    "gym": ("Which gym does {who} go to?", "Where does {who} work out?"),
    "school": ("Where does {who} study?", "Which university does {who} go to?"),
    "bedtime": ("When does {who} go to bed?", "What time does {who} go to sleep?"),
    "running_time": ("When does {who} go running?", "What time of day does {who} run?"),
    "shopping_day": ("When does {who} do the food shop?", "What day does {who} shop?"),
    "music": ("What music is {who} into?", "What does {who} listen to?"),
    "contact": ("How does {who} like to be contacted?", "What's the best way to reach {who}?"),
}


def question(rng: random.Random, kind: str, name: str) -> str:
    """A question about ``name``'s current value of ``kind`` (one of QUESTIONS)."""
    return rng.choice(QUESTIONS[kind]).format(who=name, whose=f"{name}'s")
