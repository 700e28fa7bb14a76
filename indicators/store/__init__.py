"""The store: the only code that opens DuckDB.

`db` opens short-lived connections (reads read-only, each write one transaction), runs the
named SQL files in `sql/` with bound parameters, migrates, backs up and restores; `mart`
says which indicator-years a write touches, so the mart is recomputed for those only.

May import: reference, auth. Exports: `db` (read, read_many, write, run, migrate, …) and
`mart`.
"""
