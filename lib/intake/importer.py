"""Importing applications from a Google Forms or spreadsheet CSV export.

Email (trimmed, lower-cased) is a person's identity. The newest submission of a person wins:
by submission time when the file has one, else by row order (a later import is newer). An import
never touches what the moderator decided (status, notes, decline reason). Counts:
inserted (new people), updated (newer answers of known people), unchanged (same answers as stored),
skipped (submissions superseded by a newer one of the same person, in the file or already stored),
rejected (rows with no email, an invalid email, or a name lib.intake.names refuses; kept with their reason and
raw values). Names are stored as lib.intake.names.clean_name leaves them (one line, whitespace collapsed).
Blank rows are ignored and counted nowhere.

Which column is which comes from lib.intake.mappings (guessed from the titles, or remembered for the
header); a re-import never replaces a stored answer with a blank because a column is not mapped this
time. Within one file a later row is newer than an earlier one unless both carry a submission time.
Dates are read in the file's day/month order (lib.intake.dates), profile links stored as absolute https
links (lib.intake.links), and time-zone answers not understood are listed in the report.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from lib.errors import ImportRefused, InvalidInput, MentoringError
from lib.intake import availability, dates, links, mappings, names, skills, timezones
from lib.intake.csvfile import ParsedCSV, parse_csv_bytes
from lib.intake.mappings import FIELDS as FIELDS  # the command line and the Import page read it here
from lib.members.stages import MOVABLE as MOVABLE  # choices for the command line and the Import page
from lib.members.stages import STAGES as STAGES  # the command line and the Import page read it here
from lib.members.stages import check_new_stage
from lib.storage import backup, db

Progress = Callable[[float, str], None]

_MULTI = mappings.MULTI
# Stored columns a field feeds: a field no column feeds keeps what is stored (never blanked by a re-import).
_STORED = {
    "linkedin": ("linkedin",),
    "github": ("github",),
    "other_links": ("other_links",),
    "goals": ("goals",),
    "offers": ("offers_text",),
    "wants": ("wants_text",),
    "timezone": ("timezone",),
    "experience": ("experience_text", "experience_years"),
    "submitted_at": ("submitted_text", "submitted_at"),
    "availability": ("availability", "availability_text"),
    "budget": ("hours_per_week", "budget_text"),
}
_HASHED = (
    "name, linkedin, github, other_links, goals, offers_text, wants_text, timezone, experience_text, submitted_text"
)
# Free times and budget join the hash only when given, so rows stored before they existed keep their hash
# (re-importing an old export after the upgrade still reports them unchanged).
_HASHED_TIME = (
    "CASE WHEN availability_text IS NULL AND budget_text IS NULL THEN []::VARCHAR[] "
    "ELSE [availability_text, budget_text] END"
)
_EMAIL = r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+"
_SKILL_TRIM = " \t-*•·–"


@dataclass
class Preview:
    """What the import page shows before anything is written."""

    parsed: ParsedCSV
    mapping: dict[str, str | None]
    sample: pd.DataFrame


@dataclass
class ImportResult:
    """The outcome of one import, as the page and the command line report it."""

    import_id: int
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    skipped: int
    rejected: list[dict] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    mapping: dict[str, str | None] = field(default_factory=dict)
    date_order: str | None = None
    warnings: list[str] = field(default_factory=list)
    unknown_timezones: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        """The published JSON shape of the `import --json` command."""
        return {
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "rejected": [{"row": r["row"], "reason": r["reason"]} for r in self.rejected],
            "mapping": mappings.by_field(self.mapping),
            "unmapped_columns": [column for column, name in self.mapping.items() if name is None],
            "missing_fields": mappings.missing_fields(self.mapping),
            "encoding": self.encoding,
            "date_order": self.date_order,
            "warnings": self.warnings,
            "unknown_timezones": self.unknown_timezones,
        }


def guess_mapping(header: list[str], records: list[list[str]] | None = None) -> dict[str, str | None]:
    """Map each column to a field by its title (and its values); None keeps the column as extra data."""
    return mappings.guess_mapping(header, records or ())


def choose_mapping(
    con: duckdb.DuckDBPyConnection | None,
    parsed: ParsedCSV,
    *,
    choices: dict[str, str | None] | None = None,
) -> dict[str, str | None]:
    """The mapping remembered for this header (else the guess), with the moderator's FIELD=COLUMN choices."""
    mapping = (mappings.remembered(con, parsed.header) if con is not None else None) or guess_mapping(
        parsed.header, parsed.records
    )
    return mappings.with_choices(mapping, choices, parsed.header) if choices else mapping


def remembered_mapping(con: duckdb.DuckDBPyConnection, header: list[str]) -> dict[str, str | None] | None:
    """The mapping last chosen for files with this header (the Import page pre-fills it), or None."""
    return mappings.remembered(con, header)


def check_warnings(
    parsed: ParsedCSV, mapping: dict[str, str | None], *, date_order: str | None = None
) -> tuple[str | None, list[str]]:
    """The date order the file will be read in, and every warning (decoding first) before importing."""
    found = dates.DateOrder(None)
    columns = [c for c, f in mapping.items() if f == "submitted_at"]
    if columns:
        index = parsed.header.index(columns[0])
        values = {r[index] for r in parsed.records if index < len(r)}
        languages = mappings.languages(parsed.header)
        found = dates.detect_order(values, column=columns[0], languages=languages, override=date_order)
    sentences = list(parsed.warnings) + ([found.warning] if found.warning else [])
    for name in mappings.missing_fields(mapping):
        sentences.append(
            f"No column holds {mappings.FIELDS[name].lower()} ({name}): {mappings.USED[name]}. If the file has "
            f"such a column, choose it on the Import page or with --map {name}=COLUMN."
        )
    return found.order, sentences


def validate_mapping(mapping: dict[str, str | None]) -> None:
    """Refuse a mapping without email or name, or with one field fed by two columns."""
    chosen = [f for f in mapping.values() if f]
    for name in set(chosen):
        if name not in FIELDS:
            raise InvalidInput(f"'{name}' is not a field an application can have.")
        if name not in _MULTI and chosen.count(name) > 1:
            columns = ", ".join(f"'{c}'" for c, f in mapping.items() if f == name)
            raise ImportRefused(f"Two columns ({columns}) are mapped to {FIELDS[name]}; choose one.")
    if "email" not in chosen:
        found = ", ".join(f"'{c}'" for c in list(mapping)[:8])
        raise ImportRefused(
            f"No column holds email addresses (columns found: {found}); "
            "this does not look like an applications export, or choose the email column by hand."
        )
    if "name" not in chosen and "first_name" not in chosen:
        raise ImportRefused("No column holds the applicants' names; choose the name column by hand.")


def preview_import(data: bytes, *, rows: int = 5, encoding: str | None = None) -> Preview:
    """Decode and split a file and guess its mapping, writing nothing."""
    parsed = parse_csv_bytes(data, encoding=encoding)
    mapping = guess_mapping(parsed.header, parsed.records)
    width = len(parsed.header)
    sample = pd.DataFrame(
        [(r + [""] * width)[:width] for r in parsed.records[:rows]], columns=parsed.header, dtype="string"
    )
    return Preview(parsed, mapping, sample)


def mapped_preview(preview: Preview, mapping: dict[str, str | None]) -> pd.DataFrame:
    """The first rows as they would be stored: one column per mapped field, plus the extras."""
    columns = {}
    for column, name in mapping.items():
        label = FIELDS[name] if name else f"Extra: {column}"
        values = preview.sample[column] if column in preview.sample else pd.Series(dtype="string")
        columns[label] = values if label not in columns else columns[label] + "\n" + values
    return pd.DataFrame(columns)


def import_applications(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    *,
    filename: str,
    mapping: dict[str, str | None] | None = None,
    choices: dict[str, str | None] | None = None,
    encoding: str | None = None,
    date_order: str | None = None,
    status: str = "applied",
    moderator: str = "local",
    is_demo: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one CSV export in one transaction; refuse the whole file with a sentence if unusable.

    A `mapping` (the page) or `choices` (`--map`) is remembered for files with the same header."""
    report = progress or (lambda fraction, text: None)
    check_new_stage(status)
    report(0.05, "Reading the file")
    parsed = parse_csv_bytes(data, encoding=encoding)
    chosen = mapping is not None or bool(choices)
    mapping = mapping if mapping is not None else choose_mapping(con, parsed, choices=choices)
    if set(mapping) != set(parsed.header):
        raise InvalidInput("The column mapping does not match this file's columns; preview the file again.")
    validate_mapping(mapping)
    order, warnings = check_warnings(parsed, mapping, date_order=date_order)
    report(0.3, "Taking a snapshot of the database first")
    backup.snapshot_before(con, "before-import")
    report(0.35, f"Read {len(parsed.records):,} rows; checking them")
    try:
        with db.transaction(con):
            if chosen:
                guessed = guess_mapping(parsed.header, parsed.records)
                mappings.remember(con, parsed.header, mapping if mapping != guessed else None)
            result = import_parsed(
                con,
                parsed,
                mapping,
                data=data,
                filename=filename,
                status=status,
                moderator=moderator,
                is_demo=is_demo,
                report=report,
                date_order=order,
                warnings=warnings,
            )
    except duckdb.Error as exc:
        raise MentoringError(f"The import failed and nothing was written: {exc}") from exc
    report(1.0, "Done")
    return result


def import_parsed(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedCSV,
    mapping: dict[str, str | None],
    *,
    data: bytes,
    filename: str,
    status: str = "applied",
    moderator: str = "local",
    is_demo: bool = False,
    report: Progress | None = None,
    date_order: str | None = None,
    warnings: list[str] | None = None,
) -> ImportResult:
    """Write a parsed file; the caller holds the transaction (so the demo can add to it)."""
    if warnings is None:
        date_order, warnings = check_warnings(parsed, mapping)
    raw = _raw_frame(parsed)
    meta = {
        "filename": filename,
        "sha256": hashlib.sha256(data).hexdigest(),
        "encoding": parsed.encoding,
        "delimiter": parsed.delimiter_name,
        "date_order": date_order,
        "warnings": list(warnings),
    }
    try:
        return _write(
            con,
            raw,
            parsed,
            mapping,
            meta,
            status=status,
            moderator=moderator,
            is_demo=is_demo,
            report=report or (lambda fraction, text: None),
        )
    finally:
        # Temp tables go with a rollback or are dropped by _write; a registered frame is not transactional.
        db.unregister(con, "_import_raw_df")
        db.unregister(con, "_import_names_df")
        db.unregister(con, "_import_links_df")
        db.unregister(con, "_import_time_df")


def rejects_table(con: duckdb.DuckDBPyConnection, import_id: int) -> pd.DataFrame:
    """Rejected rows spread back into their original columns, to fix and re-import."""
    rows = con.execute(
        "SELECT row_number, reason, CAST(raw AS VARCHAR) FROM import_rejects WHERE import_id = ? ORDER BY row_number",
        [import_id],
    ).fetchall()
    records = [{"Row": n, "Problem": reason, **json.loads(raw)} for n, reason, raw in rows]
    return pd.DataFrame(records)


def import_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every import, newest first, with its counts."""
    return con.execute(
        "SELECT id, imported_at, filename, sha256, encoding, delimiter, rows_read, inserted, updated, "
        "unchanged, skipped, rejected, is_demo, moderator FROM imports ORDER BY id DESC"
    ).df()


def split_skills(text: str | None) -> list[str]:
    """A member's skill cell as a list of their own words (commas, semicolons, new lines; not inside parentheses)."""
    if not text:
        return []
    parts = (p.strip(_SKILL_TRIM) for p in re.findall(skills.SKILL_WORD, text))
    return [p for p in parts if p]


def parse_experience(text: str | None) -> float | None:
    """Years of experience from free text: '5', '3-5 years', '10+', 'less than a year', '18 months'."""
    if not text or not text.strip():
        return None
    lowered = text.lower().replace(",", ".")
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", lowered)]
    if re.search(r"month", lowered) and numbers:
        return round(numbers[0] / 12, 1)
    if re.search(r"less than|under|fewer|<|no experience|none", lowered):
        return round(numbers[0] / 2, 1) if numbers else 0.5
    if len(numbers) >= 2 and re.search(r"\d\s*(?:-|–|to)\s*\d", lowered):
        return round((numbers[0] + numbers[1]) / 2, 1)
    if numbers and numbers[0] <= 70:
        return numbers[0]
    return None


def _raw_frame(parsed: ParsedCSV) -> pd.DataFrame:
    width = max([len(parsed.header)] + [len(r) for r in parsed.records])
    # Short rows (fewer fields than the header) are padded so every column exists for every row.
    records = [r if len(r) == width else r + [""] * (width - len(r)) for r in parsed.records]
    frame = pd.DataFrame(records, columns=[f"c{i}" for i in range(width)], dtype="string")
    frame = frame.fillna("")
    frame["row_number"] = parsed.row_numbers
    return frame


def _column_of(mapping: dict[str, str | None], header: list[str], name: str) -> list[str]:
    return [f"c{header.index(col)}" for col, fld in mapping.items() if fld == name]


def _write(con, raw, parsed, mapping, meta, *, status, moderator, is_demo, report) -> ImportResult:
    header = parsed.header + [f"Column {i + 1} (no header)" for i in range(len(parsed.header), raw.shape[1] - 1)]
    _raw_table(con, raw, mapping, header)
    experience = _experience_values(raw, _column_of(mapping, header, "experience"))
    sql, params = _stage_sql(mapping, header, meta["date_order"])
    con.execute(sql, params)
    meta["warnings"] += _undated_warning(con, mapping)
    _absolute_links(con, mapping)
    unknown_zones = _unknown_zones(con)
    if unknown_zones:
        meta["warnings"].append(
            f"{len(unknown_zones)} time-zone answers were not understood and are stored as unknown."
        )
    if experience is not None:
        db.register(con, "_exp_df", experience)
        con.execute("UPDATE _stage SET experience_years = e.years FROM _exp_df e WHERE _stage.experience_text = e.text")
        db.unregister(con, "_exp_df")
    report(0.6, "Comparing with the people already stored")
    now = db.now()
    import_id = con.execute(
        "INSERT INTO imports (imported_at, filename, sha256, encoding, delimiter, rows_read, inserted, updated, "
        "unchanged, skipped, rejected, is_demo, moderator) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, ?, ?) RETURNING id",
        [now, meta["filename"], meta["sha256"], meta["encoding"], meta["delimiter"], len(raw), is_demo, moderator],
    ).fetchone()[0]
    _classify(con, kept=[c for name, cols in _STORED.items() if name not in mapping.values() for c in cols])
    counts = _apply(con, import_id, now, status=status, is_demo=is_demo, moderator=moderator)
    report(0.9, "Saving rejected rows")
    rejected = _store_rejects(con, import_id, header)
    con.execute(
        "UPDATE imports SET inserted = ?, updated = ?, unchanged = ?, skipped = ?, rejected = ? WHERE id = ?",
        [counts["insert"], counts["update"], counts["unchanged"], counts["skipped"], len(rejected), import_id],
    )
    summary = {**{k: counts[k] for k in ("insert", "update", "unchanged", "skipped")}, "rejected": len(rejected)}
    for name in ("_import_raw", "_stage", "_classified"):
        con.execute(f"DROP TABLE {name}")
    db.audit(
        con,
        "import",
        {"import_id": import_id, "file": meta["filename"], "sha256": meta["sha256"], **summary},
        moderator=moderator,
    )
    return ImportResult(
        import_id,
        len(raw),
        counts["insert"],
        counts["update"],
        counts["unchanged"],
        counts["skipped"],
        rejected,
        meta["encoding"],
        meta["delimiter"],
        dict(mapping),
        meta["date_order"],
        meta["warnings"],
        unknown_zones,
    )


def _raw_table(con, raw: pd.DataFrame, mapping, header: list[str]) -> None:
    """_import_raw: the file's cells beside each row's cleaned name, free times and budget."""
    db.register(con, "_import_raw_df", raw)
    db.register(con, "_import_names_df", _clean_names(raw, mapping, header))
    db.register(con, "_import_time_df", _time_answers(raw, mapping, header))
    con.execute(
        "CREATE TEMP TABLE _import_raw AS SELECT * FROM _import_raw_df POSITIONAL JOIN _import_names_df "
        "POSITIONAL JOIN _import_time_df"
    )


def _clean_names(raw: pd.DataFrame, mapping, header: list[str]) -> pd.DataFrame:
    """Every row's name as stored (clean_name of the name column, or of first and last name joined)
    and why it is refused; clean_name runs once per distinct text."""
    columns = _column_of(mapping, header, "name") or [
        *_column_of(mapping, header, "first_name"),
        *_column_of(mapping, header, "last_name"),
    ]
    texts = raw[columns[0]]
    for column in columns[1:]:
        texts = texts + " " + raw[column]
    codes, distinct = pd.factorize(texts, use_na_sentinel=False)
    cleaned = [names.clean_name(t) for t in distinct]
    per_text = pd.DataFrame(cleaned, columns=["clean_name", "name_reason"], dtype="string")
    return per_text.iloc[codes].reset_index(drop=True)


def _time_answers(raw: pd.DataFrame, mapping, header: list[str]) -> pd.DataFrame:
    """Every row's free times (slots as JSON text, the answers as written) and weekly budget (hours, as
    written), read by lib.intake.availability once per distinct set of answers."""
    slot_columns = _column_of(mapping, header, "availability")
    titles = [header[int(c[1:])] for c in slot_columns]
    budget = _column_of(mapping, header, "budget")
    keys = pd.Series([""] * len(raw), dtype="string")
    for column in [*slot_columns, *budget]:
        keys = keys + "\x1f" + raw[column]
    codes, distinct = pd.factorize(keys, use_na_sentinel=False)
    rows = [_time_row(key.split("\x1f")[1:], titles, bool(budget)) for key in distinct]
    per_key = pd.DataFrame(rows, columns=["time_slots", "time_text", "time_hours", "time_budget"])
    per_key = per_key.astype({"time_slots": "string", "time_text": "string", "time_hours": "float64"})
    return per_key.astype({"time_budget": "string"}).iloc[codes].reset_index(drop=True)


def _time_row(cells: list[str], titles: list[str], has_budget: bool) -> tuple:
    answers = list(zip(titles, cells))
    slots = availability.read_availability(answers)
    budget = (cells[len(titles)].strip() or None) if has_budget else None
    return (
        json.dumps(slots) if slots else None,
        availability.answers_text(answers),
        availability.parse_budget(budget),
        budget,
    )


def unreadable_timezones(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The stored time-zone answers not understood: Answer, Members (how many gave it), Why."""
    rows = con.execute(
        "SELECT timezone, count(*) FROM applicants WHERE nullif(trim(timezone), '') IS NOT NULL "
        "GROUP BY timezone ORDER BY count(*) DESC, timezone"
    ).fetchall()
    found = [(answer, n, *timezones.zone_or_reason(answer)) for answer, n in rows]
    return pd.DataFrame(
        [(answer, n, why) for answer, n, zone, why in found if zone is None], columns=["Answer", "Members", "Why"]
    )


def _undated_warning(con, mapping) -> list[str]:
    columns = [c for c, f in mapping.items() if f == "submitted_at"]
    if not columns:
        return []
    count, example = con.execute(
        "SELECT count(*), min(submitted_text) FROM _stage WHERE submitted_text IS NOT NULL AND submitted_at IS NULL"
    ).fetchone()
    if not count:
        return []
    return [
        f"{count:,} answers in '{columns[0]}' are not dates this program reads (for example '{example}'); "
        "those rows count as undated (a later row of the same person in the file is newer)."
    ]


def _absolute_links(con, mapping) -> None:
    """Profile links as absolute https links; an answer that is not a link moves to the extra answers."""
    fed = set(mapping.values())
    for name in ("linkedin", "github", "other_links"):
        if name not in fed:
            continue
        texts = [t for (t,) in con.execute(f"SELECT DISTINCT {name} FROM _stage WHERE {name} IS NOT NULL").fetchall()]
        if name == "other_links":
            urls = [links.links_in(t) for t in texts]
        else:
            urls = [links.absolute_url(t, site=name) for t in texts]
        db.register(con, "_import_links_df", pd.DataFrame({"text": texts, "url": urls}, dtype="string"))
        label = next(c for c, f in mapping.items() if f == name)
        con.execute(
            f"UPDATE _stage SET {name} = l.url, extra = CASE WHEN l.url IS NULL THEN "
            f"json_merge_patch(coalesce(_stage.extra, '{{}}'::JSON), json_object(?, l.text)) ELSE _stage.extra END "
            f"FROM _import_links_df l WHERE _stage.{name} = l.text",
            [label],
        )
        db.unregister(con, "_import_links_df")


def _unknown_zones(con) -> list[dict]:
    """Each time-zone answer of the file not understood: the answer, its rows and why (blank is no answer)."""
    rows = con.execute(
        "SELECT timezone, list(row_number ORDER BY row_number) FROM _stage "
        "WHERE timezone IS NOT NULL AND reject_reason IS NULL GROUP BY timezone ORDER BY min(row_number)"
    ).fetchall()
    found = []
    for answer, numbers in rows:
        zone, reason = timezones.zone_or_reason(answer)
        if zone is None:
            found.append({"answer": answer, "rows": numbers, "reason": reason})
    return found


def _experience_values(raw: pd.DataFrame, columns: list[str]) -> pd.DataFrame | None:
    if not columns:
        return None
    texts = pd.Series(raw[columns[0]].str.strip().unique(), dtype="string")
    texts = texts[texts != ""]
    return pd.DataFrame({"text": texts, "years": [parse_experience(t) for t in texts]})


def _stage_sql(mapping, header, date_order) -> tuple[str, list]:
    def col(name: str) -> str:
        cols = _column_of(mapping, header, name)
        if not cols:
            return "NULL::VARCHAR"
        if len(cols) == 1:
            return f"nullif(trim({cols[0]}), '')"
        return "nullif(concat_ws(chr(10), " + ", ".join(f"nullif(trim({c}), '')" for c in cols) + "), '')"

    email_raw = col("email")
    ts_cols = _column_of(mapping, header, "submitted_at")
    submitted = dates.parse_sql(f"trim({ts_cols[0]})", date_order) if ts_cols else "NULL::TIMESTAMP"
    extras = [i for i, h in enumerate(header) if mapping.get(h) is None]
    params: list = []
    if extras:
        extra = "json_object(" + ", ".join(f"?, c{i}" for i in extras) + ")"
        params += [header[i] for i in extras]
    else:
        extra = "NULL::JSON"
    sql = f"""
    CREATE TEMP TABLE _stage AS
    SELECT row_number, email, name, linkedin, github, other_links, goals, offers_text, wants_text,
           timezone, experience_text, NULL::DOUBLE AS experience_years, submitted_text, submitted_at, extra,
           availability, availability_text, hours_per_week, budget_text,
           CASE WHEN email = '' THEN 'No email address'
                WHEN NOT regexp_full_match(email, '{_EMAIL}')
                     THEN 'Email ''' || email_raw || ''' is not a valid address'
                WHEN name_reason IS NOT NULL THEN name_reason END AS reject_reason
    FROM (
        SELECT row_number, lower(coalesce({email_raw}, '')) AS email, coalesce({email_raw}, '') AS email_raw,
               clean_name AS name, name_reason, {col("linkedin")} AS linkedin, {col("github")} AS github,
               {col("other_links")} AS other_links, {col("goals")} AS goals, {col("offers")} AS offers_text,
               {col("wants")} AS wants_text, {col("timezone")} AS timezone, {col("experience")} AS experience_text,
               {col("submitted_at")} AS submitted_text, {submitted} AS submitted_at, {extra} AS extra,
               CAST(time_slots AS JSON) AS availability, time_text AS availability_text,
               time_hours AS hours_per_week, time_budget AS budget_text
        FROM _import_raw
    )
    """
    return sql, params


def _classify(con, *, kept: list[str]) -> None:
    """Each row's action. The newest row of a person wins: a later row of the file is newer unless both
    rows carry a time (an undated row starts a new group, and a group's times are compared). Stored
    columns no column of this file feeds are kept, and the content hash is taken after keeping them."""
    merged = ", ".join(f"CASE WHEN a.id IS NULL THEN r.{c} ELSE a.{c} END AS {c}" for c in kept)
    replace = f" REPLACE ({merged})" if kept else ""
    con.execute(
        f"""
        CREATE TEMP TABLE _classified AS
        WITH grouped AS (
            SELECT *, count(*) FILTER (WHERE submitted_at IS NULL)
                          OVER (PARTITION BY email ORDER BY row_number ROWS UNBOUNDED PRECEDING) AS undated_before
            FROM _stage WHERE reject_reason IS NULL
        ), ranked AS (
            SELECT *, row_number() OVER (PARTITION BY email ORDER BY undated_before DESC, submitted_at DESC NULLS LAST,
                                         row_number DESC) AS rank
            FROM grouped
        ), merged AS (
            SELECT r.*{replace}, a.id AS applicant_id, a.content_hash AS stored_hash, r.submitted_at AS file_time,
                   a.submitted_at AS stored_time
            FROM ranked r LEFT JOIN applicants a ON a.email = r.email
        ), hashed AS (
            SELECT *, md5(CAST(to_json(list_concat([{_HASHED}, CAST(extra AS VARCHAR)], {_HASHED_TIME})) AS VARCHAR))
                   AS content_hash FROM merged
        )
        SELECT *, CASE WHEN rank > 1 THEN 'superseded'
                       WHEN applicant_id IS NULL THEN 'insert'
                       WHEN stored_hash = content_hash THEN 'unchanged'
                       WHEN file_time < stored_time THEN 'older'
                       ELSE 'update' END AS action
        FROM hashed
        """
    )


def _apply(con, import_id: int, now, *, status: str, is_demo: bool, moderator: str) -> dict[str, int]:
    con.execute(
        """
        INSERT INTO applicants (email, name, linkedin, github, other_links, goals, offers_text, wants_text,
            timezone, experience_text, experience_years, submitted_text, submitted_at, extra, content_hash,
            source_row, applied_at, status, status_changed_at, is_demo, first_import_id, last_import_id, updated_at,
            availability, availability_text, hours_per_week, budget_text)
        SELECT email, name, linkedin, github, other_links, goals, offers_text, wants_text, timezone,
            experience_text, experience_years, submitted_text, submitted_at, extra, content_hash, row_number,
            coalesce(submitted_at, $now), $status, $now, $demo, $import, $import, $now,
            availability, availability_text, hours_per_week, budget_text
        FROM _classified WHERE action = 'insert' ORDER BY row_number
        """,
        {"now": now, "status": status, "demo": is_demo, "import": import_id},
    )
    con.execute(
        """
        UPDATE applicants SET name = c.name, linkedin = c.linkedin, github = c.github,
            other_links = c.other_links, goals = c.goals, offers_text = c.offers_text, wants_text = c.wants_text,
            timezone = c.timezone, experience_text = c.experience_text, experience_years = c.experience_years,
            submitted_text = c.submitted_text, submitted_at = c.submitted_at, extra = c.extra,
            availability = c.availability, availability_text = c.availability_text,
            hours_per_week = c.hours_per_week, budget_text = c.budget_text, content_hash = c.content_hash, source_row = c.row_number, last_import_id = $import, updated_at = $now
        FROM _classified c WHERE applicants.id = c.applicant_id AND c.action = 'update'
        """,
        {"import": import_id, "now": now},
    )
    _store_skills(con)
    con.execute(
        "INSERT INTO status_history (applicant_id, from_status, to_status, reason, changed_at, moderator) "
        "SELECT a.id, NULL, ?, 'imported', ?, ? FROM applicants a WHERE a.first_import_id = ?",
        [status, now, moderator, import_id],
    )
    rows = dict(con.execute("SELECT action, count(*) FROM _classified GROUP BY action").fetchall())
    return {
        "insert": rows.get("insert", 0),
        "update": rows.get("update", 0),
        "unchanged": rows.get("unchanged", 0),
        "skipped": rows.get("superseded", 0) + rows.get("older", 0),
    }


def _store_skills(con) -> None:
    """The skill words of every inserted or updated applicant, in their order (an update replaces them)."""
    con.execute(
        "DELETE FROM applicant_skills WHERE applicant_id IN "
        "(SELECT applicant_id FROM _classified WHERE action = 'update')"
    )
    con.execute(
        f"""
        INSERT INTO applicant_skills (applicant_id, kind, position, raw)
        WITH changed AS (
            SELECT a.id, a.offers_text, a.wants_text FROM applicants a JOIN _classified c ON a.email = c.email
            WHERE c.action IN ('insert', 'update')
        ), lists AS (
            SELECT id, kind, regexp_extract_all(txt, '{skills.SKILL_WORD}') AS parts  -- as split_skills
            FROM (SELECT id, 'offer' AS kind, offers_text AS txt FROM changed WHERE offers_text IS NOT NULL
                  UNION ALL
                  SELECT id, 'want', wants_text FROM changed WHERE wants_text IS NOT NULL)
        ), words AS (
            SELECT id, kind, trim(unnest(parts), ?) AS raw, generate_subscripts(parts, 1) AS part FROM lists
        )
        SELECT id, kind, row_number() OVER (PARTITION BY id, kind ORDER BY part), raw FROM words WHERE raw <> ''
        """,
        [_SKILL_TRIM],
    )
    skills.normalise(con)


def _store_rejects(con, import_id: int, header: list[str]) -> list[dict]:
    raw_json = "json_object(" + ", ".join(f"?, r.c{i}" for i in range(len(header))) + ")"
    con.execute(
        f"INSERT INTO import_rejects SELECT ?, s.row_number, s.reject_reason, {raw_json} "
        "FROM _stage s JOIN _import_raw r USING (row_number) WHERE s.reject_reason IS NOT NULL",
        [import_id, *header],
    )
    rows = con.execute(
        "SELECT row_number, reason FROM import_rejects WHERE import_id = ? ORDER BY row_number", [import_id]
    ).fetchall()
    return [{"row": n, "reason": reason} for n, reason in rows]
