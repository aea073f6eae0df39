"""Rules that span files (cross-references, interval grid) and the data-quality summary.

:func:`check_client` runs at load time: a broken reference raises a
:class:`~bpo_analysis.errors.DataError`; a soft problem (missing intervals, contacts
while closed) warns with a :class:`~bpo_analysis.errors.DataWarning`.
:func:`quality_summary` turns a loaded client into the table the profile report shows.
"""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from bpo_analysis.data import models as m
from bpo_analysis.data.criteria import check_criteria
from bpo_analysis.data.decision import check_decision
from bpo_analysis.data.io import yaml_line
from bpo_analysis.data.kpis import REPORT_COLUMNS, term_problem
from bpo_analysis.data.questionnaire import check_answers
from bpo_analysis.data.uncertainty import check_uncertainty
from bpo_analysis.errors import DataError, DataWarning

if TYPE_CHECKING:
    from bpo_analysis.data.client import Client

__all__ = ["check_client", "check_sla_kpis", "open_mask", "quality_summary"]


def _unknown_ref(df: pd.DataFrame, column: str, known: set[str], path: Path, what: str) -> None:
    bad = ~df[column].isin(known)
    if bad.any():
        row = df.index[bad.to_numpy()][0]
        raise DataError(f"unknown {what}", file=path, row=int(row), column=column,
                        value=df.loc[row, column], allowed=f"one of {sorted(known)}")


def open_mask(starts: pd.Series, scenario: m.Scenario,
              channel: str | pd.Series | None = None) -> np.ndarray:
    """Mark each interval start that falls inside the opening hours.

    Parameters
    ----------
    starts : Series of datetime64
        Local interval starts.
    scenario : Scenario
        Its ``opening_hours`` per weekday (and each channel's own).
    channel : str or Series, optional
        The channel whose hours count, one for all starts or one per start; None: the
        centre's.

    Returns
    -------
    ndarray of bool
        True where the start is at or after opening and before closing on its weekday.

    Examples
    --------
    Open 08:00-22:00: the 07:30 half-hour is closed, the 08:00 one open.

    >>> s = pd.Series(pd.to_datetime(["2025-01-06 07:30", "2025-01-06 08:00"]))
    >>> sc = m.Scenario.model_validate(dict(company="x", industry="retail", currency="TWD",
    ...     country="TW", timezone="Asia/Taipei",
    ...     planning_horizon_months=36, discount_rate=0.08, service_targets={},
    ...     paid_hours_per_fte_month=174,
    ...     opening_hours={d: {"open": "08:00", "close": "22:00"} for d in m.WEEKDAYS}))
    >>> open_mask(s, sc).tolist()
    [False, True]
    """
    minute = (starts.dt.hour * 60 + starts.dt.minute).to_numpy()
    day = starts.dt.day_of_week.to_numpy()
    if isinstance(channel, pd.Series):
        out = np.zeros(len(starts), bool)
        for ch in channel.unique():
            at = (channel == ch).to_numpy()
            out[at] = open_mask(starts[at], scenario, ch)
        return out
    opens, closes = scenario.opening_minutes(channel)
    return (minute >= opens[day]) & (minute < closes[day])


def _check_demand(demand: pd.DataFrame, scenario: m.Scenario, path: Path) -> None:
    step = pd.Timedelta(minutes=scenario.interval_minutes)
    starts = demand["interval_start"]
    off = (starts - starts.dt.floor(step)) != pd.Timedelta(0)
    if off.any():
        row = starts.index[off.to_numpy()][0]
        raise DataError("interval start is not on the interval grid", file=path, row=int(row),
                        column="interval_start", value=str(starts[row]),
                        allowed=f"starts every {scenario.interval_minutes} minutes "
                                "(scenario.yaml interval_minutes)")
    if demand["contacts"].sum() == 0:
        raise DataError("no contacts at all: every interval has 0", file=path,
                        column="contacts", allowed="a demand history with contacts")
    targets = set(scenario.service_targets)
    _unknown_ref(demand, "channel", targets, path, "channel (no service target in scenario.yaml)")
    n_days = (starts.max().normalize() - starts.min().normalize()).days + 1
    expected = n_days * 24 * 60 // scenario.interval_minutes
    for channel, count in demand.groupby("channel", observed=True).size().items():
        if count < expected:
            warnings.warn(DataWarning(
                f"{path}: {channel} has {expected - count} of {expected} intervals missing "
                "between its first and last day; they count as zero contacts"), stacklevel=4)
    live = demand["channel"].isin(["voice", "chat"]) & (demand["contacts"] > 0)
    closed = live.to_numpy() & ~open_mask(starts, scenario, demand["channel"].astype(str))
    if closed.any():
        warnings.warn(DataWarning(
            f"{path}: {int(demand.loc[closed, 'contacts'].sum())} voice/chat contacts in "
            f"{int(closed.sum())} intervals outside their channel's opening hours in "
            f"scenario.yaml (first at row {int(demand.index[closed][0])})"), stacklevel=4)


_PRICE_NAME = {"per_call": "price per call", "per_minute": "price per handle minute",
               "per_productive_hour": "price per productive hour",
               "per_seat": "price per seat-month", "hybrid": "overflow price per call"}


def quote_rules(quotes: pd.DataFrame, path: Path | str) -> None:
    """Check the rules of ``quotes.csv`` beyond one cell.

    A price for the pricing model (hybrid: an overflow price and a seat price), and no
    two volume bands of one vendor's offers for the same pricing model that overlap (an
    ``all`` quote overlaps every channel).

    Parameters
    ----------
    quotes : DataFrame
        The validated quotes, indexed by row number in the file.
    path : Path or str
        The file, for the error.

    Raises
    ------
    DataError
        The first rule broken, naming the quote and its vendor, the row, the column,
        the value and what is allowed.
    """
    for row, r in quotes.iterrows():
        who = f"quote {r['quote_id']} of vendor {r['vendor_id']}"
        if not (pd.notna(r["unit_price"]) and r["unit_price"] > 0):
            raise DataError(f"{who} has no {_PRICE_NAME[r['pricing_model']]}", file=path,
                            row=row, column="unit_price", value=r["unit_price"],
                            allowed=f"a price > 0 for pricing model {r['pricing_model']}")
        if r["pricing_model"] == "hybrid" and not (pd.notna(r["seat_price_monthly"])
                                                   and r["seat_price_monthly"] > 0):
            raise DataError(f"{who} (hybrid) has no seat price", file=path, row=row,
                            column="seat_price_monthly", value=r["seat_price_monthly"],
                            allowed="a price per seat-month > 0")
    banded = quotes[quotes["committed_contacts_monthly"].notna()]
    lo = banded["committed_contacts_monthly"] * (1 - banded["band_share"])
    hi = banded["committed_contacts_monthly"] * (1 + banded["band_share"])
    for a, b in itertools.combinations(banded.index, 2):
        qa, qb = banded.loc[a], banded.loc[b]
        same = (qa["vendor_id"] == qb["vendor_id"]
                and qa["pricing_model"] == qb["pricing_model"]
                and (qa["channel"] == qb["channel"] or "all" in (qa["channel"], qb["channel"])))
        if same and lo[a] <= hi[b] and lo[b] <= hi[a]:
            raise DataError(f"vendor {qa['vendor_id']}'s volume bands overlap: quotes "
                            f"{qa['quote_id']} and {qb['quote_id']} ({qb['channel']}, "
                            f"{qb['pricing_model']})", file=path, row=b,
                            column="committed_contacts_monthly",
                            value=qb["committed_contacts_monthly"],
                            allowed=f"a band outside {lo[a]:,.0f}-{hi[a]:,.0f} contacts")


def check_sla_kpis(sla: m.SlaTerms, path: Path, channels=None) -> None:
    """Check that steps 4 and 5 can judge every KPI of ``sla.yaml``.

    The KPI is one the KPI dictionary defines, with its direction, a variant it has, on
    channels it applies to and thresholds in its unit (a percentage where a share is
    meant is refused with the share's form); the vendors' monthly reports state it (steps
    4 and 5 judge the terms on them); and the channels it names are ones the client
    serves (``channels``, scenario.yaml's ``service_targets``, when given).

    Parameters
    ----------
    sla : SlaTerms
        The validated terms.
    path : Path
        The file, for the error (its line of the key is looked up).
    channels : iterable of str, optional
        The channels the client serves.

    Raises
    ------
    DataError
        Naming the file, line, dotted key (``kpis.<id>.direction``), value and what is
        allowed.
    """
    for kid, term in sla.kpis.items():
        problem = term_problem(kid, term)
        if problem:
            keys, value, allowed, what = problem
            raise DataError(what, file=path, row=yaml_line(path, ("kpis", kid, *keys)),
                            column=".".join(("kpis", kid, *keys)), value=value,
                            allowed=allowed)
        if kid not in REPORT_COLUMNS:
            raise DataError(f"steps 4 and 5 judge the terms on the vendors' monthly reports, "
                            f"which state no {kid}", file=path,
                            row=yaml_line(path, ("kpis", kid)), column=f"kpis.{kid}",
                            value=kid, allowed=f"a KPI the reports state: "
                                               f"{sorted(REPORT_COLUMNS)}")
        served = list(channels) if channels is not None else None
        named = [(("channels", i), ch) for i, ch in enumerate(term.channels or ())] + [
            (("by_channel", ch), ch) for ch in term.by_channel]
        for keys, ch in named:
            if served is not None and ch not in served:
                raise DataError("a channel the client does not serve", file=path,
                                row=yaml_line(path, ("kpis", kid, *keys)),
                                column=".".join(("kpis", kid, keys[0])), value=ch,
                                allowed=f"a channel of scenario.yaml's service_targets: "
                                        f"{served}")


def _risk_rules(risks: pd.DataFrame, path: Path) -> None:
    """Check that a mitigation lowers a risk: residual likelihood and impact not above."""
    for col in ("likelihood", "impact"):
        up = risks[f"residual_{col}"] > risks[col]
        if up.any():
            row = risks.index[up.to_numpy()][0]
            raise DataError(f"residual {col} above the {col} before mitigation",
                            file=path, row=int(row), column=f"residual_{col}",
                            value=int(risks.loc[row, f"residual_{col}"]),
                            allowed=f"1 to {int(risks.loc[row, col])} (the {col} "
                                    "before mitigation)")


def _continuity_rules(cont: m.ContinuityAssumptions, scenario: m.Scenario,
                      demand: pd.DataFrame, path: Path) -> None:
    """Check that an outage lasts whole intervals and every real-time channel has a patience."""
    steps = cont.outage.hours * 60 / scenario.interval_minutes
    if abs(steps - round(steps)) > 1e-9:
        raise DataError("an outage must last whole demand intervals", file=path,
                        row=yaml_line(path, ("outage", "hours")), column="outage.hours",
                        value=cont.outage.hours,
                        allowed=f"a multiple of {scenario.interval_minutes / 60:g} h")
    have = {str(c) for c in demand["channel"].unique()} & {"voice", "chat"}
    for c in sorted(have - set(cont.patience_s)):
        raise DataError(f"no patience for {c}, a channel the client has", file=path,
                        row=yaml_line(path, ("patience_s",)), column=f"patience_s.{c}",
                        allowed="a mean patience in s > 0 for every voice and chat "
                                "channel of demand_intervals")


def _selected_escalation(docs: dict[str, Any], quotes: pd.DataFrame) -> float | None:
    """Return the yearly escalation of decision.yaml's selected quote (None: none selected)."""
    qid = docs["decision"].selected_quote if "decision" in docs else None
    rows = quotes.loc[quotes["quote_id"] == qid, "annual_escalation"]
    return float(rows.iloc[0]) if qid and len(rows) else None


def _horizon_start(scenario: m.Scenario, demand: pd.DataFrame, path: Path) -> None:
    """Check that the planning horizon does not start before the demand's first month."""
    first = demand["interval_start"].min().to_period("M")
    if scenario.horizon_start and pd.Period(scenario.horizon_start, "M") < first:
        raise DataError("the planning horizon starts before the demand's first month",
                        file=path, row=yaml_line(path, ("horizon_start",)),
                        column="horizon_start", value=scenario.horizon_start,
                        allowed=f"a month from {first} (demand_intervals' first month) on, "
                                "or no horizon_start (the month after the demand)")


def check_client(docs: dict[str, Any], tables: dict[str, pd.DataFrame],
                 paths: dict[str, Path]) -> None:
    """Check the rules that span the files of a client folder.

    Currencies agree with ``scenario.yaml``; quotes and monthly reports name known
    vendors; quotes follow :func:`quote_rules`; the business case and the continuity
    plan name a known quote; residual risks are not above inherent ones; an outage
    lasts whole intervals and every voice/chat channel has a patience; the maturity
    answers fit the questionnaire; the SLA's KPIs are the dictionary's; the criteria
    follow :func:`~bpo_analysis.data.criteria.check_criteria` (columns ``vendors.csv`` has,
    knock-out limits in their column's range, AHP judgements once per pair and
    connected); ``roi.yaml``'s ranges hold their base values and its correlations are
    possible (:func:`~bpo_analysis.data.uncertainty.check_uncertainty`); the demand is on
    the interval grid, has contacts and only channels with a service target, and the
    planning horizon does not start before it. Soft problems (intervals missing,
    voice/chat contacts while closed) warn.

    Parameters
    ----------
    docs : dict
        Document name -> validated document (``scenario``, ``sla`` ...; the optional
        ``tco``, ``roi``, ``continuity`` when present).
    tables : dict
        Table name -> validated DataFrame (``quotes``, ``vendors`` ...).
    paths : dict
        File name -> path, for the errors.

    Raises
    ------
    DataError
        At the first rule broken, naming the file, row (or line), column (or dotted
        key), the value and what is allowed.

    Warns
    -----
    DataWarning
        Intervals missing between a channel's first and last day; voice or chat
        contacts outside the opening hours.
    """
    scenario: m.Scenario = docs["scenario"]
    for name in ("inhouse_costs", "tco", "roi", "continuity"):
        if name in docs and docs[name].currency != scenario.currency:
            raise DataError("currency differs from scenario.yaml", file=paths[name],
                            row=yaml_line(paths[name], ("currency",)), column="currency",
                            value=docs[name].currency, allowed=scenario.currency)
    vendor_ids = set(tables["vendors"]["vendor_id"])
    _unknown_ref(tables["quotes"], "vendor_id", vendor_ids, paths["quotes"], "vendor")
    quote_rules(tables["quotes"], paths["quotes"])
    for name in ("roi", "continuity"):
        if name in docs and docs[name].quote_id is not None:
            raise DataError("the signed quote is one decision for every step: it moved to "
                            "decision.yaml (selected_quote)",
                            file=paths[name], row=yaml_line(paths[name], ("quote_id",)),
                            column="quote_id", value=docs[name].quote_id,
                            allowed=f"no quote_id here; selected_quote: {docs[name].quote_id} "
                            "in decision.yaml")
    if "continuity" in docs:
        for i, o in enumerate(docs["continuity"].outage.options):
            if o.vendor_id is not None and o.vendor_id not in vendor_ids:
                raise DataError("a backup option names a vendor vendors.csv does not have",
                                file=paths["continuity"],
                                row=yaml_line(paths["continuity"],
                                              ("outage", "options", i, "vendor_id")),
                                column=f"outage.options.{i}.vendor_id", value=o.vendor_id,
                                allowed=f"one of {sorted(vendor_ids)}")
    if "decision" in docs:
        check_decision(docs["decision"], tables, docs.get("continuity"), paths["decision"])
    _risk_rules(tables["risks"], paths["risks"])
    if "continuity" in docs:
        _continuity_rules(docs["continuity"], scenario, tables["demand_intervals"],
                          paths["continuity"])
    check_answers(docs["maturity_answers"], paths["maturity_answers"])
    check_sla_kpis(docs["sla"], paths["sla"], scenario.service_targets)
    _unknown_ref(tables["vendor_monthly_reports"], "vendor_id", vendor_ids,
                 paths["vendor_monthly_reports"], "vendor")
    check_criteria(docs["criteria"], paths["criteria"], tables["vendors"])
    if "roi" in docs:
        check_uncertainty(docs["roi"], scenario, _selected_escalation(docs, tables["quotes"]),
                          paths["roi"])
    _check_demand(tables["demand_intervals"], scenario, paths["demand_intervals"])
    _horizon_start(scenario, tables["demand_intervals"], paths["scenario"])


def quality_summary(client: Client) -> pd.DataFrame:
    """Summarise the loaded files: format, encoding, rows, and the notes raised on load.

    Every file is listed, clean or not, so the reader sees what the report rests on.

    Parameters
    ----------
    client : Client
        A loaded client (its ``sources`` and ``warnings``).

    Returns
    -------
    DataFrame
        One row per file: ``file``, ``format``, ``encoding``, ``rows``,
        ``sha256 (first 12)`` and ``notes`` ("ok" when none).

    Examples
    --------
    >>> from bpo_analysis.data.client import load_client
    >>> summary = quality_summary(load_client("data/sample"))
    >>> summary.set_index("file").loc["quotes.csv", ["format", "notes"]].tolist()
    ['csv', 'ok']
    """
    rows = []
    for s in client.sources:
        notes = [n.split(": ", 1)[1] for n in client.warnings if n.startswith(str(s.path))]
        rows.append({"file": s.path.name, "format": s.format, "encoding": s.encoding or "-",
                     "rows": s.rows, "sha256 (first 12)": s.sha256[:12],
                     "notes": "; ".join(notes) or "ok"})
    return pd.DataFrame(rows)
