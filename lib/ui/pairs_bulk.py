"""The Pairs page in bulk: trials past their trial date moved to active together (a list to untick, one
transaction, undo), and the drop-out form's "who left" question as checkboxes (a dropdown list there opened
over the Record button)."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.messages import settings
from lib.pair_life import bulk
from lib.ui import Page, plural

CLICKED = "pairs.clicked"  # the pairs table's selected rows at the last run
GENERATION = "pairs.trials.generation"  # bumped after each move or undo, so the list starts ticked again
TRIAL_COLUMNS = {
    "move": st.column_config.CheckboxColumn("Move", help="Untick a pair whose trial did not go well", width=75),
    "a_name": st.column_config.TextColumn("Member A"),
    "b_name": st.column_config.TextColumn("Member B"),
    "trial_on": st.column_config.DateColumn("In trial since", format="D MMM YYYY"),
    "days": st.column_config.NumberColumn("Days in trial"),
    "answers": st.column_config.TextColumn(
        "Check-in answers", width="large", help="Each member's latest answer: met or not, rating, time"
    ),
}


def trials_panel(page: Page) -> None:
    """Trials past their trial date, all ticked, with one button that moves the ticked ones to active; and an
    undo of the last such move."""
    _undo_line(page)
    due = page.read(bulk.trials_due)
    if due.empty:
        return
    days = page.read(settings.get, "checkin_trial_days")
    title = f"{plural(len(due), 'trial')} past the trial date ({plural(int(days), 'day')} or more in trial)"
    with st.expander(title, expanded=True, icon=":material/event_available:"):
        st.caption("Untick the pairs whose trial did not go well; the ticked ones become active together.")
        key = f"pairs.trials.{st.session_state.get(GENERATION, 0)}"
        edited = st.data_editor(
            due.assign(move=True).set_index("id"),
            key=key,
            hide_index=True,
            column_order=list(TRIAL_COLUMNS),
            column_config=TRIAL_COLUMNS,
            disabled=[c for c in TRIAL_COLUMNS if c != "move"],
        )
        chosen = [int(i) for i in edited.index[edited["move"].fillna(False)]]
        label = f"Move {plural(len(chosen), 'pair')} to active"
        if st.button(label, key="pairs.trials.go", type="primary", disabled=not chosen, icon=":material/done_all:"):
            page.apply(lambda cur: _move(cur, chosen, page), None)


def who_left(sides: dict[str, str]) -> list[str]:
    """'Who left the service altogether?' as one checkbox per member (a multiselect's list covered the
    Record button); returns 'a', 'b' or both."""
    st.markdown("**Who left the service altogether?** The others go back into the pool with priority.")
    row = st.container(horizontal=True)
    return [side for side in ("a", "b") if row.checkbox(f"{sides[side]} left", key=f"end.left.{side}")]


def open_clicked(event, shown) -> None:
    """Open the pairing whose row was just clicked in the pairs table (one click instead of the picker's
    three); a selection that did not change since the last run leaves the picker alone."""
    rows = list(event.selection.rows) if event else []
    if rows == st.session_state.get(CLICKED):
        return
    st.session_state[CLICKED] = rows
    if rows and rows[0] < len(shown):
        st.session_state["pairs.pick"] = int(shown.iloc[rows[0]]["id"])


def _undo_line(page: Page) -> None:
    last = page.read(bulk.last_move)
    if not last:
        return
    said = (
        f"Last moved to active together: {plural(last['pairs'], 'pair')} ({ui.when(last['at'])}, {last['moderator']})."
    )
    if ui.undo_offer(said, key="pairs.trials.undo", label="Undo that move"):
        page.apply(lambda cur: _undo(cur, page), None)


def _move(cursor, chosen: list[int], page: Page) -> None:
    moved = bulk.move_to_active(cursor, chosen, moderator=page.moderator)
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    st.toast(f"{plural(moved, 'pair')} now active. Undo is at the top of the page.")


def _undo(cursor, page: Page) -> None:
    undone = bulk.undo_last_move(cursor, moderator=page.moderator)
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    st.toast(f"Undone: {plural(undone, 'pair')} back in trial.")
