"""The data pages: editors only, a 街镇-limited editor only for their 街镇."""

import pytest
from streamlit.testing.v1 import AppTest

from indicators import auth
from indicators.intake import loading
from tests.conftest import ROOT, query
from tests.intake_files import load_rows

DATA_PAGES = ["pages/data_upload.py", "pages/data_history.py"]


def open_page(page, editor=None, lang="zh"):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    if editor is not None:
        at.session_state["_editor"] = editor
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def submit_sign_in(at, name, password):
    """Type a name and password on the sign-in page and press 登录."""
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    at.button[0].click().run()
    return at


def data_actions(at):
    """Everything on a page that could change data."""
    uploads = at.get("file_uploader")
    buttons = [b for b in at.button if b.key in ("upload_load", "rollback")]
    return list(uploads) + buttons


@pytest.fixture
def accounts(tmp_path, monkeypatch):
    monkeypatch.setenv("LOWCARBON_AUTH", str(tmp_path / "accounts.json"))
    auth.add_user("district", "district-pass")
    auth.add_user("hq", "hongqiao-pass", ["hongqiao"])


@pytest.mark.parametrize("page", DATA_PAGES)
def test_without_accounts_editing_is_off_and_says_how(page, monkeypatch):
    monkeypatch.delenv("LOWCARBON_AUTH", raising=False)
    at = open_page(page)
    assert any("LOWCARBON_AUTH" in i.value for i in at.info)
    assert data_actions(at) == []


@pytest.mark.parametrize("page", DATA_PAGES)
def test_a_session_not_signed_in_reaches_no_data_action(page, accounts):
    at = open_page(page)
    assert any("登录" in w.value for w in [*at.warning, *at.info])
    assert data_actions(at) == []


def test_a_reader_sees_who_loaded_what_and_when_but_no_rollback(accounts, work_db):
    batch = load_rows([["街镇", "年份", "指标", "数值"], ["虹桥", 2015, "gdp", 5]], "hq")
    at = open_page("pages/data_history.py")
    batches = at.dataframe[0].value
    assert f"#{batch}" in list(batches.iloc[:, 0]) and "hq" in list(batches.iloc[:, 2])
    assert [b.key for b in at.button if b.key == "rollback"] == []
    assert not any("账号" in frame.value.columns for frame in at.dataframe)  # no sign-ins


@pytest.mark.parametrize("page", [*DATA_PAGES, "pages/sign_in.py"])
def test_data_pages_show_no_dashboard_filters(page, accounts):
    at = open_page(page, auth.account("district"))
    assert not {s.key for s in at.selectbox} & {"w_scope", "w_year", "w_period", "w_indicator"}
    assert "w_group" not in {s.key for s in at.segmented_control}


def test_sign_in_with_a_wrong_then_right_password(accounts):
    at = submit_sign_in(open_page("pages/sign_in.py"), "hq", "nope")
    assert any("不正确" in e.value for e in at.error)
    assert "_editor" not in at.session_state
    submit_sign_in(at, "hq", "hongqiao-pass")
    assert at.session_state["_editor"].streets == ("hongqiao",)
    assert any("虹桥街道" in s.value for s in at.success)


def test_signed_in_editors_see_the_upload_and_history(accounts):
    editor = auth.verify("district", "district-pass")
    at = open_page("pages/data_upload.py", editor)
    assert {u.key for u in at.get("file_uploader")} == {"upload_file", "boundary_file"}
    limited = open_page("pages/data_upload.py", auth.verify("hq", "hongqiao-pass"))
    assert {u.key for u in limited.get("file_uploader")} == {"upload_file"}  # no boundaries
    at = open_page("pages/data_history.py", editor)
    assert [b.key for b in at.button] == ["rollback"]
    assert len(at.dataframe) >= 1  # the batches, with the built-in data's batch


def test_the_uploader_speaks_the_page_language_with_our_limit(accounts):
    editor = auth.verify("district", "district-pass")
    for lang, words in {
        "zh": (
            "选择文件",
            "单个文件不超过 512 MB · XLSX、XLS、CSV、TXT、TSV、PARQUET",
            "将文件拖放到此处",
        ),
        "en": (
            "Browse files",
            "Up to 512 MB per file · XLSX, XLS, CSV, TXT, TSV, PARQUET",
            "Drop the file here",
        ),
    }.items():
        at = open_page("pages/data_upload.py", editor, lang=lang)
        css = " ".join(h.proto.body for h in at.get("html"))
        for text in words:
            assert f'content:"{text}"' in css
    # Every uploader is drawn by the one helper that sets these words.
    sources = [*ROOT.glob("indicators/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    calls = [p.name for p in sources if "st.file_uploader(" in p.read_text()]
    assert calls == ["widgets.py"]


def test_text_set_in_css_cannot_leave_its_string():
    from indicators.views.widgets import _css_string

    quoted = _css_string('a"b\\c\n</style><script>')
    assert quoted.startswith('"') and quoted.endswith('"')
    assert not set('"\\<>\n') & set(quoted[1:-1].replace("\\", ""))


def test_a_limited_editor_cannot_roll_back_another_streets_batch(accounts, work_db):
    project = [
        ["项目编号", "项目名称", "所属街镇", "年份", "支持金额（万元）"],
        ["X-1", "某楼", "新泾镇", 2025, 30],
    ]
    batch = load_rows(project, "district")
    with pytest.raises(loading.RollbackRefused):
        loading.rollback(batch, "hq", {"hongqiao"})
    at = open_page("pages/data_history.py", auth.verify("hq", "hongqiao-pass"))
    at.selectbox(key="batch").set_value(batch).run()
    at.button(key="rollback").click().run()
    assert any("无权" in e.value for e in at.error)


def test_an_editor_rolls_a_batch_back_from_the_history_page(accounts, work_db):
    # a register row of their own (figures wait for review; public ones are the district's)
    project = [
        ["项目编号", "项目名称", "所属街镇", "年份", "支持金额（万元）"],
        ["H-1", "某楼", "虹桥", 2025, 30],
    ]
    batch = load_rows(project, "hq")
    ours = "select count(*) from funded_projects where project_id = 'H-1'"
    assert query(work_db, ours) == [(1,)]
    at = open_page("pages/data_history.py", auth.verify("hq", "hongqiao-pass"))
    at.selectbox(key="batch").set_value(batch).run()
    assert "x.csv" not in str(at.dataframe[1].value)  # the changes table: rows, not files
    at.button(key="rollback").click().run()
    assert any(f"#{batch}" in s.value for s in at.success)
    assert query(work_db, ours) == [(0,)]


def test_a_removed_account_is_signed_out_and_changed_streets_apply_at_once(accounts):
    at = open_page("pages/data_upload.py", editor=auth.Editor("hq", ("hongqiao",)))
    assert data_actions(at)  # signed in: the uploader is there
    auth.add_user("hq", "hongqiao-pass", ["xinjing"])  # the district moves hq to 新泾镇
    at.run()
    assert at.session_state["_editor"].streets == ("xinjing",)
    assert auth.remove_user("hq")
    at.run()
    assert "_editor" not in at.session_state
    assert any("登录" in w.value for w in at.warning) and data_actions(at) == []


def test_a_changed_rows_key_reads_as_names_not_codes():
    from indicators.views.data import key_text

    key = {"scope_code": "district", "indicator_id": "lowcarbon_communities", "breakdown": ""}
    assert (
        key_text({**key, "year": 2014, "period": "Y"}, "zh")
        == "全区 · 市级低碳社区数 · 2014 · 全年"
    )
    assert key_text({**key, "year": 2014, "period": "Y"}, "en").startswith("Changning District · ")
    assert key_text({"scope_code": "elsewhere", "project_id": "X-1"}, "zh") == "elsewhere · X-1"
