"""The Applicants page's screening queue: an editable table (tick, stage, notes), one bar of actions for
the ticked rows, and an undo of the last change.

Decided where the issue is silent: ticking is done in the table's first column (a click or the space
bar; arrow keys move between cells, Enter or a double click opens a note); "Tick all" ticks every row
the filters show. Notes and stages edited in the table are saved together with any action, or alone
with "Save changes". Declining needs a reason from the settings' list; the optional sentence follows
it, and both boxes are emptied after each change so a reason never carries over to the next person.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from lib import ui
from lib.members import applicants, screening, stages
from lib.messages import outbox, settings
from lib.ui import (
    Page,
    download_csv,
    message_table,
    note_form,
    plural,
    safe,
    shown_caption,
)

GENERATION = "applicants.generation"  # bumped after every change: the table starts again from the database
SHOWN = "applicants.shown"  # which rows the table showed last time: other rows mean fresh edits
ALL = "applicants.all"
REASON, SENTENCE, MOVE_TO = "applicants.decline_reason", "applicants.decline_sentence", "applicants.to"
EDITABLE = ["pick", "status", "notes"]
ROW_HEIGHT, VISIBLE_ROWS = 35, 20  # the table's rows in pixels (Streamlit's default), and how many show at once
# The order reads left to right as screening goes: who, new or not, stage, what they offer and want, the notes
# from the chat; the rest further right. Notes start 650 px in (40 + 150 + 50 + 110 + 150 + 150): in view at 1280.
COLUMNS = {
    "pick": st.column_config.CheckboxColumn(
        "✓", help="Tick to act on this applicant (space bar)", width=40, pinned=True
    ),
    "name": st.column_config.TextColumn("Name", pinned=True, width=150),
    "new": st.column_config.TextColumn("New", help="Arrived with the latest import", width=50),
    "status": st.column_config.SelectboxColumn("Stage", options=list(stages.MOVABLE), required=True, width=110),
    "offers": st.column_config.ListColumn("Can offer", width=150),
    "wants": st.column_config.ListColumn("Wants to learn", width=150),
    "notes": st.column_config.TextColumn("Notes from the chat", width=240, help="Type, or press Enter, to write"),
    "days_waiting": st.column_config.TextColumn(
        "Days waiting", help="Days since the application, while undecided", width=90
    ),
    "email": st.column_config.TextColumn("Email"),
    "timezone": st.column_config.TextColumn("Time zone"),
    "free_times": st.column_config.TextColumn("Free times", help="When they are usually free, in their own time"),
    "weekly_budget": st.column_config.TextColumn("Weekly budget", help="The time a week they said they can give"),
    "experience_years": st.column_config.TextColumn("Experience (years)"),
    "decline_reason": st.column_config.TextColumn("Declined because", width="medium"),
    "linkedin": st.column_config.LinkColumn("LinkedIn", display_text="profile"),
    "github": st.column_config.LinkColumn("GitHub", display_text="profile"),
}
VIEW_LABELS = screening.VIEWS | {s: f"Stage: {s}" for s in stages.MOVABLE}
HISTORY_COLUMNS = {
    "changed_at": st.column_config.DatetimeColumn("When", format="D MMM YYYY, HH:mm"),
    "from_status": "From",
    "to_status": "To",
    "reason": st.column_config.TextColumn("Reason", width="large"),
    "moderator": "By",
}


def undo_bar(page: Page) -> None:
    """The last screening change in words, with a button that takes it back."""
    last = page.read(screening.last_change)
    if not last:
        return
    said = f"Last change: {screening.describe(last['done'])} ({ui.when(last['at'])}, {last['moderator']})."
    if ui.undo_offer(said, key="applicants.undo"):
        page.apply(lambda cur: _undo(cur, page), None)


def stage_line(page: Page) -> None:
    """How many applicants are in each stage."""
    counts = page.read(applicants.stage_counts)
    st.caption(" · ".join(f"{r.stage}: **{r.count}**" for r in counts.itertuples() if r.stage != stages.FINAL))


def queue_table(page: Page) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Filters and the editable table; returns (what was shown, what the moderator made of it) or None."""
    left, right = st.columns([2, 1])
    search = left.text_input(
        "Search names, emails and skills", key="applicants.search", placeholder="for example: kafka, @example.org"
    )
    view = right.selectbox("Show", list(VIEW_LABELS), format_func=VIEW_LABELS.get, key="applicants.stage")
    table = page.read(screening.queue, view=view, search=search)
    if table.empty:
        hint = "Nobody matches. Clear the search or choose another view; new people arrive through Import."
        st.info(hint if search or view != "decision" else "Nobody waits for a decision.", icon=":material/search_off:")
        return None
    shown = _shown(table.head(ui.MAX_ROWS))
    tick_all = st.checkbox(f"Tick all {len(shown):,} shown", key=ALL)
    edited = st.data_editor(
        shown.assign(pick=tick_all),
        key=_editor_key(shown),
        hide_index=True,
        column_order=list(COLUMNS),
        column_config=COLUMNS,
        disabled=[c for c in COLUMNS if c not in EDITABLE],
        height=ROW_HEIGHT * (min(len(shown), VISIBLE_ROWS) + 1) + 3,  # up to 20 rows without scrolling
    )
    st.caption(
        shown_caption(len(shown), len(table), "applicants")
        + " Tick with a click or the space bar; to tick a run of rows, tick the first, drag down the ✓ column"
        " and press Ctrl+D (fill down, as in a spreadsheet). Arrow keys move, typing writes a note, Enter opens"
        " a stage."
    )
    return shown, edited


def action_bar(page: Page, shown: pd.DataFrame, edited: pd.DataFrame) -> list[int]:
    """Accept, decline or move the ticked applicants (saving the table's edits too); returns the ticked ids."""
    ticked = [int(i) for i in edited.index[edited["pick"].fillna(False)]]
    edits = _edits(shown, edited)
    pending = len(edits.notes) + len(edits.moves)
    said = f"**{plural(len(ticked), 'applicant')} ticked**" if ticked else "Tick applicants to act on them"
    st.markdown(said + (f" · {plural(pending, 'unsaved change')} in the table" if pending else ""))
    row = st.container(horizontal=True, vertical_alignment="bottom")
    none = not ticked
    declining = bool(st.session_state.get(REASON))  # a decline reason chosen: Decline is the blue button, not Accept
    accept = "secondary" if declining else "primary"
    if row.button(f"Accept {len(ticked)}", key="applicants.accept", type=accept, disabled=none):
        _act(page, edits, ticked, "accepted")
    to = row.selectbox(
        "Move to", [s for s in stages.MOVABLE if s not in ("accepted", "declined")], key=MOVE_TO, width=220
    )
    if row.button(f"Move {len(ticked)}", key="applicants.move", disabled=none):
        _act(page, edits, ticked, to)
    if row.button(f"Save {plural(pending, 'change')}", key="applicants.save", disabled=not pending):
        _act(page, edits, [], None)
    _decline_row(page, edits, ticked)
    return ticked


def one_applicant(page: Page, email: str) -> None:
    """One applicant's goals, extra answers, stage history and messages."""
    person = page.read(applicants.get_applicant, email)
    st.subheader(safe(person["name"]))
    st.text(f"What they want from it: {person['goals'] or '(not given)'}")
    if person["extra"]:
        st.json(person["extra"], expanded=False)
    history = page.read(applicants.status_history, person["email"])
    st.dataframe(history.fillna(""), hide_index=True, key="applicants.history", column_config=HISTORY_COLUMNS)
    mail = page.read(outbox.listing, member=int(person["id"]))
    st.markdown(f"**Messages** ({len(mail)})")
    if mail.empty:
        st.caption("No messages to or about them yet.")
    else:
        message_table(mail, ["created_at", "kind", "subject", "status", "sent_at"], key="applicants.messages")


def ticked_extras(page: Page, shown: pd.DataFrame, ticked: list[int]) -> None:
    """A note to the ticked applicants, and one applicant's details when exactly one is ticked."""
    if ticked:
        emails = list(shown.loc[ticked, "email"])
        note_form(page, {plural(len(emails), "ticked applicant"): emails}, key="applicants.note")
    if len(ticked) == 1:
        one_applicant(page, shown.at[ticked[0], "email"])


def download(table: pd.DataFrame) -> None:
    """Everything the table shows (all rows, not only the first MAX_ROWS) as a CSV."""
    columns = [c for c in table.columns if c not in ("pick", "new")]
    download_csv(table[columns], filename="applicants.csv", label="Download this list (CSV)", key="applicants.download")


def _decline_row(page: Page, edits: screening.Change, ticked: list[int]) -> None:
    reasons = page.read(settings.get, "decline_reasons")
    hint = "Edit the list: python -m lib settings set decline_reasons 'a, b, c'"
    reason = st.radio("Decline reason", reasons, index=None, key=REASON, horizontal=True, help=hint)
    row = st.container(horizontal=True, vertical_alignment="bottom")
    sentence = row.text_input("In a sentence (optional)", key=SENTENCE, placeholder="private to moderators")
    kind = "primary" if reason else "secondary"
    if row.button(f"Decline {len(ticked)}", key="applicants.decline", type=kind, disabled=not ticked or not reason):
        edits.reason = screening.decline_reason(reason, sentence)
        _act(page, edits, ticked, "declined")


def _act(page: Page, edits: screening.Change, ticked: list[int], to: str | None) -> None:
    moves = dict(edits.moves) | (dict.fromkeys(ticked, to) if to else {})
    change = screening.Change(dict(edits.notes), moves, edits.reason)

    def action(cursor) -> None:
        done = screening.apply(cursor, change, moderator=page.moderator)
        st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
        mailed = " Their messages are drafted in the Outbox." if done["accepted"] or done["declined"] else ""
        st.toast(f"Done: {screening.describe(done)}.{mailed} Undo is at the top of the page.")

    page.apply(action, None, forget=(ALL, REASON, SENTENCE))


def _undo(cursor, page: Page) -> None:
    undone = screening.undo_last(cursor, moderator=page.moderator)
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    sent = undone["already_sent"]
    kept = f" {plural(sent, 'message')} had been sent already and stay sent." if sent else ""
    st.toast(f"Undone: {screening.describe(undone)}.{kept}")


def _shown(table: pd.DataFrame) -> pd.DataFrame:
    # an empty answer reads "unknown": they gave none (never "never free")
    shown = table.replace({"free_times": {"": "unknown"}, "weekly_budget": {"": "unknown"}})
    shown["timezone"] = shown["timezone"].fillna("unknown")
    shown["notes"] = shown["notes"].fillna("")
    shown["decline_reason"] = shown["decline_reason"].fillna("")
    for link in ("linkedin", "github"):  # no link given: an empty cell (the grid writes None for a missing value)
        shown[link] = shown[link].fillna("")
    # blank, never "None", for people who do not wait and answers not given
    shown["days_waiting"] = shown["days_waiting"].map(lambda d: "" if pd.isna(d) else f"{int(d)}")
    shown["experience_years"] = shown["experience_years"].map(lambda y: "" if pd.isna(y) else f"{y:g}")
    shown["new"] = shown["is_new"].map({True: "new", False: ""})
    return shown.set_index(shown["id"].astype(int))


def _editor_key(shown: pd.DataFrame) -> str:
    """The table's key: it changes after every change and whenever other rows are shown, so edits made to
    one list never land on the rows of another (the editor remembers edits by row position)."""
    digest = hashlib.sha1(",".join(map(str, shown.index)).encode()).hexdigest()[:10]
    if st.session_state.get(SHOWN) != digest:
        st.session_state[SHOWN] = digest
        st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    return f"applicants.queue.{st.session_state.get(GENERATION, 0)}"


def _edits(shown: pd.DataFrame, edited: pd.DataFrame) -> screening.Change:
    def changed(column: str) -> list:
        return [i for i in shown.index if (edited.at[i, column] or "") != (shown.at[i, column] or "")]

    notes = {int(i): str(edited.at[i, "notes"] or "") for i in changed("notes")}
    return screening.Change(notes=notes, moves={int(i): str(edited.at[i, "status"]) for i in changed("status")})
