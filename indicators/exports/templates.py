"""Downloadable templates for each kind of upload, made from the intake declaration:
Chinese headers, an example row, and a sheet that explains every column."""

from __future__ import annotations

import io

import pandas as pd

from indicators import formulas
from indicators.intake.model import declaration
from indicators.reference.i18n import t


def _columns(kind: str) -> list[dict]:
    return declaration()["kinds"][kind]["columns"]


def example_frame(kind: str) -> pd.DataFrame:
    cols = _columns(kind)
    return pd.DataFrame(
        [[c.get("example", "") for c in cols]], columns=[c["headers"][0] for c in cols]
    )


def explanation_frame(kind: str, lang: str) -> pd.DataFrame:
    rows = []
    for c in _columns(kind):
        rows.append(
            {
                t("template.column", lang): c["headers"][0],
                t("template.also", lang): " / ".join(c["headers"][1:]),
                t("template.required", lang): t(
                    "common.yes" if c.get("required") else "common.no", lang
                ),
                t("template.type", lang): t(f"template.type_{c['type']}", lang),
                t("template.meaning", lang): c[lang if lang in ("zh", "en") else "zh"],
                t("template.example", lang): c.get("example", ""),
            }
        )
    return pd.DataFrame(rows)


def template_csv(kind: str) -> bytes:
    """UTF-8 with a BOM, so Excel on Chinese Windows opens it (written as every CSV the
    app gives out)."""
    return formulas.table_csv_text(example_frame(kind)).encode("utf-8-sig")


def template_xlsx(kind: str, lang: str = "zh") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        example_frame(kind).to_excel(writer, sheet_name=t("template.data_sheet", lang), index=False)
        explanation_frame(kind, lang).to_excel(
            writer, sheet_name=t("template.help_sheet", lang), index=False
        )
    return buffer.getvalue()
