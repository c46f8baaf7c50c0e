"""The check-in loop on the pages: due check-ins and their import (Outbox), one pair's answers (Pairs), the home
page's one-click actions, and the Analytics tab.

Decided: the check-ins view sits at the top of the **Outbox** page, because a due check-in is a message
waiting to go out: it lists the due check-ins, drafts them all with one button (or drafts and sends them in
one step), and takes the check-in form's CSV export. Answers from an email reply are recorded on the Pairs
page, where the pair is open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pandas as pd
import streamlit as st

from lib import ui
from lib.errors import MentoringError
from lib.insight import checkins as insight
from lib.messages import outbox
from lib.pair_life import attention, checkin_answers, checkins, lifecycle, pace, pairs

KINDS = ("checkin_time", "checkin_struggling", "checkin_silent", "checkin_unanswered")
KIND_WORDS = {"trial": "trial check-in", "pulse": "pulse"}
STATUS_WORDS = {
    "due": "due",
    "sent": "sent, waiting for answers",
    "answered": "answered",
    "missed": "missed (nobody answered)",
}
SNOOZE_DAYS = 28
PAUSE_DAYS = 56
_DRAFTED = "checkins.drafted"
_IMPORTED = "checkins.imported"


def due_panel(page: ui.Page) -> None:
    """The Outbox's check-ins: what is due, one button to draft them all (or draft and send), and the import."""
    found = page.read(checkins.current)
    due = found[(found["status"] == "due") & ~found["drafted"].astype(bool)]
    counts = found["status"].value_counts()
    st.subheader(f"Check-ins due ({len(due)})")
    waiting = int((found["status"] == "due").sum()) - len(due)
    said = [f"in the drafts: {waiting}"] + [
        f"{STATUS_WORDS[s]}: {int(counts.get(s, 0))}" for s in STATUS_WORDS if s != "due"
    ]
    st.caption(
        "Each pair is asked how it goes a week after its trial, then every few weeks while active. "
        f"The open pairs' latest check-ins: {'; '.join(said)}."
    )
    if due.empty:
        st.info("No check-in is due today.", icon=":material/event_available:")
    else:
        st.dataframe(_due_table(due), hide_index=True, key="checkins.due")
        draft, send = st.columns(2)
        if draft.button("Draft all due check-ins", key="checkins.draft", icon=":material/edit:"):
            _draft(page, send_now=False)
        if send.button("Draft and send them now", key="checkins.draft_send", type="primary", icon=":material/send:"):
            _draft(page, send_now=True)
    drafted = st.session_state.get(_DRAFTED)
    if drafted:
        frame = page.read(drafted_messages, tuple(drafted))
        ui.send_panel(page, frame, f"Drafted {ui.plural(len(drafted), 'check-in message')}.", noun="check-in",
                      key="checkins.send")  # fmt: skip
    import_form(page)


def drafted_messages(con, ids: tuple[int, ...]) -> pd.DataFrame:
    """These outbox messages as a DataFrame (as outbox.listing gives them)."""
    frame = outbox.listing(con)
    return frame[frame["id"].isin(list(ids))]


def _due_table(due: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Pair": "#" + due["pair_id"].astype(str) + " " + due["a_name"] + " + " + due["b_name"],
        "Check-in": due["kind"].map(KIND_WORDS),
        "Due since": [f"{pd.Timestamp(d):%d %b %Y}" for d in due["due_on"]],
    })  # fmt: skip


def _draft(page: ui.Page, *, send_now: bool) -> None:
    made: list[int] = []

    def action(cursor) -> None:
        made.extend(checkins.draft_due(cursor, moderator=page.moderator))
        st.session_state[_DRAFTED] = list(made)

    if not send_now:
        page.apply(action, "Drafted the due check-ins; read them below or in the drafts, then send.")
        return
    try:
        with page.writing() as cursor:
            action(cursor)
    except MentoringError as exc:
        ui.show_error(exc)
        return
    ui.send_messages(page, made)


def import_form(page: ui.Page) -> None:
    """Upload the check-in form's CSV export; its answers are recorded and what could not be is listed."""
    # keyed, so it stays open while the page above it changes (a send's result showing, then gone)
    box = st.expander("Import answers from the check-in form (CSV export)", icon=":material/upload_file:",
                      key="checkins.import_box")  # fmt: skip
    with box:
        st.caption(
            "Google Forms: Responses › Download responses (.csv). Any language the application import reads; "
            "the newest answer of a member wins, and unknown addresses are listed, not stored."
        )
        upload = st.file_uploader("Check-in form export", type=["csv", "tsv", "txt"], key="checkins.file")
        if st.button("Import answers", key="checkins.import", type="primary", disabled=upload is None):
            data, name = upload.getvalue(), upload.name

            def action(cursor) -> None:
                result = checkin_answers.import_answers(cursor, data, filename=name, moderator=page.moderator)
                st.session_state[_IMPORTED] = {"summary": result.summary(), **result.as_json()}

            page.apply(action)
        done = st.session_state.get(_IMPORTED)
        if done:
            st.success(done["summary"], icon=":material/task_alt:")
            if done["unknown"]:
                st.warning("Not members: " + ", ".join(ui.safe(e) for e in done["unknown"]), icon=":material/help:")
            for sentence in done["warnings"]:
                st.caption(ui.safe(sentence))


def pair_panel(page: ui.Page, pair) -> None:
    """One pair's check-ins: the current one, the answers so far, and recording an answer from a reply."""
    chosen = int(pair["id"])
    found = page.read(checkins.current)
    mine = found[found["pair_id"] == chosen]
    said = page.read(checkins.answers, chosen)
    with st.expander(
        f"Check-ins ({ui.plural(said['checkin_id'].nunique(), 'answered')})", icon=":material/fact_check:"
    ):
        if not mine.empty:
            row = mine.iloc[0]
            due = f"{pd.Timestamp(row['due_on']):%d %b %Y}"
            st.write(f"Current: {KIND_WORDS[row['kind']]} due {due}, **{STATUS_WORDS[row['status']]}**.")
        if not said.empty:
            st.dataframe(answers_words(said), hide_index=True, key="pairs.checkin_answers")
        answer_form(page, pair)


def answers_words(said: pd.DataFrame) -> pd.DataFrame:
    """checkins.answers with readable headings and words instead of codes."""
    return pd.DataFrame({
        "Answered": [f"{pd.Timestamp(d):%d %b %Y}" for d in said["answered_at"]],
        "Member": said["member"],
        "Met": said["met"].map({True: "yes", False: "no"}),
        "Rating": said["rating"].astype(int).astype(str) + " of 5",
        "Time a problem": said["time_problem"].map(checkins.TIME_WORDS).fillna(""),
        "Note": said["note"].fillna(""),
    })  # fmt: skip


def answer_form(page: ui.Page, pair) -> None:
    """Record one member's answer from an email reply."""
    chosen = int(pair["id"])
    st.caption("Record an answer from a member's reply")
    members = {pair["a"]: pair["a_name"], pair["b"]: pair["b_name"]}
    who = st.radio("Who answered", list(members), format_func=members.get, horizontal=True, key="pairs.answer.who")
    cols = st.columns(3)
    met = cols[0].radio("Met since the last check-in?", ["yes", "no"], horizontal=True, key="pairs.answer.met")
    rating = cols[1].slider("How is it going (1-5)", 1, 5, 4, key="pairs.answer.rating")
    time_problem = cols[2].radio(
        "Is finding time a problem?", list(checkins.TIME_PROBLEM), format_func=checkins.TIME_WORDS.get,
        horizontal=True, key="pairs.answer.time",
    )  # fmt: skip
    note = st.text_input("Anything else they said", key="pairs.answer.note")
    if st.button("Record the answer", key="pairs.answer.save", icon=":material/fact_check:"):
        page.apply(
            lambda cur: checkins.record(
                cur, chosen, who, met=met == "yes", rating=int(rating), time_problem=time_problem,
                note=note or None, source="by hand", moderator=page.moderator,
            ),
            "Answer recorded.",
            forget=("pairs.answer.note",),
        )  # fmt: skip


def due_line(page: ui.Page) -> None:
    """The home page's line about due check-ins, linking to the Outbox where they are drafted."""
    found = page.read(checkins.due)
    if found.empty:
        return
    text, link = st.columns([3, 2], vertical_alignment="center")
    text.markdown(f":material/fact_check: **{ui.plural(len(found), 'check-in')}** due: ask those pairs how it goes.")
    right = link.container(horizontal=True, horizontal_alignment="right")
    right.page_link("pages/10_Outbox.py", label="Draft and send them", icon=":material/arrow_forward:")


def attention_row(page: ui.Page, kind: str, row, text, buttons, go: Callable[[str, dict], None]) -> None:
    """One row of a check-in list on the home page: why and since when, and its one-click actions."""
    day = pd.Timestamp(row.since) if ui.given(row.since) else None
    since = f"since {day.day} {day:%b}" if day is not None else ""
    if kind == "checkin_unanswered":
        _unanswered_row(page, row, text, buttons, since, go)
        return
    text.write(f"#{row.id} {ui.safe(row.a_name)} + {ui.safe(row.b_name)}: {ui.safe(row.why)} ({since})")
    with buttons.popover("Nudge", icon=":material/mail:"):
        st.code(attention.nudge_text(kind, row._asdict()), language=None, wrap_lines=True)
    pair, who = int(row.id), page.moderator
    if (
        kind == "checkin_time"
        and int(row.cadence_weeks) == 1
        and buttons.button("Every two weeks", key=f"home.fortnightly.{pair}", icon=":material/event_repeat:")
    ):
        page.apply(lambda cur: pace.set_cadence(cur, pair, 2, moderator=who), "Meets every two weeks now.")
    if kind in ("checkin_time", "checkin_silent") and buttons.button(
        "Snooze 4 weeks", key=f"home.checkin_snooze.{kind}.{pair}", icon=":material/snooze:"
    ):
        until = ui.today() + timedelta(days=SNOOZE_DAYS)
        note = "finding time is hard" if kind == "checkin_time" else "no answer to the check-in"
        page.apply(lambda cur: pace.snooze(cur, pair, until, note=note, moderator=who), f"Snoozed until {until:%d %b}.")
    if kind in ("checkin_struggling", "checkin_silent") and buttons.button("Open", key=f"home.checkin.{kind}.{pair}"):
        go("pages/6_Pairs.py", {"pairs.pick": pair})


def _unanswered_row(page: ui.Page, row, text, buttons, since: str, go) -> None:
    text.write(
        f"{ui.recipients([{'name': row.name, 'email': row.email}])}, pair #{row.pair_id} with {ui.safe(row.partner_name)}: "
        f"{ui.safe(row.why)} ({since})"
    )
    first, who, pair = ui.safe(row.name.split()[0] if row.name else row.email), page.moderator, int(row.pair_id)
    until = ui.today() + timedelta(days=PAUSE_DAYS)
    # the labels name nobody (the line beside them does): a long first name would cut them short at 800 px
    pause_help = f"No new partner for {first} before {until:%d %b %Y}; the pair stays as it is"
    if buttons.button("Pause 8 weeks", key=f"home.pause.{row.id}", icon=":material/pause:", help=pause_help):
        note = "no answer to three check-ins in a row"
        page.apply(
            lambda cur: pairs.pause_member(cur, row.email, until, note=note, moderator=who),
            f"Paused until {until:%d %b %Y}: no new partner before then.",
        )
    rematch = "Ends the pair (partner unresponsive) and opens the partner's best new partners on Matching"
    if buttons.button("Re-match partner", key=f"home.rematch.{row.id}", icon=":material/sync:", help=rematch):
        try:
            with page.writing() as cursor:
                lifecycle.end_pairing(cursor, pair, by="moderator", reason="partner unresponsive", moderator=who)
        except MentoringError as exc:
            ui.show_error(exc)
            return
        go("pages/5_Matching.py", {"match.member": row.partner, "match.tab": "For one member"})


def analytics_tab(page: ui.Page, numbers: Callable) -> None:
    """The Analytics page's check-in tab: answer rate, pairs that met and the rating by month, and drop-outs
    after each kind of answer."""
    st.caption("The filters above do not apply to this tab: it counts every check-in sent.")
    months = page.read(insight.by_period)
    if months.empty:
        st.info("No check-in has been sent yet. Due check-ins are drafted on the Outbox page.")
        return
    total_sent, total_answered = int(months["sent"].sum()), int(months["answered"].sum())
    st.write(
        f"**{ui.plural(total_sent, 'check-in')}** sent, **{total_answered / total_sent:.0%}** answered; "
        f"of the answered, **{int(months['met'].sum()) / max(total_answered, 1):.0%}** had met."
    )
    numbers(insight.months_chart(months), insight.months_table(months), "checkins_by_month")
    st.subheader("Do answers predict drop-outs?")
    after = page.read(insight.dropouts_after)
    st.caption(
        f"Share of check-ins followed by the pair ending (not happily) within {insight.WINDOW_WEEKS} weeks, by the "
        f"answer; check-ins whose {insight.WINDOW_WEEKS} weeks are not over yet are left out."
    )
    numbers(insight.dropouts_chart(after), insight.dropouts_table(after), "checkins_and_dropouts")
