"""Files in and out of the store: `load` (validate and load a data file), saved `recipe`s
for wide tables, `rollback` of a batch, and the upload `template`."""

from __future__ import annotations

import argparse
import json
import numbers
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

from indicators import reference
from indicators.cli import common
from indicators.cli.common import _text
from indicators.domain import plausibility
from indicators.exports import templates
from indicators.intake import buildings, checks, files, layout, loading, periods, recipes
from indicators.intake.model import Checked, RawTable, declaration
from indicators.reference import i18n
from indicators.reference.i18n import t


def _report(problems, lang: str) -> None:
    for problem in problems:
        print(checks.describe(problem, lang), file=sys.stderr)


def _column_label(kind: str, column_id: str, lang: str) -> str:
    """A declared column's header: the Chinese one, or in English the first in ASCII."""
    for col in declaration()["kinds"].get(kind, {}).get("columns", []):
        if col["id"] == column_id:
            ascii_names = [h for h in col["headers"] if h.isascii()]
            return ascii_names[0] if lang == "en" and ascii_names else col["headers"][0]
    return column_id


def conflict_rows(frame: pd.DataFrame, kind: str, lang: str) -> pd.DataFrame:
    """The rows that would change loaded figures as a reader names them: 街镇, indicator
    and period by name, the figure before and after as numbers, the columns that differ
    by their headers."""
    names = {
        "scope_code": lambda c: i18n.scope_name(c, lang),
        "indicator_id": lambda i: i18n.indicator_name(i, lang),
        "period": lambda p: i18n.period_label(p, lang),
    }
    shown = frame.drop(columns=["table"], errors="ignore").copy()
    for column, name in names.items():
        if column in shown:
            shown[column] = [_known(name, v) for v in shown[column]]
    if "breakdown" in frame and "indicator_id" in frame:
        shown["breakdown"] = [
            i18n.breakdown_name(i, b, lang) if b else ""
            for i, b in zip(frame["indicator_id"], frame["breakdown"], strict=True)
        ]
    for column in ("old_value", "new_value"):
        if column in shown:
            shown[column] = [
                f"{v:,.6f}".rstrip("0").rstrip(".") if _is_number(v) else _text(v)
                for v in shown[column]
            ]
    if "changed" in shown:
        shown["changed"] = [
            t("common.list_sep", lang).join(
                _column_label(kind, c.strip(), lang) for c in str(text).split(",") if c.strip()
            )
            for text in shown["changed"]
        ]
    headers = {
        "old_value": t("history.col_before", lang),
        "new_value": t("history.col_after", lang),
        "changed": t("upload.col_changed", lang),
    }
    shown.columns = [headers.get(c) or _column_label(kind, c, lang) for c in shown.columns]
    return shown


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and not pd.isna(value)


def _known(name, value) -> str:
    """A code by its name; a value the reference data does not know, as it is."""
    try:
        return name(value)
    except (KeyError, TypeError):
        return _text(value)


def _period_words(given: list[str]) -> dict[str, str] | None:
    """--period-word 三季度=前三季度 (repeatable) as {word: answer}; None if one is not so."""
    out = {}
    for item in given:
        word, sep, answer = item.partition("=")
        if not sep or not word.strip() or not answer.strip():
            return None
        out[word.strip()] = answer.strip()
    return out


class _Stop(Exception):
    """A step of `load` has said why it ends (or asked its question): exit with `code`."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class _Run:
    """One `load`: its options, the file's bytes and who loads it."""

    args: argparse.Namespace
    lang: str
    path: Path
    data: bytes
    editor: str
    allowed: set[str] | None


def cmd_load(args: argparse.Namespace) -> int:
    """Exit 0 loaded (or dry run), 2 rejected with the row-level report, 3 conflicts,
    4 a wide table whose reading, or figures outside their plausible bounds, are to be
    confirmed (printed; --accept loads it, --note says why), or a meter export naming
    buildings the register does not place (listed; --buildings FILE places them)."""
    try:
        run = _start(args)
        raw = _first_reading(run, _file_scope(args, args.lang))
        raw = _settle_reading(run, raw)
        placing = _placing(run, raw)
        checked = _checked(run, raw, placing)
        result = _store(run, checked, placing)
        _say_loaded(run, checked, result, raw)
        return 0
    except _Stop as stop:
        return stop.code


def _start(args: argparse.Namespace) -> _Run:
    """The file's bytes and who loads it; a file that cannot be read ends it (2)."""
    path = Path(args.path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        why = exc.strerror or exc
        print(t("cli.cannot_read", args.lang, path=str(path), why=why), file=sys.stderr)
        raise _Stop(2) from None
    who = common.editor(args)
    if who is None:
        raise _Stop(2)
    editor_name, account = who
    allowed = account.allowed_scopes() if account else None
    return _Run(args, args.lang, path, data, editor_name, allowed)


def _file_scope(args: argparse.Namespace, lang: str) -> str | None:
    """The 街镇 `--scope` names for the whole file (None without it); unknown ends it (2)."""
    if not args.scope:
        return None
    scope = reference.resolve_scope(args.scope)
    if scope is None:
        known = i18n.known_scopes(lang)
        print(t("cli.unknown_street", lang, name=args.scope, known=known), file=sys.stderr)
        raise _Stop(2)
    return scope


def _first_reading(run: _Run, scope: str | None) -> RawTable:
    """The file as the guesser reads it, with the year, period and 街镇 given as options."""
    args = run.args
    return files.read_upload(
        run.data,
        run.path.name,
        kind=args.kind,
        sheet=args.sheet,
        scope=scope,
        year=args.year,
        period=args.period,
    )


def _settle_reading(run: _Run, raw: RawTable) -> RawTable:
    """A wide table (or one read by hand) read as its recipe or proposal says; recipe
    options on a file that is not wide end it (2)."""
    args = run.args
    # A file the guesser cannot read: a reading set by hand before, for its shape.
    hand = None
    if raw.reading is None and raw.problems and raw.head and not args.recipe_file:
        hand = recipes.by_hand_for(raw.head, args.kind, run.allowed, args.recipe)
    if raw.reading is not None or hand is not None or (args.recipe_file and raw.head):
        return _wide(run, raw, _settled(run, raw, hand))
    if args.recipe or args.save_recipe or args.recipe_file:
        print(t("intake.recipe_not_wide", run.lang), file=sys.stderr)
        raise _Stop(2)
    return raw


def _settled(run: _Run, raw: RawTable, hand: recipes.Settled | None) -> recipes.Settled:
    """The reading to use: a recipe file, a reading by hand, or a saved recipe or the
    proposal; a recipe refused or unreadable ends it (2)."""
    args, lang = run.args, run.lang
    try:  # a wide table: a recipe, or a confirmation
        if args.save_recipe:  # refused before anything loads, not after
            recipes.check_owner(args.save_recipe, run.editor)
        if args.recipe_file:
            written = Path(args.recipe_file).read_text(encoding="utf-8-sig")
            name = Path(args.recipe_file).name
            by_hand = recipes.from_file(raw.reading, written, name, run.editor, raw.head)
            return recipes.Settled(by_hand)
        if hand is not None:
            return hand
        return recipes.settle(raw.reading, args.recipe, run.allowed)
    except recipes.RecipeRefused as refused:
        differ = refused.params.pop("differ", [])
        print(t(f"intake.{refused.key}", lang, **refused.params), file=sys.stderr)
        for line in recipes.differ_lines(differ, lang):
            print(line, file=sys.stderr)
        raise _Stop(2) from None
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or exc
        print(t("cli.cannot_read", lang, path=args.recipe_file, why=why), file=sys.stderr)
        raise _Stop(2) from None


def _wide(run: _Run, raw: RawTable, settled: recipes.Settled) -> RawTable:
    """The file read again as settled; a reading still to confirm, without --accept, is
    printed with its notes and ends it (4)."""
    args, lang = run.args, run.lang
    for line in recipes.disagreement_lines(settled, lang):
        print(line, file=sys.stderr)
    reading = _answered(run, layout.with_table(settled.reading, args.year, args.period))
    if reading != raw.reading:
        raw = files.read_upload(run.data, run.path.name, args.kind, args.sheet, reading=reading)
        # a reading by hand whose recipe was set aside is confirmed like a proposal
        raw.confirm = raw.confirm or settled.set_aside is not None
    if raw.confirm and not args.accept:
        checked = checks.check(raw, allowed_scopes=run.allowed)
        for note in checks.reading_notes(checked, lang):
            print(note)
        _report(checked.problems, lang)
        print(t("layout.confirm_cli", lang), file=sys.stderr)
        raise _Stop(4)
    return raw


def _answered(run: _Run, reading: layout.Reading) -> layout.Reading:
    """The reading with the --period-word answers; an answer not so ends it (2)."""
    answers = _period_words(run.args.period_word or [])
    try:
        reading = layout.with_words(reading, answers or {})
    except periods.PeriodError:
        answers = None
    if answers is None:
        bad = ", ".join(run.args.period_word or [])
        print(t("intake.period_word_bad", run.lang, value=bad), file=sys.stderr)
        raise _Stop(2)
    return reading


def _placing(run: _Run, raw: RawTable) -> pd.DataFrame | None:
    """The buildings a --buildings file places (None without it); a file that cannot
    place them, or one beside anything but meter readings, ends it (2)."""
    if not run.args.buildings:
        return None
    if raw.kind != "readings":
        print(t("intake.buildings_not_readings", run.lang), file=sys.stderr)
        raise _Stop(2)
    placing = _buildings_file(run.args.buildings, run.allowed, run.lang)
    if placing is None:
        raise _Stop(2)
    return placing


def _checked(run: _Run, raw: RawTable, placing: pd.DataFrame | None) -> Checked:
    """The file checked, its reading notes printed; buildings left to place end it (4),
    rejected rows too (2, the row-level report)."""
    lang = run.lang
    placed = None if placing is None else buildings.placed(placing)
    checked = checks.check(raw, allowed_scopes=run.allowed, placed=placed)
    for note in checks.reading_notes(checked, lang):
        print(note)
    if buildings.to_place(checked):
        n, columns = len(checked.unknown_buildings), buildings.columns_text(lang)
        print(t("intake.buildings_ask_cli", lang, n=n, columns=columns), file=sys.stderr)
        for name, n in checked.unknown_buildings:
            print(t("intake.buildings_line", lang, name=name, n=n), file=sys.stderr)
        raise _Stop(4)
    if not checked.ok:
        print(t("intake.rejected", lang, n=len(checked.problems)), file=sys.stderr)
        _report(checked.problems, lang)
        raise _Stop(2)
    return checked


def _store(run: _Run, checked: Checked, placing: pd.DataFrame | None) -> loading.LoadResult:
    """The checked rows stored (or tried, dry run), the placed buildings registered first;
    refused rows or buildings end it (2), figures held (4), conflicts (3)."""
    args, lang = run.args, run.lang
    load = partial(
        loading.load,
        checked,
        editor=run.editor,
        file_name=run.path.name,
        data=run.data,
        replace=args.replace,
        allowed_scopes=run.allowed,
        confirm_note=(args.note or t("plaus.cli_note", lang)) if args.accept else None,
    )
    try:
        if placing is not None and not args.dry_run:
            load(dry_run=True)  # what stops the readings stops the register changing too
            _save_buildings(run, placing)
        return load(dry_run=args.dry_run)
    except buildings.BuildingsRefused as refused:
        print(t("intake.buildings_refused", lang, n=len(refused.problems)), file=sys.stderr)
        _report(refused.problems, lang)
        raise _Stop(2) from None
    except loading.LoadHeld as held:
        print(t("plaus.held", lang, n=len(held.flags)), file=sys.stderr)
        for line in held_lines(held.flags, lang):
            print(line, file=sys.stderr)
        print(t("plaus.confirm_cli", lang), file=sys.stderr)
        raise _Stop(4) from None
    except loading.LoadRefused as refused:
        print(t("intake.load_refused", lang, n=len(refused.problems)), file=sys.stderr)
        _report(refused.problems, lang)
        raise _Stop(2) from None
    except loading.LoadConflict as conflict:
        print(t("intake.conflicts", lang, n=len(conflict.conflicts)), file=sys.stderr)
        rows = conflict_rows(conflict.conflicts, checked.kind, lang)
        print(rows.to_string(index=False), file=sys.stderr)
        raise _Stop(3) from None


def _save_buildings(run: _Run, placing: pd.DataFrame) -> None:
    """The buildings the --buildings file places, into the register (said when saved)."""
    batch, n = buildings.save(
        placing,
        editor=run.editor,
        file_name=Path(run.args.buildings).name,
        data=Path(run.args.buildings).read_bytes(),
        allowed_scopes=run.allowed,
        column=buildings.scope_header(),
    )
    if batch is not None:
        print(t("intake.buildings_saved", run.lang, n=n, batch=batch))


def _say_loaded(run: _Run, checked: Checked, result: loading.LoadResult, raw: RawTable) -> None:
    """What was loaded (or would be, or was submitted for review); the recipe kept."""
    args, lang = run.args, run.lang
    key = "intake.dry_run" if args.dry_run else "intake.loaded"
    if not args.dry_run and loading.is_submission(checked.kind, run.allowed):
        key = "reporting.submitted"
    print(t(key, lang, batch=result.batch_id, **result.counts))
    if args.save_recipe and not args.dry_run:
        recipes.save(args.save_recipe, raw.reading, run.editor, run.allowed)
        print(t("intake.recipe_saved", lang, name=args.save_recipe.strip()))


def _buildings_file(name: str, allowed: set[str] | None, lang: str) -> pd.DataFrame | None:
    """The buildings a --buildings file places, or None with why on stderr."""
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        print(t("cli.cannot_read", lang, path=name, why=exc.strerror or exc), file=sys.stderr)
        return None
    frame, problems = buildings.read_file(data)
    if not problems:
        problems = buildings.check(frame, allowed, buildings.scope_header())
    if problems:
        print(t("intake.buildings_refused", lang, n=len(problems)), file=sys.stderr)
        _report(problems, lang)
        return None
    return frame


def held_lines(flags: pd.DataFrame, lang: str) -> list[str]:
    """Each figure held for confirmation: its row in the file, which figure, and why."""
    lines = ["  " + plausibility.line(flag, lang) for flag in flags.to_dict("records")]
    if plausibility.illustrative(flags["indicator_id"]):
        lines.append("  " + t("plaus.bounds_illustrative", lang))
    return lines


def cmd_recipe(args: argparse.Namespace) -> int:
    """Exit 0 done, 1 no such recipe, 2 not the editor's to remove (or no name given)."""
    lang = args.lang
    if args.action == "list":
        frame = recipes.listing()
        if frame.empty:
            print(t("intake.no_recipes", lang))
            return 0
        frame["kind"] = [t(f"history.kind_{k}", lang) for k in frame["kind"]]
        frame["scopes"] = [
            recipes.reach_text(recipes.scopes_of(row), lang) for row in frame.to_dict("records")
        ]
        frame["saved_at"] = [
            pd.Timestamp(at).strftime("%Y-%m-%d %H:%M") for at in frame["saved_at"]
        ]
        print(frame.to_string(index=False))
        return 0
    if not args.name:
        print(t("intake.recipe_name_needed", lang), file=sys.stderr)
        return 2
    if args.action == "remove":
        who = common.editor(args)
        if who is None:
            return 2
        editor, account = who
        try:
            removed = recipes.remove(
                args.name, editor, account.allowed_scopes() if account else None
            )
        except recipes.RecipeRefused as refused:
            print(t(f"intake.{refused.key}", lang, **refused.params), file=sys.stderr)
            return 2
        if not removed:
            print(t("intake.recipe_unknown", lang, name=args.name), file=sys.stderr)
            return 1
        print(t("intake.recipe_removed", lang, name=args.name))
        return 0
    kept = recipes.named(args.name)
    if kept is None:
        print(t("intake.recipe_unknown", lang, name=args.name), file=sys.stderr)
        return 1
    print(json.dumps(kept, ensure_ascii=False, indent=2, default=str))
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    who = common.editor(args)
    if who is None:
        return 2
    editor, account = who
    try:
        new = loading.rollback(args.batch, editor, account.allowed_scopes() if account else None)
    except loading.RollbackRefused as refused:
        print(t(f"intake.{refused.key}", args.lang, **refused.params), file=sys.stderr)
        return 2
    print(t("intake.rolled_back", args.lang, batch=args.batch, new=new))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    data = (
        templates.template_xlsx(args.kind, args.lang)
        if args.format == "xlsx"
        else templates.template_csv(args.kind)
    )
    Path(args.out).write_bytes(data)
    print(args.out)
    return 0


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    """`load`, `recipe` and `rollback` (`template` is added later: add_template_parser)."""
    _add_load_parser(sub, common)

    recipe = sub.add_parser("recipe", parents=[common], help="saved readings of wide tables")
    recipe.add_argument("action", choices=["list", "show", "remove"])
    recipe.add_argument("name", nargs="?")
    recipe.add_argument("--editor", help="who removes it (default: the OS user)")
    recipe.set_defaults(func=cmd_recipe)

    rollback = sub.add_parser("rollback", parents=[common], help="roll a load batch back")
    rollback.add_argument("batch", type=int)
    rollback.add_argument("--editor")
    rollback.set_defaults(func=cmd_rollback)


def _add_load_parser(sub, common: argparse.ArgumentParser) -> None:
    """`load` and its options."""
    load = sub.add_parser("load", parents=[common], help="validate and load a data file")
    load.add_argument("path")
    load.add_argument("--kind", choices=files.kinds())
    load.add_argument("--sheet")
    load.add_argument("--dry-run", action="store_true")
    load.add_argument("--replace", action="store_true")
    load.add_argument("--editor")
    load.add_argument(
        "--accept",
        action="store_true",
        help="load a wide table as proposed, and figures outside their plausible bounds",
    )
    load.add_argument("--note", help="why the figures held as implausible are right")
    load.add_argument("--recipe", help="read a wide table with this saved recipe")
    load.add_argument(
        "--recipe-file",
        metavar="FILE",
        help="read a table as this YAML says (kind; header_rows and label, to place a table "
        "the guesser cannot read; columns by letter or header: skip, or "
        "indicator/unit/previous; year; period) — see README",
    )
    load.add_argument("--save-recipe", metavar="NAME", help="keep the reading as a recipe")
    load.add_argument(
        "--buildings",
        metavar="FILE",
        help="a meter export naming buildings only: a CSV (columns building,street) placing "
        "the buildings the register does not know; they are registered — see README",
    )
    load.add_argument(
        "--year", type=int, help="the file's year, where neither a column nor its title has one"
    )
    load.add_argument(
        "--period", help="the file's period, where neither a column nor its title has one"
    )
    load.add_argument(
        "--scope",
        metavar="NAME",
        help="one subdistrict/town for the whole file (name, alias or code), where it has no "
        "subdistrict column",
    )
    load.add_argument(
        "--period-word",
        action="append",
        metavar="WORD=PERIOD",
        help="what an ambiguous period word in a header means (WORD=Q3); repeatable",
    )
    load.set_defaults(func=cmd_load)


def add_template_parser(sub, common: argparse.ArgumentParser) -> None:
    """`template`: an upload template for a kind of file."""
    template = sub.add_parser("template", parents=[common], help="write an upload template")
    template.add_argument("kind", choices=files.kinds())
    template.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    template.add_argument("--out", required=True)
    template.set_defaults(func=cmd_template)
