"""Known answers for the derived indicators (SQL views) on a few inline rows."""

from datetime import date

import pandas as pd
import pytest

from indicators.domain import queries
from indicators.store import db


def _obs(scope, indicator, year, value, period="Y", status="final", demo=False):
    return {
        "scope_code": scope,
        "indicator_id": indicator,
        "breakdown": "",
        "year": year,
        "period": period,
        "value": value,
        "unit": "x",
        "data_status": status,
        "source": "test",
        "as_of": date(year + 1, 1, 31),
        "is_demo": demo,
    }


def _load(**tables):
    db.migrate()

    def work(con):
        for table, rows in tables.items():
            db.insert_frame(con, table, pd.DataFrame(rows))

    db.write(work)


def _values(indicator_id, scope="hongqiao"):
    frame = queries.indicator_frame(indicator_id, scope)
    return {(r.year, r.period): r.value for r in frame.itertuples()}


def test_intensity_and_its_fall(fresh_db):
    _load(
        observations=[
            _obs("hongqiao", "energy_total", 2023, 100.0),
            _obs("hongqiao", "gdp", 2023, 1000.0),
            _obs("hongqiao", "energy_total", 2024, 99.0),
            _obs("hongqiao", "gdp", 2024, 1100.0),
            _obs("hongqiao", "energy_total", 2025, 50.0),
            _obs("hongqiao", "gdp", 2025, 0.0),
        ]
    )
    assert _values("energy_per_gdp") == {
        (2023, "Y"): pytest.approx(0.1),
        (2024, "Y"): pytest.approx(0.09),
    }  # zero GDP: none
    # (1 - 0.09 / 0.1) × 100 = 10: a fall is positive; the first year has no previous year.
    assert _values("energy_per_gdp_change") == {(2024, "Y"): pytest.approx(10)}


def test_intensity_rising_is_a_negative_fall_and_status_is_worst(fresh_db):
    _load(
        observations=[
            _obs("xinjing", "co2_total", 2024, 200.0, "Q3"),
            _obs("xinjing", "gdp", 2024, 1000.0, "Q3"),
            _obs("xinjing", "co2_total", 2025, 230.0, "Q3", status="preliminary"),
            _obs("xinjing", "gdp", 2025, 1000.0, "Q3"),
        ],
        targets=[
            {
                "indicator_id": "co2_per_gdp_change",
                "scope_code": "xinjing",
                "year": 2025,
                "target_value": 3.5,
                "kind": "rate",
                "source": "test",
            }
        ],
    )
    frame = queries.indicator_frame("co2_per_gdp_change", "xinjing", 2025, "Q3").iloc[0]
    assert frame["value"] == pytest.approx(-15)
    assert frame["data_status"] == "preliminary"  # any preliminary input makes it preliminary
    assert frame["rag_status"] == "red"


def test_budget_growth_from_lines_with_zero_and_missing_base(fresh_db):
    _load(
        budget_lines=[
            {"year": 2021, "item": "a", "amount_10k_yuan": 0.0, "source": "test"},
            {"year": 2022, "item": "a", "amount_10k_yuan": 100.0, "source": "test"},
            {"year": 2023, "item": "a", "amount_10k_yuan": 600.0, "source": "test"},
            {"year": 2023, "item": "b", "amount_10k_yuan": 600.0, "source": "test"},
            {"year": 2024, "item": "a", "amount_10k_yuan": 1221.96, "source": "test"},
        ]
    )
    assert _values("lowcarbon_budget", "district")[(2023, "Y")] == 1200
    growth = _values("budget_growth", "district")
    assert growth == {(2023, "Y"): pytest.approx(1100), (2024, "Y"): pytest.approx(1.83)}


def test_reported_figure_wins_and_a_disagreement_is_flagged(fresh_db):
    _load(
        budget_lines=[
            {"year": 2023, "item": "a", "amount_10k_yuan": 100.0, "source": "test"},
            {"year": 2024, "item": "a", "amount_10k_yuan": 105.0, "source": "test"},
        ],
        observations=[_obs("district", "budget_growth", 2024, 1.83)],
    )
    row = queries.indicator_frame("budget_growth", "district", 2024, "Y").iloc[0]
    assert row["value"] == 1.83 and row["formula"] == "reported"
    assert row["derived_value"] == pytest.approx(5) and row["quality_flag"]


def _project(pid, scope, year, approved, amount=10.0):
    return {
        "project_id": pid,
        "name": pid,
        "scope_code": scope,
        "year": year,
        "approved_on": approved,
        "amount_10k_yuan": amount,
        "source": "test",
    }


def test_funded_projects_year_to_date_and_district_sum(fresh_db):
    _load(
        funded_projects=[
            _project("p1", "hongqiao", 2026, date(2026, 2, 1), 5.0),
            _project("p2", "hongqiao", 2026, date(2026, 5, 1), 7.0),
            _project("p3", "xinjing", 2026, date(2026, 8, 15), 1.0),
            _project("p4", "xinjing", 2025, None, 2.0),  # no approval date: whole year only
        ]
    )
    # Data runs to August: Q3 (to September) is not finished, so it is not shown.
    assert _values("funded_projects") == {
        (2025, "Q4"): 0,
        (2025, "Y"): 0,
        (2025, "Q1"): 0,
        (2025, "Q2"): 0,
        (2025, "Q3"): 0,
        (2026, "Q1"): 1,
        (2026, "Q2"): 2,
    }
    assert _values("funded_amount")[(2026, "Q2")] == 12
    district = _values("funded_projects", "district")
    assert district[(2026, "Q2")] == 2 and (2026, "Q3") not in district
    assert district[(2025, "Q3")] == 0 and district[(2025, "Q4")] == district[(2025, "Y")] == 1
    # A 街镇 with no project that quarter shows 0, never 未报送, and keeps the provenance.
    row = queries.indicator_frame("funded_projects", "xinjing", 2026, "Q1").iloc[0]
    assert row["value"] == 0 and row["source"] == "test"
    assert row["as_of"] == pd.Timestamp("2026-03-31")  # the end of the period covered


def test_pv_new_and_cumulative_capacity(fresh_db):
    def site(sid, scope, kw, on):
        return {
            "site_id": sid,
            "site": sid,
            "scope_code": scope,
            "capacity_kw": kw,
            "grid_connected_on": on,
            "source": "test",
        }

    _load(
        pv_installations=[
            site("s1", "hongqiao", 100.0, date(2025, 6, 30)),
            site("s2", "hongqiao", 50.0, date(2026, 1, 31)),
            site("s3", "hongqiao", 25.0, date(2026, 3, 1)),
        ]
    )
    new = _values("pv_new")
    cap = _values("pv_capacity")
    assert new[(2025, "Y")] == 100 and new[(2026, "M01")] == 50 and new[(2026, "Q1")] == 75
    assert cap[(2025, "M05")] == 0 and cap[(2025, "M06")] == 100 and cap[(2026, "Q1")] == 175
    assert (2026, "M04") not in new and (2026, "Y") not in new  # after the latest connection
