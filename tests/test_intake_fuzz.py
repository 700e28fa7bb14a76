"""Property-based: whatever bytes or cells arrive, the reader answers with problems,
never an unhandled exception, and a rejected file writes nothing."""

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.intake import checks, files, loading
from indicators.store import db
from tests.intake_files import csv_bytes, xlsx_bytes

HEADERS = ["街镇", "年份", "期间", "指标", "数值", "单位", "分项", "状态", "截至日期"]
cells = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from(
        [
            "虹桥",
            "全区",
            "gdp",
            "Q3",
            "M13",
            "１２,３",
            "5%",
            "万吨标准煤",
            "合计",
            "2025年",
            "2025年6月30日",
            "正式",
            "-0",
            "1e400",
            "=SUM(A1)",
        ]
    ),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=len(HEADERS)), min_size=0, max_size=8)


def _read_and_check(data: bytes, name: str):
    raw = files.read_upload(data, name)
    return checks.check(raw)


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2048), name=st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a"]))
def test_random_bytes_never_raise(data, name):
    result = _read_and_check(data, name)
    assert not result.ok or len(result.frame) >= 0
    for problem in result.problems:
        assert checks.describe(problem, "zh") and checks.describe(problem, "en")


@settings(deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(body=rows, as_xlsx=st.booleans(), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_random_cells_never_raise(body, as_xlsx, encoding):
    table = [HEADERS, *body]
    if as_xlsx:
        data, name = xlsx_bytes([[_excel_safe(c) for c in row] for row in table]), "x.xlsx"
    else:
        data, name = csv_bytes(table, encoding), "x.csv"
    result = _read_and_check(data, name)
    for problem in result.problems:
        checks.describe(problem, "zh")


def _excel_safe(cell):
    if isinstance(cell, str):  # openpyxl refuses control characters a real file cannot hold
        return "".join(ch for ch in cell if ch.isprintable())
    if isinstance(cell, float) and (cell != cell or cell in (float("inf"), float("-inf"))):
        return str(cell)
    return cell


@pytest.fixture(scope="module")
def fuzz_db(builtin_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb"
    shutil.copy(builtin_db, path)
    return path


@settings(
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(body=rows)
def test_a_rejected_file_never_writes(fuzz_db, monkeypatch, body):
    monkeypatch.setenv("LOWCARBON_DB", str(fuzz_db))
    result = _read_and_check(csv_bytes([HEADERS, *body]), "x.csv")
    version = db.data_version()
    if result.ok:
        return  # a clean random file may load; the property is about rejected ones
    with pytest.raises(ValueError):
        loading.load(result, editor="fuzz", file_name="x.csv", data=b"")
    assert db.data_version() == version
