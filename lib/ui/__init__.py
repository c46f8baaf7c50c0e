"""The one module that touches Streamlit: page setup, the login gate, the shared connection."""

from __future__ import annotations

import copy
import json
import re
import threading
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from lib import auth, config, demo, startup
from lib.errors import MentoringError
from lib.insight import charts
from lib.intake import importer
from lib.matching import rounds, score
from lib.messages import drafts, mail, outbox, templates
from lib.pair_life import lifecycle, pace
from lib.privacy import privacy
from lib.storage import db, exports

APP_NAME = "Peer mentoring"
# The browser tab's icon, served by the dashboard itself: a ":material/...:" page icon would make the
# browser fetch it from Google's font CDN, which an offline dashboard cannot reach.
ICON = Path(__file__).resolve().parents[1] / "icon.png"
# Long lists: tables show the first MAX_ROWS rows (downloads hold them all) and pickers offer the
# first MAX_CHOICES; a search or filter narrows them. Browsers draw 20,000-row tables slowly.
MAX_ROWS = 2_000
MAX_CHOICES = 1_000
# The sidebar's links (Streamlit's own list would call the home page "app").
NAV = [
    ("app.py", "Home", ":material/home:"),
    ("pages/1_Import.py", "Import", ":material/upload_file:"),
    ("pages/2_Applicants.py", "Applicants", ":material/group:"),
    ("pages/3_Skills.py", "Skills", ":material/insights:"),
    ("pages/4_Vocabulary.py", "Skill vocabulary", ":material/spellcheck:"),
    ("pages/5_Matching.py", "Matching", ":material/handshake:"),
    ("pages/6_Pairs.py", "Pairs", ":material/diversity_3:"),
    ("pages/10_Outbox.py", "Outbox", ":material/outbox:"),
    ("pages/11_Templates.py", "Message templates", ":material/edit_note:"),
    ("pages/12_Group.py", "Google group", ":material/forum:"),
    ("pages/8_Analytics.py", "Analytics", ":material/monitoring:"),
    ("pages/7_Audit.py", "Audit log", ":material/history:"),
    ("pages/9_Data.py", "Backups & privacy", ":material/shield:"),
]


class DownloadRefused(MentoringError):
    """A guarded download was used already, expired, or its session signed out."""


@dataclass
class SignedIn:
    """Who a browser session is signed in as; `active` turns False when it signs out, so a callable
    that captured this object while drawing (a download) can tell from Streamlit's backend thread."""

    who: str
    active: bool = True


@dataclass
class Page:
    """What a page gets from setup: the database and who is working."""

    path: Path
    moderator: str

    def con(self) -> duckdb.DuckDBPyConnection:
        """A fresh cursor for this run's reads (DuckDB refuses one connection in two threads)."""
        return _shared(str(self.path))[0].cursor()

    def read(self, fn, *args, **kwargs):
        """`fn(cursor, *args, **kwargs)` for a read function of lib, cached per database
        file and day until the next write through this dashboard (`writing` clears every cached read).

        The cache is safe because no other program can write while the dashboard holds the file
        (DuckDB's lock: the command line says "open in another program"); the day is part of the key
        because lists such as "waiting more than 30 days" change with the date alone.
        """
        value = _read(str(self.path), fn, args, kwargs, db.now().date())
        # one shared object per result (no pickling: unpickling 20,000 rows cost more than the query);
        # a shallow copy keeps a page that adds or replaces columns from changing what others see
        return value.copy(deep=False) if isinstance(value, pd.DataFrame) else copy.copy(value)

    def replace_database(self, action) -> None:
        """Close the shared connection, run `action(path)` on the closed file, and reopen it."""
        base, lock = _shared(str(self.path))
        with lock:
            base.close()
            _shared.clear()
            try:
                action(self.path)
            finally:
                forget_reads()

    def apply(self, action, done: str | None = None, *, forget: tuple[str, ...] = ()) -> None:
        """Run one write; show a project error as its sentence, or forget keys, toast `done` and redraw."""
        try:
            with self.writing() as cursor:
                action(cursor)
        except MentoringError as exc:
            show_error(exc)
        else:
            for key in forget:
                st.session_state.pop(key, None)
            if done:
                st.toast(done)
            st.rerun()

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one write, serialised with every other session's writes."""
        base, lock = _shared(str(self.path))
        with lock:
            cursor = base.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
                forget_reads()


def forget_reads() -> None:
    """Drop every cached read and suggested round (after any write)."""
    _read.clear()
    st.cache_data.clear()


def page_setup(title: str, icon: str | None = None) -> Page:
    """Set the page config, enforce the login gate and open the database; every page calls it first.

    `icon` (a page's ":material/...:" name) is not used for the browser tab, which always shows ICON.
    """
    del icon
    st.set_page_config(page_title=f"{title} · {APP_NAME}", page_icon=str(ICON), layout="wide")
    moderator = _gate()
    path = db.db_path()
    try:
        _shared(str(path))
        _daily_retention(str(path), db.now().date())
    except MentoringError as exc:
        st.error(str(exc))
        st.stop()
    page = Page(path, moderator)
    _sidebar(page)
    return page


def show_settings_warnings() -> None:
    """A warning for each secrets.toml key that changes nothing (for the home page)."""
    for sentence in _config().warnings:
        st.warning(sentence, icon=":material/settings:")


def guarded_download(fn, *, minutes: float = 5, clock=time.monotonic):
    """`fn` for a deferred download button, usable once, for `minutes` after this draw, and only while
    the session that drew it is still signed in.

    Streamlit runs a deferred download's callable whenever any websocket client asks for its file id,
    and serves the file it makes without a session; so the callable checks the sign-in itself. A refusal
    raises, and the browser says "Failed to generate file for download".
    """
    signed_in = st.session_state.get("auth.signed_in")
    deadline = clock() + minutes * 60
    unused = threading.Lock()

    def download():
        if not unused.acquire(blocking=False):
            raise DownloadRefused("This download was made already; reload the page for a new one.")
        if signed_in is None or not signed_in.active:
            raise DownloadRefused("The session that showed this download is signed out.")
        if clock() > deadline:
            raise DownloadRefused(f"This download expired {minutes:g} minutes after the page showed it.")
        return fn()

    return download


def safe(value: object) -> str:
    """Member-written text for a Markdown element: every Markdown and HTML character escaped, so
    `**bold**` or `<img onerror=...>` shows literally."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])", r"\\\1", str(value))


def shown_caption(shown: int, total: int, what: str, *, order: str = "first") -> str:
    """'12 applicants shown.' or a sentence saying the list is cut and how to narrow it."""
    if shown == total:
        return f"{total:,} {what} shown."
    which = f"first {shown:,}" if order == "first" else f"{shown:,} {order}"
    return (
        f"The {which} of {total:,} {what} are shown (the download has all of them); "
        f"search or filter to narrow the list. Pickers below offer the first {min(shown, MAX_CHOICES):,}."
    )


def plural(count: int, word: str) -> str:
    """'1 pair', '3 pairs'."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def show_error(exc: Exception) -> None:
    """Show a project error as the sentence it carries."""
    st.error(str(exc), icon=":material/error:")


def people_columns(count_label: str) -> dict:
    """Columns of a skill list: a narrow count and room for the names."""
    return {
        "skill": st.column_config.TextColumn("Skill", width="medium"),
        "people": st.column_config.NumberColumn(count_label, width="small"),
        "who": st.column_config.TextColumn("Who", width="large"),
    }


def download_csv(frame: pd.DataFrame, *, filename: str, label: str, key: str) -> None:
    """A download button for a formula-safe CSV of the frame (written only when clicked)."""
    st.download_button(
        label,
        lambda: exports.to_csv_bytes(frame),
        file_name=filename,
        mime="text/csv",
        key=key,
        icon=":material/download:",
    )


def chart_downloads(chart, frame: pd.DataFrame, *, name: str, key: str) -> None:
    """PNG and SVG of a chart and its data as CSV, each made only when its button is clicked."""
    files = [
        ("PNG", lambda: charts.to_png(chart), "png", "image/png", ":material/image:"),
        ("SVG", lambda: charts.to_svg(chart), "svg", "image/svg+xml", ":material/image:"),
        ("Data (CSV)", lambda: exports.to_csv_bytes(frame), "csv", "text/csv", ":material/table:"),
    ]
    for column, (label, make, ext, mime, icon) in zip(st.columns(len(files)), files):
        column.download_button(label, make, file_name=f"{name}.{ext}", mime=mime, key=f"{key}.{ext}", icon=icon)


@st.cache_resource(show_spinner="Reading the file ...", max_entries=4)
def import_preview(digest: str, encoding: str | None, _data: bytes) -> importer.Preview:
    """The uploaded file decoded (in the chosen encoding, or the detected one), split and its mapping
    guessed once per file and encoding, not again on every change of a column's mapping; keyed on the
    file's SHA-256 `digest`."""
    del digest  # the cache key; the bytes are not hashed again
    return importer.preview_import(_data, encoding=encoding)


# The last send's result, kept for the one draw after it (page.apply redraws the page after every write).
DELIVERY = "mail.delivery"
# A message kind in a few words: the title without its "(to whom)".
KIND_LABELS = {kind: templates.TITLES[kind].split(" (")[0] for kind in templates.KINDS}
MESSAGE_COLUMNS = {
    "id": st.column_config.NumberColumn("#", width="small"),
    "created_at": st.column_config.DatetimeColumn("Drafted", format="D MMM YYYY, HH:mm"),
    "sent_at": st.column_config.DatetimeColumn("Sent", format="D MMM YYYY, HH:mm"),
    "updated_at": st.column_config.DatetimeColumn("Last change", format="D MMM YYYY, HH:mm"),
    "kind": st.column_config.TextColumn("Kind", width="small"),
    "to": st.column_config.ListColumn("To"),
    "subject": st.column_config.TextColumn("Subject"),
    "status": st.column_config.TextColumn("State", width="small"),
    "message_id": st.column_config.TextColumn("Message-ID", help="The SMTP Message-ID, to find it in the Sent folder"),
    "error": st.column_config.TextColumn("Note"),
}


def mail_account() -> mail.Account:
    """The mail account from the environment or secrets.toml; raises NotConfigured or InvalidInput with a sentence."""
    configuration = _config()
    return mail.account(configuration.smtp, configuration.mail_from)


def show_mail_account() -> None:
    """One line: the account mail goes out through (never its password), or how to set one up."""
    try:
        found = mail_account()
    except mail.NotConfigured as exc:
        st.info(str(exc), icon=":material/info:")
    except MentoringError as exc:
        show_error(exc)
    else:
        sender = str(found.sender)  # as code, so the From address is not made a mailto link
        st.caption(
            f":material/mail: Mail goes out through {safe(found.describe()).replace(safe(sender), _code(sender))}."
        )


def send_messages(page: Page, ids: list[int], *, first=None) -> None:
    """Send these messages now, after `first(cursor)` (saving an edit) when given; the result shows on the
    next draw (show_delivery). Without a mail account nothing is sent and the sentence says how to set one up."""
    try:
        account = mail_account()
    except MentoringError as exc:
        show_error(exc)
        return

    def action(cursor: duckdb.DuckDBPyConnection) -> None:
        if first is not None:
            first(cursor)
        result = outbox.send(cursor, [int(i) for i in ids], account, moderator=page.moderator)
        st.session_state[DELIVERY] = {
            "summary": result.summary(),
            "failed": result.failed,
            "problems": dict(result.problems),
        }

    page.apply(action)


def show_delivery() -> None:
    """What the last send did, and each problem's sentence; shown once."""
    done = st.session_state.pop(DELIVERY, None)
    if not done:
        return
    (st.warning if done["failed"] else st.success)(done["summary"], icon=":material/send:")
    for sentence, count in done["problems"].items():
        st.error(f"{sentence} ({plural(count, 'message')})", icon=":material/error:")


def recipients(people: list[dict]) -> str:
    """'Ann Lee `a@x.org`, Bo Kim `b@x.org`' for Markdown: names escaped, addresses as code (a bare address
    would become a mailto link)."""
    return ", ".join(f"{safe(p['name'])} {_code(p['email'])}" if p.get("name") else _code(p["email"]) for p in people)


def names(people: list[dict]) -> str:
    """'Ann Lee, Bo Kim' for Markdown (the address when a name is missing)."""
    return ", ".join(safe(p["name"]) if p.get("name") else _code(p["email"]) for p in people)


def message_table(frame: pd.DataFrame, columns: list[str], *, key: str) -> None:
    """Messages as a read-only table with readable headings and kinds."""
    shown = frame.head(MAX_ROWS).assign(kind=frame["kind"].map(KIND_LABELS))
    config_ = {c: MESSAGE_COLUMNS[c] for c in columns}
    st.dataframe(shown, hide_index=True, column_order=columns, column_config=config_, key=key)
    if len(frame) > len(shown):
        st.caption(shown_caption(len(shown), len(frame), "messages", order="newest"))


def message_choices(frame: pd.DataFrame) -> dict[int, str]:
    """Picker labels for messages: '#12 Farewell to a@x.org: Thank you'."""
    head = frame.head(MAX_CHOICES)
    labels = (
        "#" + head["id"].astype(str) + " " + head["kind"].map(KIND_LABELS) + " to "
        + head["to"].map(", ".join) + ": " + head["subject"]
    )  # fmt: skip
    return dict(zip(head["id"].astype(int), labels))


def show_message(row: dict) -> None:
    """One message as the member reads it: recipients (when given), subject and text; when and as what it
    was sent."""
    to = f"**To:** {recipients(row['recipients'])}  \n" if row.get("recipients") else ""
    with st.container(border=True):
        st.markdown(f"{to}**Subject:** {safe(row['subject'])}")
        st.text(row["body"])
        if row.get("message_id"):
            st.caption(f"Sent {row['sent_at']:%d %b %Y at %H:%M}, Message-ID {_code(row['message_id'])}")


def introductions(page: Page, pairing_ids: list[int]) -> pd.DataFrame:
    """The introductions drafted for these pairings, in any state."""
    frame = page.read(outbox.listing)
    return frame[(frame["kind"] == "introduction") & frame["pair_id"].isin(list(pairing_ids))]


def send_panel(page: Page, frame: pd.DataFrame, said: str, *, noun: str, key: str) -> None:
    """Messages just drafted, each with its recipients and state, a button that sends the unsent ones and a
    link to the Outbox to read or edit them first; `said` heads the panel."""
    ready = frame[frame["status"].isin(outbox.SENDABLE)]
    with st.container(border=True):
        st.success(said, icon=":material/outbox:")
        message_table(frame, ["to", "subject", "status"], key=f"{key}.table")
        show_delivery()
        send, link = st.columns([1, 2], vertical_alignment="center")
        label = f"Send this {noun}" if len(ready) == 1 else f"Send these {plural(len(ready), noun)}"
        label = "Nothing left to send" if ready.empty else label
        if send.button(label, key=key, type="primary", icon=":material/send:", disabled=ready.empty):
            send_messages(page, list(ready["id"]))
        where = "Open the Outbox" if ready.empty else "Read or edit them in the Outbox first"
        link.page_link("pages/10_Outbox.py", label=where, icon=":material/outbox:")


def note_form(page: Page, choices: dict[str, list[str]], *, key: str) -> None:
    """ "Write a note" to members: `choices` maps a label ("Both", a name) to the emails it writes to, one draft
    each, reviewed and sent from the Outbox."""
    labels = list(choices)
    with st.expander("Write a note", icon=":material/edit:"):
        # the options are positions, so they stay the same when another pairing or applicant is opened
        which = 0
        if len(labels) > 1:
            which = st.radio("To", range(len(labels)), format_func=labels.__getitem__, horizontal=True, key=f"{key}.to")
        else:
            st.caption(f"To the {labels[0]}; each gets their own copy.")
        emails = choices[labels[which or 0]]
        start_subject, start_body = page.read(drafts.note_start, moderator=page.moderator)
        subject = st.text_input("Subject", start_subject, key=f"{key}.subject")
        hint = "$first and $name become each member's own first and full name."
        body = st.text_area("Message", start_body, height=220, key=f"{key}.body", help=hint)
        if st.button(f"Draft {plural(len(emails), 'note')}", key=f"{key}.draft", icon=":material/edit:"):
            page.apply(
                lambda cur: drafts.note(cur, emails, subject, body, moderator=page.moderator),
                f"Drafted {plural(len(emails), 'note')}; review and send in the Outbox.",
                forget=(f"{key}.subject", f"{key}.body"),
            )


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# A pair's cadence in words (pairings.cadence_weeks).
CADENCE_WORDS = {1: "every week", 2: "every two weeks"}
_PACE_HISTORY_COLUMNS = {
    "changed_at": st.column_config.DatetimeColumn("When", format="D MMM YYYY, HH:mm"),
    "change": st.column_config.TextColumn("Change", width="large"),
    "moderator": st.column_config.TextColumn("By", width="small"),
}


def undo_offer(said: str, *, key: str, label: str = "Undo it") -> bool:
    """A caption saying what was last done, with an undo button beside it; True when it is clicked."""
    text, button = st.columns([3, 1], vertical_alignment="center")
    text.caption(said)
    return button.button(label, key=key, icon=":material/undo:")


def when(moment) -> str:
    """A timestamp as '3 Dec, 14:02'."""
    return f"{moment.day} {moment:%b, %H:%M}"


def today() -> date:
    """Today by the dashboard's clock (the one tests freeze)."""
    return db.now().date()


def snooze_words(until, note) -> str:
    """'snoozed until 20 Dec 2026: holidays' (plain text; escape it for Markdown)."""
    said = f"snoozed until {pd.Timestamp(until):%d %b %Y}"
    return f"{said}: {note}" if given(note) else said


def shared_time_words(hours) -> str:
    """A pair's shared free hours a week in words, saying why when they are unknown."""
    if not given(hours):
        return "shared free time unknown (one of them gave no free times)"
    if float(hours) == 0:
        return "no free hour in common"
    return f"**{round(float(hours), 1):g} hours a week** free in common"


def readable_pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """The pairs list as the Pairs page shows it: cadence in words (blank for ended pairs: they no longer
    meet), the snooze date as a day, and empty cells blank rather than "None"."""
    cadence = frame["cadence_weeks"].map(CADENCE_WORDS).where(frame["state"] != "ended")
    snoozed = frame["snoozed_until"].map(lambda d: f"{pd.Timestamp(d):%d %b %Y}" if given(d) else "")
    return frame.assign(cadence=cadence.fillna(""), snoozed_until=snoozed, reason=frame["reason"].fillna(""))


def pair_history(history: pd.DataFrame) -> None:
    """pairs.pairing_history as a table with readable headings (the day alone, no midnight time)."""
    st.dataframe(
        history.assign(details=history["details"].fillna("")),
        hide_index=True,
        key="pairs.history",
        column_config={
            "day": st.column_config.DateColumn("Day", format="D MMM YYYY"),
            "recorded_at": st.column_config.DatetimeColumn("Recorded", format="D MMM YYYY, HH:mm"),
            "what": "What happened",
            "details": st.column_config.TextColumn("Details", width="large"),
            "moderator": "By",
        },
    )


def weekly_slot_form(page: Page, pairing_id: int) -> None:
    """An active pair's weekly slot and how they talk."""
    st.caption("Their weekly slot and how they talk, once you know it")
    cols = st.columns(4)
    slot = {
        "day": cols[0].selectbox("Day", WEEKDAYS, index=None, key="pairs.slot_day"),
        "time": cols[1].text_input("Time", key="pairs.slot_time", placeholder="18:00") or None,
        "zone": cols[2].text_input("Time zone", key="pairs.slot_zone", placeholder="Europe/Berlin") or None,
        "channel": cols[3].selectbox("How they talk", lifecycle.CHANNELS, index=None, key="pairs.channel"),
    }
    if st.button("Save weekly slot", key="pairs.save_slot"):
        page.apply(lambda cur: lifecycle.set_arrangement(cur, pairing_id, **slot, moderator=page.moderator), "Saved.")


def pace_panel(page: Page, pair) -> None:
    """An open pair's cadence, snooze and shared time, the buttons that change them, and the changes so far."""
    changes = page.read(pace.history, int(pair["id"]))
    with st.container(border=True):
        parts = [f":material/event_repeat: Meets **{CADENCE_WORDS[int(pair['cadence_weeks'])]}**"]
        if given(pair["snoozed_until"]):
            parts.append(f":material/snooze: {safe(snooze_words(pair['snoozed_until'], pair['snooze_note']))}")
        parts.append(f":material/schedule: {shared_time_words(pair['shared_hours'])}")
        st.markdown(" · ".join(parts))
        _pace_buttons(page, pair, can_undo=bool((~changes["undone"]).any()))
        _snooze_form(page, pair)
        if not changes.empty:
            st.caption("Changes of pace, newest first")
            shown = pace_history_words(changes)
            st.dataframe(shown, hide_index=True, column_config=_PACE_HISTORY_COLUMNS, key="pairs.pace_history")


def pace_history_words(changes: pd.DataFrame) -> pd.DataFrame:
    """pace.history as when, what changed in words ('snoozed until 20 Dec 2026: holidays'), and by whom."""
    words = [
        _pace_change(kind, json.loads(after)) + (" (undone)" if undone else "")
        for kind, after, undone in zip(changes["kind"], changes["after"], changes["undone"])
    ]
    return pd.DataFrame({"changed_at": changes["changed_at"], "change": words, "moderator": changes["moderator"]})


def _pace_change(kind: str, after: dict) -> str:
    if kind == "cadence":
        return f"Meets {CADENCE_WORDS[int(after['cadence_weeks'])]}"
    if kind == "snooze":
        said = snooze_words(after["snoozed_until"], after.get("snooze_note"))
        return said[0].upper() + said[1:]
    return "Woken: the snooze ended"


def _pace_buttons(page: Page, pair, *, can_undo: bool) -> None:
    chosen, who = int(pair["id"]), page.moderator
    other = 2 if int(pair["cadence_weeks"]) == 1 else 1
    row = st.container(horizontal=True)
    if row.button(CADENCE_WORDS[other].capitalize(), key="pairs.cadence", icon=":material/event_repeat:"):
        page.apply(lambda cur: pace.set_cadence(cur, chosen, other, moderator=who), f"Meets {CADENCE_WORDS[other]}.")
    if given(pair["snoozed_until"]) and row.button("Wake now", key="pairs.wake", icon=":material/alarm:"):
        page.apply(lambda cur: pace.wake(cur, chosen, moderator=who), "Awake: the snooze is over.")
    if can_undo and row.button("Undo the last change of pace", key="pairs.undo_pace", icon=":material/undo:"):
        page.apply(lambda cur: pace.undo_last(cur, chosen, moderator=who), "The last change of pace is undone.")


def _snooze_form(page: Page, pair) -> None:
    chosen, first = int(pair["id"]), today() + timedelta(days=1)
    until_col, note_col, go = st.columns([1, 2, 1], vertical_alignment="bottom")
    until = until_col.date_input(
        "Snooze until", first + timedelta(days=13), min_value=first, max_value=first + timedelta(days=365),
        key="pairs.snooze_until",
    )  # fmt: skip
    note = note_col.text_input("Why (optional)", key="pairs.snooze_note", placeholder="holidays, a busy month")
    label = "Snooze again" if given(pair["snoozed_until"]) else "Snooze"
    if go.button(label, key="pairs.snooze", icon=":material/snooze:", disabled=until is None):
        page.apply(
            lambda cur: pace.snooze(cur, chosen, until, note=note.strip() or None, moderator=page.moderator),
            f"Snoozed until {until:%d %b %Y}.",
            forget=("pairs.snooze_note",),
        )


def given(value) -> bool:
    """False for None, NaN and NaT (what an empty cell of a DataFrame row holds)."""
    return value is not None and not (pd.api.types.is_scalar(value) and pd.isna(value))


def cached_round(page: Page, settings: score.Settings) -> rounds.Round:
    """The suggested round for these weights, cached until the next write."""
    key = json.dumps({"weights": settings.weights, "limits": settings.limits}, sort_keys=True)
    return _round(str(page.path), key)


def _code(text: str) -> str:
    """Text as a Markdown code span (shown literally, never a link)."""
    return f"`{text.replace('`', '')}`"


@st.cache_data(show_spinner="Finding the best round ...", max_entries=4)
def _round(path: str, key: str) -> rounds.Round:
    chosen = json.loads(key)
    cursor = _shared(path)[0].cursor()
    try:
        return rounds.suggest_round(cursor, settings=score.Settings(chosen["weights"], chosen["limits"]))
    finally:
        cursor.close()


@st.cache_resource(
    show_spinner=False, max_entries=256, hash_funcs={types.FunctionType: lambda f: f"{f.__module__}.{f.__qualname__}"}
)
def _read(path: str, fn, args: tuple, kwargs: dict, day: date):
    del day  # only part of the cache key (a function is keyed by its module and name)
    cursor = _shared(path)[0].cursor()
    try:
        return fn(cursor, *args, **kwargs)
    finally:
        cursor.close()


@st.cache_resource(show_spinner=False)
def _shared(path: str) -> tuple[duckdb.DuckDBPyConnection, threading.Lock]:
    return startup.open_database(path), threading.Lock()


@st.cache_resource(show_spinner=False, max_entries=8)
def _daily_retention(path: str, day: date) -> int:
    """The retention rule, applied once a day while the dashboard runs (and at every start, by db.connect)."""
    del day  # only part of the cache key
    base, lock = _shared(path)
    with lock:
        cursor = base.cursor()
        try:
            erased = privacy.apply_retention(cursor)
        finally:
            cursor.close()
    if erased:
        forget_reads()
    return erased


@st.cache_resource(show_spinner=False)
def _throttle() -> auth.Throttle:
    return auth.Throttle()


def _gate() -> str:
    configuration = _config()
    table = auth.accounts(configuration)
    allowed = configuration.allowed_moderator_emails
    if not table and not allowed:
        if auth.is_loopback(st.get_option("server.address")):
            return _signed_in("local")
        _sign_out()
        _explain_password_needed()
        st.stop()
    now = time.time()
    idle = configuration.session_idle_minutes
    if st.session_state.get("auth.user") and auth.expired(st.session_state.get("auth.seen"), now, idle):
        _sign_out()
        st.session_state["auth.expired"] = True
    st.session_state["auth.seen"] = now
    identity = st.session_state.get("auth.user") or auth.oidc_moderator(_user(), allowed)
    if identity:
        return _signed_in(identity)
    _sign_out()
    _login_form(table, bool(allowed) and configuration.identity_provider is not None)
    st.stop()


def _login_form(table: dict[str, str], offer_oidc: bool) -> None:
    st.title(f"{APP_NAME}: moderator login")
    if st.session_state.pop("auth.expired", False):
        st.info("You were signed out after a while without activity. Please log in again.")
    if offer_oidc:
        st.button("Sign in with your Google account", key="login.oidc", on_click=st.login)
        if _user().get("is_logged_in"):
            st.error(f"{_user().get('email')} is not on the moderators' list; ask a moderator to add you.")
    if not table:
        return
    name = (
        st.text_input("Moderator name", key="login.name", placeholder="as in .streamlit/secrets.toml [moderators]")
        if list(table) != ["moderator"]
        else "moderator"
    )
    password = st.text_input("Moderator password", type="password", key="login.password")
    if not st.button("Log in", key="login.submit", type="primary"):
        return
    keys = [f"account:{(name or '').strip().lower()}", f"session:{_session_id()}"]
    try:
        who = _throttle().attempt(keys, lambda: auth.check_login(table, name, password))
    except auth.LoginRefused as exc:
        st.error(str(exc))
        return
    if who:
        st.session_state["auth.user"] = who
        st.rerun()
    st.error("That name and password do not match. Try again (after a few wrong tries you must wait a little).")


def _signed_in(who: str) -> str:
    current = st.session_state.get("auth.signed_in")
    if current is None or not current.active or current.who != who:
        if current is not None:
            current.active = False
        st.session_state["auth.signed_in"] = SignedIn(who)
    return who


def _sign_out() -> None:
    st.session_state.pop("auth.user", None)
    current = st.session_state.pop("auth.signed_in", None)
    if current is not None:
        current.active = False


def _user() -> dict:
    try:
        return {k: st.user.get(k) for k in ("is_logged_in", "email", "name")}
    except (AttributeError, KeyError, st.errors.StreamlitAPIException):
        return {}


def _explain_password_needed() -> None:
    st.title("Set a moderator password first")
    st.write(
        "This dashboard is reachable from other computers, but no moderator password is set, "
        "so it shows nothing. Either start it on this computer only (the default, address 127.0.0.1), "
        "or set a password:"
    )
    st.code(
        "python -m lib hash-password\n# then put the printed hash in .streamlit/secrets.toml:\n"
        "moderator_password_hash = \"$argon2id$...\"\n# or: export MENTORING_PASSWORD_HASH='$argon2id$...'",
        language="bash",
    )


def _sidebar(page: Page) -> None:
    with st.sidebar:
        for target, label, icon in NAV:
            st.page_link(target, label=label, icon=icon)
        st.divider()
        if page.moderator == "local":
            st.info(
                "**Local mode**: no password is set, so the dashboard answers only on this computer.",
                icon=":material/lock_open:",
            )
        else:
            st.caption(f"Signed in as {page.moderator}")
            if st.button("Log out", key="auth.logout", icon=":material/logout:"):
                _sign_out()
                if _user().get("is_logged_in"):
                    st.logout()
                st.rerun()
        if page.read(demo.has_demo):
            st.warning(
                "**Demo data** is loaded: these people are made up. Remove it on the Home page.",
                icon=":material/science:",
            )
        # The file's name, not its folder: a machine path means nothing to a moderator and ends up in screenshots.
        st.caption(f"Database: `{page.path.name}`")


def _config() -> config.Config:
    # Streamlit reads secrets.toml itself (and AppTest sets at.secrets), so lib.config gets st.secrets.
    try:
        secrets = dict(st.secrets)
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        secrets = {}
    return config.load(secrets)


def _session_id() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else "none"
