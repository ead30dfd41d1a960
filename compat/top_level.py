"""What generate.py writes into compat's top-level scrapy/__init__.py, and scrapy/VERSION.

The top-level package does more than re-export: it refuses to load beside real Scrapy, puts
the finder for aliased packages' submodules in place, lets Twisted's reactor be installed on
ascrapy's loop when code asks for it, takes its names from compat's own submodules and leaves
the submodules Scrapy's own ``import scrapy`` leaves as attributes.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from identity import ResolvedModule

# The top-level package refuses to load when the `scrapy` distribution found first is real
# Scrapy (written into scrapy/__init__.py).
GUARD = '''
import importlib.metadata as _metadata

from ascrapy.version import is_compat_distribution_version as _is_compat_version


def _refuse_beside_scrapy() -> None:
    """compat's distribution is named `scrapy`; a `scrapy` distribution of another version
    found first on the path is real Scrapy, whose files and ours overwrite each other."""
    try:
        found = _metadata.distribution("scrapy")
    except _metadata.PackageNotFoundError:
        return  # run from a source tree, not installed
    if _is_compat_version(found.version):
        return
    raise ImportError(
        f"Scrapy {found.version} is installed where ascrapy's compat `scrapy` is expected; both"
        " provide the `scrapy` package and their files overwrite each other. To run on ascrapy:"
        " `pip uninstall -y scrapy`, then install ascrapy's compat again (see ascrapy's README)."
        " To run on Scrapy: `pip install --force-reinstall scrapy`."
    )


_refuse_beside_scrapy()
del _refuse_beside_scrapy, _metadata, _is_compat_version

'''


# Then (scrapy/__init__.py): a plugin that imports twisted.internet.reactor finds Twisted's
# asyncio reactor on ascrapy's loop (ascrapy.utils.twisted_reactor); Twisted stays unimported
# until something asks for it.
TWISTED_REACTOR_FINDER = """
from ascrapy.utils.twisted_reactor import install_reactor_finder as _install_reactor_finder

_install_reactor_finder()
del _install_reactor_finder

"""


# The submodules that Scrapy 2.19's own `import scrapy` leaves as attributes of the package
# (measured: its imports load them), beyond those its __init__ names: code writes
# `scrapy.signals.spider_closed` after a bare `import scrapy`.
TOP_LEVEL_SUBMODULES = ["exceptions", "link", "linkextractors", "signals", "utils"]


def with_top_level_submodules(source: str) -> str:
    """scrapy/__init__.py's text, importing TOP_LEVEL_SUBMODULES after its names."""
    line = f"from scrapy import {', '.join(TOP_LEVEL_SUBMODULES)}  # attributes after `import scrapy`, as in Scrapy"
    head, marker, tail = source.partition("\n__all__ = [")
    return f"{head.rstrip()}\n{line}\n\n{marker.lstrip()}{tail}" if marker else f"{source}{line}\n"


def import_from_own_submodules(top: ResolvedModule, sources: dict[str, str]) -> None:
    """Take the top-level names from the compat submodules Scrapy's __init__ takes them from
    (``sources``: name -> module).

    itemadapter reads ``scrapy.item.Item`` as an attribute of the top-level package, so the
    submodules must be imported by it, as Scrapy's are.
    """
    regrouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for source, pairs in top.imports.items():
        for pair in pairs:
            regrouped[sources.get(pair[1], source)].append(pair)
    top.imports = regrouped


# Put first in scrapy/__init__.py, after the guard: the submodules of an aliased package are
# found in compat's folder, not loaded a second time from ascrapy's.
SUBMODULE_FINDER = """
from ascrapy.utils.module_alias import install_compat_submodule_finder as _install_finder

_install_finder(__name__, __path__[0])
del _install_finder

"""


TOP_LEVEL_PREAMBLE = GUARD + SUBMODULE_FINDER + TWISTED_REACTOR_FINDER


def write_version_file(package: Path, scrapy_version: str) -> None:
    """scrapy/VERSION, as Scrapy ships it (code may read it with importlib.resources).

    It must be the version ascrapy emulates: a Scrapy tree of another release is refused.
    """
    from ascrapy.version import SCRAPY_VERSION

    if scrapy_version != SCRAPY_VERSION:
        raise SystemExit(
            f"the Scrapy tree is {scrapy_version}, ascrapy emulates {SCRAPY_VERSION} "
            "(ascrapy/version.py SCRAPY_VERSION, compat/pyproject.toml's version)"
        )
    (package / "VERSION").write_text(scrapy_version + "\n", encoding="ascii")
