"""Erlang C kernels and the input checks of the staffing engine, on NumPy arrays.

Private: the public, validating API is :mod:`bpo_analysis.core.staffing` (and the
measures of :mod:`bpo_analysis.core.erlang`). The kernels take arrays already checked and
broadcast; the checks turn scalars, arrays and Series into such arrays, naming the
argument (and the position) of the first bad value, and give results back in the shape
of the inputs.

References
----------
Erlang B/C: N. Gans, G. Koole, A. Mandelbaum, "Telephone call centers: tutorial,
review, and research prospects", MSOM 5(2), 2003; G. Koole, *Call Center Optimization*
(2013).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from bpo_analysis.errors import InputError

__all__ = ["aht_where_load", "as_array", "broadcast", "checked_inputs", "erlang_b",
           "erlang_c_from_b", "p_wait", "service_level_c", "shaped_like"]


# ---------------------------------------------------------------- inputs and outputs
def as_array(name: str, value: Any, *, low: float = 0.0, strict: bool = False,
             high: float | None = None, allowed: str = "a finite number >= 0") -> np.ndarray:
    """Return ``value`` as a float array, refusing a value outside its range.

    Parameters
    ----------
    name : str
        The argument's name, for the error.
    value : scalar, array or Series
        The values.
    low, high : float
        Bounds: ``value >= low`` (``> low`` when ``strict``) and ``<= high``.
    strict : bool
        Refuse ``low`` itself.
    allowed : str
        What is allowed, as the error says it.

    Returns
    -------
    ndarray
        The values as floats.

    Raises
    ------
    InputError
        A value that is not a finite number in range: names ``name[i]`` and the value.
    """
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(name, value, allowed) from None
    bad = ~np.isfinite(a) | ((a <= low) if strict else (a < low))
    if high is not None:
        bad |= a > high
    if bad.any():
        i = np.flatnonzero(bad.ravel())[0]
        where = f"{name}[{i}]" if a.ndim else name
        raise InputError(where, a.ravel()[i].item(), allowed)
    return a


def broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    """Broadcast the named arrays together, or name their shapes in an error.

    Raises
    ------
    InputError
        Arrays of different lengths.
    """
    try:
        return np.broadcast_arrays(*arrays.values())
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise InputError("arrays", shapes, "the same length (or scalars)") from None


def shaped_like(result: np.ndarray, *inputs: Any) -> Any:
    """Return ``result`` shaped like the inputs.

    A Series keeps the index, scalars stay scalars.
    """
    for x in inputs:
        if isinstance(x, pd.Series):
            return pd.Series(result, index=x.index)
    if all(np.ndim(x) == 0 for x in inputs):
        return result.item()
    return result


def aht_where_load(aht_s: Any, load: np.ndarray) -> np.ndarray:
    """Return the AHT in seconds, checked where there is load.

    It must be a positive number wherever there is load (elsewhere it is not used, and
    an empty value (NaN) is allowed, a negative one is not).
    """
    try:
        a = np.asarray(aht_s, dtype=float)
    except (TypeError, ValueError):
        raise InputError("aht_s", aht_s, "seconds > 0") from None
    a, load = broadcast(aht_s=a, calls=load)
    bad = ((load > 0) & ~(np.isfinite(a) & (a > 0))) | (a < 0) | np.isinf(a)
    if bad.any():
        i = np.flatnonzero(bad.ravel())[0]
        raise InputError("aht_s" if np.ndim(aht_s) == 0 else f"aht_s[{i}]",
                         a.ravel()[i].item(), "a finite number of seconds > 0 where there "
                         "are calls (empty where there are none)")
    return np.where(load > 0, a, 1.0)


def checked_inputs(traffic: Any, agents: Any, aht_s: Any, target_t_s: Any
                   ) -> list[np.ndarray]:
    """Check and broadcast traffic, agents, AHT and answer-time threshold, in that order."""
    a = as_array("traffic", traffic)
    n = as_array("agents", agents)
    t = as_array("target_t_s", target_t_s, allowed="a time in seconds >= 0")
    a, n, t = broadcast(traffic=a, agents=n, target_t_s=t)
    return [a, n, aht_where_load(aht_s, a), t]


# ---------------------------------------------------------------- Erlang B and C
def erlang_b(load: np.ndarray, agents: np.ndarray) -> np.ndarray:
    """Return Erlang B blocking, load > 0, agents >= load.

    P(N) / P(X <= N), X ~ Poisson(load), from the log of the Poisson mass and the
    regularised upper incomplete gamma.

    Examples
    --------
    10 Erlangs on 14 lines with no queue: 5.7 % of the calls find every line busy.

    >>> round(float(erlang_b(np.array([10.0]), np.array([14.0]))[0]), 4)
    0.0568
    """
    log_pmf = agents * np.log(load) - load - special.gammaln(agents + 1)
    return np.exp(log_pmf) / special.gammaincc(agents + 1, load)


def erlang_c_from_b(load: np.ndarray, agents: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return Erlang C from Erlang B: C = N B / (N - A (1 - B))."""
    return agents * b / (agents - load * (1 - b))


def p_wait(load: np.ndarray, agents: np.ndarray) -> np.ndarray:
    """Return Erlang C's P(wait): 0 with no load, 1 when agents <= load."""
    out = np.where(load > 0, 1.0, 0.0)  # no load: nobody waits; agents <= load: all wait
    ok = (load > 0) & (agents > load)
    if ok.any():
        b = erlang_b(load[ok], agents[ok])
        out[ok] = erlang_c_from_b(load[ok], agents[ok], b)
    return out


def service_level_c(load: np.ndarray, agents: np.ndarray, aht: np.ndarray, t: np.ndarray,
                    c: np.ndarray | None = None) -> np.ndarray:
    """Return Erlang C's service level 1 - C exp(-(N - A) t / AHT) (0 when N <= A).

    ``c`` is P(wait) when already known.
    """
    c = p_wait(load, agents) if c is None else c
    decay = np.exp(-np.clip(agents - load, 0, None) * t / aht)
    sl = 1.0 - c * decay
    return np.where(load > 0, np.where(agents > load, sl, 0.0), 1.0)
