"""A deterministic demo community, marked as demo data and removable in one click.

The people, skills, zones and stages come from a fixed random seed, so every load holds the same
community; dates are placed relative to today so waiting times look like a live community.
Demo applicants have emails at example.com/.org/.net (reserved domains) and is_demo = true.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, time, timedelta

import duckdb
import pandas as pd

from lib.demo import checkins as demo_checkins
from lib.demo import history as demo_history
from lib.intake import importer
from lib.messages import drafts, outbox
from lib.storage import db

DEMO_SIZE = 320
_SEED = 20261128
FIRST = (
    "Amara Felix Ines Kenji Priya Lucas Sofia Mateo Aisha Noah Yuki Omar Elena Tariq Hannah Ravi Chloe "
    "Diego Fatima Lars Mei Kwame Olga Jonas Leila Arjun Nadia Tomas Zainab Erik Ana Hiroshi Grace Sami "
    "Maya Luca Ingrid Tunde Sara Pavel Nia Mohammed Clara Jin Beatriz Emeka Freya Ali Rosa Viktor Layla "
    "Kofi Emma Raj Lina Oscar Ayesha Bruno Hana Daniel"
).split()
LAST = (
    "Okafor Braun Costa Tanaka Sharma Silva Rossi Garcia Bello Smith Sato Haddad Petrova Khan Fischer "
    "Iyer Martin Lopez Yilmaz Johansson Chen Mensah Ivanova Weber Nasser Patel Kowalski Novak Abubakar "
    "Lindqvist Pereira Suzuki Mwangi Aziz Cohen Romano Berg Adeyemi Moreau Volkov Diallo Hassan Dubois "
    "Kim Santos Eze Nielsen Rahman Jimenez Horvat Ali Asante Schmidt Gupta Larsen Ortiz Nakamura Wu Park"
).split()
# Members' own words, deliberately varied ("k8s" / "Kubernetes"), most popular first.
SKILLS = (
    "Python|JavaScript|React|SQL|Kubernetes|k8s|Go|golang|Docker|AWS|TypeScript|Rust|Java|system design|"
    "Machine learning|ML|PostgreSQL|Postgres|React.js|Node.js|general programming|testing|CI/CD|Terraform|"
    "Kafka|Spark|C++|C#|.NET|Elixir|Haskell|Scala|Kotlin|Swift|iOS|Android|vim|emacs|Linux|Git|GraphQL|"
    "Django|Flask|FastAPI|Vue|Angular|Redis|MongoDB|data engineering|Airflow|dbt|pandas|statistics|"
    "product management|technical writing|public speaking|career growth|code review|TDD|security|"
    "networking|GCP|Azure|Ruby|Rails|PHP|Laravel|Clojure|Erlang|OCaml|F#|R|Julia|MATLAB|Unity|Godot|"
    "WebAssembly|Svelte|Next.js|Tailwind|CSS|HTML|accessibility|UX design|Figma|Bash|PowerShell|"
    "observability|Prometheus|Grafana|SRE|incident management|distributed systems|compilers|embedded|"
    "C|Arduino|FPGA|blockchain|Solidity|NLP|computer vision|PyTorch|TensorFlow|LLMs|prompt engineering|"
    "leadership|mentoring juniors|interviewing|open source|Elasticsearch|Snowflake|BigQuery|Spring Boot|"
    "Kubernets|Postgress|Clean architecture|Clean architecture patterns|Home automation|Home automation hacks"
).split("|")
ZONES = (
    "Europe/London Europe/Berlin Europe/Paris Europe/Madrid Europe/Warsaw Europe/Helsinki "
    "America/New_York America/Chicago America/Denver America/Los_Angeles America/Sao_Paulo "
    "America/Toronto Asia/Kolkata Asia/Tokyo Asia/Singapore Asia/Dubai Africa/Lagos Africa/Nairobi "
    "Australia/Sydney Pacific/Auckland UTC"
).split()
_ZONE_WEIGHTS = [9, 10, 6, 4, 4, 3, 9, 5, 3, 7, 3, 3, 7, 2, 2, 2, 3, 2, 2, 1, 2]
GOALS = (
    "Get hands-on with {w} and teach what I know about {o}.",
    "I want a regular learning habit and a peer to keep me honest.",
    "Switching teams soon and need {w} quickly; happy to share {o} in return.",
    "Meet other engineers outside my company and learn {w}.",
    "Prepare for a staff role: practice explaining {o} and learn {w}.",
)
_STAGES = (
    ["accepted"] * 62 + ["applied"] * 10 + ["screened"] * 8 + ["interviewed"] * 7 + ["declined"] * 8 + ["withdrawn"] * 5
)
# A Google Forms checkbox grid (one column per day) and a budget question; about 80% answer the grid.
FREE_QUESTION = "When are you usually free for a call? (your local time)"
WEEK = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FREE_OPTIONS = ("Morning (8:00-12:00)", "Afternoon (12:00-18:00)", "Evening (18:00-22:00)")
BUDGET_QUESTION = "How much time per week can you give?"
BUDGETS = ("1 hour", "2 hours", "1-2 hours", "30 minutes", "1 hour every two weeks", "90 min", "3 hours", "not sure")
_BUDGET_WEIGHTS = [8, 5, 7, 3, 3, 2, 1, 2]
_FREE_SHARE, _BUDGET_SHARE = 0.8, 0.85
HEADER = [
    "Timestamp",
    "Email Address",
    "Full name",
    "LinkedIn profile",
    "GitHub profile",
    "What do you want to get out of it?",
    "Skills you can offer",
    "What would you like to learn?",
    "Time zone",
    "Years of professional experience",
    *[f"{FREE_QUESTION} [{day}]" for day in WEEK],
    BUDGET_QUESTION,
]


def demo_csv(size: int = DEMO_SIZE) -> bytes:
    """The demo community as a Google Forms-style CSV export (deterministic for a given day)."""
    rng = random.Random(_SEED)
    # the day's start, not this moment: the same day gives the same community whatever the hour (with the hour,
    # application dates crossed midnight at different draws, and the made-up history changed during the day)
    today = datetime.combine(db.now().date(), time.min)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    weights = [1 / (rank + 1) for rank in range(len(SKILLS))]
    # A second generator, so the people, skills and zones stay what they were before free times existed.
    time_rng = random.Random(_SEED + 2)
    for n in range(size):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        offers = _draw(rng, weights, rng.randint(1, 4))
        wants = [s for s in _draw(rng, weights, rng.randint(1, 4)) if s not in offers] or [rng.choice(SKILLS)]
        submitted = today - timedelta(days=rng.uniform(0, 400), minutes=rng.randint(0, 1440))
        years = max(1, min(25, int(rng.lognormvariate(1.7, 0.6))))
        writer.writerow(
            [
                submitted.strftime("%Y/%m/%d %I:%M:%S %p") + " GMT+1",
                f"{first}.{last}{n}@example.{('com', 'org', 'net')[n % 3]}".lower(),
                f"{first} {last}",
                f"https://www.linkedin.com/in/{first}-{last}-{n}".lower(),
                f"https://github.com/{first}{last}{n}".lower() if rng.random() < 0.7 else "",
                rng.choice(GOALS).format(w=wants[0], o=offers[0]),
                ", ".join(offers),
                "; ".join(wants),
                rng.choices(ZONES, _ZONE_WEIGHTS)[0] if rng.random() < 0.9 else "",
                rng.choice([str(years), f"{years} years", f"{years}+", f"{max(0, years - 1)}-{years + 1}"]),
                *_free_times(time_rng),
                time_rng.choices(BUDGETS, _BUDGET_WEIGHTS)[0] if time_rng.random() < _BUDGET_SHARE else "",
            ]
        )
    return out.getvalue().encode("utf-8")


def load_demo(con: duckdb.DuckDBPyConnection, *, size: int = DEMO_SIZE, moderator: str = "local") -> int:
    """Load the demo community in one transaction, replacing any earlier demo data; returns its size."""
    data = demo_csv(size)
    parsed = importer.parse_csv_bytes(data)
    mapping = importer.guess_mapping(parsed.header)
    rng = random.Random(_SEED + 1)
    with db.transaction(con):
        _delete_demo(con)
        result = importer.import_parsed(
            con, parsed, mapping, data=data, filename="demo community", moderator=moderator, is_demo=True
        )
        ids = [r[0] for r in con.execute("SELECT id FROM applicants WHERE is_demo ORDER BY applied_at DESC").fetchall()]
        _place_in_stages(con, ids, rng, moderator)
        made = demo_history.add_history(con, rng, moderator)
        demo_checkins.add(con, random.Random(_SEED + 3), moderator=moderator)
        _draft_what_is_due(con, moderator)
        db.audit(con, "load_demo", {"applicants": result.inserted, "pairings": made}, moderator=moderator)
    return result.inserted


def remove_demo(con: duckdb.DuckDBPyConnection, *, moderator: str = "local") -> int:
    """Delete every demo record in one transaction; real data stays untouched. Returns people removed."""
    with db.transaction(con):
        removed = _delete_demo(con)
        db.audit(con, "remove_demo", {"applicants": removed}, moderator=moderator)
    return removed


def has_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether demo data is loaded."""
    return bool(con.execute("SELECT count(*) FROM applicants WHERE is_demo").fetchone()[0])


def _delete_demo(con: duckdb.DuckDBPyConnection) -> int:
    demo_ids = "SELECT id FROM applicants WHERE is_demo"
    count = con.execute("SELECT count(*) FROM applicants WHERE is_demo").fetchone()[0]
    demo_pairs = f"SELECT id FROM pairings WHERE a_id IN ({demo_ids}) OR b_id IN ({demo_ids})"
    outbox.delete_demo(con)
    demo_checkins.delete(con)
    for table in ("pairing_events", "pairing_checkins", "endings"):
        con.execute(f"DELETE FROM {table} WHERE pairing_id IN ({demo_pairs})")
    con.execute(f"DELETE FROM endings WHERE applicant_id IN ({demo_ids})")
    con.execute(f"DELETE FROM open_pair_members WHERE applicant_id IN ({demo_ids})")
    con.execute(f"DELETE FROM pairings WHERE a_id IN ({demo_ids}) OR b_id IN ({demo_ids})")
    con.execute(f"DELETE FROM member_pauses WHERE applicant_id IN ({demo_ids})")
    con.execute(f"DELETE FROM never_pair WHERE low_id IN ({demo_ids}) OR high_id IN ({demo_ids})")
    con.execute(f"DELETE FROM applicant_skills WHERE applicant_id IN ({demo_ids})")
    con.execute(f"DELETE FROM status_history WHERE applicant_id IN ({demo_ids})")
    con.execute("DELETE FROM applicants WHERE is_demo")
    con.execute("DELETE FROM import_rejects WHERE import_id IN (SELECT id FROM imports WHERE is_demo)")
    con.execute("DELETE FROM imports WHERE is_demo")
    return count


def _draft_what_is_due(con: duckdb.DuckDBPyConnection, moderator: str) -> None:
    """The made-up history drafts nothing; the outbox gets what would be waiting today: the introductions of
    the pairs still waiting for their trial, and the notices of the latest drop-out."""
    now = db.now()
    for (pairing_id,) in con.execute(
        "SELECT id FROM pairings WHERE state = 'proposed' AND is_demo ORDER BY id"
    ).fetchall():
        drafts.introduction(con, pairing_id, now=now, moderator=moderator)
    latest = con.execute(
        "SELECT e.id FROM endings e JOIN pairings p ON p.id = e.pairing_id JOIN end_reasons r ON r.label = e.reason "
        "WHERE p.is_demo AND NOT r.happy AND e.ended_by IN ('a', 'b') ORDER BY e.ended_on DESC, e.id DESC LIMIT 1"
    ).fetchall()
    for (ending_id,) in latest:
        drafts.after_ending(con, ending_id, now=now, moderator=moderator)


def _free_times(rng: random.Random) -> list[str]:
    """One member's grid row by row: most are free on weekday evenings, some in the mornings or at weekends."""
    if rng.random() >= _FREE_SHARE:
        return [""] * len(WEEK)
    morning, afternoon, evening = FREE_OPTIONS
    habit = rng.choices(["evenings", "mornings", "weekends", "mixed"], [5, 2, 2, 2])[0]
    cells = []
    for index in range(len(WEEK)):
        weekend = index >= 5
        ticks = {
            "evenings": [evening] if not weekend and rng.random() < 0.6 else [],
            "mornings": [morning] if rng.random() < (0.4 if weekend else 0.6) else [],
            "weekends": [morning, afternoon] if weekend and rng.random() < 0.8 else [],
            "mixed": [o for o in FREE_OPTIONS if rng.random() < 0.3],
        }[habit]
        if weekend and habit == "evenings" and rng.random() < 0.4:
            ticks = [morning]
        cells.append(", ".join(ticks))
    return cells if any(cells) else [evening] + [""] * (len(WEEK) - 1)


def _draw(rng: random.Random, weights: list[float], k: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < k:
        skill = rng.choices(SKILLS, weights)[0]
        if skill not in chosen:
            chosen.append(skill)
    return chosen


def _place_in_stages(con: duckdb.DuckDBPyConnection, ids: list[int], rng: random.Random, moderator: str) -> None:
    # Newest applications are still being screened; older ones were decided.
    rows = []
    for rank, applicant_id in enumerate(ids):
        share = rank / len(ids)
        if share < 0.06:
            stage = "applied"
        elif share < 0.12:
            stage = rng.choice(["screened", "interviewed"])
        else:
            stage = rng.choice(_STAGES)
            stage = "accepted" if stage in ("applied", "screened", "interviewed") else stage
        if stage != "applied":
            reason = "Demo: not a fit for peer mentoring right now" if stage == "declined" else None
            rows.append((applicant_id, stage, reason))
    # Decisions came 2-20 days after each application (never in the future).
    applied = dict(con.execute("SELECT id, applied_at FROM applicants WHERE is_demo").fetchall())
    now = db.now()
    when = {i: min(now, applied[i] + timedelta(days=rng.randint(2, 20))) for i, _, _ in rows}
    frame = pd.DataFrame(rows, columns=["id", "stage", "reason"]).assign(changed=[when[i] for i, _, _ in rows])
    db.register(con, "_demo_stages", frame)
    try:
        con.execute(
            "UPDATE applicants SET status = s.stage, decline_reason = s.reason, status_changed_at = s.changed "
            "FROM _demo_stages s WHERE applicants.id = s.id"
        )
        con.execute(
            "INSERT INTO status_history (applicant_id, from_status, to_status, reason, changed_at, moderator) "
            "SELECT id, 'applied', stage, reason, changed, ? FROM _demo_stages ORDER BY id",
            [moderator],
        )
    finally:
        db.unregister(con, "_demo_stages")
