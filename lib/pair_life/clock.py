"""When a change to a pair's life is recorded: now, or a moment of the demo's made-up past.

The pages and the command line use the live clock: each change is its own transaction and writes one
audit row. The demo replays a year of history through the same functions with a replay clock: each
change is recorded at that past moment, inside the demo loader's one transaction, which writes the
single audit row for the whole history.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from lib.storage import db


@dataclass(frozen=True)
class Clock:
    """Stands at `at` (or runs with the real time); `replay` joins the caller's transaction and skips audits;
    `draft` says whether the messages a change makes due are drafted into the outbox (not for made-up history)."""

    at: datetime | None = None
    replay: bool = False
    draft: bool = True

    def now(self, *, precise: bool = False) -> datetime:
        """The moment a change is recorded."""
        return self.at if self.at is not None else db.now(precise=precise)

    def today(self) -> date:
        """The day a change happens unless told otherwise, and the latest day it may be dated."""
        return self.now().date()

    @contextmanager
    def change(self, con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
        """One change: its own transaction, or (replaying) part of the caller's."""
        if self.replay:
            yield con
            return
        with db.transaction(con):
            yield con

    def audit(self, con: duckdb.DuckDBPyConnection, action: str, details: dict[str, Any], *, moderator: str) -> None:
        """Write the change's audit row (a replayed change has none of its own)."""
        if not self.replay:
            db.audit(con, action, details, moderator=moderator)


LIVE = Clock()


def replay_at(moment: datetime) -> Clock:
    """A clock for replaying made-up history at one past moment."""
    return Clock(at=moment, replay=True, draft=False)
