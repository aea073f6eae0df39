"""A whole client folder, read and checked: :func:`load_client` and its :class:`Client`.

The :class:`Client` is what every step starts from.

Each file is read and validated by :mod:`bpo_analysis.data.io`; then the rules that
span files (:mod:`bpo_analysis.data.quality`) are checked. The layers of
:mod:`bpo_analysis.data` run one way: readers, reference data and checks, then this.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from bpo_analysis.data import models as m
from bpo_analysis.data.extras import scored_extras
from bpo_analysis.data.io import (
    DOC_EXTS,
    DOCUMENTS,
    OPTIONAL_DOCUMENTS,
    TABLE_EXTS,
    TABLES,
    SourceFile,
    find_file,
    read_document,
    read_table,
)
from bpo_analysis.data.quality import check_client, check_sla_kpis
from bpo_analysis.errors import DataError, DataWarning

__all__ = ["Client", "load_client", "read_sla", "source_file"]


@dataclass(frozen=True)
class Client:
    """Everything known about one client, validated; what every notebook starts from."""

    path: Path
    scenario: m.Scenario
    inhouse: m.InhouseCosts
    criteria: m.Criteria
    sla: m.SlaTerms
    maturity: m.MaturityAnswers
    demand: pd.DataFrame
    vendors: pd.DataFrame
    quotes: pd.DataFrame
    vendor_reports: pd.DataFrame
    risks: pd.DataFrame
    sources: tuple[SourceFile, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    tco: m.TcoAssumptions | None = None
    roi: m.RoiAssumptions | None = None
    continuity: m.ContinuityAssumptions | None = None
    decision: m.DecisionFile | None = None

    def optional(self, name: str, step: str) -> Any:
        """Return the optional document ``name``, or say which file ``step`` needs.

        Parameters
        ----------
        name : str
            ``tco``, ``roi`` or ``continuity``.
        step : str
            What needs it, as the error says it (e.g. "step 3 needs the client's
            transition costs").

        Returns
        -------
        TcoAssumptions, RoiAssumptions or ContinuityAssumptions
            The validated document.

        Raises
        ------
        DataError
            The client folder has no such file: names ``<name>.yaml`` and what
            ``step`` needs it for.

        Examples
        --------
        >>> load_client("data/sample").optional("tco", "step 3").currency
        'TWD'
        """
        doc = getattr(self, name)
        if doc is None:
            raise DataError(step, file=self.path / f"{name}.yaml",
                            allowed=f"a {name}.yaml as in data/sample (see data/README.md)")
        return doc

    @property
    def currency(self) -> str:
        """ISO 4217 code of every amount in this client's files (e.g. 'TWD')."""
        return self.scenario.currency


def load_client(path: str | Path) -> Client:
    """Read a whole client folder (same schema as ``data/sample``) into one :class:`Client`.

    Parameters
    ----------
    path : str or Path
        Folder holding ``scenario.yaml``, ``inhouse_costs.yaml``, ``criteria.yaml``,
        ``sla.yaml``, ``maturity_answers.yaml`` (and optionally ``tco.yaml``,
        ``roi.yaml`` and ``continuity.yaml``) and the tables ``demand_intervals``,
        ``vendors``, ``quotes``, ``vendor_monthly_reports`` and ``risks`` (``.csv`` or
        ``.xlsx``).
        ``data/README.md`` documents every file.

    Returns
    -------
    Client
        Every file validated (``vendors`` with the extra columns criteria score), the
        demand's ``channel`` a categorical of the channels, the provenance of each file
        (``sources``) and the soft problems found (``warnings``, also raised as
        :class:`~bpo_analysis.errors.DataWarning`).

    Raises
    ------
    DataError
        At the first problem, naming file, row and column, the value and what is allowed.

    Examples
    --------
    >>> client = load_client("data/sample")
    >>> client.scenario.company, client.currency
    ('Formosa Click Co., Ltd. (fictional)', 'TWD')
    >>> sorted(client.demand["channel"].unique())
    ['chat', 'email', 'voice']
    """
    folder = Path(path)
    if not folder.is_dir():
        raise DataError("client folder not found", file=folder,
                        allowed="a folder with the files of data/sample (see data/README.md)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        docs, tables, sources = {}, {}, []
        for name, model in DOCUMENTS.items():
            docs[name], src = read_document(find_file(folder, name, DOC_EXTS), model)
            sources.append(src)
        for name, model in OPTIONAL_DOCUMENTS.items():
            if any((folder / f"{name}{e}").exists() for e in DOC_EXTS):  # a folder: refused
                docs[name], src = read_document(find_file(folder, name, DOC_EXTS), model)
                sources.append(src)
        for name, spec in TABLES.items():  # the vendors' columns a criterion scores kept
            scored = scored_extras(docs["criteria"], spec.model) if name == "vendors" else None
            tables[name], src = read_table(find_file(folder, name, TABLE_EXTS), spec, scored)
            sources.append(src)
        paths = {s.name: s.path for s in sources}
        check_client(docs, tables, paths)
    notes = []
    for w in caught:
        if issubclass(w.category, DataWarning):
            notes.append(str(w.message))
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    tables["demand_intervals"]["channel"] = pd.Categorical(
        tables["demand_intervals"]["channel"], categories=list(m.CHANNELS))
    return Client(folder, docs["scenario"], docs["inhouse_costs"], docs["criteria"],
                  docs["sla"], docs["maturity_answers"], tables["demand_intervals"],
                  tables["vendors"], tables["quotes"], tables["vendor_monthly_reports"],
                  tables["risks"], tuple(sources), tuple(notes), docs.get("tco"),
                  docs.get("roi"), docs.get("continuity"), docs.get("decision"))


def read_sla(path: str | Path, channels=None) -> m.SlaTerms:
    """Read one SLA terms file (``sla.yaml``'s schema), validated and checked.

    Its KPIs are checked against the KPI dictionary, as when a client folder is loaded.

    Parameters
    ----------
    path : str or Path
        A YAML file with the keys of ``sla.yaml``.
    channels : iterable of str, optional
        The channels the client serves (a term naming another is refused).

    Returns
    -------
    SlaTerms
        The validated terms.

    Raises
    ------
    DataError
        An invalid value, or a KPI, direction or variant the KPI dictionary does not
        have (naming the file, line and key).

    Examples
    --------
    >>> sorted(read_sla("data/sample/sla.yaml").kpis)
    ['abandon_rate', 'csat', 'fcr', 'qa_score', 'service_level']
    """
    terms, src = read_document(path, m.SlaTerms)
    check_sla_kpis(terms, src.path, channels)
    return terms


def source_file(client: Client, name: str) -> Path | str:
    """Return the file the client's ``name`` was read from, for an error message.

    Parameters
    ----------
    client : Client
        A loaded client (or one built in code).
    name : str
        A file's name without extension: ``quotes``, ``scenario`` ...

    Returns
    -------
    Path or str
        The file's path, or ``name`` itself for a client built in code.

    Examples
    --------
    >>> source_file(load_client("data/sample"), "quotes").name
    'quotes.csv'
    """
    return next((f.path for f in client.sources if f.name == name), name)
