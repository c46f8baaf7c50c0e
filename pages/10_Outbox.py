"""Outbox: every message the dashboard drafted; review, edit and send them, and see what went out.

Decisions: Send on one message saves its edited text first, so what the moderator sees is what goes out;
"Send all drafts" sends the drafts listed when it was pressed (not one drafted meanwhile), with the text
saved for them; a failed message can be edited and sent again; sent and discarded ones are read-only.
"""

import streamlit as st

from lib import ui
from lib.messages import outbox
from lib.ui import checkins as ui_checkins

page = ui.page_setup("Outbox", ":material/outbox:")
st.title("Outbox")
st.caption(
    "Messages are drafted when something makes them due: a confirmed pair, an ending, an accepted or declined "
    "applicant, a note you write. Nothing leaves until you send it."
)
ui.show_mail_account()
ui.show_delivery()
ui_checkins.due_panel(page)
messages = page.read(outbox.listing)
SHOWN_OPEN = 3  # the first drafts are open for reading; the rest open on a click
SHOWN = 50  # editable messages drawn at once; the rest follow as these are sent or discarded


def unsent(row, index: int) -> None:
    """A draft or failed message: its recipients, editable subject and text, and what to do with it."""
    label = f"{ui.KIND_LABELS[row.kind]} to {ui.names(row.recipients)}"
    with st.expander(label, expanded=index < SHOWN_OPEN, icon=":material/mail:"):
        if row.status == "failed":
            st.warning(ui.safe(row.error or "The last try failed."), icon=":material/error:")
        st.caption(f"#{row.id} to {ui.recipients(row.recipients)}, drafted {row.created_at:%d %b %Y at %H:%M}")
        subject = st.text_input("Subject", row.subject, key=f"outbox.subject.{row.id}")
        body = st.text_area("Message", row.body, height=300, key=f"outbox.body.{row.id}")
        changed = (subject, body) != (row.subject, row.body)

        def save(cur, message_id=row.id):
            outbox.edit(cur, message_id, subject=subject, body=body, moderator=page.moderator)

        buttons = st.container(horizontal=True)
        again = "Send again" if row.status == "failed" else "Send"
        if buttons.button(again, key=f"outbox.send.{row.id}", type="primary", icon=":material/send:"):
            ui.send_messages(page, [row.id], first=save if changed else None)
        if buttons.button("Save changes", key=f"outbox.save.{row.id}"):
            page.apply(save, "Changes saved.")
        if buttons.button("Discard", key=f"outbox.discard.{row.id}", icon=":material/delete:"):
            page.apply(
                lambda cur, message_id=row.id: outbox.discard(cur, [message_id], moderator=page.moderator),
                "Discarded; it stays listed under Discarded.",
            )


def unsent_list(frame) -> None:
    """The first SHOWN of these unsent messages, each editable."""
    for index, row in enumerate(frame.head(SHOWN).itertuples()):
        unsent(row, index)
    if len(frame) > SHOWN:
        st.caption(f"The first {SHOWN} of {len(frame)} are shown; the others follow as these are sent or discarded.")


def send_all(drafts) -> None:
    """Send every draft listed, after one confirmation."""
    if st.button(
        f"Send all drafts ({len(drafts)})", key="outbox.send_all", icon=":material/send:", disabled=drafts.empty
    ):
        st.session_state["outbox.confirm_all"] = [int(i) for i in drafts["id"]]
    pending = st.session_state.get("outbox.confirm_all")
    if not pending:
        return
    with st.container(border=True):
        st.warning(
            f"Send {ui.plural(len(pending), 'message')} now, as saved? Edits not yet saved with "
            "'Save changes' are not sent.",
            icon=":material/help:",
        )
        yes, no = st.columns(2)
        if yes.button(f"Yes, send {ui.plural(len(pending), 'message')}", key="outbox.send_all.yes", type="primary"):
            st.session_state.pop("outbox.confirm_all")
            ui.send_messages(page, pending)
        if no.button("Cancel", key="outbox.send_all.no"):
            st.session_state.pop("outbox.confirm_all")
            st.rerun()


def farewell_replies(sent) -> None:
    """Paste a member's answer to a farewell: it becomes the feedback of the ending it followed."""
    farewells = sent[(sent["kind"] == "farewell") & sent["ending_id"].notna()]
    if farewells.empty:
        return
    st.subheader("Paste their reply")
    st.caption("A reply to a farewell is kept as that ending's feedback, so Analytics hears why people left.")
    choices = ui.message_choices(farewells)
    pick = st.selectbox("Farewell", list(choices), format_func=choices.get, key="outbox.reply_to")
    reply = st.text_area("Their reply", key="outbox.reply", placeholder="Paste the member's answer here")
    if st.button("Keep it as their feedback", key="outbox.save_reply"):
        page.apply(
            lambda cur: outbox.record_reply(cur, pick, reply, moderator=page.moderator),
            "Kept as the ending's feedback.",
            forget=("outbox.reply",),
        )


def archive(frame, title: str, columns: list[str], key: str) -> None:
    """Sent or discarded messages: read-only, collapsed, newest first; one can be opened to read."""
    with st.expander(f"{title} ({len(frame)})", icon=":material/inventory_2:"):
        if frame.empty:
            st.caption("None yet.")
            return
        ui.message_table(frame, columns, key=f"outbox.{key}.table")
        choices = ui.message_choices(frame)
        pick = st.selectbox("Read one", list(choices), format_func=choices.get, index=None, key=f"outbox.{key}.read")
        if pick is not None:
            ui.show_message(frame[frame["id"] == pick].iloc[0].to_dict())


def hourly_cap() -> None:
    """The most messages sent in any hour (the provider's limit)."""
    with st.expander("Sending limit", icon=":material/speed:"):
        cap = st.number_input(
            "Messages per hour at most",
            1,
            2000,
            page.read(outbox.hourly_cap),
            key="outbox.cap",
            help="Gmail and Google Workspace allow about 500 messages a day. The rest wait for the next hour.",
        )
        if st.button("Save the limit", key="outbox.save_cap"):
            page.apply(lambda cur: outbox.set_hourly_cap(cur, int(cap), moderator=page.moderator), "Limit saved.")


drafts = messages[messages["status"] == "draft"]
failed = messages[messages["status"] == "failed"]
st.subheader(f"Drafts ({len(drafts)})")
if drafts.empty:
    st.info("No drafts are waiting.", icon=":material/inbox:")
send_all(drafts)
unsent_list(drafts)
if not failed.empty:
    st.subheader(f"Not sent ({len(failed)})")
    st.caption("Each kept its text and says what went wrong; send it again when the problem is fixed.")
    unsent_list(failed)
sent = messages[messages["status"] == "sent"]
st.subheader("Sent and discarded")
archive(sent, "Sent", ["sent_at", "kind", "to", "subject", "message_id", "error"], "sent")
archive(messages[messages["status"] == "discarded"], "Discarded", ["updated_at", "kind", "to", "subject"], "discarded")
farewell_replies(sent)
hourly_cap()
