"""The project's own import checker: file-level import edges of a package, read with ``ast``.

Why our own and not a tool: DESIGN §3 fixes two rules (no file imports another in a circle;
``core/`` knows no feature) and they are cheap to state exactly over the syntax tree, with
no new dependency and no import of the code under test (importing would run module bodies
and hide the very edges a deferred import creates).

What counts as an edge from file A to file B:

- every ``import x.y`` and ``from x import y`` in A that names B, wherever it stands: at
  module level, inside a function, a method or a ``try`` — a deferred import is still a
  dependency, it only moves the moment the circle bites;
- ``from pkg import name`` resolves to the file ``pkg/name.py`` (or ``pkg/name/__init__.py``)
  when ``name`` is a module, otherwise to ``pkg/__init__.py``; relative imports are resolved
  against A's package;
- ``importlib.import_module("meetcoord.x")`` with a literal name, so a string cannot hide one.

``import a.b.c`` also runs ``a/__init__.py`` and ``a/b/__init__.py``, but only the edge to
``a/b/c.py`` is counted (as import-linter and grimp do): otherwise every file would depend
on ``meetcoord/__init__.py`` and the circle check would say nothing useful.

Edges found under ``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``) are kept but marked:
they never run, so the cycle check ignores them, while the layer checks still count them
(a type annotation that names a feature is still knowledge of that feature).

The module is pure (no Flask, no meetcoord import) so it is tested on synthetic sources in
``tests/app/test_architecture.py`` as well as on the real tree.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "Edge",
    "ImportGraph",
    "describe_cycle",
    "find_cycles",
    "graph_from_package",
    "graph_from_sources",
]


@dataclass(frozen=True)
class Edge:
    """One import from one module file of the package to another."""

    source: str
    target: str
    lineno: int
    type_checking: bool

    def __str__(self) -> str:
        marker = " (TYPE_CHECKING)" if self.type_checking else ""
        return f"{self.source}:{self.lineno} -> {self.target}{marker}"


@dataclass
class ImportGraph:
    """Modules of one package (dotted names) and the import edges between them."""

    modules: set[str]
    packages: set[str]
    edges: list[Edge] = field(default_factory=list)

    def __repr__(self) -> str:  # pytest prints the fixture when a test fails: keep it short
        return f"<ImportGraph {len(self.modules)} modules, {len(self.edges)} imports>"

    def runtime_adjacency(self) -> dict[str, set[str]]:
        """Module -> modules it imports at run time (TYPE_CHECKING-only edges left out)."""
        adjacency: dict[str, set[str]] = {module: set() for module in self.modules}
        for edge in self.edges:
            if not edge.type_checking and edge.source != edge.target:
                adjacency[edge.source].add(edge.target)
        return adjacency

    def edges_between(self, source: str, target: str) -> list[Edge]:
        return [e for e in self.edges if e.source == source and e.target == target]

    def pairs(self) -> set[tuple[str, str]]:
        """Distinct (importer, imported) file pairs, TYPE_CHECKING imports included."""
        return {(e.source, e.target) for e in self.edges}

    def imports_from_into(
        self, source: Callable[[str], bool], target: Callable[[str], bool]
    ) -> list[Edge]:
        """Every edge from a module ``source`` accepts to one ``target`` accepts (layer
        rules: TYPE_CHECKING imports count, since naming a feature's type is knowing it)."""
        return [e for e in self.edges if source(e.source) and target(e.target)]


def _module_name(relative: Path) -> tuple[str, bool]:
    """``pkg/sub/mod.py`` -> ``("pkg.sub.mod", False)``; ``pkg/sub/__init__.py`` ->
    ``("pkg.sub", True)``."""
    parts = list(relative.with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def graph_from_package(package_dir: Path) -> ImportGraph:
    """Parse every ``*.py`` file under ``package_dir`` (named as the package it is)."""
    package_dir = Path(package_dir)
    root = package_dir.parent
    sources: dict[str, str] = {}
    for path in sorted(package_dir.rglob("*.py")):
        relative = path.relative_to(root)
        sources[relative.as_posix()] = path.read_text(encoding="utf-8")
    return graph_from_sources(sources)


def graph_from_sources(sources: Mapping[str, str]) -> ImportGraph:
    """Build the graph from ``{"pkg/sub/mod.py": source}`` (paths relative to the root)."""
    named: dict[str, tuple[str, bool]] = {}
    for path, source in sources.items():
        name, is_package = _module_name(Path(path))
        named[name] = (source, is_package)
    graph = ImportGraph(
        modules=set(named), packages={name for name, (_, pkg) in named.items() if pkg}
    )
    for name, (source, is_package) in sorted(named.items()):
        tree = ast.parse(source, filename=name)
        collector = _Collector(name, is_package, graph.modules)
        collector.visit(tree)
        graph.edges.extend(collector.edges)
    return graph


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return False


class _Collector(ast.NodeVisitor):
    """Walks one module's whole tree (function bodies included) and records its edges."""

    def __init__(self, module: str, is_package: bool, modules: set[str]) -> None:
        self.module = module
        self.modules = modules
        # The package a relative import starts from: the module itself for an __init__.
        self.package = module if is_package else module.rpartition(".")[0]
        self.type_checking_depth = 0
        self.edges: list[Edge] = []
        self._seen: set[Edge] = set()

    # -- TYPE_CHECKING blocks: only the ``if`` body is type-checking-only, not ``else``.
    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            self.visit(node.test)
            self.type_checking_depth += 1
            for child in node.body:
                self.visit(child)
            self.type_checking_depth -= 1
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(self._deepest_module(alias.name), node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self._resolve_base(node.module, node.level)
        if base is None:
            return
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            if alias.name != "*" and submodule in self.modules:
                self._add(submodule, node.lineno)
            else:
                self._add(self._deepest_module(base), node.lineno)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if (
            name in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            self._add(self._deepest_module(node.args[0].value), node.lineno)
        self.generic_visit(node)

    def _resolve_base(self, module: str | None, level: int) -> str | None:
        if level == 0:
            return module
        parts = self.package.split(".") if self.package else []
        if level - 1 > len(parts):
            raise ImportError(f"{self.module}: relative import beyond the top package")
        anchor = parts[: len(parts) - (level - 1)]
        if module:
            anchor.append(module)
        return ".".join(anchor)

    def _deepest_module(self, dotted: str) -> str | None:
        """The most specific known module a dotted name lands in (None: not ours)."""
        parts = dotted.split(".")
        while parts:
            candidate = ".".join(parts)
            if candidate in self.modules:
                return candidate
            parts.pop()
        return None

    def _add(self, target: str | None, lineno: int) -> None:
        if target is None or target == self.module:
            return
        edge = Edge(self.module, target, lineno, self.type_checking_depth > 0)
        if edge not in self._seen:  # ``from x import a, b`` of one module: one edge
            self._seen.add(edge)
            self.edges.append(edge)


def _strongly_connected(adjacency: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the tree is deep enough to matter for recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(adjacency):
        if root in index:
            continue
        work: list[tuple[str, Iterable[str]]] = [(root, iter(sorted(adjacency[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(adjacency[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def _shortest_cycle_through(
    start: str, adjacency: Mapping[str, set[str]], allowed: set[str]
) -> list[str] | None:
    """Breadth-first: the shortest path start -> ... -> start inside one component."""
    previous: dict[str, str] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(adjacency[node]):
                if child not in allowed:
                    continue
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if child not in seen:
                    seen.add(child)
                    previous[child] = node
                    following.append(child)
        frontier = following
    return None


def find_cycles(graph: ImportGraph) -> list[list[str]]:
    """Every import circle as a path ``[a, b, ..., a]`` (run-time edges only).

    Each strongly connected group of files is reported by the shortest circle through each
    of its members, deduplicated, so a group of two gives one path and a tangle of five
    names every file in it at least once.
    """
    adjacency = graph.runtime_adjacency()
    cycles: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for component in _strongly_connected(adjacency):
        if len(component) < 2:
            continue
        members = set(component)
        for start in component:
            cycle = _shortest_cycle_through(start, adjacency, members)
            if cycle is None:  # pragma: no cover - impossible inside a component
                continue
            ring = cycle[:-1]
            pivot = ring.index(min(ring))
            key = tuple(ring[pivot:] + ring[:pivot])
            if key not in seen:
                seen.add(key)
                cycles.append([*key, key[0]])
    return cycles


def describe_cycle(graph: ImportGraph, cycle: list[str]) -> str:
    """``a (line 12) -> b (line 30) -> a``: the circle with the line of each import."""
    steps = []
    for source, target in itertools.pairwise(cycle):
        lines = sorted(e.lineno for e in graph.edges_between(source, target) if not e.type_checking)
        steps.append(f"{source} (line {', '.join(map(str, lines))})")
    return " -> ".join([*steps, cycle[-1]])
