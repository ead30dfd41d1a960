"""A request as the cURL command line that sends it (``Request.to_curl``; Scrapy exports
it as scrapy.utils.request.request_to_curl)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ascrapy.http.request.cookies import decoded_cookie, verbose_cookies

if TYPE_CHECKING:
    from ascrapy.http.request import Request

__all__ = ["request_to_curl"]


def request_to_curl(request: Request) -> str:
    """A cURL command line that sends the same method, URL, body, headers and cookies."""
    data = f"--data-raw '{request.body.decode('utf-8')}'" if request.body else ""
    headers = " ".join(
        f"-H '{name.decode()}: {values[0].decode()}'" for name, values in request.headers.items()
    )
    pairs = []
    for cookie in verbose_cookies(request.cookies):
        decoded = decoded_cookie(cookie, request)
        if decoded is not None:
            pairs.append(f"{decoded['name']}={decoded['value']}")
    cookies = f"--cookie '{'; '.join(pairs)}'" if pairs else ""
    command = f"curl -X {request.method} {request.url} {data} {headers} {cookies}"
    return " ".join(command.split())
