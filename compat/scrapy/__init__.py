"""scrapy: Scrapy's names, from ascrapy."""

import importlib.metadata as _metadata


def _refuse_beside_scrapy() -> None:
    """Scrapy and ascrapy-compat both install the `scrapy` package and overwrite each other."""
    try:
        other = _metadata.distribution("scrapy")
    except _metadata.PackageNotFoundError:
        return
    raise ImportError(
        f"Scrapy {other.version} is installed next to ascrapy-compat; both provide the `scrapy`"
        " package and their files overwrite each other. To run on ascrapy:"
        " `pip uninstall -y scrapy ascrapy-compat`, then install ascrapy-compat again."
        " To run on Scrapy: `pip uninstall -y ascrapy-compat && pip install --force-reinstall scrapy`."
    )


_refuse_beside_scrapy()
del _refuse_beside_scrapy, _metadata


from ascrapy import __version__, version_info
from scrapy.http import FormRequest, Request
from scrapy.item import Field, Item
from scrapy.selector import Selector
from scrapy.spiders import Spider

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
