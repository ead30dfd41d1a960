"""Turn a cURL command line into Request keyword arguments (scrapy.utils.curl).

Used by ``Request.from_curl``: browsers' "copy as cURL" output becomes a request.
"""

from __future__ import annotations

import argparse
import shlex
import warnings
from collections.abc import Sequence
from http.cookies import SimpleCookie
from typing import Any, NoReturn
from urllib.parse import urlparse

from w3lib.http import basic_auth_header

__all__ = ["CurlParser", "curl_parser", "curl_to_request_kwargs"]


class DataAction(argparse.Action):
    """Collect ``-d``/``--data``/``--data-raw`` values the way curl does.

    A leading ``$`` (left over from bash's ``$'...'`` quoting) is dropped, and repeated
    options are joined with ``&`` into one body.
    """

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        value = str(values).removeprefix("$")
        earlier = getattr(namespace, self.dest, None)
        setattr(namespace, self.dest, value if earlier is None else f"{earlier}&{value}")


class CurlParser(argparse.ArgumentParser):
    """An argument parser that raises ValueError instead of exiting the process."""

    def error(self, message: str) -> NoReturn:
        raise ValueError(f"There was an error parsing the curl command: {message}")


# Options that change nothing for a Scrapy request: output verbosity, and
# --compressed, which HttpCompressionMiddleware covers by default.
safe_to_ignore_arguments: list[list[str]] = [
    ["--compressed"],
    ["-s", "--silent"],
    ["-v", "--verbose"],
    ["-#", "--progress-bar"],
]


def _build_parser() -> CurlParser:
    parser = CurlParser()
    parser.add_argument("url")
    parser.add_argument("-H", "--header", dest="headers", action="append")
    parser.add_argument("-X", "--request", dest="method")
    parser.add_argument("-b", "--cookie", dest="cookies", action="append")
    parser.add_argument("-d", "--data", "--data-raw", dest="data", action=DataAction)
    parser.add_argument("-u", "--user", dest="auth")
    for flags in safe_to_ignore_arguments:
        parser.add_argument(*flags, action="store_true")
    return parser


curl_parser = _build_parser()


def _cookie_pairs(text: str) -> dict[str, str]:
    return {name: morsel.value for name, morsel in SimpleCookie(text).items()}


def _headers_and_cookies(args: argparse.Namespace) -> tuple[list[tuple[str, Any]], dict[str, str]]:
    """Headers in command order (Cookie headers become cookies), then -b cookies, then -u."""
    headers: list[tuple[str, Any]] = []
    cookies: dict[str, str] = {}
    for header in args.headers or ():
        name, _, value = header.partition(":")
        name, value = name.strip(), value.strip()
        if name.title() == "Cookie":
            cookies.update(_cookie_pairs(value))
        else:
            headers.append((name, value))
    for cookie in args.cookies or ():
        # Without "=", curl reads the value as a cookie file name: not supported here.
        if "=" in cookie:
            cookies.update(_cookie_pairs(cookie))
    if args.auth:
        user, _, password = args.auth.partition(":")
        headers.append(("Authorization", basic_auth_header(user, password)))
    return headers, cookies


def curl_to_request_kwargs(curl_command: str, ignore_unknown_options: bool = True) -> dict[str, Any]:
    """The ``Request`` keyword arguments (method, url, headers, cookies, body) of a cURL command.

    Unknown options are reported with a warning, or raise ValueError when
    ``ignore_unknown_options`` is false.
    """
    words = shlex.split(curl_command)
    if not words or words[0] != "curl":
        raise ValueError('A curl command must start with "curl"')

    args, unknown = curl_parser.parse_known_args(words[1:])
    if unknown:
        message = f"Unrecognized options: {', '.join(unknown)}"
        if not ignore_unknown_options:
            raise ValueError(message)
        warnings.warn(message, stacklevel=2)

    url = args.url
    if not urlparse(url).scheme:
        url = "http://" + url  # curl's default; Request needs a scheme
    result: dict[str, Any] = {"method": (args.method or "GET").upper(), "url": url}

    headers, cookies = _headers_and_cookies(args)
    if headers:
        result["headers"] = headers
    if cookies:
        result["cookies"] = cookies
    if args.data:
        result["body"] = args.data
        if not args.method:
            result["method"] = "POST"  # curl posts data unless told otherwise
    return result
