"""``fetch URL``: download one URL through the full downloader stack, print the body."""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

from w3lib.url import is_url

from ascrapy.cli.base import ScrapyCommand
from ascrapy.exceptions import UsageError
from ascrapy.utils.spider import DefaultSpider, spidercls_for_request


class AllStatusesExcept:
    """A container holding every value except those of ``excluded``.

    As ``handle_httpstatus_list`` it hands every response to the callback except
    redirects, which the redirect middleware still follows.
    """

    def __init__(self, excluded: range) -> None:
        self.excluded = excluded

    def __contains__(self, value: object) -> bool:
        return value not in self.excluded


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
        parser.add_argument("--spider", dest="spider", help="use this spider")
        parser.add_argument(
            "--headers",
            dest="headers",
            action="store_true",
            help="print response HTTP headers instead of body",
        )
        parser.add_argument(
            "--no-redirect",
            dest="no_redirect",
            action="store_true",
            default=False,
            help="do not handle HTTP 3xx status codes and print response as-is",
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
        from ascrapy.http import Request

        if len(args) != 1 or not is_url(args[0]):
            raise UsageError
        request = Request(args[0], callback=self._print_response, cb_kwargs={"opts": opts}, dont_filter=True)
        if opts.no_redirect:
            request.meta["handle_httpstatus_all"] = True
        else:
            request.meta["handle_httpstatus_list"] = AllStatusesExcept(range(300, 400))

        loader = self.crawler_process.spider_loader
        if opts.spider:
            try:
                spidercls = loader.load(opts.spider)
            except KeyError as exc:
                self.fail(f"{self.prog_name} fetch: error: {exc.args[0] if exc.args else exc}")
                return
        else:
            spidercls = spidercls_for_request(loader, request, DefaultSpider)

        self.crawler_process.crawl(_spider_fetching(spidercls, request))
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1


def _spider_fetching(spidercls: type, request: Any) -> type:
    """A subclass of ``spidercls`` (same name and settings) whose only start request is ours."""

    async def start(self: Any) -> AsyncIterator[Any]:
        yield request

    def start_requests(self: Any) -> Iterator[Any]:
        yield request

    return type(
        spidercls.__name__,
        (spidercls,),
        {"start": start, "start_requests": start_requests, "__module__": spidercls.__module__},
    )
