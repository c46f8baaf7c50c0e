"""Home: what needs the moderator today."""

from datetime import timedelta

import streamlit as st

from lib import demo, ui
from lib.members import applicants
from lib.messages import outbox
from lib.pair_life import attention, lifecycle, pace
from lib.ui import checkins as ui_checkins
from lib.ui import group as ui_group

page = ui.page_setup("Home", ":material/home:")
summary = page.read(applicants.home_summary)
st.title("Peer mentoring: today")
ui.show_settings_warnings()


def go(target: str, state: dict) -> None:
    """Open another page with some of its widgets (and tabs) already set."""
    st.session_state.update(state)
    st.switch_page(target)


def advance(pairing_id: int, to: str) -> None:
    page.apply(lambda cur: lifecycle.advance(cur, pairing_id, to, moderator=page.moderator))


def snooze_over(row, text, buttons) -> None:
    """A pair whose snooze date has come: nudge it, wake it, or give it two more weeks."""
    pair, note = int(row.id), row.snooze_note if ui.given(row.snooze_note) else None
    back = "back today" if row.days == 0 else f"back {ui.plural(row.days, 'day')} ago"
    said = ui.safe(ui.snooze_words(row.snoozed_until, note))
    text.write(f"#{row.id} {ui.safe(row.a_name)} + {ui.safe(row.b_name)}: {said} ({back})")
    with buttons.popover("Nudge", icon=":material/mail:"):
        st.code(attention.nudge_text("snooze_over", row._asdict()), language=None, wrap_lines=True)
    if buttons.button("Wake", key=f"home.wake.{row.id}", icon=":material/alarm:"):
        page.apply(lambda cur: pace.wake(cur, pair, moderator=page.moderator), "Awake: back on the usual lists.")
    if buttons.button("Snooze 2 more weeks", key=f"home.snooze.{row.id}", icon=":material/snooze:"):
        until = ui.today() + timedelta(days=14)
        page.apply(
            lambda cur: pace.snooze(cur, pair, until, note=note, moderator=page.moderator),
            f"Snoozed until {until:%d %b %Y}.",
        )


if summary["total"] == 0:
    st.info(
        "No applications yet. Bring in your application form's CSV export, or look around with a "
        "made-up demo community first.",
        icon=":material/inbox:",
    )
    left, right = st.columns(2)
    left.page_link("pages/1_Import.py", label="Import a CSV export", icon=":material/upload_file:")
    if right.button("Load the demo community", key="home.load_demo", icon=":material/science:"):
        page.apply(lambda cur: demo.load_demo(cur, moderator=page.moderator), "Loaded the made-up demo community.")
    st.stop()

st.subheader("Needs attention")
mail = page.read(outbox.waiting)
if mail["drafts"] or mail["failed"]:
    waiting = [f"**{ui.plural(mail['drafts'], 'draft')}** waiting to be sent"] if mail["drafts"] else []
    waiting += [f"**{ui.plural(mail['failed'], 'message')}** not sent (failed)"] if mail["failed"] else []
    text, link = st.columns([3, 2], vertical_alignment="center")
    text.markdown(f":material/outbox: {' and '.join(waiting)}.")
    right = link.container(horizontal=True, horizontal_alignment="right")
    right.page_link("pages/10_Outbox.py", label="Open the Outbox", icon=":material/arrow_forward:")
ui_group.home_line(page)
ui_checkins.due_line(page)
limits = page.read(attention.thresholds)
for kind, frame in page.read(attention.needs_attention).items():
    title = attention.TITLES[kind].format(**limits)
    # Rows are drawn only while their list is open, so a long list costs nothing until it is wanted.
    box = st.expander(
        f"{title}: **{len(frame)}**", expanded=0 < len(frame) <= 5, key=f"home.list.{kind}", on_change="rerun"
    )
    if not box.open:
        continue
    with box:
        if frame.empty:
            st.caption("Nothing here.")
        for row in frame.head(10).itertuples():
            text, actions = st.columns([3, 2], vertical_alignment="center")
            # the buttons sit side by side and wrap under each other on a narrow window, never cut short
            buttons = actions.container(horizontal=True, horizontal_alignment="right")
            if kind in ui_checkins.KINDS:
                ui_checkins.attention_row(page, kind, row, text, buttons, go)
            elif kind in ("no_trial", "no_outcome", "no_checkin"):
                text.write(
                    f"#{row.id} {ui.safe(row.a_name)} + {ui.safe(row.b_name)}: {ui.plural(int(row.days), 'day')}"
                )
                with buttons.popover("Nudge", icon=":material/mail:"):
                    st.code(attention.nudge_text(kind, row._asdict()), language=None, wrap_lines=True)
                if kind == "no_trial" and buttons.button("Trial agreed", key=f"home.trial.{row.id}"):
                    advance(row.id, "trial")
                elif kind == "no_outcome" and buttons.button("Went well", key=f"home.active.{row.id}"):
                    advance(row.id, "active")
                elif kind == "no_checkin" and buttons.button("Open", key=f"home.pair.{row.id}"):
                    go("pages/6_Pairs.py", {"pairs.pick": row.id})
            elif kind == "snooze_over":
                snooze_over(row, text, buttons)
            elif kind in ("left_behind", "waiting"):
                text.write(
                    f"{ui.safe(row.name)} ({ui.safe(row.email)}): waiting {ui.plural(int(row.days), 'day')} since acceptance"
                )
                if buttons.button("Find a partner", key=f"home.{kind}.{row.id}"):
                    go("pages/5_Matching.py", {"match.member": row.email, "match.tab": "For one member"})
            else:
                text.write(f"{ui.safe(row.name)} ({ui.safe(row.email)}): applied {ui.plural(int(row.days), 'day')} ago")
                if buttons.button("Open", key=f"home.screen.{row.id}"):
                    go("pages/2_Applicants.py", {"applicants.search": row.email})
        if len(frame) > 10:
            st.caption(f"... and {len(frame) - 10} more.")

st.subheader("Screening")
counts = page.read(applicants.stage_counts)
for column, row in zip(st.columns(len(counts)), counts.itertuples()):
    column.metric(row.stage.capitalize(), row.count, help=applicants.STAGE_HELP[row.stage])
last = summary["last_import"]
if last:
    st.write(
        f"**{last['inserted']} new** and {last['updated']} updated applications in the last import "
        f"({ui.safe(last['filename'])}, {last['imported_at']:%d %b %Y %H:%M}); {last['rejected']} rows rejected."
    )

with st.expander("Thresholds for these lists"):
    cols = st.columns(len(limits))
    chosen = {
        k: cols[i].number_input(k.replace("_", " ").capitalize(), 1, 365, int(v), key=f"home.limit.{k}")
        for i, (k, v) in enumerate(limits.items())
    }
    if st.button("Save thresholds", key="home.save_limits"):
        page.apply(lambda cur: attention.save_thresholds(cur, chosen, moderator=page.moderator), "Thresholds saved.")

if summary["demo"]:
    st.divider()
    st.caption(f"{summary['demo']} demo applicants are loaded. Removing them leaves your own data as it is.")
    if st.button("Remove demo data", key="home.remove_demo", icon=":material/delete:"):
        page.apply(lambda cur: demo.remove_demo(cur, moderator=page.moderator), "Removed the demo data.")
