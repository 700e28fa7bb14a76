"""Headline sentences for briefings: one per indicator, made from the data.

Pure: a card row in (as analysis.pick_cards makes it), a sentence out. The sentence is
right for every indicator, for a year with no previous year, and for a missing value
(未报送); a sentence that uses an illustrative figure says so.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from indicators import i18n, reference
from indicators.i18n import t


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
    subject = t(
        "brief.subject",
        lang,
        year=t("common.year", lang, year=year),
        period=_period_words(row.get("period", "Y"), lang),
        scope=i18n.scope_name(row["scope_code"], lang),
        indicator=i18n.indicator_name(ind["id"], lang),
    )
    status = row.get("rag_status")
    if not _present(row.get("value")):
        key = "brief.not_due" if status == "not_due" else "brief.not_reported"
        return t(key, lang, subject=subject)
    clauses = [
        t(
            "brief.value",
            lang,
            value=i18n.number(row["value"], unit, lang),
            unit=i18n.unit_label(unit, lang),
        )
    ]
    change = row.get("change")
    if _present(change):
        if row.get("change_kind") == "pp":
            key = "brief.up_pp" if change >= 0 else "brief.down_pp"
        else:
            key = "brief.up_pct" if change >= 0 else "brief.down_pct"
        clauses.append(
            t(key, lang, value=f"{abs(change):.2f}" if key.endswith("pp") else f"{abs(change):.1f}")
        )
    target = row.get("target_value")
    if _present(target) and target:
        if row.get("target_kind") == "cumulative":
            clauses.append(t("brief.of_target", lang, pct=f"{row['value'] / target * 100:.1f}"))
            expected = row.get("expected_to_date")
            if _present(expected) and row.get("period") != "Y":
                gap = (row["value"] - expected) / target * 100
                if ind["direction"] == "lower":
                    gap = -gap
                key = "brief.ahead" if gap >= 0 else "brief.behind"
                clauses.append(t(key, lang, pp=f"{abs(gap):.1f}"))
        elif _present(row.get("attainment_pct")):
            clauses.append(t("brief.attainment", lang, pct=f"{row['attainment_pct']:.1f}"))
    if status in ("green", "yellow", "orange", "red"):
        clauses.append(t("brief.status", lang, status=t(f"rag.{status}", lang)))
    sentence = t(
        "brief.sentence", lang, subject=subject, clauses=t("brief.joiner", lang).join(clauses)
    )
    # Any illustrative figure in the sentence (the value, last year's, the target) says so.
    if any(
        row.get(k) is True or (_present(row.get(k)) and bool(row.get(k)))
        for k in ("is_demo", "previous_is_demo", "target_is_demo")
    ):
        sentence += t("brief.illustrative", lang)
    return sentence


def _period_words(period: str, lang: str) -> str:
    if period == "Y":
        return ""
    return (" " if lang == "en" else "") + i18n.period_label(period, lang)


def file_name(kind: str, scope: str, year: int, lang: str, today: date | None = None) -> str:
    """A briefing file named by content and date, e.g. 双碳简报_全区_2024_20261123.pptx
    (`kind`: "deck" or "report")."""
    today = today or date.today()
    return t(
        f"{kind}.file",
        lang,
        scope=i18n.scope_name(scope, lang),
        year=year,
        date=today.strftime("%Y%m%d"),
    )


def contents(scope: str, year: int, period: str, lang: str) -> tuple[pd.DataFrame, list, str]:
    """What a deck or report shows: the year's indicator frame, a card row per headline
    indicator, and the title."""
    from indicators import analysis, queries

    ids = [i["id"] for i in reference.catalogue() if i["headline"]]
    frame = queries.indicator_frame(year=year)
    cards = analysis.pick_cards(frame, scope, period, ids).to_dict("records")
    title = t(
        "deck.title",
        lang,
        scope=i18n.scope_name(scope, lang),
        year=t("common.year", lang, year=year),
        period=i18n.period_label(period, lang),
    )
    return frame, cards, title
