"""Shared fixtures: a fresh DuckDB file per test, Streamlit caches cleared, a local-mode app."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import streamlit as st
from streamlit import config as st_config

from lib import startup

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """Every test gets its own database path, no password, loopback binding and empty caches."""
    monkeypatch.setenv("MENTORING_DB", str(tmp_path / "mentoring.duckdb"))
    monkeypatch.delenv("MENTORING_PASSWORD_HASH", raising=False)
    for name in ("MENTORING_SMTP", "MENTORING_MAIL_FROM", "MENTORING_TEMPLATES", "SSL_CERT_FILE"):
        monkeypatch.delenv(name, raising=False)
    st_config.set_option("server.address", "127.0.0.1")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def db_file(tmp_path) -> Path:
    """The test's database path (the same one the app under AppTest opens)."""
    return tmp_path / "mentoring.duckdb"


@pytest.fixture
def con(db_file):
    """A connection to a fresh, migrated database file."""
    connection = startup.open_database(db_file)
    yield connection
    connection.close()


def make_csv(
    header: list[str], rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8", newline: str = "\r\n"
) -> bytes:
    """A CSV export as a form or spreadsheet would write it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


FORM_HEADER = [
    "Timestamp",
    "Email Address",
    "Full name",
    "Skills you can offer",
    "What would you like to learn?",
    "Time zone",
    "Years of professional experience",
]


def table_snapshot(con) -> dict[str, list]:
    """Every row of every table, to compare a database before and after."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
        ).fetchall()
    ]
    return {n: sorted(map(repr, con.execute(f'SELECT * FROM "{n}"').fetchall())) for n in names}


def chart_frames(at, key: str) -> list:
    """The data frames sent with the Altair chart of this key or title words (AppTest draws no charts);
    an empty list when the page shows no such chart."""
    import json

    import pyarrow as pa

    def matches(element) -> bool:
        if getattr(element, "key", None) == key:
            return True
        if getattr(element, "type", None) != "vega_lite_chart":
            return False
        title = json.loads(element.proto.spec).get("title", "")
        return key in (title if isinstance(title, str) else title.get("text", ""))

    def walk(node):
        for child in getattr(node, "children", {}).values():
            yield child
            yield from walk(child)

    element = next((e for e in walk(at._tree) if matches(e)), None)
    if element is None:
        return []
    return [pa.ipc.open_stream(d.data.data).read_pandas() for d in element.proto.datasets]


def run_cli(db_file, *args):
    """Run `python -m lib --db DB_FILE ARGS...` as a moderator would; returns the finished process."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "lib", "--db", str(db_file), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


class FrozenClock:
    """db.now frozen at `start`; `days(n)` moves it to n days after the start."""

    def __init__(self, monkeypatch, start: datetime) -> None:
        from lib.storage import db

        self.start = self.at = start
        monkeypatch.setattr(db, "now", lambda precise=False: self.at)

    def days(self, n: int) -> None:
        self.at = self.start + timedelta(days=n)
