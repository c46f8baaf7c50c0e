"""Importing the check-in form's CSV export: the application importer's machinery for a different form.

The file is decoded and split by lib.intake.csvfile (UTF-8 with or without BOM, UTF-16, Windows code pages;
comma, semicolon or tab), the columns are guessed from their titles in English, Spanish, Portuguese, French,
German, Turkish, Italian and Dutch (FIELDS and RULES below), and a mapping the moderator corrects with
`--map FIELD=COLUMN` is remembered for every file with the same header (lib.intake.mappings). Submission
times are read in one day/month order per file (lib.intake.dates).

Decided:
- A row's member is its email address (trimmed, lower-cased); an address that is no member's is reported
  in `unknown` and nothing of its row is stored.
- The answer belongs to the pair named in the form's pair column when that pair holds the member (the
  pre-filled link fills it in), else to the member's open pair on the day of the answer; a member in no pair
  that day is skipped with a warning.
- Newest answer of a member wins: per member and check-in, by the form's timestamp, else the later row (an
  import is newer than what is stored when the file has no timestamps). A superseded row, an answer already
  stored as it is, and a row whose answers cannot be read (with a warning naming its row) count as skipped.
- "Did you meet" reads yes/no words in those languages; the rating is the first digit 1-5 in the cell
  ("4 - good"); "is finding time a problem" reads no / a bit / yes (and "somewhat", "un poco", "ein
  bisschen", "biraz" ...); an empty time answer stays unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from lib.errors import InvalidInput
from lib.intake import csvfile, dates, mappings
from lib.pair_life import checkins
from lib.storage import db

FIELDS = {
    "email": "Email",
    "pair": "Pair number",
    "submitted_at": "Submission time",
    "met": "Did you meet",
    "rating": "How is it going (1-5)",
    "time_problem": "Is finding time a problem",
    "note": "Anything else",
}
NEEDED = ("email", "met", "rating")
# (field, pattern on the folded title), first match wins; the order matters ("encontrar tiempo" is about time).
RULES: list[tuple[str, str]] = [
    ("submitted_at", r"^time ?stamp$|submitted|submission|completion time|marca temporal|hora de finalizacion"
     r"|carimbo de data|horodat|zeitstempel|abschlusszeit|zaman damgasi|informazioni cronologiche|tijdstempel"),
    ("email", r"e-?mail|^mail$|correo|courriel|e-?posta|mail address"),
    ("pair", r"\bpair\b|pair (id|number)|pareja|\bpar\b|dupla|binome|\bpaar\b|tandem|eslesme|\bcift|coppia|\bduo\b"),
    ("time_problem", r"\btime\b|tiempo|\btempo\b|\btemps\b|\bzeit|zaman|\bsure\b|\btijd\b"),
    ("met", r"\bmet\b|\bmeet|reunid|reunieron|reunisteis|encontra|encontrar|vus\b|rencontr|getroffen|treffen"
     r"|gesehen|bulus|gorus|incontrat|ontmoet|gesproken|afgesproken"),
    ("rating", r"how (is|are|has)|going|rating|\brate\b|1 ?(-|to|a|bis|ile|tot) ?5|como (va|vai|esta)|comment"
     r" (ca|cela|se)|wie (lauft|geht)|nasil|come (va|sta)|hoe gaat|bewert|note sur|puntua|nota\b|avalia"),
    ("note", r"anything|note|comment|remark|otra cosa|algo mas|mais alguma|autre chose|sonst|anmerkung|bemerkung"
     r"|eklemek|yorum|\bnot\b|altro|opmerking|iets anders"),
]  # fmt: skip
_COMPILED = [(name, re.compile(pattern)) for name, pattern in RULES]
_YES = {"yes", "y", "si", "sim", "oui", "ja", "evet", "true", "1", "yep", "yeah", "jawohl", "wel"}
_NO = {"no", "n", "nao", "non", "nein", "hayir", "false", "0", "nope", "nee", "niet"}
_A_BIT = re.compile(
    r"a bit|a little|somewhat|sometimes|kind of|un poco|un poquito|um pouco|un peu|ein bisschen|ein wenig|etwas"
    r"|biraz|un po|een beetje|enigszins|beetje"
)
_RATING = re.compile(r"(?<!\d)([1-5])(?!\d)")


@dataclass
class Imported:
    """What an import of answers did (`checkins import --json`)."""

    recorded: int = 0
    unknown: list[str] = field(default_factory=list)
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    mapping: dict[str, str | None] = field(default_factory=dict)

    def as_json(self) -> dict:
        """The published result: recorded, unknown, skipped, warnings."""
        return {"recorded": self.recorded, "unknown": self.unknown, "skipped": self.skipped, "warnings": self.warnings}

    def summary(self) -> str:
        """One sentence for the page or the command line."""
        parts = [f"Recorded {self.recorded} answer{'s' * (self.recorded != 1)}"]
        if self.skipped:
            parts.append(f"skipped {self.skipped} (older, repeated or unreadable; see the warnings)")
        if self.unknown:
            parts.append(f"{len(self.unknown)} address{'es' * (len(self.unknown) != 1)} unknown, not stored")
        return "; ".join(parts) + "."


def guess_mapping(header: list[str]) -> dict[str, str | None]:
    """Column -> check-in field, guessed from the titles (each field from its first matching column)."""
    mapping: dict[str, str | None] = dict.fromkeys(header)
    taken: set[str] = set()
    for column in header:
        folded = mappings.fold(column)
        name = next((n for n, rx in _COMPILED if rx.search(folded) and n not in taken), None)
        if name:
            mapping[column] = name
            taken.add(name)
    return mapping


def choose_mapping(
    con: duckdb.DuckDBPyConnection, header: list[str], choices: list[str] | dict[str, str | None] = ()
) -> dict[str, str | None]:
    """The remembered mapping for this header (else the guess), with the moderator's FIELD=COLUMN choices."""
    mapping = mappings.remembered(con, header) or guess_mapping(header)
    chosen = mappings.parse_choices(choices) if isinstance(choices, list | tuple) else dict(choices)
    for name, column in chosen.items():
        if name not in FIELDS:
            raise InvalidInput(f"'{name}' is not a check-in field; choose one of: {', '.join(FIELDS)}.")
        if column and column not in mapping:
            column = mappings._column_named(column, header)
        mapping = {c: (None if f == name else f) for c, f in mapping.items()}
        if column:
            mapping[column] = name
    missing = [FIELDS[n] for n in NEEDED if n not in mapping.values()]
    if missing:
        raise InvalidInput(
            f'No column holds {", ".join(missing)}; name it with --map (for example --map met="Did you meet?").'
        )
    return mapping


def import_answers(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    *,
    filename: str = "check-in answers",
    choices: list[str] | dict[str, str | None] = (),
    moderator: str = "local",
) -> Imported:
    """Import a check-in form's export in one transaction (all rows or none) with its audit line."""
    parsed = csvfile.parse_csv_bytes(data)
    mapping = choose_mapping(con, parsed.header, choices)
    result = Imported(warnings=list(parsed.warnings), mapping=mapping)
    rows = _read_rows(con, parsed, mapping, result)
    with db.transaction(con):
        if choices:
            mappings.remember(con, parsed.header, mapping)
        stored = checkins.store(con, [answer for _, answer in rows], source="form", moderator=moderator)
        changed = {(checkin, member) for checkin, member, took in stored if took}
        result.recorded = len(changed)
        result.skipped += len(rows) - result.recorded
        details = {"file": filename, **result.as_json()}
        db.audit(con, "import_checkin_answers", details | {"unknown": len(result.unknown)}, moderator=moderator)
    return result


def _read_rows(con, parsed: csvfile.ParsedCSV, mapping: dict, result: Imported) -> list[tuple[int, checkins.Answer]]:
    """The file's readable answers of known members in a pair, oldest first (so the newest is stored last)."""
    column = {name: parsed.header.index(c) for c, name in mapping.items() if name}
    order = _date_order(parsed, mapping, column, result)
    members = {e for (e,) in con.execute("SELECT email FROM applicants").fetchall()}
    now, found = db.now(), []
    for position, (number, record) in enumerate(zip(parsed.row_numbers, parsed.records)):
        cell = {name: (record[i].strip() if i < len(record) else "") for name, i in column.items()}
        email = cell["email"].lower()
        if email not in members:
            if email and email not in result.unknown:
                result.unknown.append(email)
            continue
        answer = _answer(con, number, cell, email, order, now, result)
        if answer is None:
            result.skipped += 1
            continue
        found.append((answer.answered_at, position, answer))
    return [(position, answer) for _, position, answer in sorted(found, key=lambda f: (f[0], f[1]))]


def _answer(con, number: int, cell: dict, email: str, order, now: datetime, result: Imported):
    when = (dates.parse(cell.get("submitted_at"), order) if order else None) or now
    met, rating, time_problem = read_met(cell["met"]), read_rating(cell["rating"]), read_time(cell.get("time_problem"))
    if met is None or rating is None:
        bad = cell["met"] if met is None else cell["rating"]
        result.warnings.append(f"Row {number}: '{bad}' from {email} cannot be read as an answer; the row is skipped.")
        return None
    pairing_id = _named_pair(con, cell.get("pair", ""), email) or checkins.pair_of(con, email, when)
    if pairing_id is None:
        result.warnings.append(f"Row {number}: {email} was in no pair on {when:%d %b %Y}; the row is skipped.")
        return None
    return checkins.Answer(pairing_id, email, met, rating, time_problem, cell.get("note") or None, when)


def _date_order(parsed, mapping: dict, column: dict, result: Imported) -> str | None:
    if "submitted_at" not in column:
        return None
    title = parsed.header[column["submitted_at"]]
    values = [r[column["submitted_at"]] for r in parsed.records if column["submitted_at"] < len(r)]
    found = dates.detect_order(values, column=title, languages=mappings.languages(parsed.header))
    if found.warning:
        result.warnings.append(found.warning)
    return found.order or "ymd"


def _named_pair(con, text: str, email: str) -> int | None:
    """The pair number the form carries, when it is a pair of this member."""
    digits = re.sub(r"\D", "", text or "")
    if not digits:
        return None
    row = con.execute(
        "SELECT p.id FROM pairings p JOIN applicants a ON a.id IN (p.a_id, p.b_id) WHERE p.id = ? AND a.email = ?",
        [int(digits[:18]), email],
    ).fetchall()
    return row[0][0] if row else None


def read_met(text: str) -> bool | None:
    """Yes/no in the form's languages ("Yes, twice" is yes); None when it is neither."""
    words = mappings.fold(text or "").replace(",", " ").replace(".", " ").replace("!", " ").split()
    if not words:
        return None
    return True if words[0] in _YES else False if words[0] in _NO else None


def read_rating(text: str) -> int | None:
    """The first digit 1-5 of a rating cell ("4", "4 - good", "4/5"); None when there is none."""
    match = _RATING.search(text or "")
    return int(match.group(1)) if match else None


def read_time(text: str | None) -> str | None:
    """'no', 'a-bit' or 'yes' from the answer about time; None when empty or not understood."""
    folded = mappings.fold(text or "")
    if not folded:
        return None
    if _A_BIT.search(folded):
        return "a-bit"
    met = read_met(folded)
    return None if met is None else ("yes" if met else "no")
