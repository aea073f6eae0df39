"""The uncertain drivers of ``roi.yaml``: what each can be, its base, and their correlations.

Checked when the folder is loaded (:func:`check_uncertainty`, from
:func:`bpo_analysis.data.quality.check_client`) and again by step 6 for the quote it
signs: a range must stay inside what its driver can be and hold the driver's base value
(the tornado's centre, the Monte Carlo's mode), and the correlations must be ones a joint
distribution can have (:func:`correlation_matrix`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

from bpo_analysis.data import models as m
from bpo_analysis.data.io import yaml_line
from bpo_analysis.errors import DataError

__all__ = ["DRIVER_BOUNDS", "base_values", "check_ranges", "check_uncertainty",
           "correlation_matrix"]

#: What each driver can be (a range in roi.yaml must stay inside), and how to say it.
DRIVER_BOUNDS: dict[str, tuple[Callable[[float], bool], str]] = {
    "volume": (lambda x: x > 0, "a multiple of the forecast > 0"),
    "aht": (lambda x: x > 0, "a multiple of the forecast > 0"),
    "wage_inflation": (lambda x: x > -1, "an annual rate above -1"),
    "price_escalation": (lambda x: x > -1, "an annual rate above -1"),
    "churn_reduction": (lambda x: -1 <= x <= 1, "a relative change from -1 to 1"),
    "transition_overrun": (lambda x: x > -1, "a share above -1 (under budget) or more"),
    "customer_value": (lambda x: x >= 0, "an amount >= 0"),
    "fcr_after": (lambda x: 0 <= x <= 1, "a share between 0 and 1"),
}


def base_values(roi: m.RoiAssumptions, scenario: m.Scenario,
                escalation: float | None = None) -> dict[str, tuple[float, str]]:
    """Return each driver's base value and where it comes from.

    Parameters
    ----------
    roi, scenario : RoiAssumptions, Scenario
        The business case and the scenario.
    escalation : float, optional
        The signed quote's yearly escalation; None leaves ``price_escalation`` out (the
        quote is not known yet).

    Returns
    -------
    dict
        Driver -> (base value, its source in words).
    """
    b = roi.benefits
    out = {"volume": (1.0, "1, the forecast"), "aht": (1.0, "1, the forecast"),
           "wage_inflation": (scenario.wage_inflation_annual,
                              "scenario.yaml wage_inflation_annual"),
           "churn_reduction": (b.churn_reduction, "benefits.churn_reduction"),
           "transition_overrun": (0.0, "0, the transition budget"),
           "customer_value": (b.customer_value, "benefits.customer_value"),
           "fcr_after": (b.fcr_after, "benefits.fcr_after")}
    if escalation is not None:
        out["price_escalation"] = (escalation, "the signed quote's annual_escalation")
    return out


def check_ranges(roi: m.RoiAssumptions, base: Mapping[str, tuple[float, str]],
                 path: Path | str) -> None:
    """Check each driver's range: inside what the driver can be, and holding its base.

    Parameters
    ----------
    roi : RoiAssumptions
        The business case (its ``uncertainty``).
    base : mapping
        Driver -> (base value, its source), as :func:`base_values` gives; a driver left
        out is not checked against its base.
    path : Path or str
        ``roi.yaml``, for the error.

    Raises
    ------
    DataError
        A low or high outside what its driver can be, or a range that leaves out the
        base value: names the file, line, dotted key, value and what is allowed.
    """
    for d, r in roi.uncertainty.items():
        ok, allowed = DRIVER_BOUNDS[d]
        for end, value in (("low", r.low), ("high", r.high)):
            if not ok(value):
                raise DataError("the driver's range leaves what it can be", file=path,
                                row=yaml_line(path, ("uncertainty", d, end)),
                                column=f"uncertainty.{d}.{end}", value=value, allowed=allowed)
        if d in base and not r.low <= base[d][0] <= r.high:
            value, source = base[d]
            raise DataError(f"the range of {d} leaves out its base value {value:g} "
                            f"({source})", file=path, row=yaml_line(path, ("uncertainty", d)),
                            column=f"uncertainty.{d}", value={"low": r.low, "high": r.high},
                            allowed=f"low <= {value:g} <= high: the base is the tornado's "
                                    "centre and the Monte Carlo's most likely value")


def correlation_matrix(roi: m.RoiAssumptions, path: Path | str) -> np.ndarray | None:
    """Return the correlation matrix of the drivers with a range (in ``ROI_DRIVERS`` order).

    Pairs left out are uncorrelated. None when ``roi.yaml`` gives no correlations.

    Parameters
    ----------
    roi : RoiAssumptions
        The business case (its ``uncertainty`` and ``correlations``).
    path : Path or str
        ``roi.yaml``, for the error.

    Returns
    -------
    ndarray or None
        Symmetric, ones on the diagonal, positive definite.

    Raises
    ------
    DataError
        Correlations no joint distribution can have (the matrix is not positive
        definite), naming the file, the line of ``correlations`` and the values.

    Examples
    --------
    >>> from bpo_analysis.data.io import read_document
    >>> roi, _ = read_document("data/sample/roi.yaml", m.RoiAssumptions)
    >>> correlation_matrix(roi, "roi.yaml").shape
    (8, 8)
    """
    if not roi.correlations:
        return None
    names = [d for d in m.ROI_DRIVERS if d in roi.uncertainty]
    corr = np.eye(len(names))
    for x, y, rho in roi.correlations:
        i, j = names.index(x), names.index(y)
        corr[i, j] = corr[j, i] = rho
    try:
        np.linalg.cholesky(corr)
    except np.linalg.LinAlgError:
        raise DataError("the correlations contradict each other: no joint distribution has "
                        "them (the matrix, pairs left out at 0, is not positive definite)",
                        file=path, row=yaml_line(path, ("correlations",)),
                        column="correlations", value=[list(c) for c in roi.correlations],
                        allowed="correlations strictly between -1 and 1 that agree with each "
                                "other: weaker ones, or the pairs between strongly correlated "
                                "drivers given too") from None
    return corr


def check_uncertainty(roi: m.RoiAssumptions, scenario: m.Scenario, escalation: float | None,
                      path: Path | str) -> None:
    """Check ``roi.yaml``'s ranges and correlations when the folder is loaded.

    Parameters
    ----------
    roi, scenario : RoiAssumptions, Scenario
        The business case and the scenario (the base of ``wage_inflation``).
    escalation : float, optional
        The selected quote's yearly escalation (``decision.yaml``); None when no quote
        is selected yet (step 6 checks ``price_escalation`` against the one it signs).
    path : Path or str
        ``roi.yaml``, for the error.

    Raises
    ------
    DataError
        As :func:`check_ranges` and :func:`correlation_matrix`.

    Examples
    --------
    >>> from bpo_analysis.data.io import read_document
    >>> roi, _ = read_document("data/sample/roi.yaml", m.RoiAssumptions)
    >>> scenario, _ = read_document("data/sample/scenario.yaml", m.Scenario)
    >>> check_uncertainty(roi, scenario, 0.03, "roi.yaml")
    """
    check_ranges(roi, base_values(roi, scenario, escalation), path)
    correlation_matrix(roi, path)
