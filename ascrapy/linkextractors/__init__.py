"""Link extractors (scrapy.linkextractors): find the links of a page worth following.

``LinkExtractor`` is the lxml-based :class:`~ascrapy.linkextractors.lxmlhtml.LxmlLinkExtractor`.
"""

from __future__ import annotations

from ascrapy.linkextractors.filters import IGNORED_EXTENSIONS
from ascrapy.linkextractors.filters import is_followable as _is_valid_url  # Scrapy's names for them
from ascrapy.linkextractors.filters import matches_any as _matches
from ascrapy.linkextractors.lxmlhtml import LxmlLinkExtractor as LinkExtractor

__all__ = ["IGNORED_EXTENSIONS", "LinkExtractor", "_is_valid_url", "_matches"]
