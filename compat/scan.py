"""Reading both sides for generate.py: Scrapy's modules as syntax trees, ascrapy's as an index.

What generate.py needs of Scrapy (its modules' names, the names its tests import) is also kept
in compat/scrapy-names.json, so that compat can be regenerated, and checked, without the sdist.
"""

from __future__ import annotations

import ast
import importlib
import json
import sys
import types
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# Scrapy module-level names that are implementation detail, never an API.
IGNORED_VALUE_CALLS = {"TypeVar", "ParamSpec", "getLogger"}
IGNORED_NAMES = {"logger"}


@dataclass
class ScrapyModule:
    """One Scrapy module: its dotted path, whether it is a package, the names it exposes.

    A package's own imports do not count: Scrapy's packages that re-export declare __all__.
    """

    name: str
    is_package: bool
    names: list[str]
    has_all: bool
    defines: list[str] = field(default_factory=list)
    # Public names it has by importing them from another Scrapy module (``scrapy.spiders``
    # imports ``Request``): name -> (Scrapy module, name there). Code patches them too.
    imported: dict[str, tuple[str, str]] = field(default_factory=dict)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Top-level statements that run at import (skipping TYPE_CHECKING blocks)."""
    statements: list[ast.stmt] = []
    for node in body:
        if isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                statements += _runtime_statements(node.body) + _runtime_statements(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *[h.body for h in node.handlers]):
                statements += _runtime_statements(block)
        else:
            statements.append(node)
    return statements


def _call_name(value: ast.expr | None) -> str | None:
    if isinstance(value, ast.Call):
        func = value.func
        return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return None


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _target_names(element)]
    return []


def defined_names(tree: ast.Module) -> list[str]:
    """Names a module defines itself: functions, classes, assignments."""
    names: list[str] = []
    for node in _runtime_statements(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign) and _call_name(node.value) not in IGNORED_VALUE_CALLS:
            names += [name for target in node.targets for name in _target_names(target)]
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            names += _target_names(node.target)
    return list(dict.fromkeys(names))


def scrapy_imports(tree: ast.Module) -> dict[str, tuple[str, str]]:
    """Public names a module binds at import with ``from scrapy.x import y [as z]``."""
    found: dict[str, tuple[str, str]] = {}
    for node in _runtime_statements(tree.body):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "scrapy" or node.module.startswith("scrapy."):
                for alias in node.names:
                    bound = alias.asname or alias.name
                    if alias.name != "*" and not bound.startswith("_"):
                        found[bound] = (node.module, alias.name)
    return found


def literal_all(tree: ast.Module) -> list[str] | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            try:
                return list(ast.literal_eval(node.value))
            except ValueError:
                return None
    return None


def read_scrapy_module(path: Path, dotted: str) -> ScrapyModule:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    exported = literal_all(tree)
    defines = defined_names(tree)
    imported = scrapy_imports(tree)
    if exported is not None:
        return ScrapyModule(dotted, is_package, exported, has_all=True, defines=defines, imported=imported)
    public = [n for n in defines if not n.startswith("_") and n not in IGNORED_NAMES]
    return ScrapyModule(dotted, is_package, public, has_all=False, defines=defines, imported=imported)


def names_tests_import(tests_dir: Path) -> dict[str, list[str]]:
    """``from scrapy.X import name`` in Scrapy's tests: module -> names."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(tests_dir.rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError as error:  # its imports go unseen: say so
            print(f"warning: skipped {path}: {error}", file=sys.stderr)
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module == "scrapy" or node.module.startswith("scrapy."):
                    found[node.module] += [a.name for a in node.names if a.name != "*"]
    return {module: list(dict.fromkeys(names)) for module, names in found.items()}


@dataclass
class ScrapySource:
    """What generate.py reads of one Scrapy release."""

    version: str
    modules: dict[str, ScrapyModule]  # every module but the project templates
    tests_import: dict[str, list[str]]  # see names_tests_import
    top_level_sources: dict[str, str]  # a name of scrapy/__init__.py -> the module it imports it from

    @classmethod
    def from_sdist(cls, root: Path) -> ScrapySource:
        """Read an unpacked sdist (it holds scrapy/ and tests/)."""
        scrapy_dir = root / "scrapy"
        modules = {}
        for path in sorted(scrapy_dir.rglob("*.py")):
            if "templates" not in path.parts:
                dotted = dotted_name(root, path)
                modules[dotted] = read_scrapy_module(path, dotted)
        sources = {}
        for node in ast.parse((scrapy_dir / "__init__.py").read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in modules:
                for alias in node.names:
                    sources[alias.asname or alias.name] = node.module
        version = (scrapy_dir / "VERSION").read_text(encoding="ascii").strip()
        return cls(version, modules, names_tests_import(root / "tests"), sources)

    @classmethod
    def from_json(cls, path: Path) -> ScrapySource:
        data = json.loads(path.read_text(encoding="utf-8"))
        modules = {name: ScrapyModule(name, **fields) for name, fields in data["modules"].items()}
        for module in modules.values():  # JSON has lists where the reader made tuples
            module.imported = {bound: (origin[0], origin[1]) for bound, origin in module.imported.items()}
        return cls(data["version"], modules, data["tests_import"], data["top_level_sources"])

    def to_json(self, path: Path) -> None:
        """One module a line, so that a new Scrapy release shows as a readable diff."""
        modules = {
            name: {"is_package": m.is_package, "names": m.names, "has_all": m.has_all, "defines": m.defines,
                   "imported": {bound: list(origin) for bound, origin in sorted(m.imported.items())}}
            for name, m in sorted(self.modules.items())
        }
        parts = {"version": self.version, "modules": modules, "tests_import": self.tests_import,
                 "top_level_sources": self.top_level_sources}
        lines = []
        for key, value in parts.items():
            if isinstance(value, dict):
                entries = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in sorted(value.items())]
                lines.append(f"{json.dumps(key)}: {{\n" + ",\n".join(entries) + "\n}")
            else:
                lines.append(f"{json.dumps(key)}: {json.dumps(value)}")
        path.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


def dotted_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


class AscrapyIndex:
    """Every ascrapy module's own top-level names, and imports that do not fail."""

    def __init__(self, package_dir: Path) -> None:
        self.definers: dict[str, list[str]] = defaultdict(list)
        for path in sorted(package_dir.rglob("*.py")):
            module = dotted_name(package_dir.parent, path)
            for name in defined_names(ast.parse(path.read_text(encoding="utf-8"))):
                self.definers[name].append(module)
        self._modules: dict[str, types.ModuleType | None] = {}
        self.import_errors: dict[str, str] = {}

    def module(self, name: str) -> types.ModuleType | None:
        if name not in self._modules:
            try:
                self._modules[name] = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name is None or not name.startswith(exc.name):
                    self.import_errors[name] = repr(exc)
                self._modules[name] = None
            except Exception as exc:  # a module another engineer is writing may be broken
                self.import_errors[name] = repr(exc)
                self._modules[name] = None
        return self._modules[name]

    def exposes(self, module_name: str, name: str) -> bool:
        module = self.module(module_name)
        with warnings.catch_warnings():  # reading a deprecated attribute warns
            warnings.simplefilter("ignore")
            value = getattr(module, name, None) if module is not None else None
        if value is None and (module is None or name not in vars(module)):
            return False
        return not isinstance(value, types.ModuleType) or value.__name__.startswith("ascrapy")

    def defining_module(self, name: str) -> tuple[str | None, str | None]:
        """The one ascrapy module that defines ``name`` (or None, and why not)."""
        candidates = [m for m in self.definers.get(name, []) if self.exposes(m, name)]
        if len(candidates) > 1:
            return None, "several ascrapy modules define it: " + ", ".join(candidates)
        return (candidates[0] if candidates else None), None
