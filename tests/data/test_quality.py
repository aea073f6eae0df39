"""The rules that span files (data.quality): each broken on a copy of data/sample with one
file edited, and checked by ``check_client`` or ``check_sla_kpis`` itself. The error names
the file, the row (for YAML the line) and the column (for YAML the dotted key), the value
and what is allowed; soft problems warn and show in the data-quality summary."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bpo_analysis.data import io
from bpo_analysis.data.client import load_client
from bpo_analysis.data.models import Scenario, SlaTerms
from bpo_analysis.data.quality import check_client, check_sla_kpis, open_mask, quality_summary
from bpo_analysis.errors import DataError, DataWarning
from tests.conftest import SAMPLE, copy_sample, edit_text

DOCUMENTS = {**io.DOCUMENTS, **io.OPTIONAL_DOCUMENTS}


def _read(folder: Path, names) -> tuple[dict, dict, dict]:
    """The documents and tables ``names`` of ``folder``, read and validated one by one."""
    docs, tables, paths = {}, {}, {}
    for name in names:
        if name in DOCUMENTS:
            path = folder / f"{name}.yaml"
            docs[name], _ = io.read_document(path, DOCUMENTS[name])
        else:
            path = folder / f"{name}.csv"
            tables[name], _ = io.read_table(path, io.TABLES[name])
        paths[name] = path
    return docs, tables, paths


@pytest.fixture(scope="module")
def clean():
    """The sample's files, read once."""
    return _read(SAMPLE, [*DOCUMENTS, *io.TABLES])


def _check(clean, folder: Path, edited: str) -> None:
    """check_client on the sample with the file ``edited`` read again from ``folder``
    (every path pointing into ``folder``, as for a client folder)."""
    docs, tables, paths = (dict(part) for part in clean)
    new_docs, new_tables, _ = _read(folder, [edited])
    docs.update(new_docs)
    tables.update(new_tables)
    paths = {name: folder / Path(path).name for name, path in paths.items()}
    check_client(docs, tables, paths)


def _error(clean, folder: Path, edited: str) -> DataError:
    with pytest.raises(DataError) as err:
        _check(clean, folder, edited)
    return err.value


def _names(err: DataError, path: Path, row, column, value) -> None:
    """The error names file, row, column and value, in its attributes and its message."""
    text = str(err)
    assert (Path(err.file), err.row, err.column) == (path, row, column), text
    assert err.value == value or (pd.isna(value) and pd.isna(err.value)), text
    assert text.startswith(f"{path}, row {row}, column {column!r}: "), text


def test_the_sample_passes_every_rule(clean):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        check_client(*clean)


# ---------------------------------------------------------------- quotes.csv
def test_a_quote_without_a_price_for_its_model(clean, folder):
    path = folder / "quotes.csv"
    edit_text(path, "Q03,V03,all,per_minute,15.5,", "Q03,V03,all,per_minute,,")
    err = _error(clean, folder, "quotes")
    _names(err, path, 4, "unit_price", np.nan)
    assert "quote Q03 of vendor V03 has no price per handle minute" in str(err)
    assert err.allowed == "a price > 0 for pricing model per_minute"


def test_a_hybrid_quote_without_a_seat_price(clean, folder):
    path = folder / "quotes.csv"
    edit_text(path, "Q06,V06,all,hybrid,88,64000,", "Q06,V06,all,hybrid,88,0,")
    err = _error(clean, folder, "quotes")
    _names(err, path, 7, "seat_price_monthly", 0.0)
    assert "quote Q06 of vendor V06 (hybrid) has no seat price" in str(err)


def test_overlapping_volume_bands_of_one_vendor(clean, folder):
    path = folder / "quotes.csv"
    with path.open("a", encoding="utf-8") as f:  # V02 voice per call, 65,000 +- 10 %
        f.write("Q09,V02,voice,per_call,95,,,0,65000,0.1,1,1,0,0,0,2,24\n")
    err = _error(clean, folder, "quotes")
    _names(err, path, 10, "committed_contacts_monthly", 65000)
    assert "vendor V02's volume bands overlap: quotes Q02 and Q09 (voice, per_call)" in str(err)
    assert err.allowed == "a band outside 54,000-66,000 contacts"  # Q02: 60,000 +- 10 %


def test_bands_of_different_pricing_models_do_not_clash(clean, folder):
    path = folder / "quotes.csv"
    with path.open("a", encoding="utf-8") as f:
        f.write("Q09,V02,voice,per_minute,16,,,0,65000,0.1,1,1,0,0,0,2,24\n")
    _check(clean, folder, "quotes")  # no error: per minute, not per call


# ---------------------------------------------------------------- risks.csv
def test_a_residual_risk_above_the_inherent_one(clean, folder):
    path = folder / "risks.csv"
    edit_text(path, "clean-desk floor, lockers, no phones; quarterly audits\",2,4",
              "clean-desk floor, lockers, no phones; quarterly audits\",4,4")
    err = _error(clean, folder, "risks")
    _names(err, path, 2, "residual_likelihood", 4)
    assert "residual likelihood above the likelihood before mitigation" in str(err)
    assert err.allowed == "1 to 3 (the likelihood before mitigation)"


# ---------------------------------------------------------------- the YAML documents
@pytest.mark.parametrize("name, old, new, line, key, value, phrase", [
    ("roi", "currency: TWD\n", "currency: TWD\nquote_id: Q07\n", 4,
     "quote_id", "Q07", "it moved to decision.yaml (selected_quote)"),
    ("continuity", "currency: TWD\n", "currency: TWD\nquote_id: Q07\n", 3,
     "quote_id", "Q07", "it moved to decision.yaml (selected_quote)"),
    ("tco", "currency: TWD", "currency: JPY", 2, "currency", "JPY",
     "currency differs from scenario.yaml"),
    ("continuity", "  hours: 10 ", "  hours: 10.25 ", 14, "outage.hours", 10.25,
     "an outage must last whole demand intervals"),
    ("continuity", "vendor_id: V02 ", "vendor_id: V09 ", 28, "outage.options.1.vendor_id",
     "V09", "a backup option names a vendor vendors.csv does not have"),
], ids=["roi quote", "continuity quote", "tco currency", "outage hours", "backup vendor"])
def test_yaml_rules_name_the_line_and_key(clean, folder, name, old, new, line, key, value,
                                          phrase):
    path = folder / f"{name}.yaml"
    edit_text(path, old, new, count=1)
    err = _error(clean, folder, name)
    _names(err, path, line, key, value)
    assert phrase in str(err)


def test_a_channel_without_a_patience(clean, folder):
    path = folder / "continuity.yaml"
    edit_text(path, "  chat: 380\n", "")
    err = _error(clean, folder, "continuity")
    # the row is the first line of the patience_s mapping (its voice entry)
    assert (Path(err.file), err.row, err.column) == (path, 4, "patience_s.chat")
    assert "no patience for chat, a channel the client has" in str(err)


# ---------------------------------------------------------------- demand_intervals.csv
def _rewrite_demand(folder: Path, edit) -> Path:
    path = folder / "demand_intervals.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(table).to_csv(path, index=False, lineterminator="\n")
    return path


def test_a_demand_without_any_contact(clean, folder):
    path = _rewrite_demand(folder, lambda t: t.assign(contacts="0", aht_s=""))
    err = _error(clean, folder, "demand_intervals")
    assert (Path(err.file), err.row, err.column) == (path, None, "contacts")
    assert "no contacts at all: every interval has 0" in str(err)


def test_a_channel_without_a_service_target(clean, folder):
    edit_text(folder / "scenario.yaml",
              "  email: {service_level: 0.90, answer_within_s: 86400}", "")
    err = _error(clean, folder, "scenario")
    _names(err, folder / "demand_intervals.csv", 3, "channel", "email")  # the first email row
    assert "unknown channel (no service target in scenario.yaml)" in str(err)
    assert err.allowed == "one of ['chat', 'voice']"


def test_missing_intervals_and_contacts_while_closed_warn(clean, folder):
    def edit(t):
        t = t[~(t["interval_start"].str.startswith("2025-03-04") & (t["channel"] == "voice"))]
        at_three = (t["interval_start"] == "2025-01-01 03:00") & (t["channel"] == "voice")
        return t.assign(contacts=np.where(at_three, "5", t["contacts"]),
                        aht_s=np.where(at_three, "200", t["aht_s"]))

    path = _rewrite_demand(folder, edit)
    with pytest.warns(DataWarning) as caught:
        _check(clean, folder, "demand_intervals")
    texts = [str(w.message) for w in caught]
    assert f"{path}: voice has 48 of 17520 intervals missing between its first and last day" \
        in texts[0]
    assert texts[1] == (f"{path}: 5 voice/chat contacts in 1 intervals outside their "
                        "channel's opening hours in scenario.yaml (first at row 22)")


# ---------------------------------------------------------------- sla.yaml
@pytest.mark.parametrize("old, new, line, key, value, phrase", [
    ("  abandon_rate:  {", "  abandon_ratio: {", 6, "kpis.abandon_ratio", "abandon_ratio",
     "a KPI the KPI dictionary does not define"),
    ("direction: higher, target: 0.85, minimum: 0.80", "direction: lower, target: 0.85, "
     "minimum: 0.90", 8, "kpis.csat.direction", "lower", "KPI csat is better higher"),
    ("sampled contacts\", direction", "sampled contacts\", variant: median, direction", 9,
     "kpis.qa_score.variant", "median", "KPI qa_score has no such variant"),
], ids=["unknown kpi", "direction", "variant"])
def test_sla_kpis_against_the_dictionary(folder, old, new, line, key, value, phrase):
    path = folder / "sla.yaml"
    edit_text(path, old, new, count=1)
    terms, _ = io.read_document(path, SlaTerms)  # valid on its own
    with pytest.raises(DataError) as err:
        check_sla_kpis(terms, path)
    _names(err.value, path, line, key, value)
    assert phrase in str(err.value)


def test_a_direction_against_the_dictionary_is_refused(tmp_path):
    folder = copy_sample(tmp_path / "client")
    path = folder / "sla.yaml"
    text = path.read_text(encoding="utf-8")
    old = "variant: excl_short, direction: lower, target: 0.05, minimum: 0.08"
    assert old in text
    path.write_text(text.replace(old, "variant: excl_short, direction: higher, target: 0.05, "
                                      "minimum: 0.02"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_client(folder)
    assert err.value.column == "kpis.abandon_rate.direction" and err.value.row == 6


# ---------------------------------------------------------------- summary and opening hours
def test_the_summary_lists_every_file_with_its_notes(folder):
    path = folder / "vendors.csv"
    vendors = pd.read_csv(path, dtype=str, keep_default_na=False)
    vendors.insert(1, "region", "north")
    vendors.to_csv(path, index=False, lineterminator="\n")
    with pytest.warns(DataWarning, match=r"unknown column\(s\) \['region'\] ignored"):
        client = load_client(folder)
    summary = quality_summary(client).set_index("file")
    assert len(summary) == len(client.sources) == 14  # 5 + 4 documents, 5 tables
    assert summary.loc["vendors.csv", "notes"].startswith("unknown column(s) ['region']")
    assert (summary.drop(index="vendors.csv")["notes"] == "ok").all()
    assert summary.loc["demand_intervals.csv", "rows"] == len(client.demand)
    assert summary.loc["scenario.yaml", ["format", "encoding"]].tolist() == ["yaml", "utf-8"]


def test_open_mask_follows_each_weekdays_hours():
    hours = {d: {"open": "08:00", "close": "24:00"} for d in
             ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday")}
    sc = Scenario.model_validate(dict(
        company="x", industry="retail", currency="TWD", country="TW", timezone="Asia/Taipei",
        planning_horizon_months=12,
        discount_rate=0.08, service_targets={}, paid_hours_per_fte_month=174,
        opening_hours={**hours, "sunday": None}))
    starts = pd.Series(pd.to_datetime(["2025-03-03 07:30", "2025-03-03 08:00",
                                       "2025-03-03 23:30", "2025-03-09 12:00"]))
    assert open_mask(starts, sc).tolist() == [False, True, True, False]  # Sunday closed


# ---------------------------------------------------------------- decision.yaml
DECISION = """sourcing_form: dedicated
shortlist: [V01, V02, V06]
selected_vendor: V01
selected_quote: Q01
incumbent: V02
backup: second_vendor
"""


def test_a_whole_decision_is_accepted(clean, folder):
    (folder / "decision.yaml").write_text(DECISION, encoding="utf-8")
    _check(clean, folder, "decision")


@pytest.mark.parametrize("old, new, line, key, value, phrase, allowed", [
    ("selected_vendor: V01", "selected_vendor: V09", 3, "selected_vendor", "V09",
     "names a vendor vendors.csv does not have", "one of ['V01', 'V02', 'V03'"),
    ("shortlist: [V01, V02, V06]", "shortlist: [V01, V77]", 2, "shortlist.1", "V77",
     "names a vendor vendors.csv does not have", "one of ['V01'"),
    ("incumbent: V02", "incumbent: [V02, V42]", 5, "incumbent.1", "V42",
     "names a vendor vendors.csv does not have", "one of ['V01'"),
    ("selected_quote: Q01", "selected_quote: Q99", 4, "selected_quote", "Q99",
     "names a quote quotes.csv does not have", "one of ['Q01']"),
    ("selected_quote: Q01", "selected_quote: Q07", 4, "selected_quote", "Q07",
     "the quote is V02's, not the selected vendor V01's", "one of V01's quotes ['Q01']"),
    ("selected_vendor: V01", "selected_vendor: V03", 3, "selected_vendor", "V03",
     "the selected vendor is not on the shortlist", "one of the shortlist ['V01', 'V02',"),
    ("incumbent: V02", "incumbent: V03", 5, "incumbent.0", "V03",
     "vendor_monthly_reports has none of this vendor", "one of ['V02']"),
    ("backup: second_vendor", "backup: a_friend", 6, "backup", "a_friend",
     "names a backup option continuity.yaml does not have",
     "one of ['backup_site', 'inhouse_team', 'second_vendor']"),
], ids=["unknown vendor", "unknown shortlisted", "unknown incumbent", "unknown quote",
        "another vendor's quote", "off the shortlist", "incumbent without reports",
        "unknown backup"])
def test_a_bad_decision_names_file_line_key_and_allowed(clean, folder, old, new, line, key,
                                                         value, phrase, allowed):
    path = folder / "decision.yaml"
    path.write_text(DECISION.replace(old, new), encoding="utf-8")
    err = _error(clean, folder, "decision")
    _names(err, path, line, key, value)
    assert phrase in str(err) and allowed in err.allowed


@pytest.mark.parametrize("text, phrase", [
    ("sourcing_form: offshore\n", "'inhouse', 'shared', 'dedicated', 'hybrid' or 'partial'"),
    ("selected_vendr: V01\n", "unknown key 'selected_vendr' (did you mean 'selected_vendor'?)"),
    ("incumbent: [V02, V02]\n", "distinct vendor ids"),
    ("shortlist: []\n", "a non-empty list"),
])
def test_a_decision_with_a_bad_key_or_value_is_refused_by_line(folder, text, phrase):
    path = folder / "decision.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"decision\.yaml, row 1") as err:
        io.read_document(path, io.OPTIONAL_DOCUMENTS["decision"])
    assert phrase in str(err.value)


def test_a_second_vendor_backup_must_name_its_vendor(clean, folder):
    path = folder / "continuity.yaml"
    edit_text(path, "      vendor_id: V02           # passes step 2's knock-outs; knows the "
              "client's products\n", "")
    with pytest.raises(DataError, match="a second_vendor names its vendor_id"):
        _read(folder, ["continuity"])


def test_a_quote_alone_must_be_of_a_shortlisted_vendor(clean, folder):
    path = folder / "decision.yaml"
    path.write_text("shortlist: [V01, V06]\nselected_quote: Q07\n", encoding="utf-8")
    err = _error(clean, folder, "decision")
    _names(err, path, 2, "selected_quote", "Q07")
    assert "the quote is V02's, a vendor off the shortlist" in str(err)


# ---------------------------------------------------------------- issue 22: refused, not run
# A knock-out limit of the wrong kind or outside its column's range, AHP judgements that
# repeat a pair or leave a group out, a horizon before the demand, an uncertain range
# without its base, impossible correlations: each refused at load, naming the line and key.
CRITERIA_RULES = [
    # old, new, line, key, value, phrase, allowed
    ('{op: "<=", value: 0.45}', '{op: "<=", value: 45}', 27, "criteria.10.knock_out.value",
     45, "criterion 'attrition': the knock-out limit is outside what vendors.csv column "
     "attrition_rate can hold", "a share between 0 and 1 (write 45 % as 0.45)"),
    ('{op: "<=", value: 0.45}', '{op: "<=", value: high}', 27, "criteria.10.knock_out.value",
     "high", "criterion 'attrition': a knock-out limit on a numeric column (vendors.csv column "
     "attrition_rate) must be a number", "a share between 0 and 1, as vendors.csv column "
     "attrition_rate holds"),
    ('{op: "<=", value: 0.45}', '{op: "<=", value: "0.45"}', 27, "criteria.10.knock_out.value",
     "0.45", "must be a number", "a share between 0 and 1"),
    ("column: seats, direction: benefit, unit: seats, weight: 0.03}",
     'column: seats, direction: benefit, unit: seats, weight: 0.03, knock_out: {op: ">=", '
     "value: -10}}", 10, "criteria.3.knock_out.value", -10, "criterion 'seats': the "
     "knock-out limit is outside what vendors.csv column seats can hold",
     "a whole number >= 0"),
    ('    knock_out: {op: "==", value: true}\n  - {id: data_protection',
     '    knock_out: {op: "==", value: "yes"}\n  - {id: data_protection', 47,
     "criteria.20.knock_out.value", "yes", "criterion 'iso27001': a knock-out limit on a "
     "yes/no column", "yes or no, unquoted (true or false)"),
    ('    knock_out: {op: "==", value: true}\n  - {id: data_protection',
     '    knock_out: {op: ">=", value: true}\n  - {id: data_protection', 47,
     "criteria.20.knock_out.op", ">=", "compared with == or != only", "== or !="),
    ("source: pricing, direction: cost, unit: TWD per contact, weight: 0.15}",
     "source: pricing, direction: cost, unit: TWD per contact, weight: 0.15, knock_out: "
     '{op: "<=", value: -5}}', 70, "criteria.32.knock_out.value", -5,
     "cost per contact (source: pricing)", "a number >= 0"),
    ("column: mystery_shopper_score,", "column: hq_city,", 6, "criteria.0.column", "hq_city",
     "criterion 'mystery_shopper' reads a text column", "'attrition_rate'"),
    ("    - [flexibility, scale, 1]\n", "    - [flexibility, scale, 1]\n"
     "    - [scale, flexibility, 1]\n", 92, "ahp.judgements.12",
     ["scale", "flexibility", 1.0], "the AHP judgements compare 'scale' and 'flexibility' "
     "twice", "one judgement per pair: ahp.judgements.11 (line 91) already compares them"),
    ("    - [flexibility, scale, 1]\n", "    - [flexibility, flexibility, 1]\n", 91,
     "ahp.judgements.11", ["flexibility", "flexibility", 1.0],
     "compares 'flexibility' with itself", "two different groups"),
    ("    - [technology, site, 3]\n    - [business continuity, site, 1]\n", "", None,
     "ahp.judgements", ["site"], "the AHP judgements do not connect every one of the groups: "
     "site never compared, directly or through others, with service quality, scale",
     "e.g. [service quality, site, value]"),
]


@pytest.mark.parametrize("old, new, line, key, value, phrase, allowed", CRITERIA_RULES,
                         ids=["percent limit on a share", "word limit on a number",
                              "quoted number", "negative count", "quoted yes", "<= on yes/no",
                              "negative price", "text column", "ahp pair twice",
                              "ahp item with itself", "ahp group left out"])
def test_criteria_a_step_could_not_use_are_refused(clean, folder, old, new, line, key, value,
                                                   phrase, allowed):
    path = folder / "criteria.yaml"
    edit_text(path, old, new, count=1)
    err = _error(clean, folder, "criteria")
    _names(err, path, line or io.yaml_line(path, tuple(key.split("."))), key, value)
    assert phrase in str(err) and allowed in err.allowed, str(err)


def test_a_horizon_before_the_demand_is_refused_at_load(clean, folder):
    path = folder / "scenario.yaml"
    edit_text(path, 'horizon_start: "2026-01"', 'horizon_start: "2024-06"')
    err = _error(clean, folder, "scenario")
    _names(err, path, 23, "horizon_start", "2024-06")
    assert "the planning horizon starts before the demand's first month" in str(err)
    assert err.allowed.startswith("a month from 2025-01 (demand_intervals' first month) on")


@pytest.mark.parametrize("old, new, line, key, value, phrase", [
    ("fcr_after:          {low: 0.74,", "fcr_after:          {low: 0.80,", 31,
     "uncertainty.fcr_after", {"low": 0.80, "high": 0.82},
     "the range of fcr_after leaves out its base value 0.78 (benefits.fcr_after)"),
    ("transition_overrun: {low: 0.0,", "transition_overrun: {low: 0.1,", 29,
     "uncertainty.transition_overrun", {"low": 0.1, "high": 0.6},
     "leaves out its base value 0 (0, the transition budget)"),
    ("volume:             {low: 0.90", "volume:             {low: 0.0", 24,
     "uncertainty.volume.low", 0.0, "the driver's range leaves what it can be"),
    ("  - [churn_reduction, fcr_after, 0.5]", "  - [churn_reduction, fcr_after, 0.9]\n"
     "  - [wage_inflation, churn_reduction, 0.9]\n  - [wage_inflation, fcr_after, -0.9]", None,
     "correlations", [["wage_inflation", "price_escalation", 0.6],
                      ["churn_reduction", "fcr_after", 0.9],
                      ["wage_inflation", "churn_reduction", 0.9],
                      ["wage_inflation", "fcr_after", -0.9]],
     "the correlations contradict each other: no joint distribution has them"),
    ("  - [churn_reduction, fcr_after, 0.5]", "  - [churn_reduction, fcr_after, 1.0]", None,
     "correlations", [["wage_inflation", "price_escalation", 0.6],
                      ["churn_reduction", "fcr_after", 1.0]], "not positive definite"),
], ids=["base above the range", "overrun without 0", "volume 0", "not positive definite",
        "correlation of 1"])
def test_uncertain_ranges_without_their_base_and_impossible_correlations(
        clean, folder, old, new, line, key, value, phrase):
    path = folder / "roi.yaml"
    edit_text(path, old, new, count=1)
    err = _error(clean, folder, "roi")
    _names(err, path, line or io.yaml_line(path, (key,)), key, value)
    assert phrase in str(err)


def test_the_selected_quotes_escalation_must_be_in_its_range(clean, folder):
    """With decision.yaml's quote known at load, price_escalation's base is checked too."""
    edit_text(folder / "decision.yaml", "# selected_vendor: V01\n# selected_quote: Q01 ",
              "selected_vendor: V01\nselected_quote: Q01 ")
    path = folder / "roi.yaml"
    edit_text(path, "price_escalation:   {low: 0.0, high: 0.045}",
              "price_escalation:   {low: 0.0, high: 0.02}")
    docs, tables, paths = (dict(part) for part in clean)
    docs.update(_read(folder, ["decision", "roi"])[0])
    paths = {name: folder / Path(p).name for name, p in paths.items()}
    with pytest.raises(DataError) as info:
        check_client(docs, tables, paths)
    _names(info.value, path, 27, "uncertainty.price_escalation", {"low": 0.0, "high": 0.02})
    assert "leaves out its base value 0.03 (the signed quote's annual_escalation)" in str(
        info.value)


@pytest.mark.parametrize("key", ["country", "timezone", "paid_hours_per_fte_month"])
def test_no_country_time_zone_or_working_week_is_assumed(tmp_path, key):
    """Taiwan's code, zone and 174-hour month were silent defaults: each is now required."""
    from bpo_analysis import load_client

    folder = copy_sample(tmp_path / "client")
    path = folder / "scenario.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if not x.startswith(f"{key}:")),
                    encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_client(folder)
    assert key in str(err.value) and "scenario.yaml" in str(err.value)
