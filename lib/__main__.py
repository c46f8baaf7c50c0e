"""Command line: `python -m lib [--db PATH] COMMAND`, thin over the same lib functions as the pages.

Exit codes: 0 done; 2 refused or failed, with one sentence on stderr and nothing written.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from lib import auth, demo, startup
from lib.errors import MentoringError
from lib.insight import analytics, coverage
from lib.intake import importer, skills
from lib.matching import rounds
from lib.members import applicants, privacy
from lib.pair_life import lifecycle, pairs
from lib.storage import backup, db

MODERATOR = "cli"


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "hash-password":
            return _hash_password()
        if args.command == "restore":
            return _restore(args)
        con = startup.open_database(args.db)
        try:
            return args.run(con, args)
        finally:
            con.close()
    except MentoringError as exc:
        return _fail(str(exc))
    except duckdb.Error as exc:
        return _fail(f"The database refused the change and nothing was written: {exc}")
    except OSError as exc:
        return _fail(f"Cannot read or write {exc.filename or 'a file'}: {exc.strerror}.")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lib", description="Peer-mentoring moderator's tools.")
    parser.add_argument(
        "--db", type=Path, default=None, help=f"database file (default $MENTORING_DB or {db.DEFAULT_DB})"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help="import a CSV export of applications")
    p.add_argument("file", type=Path)
    p.add_argument("--status", default="applied", choices=importer.STAGES, help="stage for new applicants")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_import)

    p = sub.add_parser("applicants", help="list applicants")
    p.add_argument("--status", choices=importer.STAGES)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_applicants)

    p = sub.add_parser("set-status", help="move applicants to a stage")
    p.add_argument("--to", required=True, choices=importer.STAGES)
    p.add_argument("--reason")
    p.add_argument("emails", nargs="+")
    p.set_defaults(run=_set_status)

    p = sub.add_parser("demo", help="load the demo community (replacing earlier demo data)")
    p.add_argument("--remove", action="store_true", help="remove the demo data instead")
    p.set_defaults(run=_demo)

    p = sub.add_parser("skills", help="canonical skills with offered/wanted counts over accepted members")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_skills)

    p = sub.add_parser("merge-skill", help="merge skill FROM into skill INTO (names or aliases)")
    p.add_argument("source", metavar="FROM")
    p.add_argument("target", metavar="INTO")
    p.set_defaults(run=_merge_skill)

    p = sub.add_parser("suggest", help="suggest partners for one member, or a whole round")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--member", metavar="EMAIL")
    which.add_argument("--round", action="store_true")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_suggest)

    p = sub.add_parser("confirm", help="confirm a pair (state 'proposed')")
    p.add_argument("email_a")
    p.add_argument("email_b")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_confirm)

    p = sub.add_parser("pause", help="keep a member out of suggestions until a date")
    p.add_argument("email")
    p.add_argument("--until", required=True, type=_date, help="YYYY-MM-DD")
    p.add_argument("--note")
    p.set_defaults(run=_pause)

    p = sub.add_parser("never-pair", help="never suggest two members to each other")
    p.add_argument("email_a")
    p.add_argument("email_b")
    p.set_defaults(run=_never_pair)

    p = sub.add_parser("pairs", help="list pairings")
    p.add_argument("--state", choices=lifecycle.STATES)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_pairs)

    p = sub.add_parser("advance", help="move a pairing to trial or active")
    p.add_argument("pairing_id", type=int, metavar="PAIR_ID")
    p.add_argument("--to", required=True, choices=["trial", "active"])
    p.set_defaults(run=_advance)

    p = sub.add_parser("end-pair", help="record a drop-out or ending")
    p.add_argument("pairing_id", type=int, metavar="PAIR_ID")
    p.add_argument("--by", required=True, choices=lifecycle.ENDED_BY)
    p.add_argument("--reason", required=True)
    p.add_argument("--feedback")
    p.add_argument("--date", type=_date, help="YYYY-MM-DD (default today)")
    p.add_argument("--left-service", choices=["a", "b", "both"])
    p.set_defaults(run=_end_pair)

    p = sub.add_parser("withdraw", help="a member leaves the service without being in a pair")
    p.add_argument("email")
    p.add_argument("--reason", required=True)
    p.add_argument("--feedback")
    p.set_defaults(run=_withdraw)

    p = sub.add_parser("report", help="reports: dropouts")
    p.add_argument("what", choices=["dropouts"])
    p.add_argument("--from", dest="start", type=_date, help="YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=_date, help="YYYY-MM-DD")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_report)

    p = sub.add_parser("backup", help="write the whole database to a new folder")
    p.add_argument("folder", type=Path, metavar="DIR")
    p.set_defaults(run=_backup)

    p = sub.add_parser("restore", help="replace the database with a backup (snapshots the current state first)")
    p.add_argument("folder", type=Path, metavar="DIR")
    p.set_defaults(run=None)

    p = sub.add_parser("export", help="write a formula-safe CSV of applicants, pairs or feedback")
    p.add_argument("what", choices=["applicants", "pairs", "feedback"])
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(run=_export)

    p = sub.add_parser("erase", help="erase one member's personal data everywhere")
    p.add_argument("email")
    p.set_defaults(run=_erase)

    p = sub.add_parser("export-member", help="write everything held about one member as JSON")
    p.add_argument("email")
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(run=_export_member)

    sub.add_parser("hash-password", help="print a password hash for secrets.toml")
    return parser


def _import(con, args) -> int:
    data = args.file.read_bytes()
    result = importer.import_applications(con, data, filename=args.file.name, status=args.status, moderator=MODERATOR)
    if args.json:
        print(json.dumps(result.as_json()))
    else:
        print(
            f"{args.file.name}: {result.inserted} inserted, {result.updated} updated, {result.unchanged} unchanged, "
            f"{result.skipped} skipped, {len(result.rejected)} rejected."
        )
        for row in result.rejected:
            print(f"  row {row['row']}: {row['reason']}")
    return 0


def _applicants(con, args) -> int:
    table = applicants.list_applicants(con, status=args.status)
    if args.json:
        records = [
            {
                "email": r.email,
                "name": r.name,
                "status": r.status,
                "linkedin": _opt(r.linkedin),
                "github": _opt(r.github),
                "timezone": _opt(r.timezone),
                "experience_years": _opt(r.experience_years),
                "offers": list(r.offers),
                "wants": list(r.wants),
                "offers_canonical": list(r.offers_canonical),
                "wants_canonical": list(r.wants_canonical),
                "applied_at": r.applied_at.isoformat(),
            }
            for r in table.itertuples()
        ]
        print(json.dumps(records, ensure_ascii=False))
    else:
        for r in table.itertuples():
            print(f"{r.status:<12} {r.email:<40} {r.name}")
    return 0


def _set_status(con, args) -> int:
    moved = applicants.set_status(con, args.emails, args.to, reason=args.reason, moderator=MODERATOR)
    print(f"Moved {moved} applicants to {args.to}.")
    return 0


def _skills(con, args) -> int:
    table = coverage.skill_summary(con)
    if args.json:
        records = [
            {"skill": r.skill, "offered": int(r.offered), "wanted": int(r.wanted), "aliases": list(r.aliases)}
            for r in table.itertuples()
        ]
        print(json.dumps(records, ensure_ascii=False))
    else:
        for r in table.itertuples():
            print(f"{r.skill:<40} offered {r.offered:>4}  wanted {r.wanted:>4}")
    return 0


def _merge_skill(con, args) -> int:
    merge_id = skills.merge_skills(con, args.source, args.target, moderator=MODERATOR)
    print(f"Merged '{args.source}' into '{args.target}' (merge {merge_id}; undo it on the Skills page).")
    return 0


def _suggest(con, args) -> int:
    if args.round:
        found = rounds.suggest_round(con)
        out = {
            "pairs": [
                {
                    "a": p.a_email,
                    "b": p.b_email,
                    "a_teaches_b": list(p.a_teaches_b),
                    "b_teaches_a": list(p.b_teaches_a),
                    "score": float(p.score),
                    "reasons": list(p.reasons),
                }
                for p in found.pairs.itertuples()
            ],
            "unmatched": [{"email": u.email, "reason": u.reason} for u in found.unmatched.itertuples()],
        }
        lines = [f"{p['score']:5.1f}  {p['a']} + {p['b']}: {'; '.join(p['reasons'])}" for p in out["pairs"]]
        lines += [f"  --   {u['email']}: {u['reason']}" for u in out["unmatched"]]
    else:
        found = rounds.suggest_partners(con, args.member, limit=args.limit)
        out = [
            {
                "partner": p.b_email,
                "score": float(p.score),
                "a_teaches_b": list(p.a_teaches_b),
                "b_teaches_a": list(p.b_teaches_a),
                "reasons": list(p.reasons),
            }
            for p in found.itertuples()
        ]
        lines = [f"{p['score']:5.1f}  {p['partner']}: {'; '.join(p['reasons'])}" for p in out]
    print(json.dumps(out, ensure_ascii=False) if args.json else "\n".join(lines))
    return 0


def _confirm(con, args) -> int:
    made = pairs.confirm_pair(con, args.email_a, args.email_b, moderator=MODERATOR)
    if args.json:
        print(json.dumps({k: made[k] for k in ("id", "a", "b", "state", "score", "a_teaches_b", "b_teaches_a")}))
    else:
        print(f"Pairing {made['id']}: {made['a_name']} and {made['b_name']} (proposed).")
    return 0


def _pause(con, args) -> int:
    pairs.pause_member(con, args.email, args.until, note=args.note, moderator=MODERATOR)
    print(f"Paused {args.email} until {args.until:%d %b %Y}.")
    return 0


def _never_pair(con, args) -> int:
    pairs.mark_never_pair(con, args.email_a, args.email_b, moderator=MODERATOR)
    print(f"{args.email_a} and {args.email_b} will never be suggested to each other.")
    return 0


def _pairs(con, args) -> int:
    table = pairs.list_pairings(con, state=args.state)
    records = [
        {
            "id": int(r.id),
            "a": r.a,
            "b": r.b,
            "state": r.state,
            "started": _iso(r.started_on),
            "ended": _iso(r.ended_on),
            "ended_by": _opt(r.ended_by),
            "reason": _opt(r.reason),
            "feedback": _opt(r.feedback),
        }
        for r in table.itertuples()
    ]
    if args.json:
        print(json.dumps(records, ensure_ascii=False))
    else:
        for r in records:
            print(f"{r['id']:>5} {r['state']:<9} {r['a']} + {r['b']} since {r['started']}")
    return 0


def _advance(con, args) -> int:
    lifecycle.advance(con, args.pairing_id, args.to, moderator=MODERATOR)
    print(f"Pairing {args.pairing_id} is now {args.to}.")
    return 0


def _end_pair(con, args) -> int:
    left = {"a": ["a"], "b": ["b"], "both": ["a", "b"], None: []}[args.left_service]
    lifecycle.end_pairing(
        con,
        args.pairing_id,
        by=args.by,
        reason=args.reason,
        feedback=args.feedback,
        on=args.date,
        left_service=left,
        moderator=MODERATOR,
    )
    print(f"Pairing {args.pairing_id} ended ({args.reason}).")
    return 0


def _withdraw(con, args) -> int:
    lifecycle.withdraw(con, args.email, reason=args.reason, feedback=args.feedback, moderator=MODERATOR)
    print(f"{args.email} has withdrawn from the service.")
    return 0


def _report(con, args) -> int:
    report = analytics.dropout_report(con, start=args.start, end=args.end)
    if args.json:
        print(json.dumps(report))
        return 0
    median = "no median yet" if report["median_weeks"] is None else f"median {report['median_weeks']:.1f} weeks"
    print(f"{report['pairs']} pairs, {report['ended']} ended, {report['active']} active; {median}.")
    for r in report["reasons"]:
        print(f"  {r['reason']:<32} {r['count']:>5}  {r['share']:.0%}")
    return 0


def _backup(con, args) -> int:
    folder = backup.backup(con, args.folder)
    print(f"Backed up to {folder}.")
    return 0


def _restore(args) -> int:
    path = args.db or db.db_path()
    kept = backup.restore(path, args.folder)
    print(f"Restored {path} from {args.folder.resolve()}; the state before is kept in {kept}.")
    return 0


def _export(con, args) -> int:
    rows = privacy.write_export(con, args.what, args.file)
    print(f"Wrote {rows} rows to {args.file}.")
    return 0


def _erase(con, args) -> int:
    applicant_id = privacy.erase_member(con, args.email, moderator=MODERATOR)
    print(f"Erased the personal data of applicant {applicant_id}; snapshots taken before still hold it until pruned.")
    return 0


def _export_member(con, args) -> int:
    privacy.write_member_export(con, args.email, args.file)
    print(f"Wrote everything held about {args.email} to {args.file}.")
    return 0


def _iso(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2027-03-01") from exc


def _demo(con, args) -> int:
    if args.remove:
        print(f"Removed {demo.remove_demo(con, moderator=MODERATOR)} demo applicants.")
    else:
        print(f"Loaded {demo.load_demo(con, moderator=MODERATOR)} demo applicants (marked as demo data).")
    return 0


def _hash_password() -> int:
    password = getpass.getpass("New moderator password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    try:
        print(auth.hash_password(password))
    except ValueError as exc:
        return _fail(str(exc))
    return 0


def _opt(value):
    return None if value is None or pd.isna(value) else value


def _fail(sentence: str) -> int:
    print(sentence, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
