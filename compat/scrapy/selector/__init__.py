"""scrapy.selector: Scrapy's names, from ascrapy.selector."""

from ascrapy.selector import Selector, SelectorList

__all__ = [
    "Selector",
    "SelectorList",
]
