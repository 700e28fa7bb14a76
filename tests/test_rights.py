"""Who may write what: a 街镇-limited editor writes only rows whose 街镇 — before and after
the change — is theirs; district data (the budget) needs a district editor. Through the
CLI (`--editor`) and the same `loading.load` the upload page calls."""

from __future__ import annotations

import pytest

from tests.conftest import query
from tests.intake_files import csv_bytes
from tests.test_load import cli, snapshot


def _file(tmp_path, name: str, rows: list[list[object]]):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, "gbk"))
    return path


PROJECT = ["项目编号", "项目名称", "所属街镇", "年份", "支持金额（万元）"]
PV = ["站点编号", "站点名称", "所在街镇", "装机容量（千瓦）", "并网日期"]
READINGS = ["楼宇编号", "楼宇名称", "街镇", "时间", "能源品种", "用量", "单位"]


@pytest.mark.parametrize(
    ("name", "theirs", "taken"),
    [
        (
            "project.csv",
            [PROJECT, ["X-1", "某楼改造", "新泾镇", 2025, 30]],
            [PROJECT, ["X-1", "某楼改造", "虹桥", 2025, 30]],
        ),
        (
            "pv.csv",
            [PV, ["PV-X", "某屋顶", "新泾镇", 100, "2025-06-30"]],
            [PV, ["PV-X", "某屋顶", "虹桥", 100, "2025-06-30"]],
        ),
        (
            "readings.csv",
            [READINGS, ["B-X", "某楼", "新泾镇", "2025-03-01 00:00", "电力", 50, "kWh"]],
            [READINGS, ["B-X", "某楼", "虹桥", "2025-03-01 01:00", "电力", 50, "kWh"]],
        ),
    ],
)
def test_a_limited_editor_cannot_take_another_streets_row_by_its_id(
    editors, tmp_path, name, theirs, taken
):
    assert cli("load", str(_file(tmp_path, name, theirs)), "--editor", "boss").returncode == 0
    before = snapshot(editors)
    res = cli("load", str(_file(tmp_path, "taken_" + name, taken)), "--editor", "hq")
    assert res.returncode == 2, res.stdout
    assert "现属 新泾镇，不在您的可编辑范围内" in res.stderr
    assert snapshot(editors) == before
    # With --replace too: the rule is about rights, not conflicts.
    res = cli("load", str(_file(tmp_path, "again_" + name, taken)), "--editor", "hq", "--replace")
    assert res.returncode == 2 and snapshot(editors) == before
    assert (
        cli(
            "load", str(_file(tmp_path, "b_" + name, taken)), "--editor", "boss", "--replace"
        ).returncode
        == 0
    )  # a district editor may move it


def test_district_data_needs_a_district_editor(editors, tmp_path):
    budget = _file(tmp_path, "预算.csv", [["年份", "项目", "金额"], [2033, "节能专项", 100]])
    before = snapshot(editors)
    res = cli("load", str(budget), "--editor", "hq")
    assert res.returncode == 2 and "只有区级编辑账号可以载入" in res.stderr
    assert snapshot(editors) == before
    assert cli("load", str(budget), "--editor", "boss").returncode == 0


def test_a_limited_editors_own_street_still_loads(editors, tmp_path):
    own = _file(tmp_path, "own.csv", [PROJECT, ["H-1", "虹桥某楼", "虹桥", 2025, 12]])
    assert cli("load", str(own), "--editor", "hq").returncode == 0


def test_a_broken_accounts_file_is_never_rewritten(tmp_path, monkeypatch):
    accounts = tmp_path / "accounts.json"
    monkeypatch.setenv("LOWCARBON_AUTH", str(accounts))
    assert cli("user", "add", "a", "--password-stdin", stdin="pass-w0rd\n").returncode == 0
    assert cli("user", "add", "b", "--password-stdin", stdin="pass-w0rd\n").returncode == 0
    broken = accounts.read_text().rstrip().rstrip("}") + ",}"  # one trailing comma
    accounts.write_text(broken)
    for args in (("add", "c", "--password-stdin"), ("remove", "a")):
        res = cli("user", *args, stdin="pass-w0rd\n")
        assert res.returncode == 2 and "无法解析" in res.stderr
        assert accounts.read_text() == broken  # every account still there, to mend by hand


def test_the_cli_records_the_operating_system_user_beside_the_named_editor(editors, tmp_path):
    from indicators import auth

    own = _file(tmp_path, "own.csv", [PROJECT, ["H-2", "虹桥某楼", "虹桥", 2025, 12]])
    assert cli("load", str(own), "--editor", "hq").returncode == 0
    (row,) = query(
        editors, "select editor, os_user from load_batches order by batch_id desc limit 1"
    )
    assert row == ("hq", auth.os_user())
    assert "os_user" in cli("history").stdout


def test_a_limited_editor_may_not_replace_the_boundaries_from_the_cli(editors, tmp_path):
    before = snapshot(editors)
    res = cli("boundaries", str(tmp_path / "any.geojson"), "--source", "x", "--editor", "hq")
    assert res.returncode == 2 and "只有全区编辑账号" in res.stderr
    assert snapshot(editors) == before


def test_a_limited_editor_may_not_roll_back_what_restores_another_streets_row(editors, tmp_path):
    from indicators.intake import loading

    mine = [PROJECT, ["X-9", "某楼", "新泾镇", 2025, 30]]
    assert cli("load", str(_file(tmp_path, "a.csv", mine)), "--editor", "boss").returncode == 0
    moved = [PROJECT, ["X-9", "某楼", "虹桥", 2025, 30]]
    done = cli("load", str(_file(tmp_path, "b.csv", moved)), "--editor", "boss", "--replace")
    assert done.returncode == 0
    batch = int(loading.batches()["batch_id"].max())
    # Undoing it would put 新泾镇's row back: not for a 虹桥 editor.
    with pytest.raises(loading.RollbackRefused):
        loading.rollback(batch, "hq", {"hongqiao"})


def test_a_limited_editors_unreadable_file_is_said_not_a_traceback(editors, tmp_path):
    path = tmp_path / "figures.doc"
    path.write_text("a,b\n", encoding="utf-8")
    res = cli("load", str(path), "--editor", "hq")
    assert res.returncode == 2 and ".doc" in res.stderr and "Traceback" not in res.stderr


# -- Targets are the district's: the 街镇 being judged never sets its own bar ----------


def _own_target_rows(editors) -> list[list[object]]:
    (year,) = query(editors, "select max(year) from targets")[0]
    return [
        ["指标", "街镇", "年份", "期间", "目标值"],
        ["单位GDP能耗下降率", "虹桥", year, "", 1],  # its own annual target, 3 → 1
        ["光伏新增装机容量", "虹桥", year, "Q3", 1],  # its own plan to date
    ]


def test_a_street_editor_cannot_set_its_own_target_or_plan(editors, tmp_path):
    own = _file(tmp_path, "targets.csv", _own_target_rows(editors))
    before = snapshot(editors)
    for extra in ([], ["--replace"], ["--replace", "--accept"]):
        res = cli("load", str(own), "--kind", "targets", "--editor", "hq", *extra)
        assert res.returncode == 2, res.stdout
        # each row is named, and why
        assert "第2行" in res.stderr and "第3行" in res.stderr
        assert "由区级编辑设定" in res.stderr
    assert snapshot(editors) == before
    assert (
        cli("load", str(own), "--kind", "targets", "--editor", "boss", "--replace").returncode == 0
    )


def test_an_editor_name_that_spells_an_account_another_way_is_asked_not_taken_as_district(
    editors, tmp_path
):
    """' hq' is no account, and an unknown name is the operator's word with no 街镇 limits:
    a 街镇 account mistyped by a space, full width, case or an invisible mark would set its
    own target. Every spelling on load, one on each other command that takes --editor."""
    own = _file(tmp_path, "targets.csv", _own_target_rows(editors))
    before = snapshot(editors)
    load = ["load", str(own), "--kind", "targets", "--replace", "--accept"]
    runs = [(load, spelled) for spelled in (" hq", "hq\u3000", "ＨＱ", "Hq", "h\u200bq")]
    runs += [
        (["rollback", "1"], " hq"),
        (["review", "1", "--approve"], "ＨＱ"),
        (["recipe", "remove", "x"], "Hq"),
        (["boundaries", str(own), "--source", "x"], "hq\u3000"),
    ]
    for command, spelled in runs:
        res = cli(*command, "--editor", spelled)
        assert res.returncode == 2, (command, spelled, res.stdout, res.stderr)
        assert "不是账号" in res.stderr and "“hq”" in res.stderr, (command, res.stderr)
    assert snapshot(editors) == before
    other = cli("load", str(own), "--kind", "targets", "--editor", "王科长", "--replace")
    assert other.returncode == 0, other.stderr  # a name close to no account: as before


def test_a_street_editor_cannot_roll_back_the_districts_targets(editors, tmp_path):
    """Rolling back the district's change to 虹桥's own target would restore the old bar."""
    own = _file(tmp_path, "targets.csv", _own_target_rows(editors))
    res = cli("load", str(own), "--kind", "targets", "--editor", "boss", "--replace")
    assert res.returncode == 0, res.stderr
    (batch,) = query(editors, "select max(batch_id) from load_batches")[0]
    before = snapshot(editors)
    res = cli("rollback", str(batch), "--editor", "hq")
    assert res.returncode != 0 and "只有区级编辑可以撤销" in res.stderr
    assert snapshot(editors) == before
    assert cli("rollback", str(batch), "--editor", "boss").returncode == 0


def test_the_target_grid_is_refused_for_a_street_editor_on_the_server(editors):
    """The page hides the grid's save from a 街镇 editor; the load it calls refuses too."""
    from indicators.intake import checks, files

    (year,) = query(editors, "select max(year) from targets")[0]
    entries = __import__("pandas").DataFrame(
        {
            "indicator_id": ["energy_per_gdp_change"],
            "scope_code": ["hongqiao"],
            "year": [year],
            "target_value": [1.0],
        }
    )
    raw = files.read_upload(files.form_csv("targets", entries), "grid.csv", kind="targets")
    checked = checks.check(raw, allowed_scopes={"hongqiao"})
    assert [p.key for p in checked.problems] == ["district_only_targets"]
    assert checked.problems[0].row == 2


def test_a_street_editor_cannot_roll_back_its_public_figures(editors, tmp_path):
    """The district loaded (or approved) 虹桥's figure: undoing it would change a public
    figure with no review, so only a district editor may."""
    from indicators.intake import loading

    (year,) = query(editors, "select max(year) + 1 from observations")[0]
    rows = [["街镇", "指标", "年份", "期间", "数值"], ["虹桥", "能源消费总量", year, "Y", 5]]
    path = _file(tmp_path, "figures.csv", rows)
    assert cli("load", str(path), "--editor", "boss", "--accept").returncode == 0
    batch = int(loading.batches()["batch_id"].max())
    before = snapshot(editors)
    with pytest.raises(loading.RollbackRefused) as refused:
        loading.rollback(batch, "hq", {"hongqiao"})
    assert refused.value.key == "public_figures_batch"
    assert snapshot(editors) == before
    loading.rollback(batch, "boss", None)
