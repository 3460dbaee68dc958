"""The package's layers import only downward (shared DESIGN.md, "Layers and layout").

Every module's imports are parsed, including imports inside functions, and an import of a
module in a higher layer fails the test. Modules of one layer may import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "jaxframes"

# (layer number, module prefixes) from the bottom up; the longest matching prefix decides.
LAYERS: dict[str, int] = {
    # 1. core: physical columns, dtypes, the kernels, and engine-wide utilities
    "jaxframes._native": 1, "jaxframes.dtypes": 1, "jaxframes.dictionary": 1, "jaxframes.column": 1,
    "jaxframes.index": 1, "jaxframes.sharding": 1, "jaxframes.kernels": 1, "jaxframes.errors": 1,
    "jaxframes.facts": 1, "jaxframes.sync": 1, "jaxframes.timing": 1, "jaxframes.units": 1,
    "jaxframes.refusals": 1, "jaxframes.options": 1, "jaxframes.zones": 1, "jaxframes.periods": 1,
    "jaxframes.lists": 1, "jaxframes.axes": 1, "jaxframes.executables": 1,
    # 2. Table: columns + index + row mask + sharding
    "jaxframes.table": 2,
    # 3. operations: functions over tables (pandas semantics live here)
    "jaxframes.ops": 3, "jaxframes.groupby": 3, "jaxframes.joins": 3, "jaxframes.reshape": 3,
    "jaxframes.io": 3, "jaxframes.accessors": 3, "jaxframes.expr": 3, "jaxframes.combine": 3,
    "jaxframes.missing": 3, "jaxframes.indexing": 3, "jaxframes.concat": 3, "jaxframes.arraylike": 3,
    "jaxframes.timeseries": 3,
    "jaxframes.windows": 3,
    "jaxframes.distributed": 3,
    # 4. the pandas-shaped facades
    "jaxframes.generic": 4, "jaxframes.frame": 4, "jaxframes.series": 4, "jaxframes.api": 4,
    "jaxframes.methods": 4,
    # 5. the lazy engine
    "jaxframes.lazy": 5, "jaxframes.plan": 5, "jaxframes.exec": 5,
    # 6. entry points
    "jaxframes": 6, "jaxframes.demo": 6, "jaxframes.testing": 6, "jaxframes.pandas": 6,
    "jaxframes.coverage": 6,
}


COMPILED = {"jaxframes._native"}  # the C++ extension, built outside src/


def layer_of(module: str) -> int | None:
    best = None
    for prefix, layer in LAYERS.items():
        if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, layer)
    return None if best is None else best[1]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, at any depth; `from a import b` yields a.b
    when a.b is a module of ours, else a."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                where = PACKAGE.parent / Path(*candidate.split("."))
                is_module = where.is_dir() or any(where.parent.glob(where.name + ".*")) or candidate in COMPILED
                found.append((node.lineno, candidate if is_module else base))
    return [(line, mod) for line, mod in found if mod == "jaxframes" or mod.startswith("jaxframes.")]


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer():
    missing = [module_name(p) for p in MODULES if layer_of(module_name(p)) is None]
    assert not missing, f"modules without a layer in tests/test_layers.py: {missing}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_only_go_down(path: Path):
    me = module_name(path)
    mine = layer_of(me)
    upward = [f"line {line}: {mod} (layer {layer_of(mod)})" for line, mod in imported_modules(path)
              if layer_of(mod) is not None and layer_of(mod) > mine and mod != "jaxframes"]
    if mine < LAYERS["jaxframes"]:
        upward += [f"line {line}: jaxframes (layer 6)" for line, mod in imported_modules(path) if mod == "jaxframes"]
    assert not upward, f"{me} (layer {mine}) imports upward:\n" + "\n".join(upward)


def test_the_checker_sees_function_level_imports(tmp_path: Path):
    """The parser finds an import hidden inside a function (so the test can fail)."""
    source = tmp_path / "probe.py"
    source.write_text("def f():\n    from jaxframes.frame import DataFrame\n    return DataFrame\n")
    tree = ast.parse(source.read_text())
    names = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert names == ["jaxframes.frame"] and layer_of("jaxframes.frame") > layer_of("jaxframes.ops.sorting")


OPTIONAL = {"jaxframes._native"}  # the compiled extension may be absent: imported where it is tried


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_import_hidden_in_a_function(path: Path):
    """Imports of our own modules sit at module level, so the dependency graph is visible."""
    tree = ast.parse(path.read_text(), filename=str(path))
    hidden = []
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("jaxframes"):
                    names = {f"{node.module}.{a.name}" for a in node.names}
                    if not names <= OPTIONAL:
                        hidden.append(f"line {node.lineno}: from {node.module} import ...")
                elif isinstance(node, ast.Import) and any(a.name.startswith("jaxframes") for a in node.names):
                    hidden.append(f"line {node.lineno}: import ...")
    assert not hidden, f"{module_name(path)} imports inside functions:\n" + "\n".join(hidden)
