"""Reading the append-only audit log (writing is db.audit, inside each change's transaction)."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd


def entries(
    con: duckdb.DuckDBPyConnection,
    *,
    actions: Sequence[str] = (),
    moderators: Sequence[str] = (),
    search: str | None = None,
    limit: int = 1000,
) -> pd.DataFrame:
    """Audit entries, newest first, filtered by action, moderator and words in the details."""
    return con.execute(
        """
        SELECT id, happened_at, moderator, action, CAST(details AS VARCHAR) AS details FROM audit_log
        WHERE (len($actions) = 0 OR list_contains($actions, action))
          AND (len($moderators) = 0 OR list_contains($moderators, moderator))
          AND ($search IS NULL OR CAST(details AS VARCHAR) ILIKE $search)
        ORDER BY id DESC LIMIT $limit
        """,
        {
            "actions": list(actions),
            "moderators": list(moderators),
            "search": f"%{search.strip()}%" if search and search.strip() else None,
            "limit": limit,
        },
    ).df()


def actions(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every action name in the log."""
    return [a for (a,) in con.execute("SELECT DISTINCT action FROM audit_log ORDER BY 1").fetchall()]


def moderators(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Everyone who changed something."""
    return [m for (m,) in con.execute("SELECT DISTINCT moderator FROM audit_log ORDER BY 1").fetchall()]
