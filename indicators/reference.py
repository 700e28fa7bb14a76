"""Reference data kept as files: the indicator catalogue, the scopes and the factors."""

from __future__ import annotations

from functools import cache
from os import environ
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent

PERIODS = ["Y", "Q1", "Q2", "Q3", "Q4"] + [f"M{m:02d}" for m in range(1, 13)]


SCOPES_ENV = "LOWCARBON_SCOPES"


@cache
def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


def seed() -> dict[str, Any]:
    """The seed document's figures (seed.yaml)."""
    return _load("seed.yaml")


def demo_vocabulary() -> dict[str, Any]:
    """Anchors and words of the illustrative dataset (demo.yaml)."""
    return _load("demo.yaml")


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
            "breakdowns": [],
        }
        merged.update(ind)
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
    return "".join(str(text).split()).casefold()


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
        scopes(), lambda s: [s["code"], s["name_zh"], s["name_en"], *s.get("aliases", [])]
    )
    return index.get(_norm(name))


def resolve_indicator(name: str) -> str | None:
    """The indicator id for its id or its Chinese or English name, else None."""
    index = _index(catalogue(), lambda i: [i["id"], i["name_zh"], i["name_en"]])
    return index.get(_norm(name))


def period_share(period: str) -> float:
    """The share of the year a period code covers: Q3 -> 0.75, M06 -> 0.5, Y -> 1."""
    if period == "Y":
        return 1.0
    if period.startswith("Q"):
        return int(period[1:]) / 4
    if period.startswith("M"):
        return int(period[1:]) / 12
    raise ValueError(period)
