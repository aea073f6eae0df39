"""Step 2 in the report: the verdict, headline figures and tables, with units.

Pure presentation of a :class:`~bpo_analysis.steps.vendors.step.VendorsResult`; no calculation
of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from bpo_analysis.core.present import Headline, Headlines, Paragraph, styled
from bpo_analysis.i18n import N_, _, term
from bpo_analysis.steps.vendors.scoring import METHODS

if TYPE_CHECKING:
    from bpo_analysis.steps.vendors.step import VendorsResult

#: The methods' names as :data:`.scoring.METHODS` gives them (translated with ``term``).
_METHOD_NAMES = (N_("TOPSIS"), N_("weighted sum (min-max)"), N_("weighted sum (sum)"))
#: The knock-out and missing-score tables' columns (translated on display by ``styled``).
_COLUMNS = (N_("vendor_id"), N_("criterion"), N_("value"), N_("rule"), N_("result"),
            N_("assumed"))

__all__ = ["ahp_view", "assumed_view", "criteria_paragraph", "headlines", "knock_out_view",
           "rankings_view", "switch_sentence", "verdict"]


def switch_sentence(switch: pd.DataFrame) -> str:
    """Say in words the smallest weight change that hands the win to another vendor.

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
        return _("No single weight, moved from 0 to 1, changes the winner.")
    d_min = down.min() if down.notna().any() else np.inf
    u_min = up.min() if up.notna().any() else np.inf
    if d_min <= u_min:
        cid, col = down.idxmin(), "below"
        text = _("The winner changes soonest if the weight of {criterion} falls below "
                 "{limit:.3f} (from {weight:.3f}; {winner} would win).")
    else:
        cid, col = up.idxmin(), "above"
        text = _("The winner changes soonest if the weight of {criterion} rises above "
                 "{limit:.3f} (from {weight:.3f}; {winner} would win).")
    r = switch.loc[cid]
    return text.format(criterion=cid, limit=r[col], weight=r["weight"],
                       winner=r["winner " + col])


def verdict(ev: VendorsResult) -> str:
    """Say in one sentence: the winner under the chosen method, its margin and how sure."""
    t = ev.ranking.table()
    best, second = t.index[0], t.index[1]
    tie = _(" (tied)") if t["tie"].iloc[0] else ""
    p = ev.stability.loc[best, "P(rank 1)"]
    return _("Best under {method}: {best}{tie}, score {score:.3f} against {second_score:.3f} "
             "for {second}; it ranks first in {p:.1%} of the weightings drawn around the "
             "chosen ones.").format(method=term(METHODS[ev.method]), best=best, tie=tie,
                                   score=t["score"].iloc[0], second_score=t["score"].iloc[1],
                                   second=second, p=p)


def headlines(ev: VendorsResult) -> Headlines:
    """Return step 2 in numbers: the winner's score and how often it wins.

    Also the vendors left, and the AHP consistency ratio.
    """
    t = ev.ranking.table()
    best = t.index[0]
    items = [
        Headline("winner_score", _("Best: {vendor}").format(vendor=best),
                 float(t["score"].iloc[0]),
                 _("{method} score (0-1)").format(method=term(METHODS[ev.method])), 3),
        Headline("winner_p_first", _("Ranks first when weights vary"),
                 float(ev.stability.loc[best, "P(rank 1)"]) * 100, _("% of weightings"), 1),
        Headline("vendors_left", _("Vendors past the knock-outs"), float(len(ev.survivors)),
                 _("of {n}").format(n=ev.knock_outs["vendor_id"].nunique()), 0),
    ]
    if ev.ahp is not None and ev.ahp.cr is not None:
        items.append(Headline("ahp_cr", _("AHP consistency ratio"), ev.ahp.cr,
                              _("CR ({index}; <= 0.1 is consistent)").format(
                                  index=ev.ahp.random_index), 3))
    return Headlines(items, title=verdict(ev) + " " + switch_sentence(ev.switch_points))


def criteria_paragraph(ev: VendorsResult) -> Paragraph:
    """Say what the vendors are weighed on: the client's criteria groups and their weights.

    The groups as the client's criteria file names them, the heaviest first, each with
    its share of the weights ranked with (``criteria.yaml``'s or AHP's); where a criterion
    is priced on the demand, how.
    """
    crit = ev.criteria
    by_group = ev.weights.groupby(crit["group"], sort=False).sum().sort_values(
        ascending=False, kind="stable")
    text = _("The vendors are weighed on {n} criteria in {groups} groups, with these shares "
             "of the weight: {weights}.").format(
        n=len(crit), groups=len(by_group),
        weights=_(", ").join(f"{term(g)} {w * 100:.0f} %" for g, w in by_group.items()))
    priced = crit.loc[crit["source"] == "pricing", "name"]
    if len(priced):
        text += " " + _("{criterion}: each vendor's cheapest quote, per contact handled on "
                        "the client's own demand.").format(criterion=", ".join(priced))
    return Paragraph(text)


def knock_out_view(ev: VendorsResult) -> Styler:
    """Style every knock-out rule against every vendor; the failures are the exclusions."""
    t = ev.knock_outs.assign(
        value=ev.knock_outs["value"].map(_value),
        result=ev.knock_outs["passed"].map({True: "pass", False: "EXCLUDED"}))
    t = t.drop(columns="passed").sort_values(["result", "vendor_id"])
    t["result"] = t["result"].map({"pass": _("pass"), "EXCLUDED": _("EXCLUDED")})
    return styled(t, {}, _("Knock-out rules: {n} vendors left ({vendors})").format(
        n=len(ev.survivors), vendors=", ".join(ev.survivors)))


def _value(x: object) -> str:
    """Show a knock-out value as the data says it: yes/no, a number, or '-' when missing."""
    if isinstance(x, bool | np.bool_):
        return _("yes") if x else _("no")
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "-"
    return f"{x:g}" if isinstance(x, int | float | np.number) else str(x)


def assumed_view(ev: VendorsResult) -> Styler:
    """Style the scores the data did not give and the evaluation assumed (worst value)."""
    return styled(ev.assumed, {"assumed": "{:g}"},
                  _("Missing scores taken as the worst value of the criterion")
                  if len(ev.assumed) else _("No missing scores among the vendors left"))


def rankings_view(ev: VendorsResult, currency: str) -> Styler:
    """Style every method's score and rank side by side (scores in 0-1; higher is better).

    With each vendor's price per contact in ``currency``.
    """
    cols, scores = {}, []
    for key, label in METHODS.items():
        r = ev.rankings[key]
        scores.append(_("{method}: score").format(method=term(label)))
        cols[scores[-1]] = r.score
        cols[_("{method}: rank").format(method=term(label))] = r.rank
    t = pd.DataFrame(cols).sort_values(_("{method}: rank").format(
        method=term(METHODS[ev.method])))
    price = _("price ({currency} per contact)").format(currency=currency)
    t.insert(0, price, ev.prices.reindex(t.index))
    t = t.rename_axis(N_("vendor")).reset_index()
    fmt = dict.fromkeys(scores, "{:.3f}")
    fmt[price] = "{:,.1f}"
    return styled(t, fmt, _("Scores and ranks under each method (ties share a rank)"))


def ahp_view(ev: VendorsResult) -> Styler:
    """Style the AHP weights of what the judgements compare, next to the stated weights."""
    if ev.ahp is None:
        raise ValueError("no ahp section in criteria.yaml")
    crit = ev.criteria
    stated = (crit.groupby("group", sort=False)["weight"].sum()
              if ev.ahp.weights.index.isin(crit["group"]).all() else crit["weight"])
    t = pd.DataFrame({N_("AHP weight"): ev.ahp.weights,
                      N_("stated weight"): stated.reindex(ev.ahp.weights.index) / stated.sum()})
    t = t.rename_axis(N_("compared")).reset_index()
    worst = ev.ahp.worst
    note = (_("; most inconsistent judgement: {a} vs {b} = {judged:g} (the weights imply "
              "{implied:.2f})").format(a=worst[0], b=worst[1], judged=worst[2],
                                       implied=worst[3]) if worst else "")
    cr = _("n/a for 2 items") if ev.ahp.cr is None else f"{ev.ahp.cr:.3f}"
    return styled(t, {"AHP weight": "{:.1%}", "stated weight": "{:.1%}"},
                  _("AHP weights: λmax {lambda_max:.3f}, CI {ci:.4f}, CR {cr} ({index}){note}"
                    ).format(lambda_max=ev.ahp.lambda_max, ci=ev.ahp.ci, cr=cr,
                             index=ev.ahp.random_index, note=note))
