"""Long assistant-style project conversations with evidence labels: a memory-retrieval benchmark.

``conversations(seed, n)`` returns ``n`` synthetic conversations in the LoCoMo JSON layout
(the top-level list of a LoCoMo file), so the project's LoCoMo reader and ``gatedmem bench``
can read them. In each one a person (``speaker_a``) works on one software or hobby project
with an AI assistant (``speaker_b`` = "assistant") over 5-7 sessions held days or weeks apart:

* the person's turns are mostly questions and requests (how to do X, debug this, review
  this code), some long, some with pasted code or error logs, and scattered among them are
  facts about the project and the person, stated in passing (name and purpose, framework,
  database, hosting, demo date, teammates, client, a decision, a bug and its fix, a rejected
  library, setup, working hours, metrics). Some facts change in a later session (database
  switched, demo moved, a new teammate, more users, sometimes new hosting);
* the assistant's turns are long, structured and deliberately restate what the person said
  earlier ("Since you're using PostgreSQL on Fly.io ..."): distractors that share words
  with the questions. Many turns are alike (each session dwells on a few topics).

``qa`` holds 15-25 questions asked after the last session, phrased differently from the
facts, each with the dia_id(s) of the PERSON's turn(s) that state the answer (for a changed
fact, only the turn with the current value): category 4 single-hop, 2 dates, 1 two turns.

THIS IS A BENCHMARK. It must not be used to train, tune or select models, gates or
thresholds, and it is written independently of the project's training-data generators.
Everything is hand-written templates and a seeded ``random.Random``: no model, no network,
standard library only. The same (seed, n) always gives the same output.

    python -m gatedmem.bench.projects out.json [seed] [n]
"""

from __future__ import annotations

import json
import random
import re
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path


# Text blocks: the templates below are written as '- ' items, wrapped freely.
def _items(block: str) -> list[str]:
    """The phrasings of a text block, one per '- ' line (wrapped lines joined back)."""
    return [" ".join(item.split()) for item in ("\n" + textwrap.dedent(block)).split("\n- ")[1:]]


def _pairs(block: str) -> list[tuple[str, str]]:
    """'- title | text' items as (title, text)."""
    return [tuple(item.split(" | ", 1)) for item in _items(block)]


# The material below is laid out by hand for reading; the formatter leaves it alone.
# fmt: off
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# --------------------------------------------------------------------------- people, projects
# Names for the person, teammates and the client (four distinct ones per conversation).
FIRST_NAMES = [
    "Alice", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Ines", "Jonas",
    "Kemi", "Lars", "Maya", "Nikhil", "Olga", "Pablo", "Quinn", "Rosa", "Samir", "Tessa",
    "Umar", "Vera", "Wes", "Ximena", "Yusuf", "Zoe", "Amara", "Ben", "Clara", "Diego",
    "Freya", "Gustavo", "Hana", "Ivan", "Julia", "Kofi", "Leila", "Marco", "Nora", "Oscar",
]

# Project domains: purpose, entity (singular, plural), a numeric field, the client's role,
# and candidate project names.
DOMAINS = [
    ("an app for splitting shared expenses between housemates", "expense", "expenses", "amount",
     "runs a co-living house with twelve tenants", ["Tally", "Splitly", "Kitty"]),
    ("a watering-reminder app for a community garden", "plant", "plants", "water_ml",
     "coordinates the community garden", ["Sprout", "Dewdrop", "Greenrow"]),
    ("a booking system for a bouldering gym", "booking", "bookings", "party_size",
     "owns the bouldering gym", ["Cragline", "Chalkboard", "Belay"]),
    ("a recipe manager that scales portions for a catering business", "recipe", "recipes",
     "servings", "runs a small catering company", ["Mise", "Ladle", "Pantry"]),
    ("an invoicing tool for freelance translators", "invoice", "invoices", "total",
     "runs a small translation agency", ["Quill", "Billfold", "Ledgerline"]),
    ("an event scheduler for a board game cafe", "event", "events", "seats",
     "owns the board game cafe", ["Meeple", "Dicebox", "Gamenight"]),
    ("a training log for a running club that imports GPS files", "run", "runs", "distance_km",
     "coaches the running club", ["Stride", "Pacer", "Trailmark"]),
    ("an inventory tracker for a small bakery", "item", "items", "quantity",
     "runs the bakery", ["Crumb", "Larder", "Proof"]),
    ("a reading tracker for the library's book clubs", "book", "books", "pages",
     "organises the library's book clubs", ["Shelfie", "Marginalia", "Chapter"]),
    ("a repair-ticket system for a bike shop", "ticket", "tickets", "price",
     "owns the bike shop", ["Spoke", "Chainring", "Derailleur"]),
    ("a shift planner for food bank volunteers", "shift", "shifts", "hours",
     "coordinates the food bank's volunteers", ["Rota", "Pitchin", "Handshake"]),
    ("a batch log for a home-brewing club", "batch", "batches", "volume_l",
     "chairs the homebrew club", ["Wort", "Hopline", "Fermento"]),
    ("a lesson scheduler for a music school", "lesson", "lessons", "duration_min",
     "runs the music school", ["Cadence", "Metronome", "Tempo"]),
    ("a lending system for a neighbourhood tool library", "loan", "loans", "days",
     "manages the neighbourhood tool library", ["Toolshed", "Borrowbox", "Lendline"]),
    ("a dashboard for a housing co-op's solar panels", "reading", "readings", "kwh",
     "looks after the housing co-op's solar panels", ["Sunspot", "Helio", "Lumen"]),
]

# Stacks: language name, framework, code language of the snippets.
STACKS = [("Python", "FastAPI", "python"), ("Python", "Django", "python"),
          ("Python", "Flask", "python"), ("Node.js", "Express", "js"),
          ("TypeScript", "Next.js", "js"), ("TypeScript", "NestJS", "js")]

# Database switches: old, new, why (the "why" is asked about).
DB_SWITCHES = [
    ("SQLite", "PostgreSQL", "concurrent writes kept failing with 'database is locked'"),
    ("SQLite", "MySQL", "the client's IT person already runs MySQL and handles its backups"),
    ("MongoDB", "PostgreSQL", "the reporting queries really needed proper joins"),
    ("MySQL", "PostgreSQL", "we wanted JSONB columns and decent full-text search"),
    ("Firebase Firestore", "PostgreSQL",
     "read costs kept climbing and the queries were too limited"),
    ("MongoDB", "MySQL", "the data turned out to be very relational"),
    ("SQLite", "Supabase", "we wanted managed backups without running a database server"),
    ("PostgreSQL", "SQLite", "the app is tiny and a single file is much easier to back up"),
    ("MySQL", "SQLite", "the managed MySQL instance cost more than everything else combined"),
]

HOSTS = ["Heroku", "Fly.io", "Render", "Railway", "a DigitalOcean droplet", "a Hetzner VPS",
         "Google Cloud Run", "AWS Elastic Beanstalk", "a Raspberry Pi at home"]
HOST_REASONS = ["the free tier went away", "it was half the price for the same resources",
                "cold starts made the first request take ten seconds",
                "we needed a persistent disk for uploads", "deploys kept timing out"]

DEMOS = ["the demo", "the beta launch", "the public launch", "my demo at the local meetup"]
DEMO_MOVE_REASONS = ["{sname} is travelling that week", "we want the import feature in first",
                     "the venue was double-booked", "two testers couldn't make the original date"]

ROLES = ["frontend", "UI design", "backend API", "testing and QA",
         "deployment and infrastructure", "mobile app", "data import scripts"]

# Decisions: full phrase, short phrase used in questions, reason.
DECISIONS = [
    ("use server-side sessions instead of JWTs", "server-side sessions",
     "we need to be able to log someone out instantly"),
    ("keep everything in a single monolith for now", "a monolith",
     "there are only a couple of us and separate services would just add deployment work"),
    ("use UUIDs for public ids", "UUIDs as public ids",
     "sequential ids in URLs let people guess other records"),
    ("switch the list pages to cursor-based pagination", "cursor pagination",
     "offset pagination got slow past a few thousand rows"),
    ("skip a native mobile app and make the site responsive", "a responsive site instead of an app",
     "most users are on laptops and a second codebase is too much work"),
    ("put the new importer behind a feature flag", "a feature flag for the importer",
     "it can be switched off without a redeploy if it misbehaves"),
    ("soft-delete records instead of really deleting them", "soft deletes",
     "people kept asking to restore things they removed by accident"),
    ("render pages on the server and add JavaScript only where needed", "server-side rendering",
     "it keeps pages fast on the old phones many users have"),
    ("run the scheduled jobs from cron instead of a worker process", "cron for scheduled jobs",
     "there are only a few jobs and cron costs nothing on the server"),
]

# Bugs: name, symptom (a clause), cause and fix (told later), short fix (the answer), topic.
BUGS = [
    ("the logout bug", "everyone gets logged out after each deploy",
     "the secret key was generated randomly at startup, so every deploy invalidated all sessions; "
     "it now comes from an environment variable",
     "the secret key now comes from an environment variable instead of being regenerated", "auth"),
    ("the timezone bug", "reminders fire an hour late since the clocks changed",
     "we were storing naive local times; everything is stored in UTC now and converted only for "
     "display",
     "store all times in UTC and convert only for display", "dates"),
    ("the double email problem", "some people get every notification email twice",
     "the job was running on two instances at once, so I added a lock and an idempotency key per "
     "email",
     "a lock plus an idempotency key per email", "jobs"),
    ("the memory leak", "the worker's memory climbs until it gets killed every few hours",
     "a module-level dict was caching every response forever; it's now an LRU cache capped at 512 "
     "entries",
     "replaced the unbounded dict cache with an LRU cache of 512 entries", "perf"),
    ("the CSV import crash", "imports die on some files with a UnicodeDecodeError",
     "the files exported from Excel were cp1252, so the importer now tries utf-8-sig and falls "
     "back to cp1252",
     "try utf-8-sig first and fall back to cp1252", "import"),
    ("the slow dashboard", "the dashboard takes about eight seconds to load",
     "it was an N+1 problem with one query per row; one join plus a batched query got it under 300 "
     "ms",
     "replaced the N+1 queries with a join and one batched query", "perf"),
    ("the CORS error", "the frontend's requests are blocked in production but work locally",
     "the allowed origin in the config had a trailing slash, so it never matched; removing it "
     "fixed it",
     "removed a trailing slash from the allowed origin", "api"),
    ("the rounding bug", "monthly totals are off by a cent here and there",
     "we were summing floats; amounts are stored as integer cents now and only formatted for "
     "display",
     "store amounts as integer cents instead of floats", "review"),
    ("the flaky tests", "the test suite fails randomly about one run in five",
     "two tests shared a database row and ran in random order; each test now runs in its own "
     "rolled-back transaction", "each test runs in its own rolled-back transaction", "testing"),
    ("the blank page bug", "the list page renders blank for brand-new accounts",
     "the component called .map on undefined when the API returned no items; it defaults to an "
     "empty list now", "default the list to an empty array", "frontend"),
]

# Rejected libraries per language: library, category, reason, alternative used instead.
REJECTED = {
    "python": [
        ("Celery", "task queue", "it was far too much infrastructure for three scheduled jobs",
         "a plain cron job"),
        ("pandas", "data processing", "it doubled the Docker image just to read a CSV",
         "the built-in csv module"),
        ("Marshmallow", "serialization", "the validation rules ended up duplicated everywhere",
         "dataclasses with a few checks"),
        ("Arrow", "date handling", "zoneinfo in the standard library already covers it",
         "zoneinfo"),
        ("Poetry", "dependency management", "the lock file kept fighting with the Docker build",
         "pip-tools"),
    ],
    "js": [
        ("Redux", "state management", "it's way too much boilerplate for a handful of forms",
         "React context and a couple of hooks"),
        ("Moment.js", "date handling", "it's in maintenance mode and huge", "date-fns"),
        ("Prisma", "database access", "its migrations didn't play well with the existing schema",
         "Knex"),
        ("Passport", "authentication", "the strategy setup felt opaque",
         "a small session middleware of my own"),
        ("Bull", "job queue", "it needs Redis and we don't use Redis otherwise", "node-cron"),
    ],
}

LAPTOPS = ["a 2020 MacBook Air", "a 14-inch MacBook Pro", "a ThinkPad X1 Carbon running Fedora",
           "a Dell XPS 13 with Ubuntu 22.04", "a Windows 11 desktop with WSL2",
           "a Framework laptop running Arch"]
EDITORS = {"python": ["VS Code", "Neovim", "PyCharm", "Zed", "Sublime Text", "Emacs", "Helix"],
           "js": ["VS Code", "Neovim", "WebStorm", "Zed", "Sublime Text", "Emacs", "Helix"]}
HOURS = ["in the evenings after nine, once the kids are asleep",
         "early in the morning, roughly six to eight, before my day job",
         "on Saturday mornings", "during lunch breaks and on Sunday afternoons",
         "on Tuesdays and Thursdays", "late at night, usually from ten until one"]
USER_UNITS = ["weekly active users", "registered users", "people signed up", "monthly active users"]

# --------------------------------------------------------------------------- fact statements
# What the person says in passing; one list of phrasings per fact slot.
FACTS = {
    "intro": _items("""
        - Hi! I'm starting a project called {project}: {purpose}. I'll probably be back with
          lots of questions over the next few weeks.
        - Hello! Some context first: I'm building {project}, which is {purpose}.
        - Hey, I could use a second pair of eyes on a project. It's called {project} and
          it's {purpose}.
        """),
    "framework": _items("""
        - The backend is {lang_name} with {framework}, since that's what I know best.
        - I went with {framework} ({lang_name}) for this one after trying a couple of
          alternatives.
        - For the record, the whole thing is written with {framework}.
        """),
    "db_init": _items("""
        - For storage I'm on {db_old} for now.
        - All the data lives in {db_old} at the moment.
        - I set up {db_old} as the database on day one and it's been okay so far.
        """),
    "db_change": _items("""
        - Quick update: we moved everything from {db_old} to {db_new} {rel_db}, because
          {db_reason}.
        - Since the migration to {db_new} {rel_db} (we dropped {db_old} because
          {db_reason}), a few queries behave differently.
        - Big change on our side: {db_old} is gone. We switched to {db_new} {rel_db} because
          {db_reason}.
        """),
    "host_init": _items("""
        - It's deployed on {host_old} right now.
        - I'm hosting it on {host_old}, mostly because it was the easiest to set up.
        - The app runs on {host_old}.
        """),
    "host_change": _items("""
        - We also moved hosting off {host_old}; it's on {host_new} now because
          {host_reason}.
        - Deploys go to {host_new} these days instead of {host_old}, since {host_reason}.
        """),
    "demo": _items("""
        - {Demo} is on {demo_text}, so that's my hard deadline.
        - I need something presentable for {demo} on {demo_text}.
        - The date to keep in mind is {demo_text}: that's {demo}.
        """),
    "demo_move": _items("""
        - Good news: {demo} got pushed back to {demo2_text} because {move_reason}.
        - {Demo} moved to {demo2_text} ({move_reason}), which gives me some breathing room.
        - Change of plans, {demo} is now on {demo2_text}; {move_reason}.
        """),
    "t1": _items("""
        - My friend {t1} is helping out and handles the {role1}.
        - {t1} joined me early on and does the {role1}.
        - I'm not alone on this: {t1} takes care of the {role1}.
        """),
    "t2": _items("""
        - We have a new person on the team: {t2} joined {rel_t2} and will look after the
          {role2}.
        - {t2} started helping {rel_t2}, and is taking over the {role2}.
        - Since {t2} came on board {rel_t2} to do the {role2}, I want the code to be easier
          to read.
        """),
    "stake": _items("""
        - The client is {sname}, who {owner_role}.
        - I'm building this for {sname}, who {owner_role}, so {sname} gets the final say on
          features.
        - It's really for {sname}, who {owner_role}; I just write the code.
        """),
    "decision": _items("""
        - We decided to {decision} because {dreason}.
        - After some back and forth we chose to {decision}; the main reason is that
          {dreason}.
        - One decision from this week: we'll {decision}, since {dreason}.
        """),
    "bug": _items("""
        - We're hitting a nasty one that I've been calling {bug}: {symptom}. It started
          {rel_bug}.
        - There's a new problem, {bug}: {symptom}. It first showed up {rel_bug}.
        """),
    "fix": _items("""
        - Update on {bug}: {cause_fix}.
        - Finally cracked {bug}. In short, {cause_fix}.
        - {Bug} is fixed, by the way: {cause_fix}.
        """),
    "rejected": _items("""
        - I tried {lib} for {libcat} but dropped it because {lib_reason}; I'm using {alt}
          instead.
        - I looked at {lib} for {libcat} and decided against it, {lib_reason}; {alt} does
          the job for now.
        """),
    "setup": _items("""
        - My setup is {laptop} with {editor}, in case that matters.
        - I'm working on {laptop} and I write everything in {editor}.
        """),
    "hours": _items("""
        - I only get to work on this {hours}, so I want things simple.
        - Time is tight: I can only work on {project} {hours}.
        """),
    "metric_latency": _items("""
        - {sname} wants the p95 response time under {ms} ms; that's the target we agreed on.
        - Our performance goal is a p95 under {ms} ms.
        """),
    "metric_budget": _items("""
        - The hosting budget is ${budget_n} a month, set by {sname}.
        - We can't spend more than ${budget_n} a month on hosting.
        """),
    "users1": _items("""
        - We're at about {u1} {unit} right now.
        - There are roughly {u1} {unit} so far.
        """),
    "users2": _items("""
        - Usage is growing, we just passed {u2} {unit}.
        - We're up to {u2} {unit} now, which is exciting and a bit scary.
        """),
}


def learned(slot: str, c: dict) -> dict:
    """What the assistant knows once a fact is stated (keys for its restatements)."""
    table = {
        "intro": {"purpose": c["purpose"]},
        "framework": {"framework": c["framework"], "lang_name": c["lang_name"]},
        "db_init": {"db": c["db_old"]},
        "db_change": {"db": c["db_new"], "db_prev": c["db_old"], "db_reason": c["db_reason"]},
        "host_init": {"host": c["host_old"]},
        "host_change": {"host": c.get("host_new"), "host_prev": c["host_old"]},
        "demo": {"demo": c["demo"], "demo_date": c["demo_text"]},
        "demo_move": {"demo_date": c["demo2_text"], "demo_prev": c["demo_text"]},
        "t1": {"t1": c["t1"], "role1": c["role1"]},
        "t2": {"t2": c["t2"], "role2": c["role2"]},
        "stake": {"sname": c["sname"], "owner_role": c["owner_role"]},
        "decision": {"decision": c["decision"], "dshort": c["dshort"], "dreason": c["dreason"]},
        "bug": {"bug": c["bug"], "symptom": c["symptom"]},
        "fix": {"fix_short": c["fix_short"]},
        "rejected": {"lib": c["lib"], "alt": c["alt"]},
        "setup": {"laptop": c["laptop"], "editor": c["editor"]},
        "hours": {"hours": c["hours"]},
        "metric": {"ms": c["ms"]} if c["metric"] == "latency" else {"budget_n": c["budget_n"]},
        "users1": {"users": c["u1"], "unit": c["unit"]},
        "users2": {"users": c["u2"], "users_prev": c["u1"]},
    }
    return table[slot]


# --------------------------------------------------------------------------- pasted material
# Snippets use {entity}, {entities}, {Entity}, {Entities}, {field} and {pkg}, filled per project
# (only those keys, so the code's own braces are left alone).
SQL_SNIPPETS = {
    "report": """SELECT o.name, COUNT(e.id) AS n, SUM(e.{field}) AS total
FROM {entities} e
JOIN owners o ON o.id = e.owner_id
WHERE e.created_at >= '2023-01-01'
GROUP BY o.name
ORDER BY total DESC;""",
    "offset": """SELECT *
FROM {entities}
WHERE owner_id = 42
  AND deleted_at IS NULL
ORDER BY created_at DESC
LIMIT 20 OFFSET 4000;""",
    "migration": """ALTER TABLE {entities} ADD COLUMN {field}_new NUMERIC(10, 2);
UPDATE {entities} SET {field}_new = CAST({field} AS NUMERIC(10, 2));
ALTER TABLE {entities} DROP COLUMN {field};
ALTER TABLE {entities} RENAME COLUMN {field}_new TO {field};
CREATE INDEX ix_{entities}_owner_created ON {entities} (owner_id, created_at);""",
    "duplicates": """SELECT owner_id, external_ref, COUNT(*)
FROM {entities}
GROUP BY owner_id, external_ref
HAVING COUNT(*) > 1;

DELETE FROM {entities}
WHERE id NOT IN (
    SELECT MIN(id) FROM {entities} GROUP BY owner_id, external_ref
);""",
    "create": """CREATE TABLE {entities} (
    id          INTEGER PRIMARY KEY,
    owner_id    INTEGER NOT NULL REFERENCES users(id),
    {field}     NUMERIC(10, 2) NOT NULL DEFAULT 0,
    note        TEXT,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP
);""",
}

SHELL_SNIPPETS = {
    "docker": """$ docker build -t {pkg}:latest .
[+] Building 41.2s (9/11)
 => [internal] load build definition from Dockerfile
 => [4/7] COPY requirements.txt .
 => ERROR [5/7] RUN pip install -r requirements.txt
------
 > [5/7] RUN pip install -r requirements.txt:
#0 12.81 error: subprocess-exited-with-error
#0 12.81 x Building wheel for cryptography (pyproject.toml) did not run successfully.
------
ERROR: failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not complete
successfully: exit code: 1""",
    "cron": """# m h  dom mon dow   command
*/15 * * * *  cd /srv/{pkg} && venv/bin/python -m {pkg}.jobs.remind >> remind.log 2>&1
0 3 * * *     /srv/{pkg}/scripts/backup.sh
$ tail -n 3 /var/log/{pkg}/remind.log
2023-06-02 09:15:01 INFO sent 0 reminders
2023-06-02 09:30:01 INFO sent 0 reminders
2023-06-02 09:45:02 INFO sent 0 reminders""",
    "pm2": """$ pm2 logs {pkg}-worker --lines 5
0|{pkg}-worker | 2023-06-02T09:00:00.012Z reminders done
0|{pkg}-worker | 2023-06-02T10:00:00.009Z reminders done
0|{pkg}-worker | (node:412) UnhandledPromiseRejectionWarning: Error: 421 Too many connections
0|{pkg}-worker |     at SMTPConnection._formatError (nodemailer/lib/smtp-connection/index.js:790:19)
0|{pkg}-worker | 2023-06-02T11:00:00.015Z reminders done""",
    "npm": """$ npm run build
> {pkg}@0.3.0 build
> tsc -p tsconfig.json && vite build

src/api/{entities}.ts:27:15 - error TS2339:
  Property '{field}' does not exist on type '{Entity}Summary'.

27     return row.{field} * rate;
                 ~~~~~
Found 1 error in src/api/{entities}.ts:27""",
    "eaddrinuse": """$ node dist/server.js
node:events:495
      throw er; // Unhandled 'error' event
      ^
Error: listen EADDRINUSE: address already in use :::3000
    at Server.setupListenHandle [as _listen2] (node:net:1817:16)
    at listenInCluster (node:net:1865:12)
    at Server.listen (node:net:1953:7)""",
    "git": """$ git push origin main
To github.com:me/{pkg}.git
 ! [rejected]        main -> main (non-fast-forward)
error: failed to push some refs to 'github.com:me/{pkg}.git'
hint: Updates were rejected because the tip of your current branch is behind
hint: its remote counterpart. Integrate the remote changes (e.g.
hint: 'git pull ...') before pushing again.""",
}

ERROR_LOGS = {
    "python": [
        """Traceback (most recent call last):
  File "/app/{pkg}/services/{entities}.py", line 58, in summarize
    total += row["{field}"]
TypeError: unsupported operand type(s) for +=: 'float' and 'NoneType'""",
        """ERROR:{pkg}.api:Unhandled error on GET /{entities}/417
Traceback (most recent call last):
  File "/app/{pkg}/api/handlers.py", line 88, in get_{entity}
    owner = lookup_owner(row["owner_id"])
  File "/app/{pkg}/api/owners.py", line 21, in lookup_owner
    return OWNERS_CACHE[owner_id]
KeyError: 417""",
        """Traceback (most recent call last):
  File "/app/{pkg}/importer.py", line 42, in import_{entities}
    for row in reader:
  File "/usr/lib/python3.11/csv.py", line 111, in __next__
    row = next(self.reader)
  File "<frozen codecs>", line 322, in decode
UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9 in position 87: invalid continuation
byte""",
        """Traceback (most recent call last):
  File "/app/{pkg}/importer.py", line 34, in parse_row
    value = int(row["{field}"])
ValueError: invalid literal for int() with base 10: ''""",
        """Traceback (most recent call last):
  File "/app/{pkg}/views.py", line 112, in {entity}_detail
    return render(request, "{entity}.html", {"owner_id": item.owner.id})
AttributeError: 'NoneType' object has no attribute 'id'""",
    ],
    "js": [
        """TypeError: Cannot read properties of undefined (reading 'map')
    at {Entity}List (src/components/{Entity}List.jsx:14:22)
    at renderWithHooks (react-dom.development.js:16305:18)
    at mountIndeterminateComponent (react-dom.development.js:20074:13)""",
        """(node:23817) UnhandledPromiseRejectionWarning: Error: connect ETIMEDOUT 10.0.3.12:443
    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)
(node:23817) UnhandledPromiseRejectionWarning: Unhandled promise rejection. This error originated
either by throwing inside of an async function without a catch block, or by rejecting a promise
which was not handled with .catch().""",
        """SyntaxError: Unexpected token '<', "<!DOCTYPE "... is not valid JSON
    at JSON.parse (<anonymous>)
    at async load{Entities} (src/api/{entities}.js:9:18)
    at async {Entity}Page (src/pages/{entities}.jsx:21:5)""",
        """Access to fetch at 'https://api.example.org/{entities}' from origin
'https://app.example.org' has been blocked by CORS policy: Response to preflight request
doesn't pass access control check: The 'Access-Control-Allow-Origin' header has a value
'https://app.example.org/' that is not equal to the supplied origin.""",
    ],
}

# --------------------------------------------------------------------------- topics
# Each topic: what the person asks, context lines for long turns, which material they paste,
# and the assistant's intros, advice bullets (title, text) and code. "code" maps a language to
# (what the person pastes, what the assistant suggests) with its fence tag.
TOPICS: dict[str, dict] = {}

TOPICS["schema"] = dict(
    ask=_items("""
        - What's the safest way to add a {field} column to the {entities} table when there's
          already data in it?
        - How should I organise migrations so they don't turn into a pile of one-off
          scripts?
        - Should {entities} and their owners live in one table or two? I keep going back and
          forth.
        - How do I rename a column in a migration without losing anything?
        - Which indexes would you put on the {entities} table? Most queries filter by owner
          and date.
        - Is it a bad idea to keep the {entity} settings in a JSON column instead of proper
          columns?
        """),
    context=_items("""
        - The schema grew organically, so some columns are nullable for no good reason.
        - There are already a few hundred real rows, so dropping and recreating isn't an
          option.
        - I wrote the last migration by hand and I'm not sure it can be reversed.
        """),
    paste=["code", "sql", "sql"],
    sql=["migration", "create"],
    intro=_items("""
        - Schema changes are where small projects most often get into trouble later, so it's
          worth being deliberate about them now.
        - For the {entities} table, the main goal is to change the structure without ever
          leaving existing rows in an invalid state.
        """),
    bullets=_pairs("""
        - Make each migration small | One migration should do one thing, such as adding a
          column or an index. Small steps are easier to review, easier to roll back, and the
          history stays readable.
        - Add columns as nullable first | Add the new column as nullable or with a default,
          backfill existing rows in a separate step, and only then tighten the constraint,
          so no existing row ever violates it.
        - Always write the downgrade | Even if you never plan to roll back, writing the
          reverse step forces you to think about what the change destroys, and it saves you
          when a deploy goes wrong.
        - Index what you filter on | Look at the WHERE and ORDER BY clauses of your most
          frequent queries. A composite index on owner and creation date covers most list
          pages in an app like {project}.
        - Prefer columns to JSON for anything you query | JSON is fine for settings you only
          read as a whole, but as soon as you filter or sort on a value it deserves a real
          column with a type and a constraint.
        - Test migrations on a copy of real data | Run every migration against a recent dump
          before it touches production. Data that can never happen always turns up somewhere
          in the real rows.
        - Keep the schema in version control | Migrations should live in the repository next
          to the code that depends on them, so any commit you check out has a schema that
          matches it.
        - Use constraints, not just application checks | NOT NULL, foreign keys and unique
          constraints catch the bugs your code forgets, and they are the last line of
          defence when two requests race each other.
        """),
    code={"python": (("python", '''def migrate(conn):
    cur = conn.cursor()
    cur.execute("ALTER TABLE {entities} ADD COLUMN {field} INTEGER")
    rows = cur.execute("SELECT id, legacy_value FROM {entities}").fetchall()
    for row in rows:
        cur.execute("UPDATE {entities} SET {field} = ? WHERE id = ?", (row[1], row[0]))
    conn.commit()'''), ("python", '''def upgrade(conn):
    with conn:  # one transaction: all or nothing
        conn.execute("ALTER TABLE {entities} ADD COLUMN {field} INTEGER DEFAULT 0")
        conn.execute(
            "UPDATE {entities} SET {field} = legacy_value WHERE legacy_value IS NOT NULL"
        )
        conn.execute(
            "CREATE INDEX IF NOT EXISTS ix_{entities}_owner ON {entities} (owner_id, created_at)"
        )


def downgrade(conn):
    with conn:
        conn.execute("DROP INDEX IF EXISTS ix_{entities}_owner")''')),
          "js": (("js", '''exports.up = async function (knex) {
  await knex.schema.alterTable('{entities}', (t) => {
    t.integer('{field}').notNullable();
  });
};

exports.down = async function (knex) {
  await knex.schema.alterTable('{entities}', (t) => t.dropColumn('{field}'));
};'''), ("js", '''exports.up = async function (knex) {
  await knex.schema.alterTable('{entities}', (t) => {
    t.integer('{field}').nullable();
  });
  await knex('{entities}').update({ {field}: 0 }).whereNull('{field}');
  await knex.schema.alterTable('{entities}', (t) => {
    t.integer('{field}').notNullable().defaultTo(0).alter();
    t.index(['owner_id', 'created_at']);
  });
};

exports.down = async function (knex) {
  await knex.schema.alterTable('{entities}', (t) => {
    t.dropIndex(['owner_id', 'created_at']);
    t.dropColumn('{field}');
  });
};'''))},
)

TOPICS["auth"] = dict(
    ask=_items("""
        - How should the login endpoint handle passwords? I want to make sure I'm not doing
          anything stupid.
        - What's the right way to implement password reset for {project}?
        - Can you check my login route? It works, but I have a feeling it isn't secure.
        - How do I stop people from brute-forcing the login form?
        - What cookie settings should I use for the session?
        - How do I make sure users stay logged in across restarts?
        """),
    context=_items("""
        - Right now anybody can hammer the login form as often as they like.
        - I copied part of this from an old tutorial, so it might be outdated.
        - Only a handful of admins log in, but they can edit every {entity}.
        """),
    paste=["code", "code", "log"],
    intro=_items("""
        - Authentication is one of the few places where it pays to be conservative and
          follow well-trodden patterns rather than inventing your own.
        - Login code looks simple, but most of its bugs are security bugs, so a few habits
          go a long way.
        """),
    bullets=_pairs("""
        - Never compare plain passwords | Store a slow, salted hash such as Argon2 or bcrypt
          and compare with the library's verify function, which also avoids timing
          differences.
        - Regenerate the session on login | Issuing a new session id after a successful
          login prevents session fixation, where an attacker plants a known id before the
          user signs in.
        - Rate-limit the login endpoint | A limit of a few attempts per minute per IP
          address and per account stops password guessing without bothering real users.
        - Use secure cookie settings | Set HttpOnly, Secure and SameSite=Lax on the session
          cookie so scripts can't read it and it isn't sent along with cross-site requests.
        - Keep the secret key stable and secret | The signing key must come from the
          environment and stay the same across deploys; if it changes, every existing
          session becomes invalid at once.
        - Give one error for wrong email and wrong password | Answering 'invalid email or
          password' in both cases avoids telling an attacker which accounts exist.
        - Make reset tokens single-use | Store a hash of the reset token with an expiry of
          about an hour, and delete it as soon as it has been used.
        - Log authentication events | Record successful and failed logins with a timestamp
          and IP address. When something odd happens, this is the first place you'll look.
        """),
    code={"python": (("python", '''@app.post("/login")
def login(form: LoginForm):
    user = users.find_by_email(form.email)
    if user and user.password == hash(form.password):
        token = jwt.encode({"sub": user.id}, SECRET, algorithm="HS256")
        return {"token": token}
    return {"error": "invalid credentials"}, 401'''),
                     ("python", '''from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

hasher = PasswordHasher()


def check_login(email: str, password: str):
    user = users.find_by_email(email.strip().lower())
    if user is None:
        hasher.hash(password)  # same timing whether or not the account exists
        return None
    try:
        hasher.verify(user.password_hash, password)
    except VerifyMismatchError:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        users.update_hash(user.id, hasher.hash(password))
    return user''')),
          "js": (("js", '''app.post('/login', async (req, res) => {
  const user = await db.users.findOne({ email: req.body.email });
  if (!user || user.password !== req.body.password) {
    return res.status(401).json({ error: 'invalid login' });
  }
  req.session.userId = user.id;
  res.json({ ok: true });
});'''), ("js", '''const bcrypt = require('bcrypt');

app.post('/login', loginLimiter, async (req, res) => {
  const email = String(req.body.email || '').trim().toLowerCase();
  const user = await users.findByEmail(email);
  const ok = user && (await bcrypt.compare(req.body.password, user.passwordHash));
  if (!ok) {
    return res.status(401).json({ error: 'Invalid email or password' });
  }
  req.session.regenerate((err) => {
    if (err) return res.status(500).end();
    req.session.userId = user.id;
    res.json({ ok: true });
  });
});'''))},
)

TOPICS["testing"] = dict(
    ask=_items("""
        - How should I test the function that totals the {entities} for a month?
        - My tests pass locally but sometimes fail in CI. Where do I even start?
        - What's a sensible way to set up test data without copying it into every test?
        - Should I mock the database in unit tests or use a real one?
        - Can you help me write tests for the {entity} validation rules?
        - How many tests is enough for a project this size? I don't want to overdo it.
        """),
    context=_items("""
        - At the moment there are maybe ten tests and they all share one database.
        - I keep breaking things I thought were done, so I want a safety net.
        - Some of the tests depend on the current date, which feels wrong.
        """),
    paste=["code"],
    intro=_items("""
        - A small, fast test suite is the best investment you can make in a project like
          {project}, especially if you work on it in short bursts.
        - Good tests for this kind of logic are mostly about choosing the right cases and
          keeping each test independent.
        """),
    bullets=_pairs("""
        - Test behaviour, not implementation | Assert on what the function returns or what
          ends up in the database, not on which helper was called. Tests written that way
          survive refactoring.
        - Give each test a clean database | Wrap every test in a transaction that is rolled
          back at the end, or create a fresh database per test. Shared state between tests
          is the usual cause of flaky suites.
        - Parametrize the edge cases | Empty input, a single item, a negative number and a
          very large value can all share one test body with a small table of inputs and
          expected outputs.
        - Mock only at the boundaries | Fake the email sender, the payment provider and the
          clock, but let your own code run for real. Heavy mocking produces tests that pass
          while the app is broken.
        - Keep tests fast | A suite that runs in a few seconds gets run on every save; one
          that takes minutes gets skipped. Move slow end-to-end tests into a separate job.
        - Name tests after the rule they check | A name like
          test_total_ignores_archived_{entities} tells you what broke without opening the
          file.
        - Run the tests in CI | A small pipeline that runs the suite on every push catches
          the works-on-my-machine problems before they reach the deployed app.
        - Freeze time in date-sensitive tests | Anything involving today or next week should
          get an injected or frozen clock, otherwise the test will fail on some particular
          day of the year.
        """),
    code={"python": (("python", '''def test_monthly_total():
    create_{entity}(owner_id=1, {field}=10)
    create_{entity}(owner_id=1, {field}=15)
    create_{entity}(owner_id=2, {field}=99)
    assert monthly_total(owner_id=1) == 25


def test_monthly_total_empty():
    assert monthly_total(owner_id=3) == 0'''), ("python", '''import pytest


@pytest.fixture
def db(tmp_path):
    conn = make_connection(tmp_path / "test.db")
    apply_migrations(conn)
    yield conn
    conn.close()


@pytest.mark.parametrize("values, expected", [([10, 15], 25), ([], 0), ([7], 7)])
def test_monthly_total(db, values, expected):
    for v in values:
        create_{entity}(db, owner_id=1, {field}=v)
    create_{entity}(db, owner_id=2, {field}=99)  # another owner must not count
    assert monthly_total(db, owner_id=1) == expected''')),
          "js": (("js", '''test('sums {entities} for the month', async () => {
  await create{Entity}({ ownerId: 1, {field}: 10 });
  await create{Entity}({ ownerId: 1, {field}: 15 });
  const total = await monthlyTotal(1);
  expect(total).toBe(25);
});'''), ("js", '''const { monthlyTotal } = require('../src/{entities}');
const repo = require('../src/repo');

jest.mock('../src/repo');

describe('monthlyTotal', () => {
  beforeEach(() => jest.resetAllMocks());

  it.each([
    [[10, 15], 25],
    [[], 0],
    [[7], 7],
  ])('sums %j to %d', async (values, expected) => {
    repo.list{Entities}.mockResolvedValue(values.map(({field}) => ({ {field} })));
    await expect(monthlyTotal(1)).resolves.toBe(expected);
  });
});'''))},
)

TOPICS["deploy"] = dict(
    ask=_items("""
        - Can you look at my Dockerfile? The image is huge and builds take forever.
        - What's the right way to handle secrets and environment variables when deploying?
        - How do I run database migrations as part of the deploy?
        - The deploy worked but the app crashes on startup. How do I debug that?
        - How can I set up a simple CI pipeline that runs the tests before deploying?
        - What's the easiest way to get zero-downtime deploys for something this small?
        """),
    context=_items("""
        - Right now I deploy by hand from my laptop, which is getting old.
        - The build takes about six minutes, mostly reinstalling dependencies.
        - Debug mode might still be on in production, I honestly don't remember.
        """),
    paste=["code", "shell"],
    shell={"python": ["docker", "git"], "js": ["npm", "eaddrinuse", "git"]},
    intro=_items("""
        - Deployment problems are usually configuration problems, so the goal is to make the
          build reproducible and the configuration explicit.
        - A clean, boring deploy pipeline saves a surprising amount of time on a project
          like {project}.
        """),
    bullets=_pairs("""
        - Use a slim base image | The slim or alpine variants cut the image size by hundreds
          of megabytes, which makes builds and deploys noticeably faster.
        - Copy the dependency file first | Copying only the lock file and installing
          dependencies before copying the source lets Docker cache that layer, so code
          changes don't reinstall everything.
        - Don't run as root | Create an unprivileged user in the image and switch to it. It
          costs two lines and limits the damage if something is ever compromised.
        - Configure through environment variables | Database URLs, secret keys and debug
          flags should be injected at runtime by the hosting platform, never baked into the
          image.
        - Run migrations as a release step | Apply database migrations in a separate step
          before the new version starts serving traffic, so the code never runs against an
          old schema.
        - Add a health-check endpoint | A cheap /health route that checks the database
          connection lets the platform restart a broken instance and makes zero-downtime
          deploys possible.
        - Turn debug mode off in production | Debug pages leak stack traces, settings and
          sometimes secrets. Make production the default and opt into debug locally.
        - Automate the deploy | A pipeline that runs the tests and deploys on every merge to
          main removes a whole category of forgotten-step mistakes.
        """),
    code={"python": (("dockerfile", '''FROM python:3.11
COPY . /app
WORKDIR /app
RUN pip install -r requirements.txt
ENV DEBUG=1
EXPOSE 8000
CMD python -m {pkg}'''), ("dockerfile", '''FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN useradd --create-home appuser
USER appuser

EXPOSE 8000
HEALTHCHECK CMD ["python", "-m", "{pkg}.healthcheck"]
CMD ["gunicorn", "-w", "3", "-b", "0.0.0.0:8000", "{pkg}.wsgi:app"]''')),
          "js": (("dockerfile", '''FROM node:20
COPY . .
RUN npm install
ENV NODE_ENV=development
EXPOSE 3000
CMD npm run dev'''), ("dockerfile", '''FROM node:20-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM node:20-alpine
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build
USER node
EXPOSE 3000
CMD ["node", "dist/server.js"]'''))},
)

TOPICS["perf"] = dict(
    ask=_items("""
        - The {entities} page is getting really slow. How do I figure out why?
        - How do I find out which queries are slow?
        - Is this loop going to be a problem once there are thousands of {entities}?
        - Should I add caching, or is that premature at this point?
        - What's a good way to profile a single endpoint?
        - Memory keeps going up on the server. How do I track down what's holding on to it?
        """),
    context=_items("""
        - It was fine with test data but the real data is a lot bigger.
        - Locally it's fast, but on the server the same page takes several seconds.
        - I haven't added any indexes beyond the primary keys.
        """),
    paste=["code", "sql"],
    sql=["report", "offset"],
    intro=_items("""
        - Performance work should start with measurement; the fix is usually obvious once
          you know where the time goes.
        - List pages over a growing {entities} table are a classic source of slowness, and
          the causes are well known.
        """),
    bullets=_pairs("""
        - Measure before changing anything | Time the endpoint and count the queries it
          runs. Nine times out of ten the slow part is not where you expect it to be.
        - Watch for N+1 queries | A loop that runs one query per row is the most common
          cause of slow list pages. Replace it with a join or a single batched query using
          IN.
        - Paginate everything that can grow | Never load a whole table to show twenty rows.
          Limit in the query, not in application code after the fact.
        - Select only the columns you need | Large text or JSON columns add up quickly when
          they're fetched for every row of a list page that never displays them.
        - Check the query plan | EXPLAIN shows whether the database uses an index or scans
          the whole table. A sequential scan on a large table is usually the smoking gun.
        - Cache what is expensive and rarely changes | Totals and summaries that change a
          few times a day are good candidates for a short-lived cache, but bound its size
          and give entries an expiry.
        - Move slow work out of the request | Sending email, generating PDFs and calling
          third-party APIs can go to a background job so the user gets a response
          immediately.
        - Keep an eye on memory | Unbounded caches and lists that grow with every request
          show up as a slow climb in memory until the process is killed.
        """),
    code={"python": (("python", '''def dashboard(owner_id):
    rows = db.query("SELECT * FROM {entities} WHERE owner_id = ?", owner_id)
    result = []
    for row in rows:
        owner = db.query_one("SELECT name FROM users WHERE id = ?", row["owner_id"])
        tags = db.query("SELECT tag FROM tags WHERE {entity}_id = ?", row["id"])
        result.append({**row, "owner": owner["name"], "tags": [t["tag"] for t in tags]})
    return result'''), ("python", '''import time
from functools import wraps


def timed(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            log.info("%s took %.1f ms", fn.__name__, (time.perf_counter() - start) * 1000)
    return wrapper


@timed
def dashboard(owner_id):
    rows = db.query(
        "SELECT e.*, u.name AS owner FROM {entities} e JOIN users u ON u.id = e.owner_id "
        "WHERE e.owner_id = ? ORDER BY e.created_at DESC LIMIT 50", owner_id)
    tags = tags_for([r["id"] for r in rows])  # one query with IN (...)
    return [{**r, "tags": tags.get(r["id"], [])} for r in rows]''')),
          "js": (("js", '''async function dashboard(ownerId) {
  const rows = await db.query('SELECT * FROM {entities} WHERE owner_id = $1', [ownerId]);
  for (const row of rows) {
    row.owner = await db.one('SELECT name FROM users WHERE id = $1', [row.owner_id]);
    row.tags = await db.query('SELECT tag FROM tags WHERE {entity}_id = $1', [row.id]);
  }
  return rows;
}'''), ("js", '''async function dashboard(ownerId) {
  console.time('dashboard');
  const rows = await db.query(
    `SELECT e.*, u.name AS owner
       FROM {entities} e JOIN users u ON u.id = e.owner_id
      WHERE e.owner_id = $1
      ORDER BY e.created_at DESC LIMIT 50`,
    [ownerId],
  );
  const ids = rows.map((r) => r.id);
  const tags = await db.query(
    'SELECT {entity}_id, tag FROM tags WHERE {entity}_id = ANY($1)',
    [ids],
  );
  const byId = Map.groupBy(tags, (t) => t.{entity}_id);
  console.timeEnd('dashboard');
  return rows.map((r) => ({ ...r, tags: (byId.get(r.id) || []).map((t) => t.tag) }));
}'''))},
)

TOPICS["jobs"] = dict(
    ask=_items("""
        - What's the best way to send reminder emails every hour?
        - How do I make sure a scheduled job doesn't send the same thing twice?
        - Can you check my reminder job? It feels fragile.
        - Should I use a proper task queue for background work or is cron fine?
        - How do I handle failures in a job that processes a lot of {entities} at once?
        - How do I know if a scheduled job silently stopped running?
        """),
    context=_items("""
        - The job currently runs inside the web process, which I suspect is a bad idea.
        - If the email provider is slow, the whole job stalls.
        - Nobody noticed last week when it didn't run for two days.
        """),
    paste=["code", "code", "shell"],
    shell={"python": ["cron"], "js": ["pm2"]},
    intro=_items("""
        - Background jobs fail in quieter ways than web requests, so they need a bit more
          defensive design.
        - Scheduled work like reminders is mostly about three things: idempotency, time
          zones and visibility.
        """),
    bullets=_pairs("""
        - Make jobs idempotent | A job may run twice because of a retry or a second
          instance. Record what has already been done, for example with a unique key per
          email, so a rerun is harmless.
        - Store and compare times in UTC | Scheduling with naive local times breaks twice a
          year when the clocks change. Convert to local time only when you display
          something.
        - Process in batches | Fetch a bounded number of due items per run, such as a
          hundred, so a backlog never turns into one giant, fragile run.
        - Don't let one failure stop the rest | Catch errors per item, log them with the
          item id and keep going. One bad email address shouldn't block every other
          reminder.
        - Make sure only one scheduler runs | If the app runs on more than one instance,
          either run the scheduler in a dedicated process or take a lock, otherwise every
          job runs once per instance.
        - Log a summary of every run | One line with how many items were processed, skipped
          and failed makes it obvious when a job silently stops doing anything.
        - Keep the schedule simple | For a handful of periodic tasks, cron or the platform's
          scheduler is usually enough; a full queue system pays off only when jobs pile up.
        - Alert on jobs that don't run | A dead man's switch, where the job pings a URL
          after each run and you get alerted when the pings stop, catches the silent
          failures.
        """),
    code={"python": (("python", '''def send_reminders():
    now = datetime.now()
    for item in {entities}.due_before(now + timedelta(hours=24)):
        send_email(item.owner_email, f"Reminder: {item.title}")
        item.reminded = True
    print("done")'''), ("python", '''from datetime import datetime, timedelta, timezone


def send_reminders(batch_size: int = 100) -> int:
    now = datetime.now(timezone.utc)
    sent = 0
    for item in {entities}.due_before(now + timedelta(hours=24), reminded=False, limit=batch_size):
        key = f"reminder:{item.id}:{item.due_at:%Y-%m-%d}"
        if outbox.already_sent(key):
            continue
        try:
            send_email(item.owner_email, subject="Reminder", body=render("reminder.txt", item=item))
        except EmailError:
            log.exception("reminder failed for %s", item.id)
            continue
        outbox.mark_sent(key)
        sent += 1
    log.info("sent %d reminders", sent)
    return sent''')),
          "js": (("js", '''cron.schedule('0 * * * *', async () => {
  const due = await {entities}.dueWithin(24 * 60 * 60 * 1000);
  due.forEach(async (item) => {
    await mailer.send(item.ownerEmail, `Reminder: ${item.title}`);
    await {entities}.markReminded(item.id);
  });
  console.log('reminders done');
});'''), ("js", '''cron.schedule('0 * * * *', async () => {
  const due = await {entities}.dueWithin(24 * 60 * 60 * 1000, { reminded: false, limit: 100 });
  const results = await Promise.allSettled(
    due.map(async (item) => {
      const key = `reminder:${item.id}:${item.dueAt.toISOString().slice(0, 10)}`;
      if (await outbox.alreadySent(key)) return;
      await mailer.send(item.ownerEmail, `Reminder: ${item.title}`);
      await outbox.markSent(key);
    }),
  );
  const failed = results.filter((r) => r.status === 'rejected');
  logger.info({ total: due.length, failed: failed.length }, 'reminder run finished');
});'''))},
)

TOPICS["api"] = dict(
    ask=_items("""
        - How should I paginate the {entities} endpoint?
        - What's a clean way to validate the request body when creating a {entity}?
        - How should the API report errors so the frontend can show something useful?
        - Is this endpoint design okay, or am I going to regret it later?
        - How do I let the frontend filter {entities} by date without writing ten different
          endpoints?
        - What status code should I return when a {entity} already exists?
        """),
    context=_items("""
        - The frontend currently loads the entire list and filters it in the browser.
        - Errors come back as plain strings at the moment, which is messy.
        - I'd like the API to be usable by a mobile client later.
        """),
    paste=["code", "code", "log"],
    intro=_items("""
        - A little structure in the API now will make the frontend simpler and the bugs
          easier to find.
        - For endpoints that return {entities}, the main concerns are pagination, validation
          and consistent errors.
        """),
    bullets=_pairs("""
        - Use cursor-based pagination for long lists | Offsets get slower as they grow and
          skip or repeat rows when items are inserted. A cursor built from the last item's
          date and id is stable and fast.
        - Validate input at the edge | Check types, ranges and required fields as soon as
          the request arrives, and return a 400 with a clear message instead of failing deep
          in the code.
        - Return consistent error shapes | Pick one format, such as an object with a code
          and a message, and use it everywhere so the frontend can handle errors in one
          place.
        - Cap the page size | Accept a limit parameter but clamp it to a sensible maximum,
          otherwise a single request can ask for the whole table.
        - Use the right status codes | 201 for created, 204 for no content, 404 for missing
          records and 409 for conflicts make the API much easier to use and to debug.
        - Change fields carefully | For a small app with one frontend you rarely need
          versioned URLs, but never remove or rename a field without updating every client
          first.
        - Configure CORS explicitly | List the exact allowed origins, without trailing
          slashes, instead of allowing everything. Most works-locally-fails-in-production
          CORS errors come from a mismatch there.
        - Document the endpoints | Even a short list of routes with example requests and
          responses saves a lot of back and forth with whoever builds the frontend.
        """),
    code={"python": (("python", '''@app.get("/{entities}")
def list_{entities}(page: int = 1):
    rows = db.query("SELECT * FROM {entities} ORDER BY created_at DESC")
    start = (page - 1) * 20
    return rows[start:start + 20]'''), ("python", '''@app.get("/{entities}")
def list_{entities}(cursor: str | None = None, limit: int = 20):
    limit = max(1, min(limit, 100))
    after = decode_cursor(cursor) if cursor else None
    rows = repo.page_{entities}(after=after, limit=limit + 1)
    has_more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [serialize(r) for r in rows],
        "next_cursor": encode_cursor(rows[-1]) if has_more else None,
    }''')),
          "js": (("js", '''router.get('/{entities}', async (req, res) => {
  const page = parseInt(req.query.page);
  const rows = await db.query('SELECT * FROM {entities} ORDER BY created_at DESC');
  res.json(rows.slice((page - 1) * 20, page * 20));
});'''), ("js", '''router.get('/{entities}', async (req, res, next) => {
  try {
    const limit = Math.min(Math.max(Number(req.query.limit) || 20, 1), 100);
    const after = req.query.cursor ? decodeCursor(req.query.cursor) : null;
    const rows = await repo.page{Entities}({ after, limit: limit + 1 });
    const hasMore = rows.length > limit;
    const items = rows.slice(0, limit);
    res.json({
      items,
      nextCursor: hasMore ? encodeCursor(items[items.length - 1]) : null,
    });
  } catch (err) {
    next(err);
  }
});'''))},
)

TOPICS["import"] = dict(
    ask=_items("""
        - How can I import {entities} from a CSV file that people export from Excel?
        - My CSV import breaks on some files. Can you help me make it more robust?
        - What's the best way to report which rows failed during an import?
        - How do I avoid importing the same rows twice if someone uploads a file again?
        - Should imports run in the request or in the background?
        - What's a good way to let users export their {entities} to a spreadsheet?
        """),
    context=_items("""
        - Users send files from all sorts of spreadsheet programs.
        - Some files use semicolons and some use commas, which is a mess.
        - The biggest file so far had about twelve thousand rows.
        """),
    paste=["code", "log", "sql"],
    sql=["duplicates"],
    intro=_items("""
        - File imports look trivial until real users upload real files; most of the work is
          in the messy edge cases.
        - Importing {entities} from spreadsheets is mostly about being forgiving with the
          input and strict with what you store.
        """),
    bullets=_pairs("""
        - Don't assume UTF-8 | Files exported from spreadsheets are often UTF-8 with a
          byte-order mark, or Windows-1252. Try utf-8-sig first and fall back to cp1252.
        - Detect the delimiter | Depending on the locale, Excel writes commas or semicolons.
          A sniffer or the parser's options can detect it from the first couple of
          kilobytes.
        - Use a real CSV parser | Splitting lines on commas breaks on quoted fields and
          embedded newlines. A proper parser handles quoting, escaping and line endings for
          you.
        - Collect errors instead of stopping | Record the line number and reason for every
          bad row and report them all at the end, so the user can fix the file in one go.
        - Parse numbers defensively | Decimal commas, thousands separators, currency symbols
          and empty cells all show up in real files. Normalise them in one small, tested
          function.
        - Make imports idempotent | Use an external reference or a hash of the row to detect
          duplicates, so importing the same file twice doesn't double everything.
        - Import inside a transaction | Either the whole file goes in or nothing does.
          Half-imported files are much harder to clean up than a clear error message.
        - Preview before committing | Showing the first rows and the detected columns before
          the real import catches swapped columns and wrong date formats early.
        """),
    code={"python": (("python", '''import csv


def import_{entities}(path):
    with open(path) as f:
        for row in csv.DictReader(f):
            {entities}.create(
                name=row["Name"],
                {field}=float(row["Amount"]),
                created_at=row["Date"],
            )'''), ("python", '''import csv
import io


def read_rows(raw: bytes):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\\t")
    yield from csv.DictReader(io.StringIO(text), dialect=dialect)


def import_{entities}(raw: bytes):
    errors, created = [], 0
    for line_no, row in enumerate(read_rows(raw), start=2):
        try:
            {entities}.create(name=row["Name"].strip(), {field}=parse_number(row["Amount"]))
            created += 1
        except (KeyError, ValueError) as exc:
            errors.append((line_no, str(exc)))
    return created, errors''')),
          "js": (("js", '''const fs = require('fs');

function import{Entities}(path) {
  const lines = fs.readFileSync(path, 'utf8').split('\\n');
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}'''), ("js", '''const { parse } = require('csv-parse/sync');

function import{Entities}(buffer) {
  const records = parse(buffer, {
    columns: true,
    bom: true,
    delimiter: [',', ';'],
    skip_empty_lines: true,
    trim: true,
  });
  const errors = [];
  const rows = [];
  records.forEach((rec, i) => {
    const value = Number(String(rec.Amount).replace(',', '.'));
    if (Number.isNaN(value)) errors.push({ line: i + 2, reason: 'bad amount' });
    else rows.push({ name: rec.Name, {field}: value });
  });
  return { rows, errors };
}'''))},
)

TOPICS["errors"] = dict(
    ask=_items("""
        - How should I handle errors in this function? Right now it just prints them.
        - What's a good logging setup for a small app like this?
        - How do I get notified when something crashes in production?
        - Is it bad to catch every exception and carry on?
        - What should I log, and what should I definitely not log?
        - How do I make error messages useful without leaking internals?
        """),
    context=_items("""
        - When something goes wrong I usually find out from a user a day later.
        - The logs are a wall of print statements right now.
        - I'm worried about accidentally logging personal data.
        """),
    paste=["code", "log"],
    intro=_items("""
        - Error handling is really about making problems visible: the worst bugs are the
          ones that fail silently.
        - Catching everything and carrying on makes real problems very hard to see, so let's
          make failures loud and informative.
        """),
    bullets=_pairs("""
        - Don't swallow exceptions | A bare except that prints and returns nothing hides
          real bugs. Catch the specific errors you can handle and let everything else reach
          a central handler.
        - Use structured logging | Log events with fields such as the record id, the user
          and the duration rather than free text. Structured logs are far easier to search
          when something breaks.
        - Add an error tracker | A service such as Sentry, or even an email on every
          unhandled exception, tells you about crashes before your users do.
        - Log the context, not just the message | Include which {entity} was being processed
          and what the input looked like, while being careful not to log passwords or
          personal data.
        - Separate expected and unexpected errors | Validation failures are normal and
          deserve a warning and a 400; bugs are unexpected and deserve a stack trace and a
          500.
        - Set log levels deliberately | Use debug for noise you only need while developing,
          info for normal events, warning for recoverable problems and error for things
          someone must look at.
        - Keep secrets out of logs | Scrub tokens, passwords and full request bodies before
          they are written. Logs get copied to many more places than the database.
        - Fail loudly at startup | Check the required configuration when the app starts and
          refuse to boot if something is missing, instead of failing on the first request.
        """),
    code={"python": (("python", '''def handle(payload):
    try:
        item = parse(payload)
        result = process_{entity}(item)
        notify(result)
    except Exception as e:
        print("something went wrong", e)
        return None
    return result'''), ("python", '''import logging

log = logging.getLogger("{pkg}.{entities}")


def handle(payload):
    try:
        item = parse(payload)
    except ValidationError as exc:
        log.warning("rejected payload: %s", exc)
        raise BadRequest(str(exc)) from exc
    result = process_{entity}(item)  # real bugs propagate to the error handler
    try:
        notify(result)
    except NotifyError:
        log.exception("notification failed for %s", result.id)
    return result''')),
          "js": (("js", '''async function handle(payload) {
  try {
    const item = parse(payload);
    const result = await process{Entity}(item);
    await notify(result);
    return result;
  } catch (e) {
    console.log('error', e);
  }
}'''), ("js", '''const pino = require('pino');
const logger = pino({ level: process.env.LOG_LEVEL || 'info' });

async function handle(payload) {
  let item;
  try {
    item = parse(payload);
  } catch (err) {
    logger.warn({ err }, 'rejected payload');
    throw new BadRequestError(err.message);
  }
  const result = await process{Entity}(item); // real bugs reach the error middleware
  notify(result).catch((err) => logger.error({ err, id: result.id }, 'notify failed'));
  return result;
}'''))},
)

_FRONT_PERSON = ("jsx", '''function {Entity}List() {
  const [items, setItems] = useState();
  useEffect(() => {
    fetch('/api/{entities}')
      .then((r) => r.json())
      .then((data) => setItems(data.items));
  });
  return <ul>{items.map((i) => <li key={i.id}>{i.name}</li>)}</ul>;
}''')
_FRONT_ASSISTANT = ("jsx", '''function {Entity}List() {
  const [items, setItems] = useState([]);
  const [error, setError] = useState(null);

  useEffect(() => {
    const controller = new AbortController();
    fetch('/api/{entities}', { signal: controller.signal })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.statusText))))
      .then((data) => setItems(data.items ?? []))
      .catch((err) => err.name !== 'AbortError' && setError(err));
    return () => controller.abort();
  }, []);

  if (error) return <p role="alert">Could not load {entities}.</p>;
  return (
    <ul>
      {items.map((i) => (
        <li key={i.id}>{i.name}</li>
      ))}
    </ul>
  );
}''')
TOPICS["frontend"] = dict(
    ask=_items("""
        - My {entity} list component crashes on the first render. What am I doing wrong?
        - How should I structure the form for creating a {entity}?
        - The page keeps re-fetching data in a loop. Why?
        - How do I show a loading state without the layout jumping around?
        - Do I need a global state library for this, or can I get away with plain React?
        - What's the nicest way to show validation errors next to the fields?
        """),
    context=_items("""
        - I'm much more comfortable on the backend, so the frontend is where I struggle.
        - It only happens for brand-new accounts with nothing in them yet.
        - The network tab shows the same request firing many times per second.
        """),
    paste=["code", "code", "log"],
    intro=_items("""
        - This looks like a state-initialisation and effect-dependency issue, the two most
          common React pitfalls.
        - Front-end data loading has a handful of classic traps, and this touches most of
          them.
        """),
    bullets=_pairs("""
        - Initialise state with the right type | If the component renders a list, start with
          an empty array instead of undefined so the first render doesn't crash.
        - Give useEffect a dependency array | Without one the effect runs after every
          render, which for a fetch means an endless loop of requests.
        - Handle loading and error states | Show a placeholder while loading and a readable
          message when the request fails. Users forgive slowness far more than a blank page.
        - Cancel requests on unmount | An AbortController stops a late response from
          updating a component that no longer exists, which also removes a common console
          warning.
        - Keep forms controlled and validated | Validate on blur and on submit, show errors
          next to the field, and disable the submit button while a request is in flight to
          avoid double submissions.
        - Lift state only as far as needed | Keep state in the component that uses it and
          move it up only when siblings need it. A global store is rarely necessary for an
          app of this size.
        - Check the network tab first | Most front-end data bugs are really API bugs: the
          browser's network tab shows the exact request, response and status code.
        - Mind accessibility basics | Labels on inputs, real buttons instead of clickable
          divs and enough contrast cost nothing and make the app usable for everyone.
        """),
    code={"python": (_FRONT_PERSON, _FRONT_ASSISTANT), "js": (_FRONT_PERSON, _FRONT_ASSISTANT)},
    log_lang="js",
)

TOPICS["dates"] = dict(
    ask=_items("""
        - How should I store the date and time of each {entity} so time zones don't bite me?
        - How do I calculate the next occurrence of a recurring {entity}?
        - What's the right way to display dates in the user's local time?
        - Can you check my date logic? I think it's off around daylight saving changes.
        - Should I store the user's timezone, and if so how?
        - How do I write tests for code that depends on the current date?
        """),
    context=_items("""
        - Most users are in one city, but a few are abroad part of the year.
        - Dates are stored as plain strings in a couple of places, which I regret.
        - I only noticed the problem when the clocks changed.
        """),
    paste=["code"],
    intro=_items("""
        - Dates and times are a notorious source of bugs, and recurring schedules combine
          all of them.
        - Time-zone bugs tend to appear twice a year, which makes them easy to forget and
          hard to reproduce.
        """),
    bullets=_pairs("""
        - Store everything in UTC | Keep timestamps timezone-aware and in UTC in the
          database, and convert to the user's zone only when displaying them.
        - Keep the user's timezone explicitly | Save an IANA name such as Europe/Berlin per
          user or per {entity} rather than an offset, because offsets change with daylight
          saving time.
        - Add calendar days, not 24 hours | For recurring events, add days in local time and
          convert back, so a 9 am event stays at 9 am after the clocks change.
        - Inject the clock | Pass the current time into functions instead of reading it deep
          inside them. It makes the code testable and the behaviour predictable.
        - Use the standard tools where possible | zoneinfo in Python, or Intl and date-fns
          in JavaScript, cover almost everything; heavy date libraries are rarely needed any
          more.
        - Format dates for humans at the edge | Keep ISO 8601 in APIs and storage, and only
          produce strings like 'Tue 4 Jul, 18:00' in the UI layer.
        - Test around DST changes | Write a couple of tests for the last weekends of March
          and October, or your region's dates; that's where naive date code breaks.
        - Be explicit about end dates | Decide whether ranges include their end and stick to
          it. Half-open intervals, start included and end excluded, avoid most off-by-one
          errors.
        """),
    code={"python": (("python", '''from datetime import datetime, timedelta


def next_occurrence(start, every_days):
    now = datetime.now()
    nxt = start
    while nxt < now:
        nxt += timedelta(days=every_days)
    return nxt.strftime("%d/%m %H:%M")'''),
                     ("python", '''from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo


def next_occurrence(start_utc: datetime, every_days: int, tz: str, now: datetime) -> datetime:
    """The first occurrence at or after `now`, keeping the local wall-clock time."""
    zone = ZoneInfo(tz)
    local = start_utc.astimezone(zone).replace(tzinfo=None)  # wall-clock time
    now_local = now.astimezone(zone).replace(tzinfo=None)
    while local < now_local:
        local += timedelta(days=every_days)  # calendar days, so DST doesn't shift it
    return local.replace(tzinfo=zone).astimezone(timezone.utc)''')),
          "js": (("js", '''function nextOccurrence(start, everyDays) {
  const next = new Date(start);
  while (next < new Date()) {
    next.setTime(next.getTime() + everyDays * 86400000);
  }
  return next.toLocaleString();
}'''), ("js", '''const { addDays, isBefore } = require('date-fns');
const { fromZonedTime, toZonedTime, formatInTimeZone } = require('date-fns-tz');

function nextOccurrence(startUtc, everyDays, tz, now = new Date()) {
  let local = toZonedTime(startUtc, tz);
  const nowLocal = toZonedTime(now, tz);
  while (isBefore(local, nowLocal)) {
    local = addDays(local, everyDays); // calendar days, so DST doesn't shift the time
  }
  return fromZonedTime(local, tz);
}

const label = (d, tz) => formatInTimeZone(d, tz, 'EEE d MMM, HH:mm');'''))},
)

TOPICS["review"] = dict(
    ask=_items("""
        - Could you review this class? I wrote it quickly and it shows.
        - Can you look over this code and tell me what you'd change?
        - Is there anything unsafe in this data-access code?
        - This works but feels clunky. How would you clean it up?
        - Any obvious problems with how I'm updating {entities} here?
        - I'm about to hand this file over to someone else. What should I fix first?
        """),
    context=_items("""
        - I'd like this to be readable by someone who's never seen the project.
        - It grew out of a quick prototype and never got cleaned up.
        - I'm not sure where the SQL should live.
        """),
    paste=["code"],
    needs_code=True,
    intro=_items("""
        - Overall the structure is reasonable, but there are a few issues worth fixing
          before this grows.
        - I had a look through it. Nothing dramatic, but a few changes will make it safer
          and easier to maintain.
        """),
    bullets=_pairs("""
        - Use parameterised queries | Building SQL by concatenating strings opens the door
          to SQL injection. Pass values as parameters and let the driver escape them.
        - Whitelist updatable fields | Accepting arbitrary keys from the request lets a
          client change columns it shouldn't, such as owner ids or flags. Allow only a known
          set.
        - Handle the not-found case | Indexing the first element of an empty result raises
          an unhelpful error. Check for a missing row and raise a clear not-found error
          instead.
        - Do multi-field updates in one statement | One UPDATE with all the changed columns
          is faster and atomic; a loop of single-column updates can leave a row
          half-changed.
        - Add type hints | Annotating parameters and return types costs little and lets your
          editor catch mistakes before you run anything.
        - Keep functions short and named for what they do | If a function needs a comment to
          explain each block, those blocks probably want to be small functions of their own.
        - Avoid shadowing built-ins | Names like id, type or list shadow built-ins and
          confuse readers; {entity}_id says what it is.
        - Separate data access from business rules | Keeping SQL in a small repository layer
          and the rules in services makes both easier to test and to change later.
        """),
    code={"python": (("python", '''class {Entity}Service:
    def __init__(self, db):
        self.db = db

    def get(self, id):
        return self.db.query("SELECT * FROM {entities} WHERE id = " + str(id))[0]

    def update(self, id, data):
        for k, v in data.items():
            self.db.execute(f"UPDATE {entities} SET {k} = '{v}' WHERE id = {id}")

    def total(self, owner):
        return sum(float(r["{field}"]) for r in self.db.query("SELECT * FROM {entities}")
                   if r["owner_id"] == owner)'''),
                     ("python", '''ALLOWED_FIELDS = {"name", "{field}", "note"}


class {Entity}Service:
    def __init__(self, db):
        self.db = db

    def get(self, {entity}_id: int) -> dict:
        row = self.db.query_one("SELECT * FROM {entities} WHERE id = ?", ({entity}_id,))
        if row is None:
            raise NotFound({entity}_id)
        return row

    def update(self, {entity}_id: int, data: dict) -> None:
        fields = {k: v for k, v in data.items() if k in ALLOWED_FIELDS}
        if not fields:
            return
        assignments = ", ".join(f"{name} = ?" for name in fields)
        self.db.execute(
            f"UPDATE {entities} SET {assignments} WHERE id = ?",
            (*fields.values(), {entity}_id),
        )''')),
          "js": (("js", '''class {Entity}Service {
  constructor(db) { this.db = db; }

  async get(id) {
    const rows = await this.db.query(`SELECT * FROM {entities} WHERE id = ${id}`);
    return rows[0];
  }

  async update(id, data) {
    for (const k in data) {
      await this.db.query(`UPDATE {entities} SET ${k} = '${data[k]}' WHERE id = ${id}`);
    }
  }
}'''), ("js", '''const ALLOWED = new Set(['name', '{field}', 'note']);

class {Entity}Service {
  constructor(db) {
    this.db = db;
  }

  async get(id) {
    const rows = await this.db.query('SELECT * FROM {entities} WHERE id = $1', [id]);
    if (!rows.length) throw new NotFoundError(`{entity} ${id} not found`);
    return rows[0];
  }

  async update(id, data) {
    const keys = Object.keys(data).filter((k) => ALLOWED.has(k));
    if (!keys.length) return;
    const sets = keys.map((k, i) => `${k} = $${i + 1}`).join(', ');
    const values = [...keys.map((k) => data[k]), id];
    await this.db.query(`UPDATE {entities} SET ${sets} WHERE id = $${keys.length + 1}`, values);
  }
}'''))},
)

TOPIC_NAMES = list(TOPICS)

# --------------------------------------------------------------------------- the person's turns
OPENERS = _items("""
    - Hi again!
    - Hey, back with more questions.
    - Hello! Picking this up again after a break.
    - Back at it.
    - Hi, I've got a bit of time today, so let's continue.
    - Okay, round two.
    - Hey! Quick session today.
    """)
PREFIXES = ["Thanks, that worked.", "Okay, that helped a lot.", "Got it.", "Makes sense.",
            "Perfect, thanks.", "Right, I see.", "That fixed it, thanks!", "Nice, one more thing."]
GENERIC_CONTEXT = _items("""
    - I've been staring at this for an hour and can't see the problem.
    - I tried a couple of answers from Stack Overflow but none of them quite fit.
    - It works on my machine, which is always a bad sign.
    - I'd like to understand why, not just paste a fix.
    - The code is simplified a bit, but the structure is the same.
    - I'm not sure whether this belongs in the route handler or somewhere else.
    - This is the part of the codebase I understand least.
    - Ideally the fix doesn't involve rewriting half the app.
    - I had a version of this working last week and then changed something.
    - I want to get this right before more people start using it.
    - Performance isn't critical yet, but I don't want to paint myself into a corner.
    - I read the official docs but the examples are for a much bigger setup than mine.
    """)
FOLLOWUPS = _items("""
    - Does that make sense, or am I overcomplicating it?
    - What would you do?
    - Any obvious problems?
    - I'd rather keep it simple if possible.
    - Thanks in advance!
    - Is there a standard way to do this?
    - Be honest if this is a bad idea.
    """)
LEADS = {"code": ["Here's what I have:", "This is the current version:", "Relevant part:",
                  "Code below:"],
         "log": ["This is the error:", "Here's the traceback:", "The logs show this:"],
         "sql": ["The query:", "Here's the SQL:", "This is what I'm running:"],
         "shell": ["Output:", "Here's what I get:", "From the terminal:"]}

# --------------------------------------------------------------------------- the assistant's turns
ACKS = _items("""
    - Good question.
    - Sure, let's go through it.
    - Thanks for the detailed context, that helps a lot.
    - This is a very common problem, and fortunately it's fixable.
    - Happy to help with this.
    - Nice, you're making good progress.
    - Let's break this down.
    - Okay, here's how I'd think about it.
    """)
# Restatements of what the person said earlier; used only once every key in them is known.
RESTATE = _items("""
    - Since {project} is {purpose}, the {entities} are the heart of the app, so they deserve the
      most care.
    - Because you're building on {framework}, most of this can use the framework's own tooling
      rather than custom code.
    - {framework} already gives you most of the building blocks here, so the extra code should
      stay small.
    - Since you're using {db} on {host}, the simplest path is to lean on what that combination
      already gives you.
    - With {db} as the database, the query side of this is straightforward.
    - Now that {project} has moved from {db_prev} to {db}, double-check that the older raw
      queries still behave the same way.
    - Given that you left {db_prev} because {db_reason}, make sure this change doesn't bring
      back the same pressure.
    - On {host}, set the environment variables in the platform's settings rather than committing
      them.
    - Since you moved hosting from {host_prev} to {host}, re-check the environment variables and
      the health-check path there.
    - With {demo} on {demo_date}, I'd keep the scope of this change small and safe.
    - Since {demo} moved from {demo_prev} to {demo_date}, you have a little room to do this
      properly.
    - It's probably worth agreeing with {t1} on the shape of the data first, since {t1} is
      handling the {role1}.
    - {t1} will feel this on the {role1} side, so a quick heads-up would help.
    - Once {t2} is settled in, this would make a good first task, given {t2} is taking over the
      {role2}.
    - {sname}, who {owner_role}, will probably notice this one first, so it's worth getting
      right.
    - Since {sname} is the one relying on {project} day to day, keep the error messages
      friendly.
    - That fits nicely with your decision to {decision}.
    - This is consistent with going for {dshort}, which you chose because {dreason}.
    - This looks related to {bug}, where {symptom}.
    - The way you handled {bug} ({fix_short}) is a good model here: fix the cause, not the
      symptom.
    - Since you dropped {lib} in favour of {alt}, I'll keep the example free of extra
      dependencies.
    - Because you work on this {hours}, anything you can automate here will save you real time.
    - In {editor} you can run this straight from the integrated terminal and jump to the failing
      line.
    - On {laptop} this should run comfortably in a local container.
    - At around {users} {unit}, this is exactly the point where such issues start to show.
    - With {users} {unit} now, up from {users_prev}, it's a good moment to tighten this up.
    - Keep the target of a p95 under {ms} ms in mind; this change shouldn't add more than a few
      milliseconds.
    - With a hosting budget of ${budget_n} a month, this approach avoids paying for extra
      services.
    - Since {project} is written in {lang_name}, the examples below stick to the standard
      tooling.
    """)
GENERIC = _items("""
    - Whatever you choose, make the change in small steps and commit after each one that works.
      If something breaks later, reading the last few diffs will tell you far more than
      guessing.
    - It's also worth writing the decision down in a short note in the repository; a
      docs/decisions.md file is enough. Future you, or anyone who joins later, will want to know
      why things are the way they are.
    - Before optimising anything, measure. A rough timing log around the suspicious function is
      often enough to tell whether the problem is the database, the network or your own code.
    - Add a test that reproduces the problem before fixing it. It proves the fix works, and it
      stops the same bug from quietly coming back in three months.
    - Keep configuration out of the code: secrets, URLs and feature switches belong in
      environment variables, with a checked-in .env.example that lists every name without real
      values.
    - If you are unsure between two approaches, pick the one that is easier to undo. Reversible
      decisions can be made quickly; only the irreversible ones deserve long deliberation.
    - Don't forget the unhappy paths: empty lists, missing fields, duplicated submissions and
      slow networks are where most real-world bugs hide, not in the main flow.
    - Once this works, consider a simple health-check endpoint and an uptime monitor. For a
      project of this size a free service that pings the app every few minutes is plenty.
    - Logging is cheap insurance. One structured line per important action (who, what, which
      record, how long it took) makes debugging production issues dramatically easier.
    - A short README section on how to run the project locally pays for itself the first time
      someone else, or you after a break, needs to set it up again.
    - Resist the temptation to generalise too early. Write the straightforward version for the
      case you have today; when the third similar case shows up, the right abstraction is
      usually obvious.
    - Finally, take backups seriously: an automated nightly dump stored somewhere other than the
      server, plus one test restore, is the difference between an annoying day and a lost
      project.
    """)
CLOSINGS = _items("""
    - If you paste the exact error or the surrounding code, I can go through it line by line.
    - Want me to sketch the tests for this as well?
    - Let me know how it goes, and if the numbers still look off, send me the logs.
    - Happy to review the next version once you've tried this.
    - If any of this doesn't fit how {project} is structured, tell me more and I'll adjust the
      suggestion.
    - Shall I write the migration or the full handler next?
    - Does that match what you had in mind?
    - Good luck, and ping me if anything behaves strangely.
    """)
CODE_LEADS = ["Here's a version that addresses the main points:", "A sketch of what I mean:",
              "For example:", "Something like this should work:"]

# fmt: on


# --------------------------------------------------------------------------- helpers
_KEY = re.compile(r"\{(\w+)\}")
CODE_KEYS = ("entity", "entities", "Entity", "Entities", "field", "pkg")


def fill(template: str, values: dict) -> str:
    """Replace {key} for keys in values; leave every other brace (code, unknown keys) alone."""
    return _KEY.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template
    )


def keys_of(template: str) -> set[str]:
    return set(_KEY.findall(template))


def words(text: str) -> int:
    return len(text.split())


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def session_date(d: datetime) -> str:
    """LoCoMo's format: '1:56 pm on 8 May, 2023'."""
    hour = d.hour % 12 or 12
    half = "am" if d.hour < 12 else "pm"
    return f"{hour}:{d.minute:02d} {half} on {d.day} {MONTHS[d.month - 1]}, {d.year}"


def day_answer(d: datetime) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def day_text(d: datetime) -> str:
    return f"{WEEKDAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]}"


def relative(rng: random.Random, when: datetime, after: datetime) -> tuple[str, datetime]:
    """A past day told relative to the session ('yesterday', 'on Monday') and its date, later
    than the previous session's day."""
    gap = (when.date() - after.date()).days - 1  # whole days back that stay after it
    if gap >= 2 and rng.random() < 0.35:
        day = when - timedelta(days=rng.randint(2, min(6, gap)))
        return f"on {WEEKDAYS[day.weekday()]}", day
    phrases = [
        ("yesterday", 1),
        ("last night", 1),
        ("this morning", 0),
        ("earlier today", 0),
        ("two days ago", 2),
        ("three days ago", 3),
    ]
    phrase, back = rng.choice([(p, b) for p, b in phrases if b <= gap])
    return phrase, when - timedelta(days=back)


def fenced(snippet: tuple[str, str], keys: dict) -> str:
    tag, code = snippet
    return f"```{tag}\n{fill(code, keys)}\n```"


# --------------------------------------------------------------------------- one project's facts
def make_project(rng: random.Random) -> dict:
    """Every value a conversation may state: person, project, stack, team, changes."""
    name, t1, t2, sname = rng.sample(FIRST_NAMES, 4)
    purpose, entity, entities, field, owner_role, names = rng.choice(DOMAINS)
    project = rng.choice(names)
    lang_name, framework, lang = rng.choice(STACKS)
    db_old, db_new, db_reason = rng.choice(DB_SWITCHES)
    host_old = rng.choice(HOSTS)
    host_new = rng.choice([h for h in HOSTS if h != host_old]) if rng.random() < 0.5 else None
    role1, role2 = rng.sample(ROLES, 2)
    decision, dshort, dreason = rng.choice(DECISIONS)
    bug = rng.choice(BUGS)
    lib, libcat, lib_reason, alt = rng.choice(REJECTED[lang])
    demo = rng.choice(DEMOS)
    u1 = rng.randrange(30, 300, 10)
    c = dict(
        name=name,
        project=project,
        pkg=project.lower(),
        purpose=purpose,
        entity=entity,
        entities=entities,
        Entity=cap(entity),
        Entities=cap(entities),
        field=field,
        owner_role=owner_role,
        lang_name=lang_name,
        framework=framework,
        lang=lang,
        db_old=db_old,
        db_new=db_new,
        db_reason=db_reason,
        host_old=host_old,
        host_new=host_new,
        host_reason=rng.choice(HOST_REASONS),
        t1=t1,
        role1=role1,
        t2=t2,
        role2=role2,
        sname=sname,
        decision=decision,
        dshort=dshort,
        dreason=dreason,
        bug=bug[0],
        Bug=cap(bug[0]),
        symptom=bug[1],
        cause_fix=bug[2],
        fix_short=bug[3],
        bug_topic=bug[4],
        lib=lib,
        libcat=libcat,
        lib_reason=lib_reason,
        alt=alt,
        laptop=rng.choice(LAPTOPS),
        editor=rng.choice(EDITORS[lang]),
        hours=rng.choice(HOURS),
        metric=rng.choice(["latency", "budget"]),
        ms=rng.choice([150, 200, 250, 300, 500]),
        budget_n=rng.choice([20, 25, 40, 50, 75, 100]),
        u1=u1,
        u2=u1 * rng.randint(2, 4) + rng.randrange(10, 100, 10),
        unit=rng.choice(USER_UNITS),
        demo=demo,
        Demo=cap(demo),
    )
    c["move_reason"] = fill(rng.choice(DEMO_MOVE_REASONS), c)
    return c


def make_plan(rng: random.Random, c: dict, n_s: int) -> dict[str, int]:
    """The session (1-based) in which each fact is stated; changes come after the original."""
    r = rng.randint
    p = {
        "intro": 1,
        "framework": r(1, 2),
        "db_init": r(1, 2),
        "host_init": r(1, 3),
        "stake": r(1, 2),
        "t1": r(1, 3),
        "demo": r(1, 2),
        "setup": r(1, 3),
        "hours": r(1, 4),
        "metric": r(2, 4),
        "users1": r(1, 3),
        "rejected": r(2, 4),
        "decision": r(2, 4),
        "bug": r(2, n_s - 2),
    }
    p["fix"] = r(p["bug"] + 1, min(n_s, p["bug"] + 2))
    p["db_change"] = r(max(3, p["db_init"] + 2), n_s)
    p["demo_move"] = r(max(4, p["demo"] + 2), n_s)
    p["t2"] = r(max(3, p["t1"] + 1), n_s)
    p["users2"] = r(p["users1"] + 2, n_s)
    if c["host_new"]:
        p["host_change"] = r(p["host_init"] + 1, n_s)
    return p


# --------------------------------------------------------------------------- turn writers
def person_turn(
    rng: random.Random,
    c: dict,
    topic: str,
    fact: str | None,
    lead: str | None,
    fact_first: bool = False,
) -> str:
    """A question or request on the topic, maybe long, maybe with a paste, maybe with a fact."""
    t = TOPICS[topic]
    ask = fill(rng.choice(t["ask"]), c)
    r = rng.random()
    size = "long" if (r < 0.3 or t.get("needs_code")) else ("medium" if r < 0.72 else "short")
    head = [lead] if lead else []
    if fact and (fact_first or rng.random() < 0.55):
        head += [fact, ask]
    else:
        head += [ask] + ([fact] if fact else [])
    pool = [fill(s, c) for s in t["context"]] + GENERIC_CONTEXT
    rng.shuffle(pool)
    if size == "medium":
        head += pool[: rng.randint(1, 2)]
        pool = pool[2:]
    elif size == "long":
        head += pool[: rng.randint(2, 4)]
        pool = pool[4:]
    paras = [" ".join(head)]
    if size == "long" or (size == "medium" and rng.random() < 0.3):
        kinds = ["code"] if t.get("needs_code") else [rng.choice(t["paste"])]
        if size == "long" and rng.random() < 0.35:  # code and the error it gives, say
            kinds += [k for k in ("log", "shell", "sql") if k in t["paste"] and k != kinds[0]][:1]
        lang = t.get("log_lang", c["lang"])
        for kind in kinds:
            if kind == "code":
                snippet = t["code"][c["lang"]][0]
            elif kind == "log":
                snippet = ("text", rng.choice(ERROR_LOGS[lang]))
            elif kind == "sql":
                snippet = ("sql", SQL_SNIPPETS[rng.choice(t["sql"])])
            else:
                snippet = ("shell", SHELL_SNIPPETS[rng.choice(t["shell"][c["lang"]])])
            paras.append(rng.choice(LEADS[kind]) + "\n\n" + fenced(snippet, c))
    tail = []
    target = rng.randint(80, 220) if size == "long" else 0
    while words("\n".join(paras + tail)) < target and pool:
        tail.append(pool.pop())
    if rng.random() < 0.4:
        tail.append(rng.choice(FOLLOWUPS))
    if tail:
        paras.append(" ".join(tail))
    return "\n\n".join(paras)


def restatements(
    rng: random.Random, known: dict, new_keys: list[str], recent: list[str]
) -> list[str]:
    """Sentences that paraphrase what the person said so far: the fresh fact first, then
    others not used in the last few answers."""
    usable = [s for s in RESTATE if keys_of(s) <= known.keys()]
    fresh = [s for s in usable if keys_of(s) & set(new_keys)]
    out = []
    if fresh and rng.random() < 0.75:
        out.append(rng.choice(fresh))
    if rng.random() < 0.85:
        rest = [s for s in usable if s not in out and s not in recent[-8:]]
        out += rng.sample(rest, min(len(rest), rng.randint(1, 2)))
    recent.extend(out)
    return [fill(s, known) for s in out]


def assistant_turn(
    rng: random.Random, c: dict, known: dict, new_keys: list[str], topic: str, recent: list[str]
) -> str:
    """A long structured answer (150-400 words) that restates earlier facts."""
    t = TOPICS[topic]
    ack = rng.choice(ACKS)
    said = restatements(rng, known, new_keys, recent)
    intro = fill(rng.choice(t["intro"]), known)
    shuffled = rng.sample(t["bullets"], len(t["bullets"]))
    bullets = [(fill(a, known), fill(b, known)) for a, b in shuffled]
    generic = rng.sample(GENERIC, 3)
    code = fenced(t["code"][c["lang"]][1], c) if rng.random() < 0.55 else None
    closing = fill(rng.choice(CLOSINGS), known)
    layout = rng.randrange(3)
    code_lead = rng.choice(CODE_LEADS)

    def render(nb: int, ng: int, with_code: bool) -> str:
        first, later = said[:1], said[1:]
        items = bullets[:nb]
        block = [code_lead + "\n\n" + code] if (with_code and code) else []
        if layout == 0:
            body = "\n".join(f"{i}. **{a}.** {b}" for i, (a, b) in enumerate(items, 1))
            parts = [" ".join([ack] + first), intro, body] + block
            parts += [" ".join(later + generic[:ng])]
        elif layout == 1:
            body = "\n".join(f"- **{a}**: {b}" for a, b in items)
            parts = (
                [
                    " ".join([ack, intro]),
                    " ".join(first + later),
                    "Here's how I'd approach it:\n\n" + body,
                ]
                + block
                + [" ".join(generic[:ng])]
            )
        else:
            body = "\n\n".join(f"**{a}.** {b}" for a, b in items)
            parts = (
                [" ".join([ack] + first + [intro])]
                + block
                + ["A few notes on that:\n\n" + body, " ".join(later + generic[:ng])]
            )
        return "\n\n".join(p for p in parts + [closing] if p.strip())

    nb, ng, with_code = rng.randint(3, 5), rng.randint(0, 1), True
    floor = rng.randint(170, 240)
    text = render(nb, ng, with_code)
    while words(text) < floor and (nb < len(bullets) or ng < len(generic)):
        if nb < len(bullets) and (ng >= len(generic) or rng.random() < 0.6):
            nb += 1
        else:
            ng += 1
        text = render(nb, ng, with_code)
    while words(text) > 400 and (nb > 3 or ng > 0 or with_code):
        if ng > 0:
            ng -= 1
        elif with_code and code:
            with_code = False
        else:
            nb -= 1
        text = render(nb, ng, with_code)
    return text


# --------------------------------------------------------------------------- one conversation
def conversation(seed: int, i: int) -> dict:
    """Sessions of alternating turns, then questions about the facts stated in them."""
    rng = random.Random(seed + i)
    c = make_project(rng)
    n_s = rng.randint(5, 7)

    # Session dates: a few days to three weeks apart, in order.
    when = datetime(
        2023, rng.randint(1, 5), rng.randint(1, 28), rng.randint(7, 22), rng.randint(0, 59)
    )
    dates = [when]
    for _ in range(n_s - 1):
        when = (when + timedelta(days=rng.randint(2, 21))).replace(
            hour=rng.randint(7, 22), minute=rng.randint(0, 59)
        )
        dates.append(when)
    plan = make_plan(rng, c, n_s)

    # Dates told in the facts: relative ones ("yesterday") and the demo's absolute ones.
    for slot, key in (("db_change", "db"), ("t2", "t2"), ("bug", "bug")):
        k = plan[slot]  # a later session, so there is a previous one
        c[f"rel_{key}"], c[f"{key}_date"] = relative(rng, dates[k - 1], dates[k - 2])
    demo1 = dates[-1] + timedelta(days=rng.randint(5, 25))
    demo2 = demo1 + timedelta(days=rng.randint(7, 28))
    c.update(
        demo_text=day_text(demo1),
        demo2_text=day_text(demo2),
        demo1_answer=day_answer(demo1),
        demo2_answer=day_answer(demo2),
    )

    known = {k: c[k] for k in ("project",) + CODE_KEYS}
    evidence: dict[str, str] = {}
    recent: list[str] = []  # restatements used lately
    conv = {"speaker_a": c["name"], "speaker_b": "assistant"}
    for s in range(1, n_s + 1):
        slots = [k for k, v in plan.items() if v == s and k != "intro"]
        n_person = max(rng.randint(8, 15), len(slots) + 2)
        free = list(range(1, n_person)) if s == 1 else list(range(n_person))
        at = dict(zip(rng.sample(free, len(slots)), slots, strict=True))
        if s == 1:
            at[0] = "intro"
        focus = rng.sample(TOPIC_NAMES, 3)  # each session dwells on a few topics
        turns = []
        for p in range(n_person):
            slot = at.get(p)
            if slot in ("bug", "fix"):
                topic = c["bug_topic"]
            else:
                topic = rng.choice(focus) if rng.random() < 0.7 else rng.choice(TOPIC_NAMES)
            fact = None
            if slot:
                key = f"metric_{c['metric']}" if slot == "metric" else slot
                fact = fill(rng.choice(FACTS[key]), c)
            lead = None
            if p == 0 and s > 1:
                lead = rng.choice(OPENERS)
            elif p > 0 and rng.random() < 0.3:
                lead = rng.choice(PREFIXES)
            dia = f"D{s}:{2 * p + 1}"
            turns.append(
                {
                    "speaker": c["name"],
                    "dia_id": dia,
                    "text": person_turn(rng, c, topic, fact, lead, slot == "intro"),
                }
            )
            new_keys = []
            if slot:
                evidence[slot] = dia
                update = learned(slot, c)
                known.update(update)
                new_keys = list(update)
            turns.append(
                {
                    "speaker": "assistant",
                    "dia_id": f"D{s}:{2 * p + 2}",
                    "text": assistant_turn(rng, c, known, new_keys, topic, recent),
                }
            )
        conv[f"session_{s}_date_time"] = session_date(dates[s - 1])
        conv[f"session_{s}"] = turns
    return {"sample_id": f"proj-{i}", "conversation": conv, "qa": questions(rng, c, evidence)}


# --------------------------------------------------------------------------- questions
def questions(rng: random.Random, c: dict, ev: dict[str, str]) -> list[dict]:
    """15-25 questions in words unlike the facts'; evidence = the person's stating turn(s)."""
    cands: list[dict] = []

    def ask(phrasings: str, answer, slots: list[str], category: int) -> None:
        """phrasings: alternatives separated by ' | ', one is drawn."""
        question = fill(rng.choice(phrasings.split(" | ")), c)
        cands.append(
            {
                "question": question,
                "answer": str(answer),
                "evidence": [ev[s] for s in slots],
                "category": category,
            }
        )

    ask(
        "What is {project} supposed to do? | Remind me, what's the point of {project}? | "
        "How would I sum up what {project} is for?",
        c["purpose"],
        ["intro"],
        4,
    )
    ask(
        "Which framework is {project} built with? | What did I pick as the web framework? | "
        "Which framework did I go with for the backend?",
        c["framework"],
        ["framework"],
        4,
    )
    ask(
        "Which database did I settle on for {project}? | "
        "What database is {project} running on these days? | "
        "Where does {project} keep its data now?",
        c["db_new"],
        ["db_change"],
        4,
    )
    ask(
        "What database did {project} start out on? | "
        "Before the migration, which database was I using?",
        c["db_old"],
        ["db_init"],
        4,
    )
    ask(
        "Why did I move off {db_old}? | What made me give up on {db_old}?",
        c["db_reason"],
        ["db_change"],
        4,
    )
    ask(
        "When did the switch to {db_new} happen? | "
        "On what date did {project} get migrated to {db_new}?",
        day_answer(c["db_date"]),
        ["db_change"],
        2,
    )
    ask(
        "Which databases has {project} used so far, in order? | "
        "What has the storage history of {project} been?",
        f"{c['db_old']}, then {c['db_new']}",
        ["db_init", "db_change"],
        1,
    )
    if c["host_new"]:
        ask(
            "Where is {project} deployed now? | "
            "Which hosting provider runs {project} at the moment?",
            c["host_new"],
            ["host_change"],
            4,
        )
        ask(
            "Where has {project} been hosted over time? | "
            "Which places has {project} been deployed to?",
            f"{c['host_old']}, then {c['host_new']}",
            ["host_init", "host_change"],
            1,
        )
    else:
        ask(
            "Where is {project} deployed? | What does {project} run on in production?",
            c["host_old"],
            ["host_init"],
            4,
        )
    ask(
        "When is {demo} now? | What's the current date for {demo}? | "
        "When do I have to be ready for {demo}?",
        c["demo2_answer"],
        ["demo_move"],
        2,
    )
    ask(
        "When was {demo} originally planned? | What was the first date I had for {demo}?",
        c["demo1_answer"],
        ["demo"],
        2,
    )
    ask("Why was {demo} postponed? | What pushed {demo} back?", c["move_reason"], ["demo_move"], 4)
    ask(
        "Who's handling the {role1}? | Who takes care of the {role1} on {project}? | "
        "Which teammate does the {role1}?",
        c["t1"],
        ["t1"],
        4,
    )
    ask(
        "Who is the newest person on the team, and what do they do? | "
        "Who joined {project} later on, and to do what?",
        f"{c['t2']}, {c['role2']}",
        ["t2"],
        4,
    )
    ask(
        "When did {t2} join the team? | On what date did {t2} start helping out?",
        day_answer(c["t2_date"]),
        ["t2"],
        2,
    )
    ask(
        "Who else works on {project} besides me? | Who's on my team?",
        f"{c['t1']} ({c['role1']}) and {c['t2']} ({c['role2']})",
        ["t1", "t2"],
        1,
    )
    ask(
        "Who am I building {project} for? | Who is the client for {project}?",
        f"{c['sname']}, who {c['owner_role']}",
        ["stake"],
        4,
    )
    ask(
        "What was the reasoning behind going with {dshort}? | Why did we choose {dshort}?",
        c["dreason"],
        ["decision"],
        4,
    )
    ask(
        "What did we end up doing about {bug}? | How did {bug} get resolved? | "
        "What was the fix for {bug} in the end?",
        c["fix_short"],
        ["fix"],
        4,
    )
    ask(
        "When did {bug} first show up? | When did I start seeing {bug}?",
        day_answer(c["bug_date"]),
        ["bug"],
        2,
    )
    ask(
        "What were the symptoms of {bug}, and what fixed it? | "
        "Describe {bug}: what happened and how was it solved?",
        f"{c['symptom']}; {c['fix_short']}",
        ["bug", "fix"],
        1,
    )
    if rng.random() < 0.5:
        ask(
            "Which {libcat} library did I decide against, and why?",
            f"{c['lib']}, because {c['lib_reason']}",
            ["rejected"],
            4,
        )
    else:
        ask("What did I use instead of {lib}?", c["alt"], ["rejected"], 4)
    ask("Which editor do I write code in? | What's my code editor?", c["editor"], ["setup"], 4)
    ask(
        "What machine am I developing on? | What computer do I use for {project}?",
        c["laptop"],
        ["setup"],
        4,
    )
    ask(
        "When do I usually get to work on {project}? | What are my working hours for {project}?",
        c["hours"],
        ["hours"],
        4,
    )
    if c["metric"] == "latency":
        ask(
            "What response-time target are we aiming for? | What's our latency goal?",
            f"p95 under {c['ms']} ms",
            ["metric"],
            4,
        )
    else:
        ask(
            "How much can we spend on hosting each month? | What's the monthly hosting budget?",
            f"${c['budget_n']} a month",
            ["metric"],
            4,
        )
    ask(
        "How many users does {project} have at this point? | "
        "What's the latest user count for {project}?",
        f"{c['u2']} {c['unit']}",
        ["users2"],
        4,
    )
    ask(
        "How much has usage of {project} grown since I first mentioned it? | "
        "How did the user numbers change over time?",
        f"from about {c['u1']} to {c['u2']} {c['unit']}",
        ["users1", "users2"],
        1,
    )

    # Keep 15-25, with at least two two-turn and three date questions.
    rng.shuffle(cands)
    chosen = [q for q in cands if q["category"] == 1][:2]
    chosen += [q for q in cands if q["category"] == 2][:3]
    rest = [q for q in cands if q not in chosen]
    chosen += rest[: rng.randint(15, min(25, len(cands))) - len(chosen)]
    rng.shuffle(chosen)
    return chosen


# --------------------------------------------------------------------------- entry points
def conversations(seed: int = 0, n: int = 8) -> list[dict]:
    """n conversations in LoCoMo's JSON layout; conversation i uses random.Random(seed + i)."""
    return [conversation(seed, i) for i in range(n)]


def write(path, seed: int = 0, n: int = 8) -> None:
    """Write conversations(seed, n) as a LoCoMo-style JSON file."""
    Path(path).write_text(json.dumps(conversations(seed, n), indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m gatedmem.bench.projects OUT.json [SEED] [N]")
    write(
        sys.argv[1],
        seed=int(sys.argv[2]) if len(sys.argv) > 2 else 0,
        n=int(sys.argv[3]) if len(sys.argv) > 3 else 8,
    )
