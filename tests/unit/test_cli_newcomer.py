"""A newcomer's command line: every option explains itself, and no command answers an empty database with
silence (each says what there is, or what to do next)."""

from __future__ import annotations

import argparse

import pytest

from lib.cli import build_parser, main


def _leaves(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield prefix, parser
    for action in subs:
        for name, child in action.choices.items():
            yield from _leaves(child, prefix + (name,))


def test_every_command_and_every_option_has_help_text():
    parser = build_parser()
    missing = []
    for path, command in _leaves(parser):
        for action in command._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if not (action.help or "").strip():
                missing.append(f"{' '.join(path)} {'/'.join(action.option_strings) or action.dest}")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            missing += [f"{c.dest} (the command itself)" for c in action._choices_actions if not (c.help or "").strip()]
    assert len(list(_leaves(parser))) > 30
    assert missing == []


# Every command, with the least it needs; on an empty database each must print a sentence (on stdout, or on
# stderr when it refuses) and exit 0 or 2, never a traceback or nothing at all.
EMPTY_DB_RUNS = [
    ["import", "{tmp}/missing.csv"],
    ["applicants"],
    ["applicants", "--status", "declined"],
    ["set-status", "--to", "accepted", "nobody@example.org"],
    ["demo", "--remove"],
    ["skills"],
    ["merge-skill", "k8s", "Kubernetes"],
    ["suggest", "--round"],
    ["suggest", "--member", "nobody@example.org"],
    ["confirm", "a@example.org", "b@example.org"],
    ["pause", "nobody@example.org", "--until", "2099-01-01"],
    ["never-pair", "a@example.org", "b@example.org"],
    ["pairs"],
    ["pairs", "--state", "active"],
    ["advance", "1", "--to", "trial"],
    ["end-pair", "1", "--by", "a", "--reason", "time commitment"],
    ["withdraw", "nobody@example.org", "--reason", "time commitment"],
    ["cadence", "1", "--every", "2"],
    ["snooze", "1", "--until", "2099-01-01"],
    ["attention"],
    ["report", "dropouts"],
    ["report", "checkins"],
    ["checkins", "draft"],
    ["checkins", "import", "{tmp}/missing.csv"],
    ["checkins", "record", "1", "nobody@example.org", "--met", "yes", "--rating", "4"],
    ["outbox"],
    ["outbox", "--status", "sent"],
    ["send", "--all"],
    ["discard", "1"],
    ["note", "nobody@example.org", "--subject", "Hi", "--body", "Hello"],
    ["farewell-reply", "1", "Thanks"],
    ["group", "import", "{tmp}/missing.csv"],
    ["group", "diff"],
    ["group", "digest"],
    ["settings", "list"],
    ["settings", "get", "group_address"],
    ["settings", "set", "no_such_key", "1"],
    ["backup", "{tmp}/backup"],
    ["restore", "{tmp}/no-such-backup"],
    ["export", "applicants", "{tmp}/applicants.csv"],
    ["erase", "nobody@example.org"],
    ["export-member", "nobody@example.org", "{tmp}/member.json"],
]


def test_the_list_covers_every_command():
    covered = {
        tuple(run[:2]) if run[0] in ("checkins", "group", "settings", "report") else (run[0],) for run in EMPTY_DB_RUNS
    }
    commands = {
        path if path[0] in ("checkins", "group", "settings") else path[:1] for path, _ in _leaves(build_parser())
    }
    commands -= {("hash-password",)}  # asks for a password on the terminal
    assert commands - {c if c[0] != "report" else c[:1] for c in covered} == set()


@pytest.mark.parametrize("run", EMPTY_DB_RUNS, ids=lambda run: " ".join(run[:3]))
def test_on_an_empty_database_every_command_says_something(run, tmp_path, capsys):
    args = [part.replace("{tmp}", str(tmp_path)) for part in run]
    code = main(["--db", str(tmp_path / "empty.duckdb"), *args])
    out, err = capsys.readouterr()
    assert code in (0, 2)
    said = (out + err).strip() if code == 0 else err.strip()
    assert said, f"`{' '.join(run)}` printed nothing"
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("run", "hint"),
    [
        (["applicants"], "mentoring import FILE"),
        (["pairs"], "mentoring suggest --round"),
        (["suggest", "--round"], "Accept applicants first"),
        (["report", "dropouts"], "until pairs are confirmed"),
        (["outbox"], "Messages are drafted here when"),
        (["demo", "--remove"], "no demo data"),
    ],
)
def test_empty_lists_say_what_to_do_next(run, hint, tmp_path, capsys):
    assert main(["--db", str(tmp_path / "empty.duckdb"), *run]) == 0
    assert hint in capsys.readouterr().out
