"""``shell [url|file]``: the interactive scraping console (see ascrapy.shell).

The crawler's engine lives in an event loop of its own, in a background thread; the
console (or the ``-c`` expression) runs in the main thread and fetches through it.
"""

from __future__ import annotations

import argparse
from typing import Any, ClassVar

from ascrapy.cli.base import ScrapyCommand
from ascrapy.cli.fetch import add_spider_and_redirect_options
from ascrapy.http import Request
from ascrapy.utils.spider import DefaultSpider, spidercls_for_request
from ascrapy.utils.url import guess_scheme


class Command(ScrapyCommand):
    default_settings: ClassVar[dict[str, Any]] = {
        "DUPEFILTER_CLASS": "ascrapy.dupefilters.BaseDupeFilter",
        "LOGSTATS_INTERVAL": 0,
        "REMOTE_CONTROL_ENABLED": False,
    }

    def syntax(self) -> str:
        return "[url|file]"

    def short_desc(self) -> str:
        return "Interactive scraping console"

    def long_desc(self) -> str:
        return (
            "Interactive console for scraping the given url or file. "
            "Use ./file.html syntax or full path for local file."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-c", dest="code", help="evaluate the code in the shell, print the result and exit")
        add_spider_and_redirect_options(parser)

    def update_vars(self, vars: dict[str, Any]) -> None:
        """Override to add or change the objects of the shell's namespace."""

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        url = guess_scheme(args[0]) if args else None  # a local file becomes a file:// URL
        spidercls: Any = DefaultSpider
        if opts.spider:
            spidercls = self._load_spider(opts.spider)
            if spidercls is None:
                return
        elif url:
            spidercls = spidercls_for_request(
                self.crawler_process.spider_loader, Request(url), spidercls, log_multiple=True
            )
        from ascrapy.shell import run_shell  # the console machinery only when asked for

        # the shell drives the engine itself: no crawl runs
        crawler = self.crawler_process.create_crawler(spidercls)
        run_shell(crawler, url, redirect=not opts.no_redirect, code=opts.code, update_vars=self.update_vars)
