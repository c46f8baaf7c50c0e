"""The screening stages an applicant moves through, and the rule for moving between them.

Any stage may follow any other (a moderator corrects mistakes by moving someone back); declining
needs a reason. Only 'accepted' members can be matched.
"""

from __future__ import annotations

from collections.abc import Sequence

from lib.errors import InvalidInput

STAGE_HELP = {
    "applied": "New application, not looked at yet",
    "screened": "Credentials checked",
    "interviewed": "Video chat done",
    "accepted": "Member: can be matched",
    "declined": "Not taken in (with a reason)",
    "withdrawn": "Left the service",
}
STAGES = tuple(STAGE_HELP)


def check_stage(stage: str) -> str:
    """The stage itself, or InvalidInput listing the stages."""
    if stage not in STAGES:
        raise InvalidInput(f"'{stage}' is not a stage; use one of: {', '.join(STAGES)}.")
    return stage


def check_stages(chosen: Sequence[str]) -> list[str]:
    """Several stages to count members in: at least one, each known."""
    chosen = list(chosen)
    unknown = [s for s in chosen if s not in STAGES]
    if unknown:
        raise InvalidInput(f"'{unknown[0]}' is not a stage; use some of: {', '.join(STAGES)}.")
    if not chosen:
        raise InvalidInput("Choose at least one stage to count.")
    return chosen


def check_move(to: str, *, reason: str | None) -> None:
    """Whether applicants may be moved to this stage with this reason."""
    check_stage(to)
    if to == "declined" and not (reason and reason.strip()):
        raise InvalidInput("Declining needs a reason; say briefly why (it stays private to moderators).")
