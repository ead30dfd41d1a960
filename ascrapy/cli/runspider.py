"""``runspider FILE.py``: run the spider defined in a Python file, no project needed."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

from ascrapy.cli.base import BaseRunSpiderCommand
from ascrapy.exceptions import UsageError
from ascrapy.spiderloader import DummySpiderLoader
from ascrapy.utils.spider import iter_spider_classes

PYTHON_SUFFIXES = frozenset({".py", ".pyw"})


class SpiderFileError(Exception):
    """The spider file exists but running its code failed."""


def import_spider_file(filepath: str | Path) -> ModuleType:
    """Execute a .py file as a module named after it, with its folder importable meanwhile.

    Raises ValueError for a file that is not Python source and SpiderFileError (chained to
    the cause) when the module's code fails.
    """
    path = Path(filepath).resolve()
    if path.suffix not in PYTHON_SUFFIXES:
        raise ValueError(f"Not a Python source file: {path}")
    # never shadow an imported module (a file called json.py must not replace json)
    name = path.stem if path.stem not in sys.modules else f"_ascrapy_runspider_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ValueError(f"Cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise SpiderFileError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        sys.path.remove(str(path.parent))
    return module


class Command(BaseRunSpiderCommand):
    default_settings: ClassVar[dict[str, Any]] = {"SPIDER_LOADER_CLASS": DummySpiderLoader}

    def syntax(self) -> str:
        return "[options] <spider_file>"

    def short_desc(self) -> str:
        return "Run a spider from a Python file, no project required"

    def long_desc(self) -> str:
        return "Run the spider defined in the given file"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError
        filename = Path(args[0])
        if not filename.exists():
            raise UsageError(f"File not found: {filename}\n", print_help=False)
        try:
            module = import_spider_file(filename)
        except ValueError as exc:
            raise UsageError(f"Unable to load {str(filename)!r}: {exc}\n", print_help=False) from exc
        except SpiderFileError as exc:
            self.fail_with_error(f"Unable to load {str(filename)!r}: {exc}")
            return
        spider_classes = list(iter_spider_classes(module))
        if not spider_classes:
            raise UsageError(f"No spider found in file: {filename}\n", print_help=False)
        if len(spider_classes) > 1:
            names = ", ".join(sorted(cls.name for cls in spider_classes))
            raise UsageError(
                f"More than one spider found in file {filename} ({names}); "
                "keep one spider per file to run it with runspider\n",
                print_help=False,
            )
        self._crawl_and_start(self._create_crawler(spider_classes[0]), **opts.spargs)
