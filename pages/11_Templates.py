"""Message templates: the text each kind of message is drafted from, with its placeholders and a preview.

Decisions: the preview shows the unsaved text as typed, filled with made-up people, so a change can be
read before it is saved; problems are shown as the text is typed, and Save refuses a text with any (the
same sentences). Going back to the shipped text forgets what was typed. Drafts already in the Outbox keep
the text they were drafted with.
"""

import streamlit as st

from lib import ui
from lib.messages import drafts, templates

page = ui.page_setup("Message templates", ":material/edit_note:")
st.title("Message templates")
st.caption(
    "Each message the dashboard drafts starts from one of these. The first line is the subject; "
    "a `$word` is filled in for each message. Write `$$` for a dollar sign."
)

kind = st.selectbox("Message", list(templates.KINDS), format_func=templates.TITLES.get, key="templates.kind")
saved = page.read(templates.source, kind)
edited = page.read(templates.is_edited, kind)
text_key = f"templates.text.{kind}"
left, right = st.columns([3, 2], gap="large")
with left:
    text = st.text_area("Template", saved, height=440, key=text_key)
    for problem in templates.problems(kind, text):
        st.warning(problem, icon=":material/warning:")
    if text != saved:
        st.caption(":material/edit: Changed, not saved yet.")
    elif edited:
        st.caption("This is your own version of the template.")
    else:
        st.caption("This is the text the dashboard ships with.")
    buttons = st.container(horizontal=True)
    if buttons.button("Save", key="templates.save", type="primary", icon=":material/save:"):
        page.apply(lambda cur: templates.save(cur, kind, text, moderator=page.moderator), "Template saved.")
    if buttons.button("Back to the shipped text", key="templates.reset", icon=":material/undo:", disabled=not edited):
        page.apply(
            lambda cur: templates.reset(cur, kind, moderator=page.moderator),
            "Back to the shipped text.",
            forget=(text_key,),
        )
with right:
    st.markdown("**Placeholders**")
    st.markdown("\n".join(f"- `${name}`: {ui.safe(about)}" for name, about in templates.VARIABLES[kind].items()))
st.markdown("**Preview** of the text above, with made-up people")
subject, body = templates.preview(kind, text)
ui.show_message({"subject": subject, "body": body})

st.divider()
st.subheader("Feedback form for farewells")
st.caption(
    "A farewell asks the member why it did not work for them. With a form's link here, it points to the form; "
    "without one, it asks them to reply by email (paste their reply on the Outbox page)."
)
link = st.text_input(
    "Form link",
    page.read(drafts.feedback_form) or "",
    key="templates.form",
    placeholder="https://forms.gle/...",
)
if st.button("Save the link", key="templates.save_form"):
    page.apply(
        lambda cur: drafts.set_feedback_form(cur, link, moderator=page.moderator),
        "Link saved." if link.strip() else "Link removed; farewells ask for a reply by email.",
    )
