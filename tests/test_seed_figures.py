"""The seed document's figures come out of the database through the queries the pages
and `show` use, with the document's file number as their source."""

import pandas as pd
import pytest

from indicators import reference
from indicators.builtin import datasets
from indicators.domain import analysis, queries

SEED = "长发改〔2025〕17号"


def _district_2024(indicator_id):
    frame = queries.indicator_frame(indicator_id, "district", 2024, "Y")
    return frame[frame["value"].notna()]


def test_funded_projects_2024_is_63_and_the_streets_add_up():
    row = _district_2024("funded_projects").iloc[0]
    assert row["value"] == 63
    assert row["source"] == SEED and not row["is_demo"]
    assert not row["quality_flag"]  # the illustrative register agrees with the seed
    frame = queries.indicator_frame("funded_projects", None, 2024, "Y")
    parts = frame[frame["scope_code"].isin(reference.leaves())]
    assert len(parts) == len(reference.leaves()) == 10
    assert parts["value"].sum() == 63


def test_budget_growth_2024_is_183_and_the_lines_agree():
    row = _district_2024("budget_growth").iloc[0]
    assert row["value"] == 1.83
    assert row["source"] == SEED
    assert row["derived_value"] == pytest.approx(1.83, abs=1e-4)
    assert row["change_kind"] == "pp"


def test_municipal_reviews_2024_by_programme():
    frame = _district_2024("municipal_reviews")
    assert list(zip(frame["breakdown"], frame["value"], strict=True)) == [
        ("emc", 1),
        ("green_supply_chain", 1),
        ("carbon_pilot", 5),
    ]
    assert set(frame["source"]) == {SEED}
    card = analysis.pick_cards(frame, "district", "Y", ["municipal_reviews"]).iloc[0]
    assert card["value"] == 7


def test_low_carbon_communities_are_lower_bounds_from_the_seed():
    frame = queries.indicator_frame("lowcarbon_communities", None, 2024, "Y").set_index(
        "scope_code"
    )
    assert frame.loc["xinjing", "value"] == 1 and frame.loc["beixinjing", "value"] == 2
    assert frame.loc["xinjing", "source"] == SEED
    assert "等" in frame.loc["beixinjing", "note"]


def test_every_other_value_is_marked_illustrative():
    frame = queries.indicator_frame()
    not_seed = frame[frame["source"] != SEED]
    assert not_seed["is_demo"].all()
    # a group's sum of seed and illustrative figures is illustrative, and names both sources
    assert not_seed["source"].str.split("；").map(lambda s: "示例数据" in s).all()


def test_seed_rows_are_exactly_the_document_figures():
    seed = datasets.seed_observations()
    assert len(seed) == 7 and (seed["source"] == SEED).all()
    assert (seed["as_of"] == pd.Timestamp("2025-04-11").date()).all()
