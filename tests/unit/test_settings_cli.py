"""`settings get/set/list`: documented keys only, values parsed and stored, refusals in one sentence."""

from __future__ import annotations

import json

import pytest

from lib import cli
from lib.messages import outbox, settings
from lib.storage import db


def run(path, *args):
    return cli.main(["--db", str(path), *args])


def test_get_prints_the_default_until_a_value_is_set(tmp_path, capsys):
    path = tmp_path / "m.duckdb"
    assert run(path, "settings", "get", "checkin_pulse_weeks") == 0
    assert capsys.readouterr().out.strip() == "4"
    assert run(path, "settings", "set", "checkin_pulse_weeks", "6") == 0
    assert run(path, "settings", "get", "checkin_pulse_weeks") == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "6"


@pytest.mark.parametrize(
    ("key", "typed", "stored"),
    [
        ("group_address", " Mentoring@GoogleGroups.com ", "mentoring@googlegroups.com"),
        ("digest_weekday", "fri", "Friday"),
        ("digest_weekday", "SUNDAY", "Sunday"),
        ("checkin_trial_days", "10", 10),
        (
            "checkin_form_url",
            "https://docs.google.com/forms/d/e/x/viewform",
            "https://docs.google.com/forms/d/e/x/viewform",
        ),
    ],
)
def test_values_are_parsed_before_they_are_stored(tmp_path, key, typed, stored):
    path = tmp_path / "m.duckdb"
    assert run(path, "settings", "set", key, typed) == 0
    con = db.connect(path)
    try:
        assert settings.get(con, key) == stored
    finally:
        con.close()


def test_send_cap_is_the_outbox_cap(tmp_path):
    path = tmp_path / "m.duckdb"
    assert run(path, "settings", "set", "send_cap", "25") == 0
    con = db.connect(path)
    try:
        assert outbox.hourly_cap(con) == 25
    finally:
        con.close()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["set", "group_adress", "x@y.org"], "the settings are group_address, digest_weekday"),
        (["get", "colour"], "'colour' is not a setting"),
        (["set", "group_address", "not an address"], "is not an email address"),
        (["set", "digest_weekday", "someday"], "is not a weekday"),
        (["set", "checkin_pulse_weeks", "0"], "from 1 to 26"),
        (["set", "checkin_form_url", "javascript:alert(1)"], "starting with https://"),
    ],
)
def test_refusals_name_what_is_wrong_and_store_nothing(tmp_path, capsys, args, words):
    path = tmp_path / "m.duckdb"
    assert run(path, "settings", "set", "digest_weekday", "Tuesday") == 0
    capsys.readouterr()
    assert run(path, "settings", *args) == 2
    assert words in capsys.readouterr().err
    con = db.connect(path)
    try:
        assert settings.get(con, "digest_weekday") == "Tuesday"
        assert settings.get(con, "group_address") is None
    finally:
        con.close()


def test_an_empty_value_restores_the_default_and_list_shows_every_key(tmp_path, capsys):
    path = tmp_path / "m.duckdb"
    run(path, "settings", "set", "checkin_trial_days", "3")
    run(path, "settings", "set", "checkin_trial_days", "")
    capsys.readouterr()
    assert run(path, "settings", "list", "--json") == 0
    values = json.loads(capsys.readouterr().out)
    assert set(values) == set(settings.KNOWN)
    assert values["checkin_trial_days"] == 7
