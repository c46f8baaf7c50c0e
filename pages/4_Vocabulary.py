"""Skill vocabulary: merge duplicates (with undo), rename skills, see members' own words."""

import streamlit as st

from lib import ui
from lib.insight import coverage
from lib.insight.search import rows_containing
from lib.intake import skills

page = ui.page_setup("Skill vocabulary", ":material/spellcheck:")
st.title("Skill vocabulary")
st.caption(
    "Members write skills in their own words; each word maps to one canonical skill. Merging moves "
    "every member's words and is remembered for future imports. Every merge can be undone."
)


st.subheader("Likely duplicates")
proposals = page.read(coverage.likely_duplicates)
if proposals.empty:
    st.caption("No look-alike skills among the words members use.")
for row in proposals.head(25).itertuples():
    text, button = st.columns([5, 1])
    text.write(
        f"**{ui.safe(row.merge)}** ({row.merge_members} members) looks like **{ui.safe(row.into)}** "
        f"({row.into_members} members), similarity {row.score}"
    )
    if button.button("Merge", key=f"vocab.dup.{row.merge_id}.{row.into_id}"):
        page.apply(
            lambda cur, r=row: skills.merge_skills(cur, r.merge, r.into, moderator=page.moderator),
            f"Merged {ui.safe(row.merge)} into {ui.safe(row.into)}.",
        )

st.subheader("Merge or rename by hand")
used, every = page.read(skills.skill_names, in_use=True), page.read(skills.skill_names)
left, right, go = st.columns([2, 2, 1], vertical_alignment="bottom")
source = left.selectbox("Merge this skill", used, index=None, key="vocab.from", placeholder="Skill members use")
target = right.selectbox("into", every, index=None, key="vocab.into", placeholder="Canonical skill")
if go.button("Merge", key="vocab.merge", disabled=not (source and target)):
    page.apply(
        lambda cur: skills.merge_skills(cur, source, target, moderator=page.moderator),
        f"Merged {ui.safe(source)} into {ui.safe(target)}.",
    )
left, right, go = st.columns([2, 2, 1], vertical_alignment="bottom")
old = left.selectbox("Rename this skill", used, index=None, key="vocab.rename_skill", placeholder="Skill")
new = right.text_input("New name", key="vocab.rename_to")
if go.button("Rename", key="vocab.rename", disabled=not (old and new.strip())):
    page.apply(
        lambda cur: skills.rename_skill(cur, old, new, moderator=page.moderator),
        f"Renamed {ui.safe(old)} to {ui.safe(new)}.",
    )

st.subheader("Merges")
history = page.read(skills.merges)
if history.empty:
    st.caption("No merges yet.")
for row in history.head(30).itertuples():
    text, button = st.columns([5, 1])
    state = f"undone {row.undone_at:%d %b %Y}" if row.undone_at is not None and str(row.undone_at) != "NaT" else ""
    text.write(
        f"{row.merged_at:%d %b %Y %H:%M}: **{ui.safe(row.merged)}** into **{ui.safe(row.into_skill)}** by {ui.safe(row.moderator)} {state}"
    )
    if not state and button.button("Undo", key=f"vocab.undo.{row.id}"):
        page.apply(
            lambda cur, r=row: skills.undo_merge(cur, r.id, moderator=page.moderator),
            f"Undid the merge of {ui.safe(row.merged)}.",
        )

st.subheader("Members' own words")
search = st.text_input("Find a skill or word", key="vocab.search")
words = rows_containing(page.read(skills.skill_words), search, ["skill", "word"])
st.dataframe(
    words,
    hide_index=True,
    key="vocab.words",
    column_config={"skill": "Canonical skill", "word": "Member's word", "members": "Members"},
)
if st.button("Re-run normalisation over every member's words", key="vocab.renormalise"):
    page.apply(lambda cur: skills.renormalise(cur, moderator=page.moderator), "Normalised every member's words again.")
