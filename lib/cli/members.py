"""Members: importing applications, listing applicants, moving them between stages, the demo community."""

from __future__ import annotations

import argparse
import json
import stat
import sys
from pathlib import Path

from lib import demo
from lib.cli.common import MODERATOR, command, optional
from lib.errors import ImportRefused
from lib.intake import csvfile, dates, importer, links, mappings, timezones
from lib.members import applicants


def register(sub: argparse._SubParsersAction) -> None:
    """Add import, applicants, set-status and demo."""
    p = command(sub, "import", _import, about="import a CSV export of applications")
    p.add_argument("file", type=Path, help="the CSV export to import (Google Forms, Microsoft Forms or a spreadsheet)")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help=f"which column feeds a field (remembered for files with the same header); FIELD is one of: "
        f"{', '.join(importer.FIELDS)}; an empty COLUMN means no column feeds it",
    )
    p.add_argument("--encoding", metavar="NAME", help=f"read the file in this encoding ({', '.join(ENCODINGS)})")
    p.add_argument("--dates", choices=dates.ORDERS, help="day/month order of the submission times")
    p.add_argument("--status", default="applied", choices=importer.MOVABLE, help="stage for new applicants")
    p.add_argument("--json", action="store_true", help="print the result as JSON instead of sentences")

    p = command(sub, "applicants", _applicants, about="list applicants")
    p.add_argument("--status", choices=importer.STAGES, help="only applicants at this stage")
    p.add_argument("--json", action="store_true", help="print the result as JSON instead of sentences")

    p = command(sub, "set-status", _set_status, about="move applicants to a stage")
    p.add_argument("--to", required=True, choices=importer.MOVABLE, help="the stage to move them to")
    p.add_argument("--reason", help="why they are declined (required with --to declined)")
    p.add_argument("emails", nargs="+", help="the applicants' email addresses")

    p = command(sub, "demo", _demo, about="load the demo community (replacing earlier demo data)")
    p.add_argument("--remove", action="store_true", help="remove the demo data instead")


def _import(con, args) -> int:
    data = _read_export(args.file)
    result = importer.import_applications(
        con,
        data,
        filename=args.file.name,
        choices=mappings.parse_choices(args.map),
        encoding=args.encoding,
        date_order=args.dates,
        status=args.status,
        moderator=MODERATOR,
    )
    if args.json:
        print(json.dumps(result.as_json()))
    else:
        for sentence in result.warnings:
            print(f"Warning: {sentence}", file=sys.stderr)
        print(
            f"{args.file.name}: {result.inserted} inserted, {result.updated} updated, {result.unchanged} unchanged, "
            f"{result.skipped} skipped, {len(result.rejected)} rejected."
        )
        for row in result.rejected:
            print(f"  row {row['row']}: {row['reason']}")
    return 0


def _read_export(path: Path) -> bytes:
    # Checked before reading: /dev/zero or a 4 GiB file would otherwise fill the memory first.
    try:
        info = path.stat()
    except OSError as exc:
        raise ImportRefused(f"Cannot read {path}: {exc.strerror}.") from exc
    if not stat.S_ISREG(info.st_mode):
        raise ImportRefused(f"{path} is not a regular file; give the CSV file itself.")
    if info.st_size > csvfile.MAX_BYTES:
        raise ImportRefused(
            f"The file is {info.st_size / 1024 / 1024:,.0f} MB; the limit is {csvfile.MAX_BYTES // 1024 // 1024} MB. "
            "Export fewer responses (for example by date) and import them in parts."
        )
    with path.open("rb") as file:
        return file.read(csvfile.MAX_BYTES + 1)  # a file that grew since stat() is still cut at the limit


ENCODINGS = list(csvfile.ENCODING_CHOICES)


def _applicants(con, args) -> int:
    table = applicants.list_applicants(con, status=args.status)
    if args.json:
        print(json.dumps([_applicant_json(r) for r in table.itertuples()], ensure_ascii=False))
    else:
        for r in table.itertuples():
            print(f"{r.status:<12} {r.email:<40} {r.name}")
        if table.empty:
            print(_NO_APPLICANTS if not args.status else f"No applicant is at the stage '{args.status}'.")
    return 0


_NO_APPLICANTS = (
    "No applicants yet. Import your form's CSV export with `mentoring import FILE`, "
    "or load the made-up demo community with `mentoring demo`."
)


def _applicant_json(r) -> dict:
    return {
        "email": r.email,
        "name": r.name,
        "status": r.status,
        "linkedin": links.absolute_url(optional(r.linkedin), site="linkedin"),
        "github": links.absolute_url(optional(r.github), site="github"),
        "timezone": timezones.to_zone(optional(r.timezone)),
        "experience_years": optional(r.experience_years),
        "offers": list(r.offers),
        "wants": list(r.wants),
        "offers_canonical": list(r.offers_canonical),
        "wants_canonical": list(r.wants_canonical),
        "applied_at": r.applied_at.isoformat(),
        "hours_per_week": optional(r.hours_per_week),
        "availability": applicants.slots_of(r.availability),
    }


def _set_status(con, args) -> int:
    moved = applicants.set_status(con, args.emails, args.to, reason=args.reason, moderator=MODERATOR)
    print(f"Moved {moved} applicants to {args.to}.")
    return 0


def _demo(con, args) -> int:
    if args.remove:
        removed = demo.remove_demo(con, moderator=MODERATOR)
        print(f"Removed {removed} demo applicants." if removed else "There is no demo data to remove.")
    else:
        print(f"Loaded {demo.load_demo(con, moderator=MODERATOR)} demo applicants (marked as demo data).")
    return 0
