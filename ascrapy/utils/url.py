"""URL helpers that the standard library and w3lib lack (scrapy.utils.url)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import ParseResult, urldefrag, urlparse, urlunparse

from w3lib.url import add_or_replace_parameter, any_to_uri, parse_url

UrlT = str | bytes | ParseResult

__all__ = [
    "add_http_if_no_scheme",
    "escape_ajax",
    "guess_scheme",
    "parse_url",
    "strip_url",
    "url_has_any_extension",
    "url_is_from_any_domain",
    "url_is_from_spider",
]


def url_is_from_any_domain(url: UrlT, domains: Iterable[str]) -> bool:
    """True if the URL's host is one of ``domains`` or a subdomain of one (case-insensitive)."""
    return _netloc_in_domains(parse_url(url).netloc, domains)


def _netloc_in_domains(netloc: str, domains: Iterable[str]) -> bool:
    """:func:`url_is_from_any_domain` for a URL already parsed."""
    host = netloc.lower()
    if not host:
        return False
    for domain in domains:
        domain = domain.lower()
        if host == domain or host.endswith("." + domain):
            return True
    return False


def _spider_domains(spider: type[Any]) -> Iterator[str]:
    """The spider's name, then its allowed domains when readable on the class."""
    yield spider.name
    allowed = getattr(spider, "allowed_domains", None)
    if isinstance(allowed, property):
        warnings.warn(
            f"{spider.__name__}.allowed_domains is a property. Properties cannot be "
            "evaluated on a spider class, only on a spider instance, so it will be "
            "ignored here. This affects matching URLs to spiders, e.g. in the shell, "
            "fetch and parse commands. Define allowed_domains as a plain class "
            "attribute instead.",
            UserWarning,
            stacklevel=3,
        )
        return
    if allowed:
        yield from allowed


def url_is_from_spider(url: UrlT, spider: type[Any]) -> bool:
    """True if the URL belongs to the spider's name or allowed domains."""
    return url_is_from_any_domain(url, _spider_domains(spider))


def url_has_any_extension(url: UrlT, extensions: Iterable[str]) -> bool:
    """True if the URL path ends with one of ``extensions`` (each with its leading dot)."""
    path = parse_url(url).path.lower()
    return any(path.endswith(ext) for ext in extensions)


_HAS_SCHEME_RE = re.compile(r"^\w+://", re.IGNORECASE)


def add_http_if_no_scheme(url: str) -> str:
    """Prefix ``http://`` (or ``http:`` before ``//host``) when the URL has no scheme."""
    if _HAS_SCHEME_RE.match(url):
        return url
    return ("http:" if urlparse(url).netloc else "http://") + url


# "./x", "../x", ".name/x", "~/x" or "/x": something that reads as a POSIX path.
_POSIX_PATH_RE = re.compile(r"^(\.(\.|[^/.]+)?|~)?/.")
# "C:\" or "\\server": a Windows path.
_WINDOWS_PATH_RE = re.compile(r"^([a-z]:\\|\\\\)", re.IGNORECASE)


def _is_posix_path(string: str) -> bool:
    return _POSIX_PATH_RE.match(string) is not None


def _is_windows_path(string: str) -> bool:
    return _WINDOWS_PATH_RE.match(string) is not None


def _is_filesystem_path(string: str) -> bool:
    return _is_posix_path(string) or _is_windows_path(string)


def guess_scheme(url: str) -> str:
    """Give a scheme-less URL ``file://`` if it looks like a path, else ``http://``."""
    if _is_filesystem_path(url):
        return any_to_uri(url)
    return add_http_if_no_scheme(url)


_DEFAULT_PORTS = {("http", 80), ("https", 443), ("ftp", 21)}


def strip_url(
    url: str,
    strip_credentials: bool = True,
    strip_default_port: bool = True,
    origin_only: bool = False,
    strip_fragment: bool = True,
) -> str:
    """Drop parts of a URL: credentials, a default port, the fragment, or all but the origin.

    Used for Referer headers and logs, where credentials and fragments must not leak.
    """
    parts = urlparse(url)
    netloc = parts.netloc
    if (strip_credentials or origin_only) and (parts.username or parts.password):
        netloc = netloc.rpartition("@")[2]
    if strip_default_port and parts.port and (parts.scheme, parts.port) in _DEFAULT_PORTS:
        netloc = netloc.removesuffix(f":{parts.port}")
    return urlunparse(
        (
            parts.scheme,
            netloc,
            "/" if origin_only else parts.path,
            "" if origin_only else parts.params,
            "" if origin_only else parts.query,
            "" if strip_fragment else parts.fragment,
        )
    )


def escape_ajax(url: str) -> str:
    """Turn an AJAX-crawlable URL (``#!state``) into its ``_escaped_fragment_`` form.

    Kept for projects written against older Scrapy versions.
    """
    base, fragment = urldefrag(url)
    if not fragment.startswith("!"):
        return url
    return add_or_replace_parameter(base, "_escaped_fragment_", fragment[1:])
