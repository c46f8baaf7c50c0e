"""The Matching page's round: a table of suggested pairs to untick, "Confirm N pairs" that first says what it
will do (a dialog), and after confirming a summary of who stayed unpaired and why above the send panel.

Decided where the issue is silent: every suggested pair starts ticked; the dialog lists the pairs kept, the
introductions it will draft and the members it leaves unpaired; Cancel or Escape changes nothing. After a
confirm the summary and the send panel head the page, and while the round left nobody to pair the Whole round
tab lists who the confirmed round left out and why (the same members and causes as the summary), instead of a
round of nobody whose causes, counted over the smaller pool, would read differently.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from lib.matching import round_summary, rounds, score
from lib.messages import outbox
from lib.pair_life import pairs
from lib.ui import Page, given, introductions, plural, safe, send_panel

CONFIRMING = "match.confirming"  # the pair keys ('a_email|b_email') the open dialog would confirm
CONFIRMED, SUMMARY = "match.confirmed", "match.summary"
LEFT_AT_CONFIRM = "match.left_at_confirm"  # the confirmed round's left-out members, for the summary's own list
ALL_SENT_SHOWN = "match.all_sent_shown"  # the panel has shown its introductions all sent once: next time it goes
SHORT_LIST = 20  # the left-out list starts open up to this many members
PAIR_COLUMNS = {
    "confirm": st.column_config.CheckboxColumn("Pair", help="Untick a pair to leave it out of the confirm", width=60),
    "a_name": st.column_config.TextColumn("Member A"),
    "b_name": st.column_config.TextColumn("Member B"),
    "score": st.column_config.NumberColumn("Score", format="%.0f", width=60),
    "a_teaches_b": st.column_config.ListColumn("A teaches B"),
    "b_teaches_a": st.column_config.ListColumn("B teaches A"),
    "reasons": st.column_config.TextColumn(
        "Why, besides the skills", width="large", help="Experience, shared free time, waiting: the score's other parts"
    ),
}


def round_pairs(page: Page, found: rounds.Round) -> None:
    """The round's pairs, each ticked; a button that asks before confirming the ticked ones."""
    keys = found.pairs["a_email"] + "|" + found.pairs["b_email"]
    digest = hashlib.sha1("".join(keys).encode()).hexdigest()[:8]  # a new round starts all ticked again
    shown = found.pairs.assign(confirm=True, reasons=found.pairs["reasons"].map(_beside_skills)).set_index(keys)
    edited = st.data_editor(
        shown,
        key=f"match.round.{digest}",
        hide_index=True,
        column_order=list(PAIR_COLUMNS),
        column_config=PAIR_COLUMNS,
        disabled=[c for c in PAIR_COLUMNS if c != "confirm"],
    )
    chosen = [str(k) for k in edited.index[edited["confirm"].fillna(False)]]
    label = f"Confirm {plural(len(chosen), 'pair')}"
    if st.button(label, key="match.confirm_round", type="primary", disabled=not chosen, icon=":material/handshake:"):
        st.session_state[CONFIRMING] = chosen
    if st.session_state.get(CONFIRMING):
        _confirm_dialog(page, found, st.session_state[CONFIRMING])


def _beside_skills(reasons: list[str]) -> str:
    return "; ".join(score.beside_skills(reasons)) or "the skills alone"


def confirm(page: Page, chosen: list[tuple[str, str]], *, found: rounds.Round | None = None) -> None:
    """Confirm pairs in one go (all or none); keep their ids for the send panel and, for a round, the summary
    of who stays unpaired."""
    unticked = round_summary.plan(found.pairs, ["|".join(c) for c in chosen])["unticked_members"] if found else 0

    def action(cursor) -> None:
        made = pairs.confirm_pairs(cursor, chosen, moderator=page.moderator)
        st.session_state[CONFIRMED] = [m["id"] for m in made]
        if found is not None:
            causes = round_summary.not_paired(cursor, found.unmatched, unticked)
            st.session_state[SUMMARY] = round_summary.sentence(len(made), causes)
            st.session_state[LEFT_AT_CONFIRM] = found.unmatched
        else:
            st.session_state.pop(SUMMARY, None)
            st.session_state.pop(LEFT_AT_CONFIRM, None)

    page.apply(action, forget=(CONFIRMING,))


def introductions_panel(page: Page) -> None:
    """The pairs just confirmed: the summary, their introductions and Send, at the top of the page. Once all of
    them are sent and the panel has said so, the next run drops it (and the confirmed round's left-out list),
    so a later visit starts from the page itself, not from a finished confirm."""
    confirmed = st.session_state.get(CONFIRMED, [])
    if not confirmed:
        return
    frame = introductions(page, confirmed)
    all_sent = not frame["status"].isin(outbox.SENDABLE).any()
    if all_sent and st.session_state.get(ALL_SENT_SHOWN):
        for key in (CONFIRMED, SUMMARY, LEFT_AT_CONFIRM, ALL_SENT_SHOWN):
            st.session_state.pop(key, None)
        return
    st.session_state[ALL_SENT_SHOWN] = all_sent
    send_panel(page, frame, summary(confirmed), noun="introduction", key="match.send")


def summary(confirmed: list[int]) -> str:
    """What the send panel says above the introductions just drafted."""
    default = f"Confirmed {plural(len(confirmed), 'pair')}; their introductions are drafted in the Outbox."
    return st.session_state.get(SUMMARY) or default


@st.dialog("Confirm the round", width="medium", on_dismiss=lambda: st.session_state.pop(CONFIRMING, None))
def _confirm_dialog(page: Page, found: rounds.Round, chosen: list[str]) -> None:
    plan = round_summary.plan(found.pairs, chosen)
    left_out = len(found.unmatched) + plan["unticked_members"]
    pairs_, notes = plan["pairs"], plan["introductions"]
    st.markdown(
        f"- **{plural(pairs_, 'pair')}** {_is(pairs_)} made: {plural(2 * pairs_, 'member')} leave the waiting pool\n"
        f"- **{plural(notes, 'introduction')}** {_is(notes)} drafted in the Outbox, one to each pair; "
        "you can send them right after\n"
        f"- **{plural(left_out, 'member')}** of this round {'stays' if left_out == 1 else 'stay'} unpaired"
        + (f" ({plan['unticked_members']} because you unticked their pair)" if plan["unticked_members"] else "")
    )
    kept = found.pairs[(found.pairs["a_email"] + "|" + found.pairs["b_email"]).isin(chosen)]
    st.markdown("\n".join(f"{i}. {safe(p.a_name)} + {safe(p.b_name)}" for i, p in enumerate(kept.itertuples(), 1)))
    go, cancel = st.columns(2)
    if go.button(f"Confirm {plural(plan['pairs'], 'pair')}", key="match.confirm_go", type="primary"):
        confirm(page, rounds.chosen_pairs(chosen), found=found)
    if cancel.button("Cancel", key="match.confirm_cancel"):
        st.session_state.pop(CONFIRMING, None)
        st.rerun()


def after_confirm(found: rounds.Round) -> bool:
    """Right after a round was confirmed and nobody is left to pair: show only what the confirm's summary says
    (its sentence heads the send panel) and its own list of who was left out and why, not a second, different
    breakdown of a round of nobody. Returns whether it did."""
    left = st.session_state.get(LEFT_AT_CONFIRM)
    if left is None or not found.pairs.empty:
        return False
    unpaired_table(left, title="Left out of the round you confirmed, and why")
    return True


def unpaired_table(left, *, title: str = "Left out this round, and why") -> None:
    """The members a round leaves out (its `unmatched`, or a Round), each with the whole sentence saying why
    (a table that wraps, in an expander that starts open for a short list)."""
    left = left.unmatched if isinstance(left, rounds.Round) else left
    if left.empty:
        return
    title = f"{title} ({len(left):,})"
    with st.expander(title, expanded=len(left) <= SHORT_LIST, icon=":material/person_off:"):
        shown = left[["name", "email", "reason"]].rename(columns={"name": "Name", "email": "Email", "reason": "Why"})
        # st.table draws each cell as Markdown: member-written names and skills must show literally
        shown = shown.map(lambda cell: safe(cell) if given(cell) else "")
        st.table(shown, hide_index=True, border="horizontal")


def _is(count: int) -> str:
    return "is" if count == 1 else "are"
