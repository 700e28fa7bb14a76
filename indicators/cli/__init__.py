"""The command line, one module per command group: `python -m indicators` (see
indicators/__main__.py) builds its parser from each group's `add_parsers` and runs the
command's `cmd_*` function.

- common: the parser class, the `--lang` parent, rows and numbers as a command prints them
- data: init, migrate, show, demo
- load: load, recipe, rollback, template
- reporting: review, reporting, targets
- plan: plan, fund, commitments
- admin: history, backup, restore, user, boundaries
- brief: brief

May import: every other layer. Exports: each group's `add_parsers`.
"""
