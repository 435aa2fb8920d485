"""The package's import graph, read from the source (AST): runtime imports only (those under
``if TYPE_CHECKING:`` are for the type checker; imports inside functions count, they run when called).

- no import circles between modules;
- the PDF layer (``taiyaku.pdf.*``) imports nothing from the site layer; the print document's planning
  (:data:`PRINT_DOCUMENT`) renders its templates through the shared views and theme, nothing else of the site;
- no module over :data:`MAX_LINES` lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "taiyaku"
MAX_LINES = 450
SITE_LAYER = ("taiyaku.site", "taiyaku.parallel", "taiyaku.search", "taiyaku.citations.formats",
              "taiyaku.citations.head", "taiyaku.views", "taiyaku.theme", "taiyaku.site_output")
"""The site's own modules, and the citations' web forms (the citation files, the page's head)."""
SHARED_PRESENTATION = ("taiyaku.views", "taiyaku.theme")
"""What templates see and the Jinja environment: the site's pages and the print document are both rendered
through them."""
PRINT_DOCUMENT = ("taiyaku.pdf.plan", "taiyaku.pdf.document")
"""The PDF modules that render the print HTML from the theme's templates (and so use the shared views and theme)."""


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of a module except those under ``if TYPE_CHECKING:`` (its ``else`` counts)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _imported(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The modules of the package one import statement loads (a name imported from a package that is one of
    its modules counts as that module)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in MODULES}
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    if node.level:
        base = package
        for _ in range(node.level - 1):
            base = base.rpartition(".")[0]
        target = f"{base}.{node.module}" if node.module else base
    else:
        target = node.module or ""
    found = set()
    for alias in node.names:
        if f"{target}.{alias.name}" in MODULES:
            found.add(f"{target}.{alias.name}")
        elif target in MODULES:
            found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    graph = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        graph[module] = {target for node in _runtime_imports(tree) for target in _imported(module, node)} - {module}
    return graph


GRAPH = _graph()


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return components


def test_the_graph_is_read() -> None:
    """The walk sees known edges: module-level, relative, inside a function, a submodule named in ``from . import``."""
    assert "taiyaku.pdf.jobs" in GRAPH["taiyaku.pdf.plan"]
    assert "taiyaku.pdf.typeset" in GRAPH["taiyaku.pdf.run"]  # imported inside the workers' entry points
    assert "taiyaku.pdf.weasy" in GRAPH["taiyaku.pdf.typeset"]  # from . import weasy
    assert "taiyaku.citations.model" not in GRAPH["taiyaku.citations.styles"]  # under TYPE_CHECKING only


def test_no_import_circles() -> None:
    assert _cycles(GRAPH) == []


def test_a_circle_is_found() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("taiyaku.pdf")))
def test_the_pdf_layer_imports_nothing_from_the_site_layer(module: str) -> None:
    allowed = SHARED_PRESENTATION if module in PRINT_DOCUMENT else ()
    wrong = sorted(target for target in GRAPH[module] if target not in allowed
                   and any(target == site or target.startswith(site + ".") for site in SITE_LAYER))
    assert wrong == []


def test_no_module_is_over_the_size_limit() -> None:
    sizes = {module: len(path.read_text(encoding="utf-8").splitlines()) for module, path in MODULES.items()}
    assert {module: size for module, size in sizes.items() if size > MAX_LINES} == {}
