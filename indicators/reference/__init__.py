"""Reference data: the files the district edits, in this folder, and their one reader.

The indicator catalogue (catalogue.yaml), the scopes (scopes.yaml, or LOWCARBON_SCOPES),
the factors (factors.yaml), the departments, the five-year plans (fiveyear.yaml), what the
intake reads (intake.yaml), the seed's figures and commitments, the illustrative dataset's
words (demo.yaml) and every user-facing string (messages.yaml, read by `i18n`).

May import: nothing of the package. Exports: the readers below (catalogue, scopes,
periods, factors …) and `i18n.t`.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from os import environ
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent

PERIODS = ["Y", "Q1", "Q2", "Q3", "Q4"] + [f"M{m:02d}" for m in range(1, 13)]
# What a user chooses from: one code per meaning, grouped (全年, quarters, months). Q4 and
# M12 are the whole year, M03/M06/M09 the quarters to date; the mart holds every code.
PERIOD_CHOICES = ["Y", "Q1", "Q2", "Q3"] + [f"M{m:02d}" for m in range(1, 12) if m % 3]
SAME_PERIOD = {"Q4": "Y", "M12": "Y", "M03": "Q1", "M06": "Q2", "M09": "Q3"}


def choice_period(code: str) -> str:
    """The one code a period is chosen by: M09 and Q3 are both 1–9月累计."""
    return SAME_PERIOD.get(code, code)


SCOPES_ENV = "LOWCARBON_SCOPES"


def read_yaml(path: Path) -> Any:
    """A YAML file, parsed by libyaml where PyYAML has it: ten times the pure-Python parser,
    which took half a second of the app's first run on the message catalogue alone."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


@cache
def _load(name: str) -> dict[str, Any]:
    return read_yaml(HERE / name)


def seed() -> dict[str, Any]:
    """The seed document's figures (seed.yaml)."""
    return _load("seed.yaml")


def commitments() -> dict[str, Any]:
    """The reply's commitments and their illustrative tracking (commitments.yaml)."""
    return _load("commitments.yaml")


def demo_vocabulary() -> dict[str, Any]:
    """Anchors and words of the illustrative dataset (demo.yaml)."""
    return _load("demo.yaml")


def fiveyear_spec() -> dict[str, Any]:
    """The five-year plans, their judgements and 预警等级 (fiveyear.yaml)."""
    return _load("fiveyear.yaml")


def messages_file() -> dict[str, Any]:
    """Every user-facing string by key and language (messages.yaml; `i18n` reads it)."""
    return _load("messages.yaml")


def intake_declaration() -> dict[str, Any]:
    """What the intake reads: each kind's columns, units, words and shapes (intake.yaml)."""
    return _load("intake.yaml")


@cache
def catalogue() -> list[dict[str, Any]]:
    """Every indicator, with the catalogue's defaults filled in (one shared list: read it,
    do not change it)."""
    data = _load("catalogue.yaml")
    out = []
    for ind in data["indicators"]:
        merged = {
            "thresholds": dict(data["defaults"]["thresholds"]),
            "year_to_date": data["defaults"]["year_to_date"],
            "reported_by": data["defaults"]["reported_by"],
            "breakdowns": [],
        }
        merged.update(ind)
        frequency_rule = data["defaults"]["due"][merged["frequency"]]
        merged["due"] = {
            "illustrative": data["defaults"]["due"]["illustrative"],
            **frequency_rule,
            **ind.get("due", {}),
        }
        merged["plausibility"] = {
            **data["defaults"]["plausibility"],
            **ind.get("plausibility", {}),
        }
        out.append(merged)
    return out


@cache
def indicator(indicator_id: str) -> dict[str, Any]:
    for ind in catalogue():
        if ind["id"] == indicator_id:
            return ind
    raise KeyError(indicator_id)


def indicator_ids() -> list[str]:
    return [ind["id"] for ind in catalogue()]


def scopes() -> list[dict[str, Any]]:
    """The scopes from scopes.yaml, or from the file LOWCARBON_SCOPES names (benchmarks run
    the dashboard on every 街镇 of the city this way)."""
    return list(_load(environ.get(SCOPES_ENV, "scopes.yaml"))["scopes"])


def scope(code: str) -> dict[str, Any]:
    for s in scopes():
        if s["code"] == code:
            return s
    raise KeyError(code)


LEAF_KINDS = ("street", "town")  # a 街镇; groups and the district are sums of them
VIEWS = ("focus", "all")  # the `group` filter: 双桥双新泾 (the design's view) | 全部街镇


def district_code() -> str:
    return next(s["code"] for s in scopes() if s["kind"] == "district")


def leaves() -> list[str]:
    """The 街镇 (streets and towns), in file order."""
    return [s["code"] for s in scopes() if s["kind"] in LEAF_KINDS]


def parents() -> dict[str, str]:
    """Each scope's direct group: the group that lists it as a member, else the district.
    Checks the tree: members exist, belong to one group, and no group contains itself."""
    codes = {s["code"] for s in scopes()}
    top = district_code()
    out: dict[str, str] = {}
    for s in scopes():
        for member in s.get("members", []):
            if member not in codes or member == top:
                raise ValueError(f"scope {s['code']}: unknown member {member}")
            if member in out:
                raise ValueError(f"scope {member} is a member of {out[member]} and {s['code']}")
            out[member] = s["code"]
    for code in codes - {top}:
        out.setdefault(code, top)
    for code in out:  # every chain ends at the district
        seen = {code}
        while code != top:
            code = out[code]
            if code in seen:
                raise ValueError(f"scope groups form a cycle at {code}")
            seen.add(code)
    return out


def members(code: str) -> list[str]:
    """A group's direct members in file order (empty for a 街镇)."""
    up = parents()
    return [s["code"] for s in scopes() if up.get(s["code"]) == code]


def leaves_of(code: str) -> list[str]:
    """The 街镇 a scope sums (itself for a 街镇), in file order."""
    if scope(code)["kind"] in LEAF_KINDS:
        return [code]
    return [leaf for m in members(code) for leaf in leaves_of(m)]


def focus_leaves() -> list[str]:
    return [c for c in leaves() if scope(c).get("focus")]


def focus_groups() -> list[str]:
    """The group(s) of the focus 街镇 (双桥双新泾)."""
    return [s["code"] for s in scopes() if s["kind"] == "group" and s.get("focus")]


def view_leaves(view: str) -> list[str]:
    """The 街镇 a view shows one by one: the four of 双桥双新泾, or all of them."""
    return leaves() if view == "all" else focus_leaves()


def view_scopes(view: str) -> list[str]:
    """The rows a view lists (status matrix, panels, trends): 双桥双新泾 shows the four, their
    group and the district; 全部街镇 every 街镇 and the district."""
    groups = [] if view == "all" else focus_groups()
    return [*view_leaves(view), *groups, district_code()]


def view_parts(view: str) -> list[str]:
    """Scopes that split the district without overlap, as a view shows them (shares,
    project totals): every 街镇, or the focus 街镇 and the rest of the district as the
    groups that hold it (其他街镇)."""
    if view == "all":
        return leaves()
    out: list[str] = []
    for m in members(district_code()):
        if m in focus_groups():
            out += members(m)
        else:
            out.append(m)
    return out


def subtree(code: str) -> list[str]:
    """A scope and everything under it."""
    return [code, *(c for m in members(code) for c in subtree(m))]


def part_of(view: str) -> dict[str, str]:
    """For each scope under one of view_parts, the part it falls in: records filed
    under a 街镇 count under 其他街镇 in the 双桥双新泾 view."""
    return {c: part for part in view_parts(view) for c in subtree(part)}


def factors() -> list[dict[str, Any]]:
    """Energy-conversion factors (to tce), each with its source."""
    return list(_load("factors.yaml")["factors"])


def energy_types() -> dict[str, dict[str, Any]]:
    """Metered energy types: each one's unit, its tce factor (kgce per unit) with the
    factor's source, and the words and units a readings file may use."""
    by_id = {f["id"]: f for f in factors()}
    out = {}
    for code, kind in _load("factors.yaml")["energy_types"].items():
        factor = by_id[kind["factor"]]
        out[code] = {**kind, "kgce_per_unit": factor["factor"], "source": factor["source"]}
    return out


def emission_factors() -> list[dict[str, Any]]:
    """Emission factors (to tCO2), each with its source."""
    return list(_load("factors.yaml")["emission_factors"])


def __getattr__(name: str) -> str:
    # The sources of the built-in data, read from their files.
    if name == "SEED_SOURCE":
        return seed()["source"]
    if name == "DEMO_SOURCE":
        return demo_vocabulary()["source"]
    raise AttributeError(name)


def _norm(text: str) -> str:
    """Names compare as a reader sees them: full-width and sub/superscript forms (CO₂)
    as plain ones, spaces and case ignored."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


# Name lookups, built once per list of entries (an upload resolves a name per row).
_INDEXES: dict[tuple[int, ...], dict[str, str]] = {}


def _index(entries: list[dict[str, Any]], names: Any) -> dict[str, str]:
    key = tuple(map(id, entries))
    if key not in _INDEXES:
        index: dict[str, str] = {}
        for entry, code in ((e, e.get("code") or e["id"]) for e in entries):
            for n in names(entry):
                index.setdefault(_norm(n), code)  # the first entry with a name keeps it
        _INDEXES[key] = index
    return _INDEXES[key]


def resolve_scope(name: str) -> str | None:
    """The scope code for any code, name or alias (虹桥, Hongqiao, 长宁区 …), else None."""
    index = _index(
        scopes(),
        lambda s: [
            s["code"],
            s["name_zh"],
            s["name_en"],
            *(s[k] for k in ("short_zh", "short_en") if k in s),
            *s.get("aliases", []),
        ],
    )
    return index.get(_norm(name))


def scope_in_text(text: str) -> str | None:
    """The one 街镇 whose full name an address names (长宁区天山路街道仙霞路…), else None.
    Full names only: 虹桥路 is a road through several 街镇, not 虹桥街道."""
    key = _norm(text)
    found = {code for code in leaves() if _norm(scope(code)["name_zh"]) in key}
    return found.pop() if len(found) == 1 else None


def departments() -> list[dict[str, Any]]:
    """The district departments that own targets and commitments (departments.yaml)."""
    return _load("departments.yaml")["departments"]


def resolve_department(name: str) -> str | None:
    """The department code for any code, name or alias (区发改委, 发改委 …), else None."""
    index = _index(
        departments(), lambda d: [d["code"], d["name_zh"], d["name_en"], *d.get("aliases", [])]
    )
    return index.get(_norm(name))


def resolve_owner(name: str) -> str | None:
    """A commitment's or target's owner: a department, else a 街镇 (by any name)."""
    return resolve_department(name) or resolve_scope(name)


def resolve_indicator(name: str) -> str | None:
    """The indicator id for its id or its Chinese or English name, else None."""
    index = _index(
        catalogue(), lambda i: [i["id"], i["name_zh"], i["name_en"], *i.get("aliases", [])]
    )
    return index.get(_norm(name))


def indicator_in_text(text: str) -> str | None:
    """The indicator a title or header names inside other words (2025年1-9月分街镇能耗情况表
    -> energy): the longest name or alias in it; None if none, or if two indicators' names
    of that length are both in it."""
    key = _norm(text)
    index = _index(
        catalogue(), lambda i: [i["id"], i["name_zh"], i["name_en"], *i.get("aliases", [])]
    )
    found = [(len(name), code) for name, code in index.items() if len(name) > 1 and name in key]
    if not found:
        return None
    longest = max(n for n, _ in found)
    codes = {code for n, code in found if n == longest}
    return codes.pop() if len(codes) == 1 else None


def period_share(period: str) -> float:
    """The share of the year a period code covers: Q3 -> 0.75, M06 -> 0.5, Y -> 1."""
    if period == "Y":
        return 1.0
    if period.startswith("Q"):
        return int(period[1:]) / 4
    if period.startswith("M"):
        return int(period[1:]) / 12
    raise ValueError(period)
