"""Field types shared by the input models: shares, money, yes/no, lists, clock times.

Each type refuses what it cannot read with a message that says what to write instead;
none of them guesses.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

CHANNELS = ("voice", "chat", "email")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

Channel = Literal["voice", "chat", "email"]


def _share(v: float) -> float:
    if not 0.0 <= v <= 1.0:
        hint = f" (write {v:g} % as {v / 100:g})" if 1.0 < v <= 100.0 else ""
        raise ValueError(f"must be a share between 0 and 1{hint}")
    return v


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


Share = Annotated[float, AfterValidator(_share)]
Money = Annotated[float, Field(ge=0)]
PositiveFloat = Annotated[float, Field(gt=0)]
Count = Annotated[int, Field(ge=0)]
TextList = Annotated[list[str], BeforeValidator(_split_list)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
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
