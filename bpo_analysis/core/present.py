"""How numbers are shown: headline cards and tables, always with their unit.

A :class:`Headlines` object renders as HTML cards in a notebook or report and also
carries the same numbers as JSON under its own MIME type (:data:`HEADLINES_MIME`), so
that tests can assert that what a reader sees equals what the package computes. A
private type, not ``application/json``: JupyterLab and Voilà rank JSON above HTML and
would show a JSON tree instead of the cards.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from bpo_analysis.core.tables import ReportTable
from bpo_analysis.i18n import N_, term

__all__ = ["HEADLINES_MIME", "HEADLINE_TEXT_MIME", "Headline", "Headlines", "Paragraph",
           "amount_scale", "fmt", "styled"]

HEADLINES_MIME = "application/vnd.bpo-analysis.headlines+json"
#: The headline's words (sentence, decision, cards as shown) and the parameter values the
#: step used, for the deck, the workbook and the report's appendix.
HEADLINE_TEXT_MIME = "application/vnd.bpo-analysis.headline-text+json"


def fmt(value: float, unit: str, decimals: int = 0) -> str:
    """Format a number with thousands separators and its unit.

    Parameters
    ----------
    value : float
        The number; a share 0-1 when ``unit`` is ``"%"``.
    unit : str
        Shown after the number (``"%"``: the share times 100).
    decimals : int
        Decimals shown.

    Returns
    -------
    str
        The text a reader sees.

    Examples
    --------
    >>> fmt(5323871.4, "TWD per month")
    '5,323,871 TWD per month'
    >>> fmt(0.8884, "%", 1)
    '88.8 %'
    """
    if unit == "%":
        return f"{value * 100:,.{decimals}f} %"
    return f"{value:,.{decimals}f} {unit}"


#: (divisor, suffix) from the largest: amounts of a table are shown in one of these
_SCALES = ((1e9, N_("bn")), (1e6, N_("M")), (1e3, N_("k")))


def amount_scale(values, unit: str, digits: int = 4) -> tuple[float, str]:
    """Return the divisor and the unit that show a column of amounts in few digits.

    A table of amounts in the tens of millions reads "264.8" under "TWD M", not
    "264,813,442" under "TWD". The scale is the largest at which the largest amount keeps
    at least one digit before the point, so no amount of the column needs more than
    ``digits`` digits before it reads in the next scale.

    Parameters
    ----------
    values : array-like
        The column's amounts (missing values are ignored).
    unit : str
        Their unit (a currency code, "TWD").
    digits : int
        Amounts whose largest absolute value has no more than this many digits are left
        as they are.

    Returns
    -------
    tuple of (float, str)
        The divisor, and the unit to put in the column's header ("TWD M").

    Examples
    --------
    >>> amount_scale([264_813_442.0, -3_998_769.0], "TWD")
    (1000000.0, 'TWD M')
    >>> amount_scale([9_250.0, 480.0], "TWD")
    (1.0, 'TWD')
    """
    top = pd.Series(values, dtype="float64").abs().max()
    if not pd.notna(top) or top < 10 ** digits:
        return 1.0, unit
    for divisor, suffix in _SCALES:
        if top >= divisor:
            return divisor, f"{unit} {term(suffix)}"
    return 1.0, unit


@dataclass(frozen=True)
class Headline:
    """One headline figure: a key for machines, a label and unit for people."""

    key: str
    label: str
    value: float | None
    unit: str
    decimals: int = 0
    note: str = ""
    missing: str = N_("undefined")  # shown instead of a number when value is None
    display: str = ""  # shown instead of the formatted value (a level's name, say)

    @property
    def text(self) -> str:
        """Return the value as the reader sees it, unit included.

        ``missing`` when the value is None (in the report language); ``display`` when
        given.
        """
        if self.value is None:
            return term(self.missing)
        return self.display or fmt(self.value, self.unit, self.decimals)


class Headlines:
    """A row of headline cards (HTML) that also exposes its numbers as JSON."""

    def __init__(self, items: Iterable[Headline], title: str = "", context: str = "",
                 used: Mapping[str, str] | None = None):
        self.items = tuple(items)
        self.title = title
        self.context = context  # which decision the step works on, under the title
        self.used = dict(used or {})  # parameter -> the value used and where it came from

    def with_context(self, context: str) -> Headlines:
        """Return these headlines with ``context`` (a sentence) shown under the title."""
        return Headlines(self.items, self.title, context, self.used)

    def with_used(self, used: Mapping[str, str]) -> Headlines:
        """Return these headlines saying what each parameter left open was taken as.

        ``used`` maps a parameter whose value means "take it from the client's files"
        (``discount_rate -1``) to the value used and its source ("8.0 % from
        scenario.yaml"); the report's appendix shows it.
        """
        return Headlines(self.items, self.title, self.context, used)

    def __getitem__(self, key: str) -> Headline:
        """Return the headline of ``key``; a KeyError lists the keys there are."""
        for h in self.items:
            if h.key == key:
                return h
        raise KeyError(f"no headline {key!r}; have {[h.key for h in self.items]}")

    def numbers(self) -> dict:
        """Key -> label, value, unit and the text shown, as JSON-ready data."""
        return {h.key: {"label": h.label, "value": h.value, "unit": h.unit, "text": h.text}
                for h in self.items}

    def words(self) -> dict:
        """Return the sentence, the decision, the cards as shown and the parameters used."""
        return {"title": self.title, "context": self.context, "used": self.used,
                "cards": [{"key": h.key, "label": h.label, "text": h.text, "note": h.note}
                          for h in self.items]}

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self._repr_html_(), HEADLINES_MIME: self.numbers(),
                HEADLINE_TEXT_MIME: self.words(), "text/plain": repr(self)}

    def _repr_html_(self) -> str:
        cards = "".join(
            f'<div class="bpo-card"><div class="bpo-card-label">{html.escape(h.label)}</div>'
            f'<div class="bpo-card-value" data-key="{html.escape(h.key)}">'
            f"{html.escape(h.text)}</div>"
            f'<div class="bpo-card-note">{html.escape(h.note)}</div></div>'
            for h in self.items)
        title = f"<h3>{html.escape(self.title)}</h3>" if self.title else ""
        if self.context:
            title += f'<p class="bpo-decision">{html.escape(self.context)}</p>'
        style = ("<style>.bpo-cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}"
                 ".bpo-card{border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;"
                 "min-width:190px;font-family:sans-serif}.bpo-card-label{color:#57606a;"
                 "font-size:12px}.bpo-card-value{font-size:20px;font-weight:600}"
                 ".bpo-card-note{color:#57606a;font-size:11px}</style>")
        return f'{style}{title}<div class="bpo-cards">{cards}</div>'

    def __repr__(self) -> str:
        """Return one 'label: text' line per headline."""
        lines = [f"{h.label}: {h.text}" for h in self.items]
        return "\n".join([self.context, *lines] if self.context else lines)


@dataclass(frozen=True, repr=False)
class Paragraph:
    """A few sentences of a report written from the client's own data.

    What a notebook's markdown cannot say for every client (the client's own peaks with
    their dates, the surge it plays, its criteria) is built by the step and shown as a
    paragraph (HTML in a notebook or report, the plain text elsewhere).

    Examples
    --------
    >>> Paragraph("A surge of x2 the forecast for 7 days <interval by interval>.")
    A surge of x2 the forecast for 7 days <interval by interval>.
    >>> Paragraph("a < b")._repr_html_()
    '<p class="bpo-text">a &lt; b</p>'
    """

    text: str

    def __str__(self) -> str:
        """Return the text."""
        return self.text

    def __repr__(self) -> str:
        """Return the text (a notebook's plain-text view)."""
        return self.text

    def _repr_html_(self) -> str:
        return f'<p class="bpo-text">{html.escape(self.text)}</p>'


def styled(df: pd.DataFrame, formats: Mapping[str, str], caption: str = "",
           index: bool = False) -> pd.io.formats.style.Styler:
    """Style a table for the report: units in the column names, numbers formatted.

    Column names the package marks for translation (``N_("risk")``) are shown in the
    report language (:func:`bpo_analysis.i18n.term`); ``formats`` may name a column
    either way.

    Parameters
    ----------
    df : DataFrame
        The table.
    formats : mapping
        Column -> format string, e.g. ``{"monthly (TWD)": "{:,.0f}"}``.
    caption : str
        Shown above the table (already in the report language).
    index : bool
        Show the index.

    Returns
    -------
    ReportTable
        The table (a ``Styler``), numbers formatted ("-" for missing), text
        left-aligned, the caption on top; it also carries its values and formats for the
        workbook and the deck (:mod:`bpo_analysis.core.tables`).
    """
    df = df.rename(columns=lambda c: term(c) if isinstance(c, str) else c)
    formats = {term(k): v for k, v in formats.items()}
    sty = ReportTable(df).format(formats, na_rep="-", escape="html")
    sty.formats = formats  # the workbook's number formats (bpo_analysis.core.tables)
    text = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    if text:  # text and its header on the left (numbers and theirs stay on the right)
        sty = sty.set_properties(subset=text, **{"text-align": "left"})
    if not index:
        sty = sty.hide(axis="index")
    if caption:
        sty = sty.set_caption(caption)
    sty = sty.set_table_styles([
        {"selector": "caption", "props": "caption-side: top; font-weight: 600; text-align: left"},
        {"selector": "td, th", "props": "padding: 3px 10px"}])
    if text and df.columns.is_unique:  # a text column's header on the left, as its cells
        sty = sty.set_table_styles({c: [{"selector": "th", "props": "text-align: left"}]
                                    for c in text}, overwrite=False)
    return sty
