"""``fetch URL``: download one URL through the full downloader stack, print the body."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any

from w3lib.url import is_url

from ascrapy.cli.base import ScrapyCommand, spidercls_starting_with
from ascrapy.exceptions import UsageError
from ascrapy.http import Request
from ascrapy.utils.datatypes import SequenceExclude
from ascrapy.utils.spider import DefaultSpider, spidercls_for_request


def add_spider_and_redirect_options(parser: argparse.ArgumentParser) -> None:
    """``--spider`` and ``--no-redirect``, which fetch, view and shell share."""
    parser.add_argument("--spider", dest="spider", help="use this spider")
    parser.add_argument(
        "--no-redirect",
        dest="no_redirect",
        action="store_true",
        default=False,
        help="do not handle HTTP 3xx status codes and print response as-is",
    )


def _as_bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("latin-1")


def _header_lines(headers: Any, prefix: bytes) -> Iterator[bytes]:
    for key, values in headers.items():
        if not isinstance(values, (list, tuple)):
            values = [values]
        for value in values:
            yield prefix + b" " + _as_bytes(key) + b": " + _as_bytes(value)


class Command(ScrapyCommand):
    def syntax(self) -> str:
        return "[options] <url>"

    def short_desc(self) -> str:
        return "Fetch a URL using the ascrapy downloader"

    def long_desc(self) -> str:
        return (
            "Fetch a URL using the ascrapy downloader and print its content to stdout. "
            "You may want to use --nolog to disable logging"
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_spider_and_redirect_options(parser)
        parser.add_argument(
            "--headers",
            dest="headers",
            action="store_true",
            help="print response HTTP headers instead of body",
        )

    def _write_line(self, data: bytes) -> None:
        sys.stdout.buffer.write(data + b"\n")
        sys.stdout.buffer.flush()

    def _print_response(self, response: Any, opts: argparse.Namespace) -> None:
        if not opts.headers:
            self._write_line(response.body)
            return
        for line in _header_lines(response.request.headers, b">"):
            self._write_line(line)
        self._write_line(b">")
        for line in _header_lines(response.headers, b"<"):
            self._write_line(line)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or not is_url(args[0]):
            raise UsageError
        request = Request(args[0], callback=self._print_response, cb_kwargs={"opts": opts}, dont_filter=True)
        if opts.no_redirect:
            request.meta["handle_httpstatus_all"] = True
        else:
            # every response reaches the callback, except redirects, which are followed
            request.meta["handle_httpstatus_list"] = SequenceExclude(range(300, 400))

        if opts.spider:
            spidercls = self._load_spider(opts.spider)
            if spidercls is None:
                return
        else:
            spidercls = spidercls_for_request(self.crawler_process.spider_loader, request, DefaultSpider)
        self._crawl_and_start(spidercls_starting_with(spidercls, lambda spider: [request]))
