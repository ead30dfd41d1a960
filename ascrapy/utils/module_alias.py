"""Scrapy's module paths as ascrapy's module objects themselves (compat's module identity).

Where one Scrapy module corresponds to one ascrapy module, compat's module replaces itself in
``sys.modules`` with ascrapy's (``alias_module``), so ``mock.patch("scrapy.utils.project.
project_data_dir")`` changes what ascrapy's own code calls. Names Scrapy's module has only by
importing them (``scrapy.spiders.Request``) are added to ascrapy's module where it has no
such attribute; nothing of ascrapy's is replaced.

Once ``scrapy.spiders`` is ``ascrapy.spiders``, Python would look for ``scrapy.spiders.crawl``
in ascrapy's folder and load ascrapy's file a second time under the Scrapy name (two copies
of every class). ``CompatSubmoduleFinder``, put first on ``sys.meta_path`` by compat's
``scrapy/__init__.py``, finds the submodules of such an aliased package in compat's own
folder instead (where the file decides again: alias or re-exports); a submodule compat has
no file for is ascrapy's submodule of that name, aliased. It answers only for names below
compat's package whose parent is aliased, so nothing else is imported any differently.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Sequence
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec, PathFinder
from pathlib import Path
from types import ModuleType


def alias_module(name: str, module: ModuleType, **scrapy_names: object) -> None:
    """Make the module being imported as ``name`` be ``module`` itself, with ``scrapy_names``
    added where ``module`` has no attribute of that name."""
    namespace = vars(module)
    for attribute, value in scrapy_names.items():
        if attribute not in namespace:
            setattr(module, attribute, value)
    sys.modules[name] = module


class _AliasLoader(Loader):
    """Loads a module name as another, already importable module (ascrapy's)."""

    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: ModuleSpec) -> None:
        return None  # a plain placeholder module, replaced in sys.modules by exec_module

    def exec_module(self, module: ModuleType) -> None:
        alias_module(module.__name__, importlib.import_module(self.target))


class CompatSubmoduleFinder(MetaPathFinder):
    """Finds ``package.x.y`` in compat's folder when ``package.x`` is an aliased ascrapy package."""

    def __init__(self, package: str, folder: Path) -> None:
        self.package = package
        self.folder = folder

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        parent_name, _, child = fullname.rpartition(".")
        if not parent_name.startswith(self.package + ".") and parent_name != self.package:
            return None
        parent = sys.modules.get(parent_name)
        if parent is None or parent.__name__ == parent_name:
            return None  # not aliased: the normal search finds compat's own file
        folder = self.folder.joinpath(*parent_name.split(".")[1:])
        spec = PathFinder.find_spec(fullname, [str(folder)])
        if spec is not None:
            return spec
        own = f"{parent.__name__}.{child}"
        if importlib.util.find_spec(own) is None:
            return None
        return ModuleSpec(fullname, _AliasLoader(own))


_COMPAT_FOLDERS: list[str] = []


def compat_folders() -> tuple[str, ...]:
    """The folders of the compat packages installed so far (their frames are not the user's)."""
    return tuple(_COMPAT_FOLDERS)


def install_compat_submodule_finder(package: str, folder: str | Path) -> CompatSubmoduleFinder:
    """Put a finder for ``package``'s aliased subpackages first on ``sys.meta_path`` (once)."""
    resolved = str(Path(folder).resolve())
    if resolved not in _COMPAT_FOLDERS:
        _COMPAT_FOLDERS.append(resolved)
    for finder in sys.meta_path:
        if isinstance(finder, CompatSubmoduleFinder) and finder.package == package:
            return finder
    finder = CompatSubmoduleFinder(package, Path(folder))
    sys.meta_path.insert(0, finder)
    return finder
