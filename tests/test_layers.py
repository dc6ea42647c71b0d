"""The layers stay honest: every import in the package runs down the layers, never up.

Imports are read with ast, so a lazy import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import repairctl

PACKAGE = Path(repairctl.__file__).parent
# lowest first; a module may import its own layer and those below (and errors, below them all)
LAYERS = ("text", "store", "office", "orders", "reports", "exchange", "cli")


def layer_of(module: str) -> int:
    """The rank of a repairctl module's layer; -1 for the base (repairctl itself, errors)."""
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else -1


def module_name(path: Path) -> str:
    return ".".join(("repairctl", *path.relative_to(PACKAGE).with_suffix("").parts))


def imported(source: str) -> list[tuple[int, str]]:
    """(line, module) of every repairctl module the source imports, anywhere in it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("repairctl")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("repairctl"):
            assert node.level == 0, f"line {node.lineno}: a relative import; write the layer out"
            # `from repairctl.store import cache` imports the module repairctl.store.cache
            is_layer = node.module.count(".") == 1 and layer_of(node.module) >= 0
            found += [(node.lineno, f"{node.module}.{alias.name}" if is_layer else node.module) for alias in node.names]
    return found


def upward(source: str, module: str) -> list[str]:
    """Each import in source (the text of module) of a layer above module's own."""
    return [f"line {line} imports {name}" for line, name in imported(source) if layer_of(name) > layer_of(module)]


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE)


def test_every_module_sits_in_a_layer_that_says_what_belongs_there():
    assert {p.relative_to(PACKAGE).parts[0] for p in MODULES} == set(LAYERS)
    assert {p.name for p in PACKAGE.glob("*.py")} == {"__init__.py", "__main__.py", "errors.py"}
    for layer in LAYERS:
        doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text("utf-8")))
        assert doc and "Belongs here" in doc and "May import" in doc, f"{layer}/__init__.py"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_down_the_layers(path):
    assert upward(path.read_text("utf-8"), module_name(path)) == []


def test_an_upward_import_is_seen_even_inside_a_function():
    source = ("from repairctl.errors import Problem\nfrom repairctl.text import clock\n"
              "def f():\n    from repairctl.orders.sla import levels\n    from repairctl import __version__\n")
    assert upward(source, "repairctl.store.cache") == ["line 4 imports repairctl.orders.sla"]
    assert upward(source, "repairctl.orders.query") == []
