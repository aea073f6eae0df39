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
from typing import Any, ClassVar, Generic, TypeVar

from bpo_analysis.core.present import Headlines

__all__ = ["StepResult", "Views"]

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
        return headline

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

    def _tables(self) -> Mapping[str, Callable[[], Any]]:
        raise NotImplementedError

    def _figures(self) -> Mapping[str, Callable[[], Any]]:
        raise NotImplementedError
