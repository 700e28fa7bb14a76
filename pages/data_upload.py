"""数据上传 Upload: choose a file, see it checked row by row, then load it."""

from functools import partial

import streamlit as st

from indicators.intake import buildings, checks, files, loading, recipes
from indicators.reference.i18n import t
from indicators.views import data, ui, widgets

f = ui.page_frame("page.upload", filters=())
editor = ui.require_editor(f.lang)
st.caption(
    t("auth.signed_in_as", f.lang, name=editor.name, streets=ui.streets_text(editor, f.lang))
)

with st.expander(t("boundaries.title", f.lang)):
    data.boundary_upload(editor, f.lang)

kind = st.selectbox(
    t("upload.kind", f.lang),
    [None, *files.kinds()],
    key="upload_kind",
    format_func=lambda k: t(f"upload.kind_{k or 'auto'}", f.lang),
)
data.template_downloads(kind or "observations", f.lang)
upload = widgets.file_uploader(
    t("upload.file", f.lang), [e.lstrip(".") for e in files.EXTENSIONS], "upload_file", f.lang
)
if upload is None:
    st.stop()

content = upload.getvalue()
raw = files.read_upload(content, upload.name, kind=kind)
if len(raw.sheet_names) > 1:  # the sheet found is proposed; the editor may pick another
    sheet = st.selectbox(
        t("upload.sheet", f.lang),
        raw.sheet_names,
        index=raw.sheet_names.index(raw.sheet) if raw.sheet in raw.sheet_names else 0,
        key=f"upload_sheet_{upload.file_id}",
    )
    if sheet != raw.sheet:
        raw = files.read_upload(content, upload.name, kind=kind, sheet=sheet)
recipe_name = None
allowed = editor.allowed_scopes()
# A long file with no 街镇, year or period of its own: chosen once for the whole file.
context = data.file_context(raw.problems, allowed, f.lang, upload.file_id)
if context:
    raw = files.read_upload(content, upload.name, kind, raw.sheet, **context)
settled = None
if raw.reading is not None:  # a wide table: read as a saved recipe says, or as confirmed
    settled = recipes.settle(raw.reading, allowed_scopes=allowed)
elif raw.problems and raw.head:  # not read: as set by hand before for its shape
    settled = recipes.by_hand_for(raw.head, kind, allowed)
if raw.head and (raw.problems or raw.reading is not None):  # or as the official sets it now
    unplaced = any(p.key == "no_header" for p in raw.problems)  # no table found at all
    with st.expander(t("layout.by_hand_title", f.lang), expanded=settled is None and unplaced):
        placed = data.where_by_hand(raw.head, kind, f.lang, upload.file_id)
    if placed is not None:
        settled = recipes.Settled(placed)
if settled is not None:
    reading = settled.reading
    if reading.recipe:
        st.info(recipes.described(reading, f.lang))
    if settled.set_aside is not None:
        st.warning("\n\n".join(recipes.disagreement_lines(settled, f.lang)))
    with st.expander(t("layout.title", f.lang), expanded=reading.recipe is None):
        chosen, recipe_name = data.reading_editor(reading, f.lang, upload.file_id, editor.name)
    if chosen != raw.reading:
        raw = files.read_upload(content, upload.name, kind, raw.sheet, reading=chosen)
checked = checks.check(raw, allowed_scopes=allowed)
placing = None  # a meter export's buildings the register does not place, as chosen here
if buildings.to_place(checked):
    placing = data.place_buildings(checked, f.lang, upload.file_id, allowed)
    if placing is None:
        st.stop()
    checked = checks.check(raw, allowed_scopes=allowed, placed=buildings.placed(placing))
data.check_report(checked, f.lang)
if not checked.ok:
    st.stop()

data.preview(checked, f.lang)
# The plan and the load are one call with the same file, editor and rights.
load = partial(
    loading.load,
    checked,
    editor=editor.name,
    file_name=upload.name,
    data=content,
    allowed_scopes=allowed,
)
replace = False
try:
    plan = load(dry_run=True)
except loading.LoadRefused as refused:
    data.refused(refused.problems, f.lang)
    st.stop()
except loading.LoadConflict as conflict:
    data.conflicts(conflict.conflicts, checked.kind, f.lang)
    choice = st.radio(
        t("upload.on_conflict", f.lang),
        ["cancel", "replace"],
        key="on_conflict",
        format_func=lambda c: t(f"upload.{c}", f.lang),
        horizontal=True,
    )
    replace = choice == "replace"
    if not replace:
        st.stop()
except loading.LoadHeld:
    pass  # asked below, with the replace chosen
# Figures outside their plausible bounds load only once confirmed with a note.
note = None
try:
    plan = load(dry_run=True, replace=replace)
except loading.LoadHeld as held:
    note = data.held_confirmation(held.flags, f.lang, key=f"held_{upload.file_id}")
    if note is None:
        st.stop()
    plan = load(dry_run=True, replace=replace, confirm_note=note)
st.info(t("intake.dry_run", f.lang, **plan.counts))

if st.button(t("upload.load", f.lang), type="primary", key="upload_load"):
    try:
        if placing is not None:  # registered first: the readings' 街镇 are the register's
            batch, n = buildings.save(
                placing, editor=editor.name, file_name=upload.name, data=content,
                allowed_scopes=allowed, column=buildings.scope_header(),
            )  # fmt: skip
            if batch is not None:
                st.success(t("intake.buildings_saved", f.lang, n=n, batch=batch))
        result = load(replace=replace, confirm_note=note)
    except buildings.BuildingsRefused as refusal:
        data.refused(refusal.problems, f.lang)
    except (loading.LoadConflict, loading.LoadRefused, loading.LoadHeld):
        st.error(t("upload.changed_meanwhile", f.lang))
    else:
        submitted = loading.is_submission(checked.kind, allowed)
        key = "reporting.submitted" if submitted else "intake.loaded"
        st.success(t(key, f.lang, batch=result.batch_id, **result.counts))
        if recipe_name and checked.reading is not None:
            try:  # checked as it was typed; someone may have taken the name since
                recipes.save(recipe_name, checked.reading, editor.name, allowed)
            except recipes.RecipeRefused as refused:
                st.warning(t(f"intake.{refused.key}", f.lang, **refused.params))
            else:
                st.success(t("intake.recipe_saved", f.lang, name=recipe_name))
