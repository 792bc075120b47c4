"""The layering of DESIGN §3, checked over the source of ``meetcoord/``.

Layers, top to bottom: ``__init__``/cli → portal → features → access → core → extensions.
An import never runs upwards and files never import each other in a circle. The checker
(``tests/importgraph.py``) reads the syntax trees without importing anything; its own
behaviour is pinned down first on small synthetic packages, so that a checker that finds
nothing cannot pass the real tree by accident.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importgraph import (
    Edge,
    ImportGraph,
    describe_cycle,
    find_cycles,
    graph_from_package,
    graph_from_sources,
)

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "meetcoord"

# Feature packages named by DESIGN §3 and issue 12, including those still to come; any
# other subpackage of meetcoord/ except core/ is found in the tree and counts as one too.
NAMED_FEATURES = frozenset(
    {
        "accounts",
        "actions",
        "api",
        "calendar",
        "checkin",
        "demo",
        "directory",
        "live",
        "meetings",
        "access",
        "portal",
        "documents",
        "planning",
        "reports",
        "webhooks",  # below the features that emit events: imports only access, core, api
    }
)
# What the bottom layers may import: core itself, the unbound extensions, the settings.
LOW = ("meetcoord.core", "meetcoord.extensions", "meetcoord.config")
# The top: create_app (the only registry) and the command line, then the participant
# portal, the highest feature layer: it composes the features, and none of them knows it.
TOP = ("meetcoord", "meetcoord.cli")
PORTAL = "meetcoord.portal"


def _top_package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _in(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def feature_packages(graph: ImportGraph) -> set[str]:
    found = {
        name.split(".")[1]
        for name in graph.packages
        if name.count(".") == 1 and name != "meetcoord.core"
    }
    return set(NAMED_FEATURES) | found


def core_to_feature(graph: ImportGraph) -> list[Edge]:
    features = feature_packages(graph)
    return graph.imports_from_into(
        lambda source: _in(source, "meetcoord.core"),
        lambda target: _top_package(target) in features,
    )


def into_portal(graph: ImportGraph) -> list[Edge]:
    """Imports of the portal from anything but itself and the top (an upward import)."""
    return graph.imports_from_into(
        lambda source: source not in TOP and not _in(source, PORTAL),
        lambda target: _in(target, PORTAL),
    )


def _listing(edges: list[Edge]) -> str:
    return "\n".join(f"  {edge}" for edge in edges)


@pytest.fixture(scope="module")
def graph() -> ImportGraph:
    return graph_from_package(PACKAGE_DIR)


# --- the checker itself, on synthetic packages -----------------------------------------


def test_checker_finds_a_known_cycle_including_a_deferred_import() -> None:
    synthetic = graph_from_sources(
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg import b\n",
            "pkg/b.py": "def later():\n    from pkg.c import thing\n",
            "pkg/c.py": "import pkg.a\nthing = 1\n",
            "pkg/d.py": "import pkg.a\n",  # imports into the circle, is not part of it
        }
    )
    cycles = find_cycles(synthetic)
    assert cycles == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]
    assert describe_cycle(synthetic, cycles[0]) == (
        "pkg.a (line 1) -> pkg.b (line 2) -> pkg.c (line 1) -> pkg.a"
    )


def test_checker_ignores_type_checking_imports_for_cycles_but_keeps_them() -> None:
    synthetic = graph_from_sources(
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import B\n",
            "pkg/b.py": (
                "from typing import TYPE_CHECKING\n"
                "import typing\n"
                "if TYPE_CHECKING:\n"
                "    from pkg.a import A\n"
                "if typing.TYPE_CHECKING:\n"
                "    from pkg import a\n"
                "B = 1\n"
            ),
        }
    )
    assert find_cycles(synthetic) == []
    back = synthetic.edges_between("pkg.b", "pkg.a")
    assert [(e.lineno, e.type_checking) for e in back] == [(4, True), (6, True)]

    # The ``else`` of a TYPE_CHECKING block runs: it is an ordinary import.
    runs = graph_from_sources(
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import B\n",
            "pkg/b.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    pass\n"
                "else:\n"
                "    from pkg.a import A\n"
            ),
        }
    )
    assert find_cycles(runs) == [["pkg.a", "pkg.b", "pkg.a"]]


def test_checker_resolves_relative_imports_and_modules_named_in_from_imports() -> None:
    synthetic = graph_from_sources(
        {
            "pkg/__init__.py": "from . import sub\nfrom .sub.x import helper\n",
            "pkg/top.py": "VALUE = 1\n",
            "pkg/sub/__init__.py": "from .. import top\nfrom ..top import VALUE\n",
            "pkg/sub/x.py": "from . import y\nfrom .y import name\nfrom ... import pkg\n",
            "pkg/sub/y.py": "from pkg.sub import x as _x\nfrom pkg import VALUE\nimport os\n",
        }
    )
    pairs = {(e.source, e.target) for e in synthetic.edges}
    assert pairs == {
        ("pkg", "pkg.sub"),  # `from . import sub` in a package: its own subpackage
        ("pkg", "pkg.sub.x"),
        ("pkg.sub", "pkg.top"),  # `..` from pkg/sub/__init__.py is pkg
        ("pkg.sub.x", "pkg.sub.y"),  # `from . import y` in pkg/sub/x.py: the module y
        ("pkg.sub.y", "pkg.sub.x"),  # `from pkg.sub import x`: the module, not pkg/sub
        ("pkg.sub.y", "pkg"),  # `from pkg import VALUE`: a name, so pkg/__init__.py
    }
    # `from ... import pkg` leaves the package (no module of ours): no edge, no error.
    # One tangle of three files, reported as each circle through it.
    assert find_cycles(synthetic) == [
        ["pkg", "pkg.sub.x", "pkg.sub.y", "pkg"],
        ["pkg.sub.x", "pkg.sub.y", "pkg.sub.x"],
    ]


def test_checker_sees_string_imports_and_layer_rules_count_type_checking() -> None:
    synthetic = graph_from_sources(
        {
            "meetcoord/__init__.py": "",
            "meetcoord/core/__init__.py": "",
            "meetcoord/core/jobs.py": (
                "import importlib\n"
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from meetcoord.accounts.models import User\n"
                "def run():\n"
                "    importlib.import_module('meetcoord.documents.jobs')\n"
            ),
            "meetcoord/accounts/__init__.py": "",
            "meetcoord/accounts/models.py": "",
            "meetcoord/documents/__init__.py": "",
            "meetcoord/documents/jobs.py": "",
            "meetcoord/newfeature/__init__.py": "from meetcoord.core import jobs\n",
        }
    )
    assert [str(e) for e in core_to_feature(synthetic)] == [
        "meetcoord.core.jobs:4 -> meetcoord.accounts.models (TYPE_CHECKING)",
        "meetcoord.core.jobs:6 -> meetcoord.documents.jobs",
    ]
    assert "newfeature" in feature_packages(synthetic)  # found, though no list names it


def test_checker_finds_a_feature_reaching_up_into_the_portal() -> None:
    synthetic = graph_from_sources(
        {
            "meetcoord/__init__.py": "def create_app():\n    from meetcoord.portal import pages\n",
            "meetcoord/cli.py": "import meetcoord.portal.links\n",
            "meetcoord/portal/__init__.py": "",
            "meetcoord/portal/pages.py": "from meetcoord.portal import links\n",
            "meetcoord/portal/links.py": "from meetcoord.live import views\n",
            "meetcoord/live/__init__.py": "",
            "meetcoord/live/views.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from meetcoord.portal.links import holder\n"
            ),
        }
    )
    assert [str(e) for e in into_portal(synthetic)] == [
        "meetcoord.live.views:3 -> meetcoord.portal.links (TYPE_CHECKING)"
    ]


# --- the real tree ------------------------------------------------------------------------


def test_checker_reads_the_whole_package(graph: ImportGraph) -> None:
    files = sorted(PACKAGE_DIR.rglob("*.py"))
    assert len(graph.modules) == len(files) > 150
    assert len(graph.pairs()) > 300
    assert "meetcoord.core.db" in graph.modules
    assert ("meetcoord.extensions", "meetcoord.core.db") in graph.pairs()


def test_no_import_cycle_between_files(graph: ImportGraph) -> None:
    cycles = [describe_cycle(graph, cycle) for cycle in find_cycles(graph)]
    assert not cycles, "import cycles (break each at its cause, DESIGN §3):\n" + "\n".join(
        f"  {text}" for text in cycles
    )


def test_core_imports_no_feature_package(graph: ImportGraph) -> None:
    """core/ holds mechanisms; create_app plugs the features into them (DESIGN §3)."""
    found = core_to_feature(graph)
    assert not found, "core/ imports a feature package:\n" + _listing(found)


def test_core_imports_nothing_above_it(graph: ImportGraph) -> None:
    """Not the top-level modules either (create_app, the CLI, the model registry)."""
    found = graph.imports_from_into(
        lambda source: _in(source, "meetcoord.core"),
        lambda target: not _in(target, *LOW),
    )
    assert not found, "core/ imports from above core:\n" + _listing(found)


def test_api_base_registers_no_feature(graph: ImportGraph) -> None:
    """api/ is the base the features' API modules build on; create_app registers them."""
    found = graph.imports_from_into(
        lambda source: _in(source, "meetcoord.api"),
        lambda target: not _in(target, "meetcoord.api", *LOW),
    )
    assert not found, "api/ imports a feature (register it in create_app):\n" + _listing(found)


def test_nothing_below_the_portal_imports_it(graph: ImportGraph) -> None:
    """The portal sits above the features it composes (DESIGN §3): a feature, access or
    core that imported it would run the layers upwards; create_app registers it."""
    assert PORTAL in graph.packages
    found = into_portal(graph)
    assert not found, "imports up into the portal:\n" + _listing(found)


@pytest.mark.parametrize("module", ["meetcoord.extensions", "meetcoord.config"])
def test_extensions_and_config_import_nothing_above_core(graph: ImportGraph, module: str) -> None:
    assert module in graph.modules
    found = graph.imports_from_into(lambda source: source == module, lambda t: not _in(t, *LOW))
    assert not found, f"{module} imports from above core:\n" + _listing(found)


def private_imports(sources: dict[str, str]) -> list[str]:
    """``from meetcoord.x import _name`` across files: a name a module keeps to itself,
    used by another (make it public, or move it where both can use it)."""
    import ast

    found = []
    for path, text in sorted(sources.items()):
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("meetcoord"):
                found += [
                    f"{path}:{node.lineno} {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    return found


def test_checker_finds_a_private_name_imported_from_another_module() -> None:
    sources = {
        "meetcoord/portal/schemas.py": (
            "from meetcoord.meetings.schemas import (\n    derived,\n    _values,\n)\n"
        ),
        "meetcoord/live/views.py": "from meetcoord.live import __name__ as n\n",
    }
    assert private_imports(sources) == [
        "meetcoord/portal/schemas.py:1 meetcoord.meetings.schemas._values"
    ]


def test_no_module_imports_another_modules_private_names() -> None:
    """The check-in core once lent 16 private names across files (issue 12): every door
    now calls public names, and it stays so."""
    sources = {
        str(path.relative_to(PACKAGE_DIR.parent)): path.read_text(encoding="utf-8")
        for path in PACKAGE_DIR.rglob("*.py")
    }
    assert private_imports(sources) == []
