"""Driving the Applicants page's editable queue under AppTest (its edits are seeded, see ECOSYSTEM.md)."""

from lib.members import screening


def edit_queue(at, con, edits_by_email: dict[str, dict], *, view: str = "decision") -> None:
    """Show `view`, then apply cell edits ({"pick": True}, {"notes": "..."}, {"status": "screened"}) to the
    rows of these emails, as a moderator would in the table, and run the page."""
    if at.selectbox(key="applicants.stage").value != view:
        at.selectbox(key="applicants.stage").set_value(view).run()
    rows = {email: i for i, email in enumerate(screening.queue(con, view=view)["email"])}
    edited = {rows[email]: cells for email, cells in edits_by_email.items()}
    key = f"applicants.queue.{at.session_state['applicants.generation']}"
    at.session_state[key] = {"edited_rows": edited, "added_rows": [], "deleted_rows": []}
    at.run()


def tick(at, con, emails: list[str], *, view: str = "decision") -> None:
    """Tick these applicants' rows."""
    edit_queue(at, con, {email: {"pick": True} for email in emails}, view=view)
