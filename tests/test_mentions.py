"""Whether a new turn names an older memory's value as still held (mentions.still_named)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from gatedmem.memory.features import told_values
from gatedmem.memory.mentions import ends_one_of, goes_on, still_named, untouched_part

T0 = datetime(2024, 5, 6, 18, 30, tzinfo=timezone.utc)


def _named(old: str, new: str) -> str | None:
    return still_named(new, frozenset(told_values(old)))


@pytest.mark.parametrize(
    ("old", "new", "held"),
    [
        ("We have a border collie called Nell.", "Nell is not impressed with the new sofa", "nell"),
        ("I work at Target.", "I never quit Target, I just went part-time.", "target"),
        (
            "I live in Austin.",
            "Moved away from Austin for college but came back in 2015.",
            "austin",
        ),
        ("I live in Austin.", "Took the kids round Austin's museums on Sunday.", "austin"),
        ("I bank with Monzo.", "Monzo froze my card again, so annoying", "monzo"),
        ("My GP is Dr Okafor.", "saw Okafor about my knee, he's sending me for a scan", "okafor"),
    ],
)
def test_a_value_named_and_not_left_is_still_held(old, new, held):
    assert _named(old, new) == held


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("I drive a Civic.", "Sold the Civic on Saturday, got a Tesla."),
        ("I work at Deloitte.", "I'm no longer employed by Deloitte."),
        ("I'm with Verizon.", "switched from verizon to mint last week"),
        ("My GP is Dr Okafor.", "Okafor retired in March so I'm seeing someone new"),
        ("I live in Austin.", "Left Austin in June, loving Denver so far"),
        ("I work at Target.", "not at Target anymore, started at Costco"),
        ("I work at Target.", "not at Target any more, started at Costco"),
        ("Our cat is called Luna.", "Luna died last week, we're all heartbroken"),
        # Any naming of the value as left counts, whoever left it.
        ("I work at Spotify.", "My colleague left Spotify today.\nI'm still at Spotify."),
        # A value not named at all is no evidence either way.
        ("I work at Target.", "Started a new job at Costco on Monday."),
        # Every value must be named: here only one of two.
        ("I drive a Honda Civic.", "The Honda is in the garage again."),
        # A memory that names nothing is not read.
        ("I like cooking.", "I like cooking, still."),
    ],
)
def test_a_value_left_or_not_named_is_not_held(old, new):
    assert _named(old, new) is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # Leaving told after the value, anywhere in its clause, or as a former role.
        ("We have a dog called Rex.", "Rex is no longer with us."),
        ("I work at Target.", "Target isn't my employer anymore"),
        ("I work at Google.", "Google laid me off last week"),
        ("My boyfriend is Jake.", "Jake and I broke up"),
        ("I'm married to Daniel.", "Daniel's my ex-husband now"),
        ("I work at Google.", "I used to work at Google, now I'm at a startup"),
        ("I drive a Civic.", "I drive a Tesla now instead of the Civic"),
        # An abbreviation ends no clause: the leaving word still reaches the value.
        ("I live in St. Louis.", "Left St. Louis last year"),
        ("My GP is Dr. Okafor.", "No more Dr. Okafor for me"),
        # Coming back that is denied, or is not a return, undoes nothing.
        ("I work at Target.", "I quit Target and I'm never going back"),
        ("I drive a Civic.", "Sold the Civic, got back 4 grand for it"),
        # A one-figure value is a value too: here it is not named.
        ("I have 2 kids, Sam and Ana.", "Sam and Ana got a baby brother, so 3 kids now"),
    ],
)
def test_more_ways_of_leaving_are_read(old, new):
    assert _named(old, new) is None


def test_numbers_keep_their_separators_and_a_denial_after_the_value_counts():
    assert _named("Our rent is $2,200 a month.", "Rent is still $2,200, thank god") == "2,200"
    assert _named("Alarm at 7:40.", "Still up at 7:40 every day") == "7:40"
    assert _named("I work at Target.", "Target hasn't closed, thank god") == "target"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("I use Spotify for all my music.", "cancelled Spotify but signed back up the next day"),
        ("I listen to everything on Spotify.", "I cancelled Spotify last week but resubscribed"),
        ("I'm dating Alex.", "Alex and I broke up for a week but we're back together now"),
    ],
)
def test_an_ending_undone_leaves_the_value_held(old, new):
    assert _named(old, new) is not None


def test_an_ending_not_undone_still_counts():
    assert _named("I'm dating Alex.", "Alex and I broke up, never getting back together") is None
    assert (
        _named("I'm dating Sarah.", "Sarah and I split up, never ever getting back together")
        is None
    )
    assert _named("I'm dating Sarah.", "Sarah and I split up. No way we get back together.") is None
    for hoped in (
        "Sarah and I split up. I don't think we will ever get back together.",
        "Sarah and I split up. I wish we could get back together.",
        "Sarah and I split up. Not sure we will get back together.",
    ):
        assert _named("I'm dating Sarah.", hoped) is None, hoped
    assert _named("I'm in the Ramblers.", "I left the Ramblers and I haven't rejoined") is None


def _ends(old: str, new: str) -> tuple[str, str] | None:
    return ends_one_of(new, frozenset(told_values(old)))


def test_ending_one_of_several_values_is_read_as_such():
    assert _ends("I have a Civic and a Vespa.", "Sold the Civic, keeping the Vespa.") == (
        "civic",
        "vespa",
    )
    assert _ends("I have a Civic and a Vespa.", "Sold the Civic and kept the Vespa.") == (
        "civic",
        "vespa",
    )
    assert _ends("I pay for Disney+, Hulu and Max.", "I dropped Hulu and kept Disney+ and Max") == (
        "hulu",
        "disney, max",
    )
    assert _ends("I pay for Disney+, Hulu and Max.", "Cancelled Hulu, Disney+ and Max stay.") == (
        "hulu",
        "disney, max",
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # The words of one name in the clause that leaves it are one thing left.
        ("I shop at the Co-op on Burton Road.", "The Co-op on Burton Road shut down."),
        # Every value left, or none.
        ("I have a Civic and a Vespa.", "Sold the Civic and the Vespa."),
        ("I have a Civic and a Vespa.", "The Civic and the Vespa both need a wash."),
        ("I drive a Civic.", "Sold the Civic, got a Tesla."),
    ],
)
def test_a_turn_that_ends_all_or_nothing_ends_no_part(old, new):
    assert _ends(old, new) is None


def test_a_denied_leaving_word_does_not_count():
    assert _named("I work at Target.", "Haven't quit Target, whatever Sam says") == "target"
    assert _named("I work at Target.", "quit Target, whatever Sam says") is None


@pytest.mark.model
@pytest.mark.parametrize(
    ("old", "new", "question"),
    [
        (
            "We have a border collie called Nell.",
            "We got a second dog, a beagle pup named Pickle. Nell is not impressed.",
            "What's our collie called?",
        ),
        (
            "I work at Target.",
            "I never quit Target, I just switched to part-time.",
            "Where do I work?",
        ),
    ],
)
def test_a_turn_that_still_names_the_value_loses_no_memory(real_memory, old, new, question):
    # Without the rule the shipped forget gate supersedes both of these memories.
    at = T0 + timedelta(days=30)
    first = real_memory.observe(old, user="ana", at=T0)
    second = real_memory.observe(new, user="ana", at=at)
    assert first.stored and second.superseded == [], second.reason
    kept = [d for d in second.decisions if d.memory_id == first.memory_id]
    assert kept and kept[0].note.startswith("kept: the new turn still names its value"), kept
    hits = real_memory.recall(question, user="ana", at=at + timedelta(days=1))
    assert first.memory_id in [h.memory_id for h in hits]


@pytest.mark.model
def test_a_turn_that_ends_one_of_several_values_loses_no_memory(real_memory):
    # Without the rule the shipped forget gate supersedes the memory of both.
    at = T0 + timedelta(days=30)
    first = real_memory.observe("I have a Civic and a Vespa.", user="ana", at=T0)
    second = real_memory.observe(
        "Sold the Civic, keeping the Vespa for getting around the city.", user="ana", at=at
    )
    assert first.stored and second.superseded == [], second.reason
    kept = [d for d in second.decisions if d.memory_id == first.memory_id]
    assert kept and kept[0].note == "kept: the new turn ends civic and still names vespa", kept


def test_a_denied_keeping_keeps_nothing():
    assert _ends("I have a Civic and a Vespa.", "Sold the Civic and didn't keep the Vespa") is None


FAMILY = "My daughter Helen is a solicitor in Leeds. My son Robert is an engineer in York."
HOME = "I live in Bristol with my partner Sam. My mum Carol lives in Bath."


@pytest.mark.parametrize(
    ("new", "memory", "left"),
    [
        ("Robert's firm is sending him to Aberdeen.", FAMILY, "My daughter Helen is a"),
        ("Helen got a job in London!", FAMILY, "My son Robert is an"),
        ("We moved to Leeds last month!", HOME, "My mum Carol lives in Bath."),
        ("Colleague transferred to Tokyo.", FAMILY, "My daughter Helen is a"),
    ],
)
def test_a_turn_that_leaves_another_persons_fact_in_a_memory_leaves_it(new, memory, left):
    assert untouched_part(new, memory).startswith(left)


@pytest.mark.parametrize(
    ("new", "memory"),
    [
        # One sentence: the forget gate judged the whole.
        ("We moved to Leeds.", "I live in York with my wife Ana and our two kids."),
        # A turn about every sentence of it.
        ("Helen and Robert both moved to Leeds.", FAMILY),
        # What it leaves names no value, or is not about another person: it goes on about
        # the same thing, and goes stale with it.
        ("Stopped fishing, joined a running club.", "I go fishing in Wakayama. Only real hobby."),
        (
            "I left Google last month, now at Meta.",
            "I work at Google as a data scientist. My team is in Mountain View.",
        ),
        (
            "Dr. Patel retired, so my new doctor is Dr. Nguyen.",
            "My doctor is Dr. Patel. Her office is on Main Street.",
        ),
        ("Lost my job at Acme today.", "I work at Acme as a welder. The plant is in Dayton."),
        ("My new phone number is 555-0199.", "My phone number is 555-0142. Call after 6pm."),
        # Another person named, and nothing of theirs besides: it goes on about the job.
        (
            "I left Google last month, now at Meta.",
            "I work at Google as a data scientist. My manager Priya is great.",
        ),
        # "St." ends no sentence.
        ("Maya's being homeschooled now.", "Maya goes to St. Anne's Primary, a short walk."),
    ],
)
def test_a_turn_that_leaves_no_other_persons_fact_leaves_nothing_apart(new, memory):
    assert untouched_part(new, memory) is None


@pytest.mark.model
def test_a_turn_that_leaves_another_persons_fact_loses_none_of_it(real_memory):
    # Without the rule the shipped forget gate supersedes the memory, the mother's town too.
    at = T0 + timedelta(days=30)
    first = real_memory.observe(HOME, user="ana", at=T0)
    second = real_memory.observe("We moved to Leeds last month!", user="ana", at=at)
    assert first.stored and second.stored and second.superseded == [], second.reason
    kept = [d for d in second.decisions if d.memory_id == first.memory_id]
    assert kept[0].note == (
        'kept: the new turn leaves what it says of another person: "My mum Carol lives in Bath."'
    )
    hits = real_memory.recall("Where does my mum live?", user="ana", at=at + timedelta(days=1))
    assert first.memory_id in [h.memory_id for h in hits]


@pytest.mark.model
def test_a_change_a_rule_keeps_from_superseding_is_still_stored(real_memory):
    # The input gate lets this turn go (0.27): stored only as one that supersedes is, the
    # ending of the Civic would be lost with "I have a Civic and a Vespa." still standing.
    at = T0 + timedelta(days=30)
    first = real_memory.observe("I have a Civic and a Vespa.", user="ana", at=T0)
    second = real_memory.observe("sold the civic, kept the vespa", user="ana", at=at)
    assert second.input_gate < 0.5 and second.superseded == []
    assert second.stored, second.reason
    assert second.reason.startswith("stored because it changes part of 1 memory(ies)")
    assert first.memory_id in [m.id for m in real_memory.list(user="ana", at=at)]


@pytest.mark.model
def test_a_turn_that_tells_no_change_is_not_stored_for_its_change_words(real_memory):
    # The change-words head reads "changed"; the turn still names Austin: no change told.
    at = T0 + timedelta(days=30)
    real_memory.observe("I live in Austin.", user="ana", at=T0)
    second = real_memory.observe("Nothing's changed, still Austin.", user="ana", at=at)
    assert second.input_gate < 0.5 and not second.stored, second.reason


@pytest.mark.parametrize(
    ("memory", "new", "clause"),
    [
        (
            "I'm learning Spanish on Duolingo every morning.",
            "Still doing Duolingo, no changes there.",
            "Still doing Duolingo",
        ),
        (
            "I work at the Co-op bank in Manchester.",
            "Nothing new at work, still at the Co-op.",
            "Nothing new at work",
        ),
        ("I'm vegetarian.", "Still vegetarian, no plans to change that.", "Still vegetarian"),
        (
            "I'm allergic to penicillin.",
            "No change on the allergy front.",
            "No change on the allergy front.",
        ),
        ("I'm a nurse.", "Still a nurse.", "Still a nurse."),
        (
            "I work remotely from my flat.",
            "still working remotely, nothing changed",
            "still working remotely",
        ),
    ],
)
def test_a_turn_that_says_only_that_a_memory_goes_on_names_where(memory, new, clause):
    assert goes_on(new, memory) == clause


@pytest.mark.parametrize(
    ("memory", "new"),
    [
        # Going on as before, but of something else, or of nothing in particular.
        ("I work at Google.", "Nothing new otherwise, I'm at Meta now."),
        ("I live in Leeds with my partner.", "So much has changed since we last talked!"),
        # A value of the memory named as left.
        ("I live in Leeds.", "Still can't believe we sold the house in Leeds."),
        ("I live in Leeds.", "Still getting used to Bristol after Leeds."),
        # What goes on said again beside what changes: the new turn holds both, and
        # superseding loses nothing (a fresh-eyes review's true updates, which the shipped
        # heads supersede).
        ("I work nights as a nurse.", "Still a nurse, but I'm on day shifts now."),
        ("I teach at a primary school.", "Still teaching, but at a secondary school now."),
        ("My job is in Phoenix.", "Same job, new city, I transferred to Denver."),
        (
            "I play the cello in an orchestra.",
            "Switched from cello to double bass, same orchestra though.",
        ),
        ("I work part time, 3 days a week.", "Nothing new except I went full time at work."),
        ("I'm on day shifts at the hospital.", "Nothing changed at work except I'm on nights now."),
        ("I use an iPhone 12.", "Switched to a Pixel and haven't switched back to iPhone since."),
        (
            "I live in a studio flat in Camden, London.",
            "Never left London, just moved to a bigger flat in Hackney.",
        ),
        (
            "I just moved to a flat in Hackney.",
            "Nothing new really. Oh wait, we moved again, now in Walthamstow!",
        ),
        ("I'm staying with my parents in Leeds.", "I'm staying with my boyfriend now."),
        ("I work at Asda.", "Still learning the ropes at the new job at Shopify."),
        ("I'm vegetarian.", "Why do you still think I'm vegetarian? I eat meat now."),
        ("I work at Google.", "I'm not still at Google."),
        ("I drive a Ford Focus.", "Sold the Focus, got a Kia."),
        # A second review's run-on turns: what goes on and what changes in one clause.
        (
            "I work at the Co-op bank in Manchester.",
            "still at the co-op just relocated to the leeds branch",
        ),
        ("I rent a flat in York.", "still renting a flat just in leeds now"),
        ("I have a full time job at Target.", "haven't changed jobs im just part time now"),
        ("I earn 80k at Deloitte.", "didn't switch jobs at deloitte just got a raise to 95k"),
        (
            "I'm a Spurs season ticket holder.",
            "still a season ticket holder just at brentford now haha",
        ),
        # A "but" that takes back what went before.
        ("I play in a band.", "I swore I'd never quit the band but I did"),
    ],
)
def test_a_turn_that_does_not_say_only_that_a_memory_goes_on_names_nothing(memory, new):
    assert goes_on(new, memory) is None
