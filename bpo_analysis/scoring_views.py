"""Step 2 in the report: the verdict, headline figures and tables, with units.

Pure presentation of :mod:`bpo_analysis.evaluation` results; no calculation of its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from .evaluation import METHODS, Evaluation
from .present import Headline, Headlines, styled

__all__ = ["ahp_view", "assumed_view", "headlines", "knock_out_view", "rankings_view",
           "switch_sentence", "verdict"]


def switch_sentence(switch: pd.DataFrame) -> str:
    """The smallest weight change that hands the win to another vendor, in words.

    >>> sw = pd.DataFrame({"weight": [0.15, 0.08], "winner": ["V01", "V01"],
    ...                    "below": [float("nan"), 0.02], "winner below": [None, "V06"],
    ...                    "above": [0.48, float("nan")], "winner above": ["V02", None]},
    ...                   index=["price", "qa_score"])
    >>> switch_sentence(sw)  # doctest: +NORMALIZE_WHITESPACE
    'The winner changes soonest if the weight of qa_score falls below 0.020
    (from 0.080; V06 would win).'
    """
    down = switch["weight"] - switch["below"].astype(float)
    up = switch["above"].astype(float) - switch["weight"]
    if down.isna().all() and up.isna().all():
        return "No single weight, moved from 0 to 1, changes the winner."
    d_min = down.min() if down.notna().any() else np.inf
    u_min = up.min() if up.notna().any() else np.inf
    if d_min <= u_min:
        cid, how, col = down.idxmin(), "falls below", "below"
    else:
        cid, how, col = up.idxmin(), "rises above", "above"
    r = switch.loc[cid]
    return (f"The winner changes soonest if the weight of {cid} {how} {r[col]:.3f} "
            f"(from {r['weight']:.3f}; {r['winner ' + col]} would win).")


def verdict(ev: Evaluation) -> str:
    """One sentence: the winner under the chosen method, its margin and how sure."""
    t = ev.ranking.table()
    best, second = t.index[0], t.index[1]
    tie = " (tied)" if t["tie"].iloc[0] else ""
    p = ev.stability.loc[best, "P(rank 1)"]
    return (f"Best under {METHODS[ev.method]}: {best}{tie}, score {t['score'].iloc[0]:.3f} "
            f"against {t['score'].iloc[1]:.3f} for {second}; it ranks first in "
            f"{p:.1%} of the weightings drawn around the chosen ones.")


def headlines(ev: Evaluation) -> Headlines:
    """Step 2 in numbers: the winner's score and how often it wins, the vendors left,
    and the AHP consistency ratio."""
    t = ev.ranking.table()
    best = t.index[0]
    items = [
        Headline("winner_score", f"Best: {best}", float(t["score"].iloc[0]),
                 f"{METHODS[ev.method]} score (0-1)", 3),
        Headline("winner_p_first", "Ranks first when weights vary",
                 float(ev.stability.loc[best, "P(rank 1)"]) * 100, "% of weightings", 1),
        Headline("vendors_left", "Vendors past the knock-outs", float(len(ev.survivors)),
                 f"of {ev.knock_outs['vendor_id'].nunique()}", 0),
    ]
    if ev.ahp is not None and ev.ahp.cr is not None:
        items.append(Headline("ahp_cr", "AHP consistency ratio", ev.ahp.cr,
                              f"CR ({ev.ahp.random_index}; <= 0.1 is consistent)", 3))
    return Headlines(items, title=verdict(ev) + " " + switch_sentence(ev.switch_points))


def knock_out_view(ev: Evaluation) -> Styler:
    """Every knock-out rule against every vendor; the failures are the exclusions."""
    t = ev.knock_outs.assign(
        value=ev.knock_outs["value"].map(_value),
        result=ev.knock_outs["passed"].map({True: "pass", False: "EXCLUDED"}))
    t = t.drop(columns="passed").sort_values(["result", "vendor_id"])
    return styled(t, {}, f"Knock-out rules: {len(ev.survivors)} vendors left "
                         f"({', '.join(ev.survivors)})")


def _value(x: object) -> str:
    """A knock-out value as the data says it: yes/no, a number, or '-' when missing."""
    if isinstance(x, bool | np.bool_):
        return "yes" if x else "no"
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "-"
    return f"{x:g}" if isinstance(x, int | float | np.number) else str(x)


def assumed_view(ev: Evaluation) -> Styler:
    """The scores the data did not give and the evaluation assumed (worst value)."""
    return styled(ev.assumed, {"assumed": "{:g}"},
                  "Missing scores taken as the worst value of the criterion"
                  if len(ev.assumed) else "No missing scores among the vendors left")


def rankings_view(ev: Evaluation, currency: str) -> Styler:
    """Every method's score and rank side by side (scores in 0-1; higher is better),
    with each vendor's price per contact in ``currency``."""
    cols = {}
    for key, label in METHODS.items():
        r = ev.rankings[key]
        cols[f"{label}: score"] = r.score
        cols[f"{label}: rank"] = r.rank
    t = pd.DataFrame(cols).sort_values(f"{METHODS[ev.method]}: rank")
    price = f"price ({currency} per contact)"
    t.insert(0, price, ev.prices.reindex(t.index))
    t = t.rename_axis("vendor").reset_index()
    fmt = {c: "{:.3f}" for c in t.columns if c.endswith("score")}
    fmt[price] = "{:,.1f}"
    return styled(t, fmt, "Scores and ranks under each method (ties share a rank)")


def ahp_view(ev: Evaluation) -> Styler:
    """AHP weights of what the judgements compare, next to the stated weights."""
    if ev.ahp is None:
        raise ValueError("no ahp section in criteria.yaml")
    crit = ev.criteria
    stated = (crit.groupby("group", sort=False)["weight"].sum()
              if ev.ahp.weights.index.isin(crit["group"]).all() else crit["weight"])
    t = pd.DataFrame({"AHP weight": ev.ahp.weights,
                      "stated weight": stated.reindex(ev.ahp.weights.index) / stated.sum()})
    t = t.rename_axis("compared").reset_index()
    worst = ev.ahp.worst
    note = (f"; most inconsistent judgement: {worst[0]} vs {worst[1]} = {worst[2]:g} "
            f"(the weights imply {worst[3]:.2f})" if worst else "")
    cr = "n/a for 2 items" if ev.ahp.cr is None else f"{ev.ahp.cr:.3f}"
    return styled(t, {"AHP weight": "{:.1%}", "stated weight": "{:.1%}"},
                  f"AHP weights: λmax {ev.ahp.lambda_max:.3f}, CI {ev.ahp.ci:.4f}, "
                  f"CR {cr} ({ev.ahp.random_index}){note}")
