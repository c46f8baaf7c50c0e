"""Pairs: every pairing's state and history; move pairs along, check in, record endings in seconds."""

from datetime import date

import streamlit as st

from lib import ui
from lib.insight.search import rows_containing
from lib.pair_life import lifecycle, pairs

page = ui.page_setup("Pairs", ":material/diversity_3:")
st.title("Pairs")


def act(action, done: str) -> None:
    """Apply one change (closing the ending dialog), say so, and redraw."""
    page.apply(action, done, forget=("pairs.ending",))


@st.dialog("Record an ending", on_dismiss=lambda: st.session_state.pop("pairs.ending", None))
def ending_dialog(pair) -> None:
    """Who ended it, why, what they said, and what happens next: one form."""
    sides = {"a": pair["a_name"], "b": pair["b_name"], "both": "Both", "moderator": "The moderator"}
    by = st.radio("Who ended it?", list(sides), format_func=sides.get, horizontal=True, key="end.by")
    reasons = list(page.read(lifecycle.end_reasons)["label"])
    reason = st.selectbox("Main reason", reasons, key="end.reason")
    secondary = st.multiselect("Other reasons (optional)", [r for r in reasons if r != reason], key="end.secondary")
    feedback = st.text_area("Feedback, in their words", key="end.feedback")
    source = st.radio(
        "The feedback came",
        ["member", "moderator"],
        horizontal=True,
        key="end.source",
        format_func={"member": "from the member directly", "moderator": "through me"}.get,
    )
    when = st.date_input("Date", date.today(), key="end.date")
    left = st.multiselect(
        "Who left the service altogether? (the others go back into the pool with priority)",
        ["a", "b"],
        format_func=sides.get,
        key="end.left",
    )
    if st.button("Record the ending", type="primary", key="end.save"):
        act(
            lambda cur: lifecycle.end_pairing(
                cur,
                pair["id"],
                by=by,
                reason=reason,
                secondary=secondary,
                feedback=feedback,
                feedback_source=source,
                on=when,
                left_service=left,
                moderator=page.moderator,
            ),
            "Ending recorded.",
        )


last = page.read(lifecycle.last_ending)
if last:
    text, button = st.columns([3, 1], vertical_alignment="center")
    text.caption(
        f"Last recorded: {last['kind']} of {ui.safe(last['who'])} ({ui.safe(last['reason'])}, {last['ended_on']:%d %b %Y})."
    )
    if button.button("Undo it", key="pairs.undo", icon=":material/undo:"):
        act(lambda cur: lifecycle.undo_last_ending(cur, moderator=page.moderator), "Undone.")

left, right = st.columns([1, 2])
state = left.selectbox("State", ["all", *lifecycle.STATES], key="pairs.state")
search = right.text_input("Find a member", key="pairs.search", placeholder="part of a name or email")
table = page.read(pairs.list_pairings, state=None if state == "all" else state)
table = rows_containing(table, search, ["a_name", "b_name", "a", "b"])
if table.empty:
    st.info(
        "No pairings match. Clear the search or choose another state."
        if search.strip() or state != "all"
        else "No pairings yet. Confirm pairs on the Matching page.",
        icon=":material/info:",
    )
else:
    shown = table.head(ui.MAX_ROWS)
    st.dataframe(
        shown,
        hide_index=True,
        key="pairs.table",
        column_order=[
            "id",
            "a_name",
            "b_name",
            "state",
            "a_teaches_b",
            "b_teaches_a",
            "weeks",
            "last_change",
            "reason",
        ],
        column_config={
            "id": "#",
            "a_name": "Member A",
            "b_name": "Member B",
            "state": "State",
            "a_teaches_b": st.column_config.ListColumn("A teaches B"),
            "b_teaches_a": st.column_config.ListColumn("B teaches A"),
            "weeks": st.column_config.NumberColumn("Weeks since start"),
            "last_change": st.column_config.DatetimeColumn("Last change", format="D MMM YYYY"),
            "reason": "Ended because",
        },
    )
    st.caption(ui.shown_caption(len(shown), len(table), "pairings", order="most recently changed"))
    ui.download_csv(table, filename="pairs.csv", label="Download pairs (CSV)", key="pairs.download")
    choices = table.head(ui.MAX_CHOICES)
    named = "#" + choices["id"].astype(str) + " " + choices["a_name"] + " + " + choices["b_name"]
    labels = dict(zip(choices["id"].astype(int), named + " (" + choices["state"] + ")"))
    chosen = st.selectbox(
        "Open a pairing",
        list(labels),
        index=None,
        format_func=labels.get,
        key="pairs.pick",
        placeholder="Choose a pairing to see its history and act on it",
    )
    if chosen:
        pair = table[table["id"] == chosen].iloc[0]
        st.subheader(ui.safe(labels[chosen]))
        st.dataframe(page.read(pairs.pairing_history, chosen), hide_index=True, key="pairs.history")
        if pair["state"] == "proposed":
            if st.button("Trial session agreed", key="pairs.to_trial"):
                act(lambda cur: lifecycle.advance(cur, chosen, "trial", moderator=page.moderator), "Moved to trial.")
        if pair["state"] in ("proposed", "trial"):
            if st.button("Committed to a weekly hour (active)", key="pairs.to_active"):
                act(lambda cur: lifecycle.advance(cur, chosen, "active", moderator=page.moderator), "Now active.")
        if pair["state"] == "active":
            cols = st.columns(4)
            day = cols[0].selectbox(
                "Day",
                ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
                index=None,
                key="pairs.slot_day",
            )
            time = cols[1].text_input("Time", key="pairs.slot_time", placeholder="18:00")
            zone = cols[2].text_input("Time zone", key="pairs.slot_zone", placeholder="Europe/Berlin")
            channel = cols[3].selectbox("How they talk", lifecycle.CHANNELS, index=None, key="pairs.channel")
            if st.button("Save weekly slot", key="pairs.save_slot"):
                act(
                    lambda cur: lifecycle.set_arrangement(
                        cur,
                        chosen,
                        day=day,
                        time=time or None,
                        zone=zone or None,
                        channel=channel,
                        moderator=page.moderator,
                    ),
                    "Saved.",
                )
        if pair["state"] != "ended":
            note = st.text_input("Check-in note", key="pairs.checkin", placeholder="met 6 times, going well")
            if st.button("Add check-in", key="pairs.add_checkin", disabled=not note):
                act(lambda cur: lifecycle.check_in(cur, chosen, note, moderator=page.moderator), "Check-in noted.")
            if st.button("Record a drop-out or ending", key="pairs.end", type="primary", icon=":material/logout:"):
                st.session_state["pairs.ending"] = chosen
        if st.session_state.get("pairs.ending") == chosen:
            ending_dialog(pair)

with st.expander("A member leaves without being in a pair"):
    email = st.text_input("Member's email", key="withdraw.email")
    reason = st.selectbox("Reason", list(page.read(lifecycle.end_reasons)["label"]), key="withdraw.reason")
    feedback = st.text_area("Feedback", key="withdraw.feedback")
    if st.button("Mark as withdrawn", key="withdraw.save", disabled=not email):
        act(
            lambda cur: lifecycle.withdraw(cur, email, reason=reason, feedback=feedback, moderator=page.moderator),
            f"{ui.safe(email)} withdrew.",
        )

with st.expander("Edit the list of reasons"):
    new = st.text_input("New reason", key="reasons.new")
    happy = st.checkbox("A happy ending (the two may be paired again)", key="reasons.happy")
    if st.button("Add reason", key="reasons.add", disabled=not new):
        act(lambda cur: lifecycle.add_reason(cur, new, happy=happy, moderator=page.moderator), "Reason added.")
    hide = st.selectbox(
        "Hide a reason", list(page.read(lifecycle.end_reasons)["label"]), index=None, key="reasons.hide"
    )
    if st.button("Hide it", key="reasons.hide_go", disabled=not hide):
        act(lambda cur: lifecycle.hide_reason(cur, hide, moderator=page.moderator), "Reason hidden.")
