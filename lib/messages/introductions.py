"""The introduction email for a confirmed pair, from a template file the moderator can edit.

The template is data/templates/introduction.txt (or $MENTORING_TEMPLATES/introduction.txt): its first
line "Subject: ..." is the subject, the rest the body; $a_first, $a_name, $a_email, $b_first, $b_name,
$b_email, $a_teaches_b, $b_teaches_a and $moderator_name are filled in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from string import Template
from urllib.parse import quote

import duckdb

from lib import config
from lib.intake import names
from lib.pair_life import pairs

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SIGNATURE = "The moderator"
# Identities that name no person: local mode (nobody signs in) and the single shared password's account.
_NAMELESS = {"local", "moderator"}


@dataclass
class Email:
    """An email ready to edit and send."""

    to: list[str]
    subject: str
    body: str

    def mailto(self) -> str:
        """A mailto: link that opens the moderator's mail program with everything filled in."""
        return f"mailto:{','.join(self.to)}?subject={quote(self.subject)}&body={quote(self.body)}"


def template_path() -> Path:
    """Where the introduction template lives."""
    folder = config.load({}).templates_dir  # an environment variable only: no need to read secrets.toml
    return (folder or ROOT / "data" / "templates") / "introduction.txt"


def signature(moderator: str, *, community_name: str | None = None) -> str:
    """How an introduction is signed: the signed-in moderator's name (their email when they signed in
    with Google); when nobody signs in, the community's name if one is configured, else "The moderator"."""
    if moderator in _NAMELESS:
        return community_name or DEFAULT_SIGNATURE
    return moderator if "@" in moderator else moderator.title()


def introduction(con: duckdb.DuckDBPyConnection, pairing_id: int, *, moderator_name: str = DEFAULT_SIGNATURE) -> Email:
    """The introduction email for one pairing."""
    found = pairs.pairing(con, pairing_id)
    text = template_path().read_text(encoding="utf-8")
    filled = Template(text).safe_substitute(
        a_first=names.first_name(found["a_name"], fallback=found["a"]),
        a_name=found["a_name"],
        a_email=found["a"],
        b_first=names.first_name(found["b_name"], fallback=found["b"]),
        b_name=found["b_name"],
        b_email=found["b"],
        a_teaches_b=", ".join(found["a_teaches_b"]),
        b_teaches_a=", ".join(found["b_teaches_a"]),
        moderator_name=moderator_name,
    )
    first, _, rest = filled.partition("\n")
    if first.lower().startswith("subject:"):
        return Email([found["a"], found["b"]], first.split(":", 1)[1].strip(), rest.lstrip("\n"))
    return Email([found["a"], found["b"]], "Your peer-mentoring match", filled)
