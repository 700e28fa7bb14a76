"""The intake: officials' files in, checked rows in the database out.

One step per module, each importing only the steps before it:
`model` (what passes between steps; the declaration in `indicators/reference/intake.yaml`),
`cells` (one cell's number, date, unit or name) and `periods` (their period words),
`files` (bytes to raw cells: CSV in any encoding, workbooks, sheets, header rows),
`layout` (a wide table turned into long rows) and `recipes` (a confirmed reading, kept),
`checks` (every cell parsed, every problem found), `readings` (meter readings, in bulk),
`loading` (into the database, with conflicts, history and rollback), `buildings` (the
buildings register a meter export naming buildings only is placed by, as officials extend it),
`boundaries` (official 街镇 boundaries, once checked, stored in place of the ones before).

May import: domain (plans, plausibility, the five-year plan's words), store, reference,
auth, formulas. Exports: its steps; `loading.load` is the one way rows reach the database.
"""
