"""The screening stages an applicant moves through, and the rule for moving between them.

Any stage may follow any other (a moderator corrects mistakes by moving someone back); declining
needs a reason. `erased` is final: only an erasure leads there and nothing leads out. Only 'accepted' members can be matched.
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
    "erased": "Personal data erased at their request (final)",
}
FINAL = "erased"  # reached only through erasure; never left again
STAGES = tuple(STAGE_HELP)
MOVABLE = tuple(s for s in STAGES if s != FINAL)  # what a moderator or an import may choose


def check_new_stage(stage: str) -> str:
    """A stage new applicants may be imported into (any but the final one)."""
    check_stage(stage)
    if stage == FINAL:
        raise InvalidInput(f"New applicants cannot be imported as {FINAL}; choose one of: {', '.join(MOVABLE)}.")
    return stage


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
    if to == FINAL:
        raise InvalidInput(
            "Members are erased with Erase (Backups & privacy page, or `python -m lib erase`), not moved there."
        )
    if to == "declined" and not (reason and reason.strip()):
        raise InvalidInput("Declining needs a reason; say briefly why (it stays private to moderators).")
