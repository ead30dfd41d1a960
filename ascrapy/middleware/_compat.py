"""What the built-in middlewares share to look like Scrapy's from the outside.

Projects filter Scrapy's deprecation warnings by their text, and read stats keys and
log messages that name classes by Scrapy's import paths; these helpers keep both
unchanged.
"""

from __future__ import annotations

import warnings
from typing import Any

from ascrapy.exceptions import ScrapyDeprecationWarning

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


def warn_spider_arg(method_qualname: str) -> None:
    """Warn that a caller still passes ``spider`` to a method that no longer needs it."""
    warnings.warn(
        f"Passing a 'spider' argument to {method_qualname}() is deprecated and "
        "the argument will be removed in a future Scrapy version.",
        category=ScrapyDeprecationWarning,
        stacklevel=3,
    )


def warn_spider_attribute(attribute_name: str, setting_name: str) -> None:
    """Warn that a spider attribute stands in for a setting (Scrapy's wording)."""
    warnings.warn(
        f"The '{attribute_name}' spider attribute is deprecated. "
        "Use Spider.custom_settings or Spider.update_settings() instead. "
        f"The corresponding setting name is '{setting_name}'.",
        category=ScrapyDeprecationWarning,
        stacklevel=3,
    )
