"""The timeline picture: its time axis fits the data, its keys sit outside, its tags don't collide.

Memories are built through the public API with the hash embedder, replaying time with at=.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta, timezone

import matplotlib.dates as mdates
import pytest
from conftest import _fake
from gatedmem.memory import decisions
from gatedmem.memory.timeline import KEY_CHARS, draw, figure, panels
from matplotlib.text import Text

SESSION = datetime(2025, 3, 14, 14, 0, tzinfo=timezone.utc)
YEARS = datetime(2023, 7, 1, 9, 0, tzinfo=timezone.utc)  # the two-year history starts here

CHAT = [
    "Hi! I'm Ana, I live in Lisbon near the river.",
    "I work as a nurse at the city hospital.",
    "My dog is called Rex and he is a beagle.",
    "What should I cook tonight?",
    "I am allergic to penicillin.",
    "My sister Marta is visiting next week.",
    "I don't eat meat, I'm vegetarian.",
    "ok thanks",
    "Actually I moved, I live in Porto now.",
    "My favourite band is Radiohead.",
    "I'm learning to play the cello.",
    "Can you remind me what my dog is called?",
    "I run 5 km every morning before work.",
    "My birthday is on the 3rd of May.",
    "Bye for now!",
]

# (day from YEARS, text); a later text that repeats an earlier one's words may supersede it
FACTS = [
    (0, "I live in Lisbon near the river."),
    (3, "I work as a nurse at the city hospital."),
    (9, "My dog is called Rex and he is a beagle."),
    (15, "I am allergic to penicillin."),
    (24, "My sister Marta lives in Madrid with her husband."),
    (33, "I'm learning to play the cello on Tuesdays."),
    (47, "My favourite band is Radiohead."),
    (60, "I drive a red Fiat Panda."),
    (71, "I am training for the Lisbon half marathon in March."),
    (90, "My manager at the hospital is called Rui."),
    (104, "I prefer tea to coffee, green tea mostly."),
    (122, "My flat has a small balcony with tomato plants."),
    (140, "I'm reading Dune and loving it so far."),
    (161, "My best friend Joana is getting married in June."),
    (180, "I finished the Lisbon half marathon in 2 hours 5 minutes."),
    (200, "I drive a blue electric Renault Zoe now, I sold the Fiat."),
    (214, "My dog Rex hurt his paw and is at the vet."),
    (231, "I started a night shift rota at the hospital."),
    (250, "My sister Marta moved from Madrid to Berlin."),
    (268, "I want to visit Japan next spring."),
    (290, "I'm learning Japanese on an app every evening."),
    (305, "I live in Porto now, I moved from Lisbon for a new job."),
    (320, "I work as a nurse at the children's hospital in Porto."),
    (340, "My new manager is called Sofia."),
    (362, "I joined a choir that sings on Thursdays."),
    (381, "I gave up the cello, no time for it."),
    (400, "My favourite band is now Arcade Fire."),
    (421, "I went to Japan in April, Kyoto was beautiful."),
    (445, "I adopted a second dog called Nina."),
    (470, "I'm allergic to cats as well as penicillin."),
    (492, "I'm saving up to buy a flat in Porto."),
    (515, "My sister Marta had a baby girl called Lia."),
    (540, "I started running trails on weekends."),
    (566, "I'm reading the Three Body Problem."),
    (590, "I switched to coffee, one espresso a day."),
    (615, "Joana's wedding was lovely, I gave a speech."),
    (640, "I bought a flat in Porto with a view of the river."),
    (668, "I am studying for a paediatric nursing certificate."),
    (695, "My dog Rex turned ten years old."),
    (720, "I passed the paediatric nursing certificate exam."),
]
QUESTIONS = ["where do I live?", "what is my dog called?", "what do I drink?", "my sister"]


def build_session(mem) -> datetime:
    """One chat of 15 turns over 20 minutes, with a question every few turns; "ok thanks"
    is stored as passing (a day's half-life), whatever the gates make of hash vectors.

    Returns the time the picture is drawn at: a year later, when the passing one has faded.
    """
    for i, text in enumerate(CHAT):
        at = SESSION + timedelta(seconds=80 * i)
        with pytest.MonkeyPatch.context() as mp:
            if text == "ok thanks":
                mp.setattr(decisions, "half_life_hours", lambda *a, **k: 24.0)
                mp.setattr(decisions, "p_write", lambda *a, **k: 1.0)
            mem.observe(text, user="ana", session="s1", at=at)
        if i % 4 == 3:
            mem.recall(text, user="ana", at=at + timedelta(seconds=20))
    return SESSION + timedelta(days=365)


def build_years(mem) -> datetime:
    """Two years of explicit adds, with recalls, forgets, a pin and supersessions, in order.

    Returns the time the picture is drawn at: a month after the last add.
    """
    ids: list[int] = []
    for n, (day, text) in enumerate(FACTS):
        at = YEARS + timedelta(days=day)
        ids.append(mem.add(text, user="ana", at=at).id)
        if n == 4:
            mem.pin(ids[3], user="ana", at=at + timedelta(hours=1))  # the allergy
        if n in (14, 30):
            gone = ids[12] if n == 14 else ids[19]  # Dune; the visit to Japan
            mem.forget(gone, user="ana", at=at + timedelta(hours=2))
        if day % 3 == 0:
            q = QUESTIONS[day % len(QUESTIONS)]
            mem.recall(q, user="ana", at=at + timedelta(hours=5))
    return YEARS + timedelta(days=750)


def build_outlier(mem) -> datetime:
    """The two years, and one memory added with at= ten years before the end."""
    now = build_years(mem)
    mem.add("I was born in Coimbra.", user="ana", at=now - timedelta(days=3652))
    return now


def snapshot(mem, now: datetime):
    """What the CLI passes to draw: every memory of ana, and each one's history, at ``now``."""
    mems = mem.list(user="ana", include_forgotten=True, at=now)
    return mems, {m.id: mem.history(m.id, user="ana", at=now) for m in mems}


BUILDS = {"session": build_session, "years": build_years, "outlier": build_outlier}


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    """Each history built once and drawn: {name: (figure, memories, history)}."""
    out = {}
    root = tmp_path_factory.mktemp("timeline")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GATEDMEM_HOME", str(root / "home"))
        for name, build in BUILDS.items():
            mem = _fake(f"sqlite:///{root / name}.db")
            try:
                mems, history = snapshot(mem, build(mem))
            finally:
                mem.close()
            fig = figure("ana", mems, history)
            fig.canvas.draw()
            out[name] = (fig, mems, history)
    return out


def span(ax) -> tuple[datetime, datetime]:
    lo, hi = ax.get_xlim()
    return mdates.num2date(lo), mdates.num2date(hi)


def tags(fig) -> list[tuple[object, Text]]:
    """The "#id" tags on the curves, with their axes."""
    return [(ax, t) for ax in fig.axes for t in ax.texts if t.get_text().startswith("#")]


def extent(text: Text, renderer):
    return Text.get_window_extent(text, renderer)  # the text alone, as a reader sees it


def test_one_session_reads_in_minutes(pictures):
    fig, _, history = pictures["session"]
    (ax,) = fig.axes
    lo, hi = span(ax)
    # Every event of the session is on the axis (the turns the gate did not store have none)
    session = [e.at for evs in history.values() for e in evs if e.at < SESSION + timedelta(hours=1)]
    assert max(session) - min(session) >= timedelta(minutes=10), "the fixture spans the session"
    assert lo <= min(session) and hi >= max(session)
    assert hi - lo < timedelta(minutes=30), "the axis is the session, not a day"
    later = [e.at for evs in history.values() for e in evs if e.kind == "faded"]
    assert later and min(later) > hi, "fades weeks later must not stretch the axis"
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(labels) >= 3 and all(re.fullmatch(r"\d\d:\d\d", x) for x in labels), labels
    assert ax.xaxis.get_major_formatter().get_offset() == "2025-Mar-14 UTC"


def test_two_years_span_the_history(pictures):
    fig, _, _ = pictures["years"]
    (ax,) = fig.axes
    lo, hi = span(ax)
    assert lo <= YEARS and hi >= YEARS + timedelta(days=FACTS[-1][0])
    assert hi - lo < timedelta(days=800)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert {"2024", "2025"} <= set(labels) and len(labels) >= 5, labels


def test_a_back_dated_memory_breaks_the_axis_instead_of_squashing_the_rest(pictures):
    fig, mems, _ = pictures["outlier"]
    old, main = fig.axes
    back_dated = next(m for m in mems if "Coimbra" in m.text).created_at
    lo, hi = span(old)
    assert lo <= back_dated <= hi and hi < YEARS - timedelta(days=365 * 5)
    lo, hi = span(main)
    assert lo <= YEARS and hi >= YEARS + timedelta(days=FACTS[-1][0])
    assert hi - lo < timedelta(days=800), "the two years keep their own axis"
    w_old, w_main = old.get_window_extent().width, main.get_window_extent().width
    assert w_main > 4 * w_old
    per_pixel = [(span(ax)[1] - span(ax)[0]) / ax.get_window_extent().width for ax in fig.axes]
    assert per_pixel[0] / per_pixel[1] == pytest.approx(1, rel=0.02), "one scale on both sides"
    assert re.fullmatch(r"\d+\.\d years earlier", old.get_title())


@pytest.mark.parametrize("name", BUILDS)
def test_keys_sit_outside_the_plot_and_name_every_memory(pictures, name):
    fig, mems, _ = pictures[name]
    renderer = fig.canvas.get_renderer()
    key, symbols = fig.legends
    for legend in (key, symbols):
        box = legend.get_window_extent(renderer)
        for ax in fig.axes:
            assert not box.overlaps(ax.get_tightbbox(renderer)), "a key covers the plot"
    assert not key.get_window_extent(renderer).overlaps(symbols.get_window_extent(renderer))
    names = [t.get_text() for t in key.get_texts()]
    assert [int(n.split()[0][1:]) for n in names] == [m.id for m in mems]
    for n, m in zip(names, mems, strict=True):
        shown = " ".join(m.text.split())
        assert shown[: KEY_CHARS - 1].rstrip() in n.replace("\\$", "$")
        if len(shown) > KEY_CHARS:
            assert "…" in n


@pytest.mark.parametrize("name", BUILDS)
def test_every_write_has_a_tag_and_tags_do_not_overlap(pictures, name):
    fig, mems, _ = pictures[name]
    renderer = fig.canvas.get_renderer()
    found = tags(fig)
    assert sorted(int(t.get_text()[1:]) for _, t in found) == sorted(m.id for m in mems)
    boxes = [extent(t, renderer) for _, t in found]
    for (ax, _), box in zip(found, boxes, strict=True):
        assert ax.get_window_extent().contains(box.x0, box.y0)
        assert ax.get_window_extent().contains(box.x1, box.y1)
    clashes = [
        (found[i][1].get_text(), found[j][1].get_text())
        for i, j in itertools.combinations(range(len(boxes)), 2)
        if boxes[i].overlaps(boxes[j])
    ]
    assert not clashes


@pytest.mark.parametrize("name", BUILDS)
def test_nothing_is_cut_off(pictures, name):
    fig, _, _ = pictures[name]
    drawn = fig.get_tightbbox(fig.canvas.get_renderer())  # in inches: every drawn artist
    page = fig.bbox_inches
    assert page.x0 <= drawn.x0 and drawn.x1 <= page.x1 and page.y0 <= drawn.y0, drawn
    assert drawn.y1 <= page.y1, drawn


def test_draw_writes_the_png(fake_sqlite_memory, tmp_path):
    mems, history = snapshot(fake_sqlite_memory, build_session(fake_sqlite_memory))
    out = draw("ana", mems, history, tmp_path / "ana.png")
    assert out == tmp_path / "ana.png"
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(FileNotFoundError):  # a missing folder is the caller's to make
        draw("ana", mems, history, tmp_path / "new" / "ana.png")
    assert not (tmp_path / "new").exists()


def test_a_user_name_with_dollar_signs_is_drawn_as_it_is(fake_sqlite_memory, tmp_path):
    # Two dollar signs start matplotlib's mathtext; "a$x^$b" made the drawing raise.
    mems, history = snapshot(fake_sqlite_memory, build_session(fake_sqlite_memory))
    out = draw("a$x^$b", mems, history, tmp_path / "odd.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_panels_break_only_at_a_gap_that_takes_most_of_the_span():
    minute, month = 60.0, 30 * 86400.0
    session = [1e9 + i * minute for i in range(15)]
    (one,) = panels(session)
    assert one.lo < session[0] and one.hi > session[-1] and one.hi - one.lo < 20 * minute
    old, rest = panels([1e9 - 120 * month, *session])
    assert old.lo < 1e9 - 120 * month < old.hi < 1e9 - 119 * month
    assert session[0] - 2 * minute < rest.lo < rest.hi < session[-1] + 2 * minute
    assert rest.share > 0.8
    two_years = [1e9 + k * month for k in range(24)]
    old, rest = panels([1e9 - 120 * month, *two_years])
    assert (old.hi - old.lo) / old.share == pytest.approx((rest.hi - rest.lo) / rest.share)
    assert len(panels([1e9, 1e9 + 12 * month])) == 1, "two events are a span, not an outlier"
    assert len(panels([1e9 - 2 * month, *two_years])) == 1, "an ordinary gap stays"
