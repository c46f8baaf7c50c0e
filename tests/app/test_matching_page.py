"""Matching page under AppTest: reasons shown, confirming takes both members out, the email is right."""

import hashlib
import re

import pytest
from streamlit.testing.v1 import AppTest

from lib import auth, ui
from lib.intake import importer
from lib.matching import candidates, rounds, score
from lib.messages import drafts, outbox
from lib.pair_life import pairs
from tests.conftest import ROOT, make_csv

HEADER = ["Email", "Name", "Skills you can offer", "What would you like to learn?", "Time zone", "Years of experience"]
ROWS = [
    ["a@x.org", "Amara Okafor", "Kafka, Spark", "Elixir", "Europe/Berlin", "6"],
    ["f@x.org", "Felix Braun", "Elixir", "Kafka, Spark", "Europe/London", "8"],
    ["i@x.org", "Ines Ruiz", "Go", "Haskell", "UTC", "3"],
]


@pytest.fixture
def community(con):
    importer.import_applications(con, make_csv(HEADER, ROWS), filename="m.csv", status="accepted")
    return con


def _open():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/5_Matching.py").run()
    assert not at.exception
    return at


def _frame(at, column, *, last=False):
    found = [d.value for d in at.dataframe if column in d.value.columns]
    return found[-1] if last else found[0]


def _read(table):
    """A st.table as the moderator reads it: its cells are Markdown, with member text escaped."""
    return table.value.map(lambda cell: re.sub(r"\\(.)", r"\1", cell))


def test_round_shows_pairs_with_reasons_and_who_is_left_out(community):
    at = _open()
    round_table = _frame(at, "a_teaches_b")
    first = round_table.iloc[0]  # the skills each way have their columns; Why says the rest
    assert (list(first["a_teaches_b"]), list(first["b_teaches_a"])) == (["Kafka", "Spark"], ["Elixir"])
    assert first["reasons"] == "both 6-8 years; 1 h apart (13 h of shared daytime); Amara waited 0 days"
    left_out = _read(at.table[0])
    assert left_out.to_dict("records") == [
        {
            "Name": "Ines Ruiz",
            "Email": "i@x.org",
            "Why": "Ines wants to learn Haskell; no other eligible member offers it.",
        }
    ]
    assert any(
        c.value.endswith(
            "candidate pairs: 1 pair, 1 member left out: 1 wanted only skills no other eligible member offers."
        )
        for c in at.caption
    ), [c.value for c in at.caption]


def test_round_summary_says_nobody_is_left_out_when_everyone_is_paired(con):
    importer.import_applications(con, make_csv(HEADER, ROWS[:2]), filename="m.csv", status="accepted")
    at = _open()
    summary = next(c.value for c in at.caption if "candidate pairs" in c.value)
    assert summary.endswith("1 pair, 0 members left out.") and "as many people paired as possible" in summary
    assert not at.table


def test_confirming_the_round_takes_both_out_and_drafts_the_introduction(community):
    at = _open()
    at.button(key="match.confirm_round").click().run()
    assert community.execute("SELECT count(*) FROM pairings").fetchone()[0] == 0  # it asks first
    said = "\n".join(m.value for m in at.markdown)
    assert "**1 pair** is made" in said and "**1 introduction** is drafted" in said
    assert "**1 member** of this round stays unpaired" in said and "1. Amara Okafor + Felix Braun" in said
    at.button(key="match.confirm_go").click().run()
    assert not at.exception
    summary = next(s.value for s in at.success if "drafted in the Outbox" in s.value)
    assert summary.endswith("1 accepted member is not paired: 1 wanted only skills no other eligible member offers."), (
        summary
    )
    assert {"a@x.org", "f@x.org"}.isdisjoint(set(candidates.eligible_members(community)["email"]))
    assert any("their introductions are drafted in the Outbox" in s.value for s in at.success)
    drafted = outbox.listing(community, status="draft")
    assert list(drafted["kind"]) == ["introduction"] and drafted.iloc[0]["to"] == ["a@x.org", "f@x.org"]
    email = drafted.iloc[0]["body"]
    assert "Amara" in email and "Felix" in email
    assert "Amara can help Felix with: Kafka, Spark" in email and "Felix can help Amara with: Elixir" in email


def test_after_the_confirm_the_page_says_one_thing_about_who_is_left_out(con):
    # Felix and Gil can each pair only with Amara: the one left out had "paired with someone else" when the round
    # was confirmed; a round over who is left would say Kafka is not offered and add "No pairs to suggest".
    rows = [*ROWS, ["g@x.org", "Gil Adler", "Elixir", "Kafka", "UTC", "7"]]
    importer.import_applications(con, make_csv(HEADER, rows), filename="m.csv", status="accepted")
    at = _open()
    at.button(key="match.confirm_round").click().run()
    at.button(key="match.confirm_go").click().run()
    assert not at.exception
    summary = next(s.value for s in at.success if "drafted in the Outbox" in s.value)
    assert "2 accepted members are not paired" in summary and "1 had every possible partner paired" in summary
    left = _read(at.table[0])
    why = dict(zip(left["Email"], left["Why"]))
    (odd,) = set(why) - {"i@x.org"}
    assert odd in {"f@x.org", "g@x.org"} and "is paired with someone else" in why[odd], why
    assert not [i for i in at.info if "No pairs to suggest" in i.value]
    assert not [c for c in at.caption if "candidate pairs" in c.value]
    assert [e.label for e in at.expander][-1] == "Left out of the round you confirmed, and why (2)"


def test_the_send_panel_heads_the_page_until_its_introductions_are_sent(community):
    at = _open()
    at.button(key="match.confirm_round").click().run()
    at.button(key="match.confirm_go").click().run()
    send = next(b for b in at.button if b.key == "match.send")
    assert send.label == "Send this introduction" and not send.disabled
    at.run()  # any other click on the page: the panel stays while something is left to send
    assert any(b.key == "match.send" for b in at.button)
    # sent elsewhere (the Outbox): the panel says so once, then the page is itself again
    community.execute("UPDATE messages SET status = 'sent', sent_at = now() WHERE kind = 'introduction'")
    ui.forget_reads()
    at.run()
    assert next(b for b in at.button if b.key == "match.send").label == "Nothing left to send"
    at.run()
    assert not any(b.key == "match.send" for b in at.button) and not at.success
    assert any("candidate pairs" in c.value for c in at.caption)  # the round of who is left, as on any visit


def _untick(at, *rows: int) -> None:
    digest = hashlib.sha1(b"a@x.org|f@x.org").hexdigest()[:8]
    edits = {row: {"confirm": False} for row in rows}
    at.session_state[f"match.round.{digest}"] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.run()


def test_unticking_every_pair_confirms_nothing(community):
    at = _open()
    assert at.button(key="match.confirm_round").label == "Confirm 1 pair"
    _untick(at, 0)
    assert at.button(key="match.confirm_round").disabled
    assert community.execute("SELECT count(*) FROM pairings").fetchone()[0] == 0


def test_cancelling_the_dialog_confirms_nothing(community):
    at = _open()
    at.button(key="match.confirm_round").click().run()
    at.button(key="match.confirm_cancel").click().run()
    assert not [b for b in at.button if b.key == "match.confirm_go"]
    assert community.execute("SELECT count(*) FROM pairings").fetchone()[0] == 0


def test_confirming_just_one_pair_of_the_round(community):
    at = _open()
    single = next(s for s in at.selectbox if s.key.startswith("match.single."))
    single.set_value("a@x.org|f@x.org").run()
    why = next(m.value for m in at.markdown if m.value.startswith("**Why"))
    assert "teaches" in why and why.count("\n- ") >= 2, why
    at.button(key="match.confirm_single").click().run()
    assert community.execute("SELECT count(*) FROM pairings").fetchone()[0] == 1


def _member_tab(at):
    at.session_state["match.tab"] = "For one member"
    at.run()
    return at


def test_one_member_suggestions_and_confirm(community):
    at = _open()
    assert not [s for s in at.selectbox if s.key == "match.member"], "closed tabs should not run"
    _member_tab(at).selectbox(key="match.member").set_value("f@x.org").run()
    best = _frame(at, "b_name", last=True)
    assert list(best["b_name"]) == ["Amara Okafor"] and "Felix teaches Amara Elixir" in best.iloc[0]["reasons"]
    at.button(key="match.confirm_one").click().run()
    assert community.execute("SELECT count(*) FROM open_pair_members").fetchone()[0] == 2


def test_introduction_template_is_read_from_the_editable_file(community, tmp_path, monkeypatch):
    (tmp_path / "introduction.txt").write_text(
        "Subject: Hello $a_first & $b_first\n\n$a_name <-> $b_name: $b_teaches_a\n"
    )
    monkeypatch.setenv("MENTORING_TEMPLATES", str(tmp_path))
    made = pairs.confirm_pair(community, "a@x.org", "f@x.org")
    email = _introduction(community, made["id"])
    assert (email["subject"], email["body"]) == ("Hello Amara & Felix", "Amara Okafor <-> Felix Braun: Elixir\n")


def test_large_pools_compute_the_round_on_request(community, monkeypatch):
    monkeypatch.setattr(rounds, "AUTO_ROUND_LIMIT", 1)
    at = _open()
    assert not [d for d in at.dataframe if "a_teaches_b" in d.value.columns]
    at.button(key="match.suggest_round").click().run()
    assert _frame(at, "a_teaches_b").iloc[0]["a_name"] in ("Amara Okafor", "Felix Braun")


def test_member_search_narrows_a_long_list(community, monkeypatch):
    monkeypatch.setattr(ui, "MAX_CHOICES", 1)
    at = _member_tab(_open())
    assert len(at.selectbox(key="match.member").options) == 1
    assert any("The first 1 of" in c.value for c in at.caption)
    at.text_input(key="match.find").input("felix").run()
    assert at.selectbox(key="match.member").options == ["Felix Braun <f@x.org>"]


def _confirmed_introduction(at, con) -> str:
    at.switch_page("pages/5_Matching.py").run()
    at.button(key="match.confirm_round").click().run()
    at.button(key="match.confirm_go").click().run()
    assert not at.exception
    drafted = outbox.listing(con, status="draft")
    return drafted[drafted["kind"] == "introduction"].iloc[0]["body"]


def test_introduction_is_signed_with_the_signed_in_moderators_name(community):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["moderators"] = {"zoe": auth.hash_password("zoe's password")}
    at.run()
    at.text_input(key="login.name").input("Zoe")
    at.text_input(key="login.password").input("zoe's password")
    at.button(key="login.submit").click().run()
    email = _confirmed_introduction(at, community)
    assert email.rstrip().endswith("\nZoe") and "The moderator" not in email


def test_introduction_in_local_mode_is_signed_the_moderator(community):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert _confirmed_introduction(at, community).rstrip().endswith("\nThe moderator")


def test_signature_names_a_person_never_a_shared_account():
    assert drafts.signature("zoe") == "Zoe"
    assert drafts.signature("mod@community.org") == "mod@community.org"
    assert drafts.signature("moderator") == "The moderator"
    assert drafts.signature("local") == "The moderator"
    assert drafts.signature("local", community_name="Rust learners") == "Rust learners"


def test_settings_form_has_one_weight_per_component_and_saves_it(community):
    at = _open()
    weights = sorted(n.key for n in at.number_input if n.key.startswith("match.w."))
    assert weights == sorted(f"match.w.{c.name}" for c in score.COMPONENTS)
    at.number_input(key="match.w.timezone").set_value(0.0)
    at.number_input(key="match.l.max_timezone_gap_hours").set_value(6.0)
    at.button(key="match.save").click().run()
    saved = score.load_settings(community)
    assert saved.weights["timezone"] == 0.0 and saved.limits["max_timezone_gap_hours"] == 6.0
    assert saved.weights["reciprocity"] == score.DEFAULT_WEIGHTS["reciprocity"]


def test_score_first_setting_is_on_the_form_and_changes_the_round(community):
    at = _open()
    field = at.number_input(key=f"match.l.{score.SCORE_GIVEN_UP.key}")
    assert field.label == score.SCORE_GIVEN_UP.label and field.value is None
    field.set_value(0.0)
    at.button(key="match.save").click().run()
    assert score.load_settings(community).limits[score.SCORE_GIVEN_UP.key] == 0.0
    summary = next(c.value for c in at.caption if "candidate pairs" in c.value)
    assert summary.startswith("Exact matching (the best total score, however many are left out)"), summary


def _introduction(con, pairing_id: int) -> dict:
    """The introduction drafted into the outbox when the pairing was confirmed."""
    found = outbox.listing(con)
    return found[(found["pair_id"] == pairing_id) & (found["kind"] == "introduction")].iloc[0].to_dict()
