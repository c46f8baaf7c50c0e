import pandas as pd

from lib import auth, demo
from lib.members import applicants
from lib.storage import exports
from tests.conftest import table_snapshot


def test_password_hash_round_trip():
    stored = auth.hash_password("correct horse")
    assert stored.startswith("$argon2id$")
    assert auth.verify_password(stored, "correct horse")
    assert not auth.verify_password(stored, "wrong horse")
    assert not auth.verify_password("not a hash", "correct horse")


def test_hash_comes_from_environment_before_secrets():
    assert auth.configured_hash({"moderator_password_hash": "s"}, {"MENTORING_PASSWORD_HASH": "e"}) == "e"
    assert auth.configured_hash({"moderator_password_hash": "s"}, {}) == "s"
    assert auth.configured_hash({}, {}) is None


def test_loopback_addresses():
    assert all(auth.is_loopback(a) for a in ("127.0.0.1", "localhost", "::1", "127.0.0.2"))
    assert not any(auth.is_loopback(a) for a in ("0.0.0.0", "", None, "192.168.1.5", "example.org"))


def test_throttle_makes_repeated_failures_wait():
    clock = [100.0]
    throttle = auth.Throttle(clock=lambda: clock[0])
    for _ in range(auth.FREE_ATTEMPTS):
        assert throttle.wait_seconds("k") == 0
        throttle.record_failure("k")
    assert throttle.wait_seconds("k") == 2
    clock[0] += 2
    assert throttle.wait_seconds("k") == 0
    throttle.record_failure("k")
    assert throttle.wait_seconds("k") == 4
    throttle.reset("k")
    assert throttle.wait_seconds("k") == 0


def test_exported_csv_neutralises_formulas():
    frame = pd.DataFrame({"name": ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx", "Ann"], "n": range(6)})
    text = exports.to_csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1" in text and "'-2" in text and "'@SUM" in text and "'\tx" in text
    assert "\nAnn," in text.replace("\r\n", "\n")


def test_demo_is_deterministic_marked_and_removable(con):
    from lib.intake import importer

    importer.import_applications(con, b"Email,Name\r\nreal@x.org,Real Person\r\n", filename="real.csv")
    before = table_snapshot(con)
    assert demo.load_demo(con) == demo.DEMO_SIZE
    first = applicants.list_applicants(con)[["email", "name", "status"]].values.tolist()
    demo.load_demo(con)
    assert applicants.list_applicants(con)[["email", "name", "status"]].values.tolist() == first
    assert demo.has_demo(con)
    counts = dict(applicants.stage_counts(con).itertuples(index=False))
    assert counts["accepted"] > 150 and counts["applied"] > 10
    demo.remove_demo(con)
    after = table_snapshot(con)
    for table in ("applicants", "applicant_skills", "status_history", "imports"):
        assert after[table] == before[table]


def test_demo_community_is_varied():
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(demo.demo_csv().decode())))
    assert len({r["Time zone"] for r in rows}) > 10
    assert len({s.strip() for r in rows for s in r["Skills you can offer"].split(",")}) > 60
    assert len({r["Email Address"] for r in rows}) == len(rows)


def test_demo_has_a_realistic_year_of_pairings(con):
    demo.load_demo(con)
    reasons = con.execute("SELECT reason, count(*) AS n FROM endings GROUP BY 1 ORDER BY n DESC").fetchall()
    assert reasons[0][0] == "time commitment" and len(reasons) >= 6
    weeks = [
        w
        for (w,) in con.execute(
            "SELECT date_diff('week', started_on, ended_on) FROM pairings WHERE state = 'ended'"
        ).fetchall()
    ]
    assert sum(w <= 6 for w in weeks) > len(weeks) / 2 and max(weeks) >= 16
    open_rows = con.execute("SELECT count(*) FROM open_pair_members").fetchone()[0]
    open_pairs = con.execute("SELECT count(*) FROM pairings WHERE state <> 'ended'").fetchone()[0]
    assert open_rows == 2 * open_pairs > 0
    assert con.execute("SELECT count(*) FROM endings WHERE feedback IS NOT NULL").fetchone()[0] > 50
    span = con.execute("SELECT date_diff('day', min(started_on), max(started_on)) FROM pairings").fetchone()[0]
    assert span > 300


def test_the_demo_is_the_same_community_at_any_hour_of_the_day(tmp_path, monkeypatch):
    # application times were drawn back from this moment: their dates, and so the whole made-up history and the
    # round, changed during the day (a round of 16 pairs at 8:30 had 5 at 9:00)
    from datetime import datetime

    from lib import startup
    from lib.matching import rounds
    from tests.conftest import FrozenClock

    seen = []
    for hour in (0, 9, 23):
        FrozenClock(monkeypatch, datetime(2026, 12, 5, hour, 30))
        con = startup.open_database(tmp_path / f"demo{hour}.duckdb")
        demo.load_demo(con)
        dates = con.execute("SELECT CAST(applied_at AS DATE) FROM applicants ORDER BY id").fetchall()
        states = con.execute("SELECT state, count(*) FROM pairings GROUP BY 1 ORDER BY 1").fetchall()
        seen.append((dates, states, len(rounds.suggest_round(con).pairs)))
        con.close()
    assert seen[0] == seen[1] == seen[2]
    assert max(d for (d,) in seen[2][0]) <= datetime(2026, 12, 5).date()  # never applied in the future
