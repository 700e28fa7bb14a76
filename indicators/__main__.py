"""Command line: `python -m indicators init|migrate|show|load|rollback|review|reporting|
targets|plan|commitments|history|backup|restore|user|template|demo remove`.

Exit codes for `show`: 0 with rows, 1 with no rows, 2 for a bad argument. For `load`: 0
loaded, 2 rejected (the row-level report on stderr), 3 conflicts without --replace, 4 a
question to answer (a wide table's reading, figures outside their bounds, buildings not in
the register: nothing loaded; the answer is an option). For
`review`: 0 done, 2 refused (why on stderr). For `reporting status`: 0, 2 a bad argument.
For `targets check`: 0 consistent, 1 not (a line per problem; the year's five-year plan
targets too). For `plan status` and `plan barometer`: 0, 2 a bad argument (an unknown
plan, a bad period, a year outside the plan, an indicator no plan targets).
"""

from __future__ import annotations

import argparse
import getpass
import json
import numbers
import os
import sys
from datetime import date
from functools import partial
from pathlib import Path

import pandas as pd

from indicators import (
    analysis,
    auth,
    db,
    decomposition,
    fiveyear,
    formulas,
    i18n,
    plan_status,
    plausibility,
    queries,
    reference,
    store,
    templates,
)
from indicators.i18n import t
from indicators.intake import buildings, checks, files, layout, loading, periods, recipes, review
from indicators.intake.model import declaration

REPORTING_COLUMNS = [
    "street_code",
    "street",
    "indicator",
    "period",
    "due_on",
    "state",
    "submitted_by",
    "submitted_at",
    "days_overdue",
    "days_late",
]
SHOW_COLUMNS = [
    "street_code",
    "street",
    "year",
    "period",
    "indicator",
    "breakdown",
    "value",
    "unit",
    "data_status",
    "rag_status",
    "source",
    "as_of",
    "review",
    "target",
    "expected_to_date",
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with the usage, as argparse does
        self.print_usage(sys.stderr)
        print(message, file=sys.stderr)
        sys.exit(2)


def plain_number(value: float | None) -> str:
    """1.83 -> '1.83', 63.0 -> '63', 0.0759735 -> '0.075974'; missing -> ''."""
    if value is None or pd.isna(value):
        return ""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(value: object) -> str:
    """A cell as text; missing (None, NaN) as nothing."""
    return "" if value is None or pd.isna(value) else str(value)


def print_rows(rows: pd.DataFrame, fmt: str) -> None:
    """A command's rows on stdout: CSV with no live formula (as the pages' downloads), or
    a plain table."""
    if fmt == "csv":
        sys.stdout.write(formulas.table_csv_text(rows))
    else:
        print(rows.to_string(index=False))


def show_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The `show` columns from an indicator frame."""
    out = pd.DataFrame(
        {
            "street_code": frame["scope_code"],
            "street": [i18n.scope_name(c, lang) for c in frame["scope_code"]],
            "year": frame["year"].astype(int),
            "period": frame["period"],
            "indicator": frame["indicator_id"],
            "breakdown": [
                i18n.breakdown_name(i, b, lang) if b else ""
                for i, b in zip(frame["indicator_id"], frame["breakdown"], strict=True)
            ],
            "value": [plain_number(v) for v in frame["value"]],
            "unit": frame["unit"],
            "data_status": frame["data_status"],
            "rag_status": frame["rag_status"],
            "source": frame["source"].fillna(""),
            "as_of": [
                ("" if pd.isna(d) else pd.Timestamp(d).date().isoformat()) for d in frame["as_of"]
            ],
            # pending | approved (a 街镇's figure the district accepted) | empty (the district's)
            "review": frame["review"].fillna("") if "review" in frame else "",
            "target": [plain_number(v) for v in frame["target_value"]],
            "expected_to_date": [plain_number(v) for v in frame["expected_to_date"]],
        }
    )
    return out[SHOW_COLUMNS]


def cmd_show(args: argparse.Namespace) -> int:
    lang = args.lang
    indicator_id = reference.resolve_indicator(args.indicator)
    if indicator_id is None:
        known = ", ".join(reference.indicator_ids())
        print(t("cli.unknown_indicator", lang, name=args.indicator, known=known), file=sys.stderr)
        return 2
    scope_code = None
    if args.street:
        scope_code = reference.resolve_scope(args.street)
        if scope_code is None:
            known = i18n.known_scopes(lang)
            print(t("cli.unknown_street", lang, name=args.street, known=known), file=sys.stderr)
            return 2
    period = args.period.upper() if args.period else None
    if period is not None and period != "ALL" and period not in reference.PERIODS:
        print(t("cli.bad_period", lang, period=args.period), file=sys.stderr)
        return 2
    if not db.db_path().exists():
        print(t("error.no_database", lang, path=str(db.db_path())), file=sys.stderr)
        return 2
    frame = queries.indicator_frame(
        indicator_id,
        scope_code,
        args.year,
        None if period in (None, "ALL") else period,
        with_pending=args.include_pending,
    )
    # a sum whose parts are all unknown is a row with no value, never a zero or no row
    frame = frame[frame["value"].notna() | analysis.parts_missing(frame)]
    if period is None:  # as the pages do: each year's whole year, else its latest period
        frame = analysis.headline_period_rows(frame)
    if frame.empty:
        print(t("cli.no_rows", lang), file=sys.stderr)
        return 1
    rows = show_rows(frame, lang)
    print_rows(rows, args.format)
    for row in frame[analysis.parts_missing(frame)].to_dict("records"):  # beside the table
        print(i18n.missing_parts_text(row, lang), file=sys.stderr)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    lang = args.lang
    path = db.db_path()
    if path.exists():
        applied = db.migrate()
        print(t("cli.init_exists", lang, path=str(path), n=len(applied)))
        return 0
    try:
        counts = store.install_builtin(demo=not args.empty)
    except BaseException:
        db.remove_files(path)  # the transaction rolled back: leave no empty file behind
        raise
    print(
        t(
            "cli.init_done",
            lang,
            path=str(path),
            rows=i18n.t("common.list_sep", lang).join(
                t("cli.init_rows", lang, table=t(f"cli.table_{k}", lang), n=f"{v:,}")
                for k, v in counts.items()
            ),
        )
    )
    if not args.empty:
        print(t("cli.init_demo_hint", lang))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    applied = db.migrate()
    print(t("cli.migrated", args.lang, versions=", ".join(map(str, applied)) or "-"))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    if not db.db_path().exists():
        print(t("error.no_database", args.lang, path=str(db.db_path())), file=sys.stderr)
        return 2
    store.remove_demo()
    print(t("cli.demo_removed", args.lang))
    return 0


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


def cmd_load(args: argparse.Namespace) -> int:
    """Exit 0 loaded (or dry run), 2 rejected with the row-level report, 3 conflicts,
    4 a wide table whose reading, or figures outside their plausible bounds, are to be
    confirmed (printed; --accept loads it, --note says why), or a meter export naming
    buildings the register does not place (listed; --buildings FILE places them)."""
    lang = args.lang
    path = Path(args.path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(t("cli.cannot_read", lang, path=str(path), why=exc.strerror or exc), file=sys.stderr)
        return 2
    editor_name = args.editor or auth.os_user()
    account = auth.account(editor_name)
    allowed = account.allowed_scopes() if account else None
    scope = None
    if args.scope:  # one 街镇 for the whole file
        scope = reference.resolve_scope(args.scope)
        if scope is None:
            known = i18n.known_scopes(lang)
            print(t("cli.unknown_street", lang, name=args.scope, known=known), file=sys.stderr)
            return 2
    raw = files.read_upload(
        data,
        path.name,
        kind=args.kind,
        sheet=args.sheet,
        scope=scope,
        year=args.year,
        period=args.period,
    )
    # A file the guesser cannot read: a reading set by hand before, for its shape.
    hand = None
    if raw.reading is None and raw.problems and raw.head and not args.recipe_file:
        hand = recipes.by_hand_for(raw.head, args.kind, allowed, args.recipe)
    if raw.reading is not None or hand is not None or (args.recipe_file and raw.head):
        try:  # a wide table: a recipe, or a confirmation
            if args.save_recipe:  # refused before anything loads, not after
                recipes.check_owner(args.save_recipe, editor_name)
            if args.recipe_file:
                written = Path(args.recipe_file).read_text(encoding="utf-8-sig")
                name = Path(args.recipe_file).name
                by_hand = recipes.from_file(raw.reading, written, name, editor_name, raw.head)
                settled = recipes.Settled(by_hand)
            elif hand is not None:
                settled = hand
            else:
                settled = recipes.settle(raw.reading, args.recipe, allowed)
        except recipes.RecipeRefused as refused:
            differ = refused.params.pop("differ", [])
            print(t(f"intake.{refused.key}", lang, **refused.params), file=sys.stderr)
            for line in recipes.differ_lines(differ, lang):
                print(line, file=sys.stderr)
            return 2
        except (OSError, UnicodeDecodeError) as exc:
            why = getattr(exc, "strerror", None) or exc
            print(t("cli.cannot_read", lang, path=args.recipe_file, why=why), file=sys.stderr)
            return 2
        for line in recipes.disagreement_lines(settled, lang):
            print(line, file=sys.stderr)
        reading = layout.with_table(settled.reading, args.year, args.period)
        answers = _period_words(args.period_word or [])
        try:
            reading = layout.with_words(reading, answers or {})
        except periods.PeriodError:
            answers = None
        if answers is None:
            bad = ", ".join(args.period_word or [])
            print(t("intake.period_word_bad", lang, value=bad), file=sys.stderr)
            return 2
        if reading != raw.reading:
            raw = files.read_upload(data, path.name, args.kind, args.sheet, reading=reading)
            # a reading by hand whose recipe was set aside is confirmed like a proposal
            raw.confirm = raw.confirm or settled.set_aside is not None
        if raw.confirm and not args.accept:
            checked = checks.check(raw, allowed_scopes=allowed)
            for note in checks.reading_notes(checked, lang):
                print(note)
            _report(checked.problems, lang)
            print(t("layout.confirm_cli", lang), file=sys.stderr)
            return 4
    elif args.recipe or args.save_recipe or args.recipe_file:
        print(t("intake.recipe_not_wide", lang), file=sys.stderr)
        return 2
    placing = None
    if args.buildings:
        if raw.kind != "readings":
            print(t("intake.buildings_not_readings", lang), file=sys.stderr)
            return 2
        placing = _buildings_file(args.buildings, allowed, lang)
        if placing is None:
            return 2
    placed = None if placing is None else buildings.placed(placing)
    checked = checks.check(raw, allowed_scopes=allowed, placed=placed)
    for note in checks.reading_notes(checked, lang):
        print(note)
    if buildings.to_place(checked):
        n, columns = len(checked.unknown_buildings), buildings.columns_text(lang)
        print(t("intake.buildings_ask_cli", lang, n=n, columns=columns), file=sys.stderr)
        for name, n in checked.unknown_buildings:
            print(t("intake.buildings_line", lang, name=name, n=n), file=sys.stderr)
        return 4
    if not checked.ok:
        print(t("intake.rejected", lang, n=len(checked.problems)), file=sys.stderr)
        _report(checked.problems, lang)
        return 2
    load = partial(
        loading.load,
        checked,
        editor=editor_name,
        file_name=path.name,
        data=data,
        replace=args.replace,
        allowed_scopes=allowed,
        confirm_note=(args.note or t("plaus.cli_note", lang)) if args.accept else None,
    )
    try:
        if placing is not None and not args.dry_run:
            load(dry_run=True)  # what stops the readings stops the register changing too
            batch, n = buildings.save(
                placing,
                editor=editor_name,
                file_name=Path(args.buildings).name,
                data=Path(args.buildings).read_bytes(),
                allowed_scopes=allowed,
                column=buildings.scope_header(),
            )
            if batch is not None:
                print(t("intake.buildings_saved", lang, n=n, batch=batch))
        result = load(dry_run=args.dry_run)
    except buildings.BuildingsRefused as refused:
        print(t("intake.buildings_refused", lang, n=len(refused.problems)), file=sys.stderr)
        _report(refused.problems, lang)
        return 2
    except loading.LoadHeld as held:
        print(t("plaus.held", lang, n=len(held.flags)), file=sys.stderr)
        for line in held_lines(held.flags, lang):
            print(line, file=sys.stderr)
        print(t("plaus.confirm_cli", lang), file=sys.stderr)
        return 4
    except loading.LoadRefused as refused:
        print(t("intake.load_refused", lang, n=len(refused.problems)), file=sys.stderr)
        _report(refused.problems, lang)
        return 2
    except loading.LoadConflict as conflict:
        print(t("intake.conflicts", lang, n=len(conflict.conflicts)), file=sys.stderr)
        rows = conflict_rows(conflict.conflicts, checked.kind, lang)
        print(rows.to_string(index=False), file=sys.stderr)
        return 3
    key = "intake.dry_run" if args.dry_run else "intake.loaded"
    if not args.dry_run and loading.is_submission(checked.kind, allowed):
        key = "reporting.submitted"
    print(t(key, lang, batch=result.batch_id, **result.counts))
    if args.save_recipe and not args.dry_run:
        recipes.save(args.save_recipe, raw.reading, editor_name, allowed)
        print(t("intake.recipe_saved", lang, name=args.save_recipe.strip()))
    return 0


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
        editor = args.editor or auth.os_user()
        account = auth.account(editor)
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
    editor = args.editor or auth.os_user()
    account = auth.account(editor)
    try:
        new = loading.rollback(args.batch, editor, account.allowed_scopes() if account else None)
    except loading.RollbackRefused as refused:
        print(t(f"intake.{refused.key}", args.lang, **refused.params), file=sys.stderr)
        return 2
    print(t("intake.rolled_back", args.lang, batch=args.batch, new=new))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """Approve a 街镇's submission or return it with a reason: a district editor's word."""
    editor = args.editor or auth.os_user()
    account = auth.account(editor)
    allowed = account.allowed_scopes() if account else None
    try:
        if args.approve:
            new = review.approve(args.batch, editor, allowed)
            print(t("review.approved", args.lang, batch=args.batch, new=new))
        else:
            new = review.send_back(args.batch, editor, args.send_back, allowed)
            print(t("review.returned", args.lang, batch=args.batch, new=new))
    except review.ReviewRefused as refused:
        print(t(refused.key, args.lang, **refused.params), file=sys.stderr)
        return 2
    return 0


def reporting_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The `reporting status` columns from reporting.item_states' frame; an illustrative
    figure's submitter reads as the illustrative data."""
    demo = t("source.demo", lang)
    out = pd.DataFrame(
        {
            "street_code": frame["scope_code"],
            "street": [i18n.scope_name(c, lang) for c in frame["scope_code"]],
            "indicator": frame["indicator_id"],
            "period": frame["period"],
            "due_on": [d.isoformat() for d in frame["due_on"]],
            "state": frame["state"],
            "submitted_by": [
                demo if is_demo else by
                for by, is_demo in zip(frame["submitted_by"], frame["is_demo"], strict=True)
            ],
            "submitted_at": [
                "" if pd.isna(at) else pd.Timestamp(at).strftime("%Y-%m-%d %H:%M")
                for at in frame["submitted_at"]
            ],
            "days_overdue": frame["days_overdue"].astype(int),
            "days_late": frame["days_late"].astype(int),
        }
    )
    return out[REPORTING_COLUMNS]


def cmd_reporting(args: argparse.Namespace) -> int:
    lang = args.lang
    period = args.period.upper()
    if period not in reference.PERIODS:
        print(t("cli.bad_period", lang, period=args.period), file=sys.stderr)
        return 2
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    except ValueError:
        print(t("cli.bad_date", lang, value=args.as_of), file=sys.stderr)
        return 2
    rows = reporting_rows(queries.reporting_status(args.year, period, as_of), lang)
    print_rows(rows, args.format)
    return 0


def cmd_targets(args: argparse.Namespace) -> int:
    """Exit 0 when the year's targets and their shares add up, 1 when not (a line each);
    then the same for the targets of the five-year plan the year falls in, where it has any
    (their own lines: 1 when they do not add up either)."""
    findings = queries.target_findings(args.year)
    if findings.empty:
        n = len(queries.targets().query("year == @args.year"))
        print(t("targets.consistent", args.lang, year=args.year, n=n))
    else:
        print(t("targets.inconsistent", args.lang, year=args.year, n=len(findings)))
        for line in decomposition.lines(findings, args.year, args.lang):
            print(line)
    plan_ok = plan_targets_check(args.year, args.lang)  # said even when the year's are not
    return 0 if findings.empty and plan_ok else 1


def plan_targets_check(year: int, lang: str) -> bool:
    """Print whether the targets of the plan `year` falls in add up (nothing when it has
    none); whether they do."""
    p = fiveyear.plan_of_year(year)
    n = len(queries.plan_targets(p["id"])) if p else 0
    if not n:
        return True
    name = p["name_zh"] if lang == "zh" else p["name_en"]
    found = queries.plan_target_findings(p)
    if found.empty:
        print(t("plan_targets.consistent", lang, plan=name, n=n))
        return True
    print(t("plan_targets.inconsistent", lang, plan=name, n=len(found)))
    for line in decomposition.plan_lines(found, p, lang):
        print(line)
    return False


def plan_rows(frame: pd.DataFrame, base_year: int, lang: str) -> pd.DataFrame:
    """The `plan status` columns from plan_status.status's frame: figures in the
    indicator's unit, changes and targets in percent of the base, levels 1-3 or empty."""

    def pct(values: pd.Series) -> list[str]:
        return [plain_number(None if pd.isna(v) else round(v * 100, 2)) for v in values]

    out = pd.DataFrame(
        {
            "street_code": frame["scope_code"],
            "street": [i18n.scope_name(c, lang) for c in frame["scope_code"]],
            "indicator": frame["indicator_id"],
            "base_year": base_year,
            "base_value": [plain_number(v) for v in frame["base_value"]],
            "value": [plain_number(v) for v in frame["value"]],
            "cumulative_change": pct(frame["cumulative_change"]),
            "plan_target": pct(frame["plan_target"]),
            "required_to_date": pct(frame["required_to_date"]),
            "level_year": [_text(v) for v in frame["level_year"]],
            "level_plan": [_text(v) for v in frame["level_plan"]],
        }
    )
    return out[plan_status.COLUMNS]


def _plan_of(args: argparse.Namespace) -> dict | None:
    """The plan `--plan` names, with `--year` inside it; else None, having said why."""
    lang = args.lang
    p = fiveyear.plan(args.plan)
    if p is None:
        names = ", ".join(q["name_zh"] for q in fiveyear.plans())
        print(t("cli.bad_plan", lang, plan=args.plan, plans=names), file=sys.stderr)
        return None
    if not p["first"] <= args.year <= p["last"]:
        name = p["name_zh"] if lang == "zh" else p["name_en"]
        print(
            t("cli.plan_year", lang, year=args.year, plan=name, first=p["first"], last=p["last"]),
            file=sys.stderr,
        )
        return None
    return p


def cmd_plan(args: argparse.Namespace) -> int:
    lang = args.lang
    period = args.period.upper()
    if period not in reference.PERIODS:
        print(t("cli.bad_period", lang, period=args.period), file=sys.stderr)
        return 2
    p = _plan_of(args)
    if p is None:
        return 2
    inputs = queries.plan_status_inputs(p["id"], p["base"], args.year, period)
    rows = plan_rows(plan_status.status(inputs, p, args.year, period), p["base"], lang)
    if rows.empty and args.format == "table":  # no targets for this plan: the columns only
        print("  ".join(plan_status.COLUMNS))
        return 0
    print_rows(rows, args.format)
    # what the pinned columns cannot carry is said beside them, never left out
    shown = int(inputs["illustrative"].fillna(False).astype(bool).sum())
    if shown:
        print(t("plan.illustrative_rows", lang, n=shown), file=sys.stderr)
    if fiveyear.illustrative():
        print(t("plan.levels_illustrative", lang), file=sys.stderr)
    return 0


def cmd_barometer(args: argparse.Namespace) -> int:
    """The 晴雨表 of a year as the page's download has it (barometer.download)."""
    from indicators import barometer

    lang = args.lang
    p = _plan_of(args)
    if p is None:
        return 2
    indicator = reference.resolve_indicator(args.indicator)
    if indicator not in fiveyear.indicators():
        names = ", ".join(f"{i} ({i18n.indicator_name(i, lang)})" for i in fiveyear.indicators())
        print(t("cli.bad_plan_indicator", lang, indicator=args.indicator, names=names),
              file=sys.stderr)  # fmt: skip
        return 2
    statuses = queries.plan_rounds(p, args.year)
    long = barometer.levels(statuses, args.year)
    rounds = barometer.rounds_so_far(statuses, args.year)
    scopes = reference.view_scopes(args.group)
    print_rows(barometer.download(long, indicator, scopes, rounds, lang), args.format)
    for note in barometer.notes(long, indicator, lang):
        print(note, file=sys.stderr)
    return 0


def cmd_fund(args: argparse.Namespace) -> int:
    """专项资金绩效 of a year: a row per 街镇 and category plus totals (fund.rows)."""
    from indicators import fund

    lang = args.lang
    if not 2000 <= args.year <= 2100:
        print(t("cli.bad_year", lang, year=args.year), file=sys.stderr)
        return 2
    perf, basis = queries.fund_performance(args.year)
    table = fund.rows(perf, lang)
    table["projects"] = table["projects"].astype(int)
    table["projects_with_outcome"] = table["projects_with_outcome"].astype(int)
    numbers = [c for c in fund.ROUNDING]
    out = table.assign(**{c: [plain_number(v) for v in table[c]] for c in numbers})
    print_rows(out, args.format)
    for line in fund.notes(perf, basis, lang):
        print(line, file=sys.stderr)
    return 0


COMMITMENT_COLUMNS = [
    "commitment_id",
    "owner_code",
    "owner",
    "promise",
    "cadence",
    "due_on",
    "status",
    "late",
    "evidence",
    "indicator",
    "source",
    "illustrative",
]


def commitment_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The `commitments list` columns: status and cadence as codes, the rest in `lang`."""
    from indicators import commitments

    out = pd.DataFrame(
        {
            "commitment_id": frame["commitment_id"],
            "owner_code": frame["owner"],
            "owner": [i18n.owner_name(c, lang) for c in frame["owner"]],
            "promise": [commitments.promise_text(r, lang) for r in frame.to_dict("records")],
            "cadence": frame["cadence"].fillna(""),
            "due_on": [
                ("" if pd.isna(d) else pd.Timestamp(d).date().isoformat()) for d in frame["due_on"]
            ],
            "status": frame["status"].fillna(""),
            "late": ["yes" if late else "no" for late in frame["late"]],
            "evidence": [commitments.evidence_text(r, lang) for r in frame.to_dict("records")],
            "indicator": frame["indicator_id"].fillna(""),
            "source": frame["source"],
            "illustrative": ["yes" if d else "no" for d in frame["is_demo"]],
        }
    )
    return out[COMMITMENT_COLUMNS]


def cmd_commitments(args: argparse.Namespace) -> int:
    rows = commitment_rows(queries.commitments(date.today()), args.lang)
    print_rows(rows, args.format)
    return 0


HISTORY_COLUMNS = [
    "batch_id",
    "kind",
    "editor",
    "os_user",
    "loaded_at",
    "file_name",
    "row_count",
    "status",
    "note",
    "review",
]


def history_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The `history` columns from the load batches: kinds, states and reviews in words, the
    time to the second, nothing missing shown as None or NaN."""
    notes = {"seed": "cli.note_seed", "seed + demo": "cli.note_seed_demo"}
    out = pd.DataFrame(
        {
            "batch_id": frame["batch_id"].astype(int),
            "kind": [t(f"history.kind_{k}", lang) for k in frame["kind"]],
            "editor": [_text(e) for e in frame["editor"]],
            "os_user": [_text(u) for u in frame["os_user"]],
            "loaded_at": [
                pd.Timestamp(at).strftime("%Y-%m-%d %H:%M:%S") for at in frame["loaded_at"]
            ],
            "file_name": [_text(f) for f in frame["file_name"]],
            "row_count": [f"{int(n):,}" if not pd.isna(n) else "" for n in frame["row_count"]],
            "status": [
                t("history.rolled_back_by", lang, batch=int(by))
                if s == "rolled_back"
                else t("history.in_force", lang)
                # (0 is never shown: only a rolled-back batch's number is read)
                for s, by in zip(frame["status"], frame["rolled_back_by"].fillna(0), strict=True)
            ],
            "note": [
                t(notes[n], lang) if k == "builtin" and n in notes else _text(n)
                for k, n in zip(frame["kind"], frame["note"], strict=True)
            ],
            "review": [
                t(f"history.review_{r}", lang, reason=_text(why)) if isinstance(r, str) else ""
                for r, why in zip(frame["review"], frame["review_reason"], strict=True)
            ],
        }
    )
    return out[HISTORY_COLUMNS]


def cmd_history(args: argparse.Namespace) -> int:
    print_rows(history_rows(loading.batches(), args.lang), args.format)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    tables = db.backup(Path(args.dir))
    print(t("cli.backup_done", args.lang, dir=args.dir, n=len(tables)))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    target = Path(args.to) if args.to else db.db_path()
    try:
        restored = db.restore(Path(args.dir), target, unverified=args.unverified)
    except FileExistsError:
        print(t("cli.restore_exists", args.lang, path=str(target)), file=sys.stderr)
        return 2
    except db.RestoreRefused as refused:
        for key, params in refused.problems:
            print(t(f"cli.{key}", args.lang, **params), file=sys.stderr)
        print(t("cli.restore_nothing_written", args.lang, path=str(target)), file=sys.stderr)
        return 2
    if restored.wal_moved_to is not None:
        wal = str(db.wal_path(target))
        print(t("cli.restore_wal_moved", args.lang, wal=wal, moved=str(restored.wal_moved_to)))
    if not restored.verified:
        print(t("cli.restore_unverified", args.lang, dir=args.dir), file=sys.stderr)
    print(t("cli.restore_done", args.lang, path=str(target), n=len(restored.tables)))
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    lang = args.lang
    if auth.auth_path() is None:
        print(t("cli.no_auth_file", lang, env=auth.AUTH_ENV), file=sys.stderr)
        return 2
    try:
        return _user(args, lang)
    except auth.AccountsFileBroken as broken:
        print(t("cli.accounts_broken", lang, path=str(broken)), file=sys.stderr)
        return 2
    except auth.SignInLogBroken as broken:
        print(t("auth.log_broken", lang, path=str(broken)), file=sys.stderr)
        return 2


def _user(args: argparse.Namespace, lang: str) -> int:
    if args.action == "unlock":
        auth.unlock(args.name)
        print(t("cli.user_unlocked", lang, name=args.name))
        return 0
    if args.action == "remove":
        ok = auth.remove_user(args.name)
        print(t("cli.user_removed" if ok else "cli.no_user", lang, name=args.name))
        return 0 if ok else 1
    streets = None
    if args.streets:
        streets = []
        for name in args.streets.split(","):
            code = reference.resolve_scope(name)
            if code is None:
                known = i18n.known_scopes(lang)
                print(t("cli.unknown_street", lang, name=name, known=known), file=sys.stderr)
                return 2
            streets.append(code)
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass()
    if len(password) < 8:
        print(t("cli.short_password", lang), file=sys.stderr)
        return 2
    auth.add_user(args.name, password, streets)
    print(t("cli.user_added", lang, name=args.name, streets=i18n.streets_text(streets, lang)))
    return 0


def cmd_boundaries(args: argparse.Namespace) -> int:
    """Load official boundaries: exit 0 stored, 2 rejected with the reasons."""
    from indicators import geo  # geopandas is slow to import: only this command pays

    account = auth.account(args.editor) if args.editor else None
    if account is not None and account.streets is not None:  # a 街镇 editor: district data
        print(t("intake.district_only", args.lang), file=sys.stderr)
        return 2
    frame, problems = geo.read_boundaries(Path(args.path))
    if problems:
        for problem in problems:
            print(t(f"geo.{problem.key}", args.lang, value=problem.value), file=sys.stderr)
        return 2
    rows = geo.to_rows(frame, args.source)
    batch = store.save_boundaries(rows, args.editor or auth.os_user(), Path(args.path).name)
    print(t("cli.boundaries_done", args.lang, n=len(rows), batch=batch, source=args.source))
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """The briefing deck for a year (and 街镇) without a browser session."""
    from indicators import deck, report  # python-pptx, kaleido: only this command pays

    scope = reference.district_code()
    if args.street:
        scope = reference.resolve_scope(args.street)
        if scope is None:
            known = i18n.known_scopes(args.lang)
            why = t("cli.unknown_street", args.lang, name=args.street, known=known)
            print(why, file=sys.stderr)
            return 2
    periods = queries.available_periods()
    in_year = periods[periods["year"] == args.year]
    if in_year.empty:
        print(t("cli.no_rows", args.lang), file=sys.stderr)
        return 1
    period = queries.pick_default_period(in_year)[1]
    out = Path(args.out)
    if not (out.is_dir() or out.parent.is_dir()):  # said before the deck is built
        why = t("cli.folder_missing", args.lang)
        print(t("cli.cannot_write", args.lang, path=str(out), why=why), file=sys.stderr)
        return 2
    pdf = args.format == "pdf"
    if out.is_dir():
        name = report.report_name if pdf else deck.deck_name
        out = out / name(scope, args.year, args.lang)
    build = report.build_report if pdf else deck.build_deck
    content = build(scope, args.year, period, args.lang, args.group)
    try:
        out.write_bytes(content)
    except OSError as exc:
        print(t("cli.cannot_write", args.lang, path=str(out), why=exc.strerror), file=sys.stderr)
        return 2
    print(t("cli.brief_done", args.lang, path=str(out)))
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


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang",
        choices=i18n.LANGS,
        default=i18n.DEFAULT_LANG,
        help="language of messages and names (zh by default)",
    )
    parser = _Parser(
        prog="python -m indicators", description="Low-carbon indicators by subdistrict"
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    init = sub.add_parser(
        "init", parents=[common], help="create the database (built-in data by default)"
    )
    mode = init.add_mutually_exclusive_group()
    mode.add_argument("--demo", action="store_true", help="seed figures + illustrative data")
    mode.add_argument("--empty", action="store_true", help="seed figures only")
    init.set_defaults(func=cmd_init)

    sub.add_parser("migrate", parents=[common], help="apply schema migrations").set_defaults(
        func=cmd_migrate
    )

    show = sub.add_parser(
        "show", parents=[common], help="print an indicator's values as the pages show them"
    )
    show.add_argument("indicator")
    show.add_argument("--street")
    show.add_argument("--year", type=int)
    show.add_argument(
        "--period",
        help="Y, Q1-Q4, M01-M12 or all (default: each year's whole year, else its latest period)",
    )
    show.add_argument("--format", choices=["table", "csv"], default="table")
    show.add_argument(
        "--include-pending",
        action="store_true",
        help="with the submissions awaiting review (review column: pending)",
    )
    show.set_defaults(func=cmd_show)

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

    recipe = sub.add_parser("recipe", parents=[common], help="saved readings of wide tables")
    recipe.add_argument("action", choices=["list", "show", "remove"])
    recipe.add_argument("name", nargs="?")
    recipe.add_argument("--editor", help="who removes it (default: the OS user)")
    recipe.set_defaults(func=cmd_recipe)

    rollback = sub.add_parser("rollback", parents=[common], help="roll a load batch back")
    rollback.add_argument("batch", type=int)
    rollback.add_argument("--editor")
    rollback.set_defaults(func=cmd_rollback)

    rev = sub.add_parser(
        "review", parents=[common], help="approve or return a subdistrict's submission"
    )
    rev.add_argument("batch", type=int)
    verdict = rev.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--approve", action="store_true", help="the figures become final")
    verdict.add_argument(
        "--return", dest="send_back", metavar="REASON", help="send it back with a reason"
    )
    rev.add_argument("--editor")
    rev.set_defaults(func=cmd_review)

    rep = sub.add_parser("reporting", parents=[common], help="the reporting cycle")
    rep_sub = rep.add_subparsers(dest="action", required=True, parser_class=_Parser)
    rep_status = rep_sub.add_parser(
        "status", parents=[common], help="each subdistrict's due items and their state"
    )
    rep_status.add_argument("--year", type=int, required=True)
    rep_status.add_argument("--period", required=True, help="Y, Q1-Q4 or M01-M12")
    rep_status.add_argument("--as-of", help="the day overdue days count to (YYYY-MM-DD)")
    rep_status.add_argument("--format", choices=["table", "csv"], default="table")
    rep_status.set_defaults(func=cmd_reporting)

    tgt = sub.add_parser("targets", parents=[common], help="the year's targets and their shares")
    tgt_sub = tgt.add_subparsers(dest="action", required=True, parser_class=_Parser)
    tgt_check = tgt_sub.add_parser(
        "check", parents=[common], help="whether the shares add up (exit 0) or not (exit 1)"
    )
    tgt_check.add_argument("--year", type=int, required=True)
    tgt_check.set_defaults(func=cmd_targets)

    pln = sub.add_parser("plan", parents=[common], help="the five-year plan (15th: 2026-2030)")
    pln_sub = pln.add_subparsers(dest="action", required=True, parser_class=_Parser)
    pln_status = pln_sub.add_parser(
        "status", parents=[common], help="each scope's standing and warning level against the plan"
    )
    pln_status.add_argument(
        "--plan", required=True, help="15th, 14th or 2026-2030 (or its Chinese name)"
    )
    pln_status.add_argument("--year", type=int, required=True)
    pln_status.add_argument("--period", required=True, help="Y, Q1-Q4 or M01-M12")
    pln_status.add_argument("--format", choices=["table", "csv"], default="table")
    pln_status.set_defaults(func=cmd_plan)
    pln_baro = pln_sub.add_parser(
        "barometer",
        parents=[common],
        help="the year's barometer of warning levels, as the page's download",
    )
    pln_baro.add_argument("--plan", required=True, help="15th, 14th or 2026-2030")
    pln_baro.add_argument("--year", type=int, required=True)
    pln_baro.add_argument(
        "--indicator", default="energy_per_gdp", help="an indicator the plan targets"
    )
    pln_baro.add_argument("--group", choices=list(reference.VIEWS), default="focus")
    pln_baro.add_argument("--format", choices=["table", "csv"], default="table")
    pln_baro.set_defaults(func=cmd_barometer)

    fnd = sub.add_parser("fund", parents=[common], help="what the special fund bought")
    fnd_sub = fnd.add_subparsers(dest="action", required=True, parser_class=_Parser)
    fnd_perf = fnd_sub.add_parser(
        "performance", parents=[common], help="savings, cost per tce and share of need by area"
    )
    fnd_perf.add_argument("--year", type=int, required=True)
    fnd_perf.add_argument("--format", choices=["table", "csv"], default="table")
    fnd_perf.set_defaults(func=cmd_fund)

    com = sub.add_parser("commitments", parents=[common], help="the reply's commitments")
    com_sub = com.add_subparsers(dest="action", required=True, parser_class=_Parser)
    com_list = com_sub.add_parser("list", parents=[common], help="every commitment and its state")
    com_list.add_argument("--format", choices=["table", "csv"], default="table")
    com_list.set_defaults(func=cmd_commitments)

    history = sub.add_parser("history", parents=[common], help="list load batches")
    history.add_argument("--format", choices=["table", "csv"], default="table")
    history.set_defaults(func=cmd_history)

    backup = sub.add_parser("backup", parents=[common], help="Parquet per table + schema")
    backup.add_argument("dir")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", parents=[common], help="a backup into a new file")
    restore.add_argument("dir")
    restore.add_argument("--to", help="the new database file (default: LOWCARBON_DB)")
    restore.add_argument(
        "--unverified",
        action="store_true",
        help="restore a backup whose manifest has no checksums (made by an older version)",
    )
    restore.set_defaults(func=cmd_restore)

    user = sub.add_parser("user", parents=[common], help="editor accounts (LOWCARBON_AUTH)")
    user.add_argument("action", choices=["add", "remove", "unlock"])
    user.add_argument("name")
    user.add_argument("--streets", help="comma-separated subdistricts the editor may change")
    user.add_argument("--password-stdin", action="store_true")
    user.set_defaults(func=cmd_user)

    bounds = sub.add_parser(
        "boundaries",
        parents=[common],
        help="load official boundaries (GeoJSON, zipped Shapefile, GPKG)",
    )
    bounds.add_argument("path")
    bounds.add_argument("--source", required=True, help="where the boundaries come from")
    bounds.add_argument("--editor")
    bounds.set_defaults(func=cmd_boundaries)

    brief = sub.add_parser("brief", parents=[common], help="the briefing deck, without a browser")
    brief.add_argument("--format", choices=["pptx", "pdf"], default="pptx")
    brief.add_argument("--year", type=int, required=True)
    brief.add_argument("--street")
    brief.add_argument(
        "--group",
        choices=reference.VIEWS,
        default=reference.VIEWS[0],
        help="rank the four focus subdistricts (focus) or all ten (all)",
    )
    brief.add_argument("--out", required=True, help="a file, or a folder to name it in")
    brief.set_defaults(func=cmd_brief)

    template = sub.add_parser("template", parents=[common], help="write an upload template")
    template.add_argument("kind", choices=files.kinds())
    template.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    template.add_argument("--out", required=True)
    template.set_defaults(func=cmd_template)

    demo = sub.add_parser("demo", parents=[common], help="manage the illustrative data")
    demo.add_argument("action", choices=["remove"])
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader stopped early (`| head`): nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except db.DatabaseMissing as exc:
        print(t("error.no_database", args.lang, path=str(exc)), file=sys.stderr)
        return 2
    except db.DatabaseBusy:
        print(t("error.busy", args.lang), file=sys.stderr)
        return 5
    except db.DatabaseWalMismatch as exc:
        print(
            t("error.wal_mismatch", args.lang, path=str(exc.path), wal=str(exc.wal)),
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
