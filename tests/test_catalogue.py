"""The indicator catalogue, scopes and factors are complete data."""

import re

import pytest

from indicators import reference
from tests.conftest import ROOT

REQUIRED = {
    "id",
    "name_zh",
    "name_en",
    "unit",
    "direction",
    "frequency",
    "formula",
    "scope_zh",
    "scope_en",
    "thresholds",
    "street_values",
    "headline",
    "additive",
}
PINNED_IDS = {
    "energy_total",
    "gdp",
    "energy_per_gdp",
    "energy_per_gdp_change",
    "co2_total",
    "co2_per_gdp",
    "co2_per_gdp_change",
    "pv_capacity",
    "pv_new",
    "funded_projects",
    "funded_amount",
    "lowcarbon_budget",
    "budget_growth",
    "municipal_reviews",
    "lowcarbon_communities",
}


@pytest.mark.parametrize("ind", reference.catalogue(), ids=lambda i: i["id"])
def test_every_entry_is_complete(ind):
    assert REQUIRED <= set(ind)
    assert ind["direction"] in {"lower", "higher"}
    assert ind["formula"] in {"reported", "derived"}
    assert ind["frequency"] in {"monthly", "quarterly", "yearly"}
    assert ind["street_values"] in {"official", "estimated", "metered", "none"}
    assert ind["year_to_date"] in {"sum", "level"}
    if ind["year_to_date"] == "sum":  # a flow that adds up over the year adds up over 街镇
        assert ind["additive"]
    t = ind["thresholds"]
    assert t["green"] > t["yellow"] > t["orange"] > 0
    if ind["formula"] == "derived":
        assert ind.get("derived_from")
    assert ind["reported_by"] in {"streets", "district", "none"}
    if ind["reported_by"] != "none":  # only a reported figure is due from anyone
        assert ind["formula"] == "reported"
    if ind["reported_by"] == "streets":
        assert ind["street_values"] != "none"
    if ind.get("target_weight"):  # an intensity's targets are weighted by an additive figure
        assert not ind["additive"] and reference.indicator(ind["target_weight"])["additive"]
    due = ind["due"]
    assert 0 <= due["months"] <= 12 and 1 <= due["day"] <= 31
    assert isinstance(due["illustrative"], bool)


def test_pinned_ids_units_and_directions():
    by_id = {i["id"]: i for i in reference.catalogue()}
    assert PINNED_IDS <= set(by_id)
    assert by_id["energy_per_gdp"]["direction"] == "lower"
    assert by_id["energy_per_gdp_change"]["direction"] == "higher"
    assert by_id["co2_per_gdp"]["direction"] == "lower"
    assert by_id["energy_per_gdp"]["unit"] == "tce_per_10k_yuan"
    assert [b["name_zh"] for b in by_id["municipal_reviews"]["breakdowns"]] == [
        "合同能源管理",
        "绿色供应链管理企业",
        "碳管理试点示范",
    ]
    # Street-level GDP and intensities are estimates (测算), never official.
    for i in ("gdp", "energy_total", "energy_per_gdp", "energy_per_gdp_change"):
        assert by_id[i]["street_values"] == "estimated"
    assert "2020" in by_id["gdp"]["scope_zh"]  # the comparable-price base year


def test_readme_lists_every_indicator():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for ind in reference.catalogue():
        assert f"`{ind['id']}`" in readme, ind["id"]


def test_scopes_and_aliases():
    codes = [s["code"] for s in reference.scopes()]
    assert len(codes) == len(set(codes))
    assert reference.resolve_scope("虹桥") == "hongqiao"
    assert reference.resolve_scope("Xinjing Town") == "xinjing"
    assert reference.resolve_scope("长宁区") == "district"
    assert reference.resolve_scope(" changning ") == "district"
    assert reference.resolve_scope("其他街镇") == "others"
    assert reference.resolve_scope("火星") is None
    assert reference.scope("xinjing")["kind"] == "town"
    assert reference.resolve_indicator("单位GDP能耗") == "energy_per_gdp"
    assert reference.resolve_indicator("Energy consumption per unit of GDP") == "energy_per_gdp"


def test_factors_are_data_with_sources():
    factors = {f["id"]: f for f in reference.factors()}
    assert factors["electricity_tce_equivalent"]["factor"] == 0.1229
    for f in factors.values():
        assert "GB/T 2589-2020" in f["source"] and f["basis"]
        assert f["factor"] > 0
    for f in reference.emission_factors():
        assert f["source"] and f["factor"] > 0 and f["factor_unit"]


def test_no_factor_constant_in_code():
    for path in ROOT.glob("indicators/**/*.py"):
        assert not re.search(r"0\.1229", path.read_text(encoding="utf-8")), path
