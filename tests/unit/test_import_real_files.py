"""Realistic exports: several languages, encodings, date styles, Microsoft Forms, re-imports."""

import json

from lib.intake import importer, mappings
from tests.conftest import make_csv

TURKISH = [
    "Zaman damgası", "E-posta Adresi", "Adınız Soyadınız", "Mentorluk verebileceğiniz konular",
    "Öğrenmek istediğiniz konular", "Saat diliminiz", "LinkedIn profiliniz", "GitHub",
]  # fmt: skip
TURKISH_ROWS = [
    ["10.01.2026 09:00:00", "sukru@example.com", "Şükrü Işıkoğlu", "Python, Django", "Kubernetes",
     "Türkiye", "linkedin.com/in/sukru", "@sukru"],
    ["21.01.2026 18:30:00", "ayse@example.com", "Ayşe Güneş", "Go", "Rust", "GMT+3", "yok", "github.com/ayse"],
    ["03.02.2026 07:15:00", "sukru@example.com", "Şükrü Işıkoğlu", "Python, Flask", "Go",
     "Istanbul", "www.linkedin.com/in/sukru", "sukru"],
]  # fmt: skip


def _import(con, data, **kw):
    return importer.import_applications(con, data, filename="export.csv", **kw)


def _row(con, email, columns="name, offers_text, submitted_at, linkedin, github, CAST(extra AS VARCHAR)"):
    return con.execute(f"SELECT {columns} FROM applicants WHERE email = ?", [email]).fetchone()


def test_turkish_cp1254_google_forms_export(con):
    result = _import(con, make_csv(TURKISH, TURKISH_ROWS, encoding="cp1254"))
    assert result.encoding == "windows-1254" and result.date_order == "dmy"
    assert (result.inserted, result.skipped) == (2, 1)
    name, offers, submitted, linkedin, github, _ = _row(con, "sukru@example.com")
    assert (name, offers, str(submitted)) == ("Şükrü Işıkoğlu", "Python, Flask", "2026-02-03 07:15:00")
    assert (linkedin, github) == ("https://www.linkedin.com/in/sukru", "https://github.com/sukru")
    _, _, _, linkedin, github, extra = _row(con, "ayse@example.com")
    assert linkedin is None and github == "https://github.com/ayse"
    assert json.loads(extra)["LinkedIn profiliniz"] == "yok"  # not a link: kept as text


def test_uk_export_reads_day_first_from_the_values(con):
    header = ["Timestamp", "Email Address", "Full name", "Offers", "Wants"]
    rows = [
        ["13/01/2026 09:00:00", "a@x.org", "Ann", "Go", "Rust"],
        ["02/01/2026 10:00:00", "b@x.org", "Bo", "Go", "C"],
    ]
    result = _import(con, make_csv(header, rows))
    assert result.date_order == "dmy" and not [w for w in result.warnings if "day-first" in w]
    assert str(_row(con, "b@x.org")[2]) == "2026-01-02 10:00:00"


def test_ambiguous_dates_warn_and_the_override_decides(con):
    header = ["Marca temporal", "Dirección de correo electrónico", "Nombre completo", "Offers", "Wants"]
    rows = [["01/02/2026 9:00:00", "a@x.org", "Ana", "Go", "Rust"]]
    result = _import(con, make_csv(header, rows))
    assert result.date_order == "dmy" and any("--dates mdy" in w for w in result.warnings)
    assert str(_row(con, "a@x.org")[2]) == "2026-02-01 09:00:00"
    chosen = _import(con, make_csv(header, [["01/02/2026 9:00:00", "b@x.org", "Bea", "Go", "C"]]), date_order="mdy")
    assert chosen.date_order == "mdy" and not any("day-first" in w for w in chosen.warnings)
    assert str(_row(con, "b@x.org")[2]) == "2026-01-02 09:00:00"


def test_anonymous_microsoft_forms_export(con):
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Your name", "Your email address",
              "What can you offer?", "What do you want to learn?", "Time zone"]  # fmt: skip
    rows = [
        ["1", "1/13/2026 8:55:00", "1/13/2026 9:00:00", "anonymous", "", "Jörg Müller", "jorg@example.de",
         "SQL", "dbt", "W. Europe Standard Time"],
        ["2", "1/14/2026 8:55:00", "1/14/2026 9:00:00", "anonymous", "", "Zoë Li", "zoe@example.org",
         "Go", "Rust", "somewhere nice"],
    ]  # fmt: skip
    result = _import(con, make_csv(header, rows))
    assert result.inserted == 2 and result.date_order == "mdy"
    assert _row(con, "jorg@example.de", "name, submitted_at")[0] == "Jörg Müller"
    assert str(_row(con, "zoe@example.org", "submitted_at")[0]) == "2026-01-14 09:00:00"
    assert [z["answer"] for z in result.unknown_timezones] == ["somewhere nice"]
    assert result.unknown_timezones[0]["rows"] == [3]
    assert "1 time-zone answers were not understood and are stored as unknown." in result.warnings


def test_missing_wants_column_is_reported(con):
    result = _import(con, make_csv(["Email", "Name", "Offers"], [["a@x.org", "Ann", "Go"]]))
    report = result.as_json()
    assert "wants" in report["missing_fields"] and any("(wants)" in w for w in report["warnings"])


def test_reimport_with_a_column_unmapped_keeps_stored_values(con):
    header = ["Timestamp", "Email", "Name", "Offers", "Wants"]
    data = make_csv(header, [["2026-01-13 09:00:00", "a@x.org", "Ann", "Go", "Rust, Kafka"]])
    _import(con, data)
    result = _import(con, data, choices={"wants": None, "submitted_at": None})
    assert result.updated == 1  # the unmapped columns are now extra answers
    wants, submitted = _row(con, "a@x.org", "wants_text, submitted_at")
    assert wants == "Rust, Kafka" and str(submitted) == "2026-01-13 09:00:00"
    words = con.execute("SELECT count(*) FROM applicant_skills WHERE kind = 'want'").fetchone()[0]
    assert words == 2


def test_a_later_undated_row_wins_over_an_earlier_dated_one(con):
    header = ["Timestamp", "Email", "Name", "Offers"]
    rows = [["2026-01-13 09:00:00", "a@x.org", "Ann", "Go"], ["", "a@x.org", "Ann", "Rust"]]
    _import(con, make_csv(header, rows))
    assert _row(con, "a@x.org", "offers_text")[0] == "Rust"


def test_dated_rows_still_order_by_time(con):
    header = ["Timestamp", "Email", "Name", "Offers"]
    rows = [["2026-01-14 09:00:00", "a@x.org", "Ann", "Go"], ["2026-01-13 09:00:00", "a@x.org", "Ann", "Rust"]]
    _import(con, make_csv(header, rows))
    assert _row(con, "a@x.org", "offers_text")[0] == "Go"


def test_a_chosen_mapping_is_remembered_for_the_same_header(con):
    header = ["Email", "Name", "Things", "Stuff"]
    rows = [["a@x.org", "Ann", "Go", "Rust"]]
    _import(con, make_csv(header, rows), choices={"offers": "Things", "wants": "Stuff"})
    again = _import(con, make_csv(header, [["b@x.org", "Bo", "C", "Zig"]]))
    assert again.mapping["Stuff"] == "wants" and again.mapping["Things"] == "offers"
    assert importer.remembered_mapping(con, header)["Stuff"] == "wants"


def test_parenthesised_skill_list_is_stored_whole_not_as_fragments(con):
    header = ["Timestamp", "Email Address", "Full name", "Offers", "Wants"]
    _import(con, make_csv(header, [["13/01/2026 09:00:00", "a@x.org", "Ann", "Backend (PHP, NodeJS, Go), Rust", "Go"]]))
    raws = {r for (r,) in con.execute("SELECT raw FROM applicant_skills WHERE kind = 'offer'").fetchall()}
    assert raws == {"Backend (PHP, NodeJS, Go)", "Rust"}  # no "Backend (PHP" or "Go)"
    skills = {
        s
        for (s,) in con.execute(
            "SELECT s.name FROM applicant_skills a JOIN skills s ON s.id = a.skill_id WHERE kind = 'offer'"
        ).fetchall()
    }
    assert {"Backend development", "PHP", "Node.js", "Go", "Rust"} <= skills


def test_wanted_skills_headers_in_several_languages(con):
    for i, wants in enumerate(["Compétences souhaitées", "Habilidades deseadas", "Habilidades desejadas",
                               "Gewünschte Fähigkeiten", "Desired skills"]):  # fmt: skip
        header = ["Horodateur", "Adresse e-mail", "Nom complet", "Compétences offertes", wants]
        result = _import(con, make_csv(header, [["13/01/2026 09:00:00", f"p{i}@x.org", "Noël", "Java", "Go"]],
                                       encoding="cp1252", delimiter=";"))  # fmt: skip
        assert result.mapping.get(wants) == "wants" and "wants" not in mappings.missing_fields(result.mapping)
