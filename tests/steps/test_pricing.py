"""Step 3 (steps.pricing): TCO per contact, unit costs and who carries the forecast risk,
suspicious bids, cost curves and break-evens, the step run with its sliders, bad quotes at
load. The quotes billed on the demand (core.quotes) are tested in tests/core/test_quotes.py."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest

from bpo_analysis import load_client
from bpo_analysis.core.decision import Choice, Decision
from bpo_analysis.errors import DataError, DataWarning
from bpo_analysis.steps.pricing import calc as pricing
from bpo_analysis.steps.pricing import step as pricing_step
from tests.conftest import copy_sample, edit_text
from tests.core.test_quotes import _quotes_with, _with_quotes


@pytest.fixture(scope="module")
def plans(sample_client):
    return pricing.Plans(sample_client)


@pytest.fixture(scope="module")
def term(sample_client, plans):
    return pricing.term_costs(sample_client, plans=plans)


def test_escalation_from_year_one_reaches_the_first_year_figures(sample_client, plans):
    client = _quotes_with(sample_client, "Q05", escalation_from_year=1)
    u = pricing.unit_costs(client, plans=plans)
    t = pricing.term_costs(client, plans=plans)
    year1 = t[(t["quote_id"] == "Q05") & t["component"].isin(["Service fees", "Management fee"])
              & t["t"].between(1, 12)]["amount"].sum()
    assert u.loc["Q05", "year_cost"] == pytest.approx(year1)
    assert year1 == pytest.approx(pricing.unit_costs(sample_client, plans=plans).loc[
        "Q05", "year_cost"] * 1.02)


def test_tco_present_value_and_per_contact(sample_client, term):
    terms = sample_client.quotes.set_index("quote_id")["contract_term_months"]
    s = pricing.tco_summary(term, 0.08, terms)
    g = term[term["quote_id"] == "Q07"]
    flows = g.groupby("t")["amount"].sum()
    assert s.loc["Q07", "pv"] == pytest.approx(npf.npv(1.08 ** (1 / 12) - 1, flows.to_numpy()))
    assert s.loc["Q07", "pv"] == pytest.approx(g["pv"].sum())  # the same, row by row
    assert s.loc["Q07", "per_contact"] == pytest.approx(flows.sum() / g["contacts"].sum())
    assert s["per_contact"].is_monotonic_increasing
    assert s.loc["Q02", "contract_term"] == 24 and s.loc["Q02", "months"] == 36
    assert (s["not_on_quote"] > 0.03).all() and (s["not_on_quote"] < 0.2).all()


def test_unit_costs_and_who_carries_the_forecast_risk(sample_client, plans):
    u = pricing.unit_costs(sample_client, plans=plans)
    # per seat: the contracted seats stay when volume falls short, so the bill does not
    q01 = u.loc["Q01"]
    assert q01["shortfall_risk"] == pytest.approx(0.2 * q01["year_cost"])
    assert q01["unit_swing"] > 0.2
    # per call without a band or a binding minimum: the bill follows volume exactly
    q05 = u.loc["Q05"]
    assert abs(q05["unit_swing"]) < 0.01
    assert q05["shortfall_risk"] == pytest.approx(0.2 * 30_000 * 12)  # only the fee stays
    # per contact and per productive hour at the forecast, by hand for Q04
    plan = plans.at(1.06)
    hours = float((plan["required"] * 0.5).sum())
    assert u.loc["Q04", "per_hour"] == pytest.approx((hours * 520 + 12 * 70_000) / hours)
    assert u.loc["Q04", "per_contact"] == pytest.approx(
        (hours * 520 + 12 * 70_000) / float(plan["contacts"].sum()))


def test_the_bid_below_the_labour_floor_is_flagged_with_its_reason(sample_client, plans):
    u = pricing.unit_costs(sample_client, plans=plans)
    f = pricing.suspicious_bids(sample_client, u)
    floor = 28_590 * 1.30 / (174 * 0.72)
    assert f["labour_floor"].iloc[0] == pytest.approx(floor)
    assert f.index[f["flagged"]].tolist() == ["Q08"]
    q08 = f.loc["Q08"]
    assert q08["driver"] == "labour floor and peer median"
    be = q08["rate"] * 174 * 0.72 / 1.30  # the wage floor at which the bid would be viable
    assert f"the wage floor is {be:,.0f} TWD a month or less (now 28,590)" in q08["reason"]
    assert q08["reason"].startswith(f"{q08['rate']:,.0f} TWD per productive hour is below "
                                    f"the labour floor of {floor:,.0f} TWD in New Taipei")
    share = 28_590 * 1.30 / (q08["rate"] * 174)  # the productive share that would cover it
    assert f"the productive share {share:.0%} or more (now 72%)" in q08["reason"]
    # the same bid from a Manila head office clears the (lower) floor there, at Manila's
    # wage floor and loading; alone in Manila with its own other quote Q03, it has no peer:
    # a vendor's own bids cannot vouch for one another
    alone = pricing.suspicious_bids(_moved(sample_client, V03="Manila"), u)
    assert alone.loc["Q08", "labour_floor"] == pytest.approx(8_200 * 1.20 / (174 * 0.72))
    assert alone.loc["Q08", "driver"] == "-" and not alone.loc["Q08", "flagged"]
    # with V04 in Manila too, V04's Q04 is its one peer
    g = pricing.suspicious_bids(_moved(sample_client, V03="Manila", V04="Manila"), u)
    assert g.loc["Q08", "driver"] == "peer median"
    assert g.loc["Q08", "peer_median"] == pytest.approx(u.loc["Q04", "per_hour"])
    assert "1 other bid from the same labour market (Manila)" in g.loc["Q08", "reason"]


def _moved(client, **cities):
    """The client with the head offices of some vendors moved (vendor id -> city)."""
    vendors = client.vendors.copy()
    for vid, city in cities.items():
        vendors.loc[vendors["vendor_id"] == vid, "hq_city"] = city
    return dataclasses.replace(client, vendors=vendors)


def test_a_manila_bid_is_compared_with_manila_bids_not_with_hong_kong_ones(sample_client,
                                                                           plans):
    # Hong Kong has a wage floor of its own (HKD 42.1 an hour, in TWD): a labour market
    lf = sample_client.tco.labour_floor
    floors = lf.wage_floor_monthly | {"Hong Kong": 33_000}
    tco = sample_client.tco.model_copy(update={"labour_floor": lf.model_copy(
        update={"wage_floor_monthly": floors})})
    hk = {v: "Hong Kong" for v in ("V01", "V02", "V04", "V05", "V06")}
    quotes = sample_client.quotes[sample_client.quotes["quote_id"] != "Q03"]
    client = dataclasses.replace(_moved(sample_client, V03="Manila", **hk), tco=tco,
                                 quotes=quotes.reset_index(drop=True))
    u = pricing.unit_costs(client, plans=plans)
    f = pricing.suspicious_bids(client, u)
    q08 = f.loc["Q08"]
    # pooled with the Hong Kong bids it would be flagged: under 70 % of their median
    assert q08["rate"] < 0.7 * f["rate"].drop("Q08").median()
    # alone in its labour market, above Manila's labour floor: not flagged
    assert q08["market"] == "Manila" and q08["peers"] == 0 and np.isnan(q08["peer_median"])
    assert q08["rate"] > q08["labour_floor"] == pytest.approx(8_200 * 1.20 / (174 * 0.72))
    assert not q08["flagged"] and q08["driver"] == "-"
    assert (f.drop("Q08")["market"] == "Hong Kong").all() and not f["flagged"].any()
    # a dearer Manila bid (V04's, 526 an hour) is its peer: now it is flagged against it
    g = pricing.suspicious_bids(_moved(client, V04="Manila"), u)
    assert g.loc["Q08", "peer_median"] == pytest.approx(u.loc["Q04", "per_hour"])
    assert g.loc["Q08", "driver"] == "peer median"
    assert "(Manila)" in g.loc["Q08", "reason"]
    assert not g.loc["Q04", "flagged"]  # 526 an hour is above 70 % of 258
    assert g.loc["Q01", "peers"] == 4  # Hong Kong: Q01, Q02, Q05, Q06, Q07


def test_the_loading_per_city_and_a_single_loading(sample_client, plans):
    u = pricing.unit_costs(sample_client, plans=plans)
    f = pricing.suspicious_bids(_moved(sample_client, V02="Manila"), u)
    hours = 174 * 0.72
    assert f.loc["Q07", "loading"] == 1.20  # tco.yaml: Manila 1.20, default 1.30
    assert f.loc["Q07", "labour_floor"] == pytest.approx(8_200 * 1.20 / hours)
    assert f.loc["Q01", "labour_floor"] == pytest.approx(28_590 * 1.30 / hours)
    # one number for every city is still valid
    lf = sample_client.tco.labour_floor.model_copy(update={"loading": 1.5})
    one = dataclasses.replace(sample_client, tco=sample_client.tco.model_copy(
        update={"labour_floor": lf}))
    g = pricing.suspicious_bids(_moved(one, V02="Manila"), u)
    assert g.loc["Q07", "labour_floor"] == pytest.approx(8_200 * 1.5 / hours)
    assert g.loc["Q01", "labour_floor"] == pytest.approx(28_590 * 1.5 / hours)


def test_a_loading_per_city_that_misses_a_bids_city_is_refused(tmp_path, sample_client, plans):
    folder = copy_sample(tmp_path / "client")
    edit_text(folder / "tco.yaml", "    default: 1.30", "    Taipei: 1.30")
    client = load_client(folder)
    with pytest.raises(DataError) as err:
        pricing.suspicious_bids(client, pricing.unit_costs(sample_client, plans=plans))
    e = err.value
    assert Path(e.file).name == "tco.yaml" and e.column == "labour_floor.loading"
    assert e.value == "Kaohsiung" and "Q02" in e.problem  # V02's head office
    assert "Taipei, Manila" in e.allowed and "'default'" in e.allowed
    assert e.row == 22  # the first city of labour_floor.loading


_PER_CITY = """  loading:                        # employer cost on top of pay, by head-office city
    default: 1.30                 # Taiwan: labour and health insurance, pension, bonus
    Manila: 1.20                  # SSS, PhilHealth, Pag-IBIG, 13th-month pay
"""


@pytest.mark.parametrize("old, new, column", [
    ("    Manila: 1.20", "    Manila: 0.9", "labour_floor.loading.Manila"),
    ("    Manila: 1.20", "    Manila: yes", "labour_floor.loading.Manila"),
    (_PER_CITY, "  loading: 3.5\n", "labour_floor.loading"),
])
def test_a_loading_out_of_range_is_refused_at_load(folder, old, new, column):
    edit_text(folder / "tco.yaml", old, new)
    with pytest.raises(DataError, match="is not a number from 1 to 3") as err:
        load_client(folder)
    assert err.value.column == column and "one per city" in err.value.allowed


def test_cost_curves_and_break_evens(sample_client, plans):
    curves = pricing.cost_curves(sample_client, plans=plans, scales=[0.5, 1.0, 1.5])
    assert list(curves.columns[2:]) == list(sample_client.quotes["quote_id"])
    assert (np.diff(curves["Q05"]) > 0).all()  # per call follows volume
    channels = dict(zip(sample_client.quotes["quote_id"], sample_client.quotes["channel"],
                        strict=True))
    fine = pricing.cost_curves(sample_client, plans=plans)
    be = pricing.break_evens(fine, channels)
    assert "Q02 = Q03" in set(be["quotes"])
    assert not be["quotes"].str.contains("Q05").any()  # voice only: no all-channel pair
    x = fine["contacts_per_month"]
    for _, r in be.iterrows():
        a, b = r["quotes"].split(" = ")
        at = r["contacts_per_month"]
        below, above = at * 0.97, at * 1.03
        assert np.interp(below, x, fine[r["cheaper below"]]) < np.interp(
            below, x, fine[b if r["cheaper below"] == a else a])
        assert np.interp(above, x, fine[r["cheaper above"]]) < np.interp(
            above, x, fine[b if r["cheaper above"] == a else a])
    # per seat: the forecast's seats stay below the forecast, so the bill does not fall
    low = curves.loc[curves["scale"] == 0.5, "Q01"].iloc[0]
    mid = curves.loc[curves["scale"] == 1.0, "Q01"].iloc[0]
    assert low == mid
    fc = pricing.forecast_contacts(sample_client)
    assert fc == pytest.approx(sample_client.demand["contacts"].sum() * 1.06 / 12)


def test_a_minimum_no_volume_reaches_warns(sample_client, plans):
    q = sample_client.quotes.copy()
    q.loc[q["quote_id"] == "Q05", "monthly_minimum"] = 50_000_000
    client = dataclasses.replace(sample_client, quotes=q)
    curves = pricing.cost_curves(client, plans=pricing.Plans(client, calendar=plans.calendar,
                                                             _cache=plans._cache),
                                 scales=[0.5, 1.6])
    with pytest.warns(DataWarning, match="monthly minimum of quote Q05 of Lotus Service"):
        notes = pricing.minimum_warnings(client, curves)
    assert notes == ["the monthly minimum of quote Q05 of Lotus Service Partners, 50,000,000 "
                     "TWD, is above its bill even at 1.6 times the forecast"]


def test_an_empty_price_is_refused_at_load(tmp_path):
    folder = copy_sample(tmp_path / "client")
    path = folder / "quotes.csv"
    q = pd.read_csv(path, dtype=str, keep_default_na=False)
    q.loc[q["quote_id"] == "Q03", "unit_price"] = ""
    q.to_csv(path, index=False)
    with pytest.raises(DataError, match="quote Q03 of vendor V03 has no price per handle"):
        load_client(folder)


def test_per_seat_quoted_without_seats_is_refused(sample_client, plans):
    client = _quotes_with(sample_client, "Q07", seats_quoted=np.nan)
    with pytest.raises(DataError, match="quote Q07 of vendor V02 names no seats"):
        pricing.unit_costs(client, pricing.PricingInputs(seats="quoted"), plans)


@pytest.mark.parametrize("column, value, phrase", [
    ("management_fee_monthly", "-5000", "greater than or equal to 0"),
    ("annual_escalation", "0.45", "less than or equal to 0.3"),
    ("annual_escalation", "-0.2", "greater than or equal to -0.1"),
    ("pricing_model", "per_smile", "per_call"),
])
def test_bad_quote_fields_name_the_row_and_column(tmp_path, column, value, phrase):
    folder = copy_sample(tmp_path / "client")
    path = folder / "quotes.csv"
    q = pd.read_csv(path, dtype=str, keep_default_na=False)
    q.loc[q["quote_id"] == "Q03", column] = value
    q.to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        load_client(folder)
    assert err.value.row == 4 and err.value.column == column
    assert phrase in str(err.value)
    assert "quote_id Q03, vendor_id V03" in str(err.value)  # names the quote and vendor


def test_sliders_of_step_3_move_the_numbers(sample_client, plans):
    base = pricing_step.price(sample_client, plans=plans)
    longer = pricing_step.price(sample_client, pricing.PricingInputs(term_months=48),
                                    plans=plans, curves=base.curves)
    assert (longer.tco["months"] == 48).all()
    hidden = pricing_step.price(sample_client, pricing.PricingInputs(hidden_share=0.09),
                                    plans=plans, curves=base.curves)
    g = hidden.term[hidden.term["component"].str.startswith("Retained")]
    bills = hidden.term[hidden.term["component"].isin(["Service fees", "Management fee"])]
    assert g["amount"].sum() == pytest.approx(0.09 * bills["amount"].sum())


# ---------------------------------------------------------------- like with like
def test_a_quote_for_one_channel_cheapest_per_contact_does_not_win(sample_client, plans):
    # Harbor (V02, past the knock-outs) adds a voice-only quote at 48 a call: the cheapest
    # TCO per contact of any bid step 3 does not flag (above the labour floor, and above
    # 70 % of the other bids' median per productive hour)
    client = _with_quotes(sample_client, ("Q09", "V02", "voice", 48.0))
    res = pricing_step.price(client, plans=plans,
                             decision=Decision(vendor=Choice("V02", 2)))
    t = res.tco
    assert not res.flags.loc["Q09", "flagged"]
    assert t.loc["Q09", "per_contact"] < t.loc["Q07", "per_contact"] < t.loc[
        "Q01", "per_contact"]
    # it is ranked with the other voice quote only (V05's Q05), not with the full scope
    assert t.loc["Q09", "covers"] == "voice"
    assert (t.loc["Q09", "rank"], t.loc["Q09", "rivals"]) == (1, 2)
    assert (t.loc["Q05", "rank"], t.loc["Q05", "rivals"]) == (2, 2)
    assert (t.loc["Q07", "rank"], t.loc["Q07", "rivals"]) == (3, 7)  # after Q08, Q04
    assert list(t.index[-2:]) == ["Q09", "Q05"]  # after every full-scope offer
    assert res.standing["Q09"].startswith("covers voice only, not every channel")
    # the answer and Harbor's selected quote stay its quote for all channels, Q07
    best = res.headline["lowest_tco_per_contact"]
    assert best.label.endswith("Q07 of Harbor Contact Services (V02)")
    assert best.value == pytest.approx(t.loc["Q07", "per_contact"])
    assert res.decision.quote.value == "Q07" and res.decision.quote.flag == ""
    assert "Quotes for one channel only (Q09: voice; Q05: voice)" in res.headline.title
    # stated in decision.yaml, the voice-only quote is used but flagged
    stated = pricing_step.price(client, plans=plans, curves=res.curves, decision=Decision(
        vendor=Choice("V02", 0), quote=Choice("Q09", 0)))
    assert stated.decision.quote.flag.startswith("covers voice only")


def test_one_vendors_quotes_for_each_channel_priced_together(sample_client, plans):
    # Evergreen (V06) quotes voice, chat and email apart, at 45, 40 and 75 a contact
    client = _with_quotes(sample_client, ("Q09", "V06", "voice", 45.0),
                          ("Q10", "V06", "chat", 40.0), ("Q11", "V06", "email", 75.0))
    res = pricing_step.price(client, plans=plans)
    t, combo = res.tco, "Q09+Q10+Q11"
    parts = t.loc[["Q09", "Q10", "Q11"]]
    # by hand: the three quotes' TCO, with the client's one-off work once (knowledge base
    # 320,000, IVR flows 180,000, interviews 150,000, CRM 450,000: each quote alone carries
    # them) and the two channels beyond the first (2 x 120,000)
    once = 320_000 + 180_000 + 150_000 + 450_000
    assert t.loc[combo, "nominal"] == pytest.approx(parts["nominal"].sum() - 2 * once
                                                    + 2 * 120_000)
    assert t.loc[combo, "pv"] == pytest.approx(parts["pv"].sum() - 2 * once + 2 * 120_000)
    assert t.loc[combo, "contacts"] == pytest.approx(t.loc["Q01", "contacts"])  # all of them
    assert t.loc[combo, "per_contact"] == pytest.approx(
        t.loc[combo, "nominal"] / t.loc[combo, "contacts"])
    assert t.loc[combo, "year_cost_year1"] == pytest.approx(
        res.units.loc[["Q09", "Q10", "Q11"], "year_cost"].sum())
    assert t.loc[combo, "contract_term"] == 24 and t.loc[combo, "covers"] == "all"
    # the cheapest eligible offer covering every channel: the answer, said in words
    assert t.index[t["covers"] == "all"][1] == combo  # only Q08 (knocked out) is cheaper
    assert res.standing[combo] == ""
    assert res.headline["lowest_tco_per_contact"].label.endswith(f"{combo} of Evergreen CX (V06)")
    assert "quotes Q09, Q10, Q11 taken together of Evergreen CX" in res.headline.title
    assert "priced as one offer (Q09+Q10+Q11)" in res.headline.title
    assert combo in res.finalists and "Q06" not in res.finalists
    # its cash flows are in the term table for the waterfalls, month by month
    term = res.term
    fees = term[(term["component"] == "Service fees") & (term["t"] == 7)].set_index(
        "quote_id")["amount"]
    assert fees[combo] == pytest.approx(fees[["Q09", "Q10", "Q11"]].sum())
    # Evergreen selected: the later steps work on one quote, so its all-channel Q06 is the
    # selected quote and a note says the combination costs less
    d = pricing_step.price(client, plans=plans, curves=res.curves,
                           decision=Decision(vendor=Choice("V06", 2))).decision
    assert d.quote.value == "Q06"
    assert any("Q09+Q10+Q11, one per channel, together cost less" in n for _, n in d.notes)
    # without Q06 no single quote covers every channel: the later steps work on its quote
    # for the most contacts (voice), flagged, and a note says why
    alone = dataclasses.replace(client, quotes=client.quotes[
        client.quotes["quote_id"] != "Q06"].reset_index(drop=True))
    d = pricing_step.price(alone, plans=plans, curves=res.curves.drop(columns="Q06"),
                           decision=Decision(vendor=Choice("V06", 2))).decision
    assert d.quote.value == "Q09" and d.quote.flag.startswith("covers voice only")
    assert any("quotes each channel apart (Q09+Q10+Q11)" in n and "quote Q09, for the most "
               "contacts, flagged" in n for _, n in d.notes)


def test_a_vendor_quoting_part_of_the_channels_has_its_quote_flagged(sample_client, plans):
    res = pricing_step.price(sample_client, plans=plans,
                             decision=Decision(vendor=Choice("V05", 0)))
    q = res.decision.quote  # V05's only quote, Q05, is for voice
    assert q.value == "Q05" and q.flag == ("covers voice only, not every channel the client "
                                           "serves: ranked only with the quotes for voice")
    assert any("cover only part of the client's channels (Q05 voice)" in n
               for _, n in res.decision.notes)
    assert f"Flagged: Q05 {q.flag}." in res.headline.context
