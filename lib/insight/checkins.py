"""What the check-ins tell: answer rate, pairs that met, mean rating over time, and how answers predict drop-outs.

Decided:
- Counted per check-in (one question to a pair): *sent* check-ins in the period (by the day sent),
  *answered* those at least one member answered, *met* those where a member said they met; *rating* is the
  mean of every answer's rating (each member's answer counts once). The answer rate is answered / sent,
  the share that met is met / answered.
- Answers and drop-outs: each sent check-in is *low* (a member rated it 1-2 or said they did not meet),
  *missing* (nobody answered) or *good* (answered, nothing low). It is followed by a drop-out when its pair
  ended for a reason other than a happy one within 8 weeks after it was sent. Check-ins sent less than 8
  weeks ago whose pair is still going are left out (their outcome is not known yet).
"""

from __future__ import annotations

from datetime import date

import altair as alt
import duckdb
import pandas as pd

from lib.storage import db

WINDOW_WEEKS = 8
GROUPS = ("good", "low", "missing")
GROUP_WORDS = {"good": "a good answer", "low": "a low rating or no meeting", "missing": "no answer"}
# The day a check-in was sent, as lib.pair_life.checkins reads it (that package sits beside this one, which
# may not import it): its own sent_at (made-up history), else the first of its messages that went out.
_SENT = """
    WITH asked AS (
        SELECT c.id, c.pairing_id, CAST(coalesce(c.sent_at, (SELECT min(m.sent_at) FROM messages m
               WHERE m.checkin_id = c.id AND m.status = 'sent')) AS DATE) AS sent_on
        FROM checkins c
    ),
    per AS (
        SELECT q.id, q.pairing_id, q.sent_on, count(a.id) AS answers, bool_or(a.met) AS met,
               avg(a.rating) AS rating, sum(a.rating) AS rating_sum,
               bool_or(a.rating <= 2 OR NOT a.met) AS low
        FROM asked q LEFT JOIN checkin_answers a ON a.checkin_id = q.id
        WHERE q.sent_on IS NOT NULL GROUP BY 1, 2, 3
    )"""


def by_period(con: duckdb.DuckDBPyConnection, *, period: str = "month") -> pd.DataFrame:
    """Per month (or week): sent, answered, met, answer_rate, met_share, rating (mean of answers)."""
    if period not in ("month", "week"):
        raise ValueError(period)
    frame = con.execute(
        f"""
        {_SENT}
        SELECT date_trunc('{period}', p.sent_on) AS period, count(*) AS sent, count(*) FILTER (WHERE answers > 0)
               AS answered, count(*) FILTER (WHERE met) AS met,
               sum(rating_sum) / nullif(sum(answers), 0) AS rating
        FROM per p GROUP BY 1 ORDER BY 1
        """,
    ).df()
    frame["period"] = pd.to_datetime(frame["period"])
    answered = frame["answered"].where(frame["answered"] > 0)
    return frame.assign(answer_rate=frame["answered"] / frame["sent"], met_share=frame["met"] / answered)


def dropouts_after(con: duckdb.DuckDBPyConnection, *, today: date | None = None) -> pd.DataFrame:
    """Per kind of answer (good, low, missing): check-ins, how many were followed by a drop-out within 8 weeks,
    and that share."""
    today = today or db.now().date()
    frame = con.execute(
        f"""
        {_SENT},
        judged AS (
            SELECT CASE WHEN answers = 0 THEN 'missing' WHEN low THEN 'low' ELSE 'good' END AS answer,
                   e.ended_on IS NOT NULL AND NOT coalesce(r.happy, false)
                   AND e.ended_on <= p.sent_on + INTERVAL {WINDOW_WEEKS} WEEK AND e.ended_on >= p.sent_on AS dropped,
                   (e.ended_on IS NOT NULL AND e.ended_on <= p.sent_on + INTERVAL {WINDOW_WEEKS} WEEK)
                   OR p.sent_on + INTERVAL {WINDOW_WEEKS} WEEK <= $today AS known
            FROM per p JOIN pairings x ON x.id = p.pairing_id
            LEFT JOIN (SELECT pairing_id, max(ended_on) AS ended_on, arg_max(reason, id) AS reason FROM endings
                       WHERE undone_at IS NULL AND pairing_id IS NOT NULL GROUP BY 1) e ON e.pairing_id = p.pairing_id
            LEFT JOIN end_reasons r ON r.label = e.reason
        )
        SELECT answer, count(*) AS checkins, count(*) FILTER (WHERE dropped) AS dropped
        FROM judged WHERE known GROUP BY 1
        """,
        {"today": today},
    ).df()
    full = pd.DataFrame({"answer": list(GROUPS)}).merge(frame, on="answer", how="left").fillna(0)
    full[["checkins", "dropped"]] = full[["checkins", "dropped"]].astype(int)
    share = full["dropped"] / full["checkins"].where(full["checkins"] > 0)
    return full.assign(share=share, label=full["answer"].map(GROUP_WORDS))


def report(con: duckdb.DuckDBPyConnection) -> dict:
    """`report checkins --json`: per month sent, answered, met, rating; and the answer-to-drop-out figures."""
    periods = by_period(con)
    after = dropouts_after(con)
    return {
        "periods": [
            {"period": f"{r.period:%Y-%m}", "sent": int(r.sent), "answered": int(r.answered), "met": int(r.met),
             "rating": None if pd.isna(r.rating) else round(float(r.rating), 2)}
            for r in periods.itertuples()
        ],
        "dropouts": [
            {"answer": r.answer, "checkins": int(r.checkins), "dropped_within_8_weeks": int(r.dropped),
             "share": None if pd.isna(r.share) else round(float(r.share), 3)}
            for r in after.itertuples()
        ],
    }  # fmt: skip


def months_table(months: pd.DataFrame) -> pd.DataFrame:
    """by_period with readable headings, for the Numbers expander and its CSV."""
    return pd.DataFrame({
        "Month": months["period"].dt.strftime("%b %Y"),
        "Sent": months["sent"],
        "Answered": months["answered"],
        "Answer rate": months["answer_rate"].round(2),
        "Met": months["met"],
        "Share that met": months["met_share"].round(2),
        "Mean rating": months["rating"].round(2),
    })  # fmt: skip


def months_chart(months: pd.DataFrame) -> alt.VConcatChart:
    """Answer rate and share that met (0-100%) above the mean rating (1-5), by month."""
    shares = months.melt(
        id_vars=["period"], value_vars=["answer_rate", "met_share"], var_name="measure", value_name="share"
    ).assign(measure=lambda f: f["measure"].map({"answer_rate": "answered", "met_share": "of those, met"}))
    top = (
        alt.Chart(shares)
        .mark_line(point=True)
        .encode(
            x=alt.X("yearmonth(period):T", title="Month sent"),
            y=alt.Y("share:Q", title="Share of check-ins", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("measure:N", title=None),
            tooltip=[
                alt.Tooltip("yearmonth(period):T", title="Month"),
                "measure",
                alt.Tooltip("share:Q", format=".0%"),
            ],
        )
        .properties(height=220, width=600)
    )
    bottom = (
        alt.Chart(months)
        .mark_line(point=True, color="#9467bd")
        .encode(
            x=alt.X("yearmonth(period):T", title="Month sent"),
            y=alt.Y("rating:Q", title="Mean rating (1-5)", scale=alt.Scale(domain=[1, 5])),
            tooltip=[alt.Tooltip("yearmonth(period):T", title="Month"), alt.Tooltip("rating:Q", format=".2f")],
        )
        .properties(height=160, width=600)
    )
    return alt.vconcat(top, bottom)


def dropouts_table(after: pd.DataFrame) -> pd.DataFrame:
    """dropouts_after with readable headings."""
    return pd.DataFrame({
        "Answer": after["label"],
        "Check-ins": after["checkins"],
        f"Ended within {WINDOW_WEEKS} weeks": after["dropped"],
        "Share": after["share"].round(3),
    })  # fmt: skip


def dropouts_chart(after: pd.DataFrame) -> alt.Chart:
    """Share of check-ins followed by a drop-out, per kind of answer, with the count of each."""
    shown = after.assign(text="n = " + after["checkins"].astype(str))
    base = alt.Chart(shown).encode(
        y=alt.Y("label:N", title=None, sort=list(GROUP_WORDS.values())),
        x=alt.X("share:Q", title=f"Pairs ended within {WINDOW_WEEKS} weeks", axis=alt.Axis(format="%")),
    )
    bars = base.mark_bar().encode(
        tooltip=[alt.Tooltip("label:N", title="Answer"), "checkins", "dropped", alt.Tooltip("share:Q", format=".0%")]
    )
    labelled = bars + base.mark_text(align="left", dx=4).encode(text="text:N")
    return labelled.properties(height=150, width=560).configure_axisY(labelLimit=240)
