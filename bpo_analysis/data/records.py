"""Raw interaction records: the KPI dictionary's aggregates by DuckDB, and QA samples.

The rows left out are counted and named (:func:`quality_counts`).

The records (one row per contact, as :func:`bpo_analysis.data.sample.interaction_records`
writes them) are read where they lie -- a Parquet or CSV file, a folder of them, or a
table of a DuckDB database file -- and aggregated in SQL, never loaded whole into pandas.
:func:`aggregates` returns, per period and group, the columns :mod:`bpo_analysis.data.kpis`
computes every KPI and variant from; :func:`kpi_table` applies the dictionary;
:func:`qa_sample` draws the contacts to audit. The monthly review (step 5,
:mod:`bpo_analysis.steps.review`) and the sample generator build on it. Reading a source
and the rows left out are in :mod:`bpo_analysis.data.record_source` (whose public names
are exported here too), each column's type and time zone in
:mod:`bpo_analysis.data.record_types`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from bpo_analysis.data import kpis
from bpo_analysis.data.record_source import (
    GROUPS,
    RULES,
    Source,
    month_period,
    quality_counts,
    source_path,
)
from bpo_analysis.data.record_source import check_by as _check_by
from bpo_analysis.data.record_source import check_found as _check_found
from bpo_analysis.data.record_source import connect as _connect
from bpo_analysis.data.record_source import prepare as _prepare
from bpo_analysis.data.record_source import sql_quote as _quote
from bpo_analysis.data.record_source import where_clause as _where
from bpo_analysis.errors import InputError

__all__ = ["GROUPS", "PERIODS", "RULES", "Source", "aggregates", "kpi_table", "month_period",
           "qa_sample", "qa_sample_size", "quality_counts", "source_path"]

PERIODS = {"month": "month", "week": "week", "day": "day", "interval": "hour"}


def aggregates(source: Source, *, answer_within_s: dict[str, float],
               short_abandon_s: float = 5.0, period: str = "month",
               by: Sequence[str] = ("vendor_id", "channel"), month: str | None = None,
               vendor: str | None = None, table: str = "records",
               timezone: str | None = None) -> pd.DataFrame:
    """Aggregate the records into the KPI dictionary's columns per ``period`` and group.

    Parameters
    ----------
    source : str, Path or DataFrame
        A Parquet or CSV file, a folder of them, a DuckDB file (its ``table``), or a
        DataFrame.
    answer_within_s : dict
        The service-level threshold T per channel, seconds (e.g. the scenario's
        targets).
    short_abandon_s : float
        The short-abandon window S, seconds.
    period : str
        ``month``, ``week``, ``day`` or ``interval`` (hour).
    by : sequence of str
        Grouping columns among ``vendor_id``, ``channel``, ``queue``, ``agent_id``.
    month : str, optional
        Only this month (YYYY-MM); an error when it has no records.
    vendor : str, optional
        Only this vendor's records; an error naming the vendors when it has none.
    table : str
        The table of a DuckDB file.
    timezone : str, optional
        The client's time zone (scenario.yaml's ``timezone``): times written with a UTC
        offset or stored zone-aware are converted to it, so periods are local; local
        times are kept. Needed only when the records hold such times.

    Returns
    -------
    DataFrame
        ``period`` (start), the ``by`` columns and ``offered``, ``answered``,
        ``answered_within_t``, ``abandoned``, ``abandoned_short``,
        ``abandoned_within_t``, ``wait_s``, ``talk_s``, ``hold_s``, ``acw_s``,
        ``handled``, ``repeat_7d``, ``repeat_1d``, ``surveyed``, ``csat_top2``,
        ``csat_sum``, ``nps_responses``, ``promoters``, ``detractors``, ``complaints``,
        ``qa_sum``, ``qa_n``; rows left out by :data:`RULES` are not in them (see
        :func:`quality_counts`). Repeats look 7 days (1 day) ahead across all the
        records, so a month's last days see the next month's contacts when present.

    Raises
    ------
    DataError
        A source not found or unreadable, no records, a record column missing, or a
        value that cannot be read (a date without a time, ``n/a`` in a seconds column,
        a time with an offset and no ``timezone``), naming the file, row, column and
        value.
    InputError
        An unknown period, grouping column or time zone, a negative short-abandon
        window, a month or vendor the records do not have, or a channel without a
        threshold.

    Examples
    --------
    Four calls on a Monday morning: answered after 12 s, 45 s and 8 s, one abandoned
    after 70 s. Against 20 s: 4 offered, 3 answered, 2 of them within 20 s.

    >>> t, s = pd.Timestamp("2025-01-06 10:00"), pd.to_timedelta
    >>> r = pd.DataFrame({"contact_id": [1, 2, 3, 4], "channel": "voice",
    ...     "vendor_id": "V02", "queue": "orders", "arrival_time": t,
    ...     "answer_time": [t + s("12s"), t + s("45s"), pd.NaT, t + s("8s")],
    ...     "abandon_time": [pd.NaT, pd.NaT, t + s("70s"), pd.NaT], "talk_s": 240.0,
    ...     "hold_s": 0.0, "acw_s": 30.0, "customer_id": [1, 2, 3, 4], "csat": None,
    ...     "nps": None, "complaint": False, "qa_score": None})
    >>> a = aggregates(r, answer_within_s={"voice": 20})
    >>> a[["offered", "answered", "answered_within_t", "abandoned"]].values.tolist()
    [[4, 3, 2, 1]]
    """
    if period not in PERIODS:
        raise InputError("period", period, f"one of {list(PERIODS)}")
    _check_by(by)
    if not short_abandon_s >= 0:
        raise InputError("short_abandon_s", short_abandon_s, "seconds >= 0")
    t_case = " ".join(f"WHEN channel = {_quote(ch)} THEN {float(t)}"
                      for ch, t in answer_within_s.items())
    group = ", ".join(["period", *by])
    where = _where(month, vendor)
    with _connect(source) as con:
        _prepare(con, source, table, timezone)
        sql = f"""
        WITH kept AS (
            SELECT *, CASE {t_case} ELSE NULL END AS t_s,
                   CASE WHEN customer_id IS NOT NULL THEN lead(arrival_time) OVER (
                       PARTITION BY customer_id ORDER BY arrival_time) END AS next_arrival
            FROM records WHERE excluded IS NULL
        ), c AS (
            SELECT date_trunc('{PERIODS[period]}', arrival_time) AS period, {', '.join(by)},
                   t_s, answer_time, abandon_time, arrival_time, talk_s, hold_s, acw_s,
                   csat, nps, complaint, qa_score, next_arrival,
                   epoch(answer_time - arrival_time) AS wait,
                   epoch(abandon_time - arrival_time) AS patience
            FROM kept {where}
        )
        SELECT {group},
            count(*) AS offered,
            count(answer_time) AS answered,
            count(*) FILTER (WHERE wait <= t_s) AS answered_within_t,
            count(abandon_time) AS abandoned,
            count(*) FILTER (WHERE patience <= {float(short_abandon_s)}) AS abandoned_short,
            count(*) FILTER (WHERE patience <= t_s) AS abandoned_within_t,
            coalesce(sum(wait), 0) AS wait_s,
            coalesce(sum(talk_s) FILTER (WHERE answer_time IS NOT NULL), 0) AS talk_s,
            coalesce(sum(hold_s) FILTER (WHERE answer_time IS NOT NULL), 0) AS hold_s,
            coalesce(sum(acw_s) FILTER (WHERE answer_time IS NOT NULL), 0) AS acw_s,
            count(answer_time) AS handled,
            count(*) FILTER (WHERE answer_time IS NOT NULL
                             AND next_arrival <= arrival_time + INTERVAL 7 DAY) AS repeat_7d,
            count(*) FILTER (WHERE answer_time IS NOT NULL
                             AND next_arrival <= arrival_time + INTERVAL 1 DAY) AS repeat_1d,
            count(csat) AS surveyed,
            count(*) FILTER (WHERE csat >= 4) AS csat_top2,
            coalesce(sum(csat), 0) AS csat_sum,
            count(nps) AS nps_responses,
            count(*) FILTER (WHERE nps >= 9) AS promoters,
            count(*) FILTER (WHERE nps <= 6) AS detractors,
            count(*) FILTER (WHERE complaint) AS complaints,
            coalesce(sum(qa_score), 0) AS qa_sum,
            count(qa_score) AS qa_n
        FROM c GROUP BY ALL ORDER BY {group}"""
        out = con.execute(sql).df()
        _check_found(con, out.empty, month, vendor)
        unknown = sorted(set(out["channel"]) - set(answer_within_s)) if "channel" in by else \
            [r[0] for r in con.execute(f"SELECT DISTINCT channel FROM records {where}")
             .fetchall() if r[0] not in answer_within_s]
    if unknown:
        raise InputError("answer_within_s", f"no threshold for channel {unknown[0]!r}",
                         "a service-level threshold T (s) for every channel of the "
                         "records, e.g. from scenario.yaml's service_targets")
    return out


def kpi_table(aggregates_: pd.DataFrame, kpi_ids: Sequence[str] | None = None,
              variants: dict[str, str] | None = None) -> pd.DataFrame:
    """Compute each KPI per row of :func:`aggregates`, next to its period and group columns.

    Parameters
    ----------
    aggregates_ : DataFrame
        From :func:`aggregates`.
    kpi_ids : sequence of str, optional
        The KPIs; by default every KPI whose canonical variant the columns allow.
    variants : dict, optional
        KPI id -> variant, for those not computed by their canonical variant.

    Returns
    -------
    DataFrame
        The period and group columns, then one column per KPI in its unit.

    Raises
    ------
    InputError
        An unknown KPI or variant, or a column a variant needs missing.
    """
    keys = [c for c in aggregates_.columns if c in ("period", "vendor_id", "channel",
                                                    "queue", "agent_id")]
    ids = list(kpi_ids) if kpi_ids is not None else [
        k for k, v in kpis.KPIS.items()
        if all(c in aggregates_.columns for c in v.variants[v.canonical].needs)]
    out = aggregates_[keys].copy()
    for k in ids:
        out[k] = kpis.compute(aggregates_, k, (variants or {}).get(k)).to_numpy()
    return out


def qa_sample_size(population: int | np.ndarray, margin: float = 0.05,
                   confidence: float = 0.95, proportion: float = 0.5) -> np.ndarray:
    """Count the contacts to audit to estimate a pass rate within +- ``margin``.

    Parameters
    ----------
    population : int or ndarray
        Handled contacts of each group (an agent's month, say), >= 0.
    margin : float
        Half-width e of the confidence interval, share in (0, 1).
    confidence : float
        Confidence level, share in (0, 1).
    proportion : float
        Expected pass rate p, share in (0, 1); 0.5 is the most cautious.

    Returns
    -------
    ndarray of int
        Contacts to audit per group (never more than the population).

    Raises
    ------
    InputError
        A margin, confidence or proportion outside (0, 1), or a negative population.

    Notes
    -----
    n0 = z^2 p (1 - p) / e^2, with z the normal quantile of (1 + confidence) / 2, and
    the finite-population correction n = n0 / (1 + (n0 - 1) / N), rounded up.

    References
    ----------
    W. G. Cochran, *Sampling Techniques*, 3rd ed., Wiley, 1977 (sample size for a
    proportion, with the finite-population correction).

    Examples
    --------
    At 95 % and +- 5 %: 385 contacts of a huge month, 278 of an agent's 1,000 and 80 of
    a new hire's 100.

    >>> int(qa_sample_size(10**9)), int(qa_sample_size(1000)), int(qa_sample_size(100))
    (385, 278, 80)
    """
    from scipy import special  # not scipy.stats: see the import in contracts.py

    if not 0 < margin < 1:
        raise InputError("margin", margin, "a share strictly between 0 and 1")
    if not 0 < confidence < 1:
        raise InputError("confidence", confidence, "a share strictly between 0 and 1")
    if not 0 < proportion < 1:
        raise InputError("proportion", proportion, "a share strictly between 0 and 1")
    n_pop = np.asarray(population, float)
    if (n_pop < 0).any():
        raise InputError("population", float(n_pop.min()), "a count >= 0")
    z = special.ndtri(0.5 + confidence / 2)  # the normal quantile
    n0 = z**2 * proportion * (1 - proportion) / margin**2
    n = n0 / (1 + (n0 - 1) / np.maximum(n_pop, 1))
    return np.minimum(np.ceil(n - 1e-9), n_pop).astype(int)


def qa_sample(source: Source, month: str, *, by: Sequence[str] = ("agent_id",),
              margin: float = 0.05, confidence: float = 0.95, seed: int = 0,
              vendor: str | None = None, table: str = "records",
              timezone: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw the QA sampling plan of ``month`` and the contacts to audit.

    The list is drawn reproducibly: the same ``seed`` gives the same list (a hash of the
    contact id and the seed orders each group).

    Parameters
    ----------
    source : str, Path or DataFrame
        As :func:`aggregates`.
    month : str
        The month audited (YYYY-MM).
    by : sequence of str
        The groups sampled apart (agent, queue ...), among :data:`GROUPS`.
    margin, confidence : float
        As :func:`qa_sample_size`.
    seed : int
        Seed of the draw.
    vendor : str, optional
        Only this vendor's contacts.
    table : str
        The table of a DuckDB file.
    timezone : str, optional
        As :func:`aggregates`: the audit list's arrival times are local.

    Returns
    -------
    plan : DataFrame
        Per group: ``handled`` contacts and how many to ``audit``.
    chosen : DataFrame
        The contacts to audit: ``contact_id`` (a number or text, as the export writes
        it), the group columns and ``arrival_time`` (local).

    Raises
    ------
    DataError
        As :func:`aggregates`.
    InputError
        An unknown grouping column, or a month (vendor) without handled contacts.
    """
    _check_by(by)
    where = _where(month, vendor)
    keys = ", ".join(by)
    with _connect(source) as con:
        _prepare(con, source, table, timezone)
        plan = con.execute(f"""
            SELECT {keys}, count(*) AS handled FROM records
            {where} AND excluded IS NULL AND answer_time IS NOT NULL
            GROUP BY ALL ORDER BY {keys}""").df()
        _check_found(con, plan.empty, month, vendor)
        if plan.empty:
            raise InputError("month", month, "a month with handled contacts in the records")
        plan["audit"] = qa_sample_size(plan["handled"].to_numpy(), margin, confidence)
        con.register("plan", plan)
        on = " AND ".join(f"r.{k} = p.{k}" for k in by)
        chosen = con.execute(f"""
            SELECT * EXCLUDE (rank, audit) FROM (
                SELECT r.contact_id, {', '.join(f'r.{k}' for k in by)}, r.arrival_time,
                       p.audit,
                       row_number() OVER (PARTITION BY {', '.join(f'r.{k}' for k in by)}
                                          ORDER BY hash(r.contact_id, {int(seed)})) AS rank
                FROM records r JOIN plan p ON {on}
                {_where(month, vendor, prefix='r.')}
                  AND r.excluded IS NULL AND r.answer_time IS NOT NULL)
            WHERE rank <= audit ORDER BY {keys}, contact_id""").df()
    return plan, chosen
