"""The package's layers, checked: no import circle, and no import running back up the layers.

Every import statement counts, function-local ones included (a lazy import hides a circle from
Python, not from the design). Each module belongs to one layer; a module may import modules of
its own layer or of the layers below, never above. A new module must be given a layer here.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "conflictbench"

#: (layer, module-name prefixes), bottom first; the longest matching prefix decides
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("data", ("conflictbench", "conflictbench.__init__", "conflictbench.errors", "conflictbench.schema",
              "conflictbench.timex", "conflictbench.actors", "conflictbench.jsonl", "conflictbench.atomic",
              "conflictbench.validation", "conflictbench.registry", "conflictbench.card", "conflictbench.corpus",
              "conflictbench.predictions", "conflictbench.data", "conflictbench.redaction")),
    ("scoring", ("conflictbench.scoring",)),
    ("extractors", ("conflictbench.extractors",)),
    ("engines", ("conflictbench.registrations", "conflictbench.runner", "conflictbench.engines",
                 "conflictbench.evaluation", "conflictbench.muc", "conflictbench.labelstudio", "conflictbench.timeml",
                 "conflictbench.gvdb", "conflictbench.bench")),
    ("renderers", ("conflictbench.report", "conflictbench.site")),
    ("cli", ("conflictbench.cli", "conflictbench.commands", "conflictbench.__main__")),
    # hypothesis strategies for property tests (public, for extractor authors): uses the schema;
    # nothing in the package imports it
    ("testing", ("conflictbench.testing",)),
]
ORDER = [name for name, _ in LAYERS]


def modules() -> dict[str, Path]:
    out = {}
    for f in PKG.rglob("*.py"):
        rel = f.relative_to(PKG.parent).with_suffix("")
        out[".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)] = f
    return out


MODULES = modules()


def layer_of(module: str) -> str | None:
    best, layer = -1, None
    for name, prefixes in LAYERS:
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > best:
                best, layer = len(p), name
    return layer


def imports_of(module: str) -> set[str]:
    """The package modules ``module`` imports, by any import statement (``from pkg import name``
    depends on ``pkg`` itself unless ``name`` is a submodule)."""
    path = MODULES[module]
    base = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = base.split(".")
                root = ".".join(parts[: len(parts) - node.level + 1])
                target = f"{root}.{node.module}" if node.module else root
            else:
                target = node.module or ""
            subs = {f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES}
            out |= subs
            if len(subs) < len(node.names) and target in MODULES:
                out.add(target)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in MODULES}
    out.discard(module)
    return out


GRAPH = {m: imports_of(m) for m in MODULES}


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer_of(m) is None] == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_runs_up_the_layers(module):
    mine = ORDER.index(layer_of(module))
    upward = sorted(t for t in GRAPH[module] if ORDER.index(layer_of(t)) > mine)
    assert upward == [], f"{module} ({layer_of(module)}) imports {[(t, layer_of(t)) for t in upward]}"


def find_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                circles.append(sorted(comp))

    for m in sorted(graph):
        if m not in index:
            visit(m)
    return circles


def test_no_import_circle():
    assert find_circles(GRAPH) == []


def test_the_checker_sees_a_circle():
    """A function-local import back up (schema → validation) would close a circle."""
    graph = {**GRAPH, "conflictbench.schema": GRAPH["conflictbench.schema"] | {"conflictbench.validation"}}
    assert any({"conflictbench.schema", "conflictbench.validation"} <= set(c) for c in find_circles(graph))


def test_every_module_imports_in_a_fresh_interpreter():
    """Every module, in one new interpreter, in dependency order (leaves first): each import
    finds what it needs below it, and importing the package runs nothing that fails."""
    done: list[str] = []
    seen: set[str] = set()

    def order(m: str) -> None:
        if m in seen:
            return
        seen.add(m)
        for t in sorted(GRAPH[m]):
            order(t)
        done.append(m)

    for m in sorted(MODULES):
        order(m)
    mods = [m for m in done if m != "conflictbench.__main__"]
    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\nprint(len(sys.argv) - 1)\n"
    out = subprocess.run([sys.executable, "-c", code, *mods], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(len(mods))
