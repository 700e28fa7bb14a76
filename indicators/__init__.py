"""The dashboard's package, one folder per layer; imports point down this list only
(tests/test_layers.py fails on an arrow pointing back up, and on any cycle):

- cli/        the command line, a module per command group (`python -m indicators`)
- views/      the Streamlit pieces the pages draw
- exports/    what users take away: charts, the deck, the PDF report, CSV/XLSX, templates
- builtin/    the built-in data: the seed's figures and the illustrative dataset
- intake/     officials' files in, checked rows in the database out
- domain/     the district's figures worked out: pure DataFrame-in, DataFrame-out
- store/      the only code that opens DuckDB, with its SQL
- reference/  the data files the district edits (catalogue, scopes, factors, messages …)
- auth, formulas: accounts and rights; formula quoting. Leaves: they import nothing here.

pages/ and app.py sit above cli/ and views/ and may import any of it.
"""
