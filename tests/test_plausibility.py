"""Implausible figures are questioned, not swallowed: known answers of the bounds on a few
inline rows, the hold on a load (page and CLI: exit 4, --accept with a note), and the
review queue's figures with their unit, the figure replaced, the change and the flags."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators import reference
from indicators.domain import plausibility
from indicators.intake import checks, files, loading, review
from tests.conftest import query
from tests.intake_files import csv_bytes
from tests.test_load import cli, snapshot

KEY = {"scope_code": "hongqiao", "breakdown": "", "year": 2026, "period": "Q3"}


def _figure(indicator: str, value, last_year=None, replaced=None, **kw) -> dict:
    return {
        **KEY,
        "indicator_id": indicator,
        "value": value,
        "last_year_value": last_year,
        "last_year_is_demo": False,
        "replaced_value": replaced,
        "replaced_is_demo": False,
        **kw,
    }


def _flags(*rows: dict) -> pd.DataFrame:
    return plausibility.flag(pd.DataFrame(rows), reference.catalogue())


def test_a_typo_of_5_against_220945_is_flagged_on_every_count():
    flags = _flags(_figure("energy_total", 5.0, last_year=220945.0, replaced=230000.0))
    assert sorted(flags["check"]) == ["range", "replaced", "yoy"]
    yoy = flags[flags["check"] == "yoy"].iloc[0].to_dict()
    assert yoy["change"] == pytest.approx((5 / 220945 - 1) * 100)
    assert "与上年同期相比下降 99.998%，请确认" in plausibility.describe(yoy, "zh")
    # the range's lower bound scales with the share of the year: Q3 → 10 × 0.75
    assert flags.set_index("check").loc["range", "low"] == pytest.approx(7.5)


def test_a_plausible_change_is_not_flagged_and_the_bounds_are_half_open_inside():
    # +50% and −50% on the edges of the default bounds [−50, 100] pass; −50.1% does not
    assert _flags(_figure("energy_total", 150.0, last_year=100.0, replaced=200.0)).empty
    flags = _flags(_figure("energy_total", 49.9, last_year=100.0))
    assert list(flags["check"]) == ["yoy"]


def test_no_reference_or_a_zero_reference_is_no_change_to_judge():
    assert _flags(_figure("energy_total", 5000.0)).empty  # first year, nothing replaced
    assert _flags(_figure("energy_total", 5000.0, last_year=0.0)).empty  # undefined from zero


def test_a_pct_indicator_moves_in_points_and_counts_by_their_own_bounds():
    flags = _flags(_figure("energy_per_gdp_change", 15.0, last_year=3.0))
    assert list(flags["check"]) == ["yoy"] and flags["change"].iloc[0] == pytest.approx(12.0)
    assert "上升 12 个百分点" in plausibility.describe(flags.iloc[0].to_dict(), "zh")
    # 1 → 5 municipal reviews is +400%: within that indicator's own bounds
    assert _flags(_figure("lowcarbon_communities", 5.0, last_year=1.0)).empty


def test_the_bounds_are_catalogue_data_marked_illustrative():
    for ind in reference.catalogue():
        bounds = ind["plausibility"]
        assert bounds["illustrative"] is True
        assert bounds["change_pct"]["min"] < 0 < bounds["change_pct"]["max"]
    assert reference.indicator("energy_total")["plausible"]["min"] > 0


def _checked(rows, allowed=None):
    data = csv_bytes([["街镇", "年份", "期间", "指标", "数值"], *rows])
    raw = files.read_upload(data, "figures.csv")
    return checks.check(raw, allowed_scopes=allowed), data


def test_a_load_is_held_until_confirmed_with_a_note_and_the_note_is_kept(work_db):
    checked, data = _checked([["虹桥", 2026, "Q3", "能源消费总量", 5]])
    before = snapshot(work_db)
    for note in (None, "   "):
        with pytest.raises(loading.LoadHeld) as held:
            loading.load(checked, editor="boss", file_name="f.csv", data=data, confirm_note=note)
        assert set(held.value.flags["check"]) == {"range", "yoy", "replaced"}
        assert set(held.value.flags["excel_row"]) == {2}
    assert snapshot(work_db) == before  # nothing written
    result = loading.load(
        checked, editor="boss", file_name="f.csv", data=data, confirm_note="口径调整，已核对"
    )
    assert result.counts["confirmed"] == 1
    assert query(work_db, f"select note from load_batches where batch_id = {result.batch_id}") == [
        ("口径调整，已核对",)
    ]


def test_a_figure_already_loaded_as_it_is_is_not_asked_again(work_db):
    checked, data = _checked([["虹桥", 2026, "Q3", "能源消费总量", 5]])
    loading.load(checked, editor="boss", file_name="f.csv", data=data, confirm_note="已核对")
    loading.load(checked, editor="boss", file_name="f.csv", data=data)  # unchanged: no hold


def test_the_cli_exits_4_listing_the_figures_and_accept_confirms(work_db, tmp_path):
    path = tmp_path / "typo.csv"
    header = ["街镇", "年份", "期间", "指标", "数值"]
    path.write_bytes(csv_bytes([header, ["虹桥", 2026, "Q3", "能源消费总量", 5]]))
    before = snapshot(work_db)
    held = cli("load", str(path))
    assert held.returncode == 4
    assert "第 2 行" in held.stderr and "与上年同期相比下降" in held.stderr
    assert "--accept" in held.stderr and "hongqiao" not in held.stderr
    assert snapshot(work_db) == before
    english = cli("load", str(path), "--lang", "en")
    assert english.returncode == 4 and "on the same period last year" in english.stderr
    done = cli("load", str(path), "--accept", "--note", "口径调整")
    assert done.returncode == 0, done.stderr
    assert query(work_db, "select note from load_batches order by batch_id desc limit 1") == [
        ("口径调整",)
    ]


def test_the_review_queue_shows_the_unit_the_figure_replaced_the_change_and_the_flags(work_db):
    checked, data = _checked([["虹桥", 2026, "Q3", "能源消费总量", 5]], {"hongqiao"})
    result = loading.load(
        checked,
        editor="hq",
        file_name="f.csv",
        data=data,
        allowed_scopes={"hongqiao"},
        confirm_note="新口径",
    )
    (old,) = query(
        work_db,
        "select value from observations where scope_code = 'hongqiao' and year = 2026 "
        "and period = 'Q3' and indicator_id = 'energy_total'",
    )[0]
    (row,) = review.pending_figures(result.batch_id).to_dict("records")
    assert (row["unit"], row["value"], row["replaced_value"]) == ("tce", 5.0, old)
    assert row["change"] == pytest.approx((5 / old - 1) * 100)
    assert row["confirm_note"] == "新口径"
    assert {f["check"] for f in row["flags"]} == {"range", "yoy", "replaced"}
    assert plausibility.change_text(row["change"], "tce", "zh").startswith("下降 99.99")
