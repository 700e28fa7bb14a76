"""Streamlit pieces of the data pages: templates, the check report, conflicts, history."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from indicators import reference
from indicators.domain import geo
from indicators.exports import templates
from indicators.intake import boundaries, checks, files, loading
from indicators.intake.checks import describe, reading_lines, reading_notes, reason
from indicators.intake.model import Checked, declaration
from indicators.reference import i18n
from indicators.reference.i18n import t
from indicators.views.widgets import (
    NOTICE_STYLE,
    data_caption,
    file_uploader,
    number_columns,
    show_table,
)


def template_downloads(kind: str, lang: str) -> None:
    cols = st.columns(2)
    name = t(f"upload.kind_{kind}", lang)
    cols[0].download_button(
        t("upload.template_xlsx", lang, kind=name),
        templates.template_xlsx(kind, lang),
        file_name=f"{kind}_template.xlsx",
        key="template_xlsx",
    )
    cols[1].download_button(
        t("upload.template_csv", lang, kind=name),
        templates.template_csv(kind),
        file_name=f"{kind}_template.csv",
        mime="text/csv",
        key="template_csv",
    )


def check_report(checked: Checked, lang: str) -> None:
    """How the file was read, then one line per problem, or that the file is fine."""
    for note in reading_notes(checked, lang, with_reading=checked.reading is None):
        data_caption(note)  # the file's own words in it: shown as text
    if checked.ok:
        st.success(
            t(
                "upload.checked_ok",
                lang,
                n=len(checked.frame),
                kind=t(f"upload.kind_{checked.kind}", lang),
            )
        )
        return
    st.error(t("intake.rejected", lang, n=len(checked.problems)))
    report = pd.DataFrame(
        {
            t("upload.col_row", lang): [
                p.row if p.row is not None else "" for p in checked.problems
            ],
            t("upload.col_column", lang): [p.column or "" for p in checked.problems],
            t("upload.col_value", lang): [p.value for p in checked.problems],
            t("upload.col_problem", lang): [reason(p, lang) for p in checked.problems],
        }
    )
    show_table(report, fit=False)


# What a long file does not give, set once for the whole file: the problem that asks it.
ASKED_FOR_FILE = {
    "scope": ("no_scope_column", "title_scopes", "address_no_scope"),
    "year": ("long_no_year", "sheet_titles_differ", "year_option_differs"),
    "period": ("long_no_period", "sheet_titles_differ"),
}


def file_context(problems: list, allowed: set[str] | None, lang: str, key: str) -> dict:
    """The 街镇, year and period a long file gives none of (as `--scope`, `--year` and
    `--period` do on the command line): offered only where a problem asks for it, with no
    value until the official chooses one. Returns what is chosen, for files.read_upload."""
    asked = {p.key for p in problems}
    out: dict = {}
    if asked & set(ASKED_FOR_FILE["scope"]):
        streets = [c for c in reference.leaves() if allowed is None or c in allowed]
        out["scope"] = st.selectbox(
            t("upload.file_scope", lang),
            streets,
            index=None,
            placeholder=t("layout.pick", lang),
            format_func=lambda c: i18n.owner_name(c, lang),
            key=f"{key}_file_scope",
        )
    if asked & set(ASKED_FOR_FILE["year"]):
        out["year"] = st.number_input(
            t("layout.pick_year", lang), 2000, 2100, value=None, step=1, key=f"{key}_file_year"
        )
    if asked & set(ASKED_FOR_FILE["period"]):
        out["period"] = st.selectbox(
            t("layout.pick_period", lang),
            reference.PERIODS,
            index=None,
            placeholder=t("layout.pick", lang),
            format_func=lambda p: i18n.period_label(p, lang),
            key=f"{key}_file_period",
        )
    return {k: (int(v) if k == "year" else v) for k, v in out.items() if v is not None}


def where_by_hand(head: list, kind: str | None, lang: str, key: str):
    """For a file the guesser cannot read: its first rows as they are, and the official
    says which rows are the header and which column gives each row's 街镇 (its name, or an
    address or unit name that names it in full). Returns the table read so (each column
    then chosen as for any wide table), or None until both are set."""
    from indicators.intake import layout

    width = max((len(cells) for _, cells in head), default=0)
    letters = [layout.Column(j, "").letter for j in range(width)]
    shown = pd.DataFrame(
        [[str(c) if c is not None else "" for c in cells] + [""] * (width - len(cells))
         for _, cells in head],
        columns=letters,
    )  # fmt: skip
    shown.insert(0, t("upload.col_row", lang), [n for n, _ in head])
    st.caption(t("layout.by_hand_help", lang))
    show_table(shown, fit=False)
    left, mid, right = st.columns([2, 2, 1])
    header_rows = left.multiselect(
        t("layout.header_rows", lang),
        [n for n, _ in head],
        placeholder=t("layout.pick", lang),
        key=f"{key}_hand_header",
    )
    first_texts = {
        j: next((str(c[j]).strip() for n, c in head if n in header_rows and j < len(c) and c[j]),
                "")
        for j in range(width)
    }  # fmt: skip
    label = mid.selectbox(
        t("layout.label_column", lang),
        range(width),
        index=None,
        placeholder=t("layout.pick", lang),
        format_func=lambda j: f"{letters[j]} {first_texts[j]}".strip(),
        key=f"{key}_hand_label",
    )
    table_kind = kind if kind in ("observations", "budget") else "observations"
    if kind is None:
        table_kind = right.selectbox(
            t("upload.kind", lang),
            ["observations", "budget"],
            format_func=lambda k: t(f"upload.kind_{k}", lang),
            key=f"{key}_hand_kind",
        )
    if not header_rows or label is None:
        st.info(t("layout.by_hand_to_set", lang))
        return None
    try:
        return layout.by_hand(head, table_kind, sorted(header_rows), label)
    except ValueError:
        st.info(t("layout.by_hand_to_set", lang))
        return None


# A column whose period word (三季度, 9月) is asked: it is read only once that is answered.
ASKED_WORDS = ("ambiguous_quarter", "ambiguous_month")


def reading_editor(reading, lang: str, key: str, editor: str) -> tuple[object, str | None]:
    """A wide table's reading, to confirm or change: the table's year and period, and for
    each shape of column (1月 … 9月 count once) the indicator it holds and which year.
    Returns the reading as chosen, and the name `editor` keeps it under (None: not kept;
    a name someone else saved is refused here, with a free one proposed)."""
    from indicators.intake import layout

    out = layout.Reading.from_dict(reading.to_dict())
    summary = st.empty()  # filled once the choices below are known
    out = _pick_year_and_period(reading, out, lang, key)
    every = ["", *reference.indicator_ids()]
    for n, cols in enumerate(_column_groups(out).values()):
        _pick_column(out, cols, n, every, lang, key)
    # The file's own words (headers, title) are shown as text, never as markdown.
    summary.text("\n".join(line.strip() for line in reading_lines(out, lang)))
    return out, _recipe_name(reading, lang, key, editor)


def _pick_year_and_period(reading, out, lang: str, key: str):
    """The table's year and period, and the answer to each period word asked (三季度: the
    quarter, or January to its end?); returns the reading with them."""
    from indicators.intake import layout

    left, right = st.columns(2)
    year = left.number_input(
        t("layout.pick_year", lang), 2000, 2100, value=reading.year, step=1, key=f"{key}_year"
    )
    periods = [None, *reference.PERIODS]
    out.period = right.selectbox(
        t("layout.pick_period", lang),
        periods,
        index=periods.index(reading.period) if reading.period in periods else 0,
        format_func=lambda p: i18n.period_label(p, lang) if p else t("layout.by_column", lang),
        key=f"{key}_period",
    )
    out.year = int(year) if year is not None else None
    for n, word in enumerate(layout.asked_words(out)):  # 三季度: the quarter, or Jan to its end?
        answer = layout.ytd_answer(word)
        picked = st.selectbox(
            t("layout.period_word", lang, word=word),
            [None, answer],
            format_func=lambda p: i18n.period_label(p, lang) if p else t("layout.unknown", lang),
            key=f"{key}_word_{n}",
        )
        if picked:
            out = layout.with_words(out, {word: picked})
    return out


def _column_groups(reading) -> dict[str, list]:
    """The columns offered for a choice, grouped by shape (1月 … 9月 are one group)."""
    groups: dict[str, list] = {}
    for col in reading.columns:
        # a column with no header, or of a table beside with no 街镇 column, is not offered
        if col.role in ("value", "unused", "growth") and col.reason not in (
            "no_header",
            "no_label",
            "other_table",
        ):
            groups.setdefault(col.signature, []).append(col)
    return groups


def _pick_column(out, cols: list, n: int, every: list[str], lang: str, key: str) -> None:
    """One group of columns: the indicator it holds (or skip), which year its figures are
    for, and its unit; the choices are written onto each column of the group."""
    first = cols[0]
    letters = first.letter if len(cols) == 1 else f"{first.letter}–{cols[-1].letter}"
    # A budget's year column and a transposed table's 街镇 column are read or not.
    fixed = out.kind == "budget" or first.scope is not None
    choices = ["", "read"] if fixed else every
    now = "" if first.role == "unused" else (first.indicator or "read")
    # what the column's figures are: this period's, the previous year's, or a growth
    # rate that is checked against the two and never loaded
    roles = ["current", "previous"] + (["growth"] if out.kind == "observations" else [])
    role_now = "growth" if first.role == "growth" else ("previous" if first.previous else "current")
    if first.reason in ASKED_WORDS:  # read once its period word is answered above
        now = first.indicator or ""
    a, b, c = st.columns([3, 2, 2])
    picked = a.selectbox(
        t("layout.column_pick", lang, letters=letters, header=first.header),
        choices,
        index=choices.index(now) if now in choices else 0,
        format_func=lambda i: _reading_choice(i, lang),
        key=f"{key}_col_{n}",
    )
    role = b.selectbox(
        t("layout.which_year", lang),
        roles,
        index=roles.index(role_now) if role_now in roles else 0,
        format_func=lambda r: t(f"layout.{r}", lang),
        key=f"{key}_prev_{n}",
    )
    units = _unit_choices(out, picked, first.unit)
    unit = c.selectbox(
        t("layout.unit", lang),
        units,
        index=units.index(first.unit or ""),
        format_func=lambda u: u or t("layout.catalogue_unit", lang),
        key=f"{key}_unit_{n}",
        disabled=picked == "" or first.scope is not None,
    )
    _apply_column_choice(cols, picked, role, unit)


def _apply_column_choice(cols: list, picked: str, role: str, unit: str) -> None:
    """Write one group's choices onto each of its columns: skipped, still asked, or read
    as a value or a checked growth rate, in the unit chosen."""
    first = cols[0]
    for col in cols:
        col.previous = role == "previous"
        if first.scope is None:
            col.unit = unit or None
        if picked == "":
            col.reason = col.reason if col.role == "unused" else "chosen"
            col.role = "unused"
        elif col.reason in ASKED_WORDS:  # still asked: its period word is not answered
            col.indicator = None if picked == "read" else picked
        else:
            col.role, col.reason = (
                ("growth", "growth_checked") if role == "growth" else ("value", "")
            )
            col.indicator = None if picked == "read" else picked


def _recipe_name(reading, lang: str, key: str, editor: str) -> str | None:
    """Whether to keep the reading, and the name `editor` keeps it under (None: not kept,
    or a name someone else saved, refused with a message)."""
    from indicators.intake import layout, recipes

    # A reading read by a recipe has nothing new to keep unless it is changed.
    keep = st.checkbox(t("layout.keep", lang), value=reading.recipe is None, key=f"{key}_keep")
    name = st.text_input(
        t("layout.recipe_name", lang),
        value=recipes.owned_name(reading.recipe or layout.name_of(reading), editor),
        key=f"{key}_name",
        max_chars=recipes.NAME_MAX,
    )
    if not keep:
        return None
    try:
        return recipes.check_owner(name, editor)
    except recipes.RecipeRefused as refused:
        st.error(t(f"intake.{refused.key}", lang, **refused.params))
        return None


def _unit_choices(reading, picked: str, current: str | None) -> list[str]:
    """The units a column may be read in: those that convert to its indicator's unit (a
    transposed table's units are each row's)."""
    target = "10k_yuan" if reading.kind == "budget" else None
    if picked not in ("", "read"):
        target = reference.indicator(picked)["unit"]
    names = [str(u) for u in declaration()["units"].get(target, {})] if target else []
    return list(dict.fromkeys(["", *([current] if current else []), *names]))


def _reading_choice(choice: str, lang: str) -> str:
    if choice == "":
        return t("layout.skip", lang)
    if choice == "read":
        return t("layout.read", lang)
    return i18n.indicator_name(choice, lang)


def place_buildings(
    checked: Checked, lang: str, key: str, allowed: set[str] | None
) -> pd.DataFrame | None:
    """The buildings a meter export names that the register does not place, each with a
    街镇 select with no default (the official chooses; only their own 街镇 are offered).
    The placing (name, scope_code) once every building has an allowed 街镇, else None."""
    from indicators.intake import buildings

    st.warning(t("upload.buildings_title", lang))
    streets = [
        s["code"]
        for s in reference.scopes()
        if s["kind"] in reference.LEAF_KINDS and (allowed is None or s["code"] in allowed)
    ]
    rows = []
    for n, (name, count) in enumerate(checked.unknown_buildings):
        label = t("upload.building_pick", lang, name=name, n=count)
        data_caption(label)  # the file's own words: shown as text
        code = st.selectbox(
            label,
            streets,
            index=None,
            placeholder=t("upload.building_choose", lang),
            format_func=lambda c: i18n.scope_name(c, lang),
            key=f"{key}_building_{n}",
            label_visibility="collapsed",
        )
        rows.append((None, name, code))
    frame = pd.DataFrame(rows, columns=["excel_row", "name", "scope_code"])
    if frame["scope_code"].isna().any():
        st.info(t("upload.buildings_pending", lang))
        return None
    problems = buildings.check(frame, allowed, buildings.scope_header())
    if problems:
        refused(problems, lang)
        return None
    return frame


def refused(problems: list, lang: str) -> None:
    """Rows outside the editor's rights: said row by row; nothing loads."""
    st.error(t("intake.load_refused", lang, n=len(problems)))
    st.text("\n".join(describe(p, lang) for p in problems))  # text from a file: never markdown


def preview(checked: Checked, lang: str, rows: int = 50) -> None:
    st.subheader(t("upload.preview", lang))
    shown = checked.frame.head(rows).copy()
    _label_cells(shown, lang)
    shown.columns = [
        t("upload.col_row", lang) if c == "excel_row" else column_label(checked.kind, c, lang)
        for c in shown.columns
    ]
    show_table(shown, fit=False)


def column_label(kind: str, column_id: str, lang: str) -> str:
    """A declared column's header: the Chinese one, or in English the first in ASCII."""
    for col in declaration()["kinds"][kind]["columns"]:
        if col["id"] == column_id:
            if lang == "en":
                return next((h for h in col["headers"] if h.isascii()), column_id)
            return col["headers"][0]
    return column_id


def conflicts(frame: pd.DataFrame, kind: str, lang: str) -> None:
    """The rows that would change loaded figures: their key, the figure before and after."""
    st.warning(t("intake.conflicts", lang, n=len(frame)))
    shown = frame.drop(columns=["table"]).rename(
        columns={
            "old_value": t("history.col_before", lang),
            "new_value": t("history.col_after", lang),
            "changed": t("upload.col_changed", lang),
        }
    )
    _label_cells(shown, lang)
    shown.columns = [column_label(kind, c, lang) for c in shown.columns]
    show_table(shown, fit=False)


def _label_cells(frame: pd.DataFrame, lang: str) -> None:
    """Codes in a frame's cells as the user reads them."""
    if "scope_code" in frame:
        frame["scope_code"] = [i18n.scope_name(c, lang) for c in frame["scope_code"]]
    if "indicator_id" in frame:
        frame["indicator_id"] = [i18n.indicator_name(i, lang) for i in frame["indicator_id"]]
    if "data_status" in frame:
        frame["data_status"] = [t(f"data_status.{v}", lang) for v in frame["data_status"]]
    if "period" in frame:  # a targets file's annual rows have none: the whole year
        frame["period"] = [
            i18n.period_label(p if isinstance(p, str) else "Y", lang) for p in frame["period"]
        ]
    if "unit" in frame and ("indicator_id" in frame or "energy_type" in frame):
        frame["unit"] = [i18n.unit_label(u, lang) for u in frame["unit"]]
    if "energy_type" in frame:
        frame["energy_type"] = [t(f"energy.{e}", lang) for e in frame["energy_type"]]


SIGNINS_SHOWN = 200


def signins_table(events: list[dict], lang: str, unreadable: list[str] | None = None) -> None:
    """The latest sign-in attempts, newest first (for district editors), and the log's
    lines that do not parse, by place (they count as nothing, never as a success)."""
    st.subheader(t("history.signins", lang))
    st.caption(t("history.signins_help", lang, n=SIGNINS_SHOWN))
    if unreadable:
        where = ", ".join(unreadable[:20]) + (" …" if len(unreadable) > 20 else "")
        st.warning(t("history.signins_unreadable", lang, n=len(unreadable), where=where))
    latest = events[::-1][:SIGNINS_SHOWN]
    table = pd.DataFrame(
        {
            t("history.col_at", lang): [e["at"].strftime("%Y-%m-%d %H:%M:%S") for e in latest],
            t("history.col_account", lang): [e.get("name", "") for e in latest],
            t("history.col_outcome", lang): [t(f"signin.{e['outcome']}", lang) for e in latest],
            # Streamlit gives no address for a browser on the server itself.
            t("history.col_ip", lang): [e.get("ip") or t("history.ip_local", lang) for e in latest],
        }
    )
    show_table(table, fit=False)


def batches_table(batches: pd.DataFrame, lang: str) -> None:
    if batches.empty:
        st.info(t("history.none", lang))
        return
    table = pd.DataFrame(
        {
            t("history.col_batch", lang): [f"#{b}" for b in batches["batch_id"]],
            t("history.col_kind", lang): [t(f"history.kind_{k}", lang) for k in batches["kind"]],
            t("history.col_editor", lang): batches["editor"],
            t("history.col_time", lang): batches["loaded_at"].astype(str).str[:19],
            t("history.col_file", lang): batches["file_name"].fillna(""),
            t("history.col_rows", lang): batches["row_count"],
            t("history.col_changes", lang): batches["n_changes"],
            t("history.col_status", lang): [
                t("history.rolled_back_by", lang, batch=int(by))
                if s == "rolled_back"
                else (
                    t("history.rollback_of", lang, batch=n)
                    if k == "rollback"
                    else t("history.in_force", lang)
                )
                for s, by, k, n in zip(
                    batches["status"],
                    # (0 is never shown: only a rolled-back batch's number is read)
                    batches["rolled_back_by"].fillna(0),
                    batches["kind"],
                    batches["note"].fillna(""),
                    strict=True,
                )
            ],
            t("history.col_review", lang): [
                t(f"history.review_{r}", lang, reason=why) if isinstance(r, str) else ""
                for r, why in zip(batches["review"], batches["review_reason"], strict=True)
            ],
        }
    )
    show_table(table, fit=False, column_config=number_columns(table))  # 461,208 rows


def readings_summary(batch: pd.Series, lang: str) -> None:
    """A readings batch changes too many rows to list: its counts instead."""
    if batch["kind"] == "readings" and isinstance(batch.get("counts_json"), str):
        st.info(t("history.readings_summary", lang, **json.loads(batch["counts_json"])))


_KEY_NAMES = {
    "scope_code": i18n.scope_name,
    "indicator_id": i18n.indicator_name,
    "period": i18n.period_label,
}


def key_text(key: dict, lang: str) -> str:
    """A changed row's key as a reader names it (虹桥街道 · 市级低碳社区数 · 2014 · 全年), not
    as stored; a code the catalogue does not know stays as it is, an empty part is left out."""

    def name(column: str, value) -> str:
        try:
            return _KEY_NAMES[column](value, lang)
        except (KeyError, TypeError):
            return str(value)

    return " · ".join(name(c, v) for c, v in key.items() if v not in (None, ""))


def changes_table(changes: pd.DataFrame, lang: str) -> None:
    """What a batch changed: the row's key, and the value before and after."""

    def value(row_json) -> str:
        if not isinstance(row_json, str):
            return t("common.none", lang)
        row = json.loads(row_json)
        for col in (
            "value",
            "target_value",
            "plan_value",
            "amount_10k_yuan",
            "capacity_kw",
            "scope_code",
        ):
            if col in row:
                return str(row[col])
        return t("common.none", lang)

    table = pd.DataFrame(
        {
            t("history.col_table", lang): [
                t(f"history.table_{n}", lang) for n in changes["table_name"]
            ],
            t("history.col_action", lang): [
                t(f"history.action_{a}", lang) for a in changes["action"]
            ],
            t("history.col_key", lang): [
                key_text(json.loads(k), lang) for k in changes["key_json"]
            ],
            t("history.col_before", lang): [value(r) for r in changes["old_row_json"]],
            t("history.col_after", lang): [value(r) for r in changes["new_row_json"]],
        }
    )
    show_table(table, fit=False)


def boundary_upload(editor, lang: str) -> None:
    """Official 街镇 boundaries: checked, then stored in place of the schematic ones.
    Only a district editor may replace them."""
    if editor.streets is not None:
        st.caption(t("boundaries.district_only", lang))
        return
    upload = file_uploader(
        t("boundaries.file", lang), ["geojson", "json", "zip", "gpkg"], "boundary_file", lang
    )
    source = st.text_input(t("boundaries.source", lang), key="boundary_source")
    if upload is None:
        return
    suffix = Path(upload.name).suffix
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"boundaries{suffix}"
        path.write_bytes(upload.getvalue())
        frame, problems = geo.read_boundaries(path)
    for problem in problems:
        st.error(t(f"geo.{problem.key}", lang, value=problem.value))
    if problems:
        return
    st.success(
        t(
            "boundaries.checked",
            lang,
            n=len(frame),
            names=", ".join(i18n.scope_name(c, lang) for c in frame["scope_code"]),
        )
    )
    if st.button(t("boundaries.load", lang), key="boundary_load", disabled=not source.strip()):
        batch = boundaries.save(geo.to_rows(frame, source.strip()), editor.name, upload.name)
        st.success(t("cli.boundaries_done", lang, n=len(frame), batch=batch, source=source.strip()))


FLASH = "_flash"  # what the last action did, said after the page reruns with fresh data


def flash() -> None:
    if message := st.session_state.pop(FLASH, None):
        st.success(message)


def done(message: str) -> None:
    """Say `message` once the page has rerun: the tables above it show the change."""
    st.session_state[FLASH] = message
    st.rerun()


def held_confirmation(flags: pd.DataFrame, lang: str, key: str) -> str | None:
    """The figures held as implausible, each with its row and why ("与上年同期相比下降
    99.998%，请确认"); a note and a tick confirm them. The note, once both are given."""
    from indicators.domain import plausibility

    st.warning(t("plaus.held", lang, n=len(flags)))
    for flag in flags.to_dict("records"):  # whole sentences: a grid cell would cut them
        data_caption("⚠ " + plausibility.line(flag, lang), style=NOTICE_STYLE)
    if plausibility.illustrative(flags["indicator_id"]):
        st.caption(t("plaus.bounds_illustrative", lang))
    note = st.text_area(t("plaus.note", lang), key=f"{key}_note").strip()
    ticked = st.checkbox(t("plaus.confirm", lang), key=f"{key}_ok")
    if ticked and not note:
        st.error(t("plaus.note_needed", lang))
    return note if ticked and note else None


HELD = "_held_form"  # a grid's rows held as implausible, until confirmed or dropped


def submit_form(kind: str, entries: pd.DataFrame, editor, name: str, lang: str) -> None:
    """Rows entered in a grid, checked and loaded exactly as an uploaded file of `kind`
    (the editor's rights on every row, before and after); the grid showed the loaded
    figures, so a changed one replaces its figure on purpose. Figures outside their
    plausible bounds are kept aside for held_form to confirm."""
    _load_form(kind, files.form_csv(kind, entries), editor, name, lang)


def _load_form(kind: str, data: bytes, editor, name: str, lang: str, note: str | None = None):
    allowed = editor.allowed_scopes()
    checked = checks.check(files.read_upload(data, name, kind=kind), allowed_scopes=allowed)
    if not checked.ok:
        check_report(checked, lang)
        return
    try:
        result = loading.load(
            checked, editor=editor.name, file_name=name, data=data, replace=True,
            allowed_scopes=allowed, confirm_note=note,
        )  # fmt: skip
    except loading.LoadRefused as refusal:
        refused(refusal.problems, lang)
        return
    except loading.LoadHeld as held:
        st.session_state[HELD] = {"kind": kind, "data": data, "name": name, "flags": held.flags}
        st.rerun()
    st.session_state.pop(HELD, None)
    key = "reporting.submitted" if loading.is_submission(kind, allowed) else "intake.loaded"
    done(t(key, lang, batch=result.batch_id, **result.counts))


def held_form(editor, lang: str) -> bool:
    """A grid's figures held as implausible: confirm them with a note (then they load as
    any other), or go back to the grid. Whether some are held (the grid waits)."""
    held = st.session_state.get(HELD)
    if held is None:
        return False
    note = held_confirmation(held["flags"], lang, key="held_form")
    left, right = st.columns(2)
    if left.button(
        t("plaus.confirm_load", lang), type="primary", disabled=note is None, key="held_load"
    ):
        _load_form(held["kind"], held["data"], editor, held["name"], lang, note)
    if right.button(t("plaus.back_to_grid", lang), key="held_back"):
        st.session_state.pop(HELD, None)
        st.rerun()
    return True
