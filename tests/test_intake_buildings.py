"""Meter exports that name buildings only (楼宇名称 | 时间 | 用量(kWh), no 街镇): each
building's 街镇 comes from the buildings register; a building it does not know is listed
and asked once (the CLI exits 4; --buildings FILE, or the upload page's selects, place it),
then remembered. A 街镇 is never guessed from a building's name."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from indicators import auth
from indicators.builtin import install
from indicators.intake import checks, files
from tests.conftest import ROOT, query
from tests.intake_files import csv_bytes, xlsx_bytes
from tests.test_load import cli
from tests.test_readings import ELECTRICITY, building_energy, load

EXPORT = ["楼宇名称", "时间", "用量(kWh)"]
# 东虹桥中心 is in 程家桥, whatever its name says; 甲楼 is in 虹桥.
ROWS = [
    ["东虹桥中心", "2025-01-01 00:00", 100],
    ["东虹桥中心", "2025-01-01 01:00", 300],
    ["甲楼", "2025-01-01 00:00", 50],
]
PLACES = [["楼宇名称", "街镇"], ["东虹桥中心", "程家桥"], ["甲楼", "虹桥街道"]]


@pytest.fixture
def accounts(editors):
    """hq edits 虹桥 only, boss the district; no illustrative readings, so sums are known."""
    install.remove_demo()
    return editors


def _write(tmp_path, name: str, rows, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows, encoding))
    return str(path)


def _street_tce(street: str) -> float | None:
    """The street's January building energy as `show` prints it."""
    done = cli("show", "building_energy", "--street", street, "--year", "2025", "--period",
               "M01", "--format", "csv")  # fmt: skip
    if done.returncode == 1:
        return None
    assert done.returncode == 0, done.stderr
    header, row = done.stdout.splitlines()[:2]
    return float(dict(zip(header.split(","), row.split(","), strict=True))["value"])


def _tce(code: str) -> float | None:
    """The same in-process (a command line costs seconds)."""
    row = building_energy(code)
    return None if row is None else row["value"]


def _state(path) -> list:
    return [
        query(path, "select * from buildings where not is_demo order by all"),
        query(path, "select count(*) from energy_readings"),
        query(path, "select count(*) from load_batches"),
    ]


def test_unknown_buildings_are_listed_with_their_rows_and_nothing_loads(accounts, tmp_path):
    path = _write(tmp_path, "bms.csv", [EXPORT, *ROWS], "gbk")
    before = _state(accounts)
    done = cli("load", path, "--editor", "boss")
    assert done.returncode == 4, done.stderr
    assert "东虹桥中心，2行" in done.stderr and "甲楼，1行" in done.stderr
    assert "--buildings" in done.stderr and "楼宇名称,街镇" in done.stderr
    assert _state(accounts) == before
    english = cli("load", path, "--editor", "boss", "--lang", "en")
    assert english.returncode == 4
    assert "东虹桥中心, 2 rows" in english.stderr and "--buildings FILE" in english.stderr
    assert "not in the buildings register" in english.stderr


def test_east_hongqiao_centre_is_never_placed_in_hongqiao_by_its_name(accounts):
    data = csv_bytes([EXPORT, *ROWS[:2]])
    checked = checks.check(files.read_upload(data, "bms.csv"))
    assert checked.unknown_buildings == [("东虹桥中心", 2)]
    assert checked.frame.empty and not checked.ok
    assert {p.key for p in checked.problems} == {"building_unknown"}


def test_buildings_file_places_them_and_the_next_file_asks_nothing(accounts, tmp_path):
    export = _write(tmp_path, "bms.csv", [EXPORT, *ROWS], "gbk")
    places = _write(tmp_path, "楼宇.csv", PLACES, "gbk")
    done = cli("load", export, "--buildings", places, "--editor", "boss")
    assert done.returncode == 0, done.stderr
    assert "已登记 2 座楼宇" in done.stdout
    assert _street_tce("程家桥") == pytest.approx(round(400 * ELECTRICITY / 1000, 6))
    assert _street_tce("虹桥") == pytest.approx(round(50 * ELECTRICITY / 1000, 6))
    registered = query(
        accounts, "select name, scope_code from buildings where not is_demo order by name"
    )
    assert registered == [("东虹桥中心", "chengjiaqiao"), ("甲楼", "hongqiao")]
    # The next export of the same buildings (an .xlsx, a name with a space): no question.
    later = [EXPORT, ["东虹桥中心 ", "2025-01-02 00:00", 600], ["甲 楼", "2025-01-02 00:00", 50]]
    again = cli("load", _write(tmp_path, "bms2.xlsx", later), "--editor", "boss")
    assert again.returncode == 0, again.stderr
    assert _tce("chengjiaqiao") == pytest.approx(1000 * ELECTRICITY / 1000)
    assert _tce("hongqiao") == pytest.approx(100 * ELECTRICITY / 1000)
    assert query(accounts, "select count(*) from buildings where not is_demo") == [(2,)]


def test_english_headers_in_the_buildings_file(accounts, tmp_path):
    export = _write(tmp_path, "bms.csv", [EXPORT, *ROWS[:2]])
    places = _write(tmp_path, "b.csv", [["building", "street"], ["东虹桥中心", "Chengjiaqiao"]])
    done = cli("load", export, "--buildings", places, "--editor", "boss")
    assert done.returncode == 0, done.stderr
    assert _tce("chengjiaqiao") == pytest.approx(400 * ELECTRICITY / 1000)
    assert _tce("hongqiao") is None


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        ([["楼宇名称", "街镇"], ["东虹桥中心", "外滩"]], "第2行，“街镇”列，值“外滩”：未知街镇"),
        (
            [
                ["楼宇名称", "街镇"],
                ["东虹桥中心", "程家桥"],
                ["甲楼", "虹桥"],
                ["东虹桥中心", "虹桥"],
            ],
            "第4行，“街镇”列，值“虹桥”：同一楼宇在第2行填为另一街镇",
        ),
        ([["楼宇名称"], ["东虹桥中心"]], "缺少必填列“街镇”"),
        ([["楼宇名称", "街镇", "备注"], ["东虹桥中心", "程家桥", ""]], "“备注”列"),
        ([["楼宇名称", "街镇"], ["东虹桥中心", "双桥双新泾"]], "不能是合计或全区"),
        ([["楼宇名称", "街镇"], ["", "程家桥"]], "第2行，“楼宇名称”列，值“”：必填"),
    ],
    ids=["unknown_street", "two_streets", "missing_column", "extra_column", "group", "no_name"],
)
def test_a_bad_buildings_file_is_refused_saying_where_and_nothing_changes(
    accounts, tmp_path, rows, said
):
    export = _write(tmp_path, "bms.csv", [EXPORT, *ROWS])
    before = _state(accounts)
    done = cli("load", export, "--buildings", _write(tmp_path, "b.csv", rows), "--editor", "boss")
    assert done.returncode == 2
    assert "楼宇表有" in done.stderr and said in done.stderr, done.stderr
    assert _state(accounts) == before


def test_a_building_the_register_has_elsewhere_is_refused_naming_both(accounts, tmp_path):
    export = _write(tmp_path, "bms.csv", [EXPORT, *ROWS[:2]])
    first = _write(tmp_path, "b1.csv", PLACES[:2])
    assert cli("load", export, "--buildings", first, "--editor", "boss").returncode == 0
    before = _state(accounts)
    moved = _write(tmp_path, "b2.csv", [PLACES[0], ["东虹桥中心", "虹桥"]])
    done = cli("load", export, "--buildings", moved, "--editor", "boss")
    assert done.returncode == 2
    assert "楼宇“东虹桥中心”已登记在程家桥街道" in done.stderr and "值“虹桥街道”" in done.stderr
    assert _state(accounts) == before


def test_a_street_editor_places_buildings_only_in_their_own_street(accounts, tmp_path):
    # Readings of 虹桥's 甲楼 only: the buildings file's own rows are checked, each of them.
    own = _write(tmp_path, "own.csv", [EXPORT, ROWS[2]])
    before = _state(accounts)
    elsewhere = cli("load", own, "--buildings", _write(tmp_path, "b.csv", PLACES),
                    "--editor", "hq")  # fmt: skip
    assert elsewhere.returncode == 2
    assert "楼宇表有 1 处问题" in elsewhere.stderr
    assert "第2行，“街镇”列，值“程家桥街道”：您的账号无权修改该街镇的数据" in elsewhere.stderr
    assert _state(accounts) == before
    mine = _write(tmp_path, "mine.csv", [PLACES[0], PLACES[2]])
    done = cli("load", own, "--buildings", mine, "--editor", "hq")
    assert done.returncode == 0, done.stderr
    assert _tce("hongqiao") == pytest.approx(50 * ELECTRICITY / 1000)


def test_a_name_the_register_has_in_two_streets_is_asked_not_chosen(accounts, tmp_path):
    for street in ("虹桥", "程家桥"):  # two buildings of one name, each with its 街镇
        rows = [["楼宇名称", "街镇", *EXPORT[1:]], ["综合楼", street, "2025-01-01 00:00", 10]]
        load(csv_bytes(rows))
    done = cli("load", _write(tmp_path, "bms.csv", [EXPORT, ["综合楼", "2025-01-01 01:00", 5]]),
               "--editor", "boss")  # fmt: skip
    assert done.returncode == 2
    assert "楼宇“综合楼”（1行）在楼宇登记中属于不止一个街镇" in done.stderr


def _upload_page(editor: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    at.session_state["_editor"] = auth.account(editor)
    at.switch_page("pages/data_upload.py").run()
    data = csv_bytes([EXPORT, *ROWS])
    at.file_uploader(key="upload_file").set_value(("bms.csv", data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _building_selects(at):
    return [s for s in at.selectbox if "_building_" in (s.key or "")]


def test_the_upload_page_asks_each_buildings_street_then_registers_and_loads(accounts):
    at = _upload_page("boss")
    selects = _building_selects(at)
    assert [s.label for s in selects] == ["“东虹桥中心”（2行）所在街镇", "“甲楼”（1行）所在街镇"]
    assert all(s.value is None for s in selects)  # no default: the official chooses
    assert "upload_load" not in {b.key for b in at.button}
    selects[0].set_value("chengjiaqiao").run()
    assert "upload_load" not in {b.key for b in at.button}  # 甲楼 still unplaced
    _building_selects(at)[1].set_value("hongqiao").run()
    at.button(key="upload_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("已登记 2 座楼宇" in s.value for s in at.success)
    registered = query(
        accounts, "select name, scope_code from buildings where not is_demo order by name"
    )
    assert registered == [("东虹桥中心", "chengjiaqiao"), ("甲楼", "hongqiao")]
    assert _tce("chengjiaqiao") == pytest.approx(400 * ELECTRICITY / 1000)


def test_a_street_editor_is_offered_only_their_own_street(accounts):
    at = _upload_page("hq")
    assert all(s.options == ["虹桥街道"] for s in _building_selects(at))


def test_a_building_the_register_has_by_id_keeps_its_id(accounts):
    # 甲楼 loaded once with its id and 街镇; its name-only export (an empty id column too)
    # goes under the same building, not a second one the same hours would count twice.
    load(
        csv_bytes(
            [["楼宇编号", "楼宇名称", "街镇", *EXPORT[1:]], ["B0001", "甲楼", "虹桥", *ROWS[2][1:]]]
        )
    )
    data = csv_bytes([["楼宇编号", *EXPORT], ["", "甲楼", "2025-01-01 01:00", 70]])
    checked = checks.check(files.read_upload(data, "bms.csv"))
    assert checked.ok, [checks.describe(p, "zh") for p in checked.problems]
    assert checked.frame[["building_id", "scope_code"]].values.tolist() == [["B0001", "hongqiao"]]


def test_a_workbook_given_as_the_buildings_file_is_refused_as_not_a_csv(accounts, tmp_path):
    export = _write(tmp_path, "bms.csv", [EXPORT, *ROWS])
    done = cli(
        "load", export, "--buildings", _write(tmp_path, "b.xlsx", PLACES), "--editor", "boss"
    )
    assert done.returncode == 2
    assert "这不是文本文件" in done.stderr


def test_the_register_batch_rolls_back_only_after_the_readings_that_use_it(accounts):
    from indicators.intake import buildings, loading

    placing, problems = buildings.read_file(csv_bytes(PLACES))
    assert problems == []
    batch, n = buildings.save(placing, editor="boss", file_name="b.csv", data=b"",
                              allowed_scopes=None, column="")  # fmt: skip
    assert n == 2
    data = csv_bytes([EXPORT, *ROWS])
    checked = checks.check(files.read_upload(data, "bms.csv"))
    readings_batch = loading.load(checked, editor="boss", file_name="bms.csv", data=data).batch_id
    with pytest.raises(loading.RollbackRefused):  # its readings would lose their 街镇
        loading.rollback(batch, "boss")
    loading.rollback(readings_batch, "boss")
    loading.rollback(batch, "boss")
    assert query(accounts, "select count(*) from buildings where not is_demo") == [(0,)]
