"""The message catalogue: every user-facing string, in Chinese (default) and English.

UI strings live in messages.yaml; indicator, scope and breakdown names live with their
reference data (catalogue.yaml, scopes.yaml) and are served from here too, so a page
never holds a literal label.
"""

from __future__ import annotations

import re

import pandas as pd

from indicators import reference

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


def messages() -> dict[str, dict[str, str]]:
    return reference.messages_file()  # read once: reference caches every file it reads


def norm_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled from `values`."""
    text = messages()[key][norm_lang(lang)]
    return text.format(**values) if values else text


def indicator_name(indicator_id: str, lang: str) -> str:
    return reference.indicator(indicator_id)[f"name_{norm_lang(lang)}"]


def indicator_short(indicator_id: str, lang: str) -> str:
    """A short name for tight places (matrix headers)."""
    return reference.indicator(indicator_id)[f"short_{norm_lang(lang)}"]


def indicator_scope_note(indicator_id: str, lang: str) -> str:
    return reference.indicator(indicator_id)[f"scope_{norm_lang(lang)}"]


def scope_name(code: str, lang: str) -> str:
    return reference.scope(code)[f"name_{norm_lang(lang)}"]


def owner_name(code: str, lang: str) -> str:
    """A department's or a 街镇's name."""
    for d in reference.departments():
        if d["code"] == code:
            return d["name_zh" if norm_lang(lang) == "zh" else "name_en"]
    return scope_name(code, lang)


def streets_text(codes: list[str] | tuple[str, ...] | None, lang: str) -> str:
    """Which 街镇 an editor may change, in words: their names, or every 街镇 (None)."""
    if codes is None:
        return t("auth.all_streets", lang)
    return t("common.list_sep", lang).join(scope_name(code, lang) for code in codes)


def known_scopes(lang: str) -> str:
    """Every 街镇 and group by name, for a message saying which names are known."""
    return t("common.list_sep", lang).join(s[f"name_{norm_lang(lang)}"] for s in reference.scopes())


def scope_short(code: str, lang: str) -> str:
    """The short name where room is short (map labels), else the full name."""
    s = reference.scope(code)
    return s.get(f"short_{norm_lang(lang)}") or s[f"name_{norm_lang(lang)}"]


def breakdown_name(indicator_id: str, code: str, lang: str) -> str:
    for b in reference.indicator(indicator_id)["breakdowns"]:
        if b["code"] == code:
            return b[f"name_{norm_lang(lang)}"]
    return code


def unit_label(unit: str, lang: str) -> str:
    return t(f"unit.{unit}", lang)


CJK_START = 0x2E80  # CJK punctuation, ideographs and full-width forms from here up


def file_part(text: str) -> str:
    """Text safe in a file name on any system: no path or reserved characters, no spaces."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_")


def value_text(value: float, unit: str, lang: str) -> str:
    """A value with its unit as a sentence writes it: 3.43%, 63项, 63 items."""
    key = "brief.value_pct" if unit == "pct" else "brief.value"
    label = t(f"unit_one.{unit}", lang) if value == 1 and unit in ONE else unit_label(unit, lang)
    return t(key, lang, value=number(value, unit, lang), unit=label)


ONE = ("item", "count")  # units with a singular (unit_one.*): counts


def period_label(period: str, lang: str) -> str:
    return t(f"period.{period}", lang)


def period_choice(period: str, lang: str) -> str:
    """A period in the chooser, with its group: 全年 / 季度 · 前三季度… / 月度 · 1–5月累计."""
    if period == "Y":
        return period_label(period, lang)
    group = t("period_group.quarter" if period.startswith("Q") else "period_group.month", lang)
    return f"{group} · {period_label(period, lang)}"


def term(value: object, lang: str) -> object:
    """A controlled word (a category, a status) in English where we know it; data values
    from real files show as written."""
    if lang == "en" and isinstance(value, str):
        return reference.demo_vocabulary().get("terms_en", {}).get(value, value)
    return value


def note_text(note: str, lang: str) -> str:
    """A note as shown: the seed's and the built-in data's own notes in English in English
    mode; a note from a loaded file as written."""
    if lang != "en":
        return note
    vocab = reference.demo_vocabulary()
    known = {o["note"]: o["note_en"] for o in reference.seed()["observations"] if "note_en" in o}
    known[vocab["communities_lower_bound_note"]] = vocab["communities_lower_bound_note_en"]
    return known.get(note, note)


def demo_name(value: object, is_demo: bool, lang: str) -> object:
    """An illustrative row's made-up name with its 街镇 named, not coded, and in English in
    English mode (示例项目 2024-hongqiao-03 -> 示例项目 2024-虹桥-03, Illustrative project
    2024-Hongqiao-03); any other name as registered."""
    if not (is_demo and isinstance(value, str)):
        return value
    codes = {s["code"] for s in reference.scopes()}
    value = re.sub(
        r"(?<=-)([a-z]+)(?=-)",
        lambda m: scope_short(m[1], lang) if m[1] in codes else m[0],
        value,
    )
    if lang == "en":
        for zh, en in reference.demo_vocabulary().get("prefixes_en", {}).items():
            if value.startswith(zh):
                return en + value[len(zh) :]
    return value


def source_label(source: str | None, is_demo: bool, lang: str) -> str:
    """Illustrative data always says so; other sources are shown as recorded."""
    if is_demo:
        return t("source.demo", lang)
    return source or t("common.none", lang)


# Decimals a unit deserves on screen; counts and totals show no false precision.
DECIMALS = {"pct": 2, "tce_per_10k_yuan": 4, "tco2_per_10k_yuan": 4}


def number(value: float | None, unit: str, lang: str) -> str:
    """A value for display: thousands separators, decimals fitting the unit."""
    if value is None or value != value:
        return t("common.none", lang)
    decimals = DECIMALS.get(unit, 0 if float(value).is_integer() else 1)
    return f"{float(value):,.{decimals}f}"


def quantity(value: float | None, unit: str, lang: str) -> str:
    """A value with its unit for a sentence: 220,945 吨标准煤, 2.58%."""
    if value is None or value != value:
        return t("common.none", lang)
    gap = "" if unit == "pct" else " "
    return f"{number(value, unit, lang)}{gap}{unit_label(unit, lang)}"


def missing_parts_text(row: dict, lang: str) -> str:
    """What a sum left out, beside its figure: "虹桥街道 2024年 专项资金支持金额：3 项未填数值，
    未计入" — or, with no part known, that the figure is not given (未提供), never zero."""
    key = "missing.some_parts" if pd.notna(row["value"]) else "missing.all_parts"
    return t(
        key,
        lang,
        scope=scope_name(row["scope_code"], lang),
        year=int(row["year"]),
        period=period_label(row["period"], lang),
        indicator=indicator_name(row["indicator_id"], lang),
        n=int(row["missing_parts"]),
    )
