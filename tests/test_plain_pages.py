"""Every page, as an editor sees it, in English: English words where an English one exists,
no None/nan, no missing cell drawn as a grey None, entry grids showing each figure as
stored with thousands separators; and a late submission says how late it was."""

from __future__ import annotations

import re
from datetime import date

import pytest
from streamlit.proto.Dataframe_pb2 import Dataframe

from indicators import auth, reference
from indicators.domain import reporting
from indicators.intake import review
from tests.test_data_pages import open_page
from tests.test_pages import CJK, _data_values
from tests.test_reporting import _submit

PAGES = [
    "overview",
    "streets",
    "trends",
    "projects",
    "map",
    "barometer",
    "briefing",
    "reporting",
    "my_reports",
    "targets",
    "commitments",
    "data_history",
    "data_upload",
    "sign_in",
]
RAW = re.compile(r"\b(None|nan|NaN|NaT)\b")
# Codes a reader should never see: the ten 街镇's and the groups' (by their names instead).
CODES = re.compile(
    r"(?<![A-Za-z_])("
    + "|".join(s["code"] for s in reference.scopes() if s["code"] not in ("district", "others"))
    + r")(?![A-Za-z_])"
)
READ_ONLY = Dataframe.READ_ONLY  # st.dataframe; st.data_editor's grids are editable


def _texts(at) -> list[str]:
    """Every word a page shows outside its tables."""
    kinds = ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error")
    texts = [str(el.value) for kind in (*kinds, "success") for el in getattr(at, kind)]
    texts += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    for box in at.selectbox:
        texts += [box.label, *map(str, box.options)]
    texts += [b.label for b in at.button]
    return texts


def _cells(frame) -> list[str]:
    return [v for column in frame.columns for v in frame[column] if isinstance(v, str)]


@pytest.fixture
def late_submission(editors):
    """虹桥's GDP for 2025 Q3 submitted today, long after its due date, and approved."""
    batch = _submit([["虹桥", 2025, "Q3", "GDP", 3_100_000, ""]])
    review.approve(batch, "boss")
    due = reporting.due_on(2025, "Q3", reference.indicator("gdp")["due"])
    return (date.today() - due).days


@pytest.mark.parametrize("page", PAGES)
def test_an_english_page_is_english_with_no_raw_value(late_submission, page):
    who = "hq" if page == "my_reports" else "boss"
    at = open_page(f"pages/{page}.py", auth.account(who), lang="en")
    assert not at.error, [e.value for e in at.error]
    allowed = _data_values()
    for text in _texts(at):
        assert not RAW.search(text), text
        assert not CODES.search(text), text
        for value in allowed:
            text = text.replace(value, "")
        assert not CJK.search(text), text
    for table in at.dataframe:
        frame, proto = table.value, table.proto
        assert proto.HasField("placeholder"), "a missing cell would read None"
        for column in frame.columns:
            assert not CJK.search(str(column)), column
        for cell in _cells(frame.drop(columns=[c for c in frame.columns if c.startswith("_")])):
            assert not RAW.search(cell), cell
            if proto.editing_mode == READ_ONLY:  # an entry grid shows what is stored
                assert not CODES.search(cell), cell
                for value in allowed:
                    cell = cell.replace(value, "")
                assert not CJK.search(cell), cell


def test_entry_grids_show_figures_as_stored_with_thousands_separators(late_submission):
    import json

    for page, who in (("my_reports", "hq"), ("targets", "boss")):
        at = open_page(f"pages/{page}.py", auth.account(who), lang="en")
        grids = [t for t in at.dataframe if t.proto.editing_mode != READ_ONLY]
        assert grids, page
        for grid in grids:
            config = json.loads(grid.proto.columns)
            numbers = [c for c in grid.value.columns if grid.value[c].dtype.kind == "f"]
            assert numbers
            for column in numbers:
                shown = config[column]["type_config"]["format"]
                assert shown == "%,g", (page, column, shown)  # every decimal, with separators
            assert grid.proto.placeholder == ""  # an empty cell to fill in, not None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_late_submission_shows_the_days_it_was_late(late_submission, lang):
    days = late_submission
    at = open_page("pages/reporting.py", lang=lang)
    at.selectbox(key="reporting_year").set_value(2025).run()
    at.selectbox(key="reporting_period").set_value("Q3").run()
    grid, items = at.dataframe[0].value, at.dataframe[1].value
    name = reference.scope("hongqiao")[f"name_{lang}"]
    row = grid.set_index(grid.columns[0]).loc[name]
    gdp = reference.indicator("gdp")[f"short_{lang}"]
    late = f"迟报{days}天" if lang == "zh" else f"{days} days late"
    assert row[gdp].endswith(late), row[gdp]
    assert row[gdp].startswith("✔")  # approved: in, and late
    mine = items[
        (items.iloc[:, 0] == name)
        & (items.iloc[:, 1] == reference.indicator("gdp")[f"name_{lang}"])
    ]
    late_column = "迟报天数" if lang == "zh" else "Days late"
    assert mine[late_column].tolist() == [days]
    # the other 街镇's illustrative figures came in with the built-in data: never late
    assert items[late_column].sum() == days
