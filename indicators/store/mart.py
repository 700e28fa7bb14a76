"""Which of the mart's rows a write changed: the indicators and years to recompute, from
what the write's batches changed and the catalogue's `derived_from` (pure: DataFrame in,
DataFrame out).

A reported figure of an indicator in a year changes that indicator in that year for every
scope (groups sum their members), and each indicator derived from it in that year and the
next (a change on the year before). A register (projects, PV, budget) or the meter readings
change every year of what is derived from them: a register's provenance and the month its
data runs to hold for all of its years."""

from __future__ import annotations

import pandas as pd

EVERYTHING = "*"  # an input that stands for any change the rules do not know: rebuild all


def affected(inputs: pd.DataFrame, catalogue: list[dict]) -> pd.DataFrame | None:
    """`inputs` (input: an indicator id, a table named in `derived_from`, or "*"; year: NA
    for every year) → the rows of the mart to recompute (indicator_id, year; NA = every
    year), or None when everything must be rebuilt."""
    if (inputs["input"] == EVERYTHING).any():
        return None
    ids = {ind["id"] for ind in catalogue}
    dependants: dict[str, list[str]] = {}
    for ind in catalogue:
        for source in ind.get("derived_from") or []:
            if source != ind["id"]:  # funded_projects comes from the register of that name
                dependants.setdefault(source, []).append(ind["id"])
    years: dict[str, set[int] | None] = {}  # None: every year

    def add(name: str, new: set[int] | None) -> bool:
        """Widen `name`'s years by `new`; whether they grew."""
        old = years.get(name, set())
        if old is None:
            return False
        merged = None if new is None else old | new
        if name in years and merged == old:
            return False
        years[name] = merged
        return True

    for name, part in inputs.groupby("input", sort=True):
        known = part["year"].dropna().astype(int)
        add(str(name), None if part["year"].isna().any() else set(known))
    todo = list(years)
    while todo:
        name = todo.pop()
        span = years[name]
        later = None if span is None else span | {y + 1 for y in span}
        for dependant in dependants.get(name, []):
            if add(dependant, later):
                todo.append(dependant)
    rows = [
        (ind, pd.NA) if span is None else (ind, year)
        for ind, span in sorted(years.items())
        if ind in ids
        for year in ([None] if span is None else sorted(span))
    ]
    return pd.DataFrame(rows, columns=["indicator_id", "year"]).astype({"year": "Int64"})
