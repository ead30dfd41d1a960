"""scrapy.http.cookies: Scrapy's names, from ascrapy.http.cookies."""

from ascrapy.http.cookies import (
    CookieJar,
    IPV4_RE,
    WrappedRequest,
    WrappedResponse,
    potential_domain_matches,
)
