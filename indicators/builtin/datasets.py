"""The built-in data: the seed document's figures, and an illustrative dataset.

The seed figures come from 长发改〔2025〕17号 exactly and carry it as their source.
Everything else is illustrative (示例数据), made by a fixed-seed generator so that it is
the same on every machine; it agrees with the seed figures where they overlap.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pandas as pd

from indicators import reference

DEMO_YEARS = range(2019, 2026)  # annual values 2019-2025
CURRENT_YEAR = 2026  # targets and Q1-Q3 year-to-date values
YTD_SHARE = {"Q1": 0.235, "Q2": 0.485, "Q3": 0.745}  # share of a year's total by quarter end
PV_PLAN_SHARE_2026 = {"Q1": 0.15, "Q2": 0.40, "Q3": 0.70, "Q4": 1.0}


def seed_observations() -> pd.DataFrame:
    """The figures stated in the seed document, exactly, with its file number as source."""
    seed = reference.seed()
    rows = [
        _obs(
            r["scope"],
            r["indicator"],
            r["year"],
            r.get("period", "Y"),
            r["value"],
            breakdown=r.get("breakdown", ""),
            unit=r["unit"],
            note=r.get("note"),
            source=seed["source"],
            status=seed["data_status"],
            as_of=seed["as_of"],
        )
        for r in seed["observations"]
    ]
    return pd.DataFrame(rows)


def commitments(demo: bool) -> pd.DataFrame:
    """The reply's commitments, its wording summarised, under its file number; with `demo`,
    the illustrative tracking (status, due date, evidence) marked is_demo."""
    data = reference.commitments()
    rows = []
    for item in data["commitments"]:
        owner = item["owner"]
        department = reference.resolve_department(owner)
        tracking = item.get("demo", {}) if demo else {}
        rows.append(
            {
                "commitment_id": item["id"],
                "scope_code": None if department else reference.resolve_scope(owner),
                "department": department,
                "promise": item["promise_zh"],
                "promise_en": item["promise_en"],
                "cadence": item["cadence"],
                "due_on": tracking.get("due_on"),
                "status": tracking.get("status"),
                "evidence": tracking.get("evidence"),
                "indicator_id": item.get("indicator"),
                "project_id": None,
                "source": data["source"],
                "is_demo": bool(tracking),
            }
        )
    frame = pd.DataFrame(rows)
    frame["due_on"] = pd.to_datetime(frame["due_on"]).dt.date
    return frame


def _obs(
    scope, indicator, year, period, value, *, source, status, as_of, note=None, breakdown="", unit
) -> dict:
    return {
        "scope_code": scope,
        "indicator_id": indicator,
        "breakdown": breakdown,
        "year": year,
        "period": period,
        "value": value,
        "unit": unit,
        "data_status": status,
        "source": source,
        "as_of": as_of,
        "note": note,
        "is_demo": source == reference.DEMO_SOURCE,
    }


class _Demo:
    """Builds the illustrative dataset; one instance, one fixed seed."""

    def __init__(self) -> None:
        self.vocab = reference.demo_vocabulary()
        self.rng = random.Random(self.vocab["seed"])
        self.parts = reference.leaves()  # groups and the district are sums of these
        # Each 街镇's share of the district, and how fast its intensity falls.
        named = self.vocab["scope_weights"]
        weights = {c: named.get(c, 1.0) * self.rng.uniform(0.9, 1.1) for c in self.parts}
        total = sum(weights.values())
        self.share = {c: w / total for c, w in weights.items()}
        self.pace = {c: self.rng.uniform(0.01, 0.06) for c in self.parts}

    def _seed_value(self, indicator_id: str) -> float:
        seed = seed_observations()
        return float(seed.loc[seed["indicator_id"] == indicator_id, "value"].iloc[0])

    def _as_of(self, year: int, period: str) -> date:
        if period == "Y":
            return date(year + 1, 3, 31)
        return date(year, int(period[1]) * 3, 28)

    def _status(self, year: int) -> str:
        return "final" if year <= 2024 else "preliminary"

    def observations(self) -> pd.DataFrame:
        rows = []
        for code in self.parts:
            gdp = 1.6e7 * self.share[code] * self.rng.uniform(0.9, 1.1)
            energy = gdp * 0.081 * self.rng.uniform(0.85, 1.15)
            communities = self.rng.randint(0, 2)
            for year in [*DEMO_YEARS, CURRENT_YEAR]:
                if year > DEMO_YEARS.start:
                    growth = -0.01 if year == 2020 else self.rng.uniform(0.03, 0.07)
                    gdp *= 1 + growth
                    energy *= (1 + growth) * (1 - self.pace[code] + self.rng.uniform(-0.02, 0.02))
                co2 = energy * (2.2 - 0.02 * (year - 2019))
                periods = (
                    ["Y"]
                    if year < 2025
                    else (["Y", "Q1", "Q2", "Q3"] if year == 2025 else ["Q1", "Q2", "Q3"])
                )
                for period in periods:
                    share = 1.0 if period == "Y" else YTD_SHARE[period]
                    noise = 1.0 if period == "Y" else self.rng.uniform(0.98, 1.02)
                    for ind, value, unit in (
                        ("gdp", gdp * share, "10k_yuan"),
                        ("energy_total", energy * share * noise, "tce"),
                        ("co2_total", co2 * share * noise, "tco2"),
                    ):
                        rows.append(
                            _obs(
                                code,
                                ind,
                                year,
                                period,
                                round(value, 1),
                                unit=unit,
                                source=reference.DEMO_SOURCE,
                                status=self._status(year),
                                as_of=self._as_of(year, period),
                            )
                        )
                if year <= 2025:
                    communities += self.rng.choice([0, 0, 1])
                    value = self._anchored(code, year, communities)
                    if value is not None:
                        rows.append(
                            _obs(
                                code,
                                "lowcarbon_communities",
                                year,
                                "Y",
                                value,
                                unit="count",
                                source=reference.DEMO_SOURCE,
                                status=self._status(year),
                                as_of=self._as_of(year, "Y"),
                            )
                        )
        df = pd.DataFrame(rows)
        reviews = []
        for year in DEMO_YEARS:
            if year == 2024:
                continue  # the seed gives 2024
            for programme in ("emc", "green_supply_chain", "carbon_pilot"):
                reviews.append(
                    _obs(
                        "district",
                        "municipal_reviews",
                        year,
                        "Y",
                        self.rng.randint(0, 4 if programme == "carbon_pilot" else 2),
                        breakdown=programme,
                        unit="item",
                        source=reference.DEMO_SOURCE,
                        status=self._status(year),
                        as_of=self._as_of(year, "Y"),
                    )
                )
        bounds = self._district_communities_bound(df)
        return pd.concat([df, bounds, pd.DataFrame(reviews)], ignore_index=True)

    def _district_communities_bound(self, df: pd.DataFrame) -> pd.DataFrame:
        """The district's community count in a year where the seed gives 街镇 lower bounds,
        reported with a note saying so (the same sum the district would get from its 街镇,
        the seed's counts included). Other district figures are sums the mart makes."""
        anchors = self._seed_communities()
        rows = []
        for year in sorted(set(anchors["year"])):
            mine = df[(df["indicator_id"] == "lowcarbon_communities") & (df["year"] == year)]
            theirs = anchors[anchors["year"] == year]
            rows.append(
                _obs(
                    reference.district_code(),
                    "lowcarbon_communities",
                    year,
                    "Y",
                    mine["value"].sum() + theirs["value"].sum(),
                    unit="count",
                    note=self.vocab["communities_lower_bound_note"],
                    source=reference.DEMO_SOURCE,
                    status=self._status(year),
                    as_of=self._as_of(year, "Y"),
                )
            )
        return pd.DataFrame(rows)

    def _seed_communities(self) -> pd.DataFrame:
        seed = seed_observations()
        return seed[seed["indicator_id"] == "lowcarbon_communities"][
            ["scope_code", "indicator_id", "breakdown", "year", "period", "value", "unit"]
        ]

    def _anchored(self, code: str, year: int, count: int) -> int | None:
        """A cumulative count that agrees with the seed: never above the seed's count before
        its year, never below it after; the seed's own year is the seed's row (None)."""
        anchors = self._seed_communities()
        mine = anchors[anchors["scope_code"] == code]
        if mine.empty:
            return count
        anchor_year, anchor = int(mine["year"].iloc[0]), int(mine["value"].iloc[0])
        if year == anchor_year:
            return None
        return min(count, anchor) if year < anchor_year else max(count, anchor)

    def funded_projects(self) -> pd.DataFrame:
        v = self.vocab
        rows = []
        for year in [*DEMO_YEARS, CURRENT_YEAR]:
            counts = {c: round(self.share[c] * self.rng.uniform(45, 70)) for c in self.parts}
            if year == 2024:
                counts = self._split_seed_projects()
            for code in self.parts:
                n = counts[code]
                last_month = 9 if year == CURRENT_YEAR else 12
                for i in range(n):
                    approved = date(year, self.rng.randint(1, last_month), self.rng.randint(1, 28))
                    rows.append(
                        {
                            "project_id": f"DEMO-{year}-{code}-{i + 1:03d}",
                            "name": v["project_name"].format(year=year, scope=code, n=i + 1),
                            "enterprise": v["project_enterprise"].format(
                                n=self.rng.randint(1, 400)
                            ),
                            "scope_code": code,
                            "category": self.rng.choice(v["project_categories"]),
                            "fund": v["project_fund"],
                            "amount_10k_yuan": round(self.rng.uniform(5, 120), 1),
                            "year": year,
                            "approved_on": approved,
                            "saving_tce_per_year": round(self.rng.uniform(10, 800), 1),
                            "status": v["project_status"]["ongoing" if year >= 2025 else "done"],
                            "source": reference.DEMO_SOURCE,
                            "is_demo": True,
                        }
                    )
        return pd.DataFrame(rows)

    def _split_seed_projects(self) -> dict[str, int]:
        """The seed's 2024 total over the 街镇: the named split, a 街镇 not named gets a
        share-sized count, and the counts are evened out so that they sum to the seed."""
        total = int(self._seed_value("funded_projects"))
        named = self.vocab["funded_2024_by_scope"]
        counts = {c: named.get(c, round(self.share[c] * 50)) for c in self.parts}
        # Make up the difference one project at a time, the largest counts first.
        by_size = sorted(self.parts, key=lambda c: -counts[c])
        step = 1 if total > sum(counts.values()) else -1
        i = 0
        while sum(counts.values()) != total:
            code = by_size[i % len(by_size)]
            if counts[code] + step >= 0:
                counts[code] += step
            i += 1
        return counts

    def pv_installations(self) -> pd.DataFrame:
        v = self.vocab
        rows = []
        for year in [*DEMO_YEARS, CURRENT_YEAR]:
            for code in self.parts:
                last_month = 9 if year == CURRENT_YEAR else 12
                for i in range(self.rng.randint(3, 9)):
                    rows.append(
                        {
                            "site_id": f"DEMO-PV-{year}-{code}-{i + 1:02d}",
                            "site": v["pv_site"].format(scope=code, year=year, n=i + 1),
                            "scope_code": code,
                            "capacity_kw": round(self.rng.uniform(40, 900), 1),
                            "pv_type": self.rng.choice(v["pv_types"]),
                            "grid_connected_on": date(
                                year, self.rng.randint(1, last_month), self.rng.randint(1, 28)
                            ),
                            "source": reference.DEMO_SOURCE,
                            "is_demo": True,
                        }
                    )
        return pd.DataFrame(rows)

    def budget_lines(self) -> pd.DataFrame:
        """Lines whose 2024 total grows on 2023 by exactly the seed's budget growth."""
        items, split = self.vocab["budget_items"], self.vocab["budget_split"]
        base = self.vocab["budget_2023_10k_yuan"]
        totals = {2023: base, 2024: round(base * (1 + self._seed_value("budget_growth") / 100), 2)}
        for year in range(2022, 2018, -1):
            totals[year] = round(totals[year + 1] / self.rng.uniform(1.01, 1.06), 2)
        for year in (2025, 2026):
            totals[year] = round(totals[year - 1] * self.rng.uniform(1.00, 1.04), 2)
        rows = []
        for year, total in sorted(totals.items()):
            amounts = [round(total * s, 2) for s in split[:-1]]
            amounts.append(round(total - sum(amounts), 2))  # the last line absorbs rounding
            for item, amount in zip(items, amounts, strict=True):
                rows.append(
                    {
                        "year": year,
                        "item": item,
                        "amount_10k_yuan": amount,
                        "source": reference.DEMO_SOURCE,
                        "is_demo": True,
                    }
                )
        return pd.DataFrame(rows)

    def targets(
        self, projects: pd.DataFrame, pv: pd.DataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Illustrative targets, set near what the data reaches so every band shows."""
        rows, plans = [], []
        all_scopes = [s["code"] for s in reference.scopes()]
        groups = [c for c in all_scopes if c not in self.parts]

        def add(indicator, scope, year, value, kind):
            rows.append(
                {
                    "indicator_id": indicator,
                    "scope_code": scope,
                    "year": year,
                    "target_value": value,
                    "kind": kind,
                    "source": reference.DEMO_SOURCE,
                    "is_demo": True,
                }
            )

        for year in range(2020, CURRENT_YEAR + 1):
            for scope in all_scopes:
                add("energy_per_gdp_change", scope, year, 3.0, "rate")
        for scope in all_scopes:
            add("co2_per_gdp_change", scope, CURRENT_YEAR, 3.5, "rate")
        pv_year = pv.assign(year=pd.to_datetime(pv["grid_connected_on"]).dt.year)
        pv_kw = pv_year.groupby(["scope_code", "year"])["capacity_kw"].sum()
        n_proj = projects.groupby(["scope_code", "year"]).size()
        for year in [*DEMO_YEARS, CURRENT_YEAR]:
            for scope in self.parts:
                pv_plan = round(pv_kw.get((scope, year), 0) * self.rng.uniform(0.8, 1.5) / 10) * 10
                add("pv_new", scope, year, float(pv_plan), "cumulative")
                add(
                    "funded_projects",
                    scope,
                    year,
                    float(round(n_proj.get((scope, year), 0) * self.rng.uniform(0.85, 1.2))),
                    "cumulative",
                )
        # A group's cumulative target is the sum of its 街镇's (as in a decomposed plan).
        leaf_targets = pd.DataFrame(rows).query("kind == 'cumulative'")
        for group in groups:
            sums = (
                leaf_targets[leaf_targets["scope_code"].isin(reference.leaves_of(group))]
                .groupby(["indicator_id", "year", "kind"], as_index=False)["target_value"]
                .sum()
            )
            for r in sums.itertuples(index=False):
                add(r.indicator_id, group, r.year, r.target_value, r.kind)
        for r in rows:
            if r["indicator_id"] == "pv_new" and r["year"] == CURRENT_YEAR:
                for period, share in PV_PLAN_SHARE_2026.items():
                    plans.append(
                        {
                            "indicator_id": "pv_new",
                            "scope_code": r["scope_code"],
                            "year": CURRENT_YEAR,
                            "period": period,
                            "plan_value": round(r["target_value"] * share, 1),
                            "is_demo": True,
                        }
                    )
        return pd.DataFrame(rows), pd.DataFrame(plans)


def project_outcomes(projects: pd.DataFrame) -> pd.DataFrame:
    """The illustrative projects with what they bought (demo.yaml project_outcomes): stage,
    planned and actual acceptance, verified saving, CO2 for about half, a PV project's kW,
    and a few with no outcome at all. Its own generator: the projects' other draws, and
    their count, stay as they were."""
    spec = reference.demo_vocabulary()["project_outcomes"]
    rng = random.Random(spec["seed"])
    last_day = date(CURRENT_YEAR, 9, 28)  # the illustrative data runs to Q3
    out = projects.copy()
    columns: dict[str, list] = {
        k: []
        for k in (
            "category",
            "status",
            "saving_tce_per_year",
            "co2_t_per_year",
            "pv_kw",
            "stage",
            "due_acceptance_on",
            "accepted_on",
            "verified_saving_tce",
        )
    }
    for r in projects.itertuples(index=False):
        shares = spec["stage_by_year"].get(r.year, {"accepted": 1.0})
        stage = rng.choices(list(shares), weights=list(shares.values()))[0]
        months = rng.randint(*spec["months_to_acceptance"])
        due = _months_after(r.approved_on, months)
        accepted = None
        if stage == "accepted":
            accepted = due + timedelta(days=rng.randint(*spec["accepted_within_days"]))
            accepted = max(_months_after(r.approved_on, 6), accepted)
            if accepted > last_day:  # not yet: built and awaiting acceptance
                stage, accepted = "completed", None
        category, pv_kw = r.category, None
        if r.category == spec["pv_from"] and rng.random() < spec["pv_share_of_renewables"]:
            category, pv_kw = spec["pv_category"], float(rng.randint(*spec["pv_kw"]))
        saving = r.saving_tce_per_year
        co2 = verified = None
        if rng.random() < spec["without_outcome_share"]:
            saving = pv_kw = None  # nothing written: counted as without outcome, never as 0
        else:
            if rng.random() < spec["co2_share"]:
                co2 = round(saving * rng.uniform(*spec["co2_per_tce"]), 1)
            if stage == "accepted":
                verified = round(saving * rng.uniform(*spec["verified_share"]), 1)
        for k, v in (
            ("category", category),
            ("status", spec["stage_status"][stage]),
            ("saving_tce_per_year", saving),
            ("co2_t_per_year", co2),
            ("pv_kw", pv_kw),
            ("stage", stage),
            ("due_acceptance_on", due),
            ("accepted_on", accepted),
            ("verified_saving_tce", verified),
        ):
            columns[k].append(v)
    for k, values in columns.items():
        dates = k in ("due_acceptance_on", "accepted_on")
        out[k] = pd.Series(values, index=out.index, dtype="object" if dates else None)
    for k in ("saving_tce_per_year", "co2_t_per_year", "pv_kw", "verified_saving_tce"):
        out[k] = pd.to_numeric(out[k]).astype("float64")
    return out


def _months_after(day: date, months: int) -> date:
    """The same day of the month `months` later (days here are 1 to 28)."""
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, min(day.day, 28))


def demo_plan_targets() -> pd.DataFrame:
    """Illustrative five-year plan targets (demo.yaml plan_targets) for every scope — each
    街镇, the groups and the district — in percent of the base year, marked 示例数据."""
    spec = reference.demo_vocabulary()["plan_targets"]
    return pd.DataFrame(
        [
            {
                "plan_id": spec["plan"],
                "indicator_id": indicator,
                "scope_code": scope["code"],
                "target_value": float(value),
                "source": reference.DEMO_SOURCE,
                "is_demo": True,
            }
            for scope in reference.scopes()
            for indicator, value in spec["targets"].items()
        ]
    )


def demo_readings(rng_seed: int, parts: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two illustrative buildings per 街镇 with hourly electricity (and gas for one of
    them) from January 2025 to the end of the current year's Q3: a daily and weekly shape
    around a base load, drawn from a fixed seed."""
    v = reference.demo_vocabulary()
    rng = np.random.default_rng(rng_seed)
    hours = pd.date_range(f"{DEMO_YEARS.stop - 1}-01-01", f"{CURRENT_YEAR}-09-30 23:00", freq="h")
    hour_of_day = hours.hour.to_numpy()
    office = np.where((hour_of_day >= 8) & (hour_of_day < 19), 1.0, 0.35)
    office = office * np.where(hours.day_of_week.to_numpy() < 5, 1.0, 0.55)
    buildings, frames = [], []
    for code in parts:
        for n in (1, 2):
            building_id = f"DEMO-B-{code}-{n}"
            buildings.append(
                {
                    "building_id": building_id,
                    "name": v["building_name"].format(scope=code, n=n),
                    "scope_code": code,
                    "is_demo": True,
                }
            )
            base = rng.uniform(150, 900)
            kinds = [("electricity", "kWh", base)] + (
                [("natural_gas", "m3", base / 40)] if n == 1 else []
            )
            for energy_type, unit, level in kinds:
                noise = rng.normal(1.0, 0.08, len(hours)).clip(0.5, 1.5)
                frames.append(
                    pd.DataFrame(
                        {
                            "building_id": building_id,
                            "hour": hours,
                            "energy_type": energy_type,
                            "quantity": (level * office * noise).round(2),
                            "unit": unit,
                            "is_demo": True,
                        }
                    )
                )
    return pd.DataFrame(buildings), pd.concat(frames, ignore_index=True)


def demo_tables() -> dict[str, pd.DataFrame]:
    """The illustrative dataset, table by table; the same on every call."""
    demo = _Demo()
    projects = project_outcomes(demo.funded_projects())
    pv = demo.pv_installations()
    targets, plans = demo.targets(projects, pv)
    buildings, readings = demo_readings(demo.vocab["seed"], demo.parts)
    return {
        "buildings": buildings,
        "energy_readings": readings,
        "observations": demo.observations(),
        "funded_projects": projects,
        "pv_installations": pv,
        "budget_lines": demo.budget_lines(),
        "targets": targets,
        "target_plans": plans,
        "plan_targets": demo_plan_targets(),
    }
