"""The built-in data: the seed document's figures (长发改〔2025〕17号) and the illustrative
dataset (示例数据) around them.

`datasets` makes the rows (seeded, so the same every time; every illustrative row marked
is_demo); `install` writes them into a database as one batch and removes the illustrative
part again (`demo --remove`).

May import: intake, domain, store, reference, auth. Exports: `datasets`, `install`.
"""
