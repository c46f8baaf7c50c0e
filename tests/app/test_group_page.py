"""The Google group page under AppTest: upload a member list, the three lists, the digest preview and draft."""

import re
from datetime import timedelta

from lib import demo, ui
from lib.group import roster
from lib.messages import outbox, settings
from lib.storage import db
from tests.app.test_pages import open_app, texts
from tests.conftest import FIXTURES, make_csv

PAGE = "pages/12_Group.py"
GROUP = FIXTURES / "group"


def _demo_roster(con) -> bytes:
    return roster.demo_export(con)


def test_before_any_import_the_page_says_how_to_export(con):
    at = open_app(PAGE)
    assert not at.exception
    assert "No member list imported yet" in texts(at) and "Export members" in texts(at)
    assert not at.get("download_button")  # no demo loaded: no made-up member list
    assert not at.tabs  # nothing to compare with yet


def test_uploading_the_demo_roster_shows_who_to_add_remove_and_unknown(con):
    demo.load_demo(con)
    data = _demo_roster(con)
    accepted = [
        e for (e,) in con.execute("SELECT email FROM applicants WHERE status = 'accepted' ORDER BY id").fetchall()
    ]
    at = open_app(PAGE)
    assert len(at.get("download_button")) == 1  # the demo's made-up member list, to try the page with
    at.file_uploader(key="group.file").upload("peer-mentoring members 2026-11-22.csv", data, "text/csv")
    at.run()
    at.button(key="group.import").click().run()
    assert not at.exception
    assert "Imported" in texts(at) and "exported" in texts(at)
    labels = [t.label for t in at.tabs]
    assert labels == ["To add (4)", "To remove (3)", "Unknown (2)"]
    paste = at.code[0].value
    assert sorted(paste.split(", ")) == sorted(accepted[:4])
    unknown = next(d.value for d in at.dataframe if "Role" in d.value.columns)
    assert list(unknown["Email"]) == ["moderator@example.org", "someone.else@gmail.com"]
    assert list(unknown["Role"]) == ["Owner", "Member"]


def test_a_file_that_is_not_a_roster_is_refused_on_the_page(con):
    at = open_app(PAGE)
    at.file_uploader(key="group.file").upload(
        "inventory.csv", (GROUP / "not_a_roster_inventory.csv").read_bytes(), "text/csv"
    )
    at.run()
    at.button(key="group.import").click().run()
    assert not at.exception
    assert any("no column holds email addresses" in e.value for e in at.error)
    assert roster.latest_import(con) is None


def test_an_old_roster_says_its_age_and_asks_for_a_new_export(con):
    con.execute("SELECT 1").fetchall()
    roster.import_roster(con, (GROUP / "google_groups_members.csv").read_bytes(), filename="members.csv")
    old = db.now() - timedelta(days=20)
    con.execute("UPDATE group_roster_imports SET exported_at = ?, exported_from = 'file name'", [old])
    at = open_app(PAGE)
    assert any("exported 20 days ago" in w.value and "Export it again" in w.value for w in at.warning)


def test_the_digest_is_previewed_and_drafted_to_the_group(con):
    demo.load_demo(con)
    at = open_app(PAGE)
    assert at.button(key="group.draft").disabled  # no group address yet
    assert "Set the group's posting address" in texts(at)
    at.text_input(key="group.address").input("Peer-Mentoring@googlegroups.com")
    next(b for b in at.button if b.label == "Save").click().run()
    assert settings.get(con, "group_address") == "peer-mentoring@googlegroups.com"
    preview = at.text[0].value
    assert "Still looking for a partner" in preview and not re.search(r"[\w.]+@[\w.]+", preview)
    at.button(key="group.draft").click().run()
    assert not at.exception
    drafts = outbox.listing(con, status="draft")
    digest = drafts[drafts["kind"] == "digest"]
    assert len(digest) == 1 and digest["to"].iloc[0] == ["peer-mentoring@googlegroups.com"]


def test_home_counts_the_group_lists_only_when_not_empty(con):
    demo.load_demo(con)
    at = open_app()
    assert "Google group" not in texts(at)  # no member list yet: nothing to count
    roster.import_roster(con, _demo_roster(con), filename="members.csv")
    ui.forget_reads()  # written here, not through the dashboard
    at = open_app()
    assert "Google group: **4 to add**, **3 to remove** and **2 unknown**" in "\n".join(m.value for m in at.markdown)
    everyone = [[e, ""] for (e,) in con.execute("SELECT email FROM applicants WHERE status = 'accepted'").fetchall()]
    roster.import_roster(con, make_csv(["Email address", "Nickname"], everyone), filename="members.csv")
    ui.forget_reads()
    at = open_app()
    assert "Google group:" not in "\n".join(m.value for m in at.markdown)
