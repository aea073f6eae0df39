"""Step 1 in the report: the recommendation, headline figures and tables, with units.

Pure presentation of the results of :mod:`bpo_analysis.steps.sourcing.calc` and the modules
it re-exports; no calculation of its own.
"""

from __future__ import annotations

import re

import pandas as pd
from pandas.io.formats.style import Styler

from bpo_analysis.core.present import Headline, Headlines, amount_scale, styled
from bpo_analysis.core.verdicts import DEFAULT_RULES, VerdictRules, sourcing_verdict
from bpo_analysis.data.client import Client
from bpo_analysis.i18n import N_, _, month, term
from bpo_analysis.steps.sourcing.breakeven import break_even_table, range_of
from bpo_analysis.steps.sourcing.calc import peak_effect

__all__ = ["break_even_sentence", "break_even_view", "headlines", "horizon_view", "peak_view",
           "recommendation", "schedule_view", "summary_table"]


def recommendation(summary: pd.DataFrame, currency: str,
                   rules: VerdictRules = DEFAULT_RULES) -> str:
    """Say in one sentence: the cheapest option, its cost, and its margin over the next one.

    The margin over the runner-up is not a saving against today's cost. When it is within
    the forecast error (``rules.tie_within`` of the cheapest option's cost,
    :func:`~bpo_analysis.core.verdicts.sourcing_verdict`) the two options tie.

    >>> s = pd.DataFrame({"total": [90.0e6, 99.1e6], "per_contact": [68.4, 75.3]},
    ...                  index=["In-house", "Shared (per contact)"])
    >>> recommendation(s, "TWD")  # doctest: +NORMALIZE_WHITESPACE
    'Cheapest under these assumptions: In-house, 90,000,000 TWD over the period (68.4 TWD
    per contact); margin over the runner-up, Shared (per contact): 9,100,000 TWD (10.1 % of
    the cheapest cost), beyond the forecast error (10 %).'
    >>> s.loc["Shared (per contact)", "total"] = 99.0e6
    >>> recommendation(s, "TWD")  # doctest: +NORMALIZE_WHITESPACE
    'In-house and Shared (per contact) tie within the forecast error (10 % of the cheapest
    cost): In-house costs 90,000,000 TWD over the period (68.4 TWD per contact), a margin
    over the runner-up of 9,000,000 TWD (10.0 %).'
    """
    s = summary.sort_values("total")
    best, nxt = s.index[0], s.index[1]
    total, gap = s["total"].iloc[0], s["total"].iloc[1] - s["total"].iloc[0]
    template = {
        "wins": _("Cheapest under these assumptions: {best}, {total:,.0f} {currency} over the "
                  "period ({per_contact:,.1f} {currency} per contact); margin over the "
                  "runner-up, {next}: {gap:,.0f} {currency} ({share:.1f} % of the cheapest "
                  "cost), beyond the forecast error ({error:.0f} %)."),
        "tie": _("{best} and {next} tie within the forecast error ({error:.0f} % of the "
                 "cheapest cost): {best} costs {total:,.0f} {currency} over the period "
                 "({per_contact:,.1f} {currency} per contact), a margin over the runner-up "
                 "of {gap:,.0f} {currency} ({share:.1f} %)."),
    }[sourcing_verdict(total, s["total"].iloc[1], rules)]
    return template.format(
        best=term(best), total=total, currency=currency,
        per_contact=s["per_contact"].iloc[0], gap=gap, share=gap / total * 100,
        next=term(nxt), error=rules.tie_within * 100)


def horizon_sentence(horizon: pd.DataFrame, months: int, currency: str,
                     rules: VerdictRules = DEFAULT_RULES) -> str:
    """Describe the cheapest option over the planning horizon in present value, and its margin.

    The margin over the runner-up is a share of the cheapest present value; within the
    forecast error (``rules.tie_within``) the two options tie.

    >>> h = pd.DataFrame({"pv": [250.0e6, 280.0e6]}, index=["Dedicated (per seat)",
    ...                                                      "In-house"])
    >>> horizon_sentence(h, 36, "TWD")  # doctest: +NORMALIZE_WHITESPACE
    'Over the 36-month horizon: Dedicated (per seat), 250,000,000 TWD in present value;
    margin over the runner-up, In-house: 30,000,000 TWD (12.0 %).'
    >>> h.loc["In-house", "pv"] = 270.0e6
    >>> horizon_sentence(h, 36, "TWD")  # doctest: +NORMALIZE_WHITESPACE
    'Over the 36-month horizon, Dedicated (per seat) and In-house tie within the forecast
    error: Dedicated (per seat) costs 250,000,000 TWD in present value, a margin over the
    runner-up of 20,000,000 TWD (8.0 %).'
    """
    s = horizon.sort_values("pv")
    pv, gap = s["pv"].iloc[0], s["pv"].iloc[1] - s["pv"].iloc[0]
    template = {
        "wins": _("Over the {months}-month horizon: {best}, {pv:,.0f} {currency} in present "
                  "value; margin over the runner-up, {next}: {gap:,.0f} {currency} "
                  "({share:.1f} %)."),
        "tie": _("Over the {months}-month horizon, {best} and {next} tie within the forecast "
                 "error: {best} costs {pv:,.0f} {currency} in present value, a margin over the "
                 "runner-up of {gap:,.0f} {currency} ({share:.1f} %)."),
    }[sourcing_verdict(pv, s["pv"].iloc[1], rules)]
    return template.format(months=months, best=term(s.index[0]), pv=pv, currency=currency,
                           gap=gap, share=gap / pv * 100, next=term(s.index[1]))


def headlines(summary: pd.DataFrame, ranges: pd.DataFrame | None, currency: str,
              horizon: pd.DataFrame | None = None, months: int = 0,
              rules: VerdictRules = DEFAULT_RULES, today: float | None = None,
              contacts: float | None = None) -> Headlines:
    """Return step 1 in numbers: the cheapest option, its margin and the break-evens.

    The cheapest option, its margin over the runner-up (not a saving against today's
    cost; noted as a tie within the forecast error of ``rules``), one card per
    break-even of the two options of ``ranges``
    (:func:`~bpo_analysis.steps.sourcing.breakeven.cheaper_ranges`, shared against
    dedicated in the step) and, in the sentence, which of them is cheaper in each range
    of volume and at today's ``contacts`` per month (:func:`break_even_sentence`). Given
    the :func:`~bpo_analysis.steps.sourcing.horizon.horizon_summary`, the cheapest
    option's present value over the ``months`` of the horizon. Given ``today`` (today's
    in-house cost a month, the money bridge's first level), the cheapest option's saving
    against it -- a different number from the margin, labelled so.
    """
    s = summary.sort_values("total")
    tie = sourcing_verdict(s["total"].iloc[0], s["total"].iloc[1], rules) == "tie"
    items = [
        Headline("cheapest_option_per_month", _("Cheapest: {option}").format(
                     option=term(s.index[0])),
                 float(s["per_month"].iloc[0]), _("{currency} per month").format(
                     currency=currency)),
        Headline("cheapest_per_contact", _("Its cost per contact"),
                 float(s["per_contact"].iloc[0]),
                 _("{currency} per contact").format(currency=currency), 1),
        Headline("margin_over_next", _("Margin over the runner-up, {option}").format(
                     option=term(s.index[1])),
                 float(s["total"].iloc[1] - s["total"].iloc[0]),
                 _("{currency} over the period").format(currency=currency),
                 note=_("a tie: within the forecast error ({error:.0f} % of the cheapest "
                        "cost)").format(error=rules.tie_within * 100) if tie else ""),
    ]
    if today is not None:
        saving = today - float(s["per_month"].iloc[0])
        items.append(Headline(
            "saving_vs_today", _("Saving against today's cost (as is)"), saving,
            _("{currency} per month").format(currency=currency),
            note=_("negative: it costs more than today, when the service targets are not "
                   "met (see the money bridge)") if saving < 0 else ""))
    title = recommendation(summary, currency, rules)
    if ranges is not None:
        items += _break_even_cards(ranges)
    if horizon is not None:
        h = horizon.sort_values("pv")
        items.append(Headline("horizon_cheapest_pv", _("{months} months: {option}").format(
                                  months=months, option=term(h.index[0])),
                              float(h["pv"].iloc[0]),
                              _("{currency} present value").format(currency=currency)))
        title += " " + horizon_sentence(horizon, months, currency, rules)
    if ranges is not None:
        title += " " + break_even_sentence(ranges, contacts)
    return Headlines(items, title=title)


def _break_even_cards(ranges: pd.DataFrame) -> list[Headline]:
    """Return one card per break-even of :func:`cheaper_ranges`, the cheaper either side."""
    a, b = (term(o) for o in str(ranges["options"].iloc[0]).split(" vs "))
    n = len(ranges) - 1
    cards = []
    for k in range(1, n + 1):
        label = (_("{a} = {b} at").format(a=a, b=b) if n == 1 else
                 _("{a} = {b} at (break-even {k} of {n})").format(a=a, b=b, k=k, n=n))
        cards.append(Headline(
            "break_even_contacts" if k == 1 else f"break_even_contacts_{k}", label,
            float(ranges[_FROM].iloc[k]), _("contacts per month"),
            note=_("{below} is cheaper below, {above} above").format(
                below=term(ranges["cheaper"].iloc[k - 1]),
                above=term(ranges["cheaper"].iloc[k]))))
    return cards


def break_even_sentence(ranges: pd.DataFrame, contacts: float | None = None) -> str:
    """Say which of two options is cheaper in each range of volume, and at today's.

    ``ranges`` is :func:`~bpo_analysis.steps.sourcing.breakeven.cheaper_ranges`, each
    range ending at a break-even or at the edge of the volumes studied; ``contacts``
    today's contacts per month.

    >>> r = pd.DataFrame({"options": "Shared (per contact) vs Dedicated (per seat)",
    ...                   "from (contacts per month)": [20_000.0, 33_910.0, 198_000.0],
    ...                   "to (contacts per month)": [33_910.0, 198_000.0, 330_000.0],
    ...                   "cheaper": ["Dedicated (per seat)", "Shared (per contact)",
    ...                               "Dedicated (per seat)"]})
    >>> print(break_even_sentence(r, 100_112))  # doctest: +NORMALIZE_WHITESPACE
    Shared (per contact) against Dedicated (per seat), between 20,000 and 330,000 contacts
    per month: Dedicated (per seat) is cheaper below 33,910 contacts per month, Shared (per
    contact) from 33,910 to 198,000 and Dedicated (per seat) above 198,000. At today's
    100,112 contacts per month, Shared (per contact) is cheaper.
    """
    a, b = (term(o) for o in str(ranges["options"].iloc[0]).split(" vs "))
    cheaper = [term(o) if o else "" for o in ranges["cheaper"]]
    low, high = ranges[_FROM].to_numpy(), ranges[_TO].to_numpy()
    if len(ranges) == 1:
        said = (_("{option} is cheaper at every volume").format(option=cheaper[0])
                if cheaper[0] else _("the two cost the same at every volume"))
    else:
        said = _("{option} is cheaper below {to:,.0f} contacts per month").format(
            option=cheaper[0], to=high[0])
        for k in range(1, len(ranges) - 1):
            said += _(", {option} from {low:,.0f} to {high:,.0f}").format(
                option=cheaper[k], low=low[k], high=high[k])
        said += _(" and {option} above {low:,.0f}").format(option=cheaper[-1], low=low[-1])
    text = _("{a} against {b}, between {low:,.0f} and {high:,.0f} contacts per month: "
             "{ranges}.").format(a=a, b=b, low=low[0], high=high[-1], ranges=said)
    if contacts is None:
        return text
    held = range_of(ranges, contacts)
    if held is None:
        return text + " " + _("Today's {today:,.0f} contacts per month lie outside that "
                              "range.").format(today=contacts)
    if not cheaper[held]:
        return text
    return text + " " + _("At today's {today:,.0f} contacts per month, {option} is "
                          "cheaper.").format(today=contacts, option=cheaper[held])


def _decimals(divisor: float, top: float) -> int:
    """Return the decimals that show a scaled amount's three significant digits (1 at least).

    Unscaled amounts keep none.
    """
    if divisor == 1:
        return 0
    return max(1, 3 - len(str(int(top)))) if top >= 1 else 2


def _scaled(t: pd.DataFrame, columns: dict[str, str], currency: str
            ) -> tuple[pd.DataFrame, dict[str, str]]:
    """Scale money columns to few digits, the scale in their headers ("TWD M per month").

    ``columns`` maps a column of ``t`` to its header template (with a ``{currency}``
    field). Each column gets its own scale (:func:`~bpo_analysis.core.present.amount_scale`)
    and enough decimals for three significant digits of its largest amount; an amount
    that rounds to zero is shown as 0, never "-0".

    Returns
    -------
    table, formats
        The table with the scaled columns under their headers, and header -> format.
    """
    t, formats = t.copy(), {}
    for col, template in columns.items():
        divisor, unit = amount_scale(t[col], currency)
        decimals = _decimals(divisor, float(t[col].abs().max()) / divisor if len(t) else 0.0)
        values = t[col] / divisor
        t[col] = values.where(values.abs() >= 0.5 * 10 ** -decimals, 0.0)
        header = template.format(currency=unit)
        t = t.rename(columns={col: header})
        formats[header] = f"{{:,.{decimals}f}}"
    return t, formats


def summary_table(summary: pd.DataFrame, currency: str) -> Styler:
    """Style the options side by side, cheapest first, with the currency in the headers.

    Totals are scaled (millions of the currency, say) with the scale in the header; the
    cost per contact is not.
    """
    t, formats = _scaled(summary, {
        "total": _("{currency} over the period"), "per_month": _("{currency} per month"),
        "vs_cheapest": _("{currency} above cheapest")}, currency)
    per_contact = _("{currency} per contact").format(currency=currency)
    t = t.rename(columns={"per_contact": per_contact, "vs_cheapest_share": N_("above cheapest")})
    t = t.rename_axis(N_("option")).reset_index()
    t["option"] = t["option"].map(term)
    return styled(t, {**formats, per_contact: "{:,.1f}", "above cheapest": "{:.1%}"},
                  _("Sourcing options, cheapest first"))


def break_even_view(curve: pd.DataFrame, contacts: float | None = None) -> Styler:
    """Style :func:`break_even_table` for the report: the cheaper option in each range.

    Each range ends at a break-even or at the edge of the volumes studied; the range
    holding today's ``contacts`` per month shows them.
    """
    t = break_even_table(curve, contacts)
    t["options"] = t["options"].map(_options)
    t["cheaper"] = [term(o) if o else _("the same cost") for o in t["cheaper"]]
    t[_TODAY] = [f"{contacts:,.0f}" if held else "" for held in t.pop("today")]
    if contacts is None:
        t = t.drop(columns=_TODAY)
    return styled(t, {_FROM: "{:,.0f}", _TO: "{:,.0f}"},
                  _("Which option is cheaper at each volume: a range ends at a break-even or "
                    "at the edge of the volumes studied ({low:,.0f} to {high:,.0f} contacts "
                    "per month)").format(low=curve["contacts_per_month"].iloc[0],
                                         high=curve["contacts_per_month"].iloc[-1]))


def peak_view(tables: dict[str, pd.DataFrame], client: Client, currency: str) -> Styler:
    """Style :func:`peak_effect` for the report, money in the currency, premium in %.

    The monthly costs share one scale (millions of the currency, say), named in the
    caption.
    """
    t = peak_effect(tables, client).rename(columns=_peak_header)
    t = t.rename_axis(N_("option")).reset_index()
    t["option"] = t["option"].map(term)
    money = [c for c in t.columns if c not in ("option", "busiest vs average")]
    divisor, unit = amount_scale(t[money].to_numpy().ravel(), currency)
    decimals = _decimals(divisor, float(t[money].abs().to_numpy().max()) / divisor)
    t[money] = t[money] / divisor
    share = t["busiest vs average"]
    t["busiest vs average"] = share.where(share.abs() >= 0.0005, 0.0)  # "+0.0%", never "-0.0%"
    return styled(t, {**dict.fromkeys(money, f"{{:,.{decimals}f}}"),
                      "busiest vs average": "{:+.1%}"},
                  _("Seasons and spikes: cost per month ({currency}) of each option").format(
                      currency=unit))


#: Headers of :mod:`sourcing`'s tables the views show (translated with ``term``).
_HEADERS = (N_("options"), N_("cheaper"), N_("average month"), N_("busiest vs average"))
_FROM, _TO = N_("from (contacts per month)"), N_("to (contacts per month)")
_TODAY = N_("today (contacts per month)")


def _options(text: str) -> str:
    """Return 'In-house vs Shared (per contact)' (or one option) in the report language."""
    options = [term(o) for o in str(text).split(" vs ")]
    return options[0] if len(options) == 1 else _("{a} vs {b}").format(a=options[0],
                                                                         b=options[1])


def _peak_header(header: str) -> str:
    """Return 'busiest (Dec 2025)' (or quietest, largest spike) in the report language."""
    m = re.fullmatch(r"(busiest|quietest|largest spike) \((\w{3} \d{4})\)", header)
    if not m:
        return header
    template = {"busiest": _("busiest ({month})"), "quietest": _("quietest ({month})"),
                "largest spike": _("largest spike ({month})")}[m[1]]
    return template.format(month=month(pd.Period(m[2], freq="M")))


def horizon_view(horizon: pd.DataFrame, currency: str) -> Styler:
    """Style the options over the horizon for the report, cheapest first.

    ``horizon`` is :func:`~bpo_analysis.steps.sourcing.horizon.horizon_summary`; amounts
    scaled (millions of the currency, say) with the scale in the headers.
    """
    t, formats = _scaled(horizon, {
        "nominal": _("{currency} nominal"), "pv": _("{currency} present value"),
        "per_month": _("{currency} per month"),
        "vs_cheapest_pv": _("{currency} PV above cheapest")}, currency)
    t = t.rename(columns={"vs_cheapest_share": N_("above cheapest")}).reset_index()
    first = t.columns[0]
    t[first] = t[first].map(term)
    return styled(t, {**formats, "above cheapest": "{:.1%}"},
                  _("The options over the planning horizon, cheapest in present value first"))


def schedule_view(fte: pd.DataFrame, shift_hours: float | None = None) -> Styler:
    """Style the in-house FTE per month on whole shifts against the hours the demand needs.

    ``shift_hours``, the paid length of a shift, is named in the caption.
    """
    t = fte[["needed_hours", "agent_hours", "fte_needed", "fte", "schedule_efficiency",
             "night_share", "peak_seats"]].rename(columns={
                 "needed_hours": N_("agent-hours needed (h)"),
                 "agent_hours": N_("paid shift hours (h)"),
                 "fte_needed": N_("FTE without shift loss"), "fte": N_("FTE on shifts"),
                 "schedule_efficiency": N_("needed / paid hours"),
                 "night_share": N_("night hours"),
                 "peak_seats": N_("peak agents on shift (seats)")})
    t.index = [month(m) for m in t.index]
    t = t.rename_axis(N_("month")).reset_index()
    return styled(t, {"agent-hours needed (h)": "{:,.0f}", "paid shift hours (h)": "{:,.0f}",
                      "FTE without shift loss": "{:,.1f}", "FTE on shifts": "{:,.1f}",
                      "needed / paid hours": "{:.1%}", "night hours": "{:.1%}",
                      "peak agents on shift (seats)": "{:,.0f}"},
                  _("In-house staffing on whole shifts, per month") if shift_hours is None
                  else _("In-house staffing on whole {hours:g}-hour shifts, per month").format(
                      hours=shift_hours))
