"""A reading recipe belongs to whoever saved it, applies only where its saver may write,
and never overrides what the file itself states (issue 22). Through the CLI, on the
built-in database's own figures, so a right reading is an unchanged load."""

from __future__ import annotations

import pytest

from indicators import auth
from indicators.intake import files, recipes
from tests.conftest import query
from tests.intake_files import xlsx_bytes
from tests.test_load import cli, snapshot

NAME = "分街镇能源消费量"  # the name the upload page proposes for the template


def _figures(db) -> dict[str, float]:
    """虹桥 and 新泾镇's energy use in 2025 Q3 as the built-in data has them."""
    rows = query(
        db,
        "select scope_code, value from observations where indicator_id = 'energy_total'"
        " and year = 2025 and period = 'Q3' and scope_code in ('hongqiao', 'xinjing')",
    )
    return dict(rows)


def _wide(db, path, title="2025年1-9月分街镇能源消费量", header="能源消费量", unit_row=None):
    """The district's wide template: a title, maybe a unit row, 街镇 | figure."""
    figures = _figures(db)
    rows = [[title, None]]
    if unit_row:
        rows.append([unit_row, None])
    rows += [
        ["街镇", header],
        ["虹桥街道", figures["hongqiao"]],
        ["新泾镇", figures["xinjing"]],
    ]
    path.write_bytes(xlsx_bytes(rows))
    return path


def _save_as(path, name: str, editor: str, unit: str | None) -> None:
    """A recipe saved as the upload page saves it, with `unit` chosen for the figure."""
    reading = files.read_upload(path.read_bytes(), path.name).reading
    for col in reading.loaded():
        col.unit = unit
    recipes.save(name, reading, editor, auth.account(editor).allowed_scopes())


@pytest.fixture
def district_recipe(editors, tmp_path):
    """The district's recipe for its template, saved by a district editor's load."""
    first = _wide(editors, tmp_path / "9月.xlsx")
    done = cli("load", str(first), "--editor", "boss", "--accept", "--save-recipe", NAME)
    assert done.returncode == 0, done.stderr
    return first


def test_a_street_editor_cannot_save_over_the_districts_recipe(editors, district_recipe):
    kept = recipes.named(NAME)
    with pytest.raises(recipes.RecipeRefused) as refused:
        _save_as(district_recipe, NAME, "hq", "万吨标准煤")
    assert refused.value.key == "recipe_taken" and refused.value.params["by"] == "boss"
    assert refused.value.params["suggest"] not in ("", NAME)
    assert recipes.named(NAME) == kept
    before = snapshot(editors)
    res = cli("load", str(district_recipe), "--editor", "hq", "--save-recipe", NAME)
    assert res.returncode == 2 and "由 boss 保存，不能覆盖" in res.stderr
    assert snapshot(editors) == before  # refused before anything loaded


def test_a_street_editors_recipe_never_reads_the_districts_files(
    editors, district_recipe, tmp_path
):
    """The poisoning: 虹桥's recipe for the district's template, read in 万吨标准煤, saved
    after the district's. The district's next file is still read by the district's."""
    _save_as(district_recipe, "虹桥读法", "hq", "万吨标准煤")
    auth.add_user("xj", "pass-w0rd", ["xinjing"])
    nxt, written = _wide(editors, tmp_path / "10月.xlsx"), _figures(editors)
    res = cli("load", str(nxt), "--editor", "boss")
    assert res.returncode == 0, res.stderr
    assert f"按读取模板“{NAME}”读取（boss 于" in res.stdout and "适用于：全区各账号" in res.stdout
    assert "虹桥读法" not in res.stdout + res.stderr
    assert _figures(editors) == written  # read as written, not ×10,000
    # another 街镇's editor is read by the district's too; 虹桥's own editor by its own
    other = cli("load", str(nxt), "--editor", "xj", "--dry-run")
    assert f"“{NAME}”" in other.stdout and "虹桥读法" not in other.stdout
    own = cli("load", str(nxt), "--editor", "hq", "--dry-run")
    assert "“虹桥读法”" in own.stdout and "适用于：虹桥街道" in own.stdout
    # and a named recipe that is not theirs is refused
    used = cli("load", str(nxt), "--editor", "boss", "--recipe", "虹桥读法")
    assert used.returncode == 2 and "不适用于您的账号" in used.stderr


@pytest.mark.parametrize(
    ("title", "unit_row", "header"),
    [
        ("2025年1-9月分街镇能源消费量", "单位：吨标准煤", "能源消费量"),  # a unit row
        ("2025年1-9月分街镇能源消费量（单位：吨标准煤）", None, "能源消费量"),  # the title
        ("2025年1-9月分街镇能源消费量", None, "能源消费量（吨标准煤）"),  # the header
    ],
)
def test_a_recipe_never_overrides_the_unit_the_file_states(
    editors, tmp_path, title, unit_row, header
):
    path = _wide(editors, tmp_path / "f.xlsx", title, header, unit_row)
    _save_as(path, "万吨读法", "boss", "万吨标准煤")
    before = snapshot(editors)
    asked = cli("load", str(path), "--editor", "boss")
    assert asked.returncode == 4, asked.stdout + asked.stderr
    assert "与文件本身写明的内容不一致" in asked.stderr
    assert "文件写明单位 吨标准煤，模板为 万吨标准煤" in asked.stderr
    assert snapshot(editors) == before
    # confirmed, it reads the file's own unit: the figures are the ones already loaded
    written = _figures(editors)
    done = cli("load", str(path), "--editor", "boss", "--accept")
    assert done.returncode == 0, done.stderr
    assert _figures(editors) == written


def test_a_recipe_applies_where_the_file_states_no_unit(editors, tmp_path):
    """Where the file is silent, the saver's choice is the reading (the recipe's use)."""
    path = _wide(editors, tmp_path / "f.xlsx")
    _save_as(path, "吨读法", "boss", "吨标准煤")
    res = cli("load", str(path), "--editor", "boss")
    assert res.returncode == 0 and "“吨读法”" in res.stdout


BAD_NAMES = ["../../etc/x", "a/b", "a\\b", "tab\there", "x\u2028y", "", "长" * 81, ".."]
# names that read other than they are: a bidirectional override, a zero-width space
BAD_NAMES += ["\u202e模板", "虹桥\u200b读法", "a\u2066b"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_recipe_name_is_a_name(name):
    with pytest.raises(recipes.RecipeRefused) as refused:
        recipes.check_name(name)
    assert refused.value.key == "recipe_bad_name"
    assert recipes.check_name("长" * 80) == "长" * 80


def test_the_command_line_refuses_a_path_for_a_recipe_name_before_loading(work_db, tmp_path):
    path = _wide(work_db, tmp_path / "f.xlsx")
    before = snapshot(work_db)
    res = cli("load", str(path), "--accept", "--save-recipe", "../../etc/x")
    assert res.returncode == 2 and "不可用" in res.stderr
    assert snapshot(work_db) == before and recipes.listing().empty


def test_only_its_saver_or_a_district_editor_removes_a_recipe(editors, district_recipe):
    _save_as(district_recipe, "虹桥读法", "hq", None)
    res = cli("recipe", "remove", NAME, "--editor", "hq")
    assert res.returncode == 2 and recipes.named(NAME) is not None
    assert cli("recipe", "remove", "虹桥读法", "--editor", "hq").returncode == 0
    assert cli("recipe", "remove", NAME, "--editor", "boss").returncode == 0
    assert recipes.listing().empty


def test_a_recipe_saved_before_owners_were_kept_is_judged_by_its_savers_account(editors, tmp_path):
    path = _wide(editors, tmp_path / "f.xlsx")
    _save_as(path, "旧模板", "hq", "万吨标准煤")
    from indicators.store import db

    db.write(lambda con: con.execute("update recipes set scopes = null"), mart=False)
    row = recipes.named("旧模板")
    assert not recipes.applies(row, None) and recipes.applies(row, {"hongqiao"})


def test_a_recipe_never_reads_away_the_files_own_columns_of_units_years_or_periods():
    from indicators.intake.layout import Column, Reading

    proposal = Reading(
        "observations",
        [2],
        0,
        "街镇",
        [Column(1, "计量单位", role="unit"), Column(2, "能源消费量", indicator="energy_total")],
    )
    applied = Reading.from_dict(proposal.to_dict())
    applied.columns[1].unit = "万吨标准煤"
    (unit,) = recipes.disagreements(proposal, applied)
    assert (unit["letter"], unit["kind"], unit["file"]) == ("C", "unit", "")
    applied = Reading.from_dict(proposal.to_dict())
    applied.columns[0].role = "unused"
    (role,) = recipes.disagreements(proposal, applied)
    assert (role["letter"], role["kind"], role["file"]) == ("B", "role", "unit")
    assert recipes.disagreements(proposal, Reading.from_dict(proposal.to_dict())) == []


def _reading_editor_page(path: str, editor: str) -> None:
    """The upload page's reading editor on one file, as `editor` would see it."""
    from pathlib import Path

    from indicators.intake import files
    from indicators.views import data

    reading = files.read_upload(Path(path).read_bytes(), "f.xlsx").reading
    data.reading_editor(reading, "zh", "k", editor)


def test_the_upload_page_proposes_a_free_name_and_refuses_anothers(editors, district_recipe):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_reading_editor_page, args=(str(district_recipe), "hq"))
    at.run(timeout=60)
    name = at.text_input(key="k_name")
    assert name.value != NAME and name.value.startswith(NAME) and not at.error
    name.set_value(NAME).run(timeout=60)
    assert "由 boss 保存，不能覆盖" in at.error[0].value
    assert not at.exception


def test_a_recipe_never_moves_a_year_the_header_states():
    from indicators.intake.layout import Column, Reading

    proposal = Reading(
        "observations",
        [2],
        0,
        "街镇",
        [
            Column(1, "2025年", indicator="energy_total", year=2025),
            Column(2, "上年同期", indicator="energy_total", previous=True),
            Column(3, "能源消费量", indicator="energy_total"),  # silent: the recipe's choice
        ],
    )
    applied = Reading.from_dict(proposal.to_dict())
    for col in applied.columns:
        col.previous = not col.previous
    found = recipes.disagreements(proposal, applied)
    assert [(d["letter"], d["kind"]) for d in found] == [("B", "year"), ("C", "year")]


def test_the_load_report_says_who_left_a_column_out(editors, tmp_path):
    """A column the recipe's saver chose not to read is said, with who chose it."""
    figures = _figures(editors)
    rows = [
        ["2025年1-9月分街镇能源消费量", None, None],
        ["街镇", "能源消费量", "备注说明"],
        ["虹桥街道", figures["hongqiao"], "甲"],
        ["新泾镇", figures["xinjing"], "乙"],
    ]
    path = tmp_path / "f.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    reading = files.read_upload(path.read_bytes(), path.name).reading
    for col in reading.columns:
        if col.header == "备注说明":
            col.role, col.reason = "unused", "chosen"  # as the page's 不读取 sets it
    recipes.save("带备注", reading, "boss", None)
    res = cli("load", str(path), "--editor", "boss", "--dry-run")
    assert res.returncode == 0, res.stderr
    assert "“备注说明” → 不读取（读取模板“带备注”的保存者 boss 选择不读取）" in res.stdout


def test_a_recipe_file_leaves_a_column_out_and_is_refused_where_it_does_not_fit(editors, tmp_path):
    """The CLI's 不读取: a column no indicator matches sinks the file until a recipe file
    says to skip it; a recipe file naming a column the file has not, or overriding a unit
    the file states, is refused with why and loads nothing."""
    figures = _figures(editors)
    rows = [
        ["2025年1-9月分街镇能源消费量", None, None],
        ["街镇", "能源消费量（吨标准煤）", "备注说明"],
        ["虹桥街道", figures["hongqiao"], "甲"],
        ["新泾镇", figures["xinjing"], "乙"],
    ]
    path = tmp_path / "f.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    before = snapshot(editors)
    sunk = cli("load", str(path), "--editor", "boss", "--accept")
    assert sunk.returncode == 2 and "未能对应到指标" in sunk.stderr
    recipe = tmp_path / "r.yaml"
    for text, why in [
        ("columns:\n  Z: skip\n", "列“Z”在此文件中不存在"),
        (
            "columns:\n  B: {unit: 万吨标准煤}\n  C: skip\n",
            "文件写明单位 吨标准煤，模板为 万吨标准煤",
        ),
        ("columns:\n  B: {indicator: 无此指标}\n", "不在指标目录中"),
        ("colums: {}\n", "未知的键"),
        ("columns: [\n", "不是有效的 YAML"),
    ]:
        recipe.write_text(text, encoding="utf-8")
        res = cli("load", str(path), "--editor", "boss", "--recipe-file", str(recipe))
        assert res.returncode == 2 and why in res.stderr, (text, res.stderr)
    assert snapshot(editors) == before
    recipe.write_text("columns:\n  备注说明: 不读取\n", encoding="utf-8")
    done = cli("load", str(path), "--editor", "boss", "--recipe-file", str(recipe))
    assert done.returncode == 0, done.stderr
    assert "按读取模板文件“r.yaml”读取" in done.stdout
    assert "“备注说明” → 不读取（读取模板“r.yaml”的保存者 boss 选择不读取）" in done.stdout
    assert _figures(editors) == figures
