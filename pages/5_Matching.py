"""Matching: a whole optimal round, the best partners for one member, pauses, introductions."""

import hashlib
from datetime import date, timedelta

import streamlit as st

from lib import ui
from lib.matching import candidates, rounds, score
from lib.pair_life import pairs
from lib.ui import round_confirm

page = ui.page_setup("Matching", ":material/handshake:")
SCORE = st.column_config.NumberColumn("Score", format="%.0f")
st.title("Matching")
st.caption(
    "Pairs where each member teaches the other something they want. Scores run 0-100; "
    "every suggestion says why. Nothing is written until you confirm."
)


def confirm(chosen: list[tuple[str, str]]) -> None:
    """Confirm pairs in one go (all or none) and keep their ids to show the introduction emails."""
    round_confirm.confirm(page, chosen)


def settings_form(settings: score.Settings) -> None:
    """The score's weights and hard limits: one field per component and per limit of the score's table."""
    weights, limits = {}, {}
    with st.expander("Score weights and hard limits"):
        for col, c in zip(st.columns(len(score.COMPONENTS)), score.COMPONENTS):
            value, key = float(settings.weights[c.name]), f"match.w.{c.name}"
            weights[c.name] = col.number_input(f"{c.label} weight", 0.0, 100.0, value, 5.0, key=key, help=c.formula)
        for col, lim in zip(st.columns(len(score.LIMITS)), score.LIMITS):
            value, key = settings.limits.get(lim.key), f"match.l.{lim.key}"
            limits[lim.key] = col.number_input(lim.label, 0.0, lim.maximum, value, 1.0, key=key, placeholder="no limit")
        if st.button("Save weights and limits", key="match.save"):
            chosen = score.Settings(weights, limits)
            page.apply(lambda cur: score.save_settings(cur, chosen, moderator=page.moderator), "Saved.")


def round_tab(settings: score.Settings) -> None:
    """The whole round: computed by itself unless the pool is large, then on request."""
    waiting = len(page.read(candidates.eligible_members))
    if rounds.waits_for_request(waiting) and not st.session_state.get("match.round_requested"):
        st.info(
            f"{waiting:,} members are waiting for a partner; finding the best round for so many takes a few seconds.",
            icon=":material/hourglass_top:",
        )
        if st.button("Suggest a round", key="match.suggest_round", type="primary"):
            st.session_state["match.round_requested"] = True
            st.rerun()
        return
    found = ui.cached_round(page, settings)
    if round_confirm.after_confirm(found):
        return
    st.caption(f"{found.method.capitalize()} over {found.candidates:,} candidate pairs: {found.summary()}")
    if found.pairs.empty:
        st.info(found.advice())
    else:
        round_confirm.round_pairs(page, found)
        single_pair(found)
    round_confirm.unpaired_table(found)


def single_pair(found: rounds.Round) -> None:
    """Confirm just one pair of the round, with all of its reasons."""
    options = rounds.pair_choices(found.pairs)
    digest = hashlib.sha1("".join(options).encode()).hexdigest()[:8]  # a new round starts with fresh pickers
    pick = {"options": list(options), "format_func": options.get}
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    hints = {"placeholder": "Choose a pair", "help": "Choosing a pair also shows all of its reasons below."}
    single = left.selectbox("Or confirm just one pair", **pick, **hints, index=None, key=f"match.single.{digest}")
    if right.button("Confirm this pair", key="match.confirm_single", disabled=not single):
        confirm(rounds.chosen_pairs([single]))
    if single:
        picked = rounds.pair_of_choice(found.pairs, single)
        st.markdown(
            f"**Why {ui.safe(picked['a_name'])} + {ui.safe(picked['b_name'])}** (score {picked['score']:.0f}):\n"
            + "\n".join(f"- {ui.safe(reason)}" for reason in picked["reasons"])
        )


def member_tab(settings: score.Settings) -> None:
    """The best partners for one member, found by name or email."""
    pool = page.read(candidates.eligible_members)
    label, hint = f"Find one of the {ui.plural(len(pool), 'member')} waiting", "part of a name or email"
    find = st.text_input(label, key="match.find", placeholder=hint)
    picked = st.session_state.get("match.member")  # stays listed even when the search leaves them out
    names, found = candidates.member_choices(pool, find, keep=picked, limit=ui.MAX_CHOICES)
    if found > len(names):
        st.caption(f"The first {len(names):,} of {found:,} are listed; type part of a name to find others.")
    pick = {"options": list(names), "format_func": names.get, "index": None}
    member = st.selectbox("Member", **pick, key="match.member", placeholder="Choose a member waiting for a partner")
    if not member:
        return
    best = page.read(rounds.suggest_partners, member, limit=10, settings=settings)
    if best.empty:
        st.info("Nobody eligible can teach and learn with this member both ways; see the round's reasons.")
        return
    st.dataframe(
        best.assign(reasons=best["reasons"].map("; ".join)),
        hide_index=True,
        column_order=["b_name", "score", *(c.name for c in score.COMPONENTS), "reasons"],
        column_config={"b_name": "Partner", "score": SCORE, "reasons": "Why"}
        | {c.name: st.column_config.NumberColumn(c.label, format="%.2f", help=c.formula) for c in score.COMPONENTS},
    )
    partners = dict(zip(best["b_email"], best["b_name"]))
    partner = st.selectbox("Partner", list(partners), format_func=partners.get, key="match.partner")
    if st.button("Confirm this pair", key="match.confirm_one", type="primary"):
        confirm([(member, partner)])


def pause_tab() -> None:
    """Pause a member for a while, or mark two members never to be paired."""
    left, right = st.columns(2)
    who = left.text_input("Pause member (email)", key="match.pause_email")
    until = right.date_input("Away until", date.today() + timedelta(days=60), key="match.pause_until")
    if st.button("Pause", key="match.pause") and who:
        page.apply(lambda cur: pairs.pause_member(cur, who, until, moderator=page.moderator), f"Paused {ui.safe(who)}.")
    st.dataframe(page.read(pairs.pauses), hide_index=True)
    left, right = st.columns(2)
    x = left.text_input("Never pair (email)", key="match.never_a")
    y = right.text_input("with (email)", key="match.never_b")
    if st.button("Never pair these two", key="match.never") and x and y:
        page.apply(lambda cur: pairs.mark_never_pair(cur, x, y, moderator=page.moderator), "Marked.")
    st.dataframe(page.read(pairs.never_pairs), hide_index=True)


round_confirm.introductions_panel(page)  # what was just confirmed comes first: its summary and Send
settings = page.read(score.load_settings)
settings_form(settings)
# Only the open tab runs (on_change="rerun"); the home page opens "For one member" directly.
tabs = st.tabs(["Whole round", "For one member", "Pauses and never-pair"], key="match.tab", on_change="rerun")
for tab, show in zip(tabs, [lambda: round_tab(settings), lambda: member_tab(settings), pause_tab]):
    if tab.open:
        with tab:
            show()
