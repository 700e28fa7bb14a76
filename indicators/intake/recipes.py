"""Reading recipes (读取模板): a wide table's confirmed reading, kept by name and keyed on
the table's header shape (layout.Reading.shape), so next month's file of that shape is
read the same way with no questions.

A recipe keeps what the editor chose for each column — read or not, which indicator, this
year or the previous, the unit — by the column's header shape (9月 and 10月 are one
shape). It never keeps a year or a period: those come from each file's own title and
headers, and where a file gives none the editor is asked again. A figure is never loaded
under last month's date.

A recipe belongs to whoever saved it. It records the saver, the time and the saver's reach
(`scopes`): a district editor's applies to every load, a 街镇 editor's only to loads by
editors of that 街镇, and nobody saves over a recipe someone else saved. A recipe never
overrides what the file itself states — a unit in its title, unit row or header, or a
column of years, periods or units: where the two disagree, the recipe is not applied and
the reading is asked again, as for a new shape.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import yaml

from indicators import reference
from indicators.intake import cells, layout, periods
from indicators.intake.layout import Column, Reading
from indicators.intake.model import clean_text, compare_key
from indicators.store import db

# What a recipe sets on a column; the rest (month, year, period) is read from the header.
CHOICES = ("role", "indicator", "previous", "unit", "sign", "reason")
NAME_MAX = 80
DISTRICT = "*"  # `scopes` of a district editor's recipe: it applies to everyone
# Column roles that say what the file states on each row: a recipe never reads them away.
STATED_ROLES = ("year", "period", "unit")
# (and the zero-width and bidirectional marks that make a name read other than it is)
_NOT_IN_NAME = re.compile(r"[/\\\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


class RecipeRefused(Exception):
    """A recipe cannot be saved, applied or removed: a message key under intake.*."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params


@dataclass
class Settled:
    """The reading to use and how it was reached: the recipe applied (its row: name,
    editor, saved_at, scopes), or the recipe set aside because it disagrees with what the
    file states (`disagree`: one line's parameters per column)."""

    reading: Reading
    recipe: dict[str, Any] | None = None
    set_aside: dict[str, Any] | None = None
    disagree: list[dict[str, str]] = field(default_factory=list)


def check_name(name: str) -> str:
    """A recipe's name as kept: a name, not a path — no separators, `..` or control
    characters, at most NAME_MAX characters."""
    name = name.strip()
    if not name or len(name) > NAME_MAX or ".." in name or _NOT_IN_NAME.search(name):
        raise RecipeRefused("recipe_bad_name", name=name[:NAME_MAX], most=NAME_MAX)
    return name


def body(reading: Reading) -> dict[str, Any]:
    """What a recipe keeps of a reading."""
    columns = {}
    for col in reading.columns:
        columns.setdefault(col.signature, {k: getattr(col, k) for k in CHOICES})
    out = {"kind": reading.kind, "label": reading.label_header, "columns": columns}
    if reading.period_words:  # the editor's answers to ambiguous period words (三季度)
        out["period_words"] = dict(reading.period_words)
    if reading.by_hand:  # where the table is: the next file's reading is built from it
        out["by_hand"] = {"header_rows": reading.header_rows, "label": reading.label}
    return out


def by_hand_for(
    head: list[tuple[int, list[Any]]],
    kind: str | None,
    allowed_scopes: set[str] | None,
    name: str | None = None,
) -> Settled | None:
    """For a file the guesser cannot read (its first rows `head`): the latest recipe set
    by hand (or the one `name`d) that applies to the editor and whose header rows and label
    column give this file the shape it was saved for, applied; None if none does."""
    for row in db.read("recipes/by_hand", {}).to_dict("records"):
        row["body"] = json.loads(row["body"])
        where = row["body"].get("by_hand")
        if name is not None and row["name"] != name:
            continue
        if not where or kind not in (None, row["kind"]) or not applies(row, allowed_scopes):
            continue
        try:
            proposal = layout.by_hand(head, row["kind"], where["header_rows"], where["label"])
        except ValueError:
            continue
        if proposal.shape != row["shape"]:
            continue
        applied = apply(proposal, row)
        differ = disagreements(proposal, applied)
        if differ:
            return Settled(proposal, set_aside=row, disagree=differ)
        return Settled(applied, recipe=row)
    return None


def apply(reading: Reading, row: dict[str, Any]) -> Reading:
    """`reading` with the choices of a stored recipe (its row, `body` read); a column the
    recipe does not know keeps its proposed reading."""
    out = layout.with_words(reading, row["body"].get("period_words") or {})
    for col in out.columns:
        chosen = row["body"]["columns"].get(col.signature)
        if chosen:
            for key in CHOICES:
                setattr(col, key, chosen[key])
            if col.role == "unused" and col.reason in ("chosen", "recipe_chosen"):
                col.reason = "recipe_chosen"  # left out by the recipe's saver: said so
    reach = scopes_of(row)
    out.recipe, out.recipe_by = str(row["name"]), str(row["editor"])
    out.recipe_at = pd.Timestamp(row["saved_at"]).strftime("%Y-%m-%d %H:%M")
    out.recipe_reach = None if reach is None else sorted(reach)
    return out


def _same_unit(a: str, b: str, indicator: str | None) -> bool:
    if compare_key(a) == compare_key(b):
        return True
    target = reference.indicator(indicator).get("unit") if indicator else None
    try:
        return bool(target) and cells.unit_factor(a, target) == cells.unit_factor(b, target)
    except cells.CellError:
        return False


def _stated_units(reading: Reading, col: Column) -> list[str]:
    """The units the file states for a column: its header's or the one its unit row or
    title gives it; else every unit of a unit row that names several."""
    return [col.unit] if col.unit else layout.unit_row_units(reading)


def disagreements(proposal: Reading, applied: Reading) -> list[dict[str, str]]:
    """Where the recipe's reading overrides what the file states: a unit its title, unit
    row or header gives, a year its header gives (2025年, 上年同期), or a column of the
    file's years, periods or units read away."""
    out = []
    by_row = any(c.role == "unit" for c in proposal.columns)
    for was, now in zip(proposal.columns, applied.columns, strict=True):
        where = {"letter": was.letter, "header": was.header}
        if was.role in STATED_ROLES and now.role != was.role:
            out.append({**where, "kind": "role", "file": was.role, "recipe": now.role})
            continue
        if now.role == "value" and (was.year or was.previous) and now.previous != was.previous:
            # the header names the column's year (2025年, 上年同期): the recipe cannot move it
            out.append({**where, "kind": "year", "file": "", "recipe": ""})
            continue
        if now.role not in ("value", "total") or not now.unit or now.scope:
            continue
        stated = _stated_units(proposal, was)
        if by_row and not was.unit:  # each row's unit is in the file's unit column
            out.append({**where, "kind": "unit", "file": "", "recipe": now.unit})
        elif stated and not any(_same_unit(now.unit, u, now.indicator) for u in stated):
            out.append({**where, "kind": "unit", "file": "/".join(stated), "recipe": now.unit})
    return out


def scopes_of(row: dict[str, Any]) -> set[str] | None:
    """The 街镇 a recipe applies to; None: everyone's loads (a district editor's). A
    recipe saved before its reach was kept is judged by its saver's account now."""
    scopes = row.get("scopes")
    if scopes is None or pd.isna(scopes):
        from indicators import auth

        account = auth.account(str(row["editor"]))
        return None if account is None else account.allowed_scopes()
    return None if scopes == DISTRICT else set(str(scopes).split(","))


def applies(row: dict[str, Any], allowed_scopes: set[str] | None) -> bool:
    """Whether a recipe applies to a load by an editor who may change `allowed_scopes`
    (None: a district editor): the district's to everyone, a 街镇's only to editors of it."""
    reach = scopes_of(row)
    if reach is None:
        return True
    return allowed_scopes is not None and allowed_scopes <= reach


def save(name: str, reading: Reading, editor: str, allowed_scopes: set[str] | None) -> None:
    """Keep `reading` as the recipe `name`, owned by `editor` with their reach. Refused
    (RecipeRefused) for a name that is not one, or one someone else saved."""
    name = check_owner(name, editor)
    params = {
        "name": name,
        "shape": reading.shape,
        "kind": reading.kind,
        "body": json.dumps(body(reading), ensure_ascii=False),
        "editor": editor,
        "scopes": DISTRICT if allowed_scopes is None else ",".join(sorted(allowed_scopes)),
    }
    db.write(lambda con: db.run(con, "recipes/save", params), mart=False)


def check_owner(name: str, editor: str) -> str:
    """`name` as kept, if `editor` may save under it: a name, and not someone else's."""
    name = check_name(name)
    found = named(name)
    if found is not None and str(found["editor"]) != editor:
        raise RecipeRefused(
            "recipe_taken", name=name, by=found["editor"], suggest=free_name(name, editor)
        )
    return name


def free_name(name: str, editor: str) -> str:
    """A name for `editor`'s recipe beside one of the same name someone else saved: the
    name with the editor's, then numbered, each within NAME_MAX."""
    base = f"{name[: NAME_MAX - len(editor) - 6]}-{editor}"
    for n in range(1, 100):
        candidate = base if n == 1 else f"{base[: NAME_MAX - 4]}-{n}"
        found = named(candidate)
        if found is None or str(found["editor"]) == editor:
            return candidate
    return base


def owned_name(name: str, editor: str) -> str:
    """The name to propose for `editor`'s recipe: `name`, unless someone else saved it."""
    found = named(name)
    return name if found is None or str(found["editor"]) == editor else free_name(name, editor)


def named(name: str) -> dict[str, Any] | None:
    """A recipe by name: its shape, kind, editor, time, reach and what it keeps."""
    found = db.read("recipes/by_name", {"name": name})
    if found.empty:
        return None
    row = found.iloc[0].to_dict()
    row["body"] = json.loads(row["body"])
    return row


def listing() -> pd.DataFrame:
    return db.read("recipes/all")


def remove(name: str, editor: str, allowed_scopes: set[str] | None) -> bool:
    """Remove a recipe: its saver or a district editor may. False: no such recipe."""
    found = named(name)
    if found is None:
        return False
    if allowed_scopes is not None and str(found["editor"]) != editor:
        raise RecipeRefused("recipe_not_yours", name=name, by=found["editor"])
    db.write(lambda con: db.run(con, "recipes/remove", {"name": name}), mart=False)
    return True


def settle(
    reading: Reading, recipe: str | None = None, allowed_scopes: set[str] | None = None
) -> Settled:
    """The reading to use for a load by an editor who may change `allowed_scopes`: the
    named recipe's, else the latest recipe for this shape that applies to them, else the
    proposal. A recipe that overrides what the file states is set aside (the proposal is
    asked again). Raises RecipeRefused for a named recipe that is unknown, for other
    headers, or not the editor's to use."""
    if recipe is not None:
        row = named(recipe)
        if row is None:
            raise RecipeRefused("recipe_unknown", name=recipe)
        if row["shape"] != reading.shape:
            raise RecipeRefused("recipe_other_shape", name=recipe)
        if not applies(row, allowed_scopes):
            raise RecipeRefused("recipe_not_yours", name=recipe, by=row["editor"])
    else:
        found = db.read("recipes/by_shape", {"shape": reading.shape}).to_dict("records")
        row = next((r for r in found if applies(r, allowed_scopes)), None)
        if row is None:
            return Settled(reading)
        row["body"] = json.loads(row["body"])
    applied = apply(reading, row)
    differ = disagreements(reading, applied)
    if differ:
        return Settled(reading, set_aside=row, disagree=differ)
    return Settled(applied, recipe=row)


def described(reading: Reading, lang: str) -> str:
    """The recipe a reading was read by: its name, saver, time and reach, as the preview
    and the load report say it."""
    from indicators.reference.i18n import t

    if not reading.recipe_at:  # a recipe file given with this load
        return t("layout.recipe_file_used", lang, name=reading.recipe)
    return t(
        "layout.recipe_used",
        lang,
        name=reading.recipe,
        by=reading.recipe_by,
        at=reading.recipe_at,
        reach=reach_text(reading.recipe_reach, lang),
    )


def reach_text(reach: list[str] | set[str] | None, lang: str) -> str:
    """Whose loads a recipe applies to, in words: every account, or the 街镇 named."""
    from indicators.reference import i18n
    from indicators.reference.i18n import t

    if reach is None:
        return t("intake.recipe_reach_district", lang)
    return t("common.list_sep", lang).join(i18n.owner_name(s, lang) for s in sorted(reach))


def disagreement_lines(settled: Settled, lang: str) -> list[str]:
    """Why a recipe was set aside: the recipe, then each column where it overrides the
    file, for the page and the CLI."""
    from indicators.reference.i18n import t

    if settled.set_aside is None:
        return []
    aside = apply(settled.reading, settled.set_aside)
    head = t("intake.recipe_set_aside", lang, name=aside.recipe, by=aside.recipe_by)
    return [head, *differ_lines(settled.disagree, lang)]


def differ_lines(differ: list[dict[str, str]], lang: str) -> list[str]:
    """Each column where a recipe overrides what the file states, in words."""
    from indicators.reference.i18n import t

    lines = []
    for d in differ:
        if d["kind"] == "year":
            lines.append(t("intake.recipe_differs_year", lang, **d))
        elif d["kind"] == "role":
            lines.append(
                t(
                    "intake.recipe_differs_role",
                    lang,
                    **{**d, "file": t(f"layout.as_{d['file']}", lang)},
                )
            )
        elif d["file"]:
            lines.append(t("intake.recipe_differs_unit", lang, **d))
        else:
            lines.append(t("intake.recipe_differs_row_units", lang, **d))
    return lines


# A recipe written by hand (`load PATH --recipe-file FILE`): YAML naming columns by letter
# or header, each "skip" (不读取) or {indicator, unit, previous}; `year` and `period` for a
# file that gives none. It fits the file or is refused with why.
def _skip(choice: object) -> bool:
    """A column's choice that says not to read it: skip, or 不读取 / not read as shown."""
    from indicators.reference.i18n import t

    words = {"skip", t("layout.skip", "zh"), t("layout.skip", "en")}
    return isinstance(choice, str) and choice.strip().lower() in words


FILE_KEYS = ("kind", "header_rows", "label", "columns", "year", "period", "period_words")


def _letter_index(letter: str) -> int | None:
    """A column letter (C, AB) as a 0-based index; None if it is no letter."""
    if not re.fullmatch(r"[A-Za-z]{1,3}", letter):
        return None
    n = 0
    for ch in letter.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _where(spec: dict[str, Any], head: list[tuple[int, list[Any]]]) -> Reading:
    """The table a recipe file places by hand: its kind, header rows and label column
    (a letter, or the label header as written in a header row)."""
    kind = str(spec.get("kind", "observations"))
    if kind not in ("observations", "budget", "targets"):
        raise RecipeRefused("recipe_file_kind", kind=kind)
    rows = spec.get("header_rows")
    if isinstance(rows, int):
        rows = [rows]
    numbers = [n for n, _ in head]
    if not isinstance(rows, list) or not rows or any(n not in numbers for n in rows):
        raise RecipeRefused("recipe_file_header_rows", rows=rows, last=max(numbers, default=0))
    label = str(spec.get("label", ""))
    index = _letter_index(label)
    if index is None:
        headers = [cells_ for n, cells_ in head if n in rows]
        index = next(
            (
                j
                for r in headers
                for j, c in enumerate(r)
                if compare_key(clean_text(c)) == compare_key(label)
            ),
            None,
        )
    try:
        return layout.by_hand(head, kind, rows, -1 if index is None else index)
    except ValueError:
        raise RecipeRefused("recipe_file_no_column", column=label or "label") from None


def from_file(
    reading: Reading | None,
    text: str,
    name: str,
    by: str,
    head: list[tuple[int, list[Any]]] | None = None,
) -> Reading:
    """`reading` (the proposal; None where the guesser found no table) as the hand-written
    recipe file `name`, given by the editor `by`, sets it: where the table is (`header_rows`
    and the `label` column, for a file read by hand from its first rows `head`), each
    column's reading (a column "skip"ped is not read, said as their choice), the year and
    period. Raises RecipeRefused naming what does not fit: rows or a column the file has
    not, an unknown indicator or key, or a choice that overrides what the file states."""
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise RecipeRefused("recipe_file_unreadable", why=str(err).splitlines()[0]) from None
    if not isinstance(spec, dict) or not isinstance(spec.get("columns", {}), dict):
        raise RecipeRefused("recipe_file_shape")
    unknown = set(spec) - set(FILE_KEYS)
    if unknown:
        raise RecipeRefused("recipe_file_key", keys=", ".join(map(str, sorted(unknown))))
    if "header_rows" in spec or "label" in spec:
        reading = _where(spec, head or [])
    elif reading is None:
        raise RecipeRefused("recipe_file_where")
    out = layout.with_table(
        reading, spec.get("year"), str(spec["period"]) if spec.get("period") else None
    )
    words = spec.get("period_words") or {}
    if not isinstance(words, dict):
        raise RecipeRefused("recipe_file_shape")
    try:
        out = layout.with_words(out, {str(w): str(a) for w, a in words.items()})
    except periods.PeriodError:
        raise RecipeRefused("recipe_file_shape") from None
    for column, choice in spec.get("columns", {}).items():
        cols = [c for c in out.columns if str(column) in (c.letter, c.header)]
        if not cols:
            raise RecipeRefused("recipe_file_no_column", column=column)
        for col in cols:
            if _skip(choice):
                col.role, col.reason = "unused", "recipe_chosen"
                continue
            if not isinstance(choice, dict) or set(choice) - {"indicator", "unit", "previous"}:
                raise RecipeRefused("recipe_file_choice", column=column)
            if "indicator" in choice:
                found = reference.resolve_indicator(str(choice["indicator"]))
                if found is None:
                    raise RecipeRefused(
                        "recipe_file_indicator", column=column, indicator=choice["indicator"]
                    )
                col.role, col.reason, col.indicator = "value", "", found
            if "unit" in choice:
                col.unit = str(choice["unit"])
            if "previous" in choice:
                col.previous = bool(choice["previous"])
    out.recipe, out.recipe_by, out.recipe_at, out.recipe_reach = name, by, "", None
    differ = disagreements(reading, out)
    if differ:
        raise RecipeRefused("recipe_file_overrides", differ=differ)
    return out
