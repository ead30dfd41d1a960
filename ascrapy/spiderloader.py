"""Finding spider classes by name in the modules of SPIDER_MODULES."""

from __future__ import annotations

import builtins
import traceback
import warnings
from collections import defaultdict
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, Self, cast

from ascrapy.utils.misc import load_object, walk_modules_iter
from ascrapy.utils.spider import iter_spider_classes

if TYPE_CHECKING:
    from ascrapy.http import Request
    from ascrapy.settings import BaseSettings
    from ascrapy.spiders import Spider


def get_spider_loader(settings: BaseSettings) -> SpiderLoaderProtocol:
    """Build the SPIDER_LOADER_CLASS from a frozen copy of ``settings``."""
    loader_cls = load_object(settings.get("SPIDER_LOADER_CLASS"))
    return cast("SpiderLoaderProtocol", loader_cls.from_settings(settings.frozencopy()))


class SpiderLoaderProtocol(Protocol):
    """What a SPIDER_LOADER_CLASS must offer."""

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        """Build the loader for these settings."""

    def load(self, spider_name: str) -> type[Spider]:
        """The spider class called ``spider_name``; KeyError when there is none."""

    def list(self) -> builtins.list[str]:
        """Names of every spider the loader knows."""

    def find_by_request(self, request: Request) -> builtins.list[str]:
        """Names of the spiders that handle ``request``."""


class SpiderLoader:
    """Imports every module under SPIDER_MODULES once and indexes its spiders by name."""

    def __init__(self, settings: BaseSettings) -> None:
        self.spider_modules: builtins.list[str] = settings.getlist("SPIDER_MODULES")
        self.warn_only: bool = settings.getbool("SPIDER_LOADER_WARN_ONLY")
        self._spiders: dict[str, type[Spider]] = {}
        # name -> every (module, class name) that claims it, to report duplicates
        self._found: defaultdict[str, builtins.list[tuple[str, str]]] = defaultdict(builtins.list)
        self._load_all_spiders()

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        """Build the loader; spider modules are imported right away."""
        return cls(settings)

    def _load_spiders(self, module: ModuleType) -> None:
        for spidercls in iter_spider_classes(module):
            self._found[spidercls.name].append((module.__name__, spidercls.__name__))
            self._spiders[spidercls.name] = spidercls

    def _load_all_spiders(self) -> None:
        for module_path in self.spider_modules:
            try:
                for module in walk_modules_iter(module_path):
                    self._load_spiders(module)
            except (ImportError, SyntaxError):
                if not self.warn_only:
                    raise
                warnings.warn(
                    f"\n{traceback.format_exc()}Could not load spiders from module "
                    f"'{module_path}'. See above traceback for details.",
                    RuntimeWarning,
                    stacklevel=2,
                )
        self._warn_about_duplicates()

    def _warn_about_duplicates(self) -> None:
        lines = [
            f"  {class_name} named {name!r} (in {module_name})"
            for name, places in self._found.items()
            if len(places) > 1
            for module_name, class_name in places
        ]
        if lines:
            joined = "\n\n".join(lines)
            warnings.warn(
                f"There are several spiders with the same name:\n\n{joined}\n\n"
                "  This can cause unexpected behavior.",
                UserWarning,
                stacklevel=2,
            )

    def load(self, spider_name: str) -> type[Spider]:
        """The spider class called ``spider_name``."""
        try:
            return self._spiders[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def find_by_request(self, request: Request) -> builtins.list[str]:
        """Names of the spiders whose domains match the request's URL."""
        return [name for name, cls in self._spiders.items() if cls.handles_request(request)]

    def list(self) -> builtins.list[str]:
        """Names of every spider found, in discovery order."""
        return builtins.list(self._spiders)


class DummySpiderLoader:
    """A loader that knows no spider (runspider passes the class itself)."""

    @classmethod
    def from_settings(cls, settings: Any) -> Self:
        return cls()

    def load(self, spider_name: str) -> type[Spider]:
        raise KeyError("DummySpiderLoader doesn't load any spiders")

    def list(self) -> builtins.list[str]:
        return []

    def find_by_request(self, request: Request) -> builtins.list[str]:
        return []
