"""Matching: a whole optimal round, the best partners for one member, pauses, introductions."""

import hashlib
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from lib import matching, ui
from lib.errors import MentoringError
from lib.insight.search import rows_containing
from lib.messages import introductions
from lib.pair_life import pairs

page = ui.page_setup("Matching", ":material/handshake:")
st.title("Matching")
st.caption(
    "Pairs where each member teaches the other something they want. Scores run 0-100; "
    "every suggestion says why. Nothing is written until you confirm."
)


def confirm(chosen: list[tuple[str, str]]) -> None:
    """Confirm pairs in one go and keep their ids to show the introduction emails."""
    try:
        with page.writing() as cur:
            made = pairs.confirm_pairs(cur, chosen, moderator=page.moderator)
    except MentoringError as exc:
        ui.show_error(exc)
    else:
        st.session_state["match.confirmed"] = [m["id"] for m in made]
        st.rerun()


settings = page.read(matching.load_settings)
with st.expander("Score weights and hard limits"):
    cols = st.columns(4)
    weights = {
        name: cols[i].number_input(f"{name.capitalize()} weight", 0.0, 100.0, float(value), 5.0, key=f"match.w.{name}")
        for i, (name, value) in enumerate(settings.weights.items())
    }
    labels = {
        "max_timezone_gap_hours": "Max hours apart",
        "max_experience_gap_years": "Max years of experience apart",
        "min_shared_hours": "Min shared daytime hours",
    }
    cols = st.columns(3)
    limits = {
        key: cols[i].number_input(
            label, 0.0, 24.0, settings.limits.get(key), 1.0, key=f"match.l.{key}", placeholder="no limit"
        )
        for i, (key, label) in enumerate(labels.items())
    }
    if st.button("Save weights and limits", key="match.save"):
        page.apply(
            lambda cur: matching.save_settings(cur, matching.Settings(weights, limits), moderator=page.moderator),
            "Saved.",
        )

# Only the open tab runs (on_change="rerun"); the home page opens "For one member" directly.
round_tab, member_tab, pause_tab = st.tabs(
    ["Whole round", "For one member", "Pauses and never-pair"], key="match.tab", on_change="rerun"
)
if round_tab.open:
    with round_tab:
        waiting = len(page.read(matching.eligible_members))
        found = None
        if waiting <= matching.AUTO_ROUND_LIMIT or st.session_state.get("match.round_requested"):
            found = ui.cached_round(page, settings)
        else:
            st.info(
                f"{waiting:,} members are waiting for a partner; finding the best round for so many takes a few seconds.",
                icon=":material/hourglass_top:",
            )
            if st.button("Suggest a round", key="match.suggest_round", type="primary"):
                st.session_state["match.round_requested"] = True
                st.rerun()
        if found is not None:
            st.caption(
                f"{found.method.capitalize()} over {found.candidates:,} candidate pairs: "
                f"{ui.plural(len(found.pairs), 'pair')}, {ui.plural(len(found.unmatched), 'member')} left out."
            )
            if found.pairs.empty:
                st.info(
                    "No pairs to suggest: accept more members on the Applicants page, or see who is left out below."
                    if not found.unmatched.empty
                    else "Nobody is waiting for a partner: accept members on the Applicants page "
                    "(new people arrive through Import)."
                )
            else:
                st.dataframe(
                    found.pairs.assign(reasons=found.pairs["reasons"].map("; ".join)),
                    hide_index=True,
                    column_order=["a_name", "b_name", "score", "a_teaches_b", "b_teaches_a", "reasons"],
                    column_config={
                        "a_name": "Member A",
                        "b_name": "Member B",
                        "score": st.column_config.NumberColumn("Score", format="%.0f"),
                        "a_teaches_b": st.column_config.ListColumn("A teaches B"),
                        "b_teaches_a": st.column_config.ListColumn("B teaches A"),
                        "reasons": "Why",
                    },
                )
                options = {
                    f"{p.a_email}|{p.b_email}": f"{p.a_name} + {p.b_name} ({p.score:.0f})"
                    for p in found.pairs.itertuples()
                }
                digest = hashlib.sha1("".join(options).encode()).hexdigest()[:8]
                dropped = st.multiselect(
                    "Leave these pairs out",
                    list(options),
                    format_func=options.get,
                    key=f"match.drop.{digest}",
                    placeholder="Keep every pair",
                )
                chosen = [c for c in options if c not in dropped]
                if st.button(
                    f"Confirm {len(chosen)} pairs", key="match.confirm_round", type="primary", disabled=not chosen
                ):
                    confirm([tuple(c.split("|")) for c in chosen])
                left, right = st.columns([2, 1], vertical_alignment="bottom")
                single = left.selectbox(
                    "Or confirm just one pair",
                    list(options),
                    index=None,
                    format_func=options.get,
                    key=f"match.single.{digest}",
                    placeholder="Choose a pair",
                    help="Choosing a pair also shows all of its reasons below.",
                )
                if right.button("Confirm this pair", key="match.confirm_single", disabled=not single):
                    confirm([tuple(single.split("|"))])
                if single:
                    picked = found.pairs[(found.pairs["a_email"] + "|" + found.pairs["b_email"]) == single].iloc[0]
                    st.markdown(
                        f"**Why {ui.safe(picked['a_name'])} + {ui.safe(picked['b_name'])}** "
                        f"(score {picked['score']:.0f}):\n"
                        + "\n".join(f"- {ui.safe(reason)}" for reason in picked["reasons"])
                    )
            if not found.unmatched.empty:
                st.subheader("Left out this round, and why")
                st.dataframe(
                    found.unmatched, hide_index=True, column_config={"email": "Email", "name": "Name", "reason": "Why"}
                )

if member_tab.open:
    with member_tab:
        pool = page.read(matching.eligible_members)
        find = st.text_input(
            f"Find one of the {ui.plural(len(pool), 'member')} waiting",
            key="match.find",
            placeholder="part of a name or email",
        )
        pool = rows_containing(pool, find, ["name", "email"])
        picked = st.session_state.get("match.member")  # kept even when the search leaves them out
        listed = pool.head(ui.MAX_CHOICES)
        if picked and picked not in set(listed["email"]):
            everyone = page.read(matching.eligible_members)
            listed = pd.concat([everyone[everyone["email"] == picked], listed])
        names = dict(zip(listed["email"], listed["name"] + " <" + listed["email"] + ">"))
        if len(pool) > len(listed):
            st.caption(f"The first {len(listed):,} of {len(pool):,} are listed; type part of a name to find others.")
        member = st.selectbox(
            "Member",
            list(names),
            index=None,
            format_func=names.get,
            key="match.member",
            placeholder="Choose a member waiting for a partner",
        )
        if member:
            best = page.read(matching.suggest_partners, member, limit=10, settings=settings)
            if best.empty:
                st.info("Nobody eligible can teach and learn with this member both ways; see the round's reasons.")
            else:
                st.dataframe(
                    best.assign(reasons=best["reasons"].map("; ".join)),
                    hide_index=True,
                    column_order=["b_name", "score", "reciprocity", "experience", "timezone", "waiting", "reasons"],
                    column_config={
                        "b_name": "Partner",
                        "score": st.column_config.NumberColumn("Score", format="%.0f"),
                        "reasons": "Why",
                    },
                )
                partner = st.selectbox(
                    "Partner",
                    list(best["b_email"]),
                    format_func=dict(zip(best["b_email"], best["b_name"])).get,
                    key="match.partner",
                )
                if st.button("Confirm this pair", key="match.confirm_one", type="primary"):
                    confirm([(member, partner)])

if pause_tab.open:
    with pause_tab:
        left, right = st.columns(2)
        who = left.text_input("Pause member (email)", key="match.pause_email")
        until = right.date_input("Away until", date.today() + timedelta(days=60), key="match.pause_until")
        if st.button("Pause", key="match.pause") and who:
            page.apply(
                lambda cur: pairs.pause_member(cur, who, until, moderator=page.moderator), f"Paused {ui.safe(who)}."
            )
        st.dataframe(page.read(pairs.pauses), hide_index=True)
        left, right = st.columns(2)
        x = left.text_input("Never pair (email)", key="match.never_a")
        y = right.text_input("with (email)", key="match.never_b")
        if st.button("Never pair these two", key="match.never") and x and y:
            page.apply(lambda cur: pairs.mark_never_pair(cur, x, y, moderator=page.moderator), "Marked.")
        st.dataframe(page.read(pairs.never_pairs), hide_index=True)


# Introductions for the pairs just confirmed, while they are still waiting for their trial.
introduce = page.read(pairs.still_proposed, tuple(st.session_state.get("match.confirmed", [])))
for pairing_id in introduce:
    email = introductions.introduction(page.con(), pairing_id)
    st.subheader(f"Introduce: {ui.safe(email.subject)}")
    body = st.text_area("Email (edit before sending)", email.body, height=300, key=f"match.email.{pairing_id}")
    edited = introductions.Email(email.to, email.subject, body)
    st.link_button("Open in your mail program", edited.mailto(), icon=":material/mail:")
    st.caption("Or copy it (copy button at the top right of the box):")
    st.code(f"To: {', '.join(edited.to)}\nSubject: {edited.subject}\n\n{body}", language=None)
