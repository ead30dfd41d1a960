"""Which links a link extractor keeps: the extensions that are not pages, the schemes a
crawler can fetch, pattern matching (Scrapy keeps these in scrapy.linkextractors)."""

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


def matches_any(url: str, regexs: Iterable[Pattern[str]]) -> bool:
    """True if any of the patterns is found in ``url``."""
    return any(regex.search(url) for regex in regexs)


def is_followable(url: str) -> bool:
    """True for URLs of a scheme a crawler can fetch."""
    return url.split("://", 1)[0] in _FOLLOWABLE_SCHEMES
