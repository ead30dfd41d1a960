"""Link extractors (scrapy.linkextractors): find the links of a page worth following.

``LinkExtractor`` is the lxml-based :class:`~ascrapy.linkextractors.lxmlhtml.LxmlLinkExtractor`.
"""

from __future__ import annotations

from collections.abc import Iterable
from re import Pattern

# Links to files with these extensions are not followed by default: they are not pages.
IGNORED_EXTENSIONS = [
    # archives
    "7z", "7zip", "bz2", "rar", "tar", "tar.gz", "xz", "zip",
    # images
    "mng", "pct", "bmp", "gif", "jpg", "jpeg", "png", "pst", "psp", "tif", "tiff", "ai",
    "drw", "dxf", "eps", "ps", "svg", "cdr", "ico", "webp",
    # audio
    "mp3", "wma", "ogg", "wav", "ra", "aac", "mid", "au", "aiff",
    # video
    "3gp", "asf", "asx", "avi", "mov", "mp4", "mpg", "qt", "rm", "swf", "wmv", "m4a", "m4v",
    "flv", "webm",
    # office suites
    "xls", "xlsm", "xlsx", "xltm", "xltx", "potm", "potx", "ppt", "pptm", "pptx", "pps",
    "doc", "docb", "docm", "docx", "dotm", "dotx", "odt", "ods", "odg", "odp",
    # other
    "css", "pdf", "exe", "bin", "rss", "dmg", "iso", "apk", "jar", "sh", "rb", "js", "hta",
    "bat", "cpl", "msi", "msp", "py",
]  # fmt: skip

_FOLLOWABLE_SCHEMES = frozenset({"http", "https", "file", "ftp"})


def _matches(url: str, regexs: Iterable[Pattern[str]]) -> bool:
    """True if any of the patterns is found in ``url``."""
    return any(regex.search(url) for regex in regexs)


def _is_valid_url(url: str) -> bool:
    """True for URLs of a scheme a crawler can fetch."""
    return url.split("://", 1)[0] in _FOLLOWABLE_SCHEMES


# Imported last: lxmlhtml reads the names above from this package.
from ascrapy.linkextractors.lxmlhtml import LxmlLinkExtractor as LinkExtractor  # noqa: E402

__all__ = ["IGNORED_EXTENSIONS", "LinkExtractor"]
