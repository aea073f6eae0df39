"""Report language: English (the default) or Traditional Chinese (``zh-Hant``).

Every text a reader sees -- chart and axis titles, trace names, headline labels, units,
table headers, the recommendation sentences and the notebooks' markdown -- is written in
English in the code and passes through :func:`_` when it is shown. A text with numbers
or names in it is a template, filled in after translation, so that a translator sees
(and may reorder) the placeholders::

    _("{n:,.0f} callers give up for good").format(n=lost)

(never ``_(f"...")``: Babel cannot extract a string built with an f-string, and its
translation would never be found). Names the package defines as data (the sourcing
options, the channels, the KPI names ...) are marked with :func:`N_` where they are
defined and translated with :func:`term` where they are shown; anything else passed to
:func:`term` (a vendor's name, a file's cost item) is shown as it is.

The language is a context variable: :func:`set_language` for the rest of a notebook or
session (a notebook's ``language`` parameter), :func:`use_language` for a block; English
when nothing is set. The empty string means the ``BPO_ANALYSIS_LANGUAGE`` environment
variable, else English. In a Jupyter kernel (ipykernel 7) a language set in one cell
holds for the following cells and for the dashboards' callbacks; a new thread starts in
English. Amounts keep their ISO currency code in every language.

Adding a language
-----------------
1. Add its code and name to :data:`LANGUAGES` and its locale to ``_LOCALES`` (the
   folder name under ``bpo_analysis/locale/`` and the CLDR locale Babel formats dates
   with).
2. Copy ``locale/zh_Hant/LC_MESSAGES/bpo_analysis.po`` to
   ``locale/<locale>/LC_MESSAGES/bpo_analysis.po`` and translate every ``msgstr`` with a
   PO editor (Poedit, Lokalize) or by hand. Keep each ``{placeholder}`` and, in the
   notebook entries (``msgctxt "notebook"``: one per markdown cell), the code spans and
   the ``#`` of the headings. No compiled ``.mo`` file is needed: the PO file is read
   with Babel at first use.

Checking completeness
---------------------
``tests/test_i18n.py`` extracts every ``_()``/``N_()`` message of the package (and every
``i18n._()`` of the notebooks' code cells) with Babel and fails on a message without a
translation, an entry the code no longer uses, a placeholder lost or added, and a
notebook markdown cell without a translation (or one that lost a code span or a
heading level). After changing texts, run ``pytest tests/test_i18n.py``; the failures
list what to add to or remove from the PO file.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import re
import warnings
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bpo_analysis.errors import InputError

__all__ = ["CODE_SPAN", "ENV_VAR", "LANGUAGES", "NOTEBOOK_CONTEXT", "N_", "_", "catalog",
           "check_language", "day", "day_time", "language", "month", "month_abbr", "month_long",
           "normalise_markdown",
           "plural", "set_language", "term", "translate_markdown", "translate_notebook",
           "use_language", "weekday"]

#: The report languages: code -> name in that language.
LANGUAGES = {"en": "English", "zh-Hant": "繁體中文"}
#: The environment variable read when the language is given as "".
ENV_VAR = "BPO_ANALYSIS_LANGUAGE"
#: The PO context of the notebooks' markdown cells (one entry per cell).
NOTEBOOK_CONTEXT = "notebook"
#: Language -> locale: the catalog's folder under ``locale/`` and the CLDR locale of
#: dates (Taiwan's usage for Traditional Chinese).
_LOCALES = {"en": "en", "zh-Hant": "zh_Hant"}
_DATE_LOCALES = {"en": "en", "zh-Hant": "zh_Hant_TW"}
_LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_DOMAIN = "bpo_analysis"
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS_WIDE = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                  "Sunday")

_current: ContextVar[str] = ContextVar("bpo_analysis_language", default="en")


def _allowed() -> str:
    return f"one of {list(LANGUAGES)}"


def _resolve(lang: Any) -> str:
    """Return ``lang`` checked; "" -> the environment variable, else "en"."""
    if not isinstance(lang, str) or (lang and lang not in LANGUAGES):
        raise InputError("language", lang, _allowed())
    if lang:
        return lang
    env = os.environ.get(ENV_VAR, "")
    if env and env not in LANGUAGES:
        raise InputError(f"environment variable {ENV_VAR}", env, _allowed())
    return env or "en"


def set_language(lang: str = "") -> str:
    """Show every following text in ``lang`` (in this context: the notebook, the thread).

    Parameters
    ----------
    lang : str
        ``"en"`` or ``"zh-Hant"``; ``""`` means the ``BPO_ANALYSIS_LANGUAGE``
        environment variable, else English.

    Returns
    -------
    str
        The language now in use.

    Raises
    ------
    InputError
        Any other value (of the argument or of the environment variable), naming it
        and the languages there are.

    Examples
    --------
    >>> with use_language("en"):
    ...     set_language("zh-Hant")
    ...     _("Service level")
    'zh-Hant'
    '服務水準'
    >>> set_language("fr")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    bpo_analysis.errors.InputError: argument 'language' = 'fr' is not allowed: must be one of...
    """
    resolved = _resolve(lang)
    _current.set(resolved)
    return resolved


@contextlib.contextmanager
def use_language(lang: str = "") -> Iterator[str]:
    """Show the texts of a ``with`` block in ``lang``.

    ``lang`` is checked as in :func:`set_language`; the language before it is back
    afterwards.

    Examples
    --------
    >>> with use_language("zh-Hant"):
    ...     _("{currency} per month").format(currency="TWD")
    'TWD/月'
    >>> _("{currency} per month").format(currency="TWD")
    'TWD per month'
    """
    token = _current.set(_resolve(lang))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def check_language(lang: Any) -> str:
    """Return the language ``lang`` stands for, without setting it.

    ``""`` stands for the ``BPO_ANALYSIS_LANGUAGE`` environment variable, else ``"en"``.

    Raises
    ------
    InputError
        Neither ``""`` nor one of :data:`LANGUAGES` (argument ``language``), or an
        environment variable that is not one of them (argument names the variable).
    """
    return _resolve(lang)


def language() -> str:
    """Return the language texts are shown in now (``"en"`` unless set)."""
    return _current.get()


@functools.cache
def catalog(lang: str) -> dict[tuple[str | None, str], str]:
    """Return the translations of ``lang``: (context, English text) -> translation.

    Read from its PO file with Babel once (fuzzy and empty entries left out; English:
    empty).
    """
    if lang == "en":
        return {}
    from babel.messages.pofile import read_po

    path = _LOCALE_DIR / _LOCALES[lang] / "LC_MESSAGES" / f"{_DOMAIN}.po"
    with path.open("rb") as f:
        po = read_po(f, locale=_LOCALES[lang], domain=_DOMAIN)
    return {(m.context, m.id): m.string for m in po
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def _(message: str) -> str:
    """Return ``message`` in the current language (English: unchanged).

    Pass a literal string, or a template to fill in with ``.format`` after translation.

    Examples
    --------
    >>> _("{n:,.0f} callers").format(n=1234.0)
    '1,234 callers'
    """
    lang = _current.get()
    if lang == "en":
        return message
    return catalog(lang).get((None, message), message)


def N_(message: str) -> str:
    """Mark a name defined as data for translation, unchanged.

    It is translated where it is shown, with :func:`term`.
    """
    return message


def term(name: Any) -> str:
    """Return a name the package defines as data (marked with :func:`N_`) in the current language.

    Any other text, or a non-string, as it is (``str`` of it).
    """
    text = str(name)
    lang = _current.get()
    if lang == "en":
        return text
    return catalog(lang).get((None, text), text)


def plural(n: float, one: str, many: str, **fields: Any) -> str:
    """Return ``one`` or ``many`` (both marked with :func:`N_`) filled with ``n``, translated.

    "1 KPI below the minimum", "4 KPIs below the minimum": a count is never followed by
    "KPI(s)". Languages without plural forms (zh-Hant) translate both the same.

    Parameters
    ----------
    n : float
        The count; ``one`` when it is 1.
    one, many : str
        Templates with a ``{n}`` field (and any of ``fields``).
    **fields
        Other fields of the templates.

    Examples
    --------
    >>> plural(1, N_("{n} KPI below the minimum"), N_("{n} KPIs below the minimum"))
    '1 KPI below the minimum'
    >>> plural(4, N_("{n} KPI below the minimum"), N_("{n} KPIs below the minimum"))
    '4 KPIs below the minimum'
    """
    return term(one if n == 1 else many).format(n=n, **fields)


# ---------------------------------------------------------------- dates
def _date_locale() -> str:
    return _DATE_LOCALES[_current.get()]


def _datetime(value: Any) -> Any:
    """Return a pandas Period as its first instant (Babel formats dates and datetimes)."""
    return value.to_timestamp() if hasattr(value, "to_timestamp") else value


def month(value: date | datetime | Any) -> str:
    """Format a month as on an axis: 'Jan 2025' in English, '2025年1月' in Chinese."""
    value = _datetime(value)
    if _current.get() == "en":
        return f"{value:%b %Y}"
    from babel.dates import format_skeleton

    return format_skeleton("yMMM", value, locale=_date_locale())


def month_long(value: date | datetime | Any) -> str:
    """Format a month in full: 'January 2025' in English, '2025年1月' in Chinese."""
    value = _datetime(value)
    if _current.get() == "en":
        return f"{value:%B %Y}"
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", value, locale=_date_locale())


def day(value: date | datetime | Any) -> str:
    """Format a day in full: '18 August 2025' in English, '2025年8月18日' in Chinese."""
    value = _datetime(value)
    if _current.get() == "en":
        return f"{value.day} {value:%B %Y}"
    from babel.dates import format_skeleton

    return format_skeleton("yMMMd", value, locale=_date_locale())


def day_time(value: datetime | Any) -> str:
    """Format a day and time: 'Mon 06 Jan 2025 10:30' in English.

    In Chinese '2025年1月6日週一 10:30' (Taiwan's CLDR date with its weekday; CLDR
    before 47 put a space before the weekday).
    """
    value = _datetime(value)
    if _current.get() == "en":
        return f"{value:%a %d %b %Y %H:%M}"
    from babel.dates import format_skeleton

    return f"{format_skeleton('yMMMEd', value, locale=_date_locale())} {value:%H:%M}"


def month_abbr(number: int) -> str:
    """Return a month's short name, 1 -> 'Jan' in English, '1月' in Chinese."""
    if _current.get() == "en":
        return _MONTHS[number - 1]
    from babel.dates import get_month_names

    return get_month_names("abbreviated", locale=_date_locale())[number]


def weekday(name: str) -> str:
    """Return an English weekday name in the current language.

    Abbreviated ('Mon', as :mod:`bpo_analysis.core.demand` labels days) or in full
    ('Monday'); anything else unchanged.
    """
    width = ("abbreviated" if name in _WEEKDAYS else
             "wide" if name in _WEEKDAYS_WIDE else None)
    if _current.get() == "en" or width is None:
        return name
    from babel.dates import get_day_names

    days = _WEEKDAYS if width == "abbreviated" else _WEEKDAYS_WIDE
    return get_day_names(width, locale=_date_locale())[days.index(name)]


# ---------------------------------------------------------------- notebooks
#: A code span of a markdown text (kept as it is by every translation).
CODE_SPAN = re.compile(r"`[^`\n]+`")


def normalise_markdown(source: str) -> str:
    """Return a markdown cell's text as the catalog keys it.

    Trailing whitespace is removed from every line and from the end.
    """
    return "\n".join(line.rstrip() for line in source.rstrip().splitlines())


def translate_markdown(source: str, lang: str) -> str:
    """Return a notebook markdown cell's text in ``lang`` (``source`` unchanged in English).

    A cell the catalog does not have is kept in English, with a warning naming it
    (``tests/test_i18n.py`` fails on any such cell of the bundled notebooks).
    """
    lang = _resolve(lang)
    if lang == "en":
        return source
    key = normalise_markdown(source)
    if not key:
        return source
    found = catalog(lang).get((NOTEBOOK_CONTEXT, key))
    if found is None:
        first = key.splitlines()[0][:60]
        warnings.warn(f"no {LANGUAGES[lang]} ({lang}) translation of the markdown cell "
                      f"{first!r}; it is shown in English", stacklevel=2)
        return source
    return found


def translate_notebook(nb: Any, lang: str) -> Any:
    """Return a copy of notebook ``nb`` with every markdown cell in ``lang``.

    ``nb`` is an ``nbformat.NotebookNode``; code cells, outputs and metadata are
    untouched, ``nb`` unchanged.
    """
    lang = _resolve(lang)
    out = copy.deepcopy(nb)
    for cell in out["cells"]:
        if cell.get("cell_type") == "markdown":
            cell["source"] = translate_markdown(cell["source"], lang)
    return out
