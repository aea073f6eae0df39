"""Step 2 in the report: the verdict, headline figures and tables, with units.

Pure presentation of a :class:`~bpo_analysis.steps.vendors.step.VendorsResult`; no calculation
of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from bpo_analysis.core.eligibility import languages_text, show_value
from bpo_analysis.core.present import Headline, Headlines, Paragraph, styled
from bpo_analysis.i18n import N_, _, plural, term
from bpo_analysis.steps.vendors.scoring import METHODS

if TYPE_CHECKING:
    from bpo_analysis.steps.vendors.step import VendorsResult

#: The methods' names as :data:`.scoring.METHODS` gives them (translated with ``term``).
_METHOD_NAMES = (N_("TOPSIS"), N_("weighted sum (min-max)"), N_("weighted sum (sum)"))
#: The knock-out and missing-score tables' columns (translated on display by ``styled``).
_COLUMNS = (N_("vendor"), N_("criterion"), N_("value"), N_("rule"), N_("result"),
            N_("assumed"))
#: The random-index tables of the AHP consistency ratio, by their key in criteria.yaml.
_RANDOM_INDEX = {"saaty1980": N_("Saaty 1980 random index"),
                 "alonso_lamata2006": N_("Alonso & Lamata 2006 random index")}
#: The languages rule's criterion (not one of criteria.yaml's).
_LANGUAGES = N_("Languages served")

__all__ = ["ahp_view", "assumed_view", "criteria_paragraph", "headlines", "knock_out_view",
           "rankings_view", "switch_sentence", "switch_text", "vendor", "verdict"]


def vendor(ev: VendorsResult, vendor_id: object) -> str:
    """Return a vendor as reports name it: its name, then its id ("Evergreen CX (V06)")."""
    name = ev.names.get(str(vendor_id))
    return f"{name} ({vendor_id})" if name and name != vendor_id else str(vendor_id)


def _random_index(key: str) -> str:
    """Return the name of an AHP random-index table ("Saaty 1980 random index")."""
    return term(_RANDOM_INDEX[key]) if key in _RANDOM_INDEX else key


def switch_sentence(switch: pd.DataFrame, criteria: Mapping[str, str] | None = None,
                    vendors: Mapping[str, str] | None = None) -> str:
    """Say in words the smallest weight change that hands the win to another vendor.

    ``criteria`` and ``vendors`` name the criteria and the vendors (id -> name as the
    report shows it); an id without a name is shown as it is. Weights are shares of
    the total, shown as %.

    >>> sw = pd.DataFrame({"weight": [0.15, 0.08], "winner": ["V01", "V01"],
    ...                    "below": [float("nan"), 0.02], "winner below": [None, "V06"],
    ...                    "above": [0.48, float("nan")], "winner above": ["V02", None]},
    ...                   index=["price", "qa_score"])
    >>> switch_sentence(sw, {"qa_score": "QA score"},
    ...                 {"V06": "Evergreen CX (V06)"})  # doctest: +NORMALIZE_WHITESPACE
    'The winner changes soonest if the weight of QA score falls below 2.0 % (from 8.0 %;
    Evergreen CX (V06) would win).'
    """
    criteria, vendors = criteria or {}, vendors or {}
    down = switch["weight"] - switch["below"].astype(float)
    up = switch["above"].astype(float) - switch["weight"]
    if down.isna().all() and up.isna().all():
        return _("No single weight, moved from 0 to 1, changes the winner.")
    d_min = down.min() if down.notna().any() else np.inf
    u_min = up.min() if up.notna().any() else np.inf
    if d_min <= u_min:
        cid, col = down.idxmin(), "below"
        text = _("The winner changes soonest if the weight of {criterion} falls below "
                 "{limit:.1f} % (from {weight:.1f} %; {winner} would win).")
    else:
        cid, col = up.idxmin(), "above"
        text = _("The winner changes soonest if the weight of {criterion} rises above "
                 "{limit:.1f} % (from {weight:.1f} %; {winner} would win).")
    r = switch.loc[cid]
    winner = r["winner " + col]
    return text.format(criterion=criteria.get(cid, cid), limit=r[col] * 100,
                       weight=r["weight"] * 100, winner=vendors.get(winner, winner))


def verdict(ev: VendorsResult) -> str:
    """Say in one sentence: the winner under the chosen method, its margin and how sure."""
    t = ev.ranking.table()
    best, second = t.index[0], t.index[1]
    tie = _(" (tied)") if t["tie"].iloc[0] else ""
    p = ev.stability.loc[best, "P(rank 1)"]
    return _("Best under {method}: {best}{tie}, score {score:.3f} against {second_score:.3f} "
             "for {second}; it ranks first in {p:.1%} of the weightings drawn around the "
             "chosen ones.").format(method=term(METHODS[ev.method]), best=vendor(ev, best),
                                   tie=tie, score=t["score"].iloc[0],
                                   second_score=t["score"].iloc[1],
                                   second=vendor(ev, second), p=p)


def switch_text(ev: VendorsResult) -> str:
    """Say the smallest weight change that changes the winner, criteria and vendors by name."""
    return switch_sentence(ev.switch_points, ev.criteria["name"].map(term).to_dict(),
                           {v: vendor(ev, v) for v in ev.switch_points.filter(
                               like="winner").stack().dropna().unique()})


def headlines(ev: VendorsResult) -> Headlines:
    """Return step 2 in numbers: the winner's score and how often it wins.

    Also the vendors left, and the AHP consistency ratio.
    """
    t = ev.ranking.table()
    best = t.index[0]
    items = [
        Headline("winner_score", _("Best: {vendor}").format(vendor=vendor(ev, best)),
                 float(t["score"].iloc[0]),
                 _("{method} score (0-1)").format(method=term(METHODS[ev.method])), 3),
        Headline("winner_p_first", _("Ranks first when weights vary"),
                 float(ev.stability.loc[best, "P(rank 1)"]) * 100, _("% of weightings"), 1),
        Headline("vendors_left", _("Vendors past the knock-outs"), float(len(ev.survivors)),
                 _("of {n}").format(n=ev.knock_outs["vendor_id"].nunique()), 0),
    ]
    if ev.ahp is not None and ev.ahp.cr is not None:
        items.append(Headline("ahp_cr", _("AHP consistency ratio"), ev.ahp.cr, "", 3,
                              note=_("{index}; 0.10 or less is consistent").format(
                                  index=_random_index(ev.ahp.random_index)),
                              display=f"{ev.ahp.cr:.3f}"))
    return Headlines(items, title=verdict(ev) + " " + switch_text(ev))


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
                        "the client's own demand.").format(
            criterion=_(", ").join(term(p) for p in priced))
    return Paragraph(text)


def knock_out_view(ev: VendorsResult) -> Styler:
    """Style every knock-out rule against every vendor; the failures are the exclusions.

    Vendors by name, criteria by name, each value in its criterion's unit (a share as %,
    languages by name) and each rule in words.
    """
    ko = ev.knock_outs.assign(failed=~ev.knock_outs["passed"].astype(bool))
    ko = ko.sort_values(["failed", "vendor_id"], ascending=[False, True], kind="stable")
    names = ev.criteria["name"].map(term).to_dict() | {"languages": term(_LANGUAGES)}
    t = pd.DataFrame({
        "vendor": [vendor(ev, v) for v in ko["vendor_id"]],
        "criterion": [names.get(c, c) for c in ko["criterion"]],
        "value": [_value(ev, c, x) for c, x in zip(ko["criterion"], ko["value"], strict=True)],
        "rule": ko["rule"].to_numpy(),
        "result": np.where(ko["failed"], _("EXCLUDED"), _("pass"))})
    left = _(", ").join(vendor(ev, v) for v in ev.survivors)
    return styled(t, {}, plural(len(ev.survivors),
                                N_("Knock-out rules: {n} vendor left ({vendors})"),
                                N_("Knock-out rules: {n} vendors left ({vendors})"),
                                vendors=left))


def _value(ev: VendorsResult, criterion: str, x: object) -> str:
    """Show a knock-out value in its criterion's unit: yes/no, 41 %, languages by name."""
    if criterion == "languages":
        return languages_text(x)
    unit = ev.criteria["unit"].get(criterion, "")
    return show_value(x, unit if isinstance(unit, str) else "")


def assumed_view(ev: VendorsResult) -> Styler:
    """Style the scores the data did not give and the evaluation assumed (worst value)."""
    a = ev.assumed
    names = ev.criteria["name"].map(term).to_dict()
    t = pd.DataFrame({"vendor": [vendor(ev, v) for v in a["vendor_id"]],
                      "criterion": [names.get(c, c) for c in a["criterion"]],
                      "assumed": [_value(ev, c, x) for c, x in
                                  zip(a["criterion"], a["assumed"], strict=True)]})
    return styled(t, {}, _("Missing scores taken as the worst value of the criterion")
                  if len(a) else _("No missing scores among the vendors left"))


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
    t.index = [vendor(ev, v) for v in t.index]
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
    t["compared"] = t["compared"].map(term)
    worst = ev.ahp.worst
    note = (_("; the judgement furthest from the weights: {a} against {b}, judged {judged:g} "
              "(the weights imply {implied:.2f})").format(
                  a=term(worst[0]), b=term(worst[1]), judged=worst[2], implied=worst[3])
            if worst else "")
    cr = _("not defined for 2 items") if ev.ahp.cr is None else f"{ev.ahp.cr:.3f}"
    return styled(t, {"AHP weight": "{:.1%}", "stated weight": "{:.1%}"},
                  _("AHP weights: consistency ratio {cr} ({index}; 0.10 or less is "
                    "consistent), largest eigenvalue {lambda_max:.3f}, consistency index "
                    "{ci:.4f}{note}").format(cr=cr, index=_random_index(ev.ahp.random_index),
                                             lambda_max=ev.ahp.lambda_max, ci=ev.ahp.ci,
                                             note=note))
