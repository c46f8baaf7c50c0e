"""Free times and weekly budget read from forms: grids, day columns, free text, budgets; stored as local slots."""

import json

import pytest

from lib.intake import availability, importer
from lib.members import applicants
from tests.conftest import FIXTURES, make_csv

GRID = "When are you usually free for a call? (your local time)"


def _slots(text: str) -> str:
    """Slots as 'mon 18:00-22:00' strings, to compare in one line."""
    found = availability.parse_availability(text)
    return "" if found is None else ", ".join(f"{s['day']} {s['start']}-{s['end']}" for s in found)


def _stored(con, email: str):
    row = con.execute(
        "SELECT CAST(availability AS VARCHAR), availability_text, hours_per_week, budget_text FROM applicants "
        "WHERE email = ?",
        [email],
    ).fetchone()
    return (json.loads(row[0]) if row[0] else None, *row[1:])


def _import(con, data: bytes, **kw):
    return importer.import_applications(con, data, filename="export.csv", **kw)


def test_a_google_forms_grid_keeps_each_columns_day_and_the_labels_hours():
    answers = [
        (f"{GRID} [Monday]", "Morning (8:00-12:00), Evening (18:00-22:00)"),
        (f"{GRID} [Tuesday]", ""),
        (f"{GRID} [Saturday]", "Afternoon (13:00-17:30)"),
    ]
    assert availability.read_availability(answers) == [
        {"day": "mon", "start": "08:00", "end": "12:00"},
        {"day": "mon", "start": "18:00", "end": "22:00"},
        {"day": "sat", "start": "13:00", "end": "17:30"},
    ]


def test_a_direct_forms_csv_joins_ticks_with_semicolons_and_overlaps_merge():
    answers = [(f"{GRID} [Friday]", "Afternoon (12:00-18:00);Evening (17:00-22:00)")]
    assert availability.read_availability(answers) == [{"day": "fri", "start": "12:00", "end": "22:00"}]


@pytest.mark.parametrize(
    "label",
    ["Evening (18:00-22:00)", "Evening (18-22)", "Evening 6pm-10pm", "Evening (6-10pm)", "Soirée (18h-22h)",
     "Abend (18.00–22.00)", "Noche (de 18 a 22)", "Akşam (18:00 - 22:00)", "Evening"],
)  # fmt: skip
def test_hour_ranges_are_read_from_option_labels_in_every_style(label):
    assert availability.read_availability([(f"{GRID} [Wednesday]", label)]) == [
        {"day": "wed", "start": "18:00", "end": "22:00"}
    ]


@pytest.mark.parametrize(
    "part, hours",
    [("Morning", "08:00-12:00"), ("Afternoon", "12:00-18:00"), ("Evening", "18:00-22:00"),
     ("Night", "20:00-24:00"), ("Late evening", "20:00-24:00"), ("Lunch break", "12:00-14:00"),
     ("Mañana", "08:00-12:00"), ("Nachmittag", "12:00-18:00"), ("Sabah", "08:00-12:00"), ("Sera", "18:00-22:00")],
)  # fmt: skip
def test_parts_of_the_day_without_hours_get_the_documented_defaults(part, hours):
    assert _slots(f"Thursday {part}") == f"thu {hours}"


@pytest.mark.parametrize(
    "title, day",
    [("Monday", "mon"), ("Lunes", "mon"), ("Segunda-feira", "mon"), ("Lundi", "mon"), ("Montag", "mon"),
     ("Pazartesi", "mon"), ("Lunedì", "mon"), ("Mon", "mon"), ("Mi", "wed"), ("Çarşamba", "wed"),
     ("Cumartesi", "sat"), ("Cuma", "fri"), ("Sábado", "sat"), ("Domingo", "sun"), ("Sonntag", "sun"),
     ("Pazar", "sun"), (f"{GRID} [Sat]", "sat"), ("Quinta-feira", "thu"), ("Giovedì", "thu")],
)  # fmt: skip
def test_day_columns_are_named_in_many_languages(title, day):
    assert availability.read_availability([(title, "Evening (18:00-22:00)")]) == [
        {"day": day, "start": "18:00", "end": "22:00"}
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("weekday evenings", "mon 18:00-22:00, tue 18:00-22:00, wed 18:00-22:00, thu 18:00-22:00, fri 18:00-22:00"),
        ("Sat mornings", "sat 08:00-12:00"),
        ("Mon-Wed after 19:00", "mon 19:00-22:00, tue 19:00-22:00, wed 19:00-22:00"),
        ("weekends", "sat 08:00-22:00, sun 08:00-22:00"),
        ("Mon, Wed evenings", "mon 18:00-22:00, wed 18:00-22:00"),
        ("Sat mornings and Sun afternoons", "sat 08:00-12:00, sun 12:00-18:00"),
        ("Fri 22:00-01:00", "fri 22:00-24:00, sat 00:00-01:00"),
        ("Sunday 11pm-1am", "mon 00:00-01:00, sun 23:00-24:00"),
        ("Tuesdays at 7pm", "tue 19:00-20:00"),
        ("before 9am on weekdays", "mon 07:00-09:00, tue 07:00-09:00, wed 07:00-09:00, thu 07:00-09:00, "
         "fri 07:00-09:00"),
        ("Saturday 10-2", "sat 10:00-14:00"),
        ("lunes a miércoles de 19 a 21 h", "mon 19:00-21:00, tue 19:00-21:00, wed 19:00-21:00"),
        ("Montag bis Mittwoch ab 19 Uhr", "mon 19:00-22:00, tue 19:00-22:00, wed 19:00-22:00"),
        ("samedi matin, dimanche après-midi", "sat 08:00-12:00, sun 12:00-18:00"),
        ("sábado de manhã", "sat 08:00-12:00"),
        ("hafta sonu sabah", "sat 08:00-12:00, sun 08:00-12:00"),
        ("sabato pomeriggio", "sat 12:00-18:00"),
        ("anytime except Sunday", "mon 08:00-22:00, tue 08:00-22:00, wed 08:00-22:00, thu 08:00-22:00, "
         "fri 08:00-22:00, sat 08:00-22:00"),
    ],
)  # fmt: skip
def test_free_text_answers(text, expected):
    assert _slots(text) == expected


def test_zone_words_in_an_answer_are_ignored():
    every_evening = ", ".join(f"{d} 18:00-22:00" for d in availability.DAYS)
    assert _slots("evenings CET") == every_evening
    assert _slots("evenings (GMT+5:30)") == every_evening


@pytest.mark.parametrize("text", ["anytime", "Flexible", "any time", "Jederzeit", "cualquier momento", "her zaman"])
def test_anytime_is_every_day_from_8_to_22(text):
    assert _slots(text) == ", ".join(f"{d} 08:00-22:00" for d in availability.DAYS)


@pytest.mark.parametrize("text", ["", "   ", "not sure", "depends on work", "?", "n/a", "no sé", "weiß nicht"])
def test_answers_that_say_nothing_are_unknown_never_never_free(text):
    assert availability.parse_availability(text) is None


def test_a_grid_left_blank_or_ticked_no_is_unknown():
    assert availability.read_availability([(f"{GRID} [{d}]", "") for d in ("Monday", "Tuesday")]) is None
    assert availability.read_availability([("Monday", "No"), ("Tuesday", "-")]) is None


def test_a_day_column_answered_yes_is_that_whole_day():
    assert availability.read_availability([("Monday", "Yes"), ("Dienstag", "x"), ("Miércoles", "No")]) == [
        {"day": "mon", "start": "08:00", "end": "22:00"},
        {"day": "tue", "start": "08:00", "end": "22:00"},
    ]


def test_a_days_column_and_a_times_column_are_crossed():
    answers = [("Which days are you free?", "Monday, Wednesday"), ("What time of day?", "Evening")]
    assert availability.read_availability(answers) == [
        {"day": "mon", "start": "18:00", "end": "22:00"},
        {"day": "wed", "start": "18:00", "end": "22:00"},
    ]


def test_a_grid_with_times_as_rows_takes_the_days_from_the_cells():
    answers = [(f"{GRID} [Morning (9-12)]", "Monday, Friday"), (f"{GRID} [Evening]", "Sunday")]
    assert availability.read_availability(answers) == [
        {"day": "mon", "start": "09:00", "end": "12:00"},
        {"day": "fri", "start": "09:00", "end": "12:00"},
        {"day": "sun", "start": "18:00", "end": "22:00"},
    ]


def test_answers_as_written_keep_each_rows_label():
    answers = [(f"{GRID} [Monday]", "Evening (18:00-22:00)"), (f"{GRID} [Tuesday]", " ")]
    assert availability.answers_text(answers) == "Monday: Evening (18:00-22:00)"
    assert availability.answers_text([("Availability", " weekday evenings ")]) == "weekday evenings"
    assert availability.answers_text([("Availability", "")]) is None


@pytest.mark.parametrize(
    "text, hours",
    [("1 hour", 1.0), ("2 hours", 2.0), ("1-2 hours", 1.0), ("1 to 2 hours", 1.0), ("30 minutes", 0.5),
     ("1 hour every two weeks", 0.5), ("1h/week", 1.0), ("90 min", 1.5), ("an hour a fortnight", 0.5),
     ("2 horas por semana", 2.0), ("1 Stunde pro Woche", 1.0), ("30 dakika", 0.5), ("1h30", 1.5),
     ("1 hour 30 minutes", 1.5), ("an hour and a half", 1.5), ("half an hour", 0.5), ("2+ hours", 2.0),
     ("at least 3 hours", 3.0), ("30-60 minutes", 0.5), ("bir buçuk saat", 1.5), ("una hora y media", 1.5),
     ("une heure par semaine", 1.0), ("2 ore a settimana", 2.0), ("2 Stunden alle zwei Wochen", 1.0),
     ("30 minutes a day", 3.5), ("4 hours a month", 0.92), ("uma hora quinzenal", 0.5), ("2", 2.0),
     ("1,5", 1.5), ("1-2", 1.0), ("0 hours", 0.0)],
)  # fmt: skip
def test_budget_in_hours_a_week_keeping_a_ranges_lower_end(text, hours):
    assert availability.parse_budget(text) == hours


@pytest.mark.parametrize(
    "text",
    ["", "not sure", "depends", "as much as needed", "flexible", "up to 2 hours", "less than an hour",
     "max 3h", "hasta 2 horas", "weniger als eine Stunde", "100 hours", "30", "every week", "weiß nicht"],
)  # fmt: skip
def test_budget_refuses_to_guess(text):
    assert availability.parse_budget(text) is None


def test_google_forms_grid_across_the_date_line_stores_local_slots(con):
    result = _import(con, (FIXTURES / "csv" / "google_forms_availability_grid_bom.csv").read_bytes())
    assert result.encoding == "utf-8-sig" and result.inserted == 4
    assert len(result.as_json()["mapping"]["availability"]) == 7
    assert result.as_json()["mapping"]["budget"] == "How much time per week can you give?"
    aroha, text, hours, budget = _stored(con, "aroha@example.nz")  # Pacific/Auckland, UTC+13 in November
    assert aroha == [
        {"day": "mon", "start": "08:00", "end": "12:00"},
        {"day": "wed", "start": "08:00", "end": "12:00"},
        {"day": "sat", "start": "08:00", "end": "18:00"},
    ]
    assert text.splitlines()[0] == "Monday: Morning (8:00-12:00)" and (hours, budget) == (1.0, "1-2 hours")
    dana = _stored(con, "dana@example.com")  # America/Los_Angeles: Monday evening is Tuesday in UTC
    assert dana[0][0] == {"day": "mon", "start": "18:00", "end": "22:00"} and dana[2] == 0.5
    teuea = _stored(con, "teuea@example.ki")  # Pacific/Kiritimati, UTC+14
    assert teuea[0] == [
        {"day": "fri", "start": "12:00", "end": "22:00"},
        {"day": "sat", "start": "08:00", "end": "12:00"},
        {"day": "sun", "start": "08:00", "end": "12:00"},
    ]
    assert teuea[2] == 1.5
    assert _stored(con, "zoe@example.fr") == (None, None, None, None)


def test_microsoft_forms_day_columns_utf16_in_spanish(con):
    result = _import(con, (FIXTURES / "csv" / "microsoft_forms_days_utf16.csv").read_bytes())
    assert result.encoding == "utf-16" and result.inserted == 3
    assert result.as_json()["mapping"]["availability"][0] == "Lunes"
    sofia = _stored(con, "sofia@example.mx")
    assert [(s["day"], s["start"], s["end"]) for s in sofia[0]] == [
        ("mon", "19:00", "22:00"), ("wed", "19:00", "22:00"), ("sat", "09:00", "13:00"), ("sat", "15:00", "19:00"),
    ]  # fmt: skip
    assert sofia[2:] == (2.0, "2 horas por semana")
    inaki = _stored(con, "inaki@example.ki")  # Pacific/Kiritimati
    assert [s["day"] for s in inaki[0]] == ["tue", "thu"] and inaki[2] == 0.5
    assert _stored(con, "ana@example.es") == (None, None, None, "no sé")  # the answer kept, the hours unknown


def test_german_spreadsheet_days_and_times_columns_cp1252(con):
    result = _import(con, (FIXTURES / "csv" / "spreadsheet_days_times_cp1252.csv").read_bytes())
    assert result.encoding == "windows-1252" and result.inserted == 3
    assert result.as_json()["mapping"]["availability"] == ["An welchen Tagen hast du Zeit?", "Zu welcher Uhrzeit?"]
    jorg = _stored(con, "jorg@example.de")
    assert jorg[0] == [
        {"day": "mon", "start": "18:00", "end": "22:00"},
        {"day": "wed", "start": "18:00", "end": "22:00"},
    ]
    assert jorg[1] == "An welchen Tagen hast du Zeit?: Montag, Mittwoch\nZu welcher Uhrzeit?: abends (18-22 Uhr)"
    assert _stored(con, "grete@example.at")[2] == 1.0  # 2 hours every two weeks
    lars = _stored(con, "lars@example.ch")
    assert [s["day"] for s in lars[0]] == ["tue", "wed", "thu"] and lars[2] is None


def test_turkish_free_text_cp1254(con):
    header = [
        "Zaman damgası",
        "E-posta Adresi",
        "Adınız Soyadınız",
        "Uygunluk durumunuz",
        "Haftada kaç saat ayırabilirsiniz?",
    ]
    rows = [["10.11.2026 09:00:00", "sukru@example.com", "Şükrü Işık", "Hafta içi akşamları", "2 saat"],
            ["11.11.2026 09:00:00", "ayse@example.com", "Ayşe Güneş", "Cumartesi sabah", "30 dakika"]]  # fmt: skip
    result = _import(con, make_csv(header, rows, encoding="cp1254"))
    assert result.encoding == "windows-1254"
    assert [s["day"] for s in _stored(con, "sukru@example.com")[0]] == ["mon", "tue", "wed", "thu", "fri"]
    assert _stored(con, "ayse@example.com")[0] == [{"day": "sat", "start": "08:00", "end": "12:00"}]
    assert _stored(con, "ayse@example.com")[2] == 0.5


def test_reimport_updates_changed_answers_and_leaves_the_same_ones_alone(con):
    header = ["Email", "Name", "Availability", "Hours per week"]
    _import(con, make_csv(header, [["a@x.org", "Ann", "weekday evenings", "1 hour"], ["b@x.org", "Bo", "", ""]]))
    before = con.execute("SELECT email, updated_at FROM applicants ORDER BY email").fetchall()
    again = _import(
        con, make_csv(header, [["a@x.org", "Ann", "weekday evenings", "1 hour"], ["b@x.org", "Bo", "", ""]])
    )
    assert (again.updated, again.unchanged) == (0, 2)
    assert con.execute("SELECT email, updated_at FROM applicants ORDER BY email").fetchall() == before
    changed = _import(
        con, make_csv(header, [["a@x.org", "Ann", "Sat mornings", "2 hours"], ["b@x.org", "Bo", "anytime", ""]])
    )
    assert (changed.updated, changed.unchanged) == (2, 0)
    assert _stored(con, "a@x.org") == (
        [{"day": "sat", "start": "08:00", "end": "12:00"}],
        "Sat mornings",
        2.0,
        "2 hours",
    )
    assert len(_stored(con, "b@x.org")[0]) == 7


def test_a_file_without_the_columns_keeps_what_is_stored(con):
    _import(con, make_csv(["Email", "Name", "Availability", "Hours per week"], [["a@x.org", "Ann", "Sat", "1 hour"]]))
    later = _import(con, make_csv(["Email", "Name"], [["a@x.org", "Ann"]]))
    assert later.unchanged == 1
    assert _stored(con, "a@x.org")[2:] == (1.0, "1 hour") and _stored(con, "a@x.org")[0][0]["day"] == "sat"


def test_rows_without_free_times_keep_the_hash_they_had_before_free_times_existed(con):
    _import(con, (FIXTURES / "csv" / "google_forms_bom.csv").read_bytes())
    old_formula = (
        "md5(CAST(to_json([name, linkedin, github, other_links, goals, offers_text, wants_text, timezone, "
        "experience_text, submitted_text, CAST(extra AS VARCHAR)]) AS VARCHAR))"
    )
    rows = con.execute(f"SELECT content_hash = {old_formula} FROM applicants").fetchall()
    assert rows and all(same for (same,) in rows)


def test_the_applicants_list_shows_free_times_and_budget_readably(con):
    header = ["Email", "Name", "Availability", "Hours per week"]
    rows = [["a@x.org", "Ann", "weekday evenings, Sat 8-12", "90 min"], ["b@x.org", "Bo", "not sure", ""]]
    _import(con, make_csv(header, rows))
    table = applicants.list_applicants(con).set_index("email")
    assert table.loc["a@x.org", "free_times"] == "Mon-Fri 18-22, Sat 8-12"
    assert table.loc["a@x.org", "weekly_budget"] == "1.5 h/week" and table.loc["a@x.org", "hours_per_week"] == 1.5
    assert table.loc["b@x.org", "free_times"] == "" and table.loc["b@x.org", "weekly_budget"] == ""
    assert applicants.describe_budget(0.5) == "30 min/week"


def test_the_demo_has_free_times_and_budgets_for_most_members(con):
    from lib import demo

    assert demo.demo_csv() == demo.demo_csv()
    demo.load_demo(con)
    total, free, budget = con.execute(
        "SELECT count(*), count(availability), count(hours_per_week) FROM applicants WHERE is_demo"
    ).fetchone()
    assert 0.7 < free / total < 0.9 and 0.6 < budget / total < 0.9
    days = {
        d
        for (d,) in con.execute(
            "SELECT DISTINCT unnest(from_json(availability, '[\"JSON\"]')) ->> 'day' FROM applicants"
        ).fetchall()
    }
    assert days == set(availability.DAYS)
