"""The Pairs page's drop-out form: who is leaving (a name or email, as in their mail), why, their words, and
one button. The member's running pair is found from the name (lib.pair_life.leaving), so the moderator never
looks the pair up first; their partner goes back into the pool, first in line (lifecycle.end_pairing).

Decided where the issue is silent: the member named is the one who ended it; they leave the community too
unless the moderator unticks that box (a hand walk found "I have to stop" members matched again while
staying was the default); the feedback counts as from the member
directly (it came in their mail). A refused name keeps everything typed; a recorded drop-out empties the
form (its fields get new keys) and the page's undo line offers to take it back.
"""

from __future__ import annotations

import streamlit as st

from lib.pair_life import leaving, lifecycle
from lib.ui import Page

GENERATION = "pairs.quick.generation"  # bumped after each recorded drop-out, so the form starts empty again


def dropout_form(page: Page) -> None:
    """The form, in a bordered box near the top of the Pairs page."""
    key = f"quick.{st.session_state.get(GENERATION, 0)}"
    with st.form("pairs.quick", border=True, enter_to_submit=False):
        st.markdown("**Someone is leaving their pair?** Their partner goes back into the pool, first in line.")
        who = st.text_input("Who is leaving", key=f"{key}.who", placeholder="name or email, as in their mail")
        reasons = list(page.read(lifecycle.end_reasons)["label"])
        reason = st.radio("Main reason", reasons, index=None, horizontal=True, key=f"{key}.reason")
        feedback = st.text_area("Feedback, in their words", key=f"{key}.feedback", height=68)
        left = st.checkbox(
            "They leave the community too (untick if they want another partner)", value=True, key=f"{key}.left"
        )
        if st.form_submit_button("Record the drop-out", type="primary", icon=":material/logout:"):
            if reason is None:
                st.error("Choose the main reason, then record the drop-out again.", icon=":material/error:")
                return
            page.apply(lambda cur: _record(cur, page, who, reason, feedback, left), None, forget=("pairs.ending",))


def _record(cursor, page: Page, who: str, reason: str, feedback: str, left: bool) -> None:
    found = leaving.find(cursor, who)
    ending = dict(by=found.side, reason=reason, feedback=feedback or None, feedback_source="member")
    side = [found.side] if left else []
    lifecycle.end_pairing(cursor, found.pairing_id, **ending, left_service=side, moderator=page.moderator)
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    st.toast(f"Recorded: {found.name} left the pair with {found.partner}. Undo is at the top of the page.")
