"""The one shape of every step's result: a headline, named tables, named figures.

Each step's ``run(client, ...)`` returns a ``<Step>Result`` that is a frozen dataclass of
what the step computed (its inputs included) and a :class:`StepResult`: ``headline`` is
the sentence and cards the report opens on, ``tables`` and ``figures`` map a name to a
table or chart built from the same numbers. A table or figure is built the first time it
is read and then kept, so a dashboard that only needs the headline, or a summary that
reads one number from every step, pays for nothing else.

>>> views = Views({"answer": lambda: 6 * 7})
>>> views["answer"], list(views)
(42, ['answer'])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from bpo_analysis.core.decision import Decision, vendor_label
from bpo_analysis.core.present import Headlines, fmt
from bpo_analysis.data.client import Client, source_file
from bpo_analysis.i18n import _

__all__ = ["StepResult", "Views", "currency_used", "discount_used", "file_name", "from_file",
           "horizon_used", "in_folder", "left_open", "vendor_used"]

T = TypeVar("T")


class Views(Mapping[str, T], Generic[T]):
    """Named tables or figures, each built when first read, then kept.

    Parameters
    ----------
    builders : mapping
        Name -> a function of no argument that builds the table or figure.
    """

    def __init__(self, builders: Mapping[str, Callable[[], T]]):
        self._builders = dict(builders)
        self._built: dict[str, T] = {}

    def __getitem__(self, name: str) -> T:
        """Return the table or figure ``name``, built on first use."""
        if name not in self._builders:
            raise KeyError(f"no {name!r}; this result has {list(self._builders)}")
        if name not in self._built:
            self._built[name] = self._builders[name]()
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        """Iterate over the names, in the order the report shows them."""
        return iter(self._builders)

    def __len__(self) -> int:
        """Return the number of tables or figures."""
        return len(self._builders)

    def __repr__(self) -> str:
        """Name the views, not their (possibly unbuilt) contents."""
        return f"Views({list(self._builders)})"


class StepResult:
    """What every step's result offers: ``headline``, ``tables``, ``figures``, ``inputs``.

    A step's result class (a frozen dataclass) derives from this one and implements
    :meth:`_headline`, :meth:`_tables` and :meth:`_figures`; ``inputs`` is a field of the
    dataclass (the parameters the step ran with).
    """

    #: The step's number and short name, as the notebooks are named ("03 pricing").
    step: ClassVar[str] = ""
    #: The choices of the decision the step works on, said under its headline.
    decision_roles: ClassVar[tuple[str, ...]] = ()
    inputs: Any

    @cached_property
    def headline(self) -> Headlines:
        """Return the sentence and cards the report opens on, and the decision it uses."""
        headline = self._headline()
        decision = getattr(self, "decision", None)
        if decision is not None and self.decision_roles:
            headline = headline.with_context(decision.describe(self.decision_roles))
        used = self._used()
        return headline.with_used(used) if used else headline

    @cached_property
    def tables(self) -> Views:
        """Return the step's tables by name, in report order."""
        return Views(self._tables())

    @cached_property
    def figures(self) -> Views:
        """Return the step's charts by name, in report order."""
        return Views(self._figures())

    def _headline(self) -> Headlines:
        raise NotImplementedError

    def _used(self) -> Mapping[str, str]:
        """Return parameter -> the value the step took for it, and where from.

        For the parameters whose value means "from the client's files" (``discount_rate``
        -1 -> "8.0 % from scenario.yaml"); none by default.
        """
        return {}

    def _tables(self) -> Mapping[str, Callable[[], Any]]:
        raise NotImplementedError

    def _figures(self) -> Mapping[str, Callable[[], Any]]:
        raise NotImplementedError


# ---------------------------------------------------------------- what a run took from files
def left_open(**parameters: tuple[Any, Any]) -> frozenset[str]:
    """Return the names of the parameters left to the client's files.

    Each parameter is given as (its value, the notebook's value for "from the client's
    files": ``""``, ``0``, ``-1``, ``{}``); None counts as left open too. A step's ``run``
    keeps the names (``from_files``) so that :meth:`StepResult._used` says what it took for
    each, and only for those: a value given, even 0, is the reader's own.

    >>> sorted(left_open(currency_label=("", ""), discount_rate=(-1.0, -1), lead_days=(0, -1),
    ...                  forecast_shares=(None, {})))
    ['currency_label', 'discount_rate', 'forecast_shares']
    """
    return frozenset(name for name, (value, open_) in parameters.items()
                     if value is None or (type(value) is not bool and value == open_))


def file_name(client: Client, name: str, ext: str = ".yaml") -> str:
    """Return the name of the client's file ``name`` as read ("scenario.yaml").

    ``name`` plus ``ext`` for a client built in code.

    >>> from bpo_analysis.data.client import load_client
    >>> file_name(load_client("data/sample"), "quotes")
    'quotes.csv'
    """
    found = source_file(client, name)
    return found.name if isinstance(found, Path) else f"{name}{ext}"


def from_file(client: Client, value: str, name: str, ext: str = ".yaml") -> str:
    """Return a value and the client file it came from: "8.0 % a year, from scenario.yaml"."""
    return _("{value}, from {source}").format(value=value,
                                              source=file_name(client, name, ext))


def in_folder(file: str) -> str:
    """Return a file of the client folder as the appendix names it.

    >>> in_folder("sla.yaml")
    'sla.yaml of the client folder'
    """
    return _("{file} of the client folder").format(file=file)


def currency_used(client: Client, from_files: frozenset[str]) -> dict[str, str]:
    """Return ``currency_label`` -> "TWD, from scenario.yaml" when it was left open."""
    if "currency_label" not in from_files:
        return {}
    return {"currency_label": from_file(client, client.currency, "scenario")}


def horizon_used(client: Client, months: int) -> str:
    """Return "36 months, the planning horizon in scenario.yaml"."""
    return _("{months} months, the planning horizon in {source}").format(
        months=months, source=file_name(client, "scenario"))


def discount_used(client: Client, rate: float) -> str:
    """Return "8.0 % a year, from scenario.yaml"."""
    return from_file(client, _("{value} a year").format(value=fmt(rate, "%", 1)), "scenario")


def vendor_used(client: Client, decision: Decision, vendor_id: str) -> str:
    """Return the vendor a run took for an empty ``vendor_id``, and where that came from.

    The incumbent ("Harbor Contact Services (V02), the incumbent under review, stated in
    the client's decision file"), else the first vendor of the monthly reports.
    """
    vendor = vendor_label(client, vendor_id)
    inc = decision.incumbent
    if inc is not None and vendor_id in (inc.value if isinstance(inc.value, tuple)
                                         else (inc.value,)):
        return _("{vendor}, the incumbent under review, {origin}").format(vendor=vendor,
                                                                         origin=inc.origin)
    return _("{vendor}, the first vendor in {source}").format(
        vendor=vendor, source=file_name(client, "vendor_monthly_reports", ".csv"))
