"""One decision threaded through the steps: what was chosen, and where it came from.

A client folder may state its decisions in ``decision.yaml`` (the sourcing form, the
shortlist, the selected vendor and quote, the incumbent under review, the backup). What
it leaves out is derived by the step that decides it: the form by step 1, the shortlist
and the vendor by step 2, the quote by step 3, the backup by step 7; the incumbent is the
vendor whose monthly reports the folder holds. Each choice keeps its origin, so every
report can say "derived from step 2", and its flag, so a choice step 2 knocks out is
never used silently.

A retailer that wrote nothing down works on what the steps derive:

>>> d = Decision(vendor=Choice("V01", 2), quote=Choice("Q01", 3))
>>> d.vendor.origin, d.quote.value
('derived from step 2', 'Q01')
>>> d.but(vendor=Choice("V05", 0, flag="does not pass step 2's knock-outs")).vendor.flag
"does not pass step 2's knock-outs"
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, TypeVar

from bpo_analysis.data.models import SOURCING_FORMS
from bpo_analysis.i18n import N_, _, language, term

if TYPE_CHECKING:
    from bpo_analysis.data.client import Client

__all__ = ["ASKED", "Choice", "Decision", "memo", "vendor_label"]

#: The step number of a choice a report's parameter sets (``quote_id`` of step 6).
ASKED = -2

T = TypeVar("T")

#: How each choice reads in a sentence ("the selected vendor Jade Mountain ... (V01)").
ROLES: dict[str, str] = {
    "form": N_("sourcing form"),
    "shortlist": N_("shortlist"),
    "vendor": N_("selected vendor"),
    "quote": N_("selected quote"),
    "incumbent": N_("incumbent under review"),
    "backup": N_("backup"),
}


@dataclass(frozen=True)
class Choice:
    """One choice of the decision: its value, the step that made it, and any flag.

    Parameters
    ----------
    value : str or tuple of str
        A form (``dedicated``), a vendor or quote id, an option id, or several vendors.
    step : int
        The step that derived it; 0 when ``decision.yaml`` states it.
    flag : str
        Why a report must warn about it ("does not pass step 2's knock-outs: ..."), or "".
    """

    value: Any
    step: int
    flag: str = ""

    @property
    def stated(self) -> bool:
        """Whether ``decision.yaml`` states it (rather than a step deriving it)."""
        return self.step == 0

    @property
    def origin(self) -> str:
        """Return where it came from, as the reports say it."""
        if self.stated:
            return _("stated in the client's decision file")
        if self.step == ASKED:
            return _("set by the report's parameters")
        if self.step < 0:
            return _("derived from the vendors' monthly reports")
        return _("derived from step {step}").format(step=self.step)


@dataclass(frozen=True)
class Decision:
    """The decision a step works on: each choice, and what contradicts an earlier step.

    ``notes`` are sentences a report shows beside the decision ("V02 is reviewed as the
    incumbent; step 2 ranks it 3 of 3"): a contradiction is allowed, never silent.
    """

    form: Choice | None = None
    shortlist: Choice | None = None
    vendor: Choice | None = None
    quote: Choice | None = None
    incumbent: Choice | None = None
    backup: Choice | None = None
    reason: str = ""
    #: (role, sentence): said where a report works on that role.
    notes: tuple[tuple[str, str], ...] = field(default=())
    #: Vendor id -> name and backup option id -> name, for the sentences.
    names: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def stated(cls, client: Client) -> Decision:
        """Return what ``decision.yaml`` states (an empty decision without the file)."""
        names = vendor_names(client)
        if client.continuity is not None:
            names |= {o.id: o.name for o in client.continuity.outage.options}
        f = client.decision
        if f is None:
            return cls(names=names)

        def choice(value: Any) -> Choice | None:
            if value is None:
                return None
            return Choice(tuple(value) if isinstance(value, list) else value, 0)

        return cls(choice(f.sourcing_form), choice(f.shortlist), choice(f.selected_vendor),
                   choice(f.selected_quote), choice(f.incumbent), choice(f.backup), f.reason,
                   names=names)

    def but(self, *, note: str = "", about: str = "", **choices: Choice | None) -> Decision:
        """Return this decision with some choices set and a note on role ``about`` added.

        ``about`` defaults to the (first) choice set, so the note is said wherever a report
        works on that choice.
        """
        role = about or next(iter(choices), "")
        notes = self.notes + (((role, note),) if note and (role, note) not in self.notes
                              else ())
        return replace(self, notes=notes, **choices)

    def merge(self, other: Decision) -> Decision:
        """Return this decision with every choice ``other`` has and this one lacks."""
        kept = {f.name: getattr(other, f.name) for f in fields(self)
                if f.name in ROLES and getattr(self, f.name) is None}
        notes = self.notes + tuple(n for n in other.notes if n not in self.notes)
        return replace(self, notes=notes, **kept)

    @property
    def flags(self) -> dict[str, str]:
        """Role -> flag of every flagged choice."""
        return {name: c.flag for name in ROLES if (c := getattr(self, name)) and c.flag}

    def describe(self, roles: tuple[str, ...]) -> str:
        """Return the sentence a report opens with: which decision it works on.

        Parameters
        ----------
        roles : tuple of str
            The choices the step uses, in the order to say them (``vendor``, ``quote``...).

        Returns
        -------
        str
            "Works on the selected vendor Jade Mountain Teleservices (V01), derived from
            step 2; ..." followed by the flags, the notes on those roles and, when one of
            them is stated, the file's reason; "" when no role is known.
        """
        parts, warn = [], []
        for role in roles:
            c = getattr(self, role)
            if c is None:
                continue
            values = c.value if isinstance(c.value, tuple) else (c.value,)
            shown = _(", ").join(_label(v, self.names) for v in values)
            parts.append(_("the {role} {value}, {origin}").format(
                role=term(ROLES[role]), value=shown, origin=c.origin))
            if c.flag:
                warn.append(_("Flagged: {value} {flag}.").format(value=shown, flag=c.flag))
        if not parts:
            return ""
        text = _("Works on {parts}.").format(parts=_("; ").join(parts))
        stated = any(getattr(self, r) is not None and getattr(self, r).stated for r in roles)
        reason = ([_("Why: {reason}.").format(reason=self.reason.rstrip("."))]
                  if self.reason and stated else [])
        notes = [n for role, n in self.notes if role in roles]
        return " ".join([text, *warn, *notes, *reason])


def _label(value: str, names: Mapping[str, str]) -> str:
    if value in SOURCING_FORMS:
        return term(SOURCING_FORMS[value])
    name = names.get(value)
    if name and value.islower():  # an option id (backup_site): its name says it
        return name
    return f"{name} ({value})" if name and name != value else value


def vendor_label(client: Client, vendor_id: str) -> str:
    """Return a vendor's name with its id, as reports name vendors.

    >>> from bpo_analysis.data.client import load_client
    >>> vendor_label(load_client("data/sample"), "V01")
    'Jade Mountain Teleservices (V01)'
    """
    return _label(vendor_id, vendor_names(client))


def vendor_names(client: Client) -> dict[str, str]:
    """Return vendor id -> name, as ``vendors.csv`` has them."""
    v = client.vendors
    return dict(zip(v["vendor_id"], v["name"], strict=True))


def memo(client: Client, key: str, build: Callable[[], T]) -> T:
    """Return ``build()`` once per client and key: an upstream step run with defaults.

    A downstream step asks for the decision of the steps before it; the summary asks every
    step. The result is kept while the client object lives (one per report language, as
    its flags and notes are sentences).

    >>> from bpo_analysis.data.client import load_client
    >>> c = load_client("data/sample")
    >>> memo(c, "answer", lambda: 42), memo(c, "answer", lambda: 0)
    (42, 42)
    """
    kept = client.__dict__.setdefault("_upstream", {})  # goes with the client object
    k = f"{key}/{language()}"
    if k not in kept:
        kept[k] = build()
    return kept[k]
