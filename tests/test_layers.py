"""The house's shape (issue 27): the package's layers import downward only, its imports
form no cycle (lazy imports inside functions included), no function runs past a screen,
and the README's map names every folder."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "indicators"
LONGEST = 80  # lines: a function longer is a list of named steps waiting to be written


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Each module's imports of the package's modules, wherever in the file they are."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("indicators"):
                for alias in node.names:
                    whole = f"{node.module}.{alias.name}"
                    found.add(whole if whole in modules else node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("indicators")}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle a depth-first walk meets (each as the modules around it)."""
    state: dict[str, int] = {}
    found: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt, path)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node, [])
    return found


# Each layer with the layers it may import (besides itself). Listed top down: an import of
# a layer not in the list is an arrow pointing back up (or sideways, which is as bad).
BASE = ("reference", "auth", "formulas")
MAY_IMPORT = {
    "cli": ("views", "exports", "builtin", "intake", "domain", "store", *BASE),
    "views": ("exports", "builtin", "intake", "domain", "store", *BASE),
    "exports": ("intake", "domain", "store", *BASE),
    "builtin": ("intake", "domain", "store", *BASE),
    "intake": ("domain", "store", *BASE),
    "domain": ("store", *BASE),
    "store": ("reference", "auth"),
    "reference": (),
    "auth": (),
    "formulas": (),
}


def layer(module: str) -> str:
    """indicators.domain.fund -> domain; indicators.auth -> auth; the package's own
    entry points (indicators, indicators.__main__) are the command line."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return "cli"
    return parts[1]


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Every import from a layer to one it may not import."""
    return sorted(
        f"{m} -> {d}"
        for m, deps in graph.items()
        for d in deps
        if layer(d) != layer(m) and layer(d) not in MAY_IMPORT[layer(m)]
    )


def test_every_module_is_in_a_layer():
    modules = _modules()
    assert {layer(m) for m in modules} == set(MAY_IMPORT)
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "auth.py", "formulas.py"]  # the rest in folders


def test_imports_point_down_the_layers_only():
    graph = imports(_modules())
    assert "indicators.store.db" in graph["indicators.domain.queries"]  # the walk sees imports
    assert upward(graph) == []


def test_the_layer_check_finds_an_arrow_pointing_up():
    graph = {
        "indicators.domain.fund": {"indicators.store.db", "indicators.views.ui"},
        "indicators.store.db": {"indicators.auth"},
        "indicators.exports.deck": {"indicators.builtin.datasets"},
        "indicators.auth": {"indicators.reference"},
        "indicators.views.ui": set(),
    }
    assert upward(graph) == [
        "indicators.auth -> indicators.reference",
        "indicators.domain.fund -> indicators.views.ui",
        "indicators.exports.deck -> indicators.builtin.datasets",
    ]


def test_an_upward_import_in_a_file_fails_the_check(tmp_path):
    """The check on real source: a domain module that imports a view is caught."""
    bad = tmp_path / "indicators" / "domain" / "bad.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("def f():\n    from indicators.views import ui\n", encoding="utf-8")
    modules = {**_modules(), "indicators.domain.bad": bad}
    assert upward(imports(modules)) == ["indicators.domain.bad -> indicators.views.ui"]


def _readme_map() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Where things are", 1)[1].split("```", 2)[1]
    return [line.split()[0] for line in block.strip().splitlines()]


def test_the_readme_map_names_every_folder_and_only_what_exists():
    named = _readme_map()
    tracked = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")}
    tracked -= {"artifacts", "wheelhouse"}  # git-ignored: screenshots, downloaded wheels
    folders = {p.relative_to(ROOT).as_posix() for p in PACKAGE.iterdir()}
    folders = {f for f in folders if (ROOT / f).is_dir() and not f.endswith("__pycache__")}
    wanted = {f"{d}/" for d in tracked - {"indicators"}} | {f"{f}/" for f in folders}
    assert wanted - set(named) == set()
    assert [n for n in named if not (ROOT / n).exists()] == []


def test_no_function_in_the_package_is_longer_than_a_screen():
    long = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > LONGEST:
                    long.append(f"{name}.{node.name}: {lines} lines")
    assert long == []


def test_the_imports_form_no_cycle():
    graph = imports(_modules())
    assert "indicators.exports.charts" in graph["indicators.exports.deck"]  # the walk sees imports
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
