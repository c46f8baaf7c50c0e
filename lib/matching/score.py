"""The score of a candidate pair, its components declared once in COMPONENTS.

Score (0-100) = 100 x sum(weight x component) / sum(weights of the components known for the pair):
a component that cannot be known for a pair (no time zone, no years of experience) neither helps nor
hurts. Optional hard limits drop candidates outright. The score, the reasons shown with every
suggestion, the Matching page's settings form and the README's table (kept equal to
`markdown_table()` by a unit test) all read COMPONENTS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from lib.errors import InvalidInput
from lib.intake import names, timezones
from lib.matching import freetime, wording
from lib.storage import db

WAIT_FULL_DAYS = 60
FREE_FULL_HOURS = 4  # hours a week both are free that count as plenty


@dataclass(frozen=True)
class Limit:
    """An optional hard limit: candidates whose `column` breaks the moderator's value are dropped."""

    key: str  # the key of its value in the saved settings
    label: str  # on the settings form and in the README
    column: str  # a distance the component's measure adds to the candidates
    breaks: Callable[[np.ndarray, float], np.ndarray]
    text: str  # how the why-not sentence names it; "{}" is the value
    maximum: float = 24.0


@dataclass(frozen=True)
class RoundLimit:
    """An optional rule for the whole round, not for one pair: a number on the same form as the Limits."""

    key: str  # the key of its value in the saved settings (kept with the limits; None is "no limit")
    label: str  # on the settings form
    maximum: float


class Sides:
    """Both members of every candidate pair, looked up once in the pool of eligible members."""

    def __init__(self, cands: pd.DataFrame, pool: pd.DataFrame) -> None:
        self.cands = cands
        self._pool = pool
        self._ia, self._ib = pool.index.get_indexer(cands["a"]), pool.index.get_indexer(cands["b"])

    def both(self, column: str, dtype: Any = float) -> tuple[np.ndarray, np.ndarray]:
        """The pool's `column` for member a and member b of every pair."""
        values = self._pool[column].to_numpy(dtype=dtype)
        return values[self._ia], values[self._ib]

    def free_hours(self) -> np.ndarray:
        """Hours a week both are free (NaN when either gave no availability); computed once per pairs, and
        only for the members these pairs name (one member's suggestions need a few dozen masks, not 20,000)."""
        if not hasattr(self, "_free"):
            used = np.unique(np.concatenate([self._ia, self._ib]))
            masks, known = freetime.member_masks(self._pool.iloc[used], freetime.window_start(db.now()))
            place = np.full(len(self._pool), -1, dtype=np.int64)
            place[used] = np.arange(len(used))
            self._free = freetime.shared_hours(masks, known, place[self._ia], place[self._ib])
        return self._free

    def zone_index(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The distinct zones, and each pair's members' positions in that list (-1 when unknown)."""
        codes = pd.Categorical(self._pool["zone"].where(self._pool["zone"].map(lambda z: isinstance(z, str))))
        per_member = np.asarray(codes.codes, dtype=np.int64)
        return list(codes.categories), per_member[self._ia], per_member[self._ib]


@dataclass(frozen=True)
class Pair:
    """One described pair as its reasons see it: the pair's row, both members' pool rows, first names."""

    row: Any
    a: Mapping  # a pool row: a Series or a dict
    b: Mapping
    first_a: str
    first_b: str


@dataclass(frozen=True)
class Component:
    """One part of the score."""

    name: str  # its column, and the key of its weight in the saved settings
    label: str
    default_weight: float
    measure: Callable[[Sides], dict[str, np.ndarray]]  # {name: 0-1 or NaN if unknown, distances the limits use}
    reasons: Callable[[Pair], list[str]]  # what the moderator reads about this part of a pair
    formula: str  # for the settings form's help and the README
    limits: tuple[Limit, ...] = ()


def score_pairs(cands: pd.DataFrame, pool: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Add the score components, the 0-100 score and distances to candidate pairs; apply hard limits."""
    out = cands.copy()
    sides = Sides(cands, pool)
    for component in COMPONENTS:
        for column, values in component.measure(sides).items():
            out[column] = values
    out = _apply_limits(out, settings.limits)
    out["score"] = _weighted(out, settings.weights)
    return out.reset_index(drop=True)


def reasons(row: Any, pool: pd.DataFrame | Mapping) -> list[str]:
    """The reasons for one pair (a row with a, b, a_teaches_b, b_teaches_a and the distances), component by
    component; `pool` is the pool, or its members as {id: {column: value}} (much faster for many pairs)."""
    a, b = (pool.loc[row.a], pool.loc[row.b]) if isinstance(pool, pd.DataFrame) else (pool[row.a], pool[row.b])
    first_a, first_b = (
        names.first_name(a["name"], fallback=a["email"]),
        names.first_name(b["name"], fallback=b["email"]),
    )
    if first_a == first_b:
        first_a, first_b = a["name"], b["name"]
    pair = Pair(row, a, b, first_a, first_b)
    return [text for component in COMPONENTS for text in component.reasons(pair)]


def beside_skills(reasons: list[str]) -> list[str]:
    """The reasons other than the two teaching sentences ("Ann teaches Bo Go"), which `reasons` always puts
    first (reciprocity is the first component and says exactly two): for tables that show the skills each way
    in their own columns."""
    return reasons[2:]


@dataclass
class Settings:
    """Weights of the score's components and optional hard limits."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    limits: dict[str, float | None] = field(default_factory=lambda: dict(DEFAULT_LIMITS))


def load_settings(con: duckdb.DuckDBPyConnection) -> Settings:
    """The moderator's saved weights and limits (defaults for anything not saved)."""
    saved = db.get_setting(con, "matching", {}) or {}
    return Settings({**DEFAULT_WEIGHTS, **saved.get("weights", {})}, {**DEFAULT_LIMITS, **saved.get("limits", {})})


def save_settings(con: duckdb.DuckDBPyConnection, settings: Settings, *, moderator: str = "local") -> None:
    """Store weights and limits; refuse negative weights or all-zero weights."""
    if any(w < 0 for w in settings.weights.values()) or not any(settings.weights.values()):
        raise InvalidInput("Weights must be zero or more, and at least one must be above zero.")
    with db.transaction(con):
        db.set_setting(con, "matching", {"weights": settings.weights, "limits": settings.limits})
        db.audit(
            con, "matching_settings", {"weights": settings.weights, "limits": settings.limits}, moderator=moderator
        )


def limits_text(settings: Settings) -> str:
    """The hard limits set, as words: 'at most 6 h apart, at least 2 shared hours' (or 'none set')."""
    chosen = [
        limit.text.format(wording.number(settings.limits[limit.key]))
        for limit in PAIR_LIMITS
        if settings.limits.get(limit.key) is not None
    ]
    return ", ".join(chosen) or "none set"


def markdown_table() -> str:
    """The components as the README's Markdown table: name, default weight, how it is computed, hard limits."""
    rows = [
        f"| {c.label} | {wording.number(c.default_weight)} | {c.formula} | "
        f"{'; '.join(limit.label.lower() for limit in c.limits) or '-'} |"
        for c in COMPONENTS
    ]
    return "\n".join(
        ["| Component | Default weight | Value from 0 to 1 | Optional hard limits |", "|---|---|---|---|", *rows]
    )


def _reciprocity(sides: Sides) -> dict[str, np.ndarray]:
    wants_a, wants_b = sides.both("n_wants")
    cover_a = np.minimum(sides.cands["n_ba"].to_numpy(), 2) / np.maximum(np.minimum(wants_a, 2), 1)
    cover_b = np.minimum(sides.cands["n_ab"].to_numpy(), 2) / np.maximum(np.minimum(wants_b, 2), 1)
    return {"reciprocity": np.sqrt(cover_a * cover_b)}


def _experience(sides: Sides) -> dict[str, np.ndarray]:
    years_a, years_b = sides.both("experience_years")
    gap = np.abs(years_a - years_b)
    return {"experience_gap": gap, "experience": 1 - np.minimum(gap, 10) / 10}


def _timezone(sides: Sides) -> dict[str, np.ndarray]:
    gap, hours = _zone_distances(*sides.zone_index())
    # members who both said when they are free are scored on that instead (free_time)
    value = np.where(np.isnan(sides.free_hours()), np.minimum(hours, 4) / 4, np.nan)
    return {"tz_gap": gap, "shared_daytime": hours, "timezone": value}


def _free_time(sides: Sides) -> dict[str, np.ndarray]:
    hours = sides.free_hours()
    return {"shared_hours": hours, "free_time": np.minimum(hours, FREE_FULL_HOURS) / FREE_FULL_HOURS}


def _budget(sides: Sides) -> dict[str, np.ndarray]:
    hours_a, hours_b = sides.both("hours_per_week")
    low, high = np.fmin(hours_a, hours_b), np.fmax(hours_a, hours_b)
    known = ~np.isnan(hours_a) & ~np.isnan(hours_b) & (high > 0)
    ratio = np.where(known, low / np.where(known, high, 1), np.nan)
    cadence = np.where(known & (low < 1), 2, 1)
    return {"budget": ratio, "cadence_weeks": cadence}


def _waiting(sides: Sides) -> dict[str, np.ndarray]:
    waited_a, waited_b = sides.both("waited_days")
    behind_a, behind_b = sides.both("left_behind", bool)
    waited = (waited_a + waited_b) / 2
    return {"waiting": np.where(behind_a | behind_b, 1.0, np.minimum(1.0, waited / WAIT_FULL_DAYS))}


def _reciprocity_reasons(pair: Pair) -> list[str]:
    teach_b, teach_a = wording.names(list(pair.row.a_teaches_b)), wording.names(list(pair.row.b_teaches_a))
    return [f"{pair.first_a} teaches {pair.first_b} {teach_b}", f"{pair.first_b} teaches {pair.first_a} {teach_a}"]


def _experience_reasons(pair: Pair) -> list[str]:
    ya, yb = pair.a["experience_years"], pair.b["experience_years"]
    if pd.isna(ya) or pd.isna(yb):
        return []
    low, high = sorted((ya, yb))
    if low == high:
        return [f"both {wording.count(low, 'year')}"]
    if high - low <= 3:
        return [f"both {wording.number(low)}-{wording.number(high)} years"]
    return [f"{pair.first_a} {wording.count(ya, 'year')}, {pair.first_b} {wording.count(yb, 'year')}"]


def _timezone_reasons(pair: Pair) -> list[str]:
    gap = pair.row.tz_gap
    if pd.isna(gap):
        return []
    apart = "same time zone" if gap == 0 else f"{wording.number(gap)} h apart"
    if not pd.isna(pair.row.shared_hours):
        return [apart]
    return [f"{apart} ({wording.number(pair.row.shared_daytime)} h of shared daytime)"]


def _free_time_reasons(pair: Pair) -> list[str]:
    hours = pair.row.shared_hours
    if pd.isna(hours):
        return []
    return [f"both free at the same time {wording.number(round(hours, 1))} h a week"]


def _budget_reasons(pair: Pair) -> list[str]:
    ha, hb = pair.a["hours_per_week"], pair.b["hours_per_week"]
    if pd.isna(ha) or pd.isna(hb):
        return []
    pace = "meet every two weeks" if pair.row.cadence_weeks == 2 else "meet weekly"
    if ha == hb:
        return [f"both give {wording.hours(ha)} a week: {pace}"]
    return [f"{pair.first_a} gives {wording.hours(ha)} a week, {pair.first_b} {wording.hours(hb)}: {pace}"]


def _waiting_reasons(pair: Pair) -> list[str]:
    found = [
        f"{first} was left behind by a partner's drop-out"
        for person, first in ((pair.a, pair.first_a), (pair.b, pair.first_b))
        if person["left_behind"]
    ]
    longer, first = (pair.a, pair.first_a) if pair.a["waited_days"] >= pair.b["waited_days"] else (pair.b, pair.first_b)
    return [*found, f"{first} waited {wording.count(int(longer['waited_days']), 'day')}"]


COMPONENTS = (
    Component(
        "reciprocity",
        "Reciprocity",
        50.0,
        _reciprocity,
        _reciprocity_reasons,
        "√(coverageA × coverageB), a member's coverage being min(skills the partner teaches them, 2) / "
        "min(skills they want, 2): how much of each one's wants the other covers, and balanced "
        "(a pair where only one side gains much scores low)",
    ),
    Component(
        "experience",
        "Experience",
        15.0,
        _experience,
        _experience_reasons,
        "1 − min(years of experience apart, 10) / 10",
        (
            Limit(
                "max_experience_gap_years",
                "Max years of experience apart",
                "experience_gap",
                np.greater,
                "at most {} years apart",
            ),
        ),
    ),
    Component(
        "timezone",
        "Time zone",
        20.0,
        _timezone,
        _timezone_reasons,
        f"(only when a member gave no free times) min(shared daytime hours, 4) / 4, daytime being {timezones.DAY_START:02d}:00-{timezones.DAY_END:02d}:00 "
        "local time in real zones (`zoneinfo`) a week from today, so daylight saving is right; answers such as "
        '"CET", "UTC+2", "Berlin" or "India (IST)" are read as zones',
        (
            Limit("max_timezone_gap_hours", "Max hours apart", "tz_gap", np.greater, "at most {} h apart"),
            Limit(
                "min_shared_hours", "Min shared daytime hours", "shared_daytime", np.less, "at least {} shared hours"
            ),
        ),
    ),
    Component(
        "free_time",
        "Shared free time",
        20.0,
        _free_time,
        _free_time_reasons,
        f"min(hours a week both are free, {FREE_FULL_HOURS}) / {FREE_FULL_HOURS}, from the free times members gave, "
        f"placed in their own time zones on the calendar of the next {freetime.WINDOW_DAYS} days (`zoneinfo`, so a "
        "daylight-saving change is right); two members who both gave free times and share no hour are never "
        "suggested; when either gave none, the time-zone component counts instead",
    ),
    Component(
        "budget",
        "Weekly budget",
        5.0,
        _budget,
        _budget_reasons,
        "the smaller weekly time budget / the larger one (2 h and 30 min every two weeks: 0.125); a pair whose smaller "
        "budget is under 1 hour a week is proposed to meet every two weeks",
    ),
    Component(
        "waiting",
        "Waiting",
        15.0,
        _waiting,
        _waiting_reasons,
        f"min(1, mean days since acceptance / {WAIT_FULL_DAYS}), and 1 when either member was left behind by a "
        "partner's drop-out",
    ),
)
PAIR_LIMITS = tuple(limit for component in COMPONENTS for limit in component.limits)
# No limit (the default): a round pairs as many people as possible, then has the best total score; 0: the
# best total score however many are left out (the behaviour before issue 15); P: the round pairing the
# most people when its total score is at most P% below the best one, else the best (rounds.suggest_round).
SCORE_GIVEN_UP = RoundLimit("max_score_given_up_percent", "Max % of total score given up to pair more people", 100.0)
ROUND_LIMITS = (SCORE_GIVEN_UP,)
LIMITS: tuple[Limit | RoundLimit, ...] = PAIR_LIMITS + ROUND_LIMITS  # the settings form's fields
DEFAULT_WEIGHTS = {component.name: component.default_weight for component in COMPONENTS}
DEFAULT_LIMITS: dict[str, float | None] = {limit.key: None for limit in LIMITS}


def _zone_table(names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct zone's UTC offset on the reference day, and the shared daytime of each two (a matrix)."""
    day = timezones.reference_day(db.now())
    return np.array([timezones.utc_offset_hours(z, day) for z in names]), timezones.shared_daytime(names, day)


def zone_pairs(names: list[str]) -> pd.DataFrame:
    """Every two of the distinct zones `names` (by position: za, zb) with hours apart and shared daytime,
    as _zone_distances computes them: the table the database's score (sql_score) joins."""
    offsets, shared = _zone_table(names)
    za, zb = np.divmod(np.arange(len(names) ** 2), max(len(names), 1))
    return pd.DataFrame({"za": za, "zb": zb, "gap": np.abs(offsets[za] - offsets[zb]), "shared": shared[za, zb]})


def sql_score(settings: Settings) -> tuple[str, str, str]:
    """The score of a pair in DuckDB SQL, for ranking pairs in the database before score_pairs scores the
    ones kept, in three parts: the components' values (a SELECT list over a relation with the measures n_ab,
    n_ba, wants_a, wants_b, experience_gap, shared_hours, tz_gap, shared_daytime, hours_a, hours_b, waited_a,
    waited_b, behind_a, behind_b; NULL when unknown), the condition a pair must meet to be suggested at all
    (a shared free hour when both gave free times, no hard limit broken), and the score over those values.
    The same formulas as the COMPONENTS: a unit test holds the two equal on every pair of a varied pool."""
    values = {
        "reciprocity": "sqrt(least(n_ba, 2) / greatest(least(wants_a, 2), 1) * least(n_ab, 2) / "
        "greatest(least(wants_b, 2), 1))",
        "experience": "1 - least(experience_gap, 10) / 10",
        "timezone": "CASE WHEN shared_hours IS NULL THEN least(shared_daytime, 4) / 4 END",
        "free_time": f"least(shared_hours, {FREE_FULL_HOURS}) / {FREE_FULL_HOURS}",
        "budget": "least(hours_a, hours_b) / greatest(hours_a, hours_b)",
        "waiting": f"CASE WHEN behind_a OR behind_b THEN 1.0 ELSE least(1.0, (waited_a + waited_b) / 2 / {WAIT_FULL_DAYS}) END",
    }
    # least() and greatest() skip NULLs: a value is NULL (unknown) unless everything it reads is known
    known_when = {
        "reciprocity": "true",
        "experience": "experience_gap IS NOT NULL",
        "timezone": "shared_daytime IS NOT NULL",
        "free_time": "shared_hours IS NOT NULL",
        "budget": "hours_a IS NOT NULL AND hours_b IS NOT NULL AND greatest(hours_a, hours_b) > 0",
        "waiting": "waited_a IS NOT NULL AND waited_b IS NOT NULL",
    }
    assert set(values) == set(known_when) == {c.name for c in COMPONENTS}
    weights = {c.name: float(settings.weights.get(c.name, 0.0)) for c in COMPONENTS if settings.weights.get(c.name)}
    listed = ", ".join(
        f"CASE WHEN {known_when[name]} THEN {values[name]} END AS {name}"
        if known_when[name] != "true"
        else f"{values[name]} AS {name}"
        for name in weights
    )
    keep = ["coalesce(shared_hours <> 0, true)"]
    for limit in PAIR_LIMITS:
        value = settings.limits.get(limit.key)
        if value is not None:
            keep.append(f"NOT coalesce({limit.column} {_SQL_BREAKS[limit.breaks]} {float(value)!r}, false)")
    if not weights:
        return "0 AS nothing", " AND ".join(keep), "0.0"
    total = " + ".join(f"{w!r} * coalesce({name}, 0)" for name, w in weights.items())
    known = " + ".join(f"{w!r} * CAST({name} IS NOT NULL AS INTEGER)" for name, w in weights.items())
    return listed, " AND ".join(keep), f"100 * ({total}) / greatest({known}, 1e-9)"


_SQL_BREAKS = {np.greater: ">", np.less: "<"}


def _zone_distances(names: list[str], ia: np.ndarray, ib: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hours apart and shared daytime per pair, from a table of the distinct zones (no Python per pair)."""
    if not names:
        nan = np.full(len(ia), np.nan)
        return nan, nan.copy()
    offsets, shared = _zone_table(names)
    known = (ia >= 0) & (ib >= 0)
    sa, sb = np.where(known, ia, 0), np.where(known, ib, 0)
    gap = np.where(known, np.abs(offsets[sa] - offsets[sb]), np.nan)
    hours = np.where(known, shared[sa, sb], np.nan)
    return gap, hours


def _apply_limits(out: pd.DataFrame, limits: dict) -> pd.DataFrame:
    keep = out["shared_hours"].to_numpy(dtype=float) != 0  # both gave free times and share none: never suggested
    for limit in PAIR_LIMITS:
        value = limits.get(limit.key)
        if value is not None:
            values = out[limit.column].to_numpy(dtype=float)
            keep &= ~(limit.breaks(values, value) & ~np.isnan(values))
    return out[keep]


def _weighted(out: pd.DataFrame, weights: dict[str, float]) -> np.ndarray:
    total = np.zeros(len(out))
    known = np.zeros(len(out))
    for component in COMPONENTS:
        weight = weights.get(component.name, 0.0)
        values = out[component.name].to_numpy(dtype=float)
        present = ~np.isnan(values)
        total += np.where(present, values, 0) * weight
        known += present * weight
    return np.where(known > 0, 100 * total / np.maximum(known, 1e-9), 0.0)
