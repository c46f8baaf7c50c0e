"""Applicants: search, filter and move people through screening; keep notes from the chat."""

import streamlit as st

from lib import ui
from lib.intake import importer
from lib.members import applicants, stages
from lib.messages import outbox

page = ui.page_setup("Applicants", ":material/group:")
st.title("Applicants")

COLUMNS = {
    "name": st.column_config.TextColumn("Name", pinned=True),
    "email": "Email",
    "status": "Stage",
    "days_waiting": st.column_config.NumberColumn("Days waiting", help="Days since the application"),
    "offers": st.column_config.ListColumn("Can offer"),
    "wants": st.column_config.ListColumn("Wants to learn"),
    "timezone": "Time zone",
    "free_times": st.column_config.TextColumn("Free times", help="When they are usually free, in their own time"),
    "weekly_budget": st.column_config.TextColumn("Weekly budget", help="The time a week they said they can give"),
    "experience_years": st.column_config.NumberColumn("Experience (years)", format="%.1f"),
    "linkedin": st.column_config.LinkColumn("LinkedIn", display_text="profile"),
    "github": st.column_config.LinkColumn("GitHub", display_text="profile"),
}


def stage_line() -> None:
    """How many applicants wait in each stage."""
    counts = page.read(applicants.stage_counts)
    st.caption(" · ".join(f"{r.stage}: **{r.count}**" for r in counts.itertuples()))


def applicants_table():
    """Applicants filtered by a search and a stage; None (with a hint) when nobody matches."""
    left, right = st.columns([2, 1])
    search = left.text_input(
        "Search names, emails and skills",
        key="applicants.search",
        placeholder="for example: kafka, @example.org, Amara",
    )
    stage = right.selectbox("Stage", ["all", *stages.STAGE_HELP], key="applicants.stage")
    table = page.read(applicants.list_applicants, status=None if stage == "all" else stage, search=search)
    if table.empty:
        st.info(
            "Nobody matches. Clear the search or choose another stage; new people arrive through Import.",
            icon=":material/search_off:",
        )
        return None
    # an empty answer reads "unknown": they gave none (never "never free")
    shown = table.head(ui.MAX_ROWS).replace({"free_times": {"": "unknown"}, "weekly_budget": {"": "unknown"}})
    shown["timezone"] = shown["timezone"].fillna("unknown")
    st.dataframe(shown[list(COLUMNS)], hide_index=True, key="applicants.table", column_config=COLUMNS)
    st.caption(ui.shown_caption(len(shown), len(table), "applicants"))
    ui.download_csv(
        table.drop(columns=["id"]),
        filename="applicants.csv",
        label="Download this list (CSV)",
        key="applicants.download",
    )
    return table


def move_form(table) -> list[str]:
    """Move the chosen applicants to a stage; returns the chosen emails."""
    st.subheader("Move through screening")
    choices = table.head(ui.MAX_CHOICES)
    labels = dict(zip(choices["email"], choices["name"] + " <" + choices["email"] + ">"))
    chosen = st.multiselect("Applicants", list(labels), format_func=labels.get, key="applicants.selected")
    to_col, reason_col = st.columns([1, 2])
    to = to_col.selectbox(
        "Move to", list(stages.MOVABLE), key="applicants.to", format_func=lambda s: f"{s}: {stages.STAGE_HELP[s]}"
    )
    reason = reason_col.text_input("Reason (needed when declining)", key="applicants.reason")
    if st.button("Move", key="applicants.move", type="primary", disabled=not chosen):
        page.apply(
            lambda cur: applicants.set_status(cur, chosen, to, reason=reason or None, moderator=page.moderator),
            f"Moved {len(chosen)} applicants to {to}.",
        )
    return chosen


def one_applicant(email: str) -> None:
    """One applicant's goals, extra answers, stage history and the moderator's notes."""
    person = page.read(applicants.get_applicant, email)
    st.subheader(ui.safe(person["name"]))
    st.text(f"What they want from it: {person['goals'] or '(not given)'}")
    if person["extra"]:
        st.json(person["extra"], expanded=False)
    st.dataframe(page.read(applicants.status_history, email), hide_index=True, key="applicants.history")
    mail = page.read(outbox.listing, member=int(person["id"]))
    st.markdown(f"**Messages** ({len(mail)})")
    if mail.empty:
        st.caption("No messages to or about them yet.")
    else:
        ui.message_table(mail, ["created_at", "kind", "subject", "status", "sent_at"], key="applicants.messages")
    notes = st.text_area("Notes from the chat", value=person["notes"] or "", key=f"applicants.notes.{person['id']}")
    if st.button("Save notes", key="applicants.save_notes"):
        page.apply(lambda cur: applicants.set_notes(cur, email, notes, moderator=page.moderator), "Notes saved.")


def unknown_zones() -> None:
    """The time-zone answers not understood (stored as unknown), so the moderator can ask again."""
    table = page.read(importer.unreadable_timezones)
    if table.empty:
        return
    st.subheader("Answers not understood")
    st.caption("These time-zone answers name no zone for sure; their members count as 'time zone unknown' in matching.")
    st.dataframe(table, hide_index=True, key="applicants.unknown_zones")


stage_line()
table = applicants_table()
if table is not None:
    chosen = move_form(table)
    if chosen:
        ui.note_form(page, {ui.plural(len(chosen), "chosen applicant"): chosen}, key="applicants.note")
    if len(chosen) == 1:
        one_applicant(chosen[0])
unknown_zones()
