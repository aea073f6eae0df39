"""Field types shared by the input models: numbers, shares, money, yes/no, lists, times.

Each type refuses what it cannot read with a message that says what to write instead;
none of them guesses. A number is never a yes/no: YAML reads an unquoted ``yes`` as
true, which Python would take for 1 (:data:`Number`, :data:`Integer`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.fields import FieldInfo

CHANNELS = ("voice", "chat", "email")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

Channel = Literal["voice", "chat", "email"]


def percent_hint(v: object) -> str:
    """Return the hint for a percentage written where a share is meant, else "".

    >>> percent_hint(45), percent_hint(0.45), percent_hint(450)
    (' (write 45 % as 0.45)', '', '')
    """
    ok = isinstance(v, int | float) and not isinstance(v, bool) and 1.0 < v <= 100.0
    return f" (write {v:g} % as {v / 100:g})" if ok else ""


def _share(v: float) -> float:
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"must be a share between 0 and 1{percent_hint(v)}")
    return v


def _not_yes_no(what: str):
    def check(v: object) -> object:
        if isinstance(v, bool):
            raise ValueError(f"must be {what}, not yes/no (YAML reads an unquoted yes, no, "
                             "true, false, on or off as yes/no)")
        return v
    return check


def _split_list(v: object) -> object:
    """Semicolon-separated cell ('Taipei; Kaohsiung') -> list of stripped strings."""
    if isinstance(v, str):
        return [s.strip() for s in v.split(";") if s.strip()]
    return v


_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def _yes_no(v: object) -> object:
    if isinstance(v, str):
        low = v.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError("must be yes/no (true/false)")
    return v


_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _clock(v: object) -> dt.time:
    """'08:00', '8:00', '24:00' -> time; YAML 1.1 reads unquoted 08:00 as 480 (minutes).

    A bare number below 24 is refused: it is an hour written without minutes, and YAML
    would read it as minutes after midnight.
    """
    if isinstance(v, dt.time) and v.tzinfo is None:
        return v
    if isinstance(v, str) and v.strip() in ("24:00", "24:00:00"):
        return dt.time.max
    if isinstance(v, str) and (m := _CLOCK.match(v.strip())):
        return dt.time(int(m.group(1)), int(m.group(2)))
    if isinstance(v, int) and not isinstance(v, bool) and 24 <= v <= 24 * 60:
        return dt.time.max if v == 24 * 60 else dt.time(v // 60, v % 60)
    raise ValueError('must be a local clock time "HH:MM" between "00:00" and "24:00" '
                     '(quote it, e.g. open: "09:00")')


#: A number (int or float), never a yes/no; every numeric field of a model is one.
Number = Annotated[float, BeforeValidator(_not_yes_no("a number"))]
#: A whole number, never a yes/no.
Integer = Annotated[int, BeforeValidator(_not_yes_no("a whole number"))]
#: Codes CLDR lists as territories that ISO 3166-1 does not assign (EU, XK, ZZ ...).
_NOT_ISO = frozenset(("AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA",
                      "XB", "XK", "ZZ"))


@functools.cache
def _countries() -> tuple[frozenset[str], dict[str, str]]:
    """Return the ISO 3166-1 alpha-2 codes, and what names each (casefolded) -> its code.

    From babel's CLDR data: its two-letter territories but the ones ISO does not assign;
    the names are the codes in lower case, the English and Traditional Chinese names and
    CLDR's aliases (``UK``, ``TWN``).
    """
    from babel import Locale
    from babel.core import get_global

    codes = frozenset(k for k in Locale("en").territories
                      if len(k) == 2 and k.isalpha() and k.isupper() and k not in _NOT_ISO)
    names = {a.casefold(): to[0] for a, to in get_global("territory_aliases").items()
             if to and to[0] in codes}
    names.update({n.casefold(): k for loc in ("en", "zh_Hant")
                  for k, n in Locale.parse(loc).territories.items() if k in codes})
    names.update({k.casefold(): k for k in codes})
    return codes, names


def _country(v: object) -> str:
    """Refuse what is not an ISO 3166-1 alpha-2 code, with the code meant when it is clear."""
    if isinstance(v, bool):  # YAML 1.1 reads an unquoted NO (Norway) as no
        raise ValueError('must be an ISO 3166-1 alpha-2 country code; YAML reads an unquoted '
                         'NO (Norway) as no: quote the code (country: "NO")')
    if not isinstance(v, str):
        raise ValueError("must be an ISO 3166-1 alpha-2 country code, such as TW, JP, US or GB")
    codes, names = _countries()
    if v in codes:
        return v
    meant = names.get(v.strip().casefold())
    hint = f' (for {v} write "{meant}")' if meant else ", such as TW, JP, US or GB"
    raise ValueError(f"must be an ISO 3166-1 alpha-2 country code{hint}")


Share = Annotated[Number, AfterValidator(_share)]
Money = Annotated[Number, Field(ge=0)]
PositiveFloat = Annotated[Number, Field(gt=0)]
Count = Annotated[Integer, Field(ge=0)]
TextList = Annotated[list[str], BeforeValidator(_split_list)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Country = Annotated[str, BeforeValidator(_country)]
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$")]
SnakeId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Clock = Annotated[dt.time, BeforeValidator(_clock)]


class Strict(BaseModel):
    """Base of the YAML documents: unknown keys, infinities and NaN are refused.

    A typo in a key must not pass silently.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Row(BaseModel):
    """Base of the table rows: infinities and NaN are refused.

    Unknown columns are reported by the loader as a warning, then ignored.
    """

    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False)


@dataclass(frozen=True)
class Bounds:
    """What a field holds: a number (or whole number) within limits, a yes/no, or text.

    Read off the field by :func:`bounds`, so a rule on a column's values (a knock-out
    limit) can be held to the column's own range.
    """

    kind: Literal["number", "whole number", "yes/no", "text"]
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    share: bool = False

    def holds(self, v: float) -> bool:
        """Tell whether the number ``v`` is within the limits."""
        return ((self.low is None or (v > self.low if self.low_open else v >= self.low))
                and (self.high is None or (v < self.high if self.high_open else v <= self.high)))

    def __str__(self) -> str:
        """Say the range as an error's "allowed" does: "a share between 0 and 1"."""
        if self.share:
            return "a share between 0 and 1"
        if self.kind in ("yes/no", "text"):
            return self.kind
        if None not in (self.low, self.high) and not (self.low_open or self.high_open):
            return f"a {self.kind} from {self.low:g} to {self.high:g}"
        limits = [f"{sign} {x:g}" for x, sign in (
            (self.low, ">" if self.low_open else ">="),
            (self.high, "<" if self.high_open else "<=")) if x is not None]
        return " ".join([f"a {self.kind}", " and ".join(limits)]).strip()


def bounds(field: FieldInfo) -> Bounds:
    """Return what a model field holds (its kind and limits), read off its annotation.

    Parameters
    ----------
    field : FieldInfo
        A field of a model (``Model.model_fields[name]``); ``None`` allowed or not.

    Returns
    -------
    Bounds

    Examples
    --------
    >>> from bpo_analysis.data.models import VendorRow
    >>> [str(bounds(VendorRow.model_fields[n])) for n in
    ...  ("attrition_rate", "qa_score", "seats", "backup_site", "hq_city")]
    ['a share between 0 and 1', 'a number from 0 to 100', 'a whole number >= 0', 'yes/no', 'text']
    """
    meta: list[Any] = list(field.metadata)
    tp: Any = field.annotation
    while True:
        if get_origin(tp) is Annotated:
            tp, *more = get_args(tp)
            meta += more
        elif get_origin(tp) in (Union, types.UnionType) and type(None) in get_args(tp):
            tp = next(a for a in get_args(tp) if a is not type(None))
        else:
            break
    kind = {bool: "yes/no", int: "whole number", float: "number"}.get(tp, "text")
    if kind in ("yes/no", "text"):
        return Bounds(kind)
    out: dict[str, Any] = {}
    for m in meta:
        for c in (m.metadata if isinstance(m, FieldInfo) else [m]):
            if isinstance(c, at.Ge | at.Gt):
                out.update(low=float(c.ge if isinstance(c, at.Ge) else c.gt),
                           low_open=isinstance(c, at.Gt))
            elif isinstance(c, at.Le | at.Lt):
                out.update(high=float(c.le if isinstance(c, at.Le) else c.lt),
                           high_open=isinstance(c, at.Lt))
            elif isinstance(c, AfterValidator) and c.func is _share:
                out.update(low=0.0, high=1.0, share=True)
    return Bounds(kind, **out)


def minutes(t: dt.time) -> int:
    """Return the minutes after midnight of a clock time; ``time.max`` (24:00) is 1440.

    Parameters
    ----------
    t : datetime.time
        A local clock time (``time.max`` stands for 24:00, midnight at the close).

    Returns
    -------
    int
        0 to 1440.

    Examples
    --------
    >>> minutes(dt.time(8, 30)), minutes(dt.time.max)
    (510, 1440)
    """
    return 24 * 60 if t == dt.time.max else t.hour * 60 + t.minute
