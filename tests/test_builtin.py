"""The built-in data: deterministic, consistent with the seed, and not tied to four 街镇."""

import pandas as pd

from indicators import reference
from indicators.builtin import datasets, install
from indicators.domain import analysis, queries


def test_the_illustrative_data_is_the_same_every_time():
    a, b = datasets.demo_tables(), datasets.demo_tables()
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table])


def test_every_illustrative_row_is_marked():
    for table, frame in datasets.demo_tables().items():
        assert frame["is_demo"].all(), table
        if "source" in frame:
            assert (frame["source"] == "示例数据").all(), table


def test_the_illustrative_observations_are_the_ten_streets_only():
    """Groups and the district are sums the mart makes, not rows of the built-in data (but
    for the district's community count, which carries the seed's lower-bound note)."""
    obs = datasets.demo_tables()["observations"]
    energy = obs[obs["indicator_id"].isin(["energy_total", "gdp", "co2_total"])]
    assert set(energy["scope_code"]) == set(reference.leaves())


def test_an_eleventh_street_added_as_data_flows_through(fresh_db, monkeypatch):
    extra = {
        "code": "newstreet",
        "name_zh": "新设街道",
        "name_en": "New Subdistrict",
        "kind": "street",
        "focus": False,
        "aliases": ["新设"],
    }
    scopes = reference.scopes()
    monkeypatch.setattr(reference, "scopes", lambda: [*scopes[:4], extra, *scopes[4:]])
    install.builtin_data(demo=True)
    assert reference.resolve_scope("新设") == "newstreet"
    assert reference.parents()["newstreet"] == "district"  # in no group: the district's
    frame = queries.indicator_frame("funded_projects", None, 2024, "Y").set_index("scope_code")
    assert frame.loc["district", "value"] == 63
    assert frame.loc[reference.leaves(), "value"].sum() == 63
    assert frame.loc["newstreet", "value"] > 0
    year = queries.indicator_frame(year=2024)
    codes = [s["code"] for s in reference.scopes()]
    matrix = analysis.status_matrix(year, codes, "Y", ["funded_projects", "pv_new"])
    assert "newstreet" in matrix.index and len(matrix) == len(codes)


def test_a_real_row_replaces_the_illustrative_one_and_demo_remove_keeps_it(fresh_db):
    from datetime import date

    from indicators.store import db

    install.builtin_data(demo=True)
    real = pd.DataFrame(
        [
            {
                "scope_code": "hongqiao",
                "indicator_id": "gdp",
                "breakdown": "",
                "year": 2025,
                "period": "Y",
                "value": 123.0,
                "unit": "10k_yuan",
                "data_status": "final",
                "source": "区统计局",
                "as_of": date(2026, 3, 1),
                "is_demo": False,
            }
        ]
    )
    db.write(lambda con: db.insert_frame(con, "observations", real))
    row = queries.indicator_frame("gdp", "hongqiao", 2025, "Y").iloc[0]
    assert row["value"] == 123 and not row["is_demo"]
    install.remove_demo()
    assert queries.indicator_frame("gdp", "hongqiao", 2025, "Y").iloc[0]["value"] == 123
    left = queries.indicator_frame()
    assert not left["is_demo"].any()
    assert set(left["source"]) == {"区统计局", "长发改〔2025〕17号"}


def test_cumulative_communities_never_fall_and_agree_with_the_seed():
    frame = queries.indicator_frame("lowcarbon_communities")
    for code, part in frame.groupby("scope_code"):
        values = list(part.sort_values("year")["value"])
        assert values == sorted(values), code
    y2024 = frame[frame["year"] == 2024].set_index("scope_code")["value"]
    assert y2024["district"] == y2024[reference.leaves()].sum()
    assert "下限" in frame.set_index(["scope_code", "year"]).loc[("district", 2024), "note"]
