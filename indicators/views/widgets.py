"""Streamlit pieces the pages share: indicator cards, the status matrix, data tables."""

from __future__ import annotations

import html
import re
from datetime import date

import pandas as pd
import streamlit as st

from indicators import formulas, reference
from indicators.domain import analysis, briefing
from indicators.domain.status import RAG_ORDER, flagged
from indicators.exports.charts import (
    RAG_COLOURS,
    RAG_TEXT,
    band_colours,
    big_words,
    rag_text,
    status_label,
)
from indicators.reference import i18n
from indicators.reference.i18n import t

number = i18n.number


# A table of a view's scopes (all ten 街镇 and 全区) shows whole; a longer one scrolls.
WHOLE_TABLE_ROWS = 25


def fit_height(n_rows: int) -> str:
    return "content" if n_rows <= WHOLE_TABLE_ROWS else "auto"


def show_table(
    frame: pd.DataFrame,
    *,
    colours: pd.DataFrame | None = None,
    fit: bool = True,
    hide_index: bool = True,
    **kwargs,
) -> None:
    """Every table on a page goes through here. Text a spreadsheet would run as a formula
    is quoted, so the table toolbar's "Download as CSV" and a copy into Excel are as safe
    as our own downloads; `colours` (CSS per cell) styles it; `fit` shows every row."""
    if frame.empty:  # Streamlit would draw a grid saying "empty", in English
        st.caption(t("common.empty_table", i18n.norm_lang(st.query_params.get("lang"))))
        return
    safe = formulas.neutralise(frame)
    data = safe.style.apply(lambda _: colours, axis=None) if colours is not None else safe
    if fit:
        kwargs["height"] = fit_height(len(frame))
    kwargs.setdefault("placeholder", MISSING)
    st.dataframe(data, hide_index=hide_index, width="stretch", **kwargs)


# A table cell's text, as the grid draws it: 14 px type, a Chinese character 14 px wide
# and a Latin letter about 6.5 (7 allows for capitals and words that break early), lines
# 20 px apart, 8 px of padding each side. Streamlit's grid wraps text only in rows
# taller than 4rem (64 px).
CELL_CJK_PX, CELL_LATIN_PX, CELL_LINE_PX, CELL_PAD_PX = 14, 7, 20, 8
WRAPPING_ROW_PX = 65


def _text_px(text: str) -> int:
    return sum(CELL_CJK_PX if ord(ch) >= i18n.CJK_START else CELL_LATIN_PX for ch in text)


def cell_lines(text: str, width_px: int) -> int:
    """Lines a cell's text takes wrapped in a column `width_px` wide: Latin text breaks
    between words, Chinese between any two characters."""
    room = width_px - 2 * CELL_PAD_PX
    lines, used = 1, 0
    for token in re.findall(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+|\s+", str(text)):
        size = _text_px(token)
        if token.isspace():  # a space at the end of a line takes no room on the next
            used = min(used + size, room)
            continue
        if used and used + size > room:
            lines, used = lines + 1, 0
        used += size
        while used > room:  # a word longer than the column breaks anywhere
            lines, used = lines + 1, used - room
    return lines


def line_width(values) -> int:
    """A column width (px) in which the longest of `values` shows on one line."""
    return max((_text_px(str(v)) for v in values), default=0) + 2 * CELL_PAD_PX + 4


def wrapped_row_height(frame: pd.DataFrame, widths: dict[str, int]) -> int:
    """A row height (px) in which every cell of the columns given (name: width in px)
    shows whole, wrapped; at least the height at which the grid wraps at all."""
    lines = max((cell_lines(v, w) for name, w in widths.items() for v in frame[name]), default=1)
    return max(WRAPPING_ROW_PX, lines * CELL_LINE_PX + 2 * CELL_PAD_PX)


# A cell with no value: a dash in a table (Streamlit would write a grey "None"); nothing
# in a grid to fill in.
MISSING = "—"
# An entry grid's number as stored (no rounding), with thousands separators: 220,945.
STORED_NUMBER = "%,g"


def edit_table(frame: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """Every editable grid goes through here: shown as show_table shows a table (formula
    text quoted, so a copy into Excel is safe), without its index, as wide as the page;
    an empty cell empty, not "None"."""
    kwargs.setdefault("placeholder", "")
    return st.data_editor(formulas.neutralise(frame), hide_index=True, width="stretch", **kwargs)


def number_columns(frame: pd.DataFrame, fmt: str = STORED_NUMBER) -> dict:
    """A column_config showing each number column of `frame` with thousands separators
    (and, by default, every decimal it has)."""
    return {
        c: st.column_config.NumberColumn(format=fmt)
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    }


def _css_string(text: str) -> str:
    """Text as a CSS string literal: anything but letters, digits, CJK and plain
    punctuation (so quotes, backslashes, angle brackets, line ends) escaped."""
    escaped = "".join(
        c if c.isalnum() or c in " ·,.()" or ord(c) >= i18n.CJK_START else f"\\{ord(c):x} "
        for c in text
    )
    return f'"{escaped}"'


def file_uploader(label: str, types: list[str], key: str, lang: str):
    """Every file uploader on a page goes through here. Streamlit has no way to set the
    dropzone's own words ("Upload", "1GB per file", "Drag and drop a file here"), so CSS
    scoped to this uploader hides them and shows ours from the catalogue, with the real
    upload limit (server.maxUploadSize, MB)."""
    scope = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    sep = t("common.list_sep", lang)
    words = {
        "button [data-testid='stMarkdownContainer'] p": t("upload.browse", lang),
        "[data-testid='stFileUploaderDropzoneInstructions'] span": t(
            "upload.limit",
            lang,
            mb=st.get_option("server.maxUploadSize"),
            types=sep.join(kind.upper() for kind in types),
        ),
        # the overlay shown while a file is dragged over the dropzone
        "> div:not([data-testid]) > span": t("upload.drop_here", lang),
    }
    rules = "".join(
        f"{scope} {part}{{font-size:0}}"
        f"{scope} {part}::after{{content:{_css_string(text)};font-size:0.875rem}}"
        for part, text in words.items()
    )
    st.html(f"<style>{rules}</style>")
    return st.file_uploader(label, type=types, key=key)


def with_unit(value: float | None, unit: str, lang: str) -> str:
    if value is None or pd.isna(value):
        return t("rag.not_reported", lang)
    return f"{number(value, unit, lang)} {i18n.unit_label(unit, lang)}"


def _change_text(row: dict, lang: str) -> str | None:
    change = row.get("change")
    if change is None or pd.isna(change):
        return None
    # Streamlit reads the arrow from the sign the text starts with; against an
    # illustrative last year the change says so, as the briefing's sentence does.
    label = briefing.previous_mark(row, lang)
    if row.get("change_kind") == "pp":
        return t("card.change_pp", lang, value=f"{change:+,.2f}") + label
    if abs(change) < 0.05:
        return t("card.change_flat", lang) + label
    return t("card.change_pct", lang, value=f"{change:+,.1f}") + label


def _present(value: object) -> bool:
    """A cell from a frame row: missing (None, NaN, NA) or empty counts as absent."""
    return value is not None and not pd.isna(value) and bool(value)


def _present_number(value: object) -> bool:
    return value is not None and not pd.isna(value)


def other_period_line(
    indicator_id: str, shown: str, chosen: str, lang: str, where: str = "card"
) -> str | None:
    """What a figure shown for another period than the chosen one says, on a card or
    (where="view") above a page's comparison: which period, and why (see
    analysis.period_note); None when it is the chosen period."""
    note = analysis.period_note(indicator_id, shown, chosen)
    if note is None:
        return None
    key = f"{where}.other_period" if note == "due" else f"{where}.other_period_latest"
    return t(
        key,
        lang,
        period=i18n.period_label(shown, lang),
        chosen=i18n.period_label(chosen, lang),
    )


def card(row: dict, lang: str, chosen_period: str) -> None:
    """One indicator for one scope: value, change, target, attainment, status, provenance;
    and the period it shows when that is not the one chosen (a yearly figure in 1–5月)."""
    ind = reference.indicator(row["indicator_id"])
    with st.container(border=True, key=f"card_{ind['id']}"):
        _card_figure(row, ind, lang)
        status = row["rag_status"]
        st.markdown(
            f"<span style='color:{RAG_COLOURS[status]};font-weight:700;font-size:1.1rem'>"
            f"{html.escape(status_label(row, lang))}</span>",
            unsafe_allow_html=True,
        )
        for line in _card_lines(row, ind, chosen_period, lang):
            data_caption(line)
        if _present(row.get("note")):
            data_caption(t("card.note", lang, note=i18n.note_text(str(row["note"]), lang)))
        _card_warnings(row, ind, lang)


def _card_figure(row: dict, ind: dict, lang: str) -> None:
    """The card's label (name and unit) and its figure with the change, coloured by
    which way is better."""
    unit = ind["unit"]
    label = t(
        "card.label",
        lang,
        name=i18n.indicator_name(ind["id"], lang),
        unit=i18n.unit_label(unit, lang),
    )
    st.markdown(f"**{label}**")  # wraps, where a metric label would be cut off
    change = _change_text(row, lang)
    flat = change is not None and abs(row["change"]) < 0.05
    st.metric(
        label,
        number(row.get("value"), unit, lang)
        if _present_number(row.get("value"))
        else t("rag.not_reported" if row["rag_status"] == "not_reported" else "common.none", lang),
        delta=change,
        delta_color="off" if flat else ("normal" if ind["direction"] == "higher" else "inverse"),
        delta_arrow="off" if flat else "auto",
        label_visibility="collapsed",
    )


def _card_lines(row: dict, ind: dict, chosen_period: str, lang: str) -> list[str]:
    """The card's small lines: pending review, another period, the parts, the target and
    attainment, provenance and how a 街镇's figure was made."""
    unit = ind["unit"]
    lines = []
    if flagged(row, "pending"):  # 含待审核: the figure is a submission not yet reviewed
        public = row.get("public_value")
        lines.append(
            t("card.pending", lang, public=with_unit(public, unit, lang))
            if _present_number(public)
            else t("card.pending_new", lang)
        )
    shown = row.get("period")
    if isinstance(shown, str):
        line = other_period_line(ind["id"], shown, chosen_period, lang)
        if line:
            lines.append(line)
    if row.get("parts"):
        lines.append(
            " · ".join(
                f"{i18n.breakdown_name(ind['id'], code, lang)} {number(v, unit, lang)}"
                for code, v in row["parts"]
            )
        )
    target = row.get("target_value")
    if target is not None and not pd.isna(target):
        lines.append(
            t(
                "card.target",
                lang,
                target=with_unit(target, unit, lang),
                expected=with_unit(row.get("expected_to_date"), unit, lang),
            )
        )
        pct = row.get("attainment_pct")
        if pct is not None and not pd.isna(pct):
            lines.append(t("card.attainment", lang, pct=f"{pct:,.1f}"))
    if row.get("value") is not None and not pd.isna(row.get("value")):
        lines.append(briefing.provenance(row, lang))
        if ind["street_values"] == "metered":
            lines.append(t("card.metered", lang))
        elif (
            reference.scope(row["scope_code"])["kind"] != "district"
            and ind["street_values"] == "estimated"
        ):
            lines.append(t("card.estimated", lang))
    return lines


def _card_warnings(row: dict, ind: dict, lang: str) -> None:
    """Warnings under the card: a plan that does not fit its target, a quality flag."""
    if note := briefing.plan_note(row, lang):
        st.warning(note, icon="⚠️")
    if _present(row.get("quality_flag")):
        # A group's reported total against its members' sum, or a figure against the
        # registers it is derived from.
        summed = ind["formula"] == "reported" and reference.members(row["scope_code"])
        key = "card.quality_sum" if summed else "card.quality"
        derived = number(row.get("derived_value"), ind["unit"], lang)
        st.warning(t(key, lang, derived=derived), icon="⚠️")


# st.caption's look, for a caption that must not be markdown.
CAPTION_STYLE = "font-size:0.875rem;color:rgba(49,51,63,0.6);line-height:1.5;margin:0 0 0.25rem"


# A one-line notice that holds text someone else wrote (a link's values).
NOTICE_STYLE = (
    "font-size:0.9rem;line-height:1.5;margin:0 0 0.5rem;padding:0.4rem 0.75rem;"
    "border-radius:0.5rem;background:#fff8e1;color:#5d4037"
)


def data_caption(text: str, style: str = CAPTION_STYLE) -> None:
    """A caption line holding text from data (a note, a source): HTML-escaped inside an
    HTML block, so no markdown in it links, loads an image, colours or typesets."""
    st.markdown(f"<div style='{style}'>{html.escape(text)}</div>", unsafe_allow_html=True)


def _data_statuses(frame: pd.DataFrame, lang: str) -> list[str]:
    """正式/初步 for each row; illustrative data is neither (its source says what it is);
    a figure awaiting review (含待审核) says so whatever else it is."""
    pending = frame["pending"] if "pending" in frame else pd.Series(False, index=frame.index)
    return [
        t("data_status.pending", lang)
        if flagged({"pending": p}, "pending")
        else (t("common.none", lang) if bool(d) else t(f"data_status.{s}", lang))
        for s, d, p in zip(
            frame["data_status"], frame["is_demo"].fillna(False), pending, strict=True
        )
    ]


# Cards in a row as tall as the tallest: each column and its card fill the row.
EVEN_CARDS_CSS = (
    "<style>.st-key-cards [data-testid='stColumn'] > [data-testid='stVerticalBlock'] >"
    " [data-testid='stLayoutWrapper']{flex:1 1 auto}"
    ".st-key-cards [class*='st-key-card_']{height:100%}"
    # A change's words wrap instead of being cut off (… against an illustrative figure).
    ".st-key-cards [data-testid='stMetricDelta'] [data-testid='stMarkdownContainer'],"
    ".st-key-cards [data-testid='stMetricDelta'] p"
    "{white-space:normal;overflow:visible;text-overflow:clip}</style>"
)


def cards(rows: pd.DataFrame, lang: str, chosen_period: str, per_row: int = 3) -> None:
    records = rows.to_dict("records")
    st.html(EVEN_CARDS_CSS)
    with st.container(key="cards"):
        for start in range(0, len(records), per_row):
            cols = st.columns(per_row)
            for col, row in zip(cols, records[start : start + per_row], strict=False):
                with col:
                    card(row, lang, chosen_period)


def status_matrix(matrix: pd.DataFrame, lang: str) -> None:
    """The 街镇 × 指标 matrix: a short icon and word in every cell, coloured by band, short
    indicator names so it fits at once."""
    shown = matrix.map(lambda s: t(f"rag_short.{s}", lang))
    pending = matrix.attrs.get("pending_cells", [])
    for code, indicator in pending:  # 含待审核: the cell's band includes a pending figure
        shown.loc[code, indicator] += t("label.pending_value", lang)
    shown.index = [i18n.scope_name(c, lang) for c in matrix.index]
    shown.columns = [i18n.indicator_short(c, lang) for c in matrix.columns]
    colours = matrix.map(lambda s: f"background-color: {RAG_COLOURS[s]}; color: {RAG_TEXT[s]}")
    colours.index, colours.columns = shown.index, shown.columns
    # Chinese short names fit a narrow column; English ones need a little more.
    width = "small" if lang == "zh" else None  # None: as wide as the header
    narrow = {c: st.column_config.TextColumn(width=width) for c in shown.columns}
    # every 街镇's name whole in the 全部街镇 view (仙霞新村街道 was cut)
    narrow["_index"] = st.column_config.TextColumn(width=line_width(shown.index))
    show_table(shown, colours=colours, hide_index=False, column_config=narrow)
    st.caption(t("rag.legend_separator", lang).join(rag_text(s, lang) for s in RAG_ORDER))
    other = matrix.attrs.get("other_periods") or {}
    if other:
        sep = t("common.list_sep", lang)
        items = t("filters.replaced_joiner", lang).join(
            t(
                "overview.matrix_other_item",
                lang,
                period=i18n.period_label(per, lang),
                indicators=sep.join(i18n.indicator_short(i, lang) for i in ids),
            )
            for per, ids in other.items()
        )
        st.caption(t("overview.matrix_other_periods", lang, items=items))
    if matrix.attrs.get("demo_targets"):
        st.caption(t("label.matrix_demo_target", lang))
    if pending:
        st.caption(t("label.matrix_pending", lang))
    for note in briefing.matrix_plan_notes(matrix, lang):
        st.caption(f"⚠️ {note}")


def barometer_table(bands: pd.DataFrame, moves: pd.DataFrame, lang: str) -> None:
    """One 晴雨表: a scope per row, a round per column, each cell its level and move in the
    level's colour (barometer.table gives the bands and moves)."""
    from indicators.domain import barometer

    shown = barometer.shown_table(bands, moves, lang)
    colours = bands.map(lambda b: "background-color: {}; color: {}".format(*band_colours(b)))
    colours.index, colours.columns = shown.index, shown.columns
    wide = {"_index": st.column_config.TextColumn(width=line_width(shown.index))}
    show_table(shown, colours=colours, hide_index=False, column_config=wide)


def view_period_lines(
    frame: pd.DataFrame, indicator_id: str, shown: str, chosen: str, scope_codes, lang: str
) -> None:
    """Above a page comparing the 街镇 on one period: which period it is when not the one
    chosen, and the scopes (of `scope_codes`) with no figure for it."""
    line = other_period_line(indicator_id, shown, chosen, lang, where="view")
    if line:
        data_caption(line)
    have = set(frame.loc[frame["value"].notna(), "scope_code"]) if len(frame) else set()
    missing = [c for c in scope_codes if c not in have and analysis.applies_to(indicator_id, c)]
    if missing and have:  # with no figure at all the page says so itself
        names = t("common.list_sep", lang).join(
            i18n.scope_name(c, lang) for c in missing[:MISSING_NAMED]
        )
        if len(missing) > MISSING_NAMED:
            names += t("view.missing_more", lang, n=len(missing))
        data_caption(t("view.missing", lang, period=i18n.period_label(shown, lang), names=names))


# A city's hundreds of 街镇: the line naming those without a figure names this many.
MISSING_NAMED = 10


def values_table(frame: pd.DataFrame, lang: str) -> None:
    """The numbers behind a chart, with unit, status and provenance as columns."""
    table = pd.DataFrame(
        {
            t("col.scope", lang): [i18n.scope_name(c, lang) for c in frame["scope_code"]],
            t("col.year", lang): frame["year"].astype(int),
            t("col.period", lang): [i18n.period_label(p, lang) for p in frame["period"]],
            t("col.value", lang): [
                number(v, u, lang) for v, u in zip(frame["value"], frame["unit"], strict=True)
            ],
            t("col.unit", lang): [i18n.unit_label(u, lang) for u in frame["unit"]],
            t("col.status", lang): [status_label(r, lang) for r in frame.to_dict("records")],
            t("col.data_status", lang): _data_statuses(frame, lang),
            t("col.source", lang): [
                i18n.source_label(s, bool(d), lang)
                for s, d in zip(frame["source"], frame["is_demo"], strict=True)
            ],
        }
    )
    show_table(table)
    downloads(frame, lang)


def downloads(frame: pd.DataFrame, lang: str) -> None:
    """The data behind a table as CSV (UTF-8 with BOM) and XLSX, with plain numbers and
    units, data status and sources as columns; named by content and date."""
    data = pd.DataFrame(
        {
            t("col.scope", lang): [i18n.scope_name(c, lang) for c in frame["scope_code"]],
            t("col.indicator", lang): [i18n.indicator_name(i, lang) for i in frame["indicator_id"]],
            t("col.year", lang): frame["year"].astype(int),
            t("col.period", lang): [i18n.period_label(p, lang) for p in frame["period"]],
            t("col.value", lang): list(frame["value"]),
            t("col.unit", lang): [i18n.unit_label(u, lang) for u in frame["unit"]],
            t("col.data_status", lang): _data_statuses(frame, lang),
            t("col.source", lang): [
                i18n.source_label(s, bool(d), lang)
                for s, d in zip(frame["source"], frame["is_demo"], strict=True)
            ],
        }
    )
    first = frame.iloc[0] if len(frame) else None
    stem = t(
        "export.file",
        lang,
        indicator=i18n.indicator_name(first["indicator_id"], lang) if first is not None else "",
        year=int(first["year"]) if first is not None else "",
        date=date.today().strftime("%Y%m%d"),
    )
    table_downloads(data, stem, "download", lang)


def table_downloads(data: pd.DataFrame, stem: str, key: str, lang: str) -> None:
    """CSV (UTF-8 with BOM) and XLSX buttons for a table, made when clicked."""
    from indicators.exports import takeaway  # openpyxl: only when a table is downloaded

    left, right = st.columns(2)
    left.download_button(
        t("export.csv", lang),
        lambda: takeaway.table_csv(data),
        f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
    )
    right.download_button(
        t("export.xlsx", lang),
        lambda: takeaway.table_xlsx(data),
        f"{stem}.xlsx",
        key=f"{key}_xlsx",
        icon=":material/download:",
    )


def choice(container, label: str, values: pd.Series, key: str, lang: str) -> str | None:
    """A select box over the distinct values of a column, with 全部 (all) first."""
    options = [None, *sorted(values.dropna().unique())]
    return container.selectbox(
        label,
        options,
        key=key,
        format_func=lambda v: t("common.all", lang) if v is None else i18n.term(v, lang),
    )


def shortfall_text(value: float | None, unit: str, lang: str) -> str:
    """How far the year end falls short of its target, with its unit: a rate's shortfall
    in percentage points (a 3% target and a 1.6% pace are 1.40 points apart, not 1.40%);
    "no shortfall" where the target will be met, a dash where there is no target."""
    if value is None or pd.isna(value):
        return t("common.none", lang)
    if value == 0:
        return t("trends.no_shortfall", lang)
    if unit == "pct":
        return t("trends.shortfall_pp", lang, value=number(value, unit, lang))
    return with_unit(value, unit, lang)


def projection_table(
    projection: pd.DataFrame, current: pd.DataFrame, unit: str, lang: str, year_over: bool
) -> None:
    """The one table of the trends page, per 街镇: value to date, projected year end,
    target, whether it will be met (or, for a year that is over, whether it was), status
    and source; with the values to download."""
    if projection.empty:
        st.caption(t("common.no_data", lang))
        return
    met, missed = (
        ("trends.met", "trends.missed") if year_over else ("trends.will_meet", "trends.will_miss")
    )

    def verdict(will_meet) -> str:
        if will_meet is None or pd.isna(will_meet):
            return t("rag.no_target", lang)
        return t(met, lang) if will_meet else t(missed, lang)

    table = pd.DataFrame(
        {
            t("col.scope", lang): [i18n.scope_name(c, lang) for c in projection["scope_code"]],
            t("col.to_date", lang): [with_unit(v, unit, lang) for v in projection["value"]],
            t("col.projected", lang): [with_unit(v, unit, lang) for v in projection["projected"]],
            t("col.target", lang): [
                with_unit(v, unit, lang) if _present_number(v) else t("rag.no_target", lang)
                for v in projection["target_value"]
            ],
            t("col.verdict", lang): [verdict(v) for v in projection["will_meet"]],
            t("col.shortfall", lang): [
                shortfall_text(v, unit, lang) for v in projection["shortfall"]
            ],
        }
    )
    rows = current.set_index("scope_code").reindex(projection["scope_code"]).reset_index()
    records = rows.to_dict("records")
    table[t("col.status", lang)] = [status_label(r, lang) for r in records]
    table[t("col.source", lang)] = [
        briefing.provenance(r, lang) if _present_number(r.get("value")) else "" for r in records
    ]
    scope = t("col.scope", lang)  # 仙霞新村街道 whole, not cut at the width of 虹桥街道
    show_table(
        table,
        column_config={scope: st.column_config.TextColumn(width=line_width(table[scope]))},
    )
    downloads(current, lang)


def project_totals(summary: pd.DataFrame, lang: str) -> None:
    """Count, support and expected saving in all; the units are in the labels."""
    cols = st.columns(3)
    for col, (key, column, unit) in zip(
        cols,
        [
            ("projects.count", "n_projects", "item"),
            ("projects.amount", "amount_10k_yuan", "10k_yuan"),
            ("projects.saving", "saving_tce_per_year", "tce"),
        ],
        strict=True,
    ):
        total = analysis.known_sum(summary[column])
        shown = t("missing.not_given", lang) if pd.isna(total) else number(total, unit, lang)
        col.metric(t(key, lang), shown)
        left_out = int(summary[f"{column}_missing"].sum()) if column != "n_projects" else 0
        if left_out:  # a total never hides what it could not count
            col.caption(t("projects.missing_values", lang, n=left_out))


def project_summary(summary: pd.DataFrame, lang: str) -> None:
    """Counts, amounts and expected savings per 街镇."""
    columns = {
        t("col.scope", lang): [i18n.scope_name(c, lang) for c in summary["scope_code"]],
        t("projects.count", lang): summary["n_projects"],
    }
    sums = []
    for column, key in (("amount_10k_yuan", "col.amount"), ("saving_tce_per_year", "col.saving")):
        columns[t(key, lang)] = summary[column].round(1)
        sums.append(t(key, lang))
        left_out = summary[f"{column}_missing"]
        if left_out.any():  # a partial sum says, on its row, how many projects it lacks
            columns[t(f"{key}_missing", lang)] = left_out
    table = pd.DataFrame(columns)
    one_decimal = number_columns(table[sums], "%,.1f")  # sums to one decimal, as on the cards
    show_table(table, column_config={**number_columns(table), **one_decimal})


def project_register(projects: pd.DataFrame, year: int, lang: str) -> None:
    """The funded projects, as registered (made-up illustrative names in English in English
    mode), with CSV and XLSX downloads like every other table."""
    demo = projects["is_demo"].fillna(False).astype(bool)
    table = pd.DataFrame(
        {
            t("col.project", lang): [
                i18n.demo_name(v, d, lang) for v, d in zip(projects["name"], demo, strict=True)
            ],
            t("col.enterprise", lang): [
                i18n.demo_name(v, d, lang)
                for v, d in zip(projects["enterprise"], demo, strict=True)
            ],
            t("col.scope", lang): [i18n.scope_name(c, lang) for c in projects["scope_code"]],
            t("col.category", lang): [i18n.term(v, lang) for v in projects["category"]],
            t("col.amount", lang): projects["amount_10k_yuan"],
            t("col.saving", lang): projects["saving_tce_per_year"],
            t("col.project_status", lang): [i18n.term(v, lang) for v in projects["status"]],
            t("col.source", lang): [
                i18n.source_label(s, bool(d), lang)
                for s, d in zip(projects["source"], projects["is_demo"], strict=True)
            ],
        }
    )
    show_table(table, fit=False, column_config=number_columns(table))
    stem = t("export.projects_file", lang, year=year, date=date.today().strftime("%Y%m%d"))
    table_downloads(table, stem, "projects", lang)


# A slide's chart fits under the top bar and slide title on a 1366×768 projector screen.
SLIDE_CHART_PX = 400


def big_text(text: str) -> None:
    """A slide's headline in presentation size (escaped: data goes in, never markup)."""
    st.markdown(
        f"<p data-testid='slide-headline' style='font-size:1.7rem;line-height:1.45'>"
        f"{html.escape(text)}</p>",
        unsafe_allow_html=True,
    )


def big_figure(card: dict, lang: str) -> None:
    """A slide's figure where there is no chart: the value in display size with its unit,
    or what stands in for it (年末报送, 未报送), and its status."""
    shown = big_words(card, lang)
    mark = briefing.figure_mark(card, lang).strip()
    colour = RAG_COLOURS[card["rag_status"]]
    st.markdown(
        f"<div data-testid='big-figure' style='height:{SLIDE_CHART_PX}px;display:flex;"
        f"align-items:center;justify-content:center;border:1px solid #cfd8dc;"
        f"border-radius:0.75rem;border-top:0.6rem solid {colour};flex-direction:column'>"
        # display size, smaller for words (a status in place of a value) so they keep a line
        f"<span style='font-size:{4 if len(shown) <= 12 else 2.6}rem;font-weight:700;"
        f"text-align:center'>{html.escape(shown)}</span>"
        f"<span style='font-size:1.5rem'>{html.escape(mark)}</span></div>",
        unsafe_allow_html=True,
    )


def any_demo(card: dict, rows: pd.DataFrame) -> bool:
    """Whether a slide shows an illustrative figure: its own, last year's, its target's,
    or one in its chart."""
    keys = ("is_demo", "previous_is_demo", "target_is_demo")
    in_chart = "is_demo" in rows and any(flagged(r, "is_demo") for r in rows.to_dict("records"))
    return in_chart or any(flagged(card, k) for k in keys)


def slide_footer(card: dict, lang: str) -> None:
    """Status, the 情况说明 note, source, data status and as-of date of a slide."""
    status = card["rag_status"]
    st.markdown(
        f"<span data-testid='slide-status' style='color:{RAG_COLOURS[status]};"
        f"font-weight:700;font-size:1.4rem'>{html.escape(status_label(card, lang))}</span>",
        unsafe_allow_html=True,
    )
    for line in briefing.footer_lines(card, lang):
        data_caption(line)


def chart(figure, key: str, lang: str, **kwargs):
    """A plotly chart with PNG and SVG downloads made by kaleido when asked (the toolbar's
    own PNG works too, in the browser). Returns what st.plotly_chart returns."""
    from indicators.exports import takeaway

    event = st.plotly_chart(figure, key=key, **kwargs)
    title = (figure.layout.title.text or key).split("<br>")[0]
    stem = t(
        "export.chart_file", lang, name=i18n.file_part(title), date=date.today().strftime("%Y%m%d")
    )
    for col, (fmt, mime) in zip(
        st.columns([1, 1, 4]), [("png", "image/png"), ("svg", "image/svg+xml")], strict=False
    ):
        col.download_button(
            t(f"export.{fmt}", lang),
            data=lambda fmt=fmt: takeaway.figure_image(figure, fmt),
            file_name=f"{stem}.{fmt}",
            mime=mime,
            key=f"{key}_{fmt}",
            icon=":material/download:",
        )
    return event
