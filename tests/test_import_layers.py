"""ascrapy's modules form layers: no module imports, however indirectly, one that imports it.

Every import counts, at module level or inside a function (only ``if TYPE_CHECKING:``
blocks are left out), and so do the packages an import runs (importing ``ascrapy.http.x``
runs ``ascrapy/http/__init__.py``). Two deferred imports are allowed, each by design:
- a TextResponse builds its Selector on first use, and Selector(text=...) reads bare text
  through an HtmlResponse (as in Scrapy);
- the remote file stores look ``is_botocore_available`` up in ascrapy.pipelines.files at
  each call, where Scrapy's tests and users patch it (Scrapy defines the stores there).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "ascrapy"

DEFERRED_IMPORTS = {
    ("ascrapy.http.response.text", "ascrapy.selector"),
    ("ascrapy.pipelines._remote_stores", "ascrapy.pipelines.files"),
}


def module_files() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE_DIR.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports_in(tree: ast.AST) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement outside TYPE_CHECKING blocks, and whether it is deferred
    (inside a function)."""
    found: list[tuple[ast.Import | ast.ImportFrom, bool]] = []

    def visit(node: ast.AST, deferred: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if is_type_checking_block(child):
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append((child, deferred))
            inner = deferred or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            visit(child, inner)

    visit(tree, False)
    return found


def with_packages(module: str, modules: dict[str, Path]) -> set[str]:
    """``module`` and the packages importing it runs."""
    parts = module.split(".")
    return {".".join(parts[:end]) for end in range(1, len(parts) + 1)} & modules.keys()


def import_graph() -> dict[str, dict[str, bool]]:
    """module -> {imported module: whether every import of it is deferred}."""
    modules = module_files()
    graph: dict[str, dict[str, bool]] = {}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        edges: dict[str, bool] = {}
        for statement, deferred in imports_in(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(statement, ast.Import):
                targets = [alias.name for alias in statement.names]
            else:
                base = statement.module or ""
                if statement.level:
                    anchor = module.split(".") if is_package else module.split(".")[:-1]
                    anchor = anchor[: len(anchor) - statement.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in statement.names:
                    submodule = f"{base}.{alias.name}"
                    targets.append(submodule if submodule in modules else base)
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if not target.startswith("ascrapy") or target == module:
                    continue
                # The module named is needed whole (names are read from it, even from a
                # package this module is inside of); the packages around it only run.
                edges[target] = edges.get(target, True) and deferred
                for imported in with_packages(target, modules) - {target}:
                    if imported == module or module.startswith(imported + "."):
                        continue  # a package this module is inside of: already running
                    edges[imported] = edges.get(imported, True) and deferred
        graph[module] = edges
    return graph


def import_cycles(graph: dict[str, dict[str, bool]]) -> list[list[str]]:
    """The groups of modules that import each other (strongly connected, more than one)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.get(module, {}):
            if imported not in index:
                connect(imported)
                lowest[module] = min(lowest[module], lowest[imported])
            elif imported in on_stack:
                lowest[module] = min(lowest[module], index[imported])
        if lowest[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return cycles


def test_no_module_imports_one_that_imports_it():
    graph = import_graph()
    for importer, imported in DEFERRED_IMPORTS:
        assert graph[importer].get(imported) is True, f"{importer} no longer defers importing {imported}"
        del graph[importer][imported]
    assert import_cycles(graph) == []


def test_the_check_sees_a_loop_through_a_deferred_import():
    graph = import_graph()
    assert graph["ascrapy.http.response.text"]["ascrapy.selector"] is True
    assert ["ascrapy.http", "ascrapy.http.response.html", "ascrapy.http.response.json",
            "ascrapy.http.response.text", "ascrapy.http.response.xml", "ascrapy.selector"] in import_cycles(graph)


def test_the_http_objects_import_no_helper_above_them():
    graph = import_graph()
    http_modules = [module for module in graph if module.startswith("ascrapy.http")]
    above = {"ascrapy.utils.request", "ascrapy.utils.response", "ascrapy.responsetypes", "ascrapy.fingerprint"}
    for module in http_modules:
        assert not above & graph[module].keys(), (module, above & graph[module].keys())
