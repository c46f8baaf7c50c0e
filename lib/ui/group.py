"""The Group page's pieces: the group's settings, the member-list upload, the three lists, the digest panel."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import demo
from lib.errors import MentoringError
from lib.group import digest, reconcile, roster
from lib.messages import settings
from lib.ui import Page, plural, safe, show_error, today

RESULT = "group.import_result"  # the last import's counts and warnings, for the one draw after it
STALE_DAYS = 14
WHY_REMOVE = {"withdrawn": "Left the service", "declined": "Declined"}


def settings_form(page: Page) -> None:
    """The group's posting address and the digest's weekday, saved together."""
    with st.form("group.settings", border=True):
        left, right = st.columns([3, 2])
        address = left.text_input(
            "The group's posting address",
            page.read(settings.get, "group_address") or "",
            placeholder="peer-mentoring@googlegroups.com",
            key="group.address",
            help="The digest is drafted to this address; posting there sends it to the whole group.",
        )
        days = list(settings.WEEKDAYS)
        weekday = right.selectbox(
            "Digest day", days, days.index(page.read(settings.get, "digest_weekday")), key="group.weekday"
        )
        if st.form_submit_button("Save", icon=":material/save:"):

            def save(cur):
                settings.set_value(cur, "group_address", address, moderator=page.moderator)
                settings.set_value(cur, "digest_weekday", weekday, moderator=page.moderator)

            page.apply(save, "Saved the group's settings.")


def roster_status(page: Page, found: reconcile.Diff | None) -> None:
    """Where the stored member list came from and how old it is."""
    latest = page.read(roster.latest_import)
    if latest is None:
        st.info(
            "No member list imported yet. In Google Groups open the group, then **People › Members › Export "
            "members** (a Workspace group: Admin console › Groups › the group › Members › Download), and upload "
            "the file below.",
            icon=":material/group_add:",
        )
        return
    age = roster.age_words(latest["exported_at"], latest["exported_from"], today=today())
    text = (
        f"Member list **{age}**: {plural(latest['members'], 'member')} from {latest['source']} "
        f"({safe(latest['filename'])})."
    )
    if (today() - latest["exported_at"].date()).days > STALE_DAYS:
        st.warning(text + " Export it again for an up-to-date comparison.", icon=":material/schedule:")
    else:
        st.caption(text)
    if found is not None and not found.screening.empty:
        st.caption(
            f"{plural(len(found.screening), 'applicant')} still being screened "
            f"{'is' if len(found.screening) == 1 else 'are'} already in the group; they are in none of the lists."
        )


def upload(page: Page) -> None:
    """Upload an export; a re-import replaces the stored list."""
    with st.expander("Import the group's member list", expanded=page.read(roster.latest_import) is None):
        file = st.file_uploader("Member list (CSV)", type=["csv", "txt"], key="group.file")
        if page.read(demo.has_demo):
            st.download_button(
                "Download the demo's member list",
                page.read(roster.demo_export),
                file_name="peer-mentoring members (demo).csv",
                mime="text/csv",
                key="group.demo_list",
                icon=":material/download:",
                help="A made-up Google Groups export of the demo community (most accepted members, a few who "
                "left, the moderator and a stranger): upload it here to try the page.",
            )
        if st.button("Import member list", key="group.import", disabled=file is None, icon=":material/upload:"):
            try:
                with page.writing() as cur:
                    done = roster.import_roster(cur, file.getvalue(), filename=file.name, moderator=page.moderator)
            except MentoringError as exc:
                show_error(exc)
                return
            st.session_state[RESULT] = {"members": done.members, "warnings": done.warnings}
            st.rerun()
    result = st.session_state.pop(RESULT, None)
    if result:
        st.success(f"Imported {plural(result['members'], 'group member')}.", icon=":material/check:")
        for warning in result["warnings"]:
            st.warning(safe(warning), icon=":material/warning:")


def to_add(frame: pd.DataFrame) -> None:
    """Accepted members missing from the group: the list to paste into Google Groups' "Add members"."""
    if frame.empty:
        st.caption("Every accepted member is in the group.")
        return
    st.write("Paste this into Google Groups › **People › Add members** (the copy button is at its top right):")
    st.code(reconcile.paste_list(frame["email"]), language=None, wrap_lines=True)
    labels = {"name": "Name", "email": "Email"} | ({"paused": "Paused"} if frame["paused"].any() else {})
    _table(frame.assign(paused=frame["paused"].map({True: "paused", False: ""})), labels, "group.add")


def to_remove(frame: pd.DataFrame) -> None:
    """People who left or were declined and are still in the group."""
    if frame.empty:
        st.caption("Nobody who left or was declined is in the group.")
        return
    st.write("Remove these in Google Groups › **People › Members** (tick them, then *Remove member*):")
    st.code(reconcile.paste_list(frame["email"]), language=None, wrap_lines=True)
    shown = frame.assign(status=frame["status"].map(WHY_REMOVE), since=frame["since"].dt.strftime("%d %b %Y"))
    _table(shown, {"name": "Name", "email": "Email", "status": "Why", "since": "Since"}, "group.remove")


def unknown(frame: pd.DataFrame) -> None:
    """Group members the dashboard has no application from."""
    if frame.empty:
        st.caption("The dashboard knows everyone in the group.")
        return
    st.write("In the group, but no application has their address: the moderators, or people who joined another way.")
    joined = pd.to_datetime(frame["joined_on"]).dt.strftime("%d %b %Y").fillna("")
    shown = frame.assign(name=frame["name"].fillna(""), role=frame["role"].str.capitalize(), joined_on=joined)
    labels = {"email": "Email", "name": "Name in the group", "role": "Role"}
    labels |= {"joined_on": "Joined"} if frame["joined_on"].notna().any() else {}
    _table(shown, labels, "group.unknown")


def digest_panel(page: Page) -> None:
    """A preview of this week's digest and the button that drafts it into the outbox."""
    address = page.read(settings.get, "group_address")
    if page.read(digest.due):
        st.info("This week's digest is due today.", icon=":material/event:")
    preview = page.read(digest.compose, moderator=page.moderator)
    with st.container(border=True):
        st.markdown(f"**{safe(preview.subject)}**")
        st.text(preview.body)
    if not address:
        st.warning("Set the group's posting address above to draft the digest.", icon=":material/mail:")
    if st.button(
        "Draft this week's digest", key="group.draft", type="primary", disabled=not address, icon=":material/edit_note:"
    ):
        page.apply(
            lambda cur: digest.draft_digest(cur, moderator=page.moderator),
            "Drafted into the Outbox: read, edit and send it there.",
        )


def _table(frame: pd.DataFrame, labels: dict[str, str], key: str) -> None:
    st.dataframe(frame[list(labels)].rename(columns=labels), hide_index=True, width="stretch", key=key)


def home_line(page: Page) -> None:
    """On the home page: the group's lists when not empty, and the digest when it is due."""
    counts = page.read(reconcile.counts) or {}
    words = {"to_add": "to add", "to_remove": "to remove", "unknown": "unknown"}
    parts = [f"**{n} {words[k]}**" for k, n in counts.items() if n]
    due = page.read(digest.due) and page.read(settings.get, "group_address")
    if not parts and not due:
        return
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)
    said = "Google group: " + "; ".join([p for p in (listed, "this week's digest is due" if due else "") if p])
    text, link = st.columns([3, 2], vertical_alignment="center")
    text.markdown(f":material/forum: {said}.")
    right = link.container(horizontal=True, horizontal_alignment="right")
    right.page_link("pages/12_Group.py", label="Open the Google group page", icon=":material/arrow_forward:")
