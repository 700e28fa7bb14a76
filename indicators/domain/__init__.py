"""The domain: the district's figures worked out, the same for every page, export and
command.

Pure DataFrame-in, DataFrame-out modules with known-answer tests: `status` (change, target,
序时进度, 绿黄橙红), `analysis` (totals, shares, rankings), `plans` (序时计划 from targets),
`plausibility`, `decomposition` (do the shares add up), `reporting` (what is due, and its
state), `commitments`, `fiveyear` and `plan_status` (the five-year plan), `barometer`
(晴雨表), `fund` (what the special fund bought), `geo` (街镇 shapes), `briefing` (the
sentences and pages a briefing says). `queries` is the one seam to the store: each named
read runs its SQL through `store.db` and hands the frames to the pure functions, so the
pages and the command line show the same numbers.

May import: store, reference, auth, formulas. Never Streamlit.
"""
