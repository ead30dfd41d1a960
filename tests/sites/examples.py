"""The sites of examples/ (the bookstore, the forum), imported by path: examples/ is not a package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


def load_example(relative_path: str) -> ModuleType:
    """The module of ``examples/<relative_path>``, imported once.

    It is registered in sys.modules (as ``example_<path>``) before it runs, as an import
    would, so that what it defines (NamedTuples, dataclasses) can find its own module.
    """
    name = "example_" + relative_path.removesuffix(".py").replace("/", "_")
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, EXAMPLES_DIR / relative_path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
