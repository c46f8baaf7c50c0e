"""Finding a member: the one lookup by email that the pages, the command line and every module share."""

from __future__ import annotations

import duckdb

from lib.errors import NotFound


def member_by_email(con: duckdb.DuckDBPyConnection, email: str) -> dict:
    """One applicant's row by email (case and surrounding spaces ignored); NotFound naming the email if unknown."""
    cursor = con.execute("SELECT * FROM applicants WHERE email = ?", [normal_email(email)])
    row = cursor.fetchone()
    if row is None:
        raise NotFound(f"No applicant has the email {email.strip()}.")
    return dict(zip([column[0] for column in cursor.description], row))


def normal_email(email: str) -> str:
    """An email as stored: trimmed and lower-case."""
    return email.strip().lower()
