"""Pairs: every pairing's state and history; move pairs along, check in, record endings in seconds."""

from datetime import date

import streamlit as st

from lib import ui
from lib.insight.search import rows_containing
from lib.pair_life import lifecycle, pairs
from lib.ui import checkins as ui_checkins
from lib.ui import leaving, pairs_bulk

page = ui.page_setup("Pairs", ":material/diversity_3:")
st.title("Pairs")

# The words for each forward move; which moves a state allows comes from lifecycle.next_states.
MOVES = {
    "trial": ("Trial session agreed", "Moved to trial."),
    "active": ("Committed to a weekly hour (active)", "Now active."),
}
NO_MATCH = "No pairings match. Clear the search or choose another state."
NO_PAIRS = "No pairings yet. Confirm pairs on the Matching page."
OPEN_HINT = "Choose a pairing to see its history and act on it"
UNDONE = "Confirm undone: both are back in the pool, and the unsent introduction is discarded."
# What each state means to the moderator (the states' names are the stored values the command line prints too).
STATE_WORDS = {
    "proposed": "proposed: confirmed and introduced, no trial session agreed yet",
    "trial": "trial: a trial session agreed",
    "active": "active: committed to a weekly hour",
    "ended": "ended",
}
COLUMNS = {
    "id": "#",
    "a_name": "Member A",
    "b_name": "Member B",
    "state": st.column_config.TextColumn("State", help=" · ".join(STATE_WORDS.values())),
    "a_teaches_b": st.column_config.ListColumn("A teaches B"),
    "b_teaches_a": st.column_config.ListColumn("B teaches A"),
    "weeks": st.column_config.NumberColumn("Weeks since start"),
    "cadence": st.column_config.TextColumn("Meets", width=120),
    "snoozed_until": st.column_config.TextColumn("Snoozed until"),
    "last_change": st.column_config.DatetimeColumn("Last change", format="D MMM YYYY"),
    "reason": "Ended because",
}


def act(action, done: str, *, also: tuple[str, ...] = ()) -> None:
    """Apply one change (closing the ending dialog, forgetting `also`), say so, and redraw."""
    page.apply(action, done, forget=("pairs.ending", *also))


@st.dialog("Record an ending", on_dismiss=lambda: st.session_state.pop("pairs.ending", None))
def ending_dialog(pair) -> None:
    """Who ended it, why, what they said, and what happens next: one form."""
    sides = {"a": pair["a_name"], "b": pair["b_name"], "both": "Both", "moderator": "The moderator"}
    by = st.radio("Who ended it?", list(sides), format_func=sides.get, horizontal=True, key="end.by")
    reasons = list(page.read(lifecycle.end_reasons)["label"])
    reason = st.radio("Main reason", reasons, key="end.reason", horizontal=True)
    secondary = st.multiselect("Other reasons (optional)", [r for r in reasons if r != reason], key="end.secondary")
    feedback = st.text_area("Feedback, in their words", key="end.feedback")
    came = {"member": "from the member directly", "moderator": "through me"}
    source = st.radio("The feedback came", list(came), horizontal=True, key="end.source", format_func=came.get)
    when = st.date_input("Date", date.today(), key="end.date")
    left = pairs_bulk.who_left(sides)
    ending = dict(by=by, reason=reason, secondary=secondary, feedback=feedback, feedback_source=source, on=when)
    if st.button("Record the ending", type="primary", key="end.save"):
        act(
            lambda cur: lifecycle.end_pairing(cur, pair["id"], **ending, left_service=left, moderator=page.moderator),
            "Ending recorded.",
        )


def undo_bar() -> None:
    """The last recorded ending, with a button that undoes it."""
    last = page.read(lifecycle.last_ending)
    if not last:
        return
    said = f"{ui.safe(last['who'])} ({ui.safe(last['reason'])}, {last['ended_on']:%d %b %Y})"
    if ui.undo_offer(f"Last recorded: {last['kind']} of {said}.", key="pairs.undo"):
        act(lambda cur: lifecycle.undo_last_ending(cur, moderator=page.moderator), "Undone.")


def pairings_table() -> None:
    """Every pairing, filtered by state and a member's name or email; one opens below."""
    left, right = st.columns([1, 2])
    words = {"all": "all"} | STATE_WORDS
    state = left.selectbox("State", ["all", *lifecycle.STATES], key="pairs.state", format_func=words.get)
    search = right.text_input("Find a member", key="pairs.search", placeholder="part of a name or email")
    table = page.read(pairs.list_pairings, state=None if state == "all" else state)
    table = rows_containing(table, search, ["a_name", "b_name", "a", "b"])
    if table.empty:
        filtered = search.strip() or state != "all"
        st.info(NO_MATCH if filtered else NO_PAIRS, icon=":material/info:")
        return
    shown = ui.readable_pairs(table.head(ui.MAX_ROWS))
    picked = st.dataframe(
        shown, hide_index=True, key="pairs.table", column_order=list(COLUMNS), column_config=COLUMNS,
        on_select="rerun", selection_mode="single-row",
    )  # fmt: skip
    pairs_bulk.open_clicked(picked, shown)
    st.caption(ui.shown_caption(len(shown), len(table), "pairings", order="most recently changed"))
    ui.download_csv(table, filename="pairs.csv", label="Download pairs (CSV)", key="pairs.download")
    choices = table.head(ui.MAX_CHOICES)
    named = "#" + choices["id"].astype(str) + " " + choices["a_name"] + " + " + choices["b_name"]
    labels = dict(zip(choices["id"].astype(int), named + " (" + choices["state"] + ")"))
    pick = {"index": None, "format_func": labels.get, "placeholder": OPEN_HINT}
    chosen = st.selectbox("Open a pairing", list(labels), key="pairs.pick", **pick)
    if chosen:
        st.subheader(ui.safe(labels[chosen]))
        one_pairing(table[table["id"] == chosen].iloc[0])


def one_pairing(pair) -> None:
    """A pairing's history and what can happen to it next."""
    chosen = int(pair["id"])
    ui.pair_history(page.read(pairs.pairing_history, chosen))
    ui_checkins.pair_panel(page, pair)
    for to in lifecycle.next_states(pair["state"]):
        label, done = MOVES[to]
        if st.button(label, key=f"pairs.to_{to}"):
            act(lambda cur, to=to: lifecycle.advance(cur, chosen, to, moderator=page.moderator), done)
    if pair["state"] == "active":
        ui.weekly_slot_form(page, chosen)
    if lifecycle.is_open(pair["state"]):
        ui.pace_panel(page, pair)
        note = st.text_input("Check-in note", key="pairs.checkin", placeholder="met 6 times, going well")
        if st.button("Add check-in", key="pairs.add_checkin", disabled=not note):
            act(lambda cur: lifecycle.check_in(cur, chosen, note, moderator=page.moderator), "Check-in noted.")
        if st.button("Record a drop-out or ending", key="pairs.end", type="primary", icon=":material/logout:"):
            st.session_state["pairs.ending"] = chosen
    if pair["state"] == "proposed" and st.button("Undo this confirm", key="pairs.undo_confirm", icon=":material/undo:"):
        act(lambda cur: lifecycle.undo_confirm(cur, chosen, moderator=page.moderator), UNDONE, also=("pairs.pick",))
    if st.session_state.get("pairs.ending") == chosen:
        ending_dialog(pair)
    a, b = (ui.recipients([{"name": pair[f"{s}_name"], "email": pair[s]}]) for s in "ab")  # names may be alike
    sides = {"Both": [pair["a"], pair["b"]], a: [pair["a"]], b: [pair["b"]]}
    ui.note_form(page, sides, key="pairs.note")


def withdraw_form() -> None:
    """A member who leaves without being in a pair."""
    email = st.text_input("Member's email", key="withdraw.email")
    reason = st.selectbox("Reason", list(page.read(lifecycle.end_reasons)["label"]), key="withdraw.reason")
    feedback = st.text_area("Feedback", key="withdraw.feedback")
    if st.button("Mark as withdrawn", key="withdraw.save", disabled=not email):
        act(
            lambda cur: lifecycle.withdraw(cur, email, reason=reason, feedback=feedback, moderator=page.moderator),
            f"{ui.safe(email)} withdrew.",
        )


def reasons_form() -> None:
    """Add a reason to the list, or hide one."""
    new = st.text_input("New reason", key="reasons.new")
    happy = st.checkbox("A happy ending (the two may be paired again)", key="reasons.happy")
    if st.button("Add reason", key="reasons.add", disabled=not new):
        act(lambda cur: lifecycle.add_reason(cur, new, happy=happy, moderator=page.moderator), "Reason added.")
    labels = list(page.read(lifecycle.end_reasons)["label"])
    hide = st.selectbox("Hide a reason", labels, index=None, key="reasons.hide")
    if st.button("Hide it", key="reasons.hide_go", disabled=not hide):
        act(lambda cur: lifecycle.hide_reason(cur, hide, moderator=page.moderator), "Reason hidden.")


undo_bar()
pairs_bulk.trials_panel(page)
leaving.dropout_form(page)
pairings_table()
with st.expander("A member leaves without being in a pair"):
    withdraw_form()
with st.expander("Edit the list of reasons"):
    reasons_form()
