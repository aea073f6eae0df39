"""Knock-outs (core.eligibility): the sample's vendors knocked out by criterion, rule and
value; fewer than two vendors left is an error."""

from __future__ import annotations

import dataclasses

import pytest

from bpo_analysis.core import eligibility, quotes
from bpo_analysis.errors import InputError


@pytest.fixture(scope="module")
def prices(sample_client):
    return quotes.vendor_prices(sample_client)


def test_knock_outs_of_the_sample(sample_client, prices):
    ko = eligibility.knock_out(sample_client, prices)
    out = ko[~ko["passed"]].set_index("vendor_id")
    assert out["criterion"].to_dict() == {"V04": "attrition", "V05": "iso27001",
                                          "V03": "backup_site"}
    assert out.loc["V04", "rule"] == "Agent attrition <= 0.45" and out.loc["V04", "value"] == 0.48
    assert eligibility.survivors(ko, sample_client.vendors["vendor_id"]) == ["V01", "V02", "V06"]


def test_fewer_than_two_vendors_left_is_an_error(sample_client, prices):
    strict = [c.model_copy(update={"knock_out": c.knock_out.model_copy(update={"value": 0.2})})
              if c.id == "attrition" else c for c in sample_client.criteria.criteria]
    client = dataclasses.replace(sample_client, criteria=sample_client.criteria.model_copy(
        update={"criteria": strict}))
    ko = eligibility.knock_out(client, prices)
    with pytest.raises(InputError, match="at least 2 vendors"):
        eligibility.survivors(ko, client.vendors["vendor_id"])
