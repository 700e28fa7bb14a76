"""承诺事项: the commitments the reply makes, who owns each (a department or a 街镇), and
which are late — delayed, or past their due date and not done.

Pure: frames in, frames out; no database, no Streamlit.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from indicators import reference
from indicators.reference import i18n

STATUSES = ("not_started", "in_progress", "done", "delayed")
OWNER_KINDS = ("department", "street")
# Each status as an icon and a word, never colour alone; None: nothing reported yet.
STATUS_ICONS = {"not_started": "○", "in_progress": "◐", "done": "✔", "delayed": "⚠", None: "·"}


def status_text(status: str | None, lang: str) -> str:
    known = status if isinstance(status, str) else None
    word = i18n.t(f"commitments.status_{known or 'unreported'}", lang)
    return f"{STATUS_ICONS[known]} {word}"


def owner(frame: pd.DataFrame) -> pd.Series:
    """Each commitment's owner code: its department, else its 街镇."""
    return frame["department"].fillna(frame["scope_code"])


def owner_order() -> dict[str, int]:
    """Departments first (as departments.yaml lists them), then the 街镇 in their order."""
    codes = [d["code"] for d in reference.departments()] + reference.leaves()
    return {code: i for i, code in enumerate(codes)}


def with_late(frame: pd.DataFrame, today: date) -> pd.DataFrame:
    """The commitments by owner, each with `owner` and `late`: delayed, or due before
    `today` and not done."""
    out = frame.assign(owner=owner(frame))
    due = pd.to_datetime(out["due_on"])  # NaT (no due date) is never before today
    past = due.lt(pd.Timestamp(today)) & out["status"].ne("done")
    out["late"] = out["status"].eq("delayed") | past
    order = owner_order()
    out["_order"] = out["owner"].map(order).fillna(len(order))
    return out.sort_values(["_order", "commitment_id"]).drop(columns="_order")


def choose(
    frame: pd.DataFrame,
    owner_kind: str | None = None,
    owner_code: str | None = None,
    statuses: list[str] | None = None,
    late_only: bool = False,
) -> pd.DataFrame:
    """The commitments a filter keeps: an owner kind (department | street), one owner,
    some statuses (None for not reported yet is kept by none of them), only the late."""
    keep = pd.Series(True, index=frame.index)
    if owner_kind == "department":
        keep &= frame["department"].notna()
    elif owner_kind == "street":
        keep &= frame["scope_code"].notna()
    if owner_code:
        keep &= frame["owner"].eq(owner_code)
    if statuses:
        keep &= frame["status"].isin(statuses)
    if late_only:
        keep &= frame["late"]
    return frame[keep]


def counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many commitments stand in each status, how many are not reported, and late."""
    out = {s: int(frame["status"].eq(s).sum()) for s in STATUSES}
    out["unreported"] = int(frame["status"].isna().sum())
    out["late"] = int(frame["late"].sum())
    return out


def promise_text(row: dict, lang: str) -> str:
    """The promise in the reader's language where it was given in it."""
    english = row.get("promise_en")
    if i18n.norm_lang(lang) == "en" and isinstance(english, str) and english:
        return english
    return row["promise"]


def evidence_text(row: dict, lang: str) -> str:
    """The evidence as shown: the built-in illustrative evidence in English in English
    mode; evidence an editor recorded as written; none as nothing."""
    evidence = row.get("evidence")
    if not isinstance(evidence, str):
        return ""
    if i18n.norm_lang(lang) == "en" and row.get("is_demo"):
        for item in reference.commitments()["commitments"]:
            demo = item.get("demo", {})
            if item["id"] == row.get("commitment_id") and demo.get("evidence") == evidence:
                return demo.get("evidence_en", evidence)
    return evidence


LATE_ROWS = 8  # late commitments a briefing lists; the rest are counted


def briefing_page(frame: pd.DataFrame, lang: str) -> dict:
    """What the deck's slide and the report's page say of the commitments: the counts,
    the late ones (owner, promise, due date, status; an illustrative status says so) up to
    LATE_ROWS, and the notes under them."""
    n = counts(frame)
    late = frame[frame["late"]]
    demo = i18n.t("label.demo_value", lang)
    rows = [
        (
            i18n.owner_name(row["owner"], lang),
            promise_text(row, lang),
            "" if pd.isna(row["due_on"]) else pd.Timestamp(row["due_on"]).date().isoformat(),
            status_text(row["status"], lang) + (demo if row["is_demo"] else ""),
        )
        for row in late.head(LATE_ROWS).to_dict("records")
    ]
    notes = []
    if len(late) > LATE_ROWS:
        notes.append(i18n.t("commitments.slide_more", lang, n=len(late) - LATE_ROWS))
    if frame["is_demo"].any():
        notes.append(i18n.t("commitments.slide_demo", lang))
    heads = ("commitments.owner", "commitments.col_promise", "commitments.col_due",
             "commitments.status")  # fmt: skip
    return {
        "title": i18n.t("commitments.slide_title", lang),
        "counts": i18n.t("commitments.slide_counts", lang, n=len(frame), **n),
        "heads": [i18n.t(h, lang) for h in heads],
        "rows": rows,
        "none_late": i18n.t("commitments.slide_none_late", lang),
        "notes": notes,
    }
