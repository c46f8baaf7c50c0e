"""Eight threads confirming, ending, moving and importing at once against one database file."""

import random
import threading

from lib import startup
from lib.errors import MentoringError
from lib.intake import importer
from lib.matching import candidates
from lib.members import applicants
from lib.pair_life import lifecycle, pairs
from tests.conftest import make_csv

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?"]
SKILLS = ["Go", "Rust", "Python", "SQL", "Kafka", "React"]


def _community(con, size=80):
    rng = random.Random(3)
    rows = []
    for n in range(size):
        offers = rng.sample(SKILLS, 2)
        wants = [s for s in rng.sample(SKILLS, 3) if s not in offers][:2]
        rows.append([f"m{n}@x.org", f"Member {n}", ", ".join(offers), ", ".join(wants)])
    importer.import_applications(con, make_csv(HEADER, rows), filename="c.csv", status="accepted")
    importer.import_applications(
        con, make_csv(HEADER, [[f"new{n}@x.org", f"New {n}", "Go", "Rust"] for n in range(20)]), filename="n.csv"
    )


def test_eight_threads_lose_nothing_and_explain_every_failure(db_file):
    con = startup.open_database(db_file)
    _community(con)
    pool = candidates.eligible_members(con)
    cands = candidates.candidate_pairs(con, pool)
    edges = list(zip(pool.loc[cands["a"], "email"], pool.loc[cands["b"], "email"]))
    start_people = con.execute("SELECT count(*) FROM applicants").fetchone()[0]
    done = {"confirm": 0, "end": 0, "status": 0, "import": 0, "inserted": 0}
    refused, broken, lock = [], [], threading.Lock()
    # a fixed number of operations per thread, not a time window: a busy machine must not make it fail
    steps_each = 12

    def worker(seed):
        rng, cur = random.Random(seed), con.cursor()
        step = 0
        while step < steps_each:
            step += 1
            kind = rng.choice(["confirm", "confirm", "end", "status", "import"])
            try:
                inserted = _operate(cur, kind, rng, edges, seed, step)
                if inserted is None:
                    continue
            except MentoringError as exc:
                with lock:
                    refused.append(str(exc))
            except Exception as exc:  # noqa: BLE001 - anything else is a defect this test reports
                with lock:
                    broken.append(f"{kind}: {type(exc).__name__}: {exc}")
            else:
                with lock:
                    done[kind] += 1
                    done["inserted"] += inserted

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"\nsucceeded: {done}, refused with a sentence: {len(refused)}")
    assert broken == []
    assert all(message.strip().endswith(".") for message in refused)
    assert sum(done[k] for k in ("confirm", "end", "status", "import")) > 20
    assert con.execute("SELECT count(*) FROM applicants").fetchone()[0] == start_people + done["inserted"]
    assert con.execute("SELECT count(*) FROM pairings").fetchone()[0] == done["confirm"]
    assert con.execute("SELECT count(*) FROM endings").fetchone()[0] == done["end"]
    open_rows = con.execute("SELECT count(*) FROM open_pair_members").fetchone()[0]
    open_pairs = con.execute("SELECT count(*) FROM pairings WHERE state <> 'ended'").fetchone()[0]
    assert open_rows == 2 * open_pairs
    assert (
        con.execute(
            "SELECT count(*) FROM pairings p JOIN open_pair_members o ON o.pairing_id = p.id WHERE p.state = 'ended'"
        ).fetchone()[0]
        == 0
    )


def _operate(cur, kind, rng, edges, seed, step) -> int | None:
    if kind == "confirm":
        a, b = rng.choice(edges)
        pairs.confirm_pair(cur, a, b)
    elif kind == "end":
        open_ids = [i for (i,) in cur.execute("SELECT id FROM pairings WHERE state <> 'ended'").fetchall()]
        if not open_ids:
            return None
        lifecycle.end_pairing(cur, rng.choice(open_ids), by="a", reason="other")
    elif kind == "status":
        applicants.set_status(cur, [f"new{rng.randrange(20)}@x.org"], rng.choice(["screened", "interviewed"]))
    else:
        email = f"t{seed}-{step}@x.org"
        return importer.import_applications(
            cur, make_csv(HEADER, [[email, "Thread Person", "Go", "Rust"]]), filename="t.csv"
        ).inserted
    return 0
