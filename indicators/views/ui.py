"""The shared layout every page draws: language switch, filters kept in the URL, the
illustrative-data banner, and cached data access keyed on the data version."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from indicators import auth, reference
from indicators.domain import analysis, fiveyear, queries
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.store import db

_logger = logging.getLogger(__name__)

FILTERS = ("lang", "group", "scope", "year", "period", "indicator")
# The URL path of a page is its file's stem: a deep link that Streamlit serves from the
# pages/ folder before app.py has run must name the same file, or it shows "page not found".
PAGES = {  # section title key: [(file, title key)]
    "nav.dashboard": [
        ("pages/overview.py", "page.overview"),
        ("pages/streets.py", "page.streets"),
        ("pages/trends.py", "page.trends"),
        ("pages/projects.py", "page.projects"),
        ("pages/map.py", "page.map"),
        ("pages/barometer.py", "page.barometer"),
        ("pages/briefing.py", "page.briefing"),
    ],
    "nav.reporting": [
        ("pages/reporting.py", "page.reporting"),
        ("pages/my_reports.py", "page.my_reports"),
        ("pages/review.py", "page.review"),
        ("pages/targets.py", "page.targets"),
        ("pages/commitments.py", "page.commitments"),
    ],
    "nav.data": [
        ("pages/data_upload.py", "page.upload"),
        ("pages/data_history.py", "page.history"),
        ("pages/sign_in.py", "page.sign_in"),
    ],
}
BENCH_LOG_ENV = "LOWCARBON_BENCH_LOG"
EDITOR = "_editor"  # the signed-in editor of this session
# Set while app.py's navigation runs a page in this script thread (one per session).
_entry = threading.local()
_CANON = "_filters"  # the filters as last settled, kept across pages
_WRITTEN = "_query_written"  # the query string this app last wrote
_REPLACED = "_query_replaced"  # a link's values that are no filter, for this run's notice
_FROM_URL = "_query_read"  # the filters this run took from a link
_CHOSEN = "_scope_chosen"  # a 街镇 chosen on the map, for the next run
_SLIDE = "_slide"  # the briefing slide on screen


@dataclass(frozen=True)
class Filters:
    lang: str
    group: str  # focus (双桥双新泾: the four, their group and 全区) | all (the ten and 全区)
    scope: str
    year: int
    period: str
    indicator: str


# -- cached data: results are keyed on the data version, which every write changes --


@st.cache_data(show_spinner=False, max_entries=64)
def _indicator_frame(version, **kw) -> pd.DataFrame:
    return queries.indicator_frame(**kw)


@st.cache_data(show_spinner=False, max_entries=8)
def _available_periods(version) -> pd.DataFrame:
    return queries.available_periods()


@st.cache_data(show_spinner=False, max_entries=16)
def _funded_projects(version, **kw) -> pd.DataFrame:
    return queries.funded_projects(**kw)


@st.cache_data(show_spinner=False, max_entries=4)
def _fund_performance(version, year: int) -> tuple:
    return queries.fund_performance(year)


def fund_performance(year: int) -> tuple:
    """queries.fund_performance, cached on the data version."""
    return _fund_performance(db.data_version(), year)


@st.cache_data(show_spinner=False, max_entries=4)
def _boundaries(version) -> tuple:
    return queries.boundaries()


def boundaries() -> tuple:
    return _boundaries(db.data_version())


def indicator_frame(**kw) -> pd.DataFrame:
    """Indicator values for a page: the public figures, or with the submissions awaiting
    review where a district editor has turned on 含待审核 (the briefing passes
    with_pending=False: what goes on a projector is what the district accepted)."""
    kw.setdefault("with_pending", with_pending())
    return _indicator_frame(db.data_version(), **kw)


PENDING_PARAM = "pending"  # ?pending=1: a district editor's 含待审核, kept in the URL
_PENDING = "_with_pending"
_PENDING_URL = "_with_pending_written"  # what this session last wrote to the URL


def with_pending() -> bool:
    """Whether this run shows the picture with the submissions awaiting review."""
    return bool(st.session_state.get(_PENDING))


def _pending_switch(lang: str) -> None:
    """The sidebar switch 含待审核, for district editors only and off by default; kept in
    the URL. Anyone else's link asking for it opens on the public figures, saying so."""
    raw = st.query_params.get(PENDING_PARAM)  # absent: as this session left it (a page change)
    asked = raw == "1"
    editor = current_editor()
    if editor is None or editor.allowed_scopes() is not None:
        st.session_state[_PENDING] = False
        if raw is not None:
            del st.query_params[PENDING_PARAM]
            if asked:
                from indicators.views.widgets import NOTICE_STYLE, data_caption

                data_caption(t("pending.district_only", lang), style=NOTICE_STYLE)
        return
    on = bool(st.session_state.get(_PENDING))
    if raw is not None and asked != st.session_state.get(_PENDING_URL, False):
        on = asked  # a link someone wrote, not what this session wrote there
    # A widget's state does not outlive its page: drawn each time from the session's value.
    st.session_state["w_pending"] = on
    on = st.sidebar.toggle(
        t("pending.switch", lang),
        key="w_pending",
        help=t("pending.switch_help", lang),
        on_change=lambda: st.session_state.update({_PENDING: st.session_state["w_pending"]}),
    )
    st.session_state[_PENDING] = st.session_state[_PENDING_URL] = on
    if on:
        st.query_params[PENDING_PARAM] = "1"
    elif PENDING_PARAM in st.query_params:
        del st.query_params[PENDING_PARAM]


def available_periods() -> pd.DataFrame:
    return _available_periods(db.data_version())


def funded_projects(**kw) -> pd.DataFrame:
    return _funded_projects(db.data_version(), **kw)


@st.cache_data(show_spinner=False, max_entries=16)
def _reporting_status(version, year: int, period: str, today: date) -> pd.DataFrame:
    return queries.reporting_status(year, period, today)


def reporting_status(year: int, period: str) -> pd.DataFrame:
    """A reporting round's due items as they stand today."""
    return _reporting_status(db.data_version(), year, period, date.today())


@st.cache_data(show_spinner=False, max_entries=4)
def _review_queue(version) -> pd.DataFrame:
    from indicators.intake import review

    return review.queue()


def review_queue() -> pd.DataFrame:
    return _review_queue(db.data_version())


@st.cache_data(show_spinner=False, max_entries=8)
def _pending_figures(version, batch_id: int | None) -> pd.DataFrame:
    from indicators.intake import review

    return review.pending_figures(batch_id)


def pending_figures(batch_id: int | None = None, scopes: set[str] | None = None) -> pd.DataFrame:
    """Figures awaiting review (review.pending_figures), of these 街镇 only if given."""
    rows = _pending_figures(db.data_version(), batch_id)
    return rows if scopes is None else rows[rows["scope_code"].isin(scopes)]


@st.cache_data(show_spinner=False, max_entries=8)
def _plan_rounds(version, plan_id: str, year: int) -> dict:
    return queries.plan_rounds(fiveyear.plan(plan_id), year)


def plan_rounds(plan: dict, year: int) -> dict:
    """queries.plan_rounds, cached on the data version (public figures only)."""
    return _plan_rounds(db.data_version(), plan["id"], year)


@st.cache_data(show_spinner=False, max_entries=4)
def _targets(version) -> pd.DataFrame:
    return queries.targets()


def targets() -> pd.DataFrame:
    return _targets(db.data_version())


@st.cache_data(show_spinner=False, max_entries=8)
def _target_split(version, year: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return (
        queries.department_targets(year),
        queries.year_plans(year),
        queries.target_findings(year),
    )


def target_split(year: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The departments' shares of a year's targets, its plans to date, and what does not
    add up or no longer fits."""
    return _target_split(db.data_version(), year)


@st.cache_data(show_spinner=False, max_entries=4)
def _plan_targets(version, plan_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from indicators.domain import fiveyear

    return queries.plan_targets(plan_id), queries.plan_target_findings(fiveyear.plan(plan_id))


def plan_targets(plan_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A five-year plan's targets by indicator and scope, and what of them does not add up
    (decomposition.check_plan)."""
    return _plan_targets(db.data_version(), plan_id)


@st.cache_data(show_spinner=False, max_entries=4)
def _commitments(version, today: date) -> pd.DataFrame:
    return queries.commitments(today)


def commitments() -> pd.DataFrame:
    return _commitments(db.data_version(), date.today())


# -- filters -------------------------------------------------------------------------


def _defaults() -> dict[str, object]:
    periods = available_periods() if db.db_path().exists() else pd.DataFrame()
    year, period = queries.pick_default_period(periods)
    headline = [i["id"] for i in reference.catalogue() if i["headline"]]
    if len(periods):  # open on an indicator judged against a target, not a grey 无目标
        frame = indicator_frame(year=year, periods=analysis.periods_shown(period))
        headline = [analysis.default_indicator(frame, period, headline)]
    return {
        "lang": i18n.DEFAULT_LANG,
        "group": reference.VIEWS[0],
        "scope": reference.district_code(),
        "year": year,
        "period": period,
        "indicator": headline[0],
    }


def _valid(name: str, raw: str) -> object | None:
    """A filter value from the URL, or None when it is not one we know."""
    if name == "lang":
        return raw if raw in i18n.LANGS else None
    if name == "group":
        return raw.strip().lower() if raw.strip().lower() in reference.VIEWS else None
    if name == "scope":
        return reference.resolve_scope(raw)
    if name == "indicator":
        return reference.resolve_indicator(raw)
    if name == "period":
        code = raw.strip().upper()
        return reference.choice_period(code) if code in reference.PERIODS else None
    if name == "year":
        try:  # ²⁰²⁶ passes isdigit() but is no number int() reads
            year = int(raw)
        except ValueError:
            return None
        return year if 1990 <= year <= 2100 else None
    return None


def _settle() -> dict[str, object]:
    """Work out the filters for this run: a URL that someone else wrote (a shared link,
    an edited address) wins; otherwise the widgets as the user left them. A new year
    with no period chosen along with it opens on that year's headline period."""
    state = st.session_state
    before = dict(state.get(_CANON) or _defaults())
    canon = dict(before)
    for name in FILTERS:  # a widget the user just changed
        if f"w_{name}" in state and state[f"w_{name}"] is not None:
            canon[name] = state[f"w_{name}"]
    incoming = {k: st.query_params[k] for k in FILTERS if k in st.query_params}
    from_url = set()
    state[_REPLACED] = []
    if incoming != state.get(_WRITTEN):
        for name, raw in incoming.items():
            value = _valid(name, raw)
            if value is not None:
                canon[name] = value
                from_url.add(name)
            else:
                state[_REPLACED].append((name, raw))
    if _CHOSEN in state:  # a click on the map wins over the scope widget's old value
        canon["scope"] = state.pop(_CHOSEN)
    state[_FROM_URL] = from_url
    period_chosen = "period" in from_url or canon["period"] != before["period"]
    if canon["year"] != before["year"] and not period_chosen and db.db_path().exists():
        periods = available_periods()
        in_year = periods[periods["year"] == canon["year"]]
        if len(in_year):
            canon["period"] = queries.pick_default_period(in_year)[1]
    state[_CANON] = canon
    for name in FILTERS:  # widgets are drawn later in the run: they show what was settled
        state[f"w_{name}"] = canon[name]
    return canon


def current_lang() -> str:
    """The language for this run; app.py needs it before the page runs to title the pages."""
    return str(_settle()["lang"])


# Presenting: no sidebar, little space above the slide, and the keyboard-only page keys
# kept off screen (a visible "PgUp PageUp" button says the same thing twice).
PRESENTING_CSS = (
    "<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl']"
    "{display:none}[data-testid='stMainBlockContainer']{padding-top:2.6rem;"
    "padding-bottom:1rem}[data-testid='stHeader']{background:transparent}"
    ".st-key-slide_pgup,.st-key-slide_pgdn{position:absolute;left:-9999px}</style>"
)


def slide_controls(n_slides: int, lang: str) -> int:
    """Previous and next, on screen and by keyboard (←/→, and PageUp/PageDown as sent by
    presentation clickers, on buttons kept off screen). Returns the slide to show."""
    index = min(st.session_state.get(_SLIDE, 0), n_slides - 1)
    cols = st.columns([1.2, 1.2, 1.2, 6.4], vertical_alignment="center")
    step = 0
    if cols[0].button(t("brief.prev", lang), key="slide_prev", shortcut="Left"):
        step = -1
    if cols[2].button(t("brief.next", lang), key="slide_next", shortcut="Right"):
        step = 1
    if st.button("PageUp", key="slide_pgup", shortcut="PageUp"):
        step = -1
    if st.button("PageDown", key="slide_pgdn", shortcut="PageDown"):
        step = 1
    index = max(0, min(n_slides - 1, index + step))
    st.session_state[_SLIDE] = index
    cols[1].markdown(t("brief.position", lang, n=index + 1, total=n_slides))
    return index


def _write_query(canon: dict[str, object]) -> None:
    wanted = {k: str(canon[k]) for k in FILTERS}
    current = {k: st.query_params[k] for k in FILTERS if k in st.query_params}
    if current != wanted:
        st.query_params.update(wanted)
    st.session_state[_WRITTEN] = wanted


def _select(
    name: str, label: str, options: list, fmt, canon: dict, where, shown: tuple, **kwargs
) -> object:
    """A filter's selectbox, drawn where the page shows it; its value checked either way."""
    if canon[name] not in options:
        _unavailable(name, canon)
        canon[name] = options[0]
    if name not in shown:
        return canon[name]
    st.session_state[f"w_{name}"] = canon[name]
    value = where.selectbox(label, options, format_func=fmt, key=f"w_{name}", **kwargs)
    canon[name] = value
    return value


def _home() -> None:
    """The app root opens the first page at its own path, filters kept."""
    st.switch_page(_PAGE_OBJECTS[0], query_params=dict(st.query_params))


_PAGE_OBJECTS: list = []


def run_app() -> None:
    """The app, or, while another process holds the database past the wait, a message
    saying so (the next run reads again)."""
    try:
        _run_app()
    except db.DatabaseBusy:
        st.error(t("error.busy", i18n.norm_lang(st.query_params.get("lang"))))
    except db.DatabaseWalMismatch as exc:  # the operator's to fix: say what, not how
        lang = i18n.norm_lang(st.query_params.get("lang"))
        st.error(t("error.wal_mismatch_page", lang))
        _logger.error("database cannot be opened: %s beside %s", exc.wal, exc.path)


def _run_app() -> None:
    """Configure the page, declare the navigation and run the page the URL asks for.

    The root is a hidden page that moves on to the overview, so that every page, the
    overview included, has a path of its own (its file's stem): Streamlit serves a deep
    link from pages/ before app.py has run, and the names must agree.
    """
    lang = current_lang()
    st.set_page_config(page_title=t("app.title", lang), page_icon="🌿", layout="wide")
    pages: dict[str, list] = {
        t(section, lang): [
            st.Page(path, title=t(key, lang), url_path=Path(path).stem) for path, key in entries
        ]
        for section, entries in PAGES.items()
    }
    _PAGE_OBJECTS[:] = [p for section in pages.values() for p in section]
    home = st.Page(
        _home, title=t("app.title", lang), url_path="home", default=True, visibility="hidden"
    )
    first_section = next(iter(pages))
    pages[first_section] = [home, *pages[first_section]]
    _entry.active = True
    started = time.perf_counter()
    page = st.navigation(pages, expanded=True)  # every page listed: no "View 3 more"
    try:
        page.run()
    finally:
        _entry.active = False
        _bench_record(page.url_path, started)


def _bench_record(url_path: str, started: float) -> None:
    """With LOWCARBON_BENCH_LOG set (benchmarks only), append this run's script time and
    the process's memory as a JSON line; costs nothing otherwise."""
    log = os.environ.get(BENCH_LOG_ENV)
    if not log:
        return
    record = {"page": url_path, "ms": (time.perf_counter() - started) * 1000, "t": time.time()}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                record[line.split(":")[0].lower() + "_kb"] = int(line.split()[1])
    with open(log, "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


DASHBOARD_FILTERS = ("group", "scope", "year", "period", "indicator")


def page_frame(
    title_key: str,
    presenting: bool = False,
    filters: tuple[str, ...] = DASHBOARD_FILTERS,
    indicators: list[str] | None = None,
) -> Filters:
    """Draw the shared layout and return the filters; the first thing every page runs.
    `filters` are the ones the page uses, drawn in the sidebar (presenting: in a bar above
    the slide); the others keep their values for the next page but are not shown.
    `indicators` narrows the indicator filter to those a page can show (the 晴雨表: the
    ones a five-year plan targets).

    Streamlit runs a file in pages/ directly, skipping app.py, when a deep link is the
    first request after a restart. Then the page hands over to the app's navigation,
    which runs this same page again inside the full layout, and stops its own run.
    """
    if not getattr(_entry, "active", False):
        run_app()
        st.stop()
    canon = _settle()
    if presenting:
        st.html(PRESENTING_CSS)
    if not db.db_path().exists():
        missing_database(str(canon["lang"]))
        st.stop()
    places, shown = _filter_places(canon, presenting)
    canon["lang"] = _pick_lang(places["lang"]) or canon["lang"]
    lang = str(canon["lang"])
    periods = available_periods()
    if presenting:
        filters = ("group", "scope", "year", "period")
    elif filters:
        st.sidebar.header(t("filters.title", lang))
    indicators = indicators or reference.indicator_ids()
    _draw_filters(canon, places, shown, filters, periods, indicators, lang)
    _write_query(canon)
    if presenting:  # every indicator has its slide: the chosen one stays as it was
        _replaced_notice(canon)
        return _filters(canon)
    _page_heading(canon, title_key, filters, lang)
    return _filters(canon)


def _filter_places(canon: dict, presenting: bool) -> tuple[dict, str]:
    """Where each filter is drawn, and its labels' visibility: presenting, one row above
    the slide with a link back to the dashboard; otherwise the sidebar."""
    # Presenting, the filters that change a briefing sit in one row above the slide, with
    # a way back to the dashboard; otherwise every filter is in the sidebar.
    if presenting:
        row = st.columns([2.0, 1.8, 1.0, 2.0, 1.4, 2.1], vertical_alignment="center")
        places = dict(zip(("home", "scope", "year", "period", "lang", "group"), row, strict=True))
        query = {k: str(canon[k]) for k in FILTERS}
        places["home"].page_link(
            _PAGE_OBJECTS[0] if _PAGE_OBJECTS else "pages/overview.py",
            label=t("brief.back", str(canon["lang"])),
            icon="↩️",
            query_params=query,
        )
        return places, "collapsed"
    return dict.fromkeys(("scope", "year", "period", "lang", "group"), st.sidebar), "visible"


def _pick_lang(where) -> str | None:
    """The 中文 / English switch, labelled in both languages; None when unset."""
    return where.segmented_control(
        t("lang.label", "zh") + " / " + t("lang.label", "en"),
        list(i18n.LANGS),
        key="w_lang",
        format_func=lambda code: t(f"lang.{code}", "zh"),
        label_visibility="collapsed",
    )


def _draw_filters(canon, places, shown, filters, periods, indicators, lang: str) -> None:
    """The group, 街镇, year, period and indicator filters, each drawn where the page shows
    it (or only checked), their values settled into `canon`."""
    if "group" in filters:
        canon["group"] = (
            places["group"].segmented_control(
                t("filters.group", lang),
                list(reference.VIEWS),
                key="w_group",
                format_func=lambda v: t(f"group.{v}", lang),
                label_visibility=shown,
            )
            or canon["group"]
        )
    where = {"label_visibility": shown, "shown": filters}
    scopes = [s["code"] for s in reference.scopes()]
    _select(
        "scope",
        t("filters.scope", lang),
        scopes,
        lambda c: i18n.scope_name(c, lang),
        canon,
        places["scope"],
        **where,
    )
    years = sorted({int(y) for y in periods["year"]}, reverse=True) or [int(canon["year"])]
    _select(
        "year",
        t("filters.year", lang),
        years,
        lambda y: t("common.year", lang, year=y),
        canon,
        places["year"],
        **where,
    )
    _select(
        "period",
        t("filters.period", lang),
        _period_options(canon, periods),
        lambda p: i18n.period_choice(p, lang),
        canon,
        places["period"],
        **where,
    )
    _select(
        "indicator",
        t("filters.indicator", lang),
        indicators,
        lambda i: i18n.indicator_name(i, lang),
        canon,
        st.sidebar,
        shown=filters,
    )


def _period_options(canon: dict, periods) -> list[str]:
    """The periods the chosen year has data for; a year without the chosen period opens
    on its headline period (noted as a replaced value)."""
    # Only the periods the chosen year has data for; a year without the chosen period
    # opens on its headline period.
    in_year = periods[periods["year"] == canon["year"]]
    have = {reference.choice_period(p) for p in in_year["period"]}
    period_options = [p for p in reference.PERIOD_CHOICES if p in have] or ["Y"]
    if canon["period"] not in period_options and len(in_year):
        _unavailable("period", canon)
        canon["period"] = queries.pick_default_period(in_year)[1]
    return period_options


def _page_heading(canon: dict, title_key: str, filters, lang: str) -> None:
    """Below the filters, the share hint; then the page's title, the notice of replaced
    link values, and (on a page with filters) the pending switch and notice."""
    if filters:
        st.sidebar.caption(t("filters.share_hint", lang))
    st.title(t(title_key, lang))
    _replaced_notice(canon)
    if filters:
        _pending_switch(lang)
        pending_notice(int(canon["year"]), lang)


def _unavailable(name: str, canon: dict) -> None:
    """A filter a link set to a valid value this data does not have (year=2030)."""
    if name in st.session_state.get(_FROM_URL, ()):
        st.session_state.setdefault(_REPLACED, []).append((name, str(canon[name])))


def _replaced_notice(canon: dict) -> None:
    """One line naming each value of a link that is no filter, and what is shown instead
    (as text: the values are whatever the link's author typed)."""
    replaced = st.session_state.get(_REPLACED) or []
    if not replaced:
        return
    lang = str(canon["lang"])
    shown = {
        "lang": lambda v: t(f"lang.{v}", "zh"),
        "group": lambda v: t(f"group.{v}", lang),
        "scope": lambda v: i18n.scope_name(v, lang),
        "year": lambda v: t("common.year", lang, year=v),
        "period": lambda v: i18n.period_label(v, lang),
        "indicator": lambda v: i18n.indicator_name(v, lang),
    }
    items = t("filters.replaced_joiner", lang).join(
        t(
            "filters.replaced_item",
            lang,
            name=name,
            value="".join(ch for ch in raw if ch.isprintable())[:30],
            shown=shown[name](canon[name]),
        )
        for name, raw in replaced
    )
    from indicators.views.widgets import NOTICE_STYLE, data_caption

    data_caption(t("filters.replaced", lang, items=items), style=NOTICE_STYLE)


def _filters(canon: dict) -> Filters:
    return Filters(
        lang=str(canon["lang"]),
        group=str(canon["group"]),
        scope=str(canon["scope"]),
        year=int(canon["year"]),
        period=str(canon["period"]),
        indicator=str(canon["indicator"]),
    )


def demo_banner(frame: pd.DataFrame, lang: str, *others: pd.DataFrame) -> None:
    """Say so whenever an illustrative value is on screen (in `frame` or the `others` a
    page also shows), and whenever a figure awaiting review is."""
    if any(analysis.any_flag(shown, "is_demo") for shown in (frame, *others)):
        st.info(t("banner.demo", lang), icon="ℹ️")
    if any(analysis.any_flag(shown, "pending") for shown in (frame, *others)):
        st.warning(t("pending.banner", lang), icon=":material/pending_actions:")


def pending_notice(year: int, lang: str) -> None:
    """To a signed-in editor, the figures awaiting review that they may see (a 街镇 editor
    their own 街镇's, a district editor every one) for the year shown, each with the public
    figure it would replace: none of them is in the figures below until approved."""
    editor = current_editor()
    if editor is None:
        return
    from indicators.views import reporting

    figures = pending_figures(scopes=editor.allowed_scopes())
    figures = figures[figures["year"] == year]
    if figures.empty:
        return
    with st.expander(t("pending.notice", lang, n=len(figures)), icon=":material/pending_actions:"):
        reporting.pending_table(figures, lang, key="pending_notice")


def missing_database(lang: str) -> None:
    st.error(t("error.no_database", lang, path=str(db.db_path())))


def heading(f: Filters, period: str | None = None) -> str:
    """ "全区 · 2026年 · 1–9月累计" for the chosen scope, year and period."""
    return t(
        "common.heading",
        f.lang,
        scope=i18n.scope_name(f.scope, f.lang),
        year=t("common.year", f.lang, year=f.year),
        period=i18n.period_label(period or f.period, f.lang),
    )


def compared_frame(f: Filters) -> tuple[str, pd.DataFrame]:
    """For a page comparing the 街镇 on f.indicator: the one period it shows when f.period
    is chosen (analysis.view_period over the view's scopes and the chosen one) and the
    indicator's rows of the year for the periods that choice may need."""
    frame = indicator_frame(
        indicator_id=f.indicator, year=f.year, periods=analysis.periods_shown(f.period)
    )
    compared = [*reference.view_scopes(f.group), f.scope]
    return analysis.view_period(frame, f.indicator, f.period, compared), frame


def scope_note(scope_code: str, lang: str) -> None:
    """A 街镇's standing note (e.g. the practice zone in 新泾镇), with its source."""
    s = reference.scope(scope_code)
    if s.get(f"note_{lang}"):
        st.caption(t("common.scope_note", lang, note=s[f"note_{lang}"], source=s["note_source"]))


def current_editor() -> auth.Editor | None:
    """The signed-in editor as the accounts file has them now: a removed account is
    signed out, and changed 街镇 apply at once (the file is read on every run)."""
    signed_in = st.session_state.get(EDITOR)
    if signed_in is None:
        return None
    editor = auth.account(signed_in.name)
    if editor is None:
        sign_out()
    else:
        st.session_state[EDITOR] = editor
    return editor


def attempt_sign_in(name: str, password: str, lang: str) -> auth.Editor | None:
    """Check a sign-in against the accounts and the lock; say why it failed."""
    ip = st.context.ip_address  # None from this machine itself
    try:
        attempt = auth.attempt(name, password, ip=ip if isinstance(ip, str) else None)
    except auth.SignInLogBroken as broken:
        st.error(t("auth.log_broken", lang, path=str(broken)))
        return None
    limits = {"n": auth.LOCK_AFTER, "minutes": int(auth.LOCK_FOR.total_seconds() // 60)}
    if attempt.locked_until is not None:
        until = attempt.locked_until.strftime("%H:%M")
        st.error(t("auth.locked", lang, until=until, **limits))
    elif attempt.editor is None:
        st.error(t("auth.wrong_tries", lang, left=attempt.tries_left, **limits))
    return attempt.editor


def sign_in(editor: auth.Editor) -> None:
    st.session_state[EDITOR] = editor


def sign_out() -> None:
    st.session_state.pop(EDITOR, None)


def require_editor(lang: str) -> auth.Editor:
    """The signed-in editor; anyone else sees why and how, and the page stops there."""
    if not auth.editing_enabled():
        st.info(t("auth.disabled", lang, env=auth.AUTH_ENV))
        st.stop()
    editor = current_editor()
    if editor is None:
        st.warning(t("auth.sign_in_first", lang))
        st.page_link("pages/sign_in.py", label=t("page.sign_in", lang))
        st.stop()
    return editor


@st.cache_data(show_spinner=False, max_entries=4)
def _load_batches(version) -> pd.DataFrame:
    from indicators.intake import loading

    return loading.batches()


def load_batches() -> pd.DataFrame:
    return _load_batches(db.data_version())


def streets_text(editor: auth.Editor, lang: str) -> str:
    """Which 街镇 an editor may change, in words."""
    return i18n.streets_text(editor.streets, lang)


def clicked_scope(event) -> str | None:
    """The 街镇 a click on the map chose, if any."""
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for point in points:
        code = point.get("customdata")
        if isinstance(code, list):
            code = code[0] if code else None
        if code and reference.resolve_scope(str(code)):
            return str(code)
    return None


def choose_scope(code: str) -> None:
    """Make `code` the shared scope filter (and so the `scope` URL parameter) from the
    next run on; the scope widget of this run is already drawn."""
    st.session_state[_CHOSEN] = code
