"""Names (issue 20 item 4): cleaned at import, refused with a sentence, first names with a fallback,
and generated names through the whole path (import, round, suggestions, introduction, nudges, pages).

The fuzz tests run FUZZ_EXAMPLES examples (25 by default; `make fuzz` raises it), pages on a few."""

import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from lib import startup
from lib.errors import ImportRefused
from lib.intake import importer, names
from lib.matching import rounds
from lib.members import applicants
from lib.messages import outbox
from lib.pair_life import attention, pairs
from tests.conftest import ROOT, make_csv

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
PAGE_EXAMPLES = max(1, EXAMPLES // 25)  # and the explicit example: every page is about 1 s
HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?"]
PAGES = [None, *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]
# Characters that broke or could break a name: whitespace of every kind, controls, zero-width and
# direction marks, bidi overrides, combining marks, blank-looking letters, a BOM, a Markdown star.
HOSTILE = "\t\r\n\x0b\x0c\x1c\x85\xa0\u2028\u2029\u3000 \x00\x07\x1b\x7f\x9b\u200b\u200c\u200d\u200e\u200f"
HOSTILE += "\u202a\u202e\u2066\u2069\u061c\ufeff\u0301\u0308\u034f\u3164\u2800*{}$<>"
hostile_names = st.one_of(
    st.text(max_size=30),
    st.text(st.sampled_from(HOSTILE), max_size=8),
    st.text(st.one_of(st.characters(), st.sampled_from(HOSTILE)), max_size=40),
    st.sampled_from(["\t", "\u200b\u200e", "", "x" * 300, "\x07", "Eve\r\nBcc: x", "李雷", "Zoë", "\u202eevil"]),
)


@pytest.mark.parametrize(
    "written, stored",
    [
        ("Eve\r\nBcc: x", "Eve Bcc: x"),
        ("  Ana   María  ", "Ana María"),
        ("李雷", "李雷"),
        ("Zoë", "Zoë"),
        ("Zoe\u0308", "Zoe\u0308"),  # decomposed, kept as written (no normalisation)
        ("Ñuño", "Ñuño"),
        ("محمد\u200f علي", "محمد\u200f علي"),
        ("Ann\tLee\u2028Smith\xa0Jr", "Ann Lee Smith Jr"),
        ("Bell\x07e", "Belle"),
        ("x" * 200, "x" * 200),
    ],
)
def test_names_are_kept_as_written_on_one_line(written, stored):
    assert names.clean_name(written) == (stored, None)


@pytest.mark.parametrize(
    "written, reason",
    [
        ("", names.NO_NAME),
        ("\t", names.NO_NAME),
        ("\r\n \u3000", names.NO_NAME),
        (None, names.NO_NAME),
        ("\u200b\u200e", names.INVISIBLE),
        ("\x07", names.INVISIBLE),
        ("\u202e\u2066", names.INVISIBLE),
        ("\u0301\u0308", names.INVISIBLE),
        ("\u3164 \u2800", names.INVISIBLE),
        ("x" * 201, names.TOO_LONG),
    ],
)
def test_empty_invisible_and_long_names_are_refused_with_a_sentence(written, reason):
    assert names.clean_name(written) == (None, reason)
    assert reason[0].isupper() and "\n" not in reason


@pytest.mark.parametrize(
    "full, first",
    [
        ("Ana María López", "Ana"),
        ("\u200b Zoë", "Zoë"),
        ("李雷", "李雷"),
        ("\t", "there"),
        ("", "there"),
        (None, "there"),
    ],
)
def test_first_name_is_the_first_visible_word_or_the_fallback(full, first):
    assert names.first_name(full) == first


@pytest.mark.parametrize(
    ("a", "b", "named"),
    [
        ("Omar Haddad", "Ana Lee", ("Omar", "Ana")),
        ("Omar Haddad", "omar  Farouk", ("Omar Haddad", "omar Farouk")),  # first names the same, case aside
        ("Omar Ali", "Omar Ali", ("Omar Ali (o1@x.org)", "Omar Ali (o2@x.org)")),  # whole names too: the emails
        ("Zoë", "ZOË  Kim", ("Zoë", "ZOË Kim")),
        ("\t", "\u200b", ("o1@x.org", "o2@x.org")),  # no name at all: the emails, as first_name gives them
    ],
)
def test_two_members_in_one_message_are_never_the_same_name(a, b, named):
    assert names.pair_first_names(a, b, a_fallback="o1@x.org", b_fallback="o2@x.org") == named


def test_an_introduction_of_two_omars_names_them_whole(con):
    rows = [["a@x.org", "Omar Haddad", "Go", "Rust"], ["b@x.org", "Omar Farouk", "Rust", "Go"]]
    importer.import_applications(con, make_csv(HEADER, rows), filename="n.csv", status="accepted")
    pairing = pairs.confirm_pair(con, "a@x.org", "b@x.org")["id"]
    email = _introduction(con, pairing)
    assert email["subject"] == "Omar Haddad and Omar Farouk: your peer-mentoring match"
    assert "Omar can help Omar" not in email["body"] and "Omar Haddad" in email["body"]
    row = pd.Series(pairs.pairing(con, pairing))
    assert attention.nudge_text("no_trial", row).startswith("Hi Omar Haddad and Omar Farouk,")


def test_import_rejects_bad_names_with_their_sentences_and_stores_good_ones_cleaned(con):
    written = ["\t", "\u200b\u200e", "", "x" * 300, "\x07", "Eve\r\nBcc: x", "李雷", "Zoë", "Ñuño", "  Ana   María  "]
    rows = [[f"m{i}@x.org", name, "Go", "Rust"] for i, name in enumerate(written)]
    result = importer.import_applications(con, make_csv(HEADER, rows), filename="n.csv")
    assert [(r["row"], r["reason"]) for r in result.rejected] == [
        (2, names.NO_NAME),
        (3, names.INVISIBLE),
        (4, names.NO_NAME),
        (5, names.TOO_LONG),
        (6, names.INVISIBLE),
    ]
    assert list(importer.rejects_table(con, result.import_id)["Name"]) == written[:5]
    stored = dict(con.execute("SELECT email, name FROM applicants").fetchall())
    assert stored == {
        "m5@x.org": "Eve Bcc: x",
        "m6@x.org": "李雷",
        "m7@x.org": "Zoë",
        "m8@x.org": "Ñuño",
        "m9@x.org": "Ana María",
    }


def test_first_and_last_name_columns_are_joined_then_cleaned(con):
    header = ["Email", "First name", "Last name"]
    rows = [["a@x.org", " Ana\t", "María\r\n"], ["b@x.org", "", "Lee"], ["c@x.org", "\u200b", "\t"]]
    result = importer.import_applications(con, make_csv(header, rows), filename="n.csv")
    assert [r["reason"] for r in result.rejected] == [names.INVISIBLE]
    assert dict(con.execute("SELECT email, name FROM applicants").fetchall()) == {
        "a@x.org": "Ana María",
        "b@x.org": "Lee",
    }


def test_a_stored_name_with_no_first_word_no_longer_breaks_matching(con):
    # Names stored before import cleaned them (the tab that crashed the round for everyone).
    rows = [["a@x.org", "Ann Lee", "Go", "Rust"], ["b@x.org", "Bo Kim", "Rust", "Go"]]
    importer.import_applications(con, make_csv(HEADER, rows), filename="a.csv", status="accepted")
    con.execute("UPDATE applicants SET name = chr(9) WHERE email = 'b@x.org'")
    assert len(rounds.suggest_round(con).pairs) == 1
    reasons = rounds.suggest_partners(con, "a@x.org").iloc[0]["reasons"]
    assert reasons[:2] == ["Ann teaches b@x.org Go", "b@x.org teaches Ann Rust"]
    pairing = pairs.confirm_pair(con, "a@x.org", "b@x.org")["id"]
    email = _introduction(con, pairing)
    assert email["subject"] == "Ann and b@x.org: your peer-mentoring match"
    row = pd.Series(pairs.pairing(con, pairing))
    assert attention.nudge_text("no_trial", row).startswith("Hi Ann and there,")


FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(st.lists(hostile_names, min_size=2, max_size=6))
@example(["\t", "Eve\r\nBcc: x", "\u200b\u200e", "李雷", "\u202eevil", "Zoë", "Ñuño"])
def test_generated_names_go_through_the_whole_path(tmp_path_factory, written):
    con = startup.open_database(tmp_path_factory.mktemp("names") / "m.duckdb")
    try:
        _whole_path(con, written)
    finally:
        con.close()


@settings(max_examples=PAGE_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(hostile_names, min_size=2, max_size=4))
@example(["\t", "Eve\r\nBcc: x", "李雷", "\u202eevil", "Zoë **x**"])
def test_generated_names_open_every_page(tmp_path_factory, written):
    path = tmp_path_factory.mktemp("pages") / "m.duckdb"
    con = startup.open_database(path)
    try:
        _whole_path(con, written)
    finally:
        con.close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MENTORING_DB", str(path))
        for page in PAGES:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            at.run()
            if page:
                at.switch_page(page).run()
            assert not at.exception and not at.error, (page, [e.value for e in (*at.exception, *at.error)])


def _whole_path(con, written: list[str]) -> None:
    """Import (accepted), check each row, run the round and every member's suggestions, confirm a
    pair, write its introduction and every nudge."""
    rows = [[f"m{i}@x.org", name, *(["Go", "Rust"] if i % 2 else ["Rust", "Go"])] for i, name in enumerate(written)]
    try:
        result = importer.import_applications(con, make_csv(HEADER, rows), filename="f.csv", status="accepted")
    except ImportRefused as refused:  # a NUL byte makes the whole file binary (lib.intake.csvfile)
        assert "\x00" in "".join(written) and str(refused).startswith("The file holds binary data")
        return
    rejects = importer.rejects_table(con, result.import_id)
    reasons = dict(zip(rejects["Email"], rejects["Problem"])) if len(rejects) else {}
    stored = dict(con.execute("SELECT email, name FROM applicants").fetchall())
    for i, name in enumerate(written):
        cleaned, reason = names.clean_name(name)
        assert (stored.get(f"m{i}@x.org"), reasons.get(f"m{i}@x.org")) == (cleaned, reason)
    found = rounds.suggest_round(con)
    assert set(found.unmatched["reason"].map(bool)) <= {True}
    for email in stored:
        assert all(rounds.suggest_partners(con, email)["reasons"].map(len))
    if found.pairs.empty:
        return
    pair = found.pairs.iloc[0]
    pairing = pairs.confirm_pair(con, pair["a_email"], pair["b_email"])["id"]
    email = _introduction(con, pairing)
    assert email["subject"] and email["body"]
    row = pd.Series(pairs.pairing(con, pairing))
    for kind in ("no_trial", "no_outcome", "no_checkin"):
        assert attention.nudge_text(kind, row).startswith("Hi ")
    attention.needs_attention(con)
    applicants.list_applicants(con)


def test_direction_overrides_are_dropped_and_marks_kept():
    assert names.clean_name("\u202eEve Smith") == ("Eve Smith", None)  # unclosed, it reversed what follows
    assert names.clean_name("\u2067Ann\u2069 \u202dLee\u202c") == ("Ann Lee", None)
    assert names.clean_name("\u200fדנה") == ("\u200fדנה", None)  # a right-to-left mark stays
    assert names.clean_name("\u202e\u202c")[1] == names.INVISIBLE


def _introduction(con, pairing_id: int) -> dict:
    """The introduction drafted into the outbox when the pairing was confirmed."""
    found = outbox.listing(con)
    return found[(found["pair_id"] == pairing_id) & (found["kind"] == "introduction")].iloc[0].to_dict()
