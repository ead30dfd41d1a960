"""What the built-in middlewares share to look like Scrapy's from the outside.

Projects filter Scrapy's deprecation warnings by their text, and read stats keys and
log messages that name classes by Scrapy's import paths; these helpers keep both
unchanged. (Deprecated spider attributes: ascrapy.utils.deprecate.)
"""

from __future__ import annotations

from typing import Any

from ascrapy.utils.deprecate import warn_spider_arg  # noqa: F401 - the middlewares import it from here

# Longest prefix first: ascrapy's module paths and the Scrapy paths they mirror.
_SCRAPY_MODULE_PREFIXES = (
    ("ascrapy.middleware.downloader.", "scrapy.downloadermiddlewares."),
    ("ascrapy.middleware.spider.", "scrapy.spidermiddlewares."),
    ("ascrapy.", "scrapy."),
)


def scrapy_object_name(obj: Any) -> str:
    """The dotted path Scrapy would show for ``obj`` (a class or function)."""
    module: str = obj.__module__
    for prefix, scrapy_prefix in _SCRAPY_MODULE_PREFIXES:
        if module.startswith(prefix):
            module = scrapy_prefix + module[len(prefix) :]
            break
    return f"{module}.{obj.__qualname__}"
