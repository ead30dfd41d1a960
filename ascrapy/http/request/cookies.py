"""A request's ``cookies`` argument read as text: what the cookies middleware sends and
what ``Request.to_curl`` writes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ascrapy.http.request import CookiesT, Request, VerboseCookie

__all__ = ["decoded_cookie", "verbose_cookies"]

logger = logging.getLogger("scrapy.utils.request")


def verbose_cookies(cookies: CookiesT) -> list[VerboseCookie]:
    """``request.cookies`` as a list of dicts with name and value (and maybe more)."""
    if isinstance(cookies, dict):
        return [{"name": name, "value": value} for name, value in cookies.items()]
    return cookies


def decoded_cookie(cookie: VerboseCookie, request: Request) -> dict[str, str] | None:
    """name, value, path and domain of a cookie as text; None if name or value is missing."""
    decoded: dict[str, str] = {}
    for key in ("name", "value", "path", "domain"):
        value = cookie.get(key)
        if value is None:
            if key in ("name", "value"):
                logger.warning(f"Invalid cookie found in request {request}: {cookie} ('{key}' is missing)")
                return None
            continue
        if isinstance(value, bytes):
            try:
                decoded[key] = value.decode("utf8")
            except UnicodeDecodeError:
                logger.warning(f"Non UTF-8 encoded cookie found in request {request}: {cookie}")
                decoded[key] = value.decode("latin1", errors="replace")
        else:
            decoded[key] = str(value)
    return decoded
