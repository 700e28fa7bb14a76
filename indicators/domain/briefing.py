"""Headline sentences for briefings: one per indicator, made from the data.

Pure: a card row in (as analysis.pick_cards makes it), a sentence out. The sentence is
right for every indicator, for a year with no previous year, and for a missing value
(未报送). A label belongs to the figure it describes: an illustrative value, last year's
figure or target is labelled where the sentence uses it, and an official figure never is.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from indicators import reference
from indicators.domain import decomposition
from indicators.domain.status import flagged, on_misfit_plan
from indicators.reference import i18n
from indicators.reference.i18n import t


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value)


def headline(row: dict, lang: str, year: int) -> str:
    """The sentence for one indicator of one scope.

    Args:
        row: a card row: indicator_id, scope_code, period, value, unit, change, change_kind,
            target_value, target_kind, expected_to_date, attainment_pct, rag_status, is_demo.
        year: the year the row is for.
    """
    ind = reference.indicator(row["indicator_id"])
    unit = ind["unit"]
    name = i18n.indicator_name(ind["id"], lang)
    if lang == "en" and name[1:2].islower():  # "energy use …" mid-sentence; GDP, CO₂ stay
        name = name[0].lower() + name[1:]
    period = row.get("period", "Y")
    words = {
        "when": _when(period, year, lang),
        "scope": i18n.scope_name(row["scope_code"], lang),
        "indicator": name,
    }
    subject = t("brief.subject", lang, **words)
    status = row.get("rag_status")
    if not _present(row.get("value")):
        key = "brief.not_due" if status == "not_due" else "brief.not_reported"
        return t(key, lang, **words)
    value = i18n.value_text(row["value"], unit, lang)
    clauses = [value + figure_mark(row, lang)]
    change = row.get("change")
    if _present(change):
        if row.get("change_kind") == "pp":
            key = "brief.up_pp" if change >= 0 else "brief.down_pp"
        else:
            key = "brief.up_pct" if change >= 0 else "brief.down_pct"
        clause = t(
            key, lang, value=f"{abs(change):,.2f}" if key.endswith("pp") else f"{abs(change):,.1f}"
        )
        clauses.append(clause + previous_mark(row, lang))
    target = row.get("target_value")
    target_label = t("label.demo_target", lang) if flagged(row, "target_is_demo") else ""
    if _present(target) and target:
        if row.get("target_kind") == "cumulative":
            pct = f"{row['value'] / target * 100:,.1f}"
            clauses.append(t("brief.of_target", lang, pct=pct) + target_label)
            expected = row.get("expected_to_date")
            if _present(expected) and row.get("period") != "Y":
                gap = (row["value"] - expected) / target * 100
                if ind["direction"] == "lower":
                    gap = -gap
                key = "brief.ahead" if gap >= 0 else "brief.behind"
                clauses.append(t(key, lang, pp=f"{abs(gap):.1f}"))
        elif _present(row.get("attainment_pct")):
            pct = f"{row['attainment_pct']:,.1f}"
            clauses.append(t("brief.attainment", lang, pct=pct) + target_label)
    if status in ("green", "yellow", "orange", "red"):
        clauses.append(t("brief.status", lang, status=t(f"rag.{status}", lang)))
    return t("brief.sentence", lang, subject=subject, clauses=t("brief.joiner", lang).join(clauses))


def figure_mark(row: dict, lang: str) -> str:
    """After an illustrative figure, or one awaiting review, wherever it is written or
    drawn: the label belongs to the figure, so a sentence or a chart mixing official,
    illustrative and pending figures says which are which."""
    marks = [("is_demo", "label.demo_value"), ("pending", "label.pending_value")]
    return "".join(t(key, lang) for flag, key in marks if flagged(row, flag))


def previous_mark(row: dict, lang: str) -> str:
    """After a change on last year, wherever it is written (a slide's sentence, a card):
    whether last year's figure it is computed against is illustrative. An illustrative
    value already says so, and its change with it."""
    if flagged(row, "previous_is_demo") and not flagged(row, "is_demo"):
        return t("label.demo_previous", lang)
    return ""


def _when(period: str, year: int, lang: str) -> str:
    """When a figure is for: 2026年前三季度（1–9月累计）, or in English words, January–September
    2026 (a briefing does not say "Q1–Q3 (Jan–Sep to date)" mid-sentence)."""
    if lang != "en":
        label = "" if period == "Y" else i18n.period_label(period, lang)
        return t("common.year", lang, year=year) + label
    if period == "Y":
        return t("brief.when_year", lang, year=year)
    months = 3 * int(period[1]) if period.startswith("Q") else int(period[1:])
    key = "brief.when_month" if months == 1 else "brief.when_months"
    return t(key, lang, year=year, month=t(f"month.{months}", lang))


def provenance(row: dict, lang: str) -> str:
    """Source, data status and as-of date of one value: only what is true of it (an
    illustrative figure is neither final nor preliminary, and a missing date is left out)."""
    if flagged(row, "is_demo"):
        return t("card.provenance_demo", lang)
    parts = {
        "source": i18n.source_label(row.get("source"), False, lang),
        "status": t(f"data_status.{row.get('data_status') or 'preliminary'}", lang),
    }
    as_of = row.get("as_of")
    if as_of is None or pd.isna(as_of):
        return t("card.provenance_undated", lang, **parts)
    return t("card.provenance", lang, as_of=pd.Timestamp(as_of).date().isoformat(), **parts)


def plan_note(row: dict, lang: str) -> str | None:
    """Beside a status judged on a plan to date that does not fit its annual target: what
    does not fit, to be checked (序时目标与年度目标不一致（四季度末计划 …），请核对。)."""
    if not on_misfit_plan(row):
        return None
    detail = decomposition.plan_detail(
        row["plan_misfit"],
        row.get("plan_misfit_period"),
        row.get("plan_misfit_value"),
        row.get("plan_misfit_against"),
        row.get("plan_misfit_against_period"),
        reference.indicator(row["indicator_id"])["unit"],
        lang,
    )
    return t("plan.status_note", lang, detail=detail)


def matrix_plan_notes(matrix, lang: str) -> list[str]:
    """Under a status matrix: each cell judged on a plan that does not fit its target
    (analysis.status_matrix's attrs["plan_misfits"])."""
    return [
        t(
            "plan.matrix_note",
            lang,
            scope=i18n.scope_name(row["scope_code"], lang),
            indicator=i18n.indicator_name(row["indicator_id"], lang),
            note=plan_note(row, lang),
        )
        for row in matrix.attrs.get("plan_misfits", [])
    ]


def footer_lines(card: dict, lang: str) -> list[str]:
    """What a slide says under its status, on the page, in the deck and in the report: a
    plan to date that does not fit its target, the 情况说明 note, then where the figure
    comes from (when there is a figure)."""
    lines = [note] if (note := plan_note(card, lang)) else []
    note = card.get("note")
    if _present(note) and note:
        lines.append(t("card.note", lang, note=i18n.note_text(str(note), lang)))
    if _present(card.get("value")):
        lines.append(provenance(card, lang))
    return lines


def file_name(kind: str, scope: str, year: int, lang: str, today: date | None = None) -> str:
    """A briefing file named by content and date, e.g. 双碳简报_全区_2024_20261123.pptx
    (`kind`: "deck" or "report")."""
    today = today or date.today()
    return t(
        f"{kind}.file",
        lang,
        scope=i18n.file_part(i18n.scope_name(scope, lang)),
        year=year,
        date=today.strftime("%Y%m%d"),
    )


def slide_order(cards: list[dict]) -> list[dict]:
    """What matters first: indicators judged against a target, the furthest behind the
    plan first (红, 橙, 黄, 绿), then the rest in catalogue order."""
    from indicators.domain.status import BANDS, RAG_ORDER

    def key(item: tuple[int, dict]) -> tuple[int, int, int]:
        n, card = item
        status = card.get("rag_status")
        judged = status in BANDS
        return (0 if judged else 1, RAG_ORDER.index(status) if judged else 0, n)

    return [card for _, card in sorted(enumerate(cards), key=key)]


def slides(frame: pd.DataFrame, scope: str, period: str) -> list[dict]:
    """A card row per headline indicator, in slide order."""
    from indicators.domain import analysis

    ids = [i["id"] for i in reference.catalogue() if i["headline"]]
    return slide_order(analysis.pick_cards(frame, scope, period, ids).to_dict("records"))


def contents(scope: str, year: int, period: str, lang: str) -> tuple[pd.DataFrame, list, str]:
    """What a deck or report shows: the year's indicator frame, a card row per headline
    indicator in slide order, and the title."""
    from indicators.domain import queries

    frame = queries.indicator_frame(year=year)
    cards = slides(frame, scope, period)
    title = t(
        "deck.title",
        lang,
        scope=i18n.scope_name(scope, lang),
        year=t("common.year", lang, year=year),
        period=i18n.period_label(period, lang),
    )
    return frame, cards, title


def barometer_pages(year: int, period: str, lang: str, view: str = "focus") -> list[dict]:
    """The 晴雨表 of `year` as the deck's slides and the PDF's pages: one per indicator the
    plan of that year has targets for, the rounds up to `period`, the view's scopes
    (barometer.briefing_page). None for a year outside every plan or before its first
    round."""
    from indicators.domain import barometer, fiveyear, queries

    plan = fiveyear.plan_of_year(year)
    if plan is None:
        return []
    statuses = queries.plan_rounds(plan, year)
    rounds = barometer.rounds_until(barometer.rounds_so_far(statuses, year), period)
    long = barometer.levels(statuses, year)
    scopes = reference.view_scopes(view)
    return [
        barometer.briefing_page(long, ind, scopes, rounds, plan, year, lang)
        for ind in fiveyear.indicators()
        if rounds and barometer.targeted(long, ind)
    ]


def fund_page(year: int, lang: str, view: str = "focus") -> dict | None:
    """The deck's slide and the PDF's page on what the special fund bought in `year`: a
    title, the arguments of its chart (charts.fund_savings: the caller draws it, as charts
    imports this module), the district's totals as lines and the notes the figures rest
    on. None for a year without funded projects."""
    from indicators.domain import fund, queries

    perf, basis = queries.fund_performance(year)
    district = reference.district_code()
    total = perf[(perf["street_code"] == district) & (perf["category"] == fund.ALL)]
    if basis["projects"].empty or total.empty:
        return None
    r = total.iloc[0]

    def shown(value, unit: str) -> str:
        return t("missing.not_given", lang) if pd.isna(value) else i18n.quantity(value, unit, lang)

    lines = [
        t(
            "fund.slide_projects",
            lang,
            n=int(r["projects"]),
            with_outcome=int(r["projects_with_outcome"]),
            funds=shown(r["funded_amount"], "10k_yuan"),
        ),
        t("fund.slide_saving", lang, expected=shown(r["expected_saving_tce"], "tce"),
          verified=shown(r["verified_saving_tce"], "tce")),
        t("fund.slide_co2", lang, co2=shown(r["co2_t"], "tco2"), pv=shown(r["pv_kw"], "kw")),
    ]  # fmt: skip
    if pd.notna(r["cost_per_tce"]):
        lines.append(t("fund.slide_cost", lang, cost=f"{r['cost_per_tce']:,.3f}"))
    return {
        "title": t("fund.slide_title", lang, year=year),
        "chart": (perf, reference.view_leaves(view), year, lang),  # charts.fund_savings's
        "lines": lines,
        "notes": fund.notes(perf, basis, lang),
    }
