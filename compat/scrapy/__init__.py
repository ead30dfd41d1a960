"""scrapy: Scrapy's names, from ascrapy."""

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


from ascrapy.utils.module_alias import install_compat_submodule_finder as _install_finder

_install_finder(__name__, __path__[0])
del _install_finder


from ascrapy.utils.twisted_reactor import install_reactor_finder as _install_reactor_finder

_install_reactor_finder()
del _install_reactor_finder


from ascrapy.version import SCRAPY_VERSION as __version__, scrapy_version_info as version_info
from scrapy.http import FormRequest, Request
from scrapy.item import Field, Item
from scrapy.selector import Selector
from scrapy.spiders import Spider
from scrapy import exceptions, link, linkextractors, signals, utils  # attributes after `import scrapy`, as in Scrapy

__all__ = [
    "Field",
    "FormRequest",
    "Item",
    "Request",
    "Selector",
    "Spider",
    "__version__",
    "version_info",
]
