"""``parse URL``: fetch a URL with its spider, run a callback, print what it produced.

The items and requests of each depth level are collected; with ``-d N`` the requests of
one level are followed (with their own callbacks) down to level N. Items go to the item
pipelines only with ``--pipelines``, and to feeds only with ``-o``/``-O``.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import json
import logging
import sys
from collections.abc import Callable
from pprint import pformat
from typing import TYPE_CHECKING, Any

from w3lib.url import is_url

from ascrapy.cli.base import BaseRunSpiderCommand, spidercls_starting_with
from ascrapy.exceptions import DropItem, UsageError
from ascrapy.http import Request
from ascrapy.utils.misc import arg_to_iter
from ascrapy.utils.spider import spidercls_for_request

if TYPE_CHECKING:
    from ascrapy.crawler import Crawler

logger = logging.getLogger("scrapy.commands.parse")


def _print_pretty(obj: Any, colorize: bool) -> None:
    """Print ``obj`` pretty-formatted, highlighted when stdout is a terminal and Pygments is installed."""
    text = pformat(obj)
    if colorize and sys.stdout.isatty():
        try:
            from pygments import highlight
            from pygments.formatters import TerminalFormatter
            from pygments.lexers import PythonLexer
        except ImportError:
            pass
        else:
            text = highlight(text, PythonLexer(), TerminalFormatter()).rstrip("\n")
    print(text)


def _json_option(value: str | None, message: str) -> Any:
    if not value:
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise UsageError(message, print_help=False) from None


class Command(BaseRunSpiderCommand):
    requires_project = True

    spider: Any = None
    spidercls: Any = None
    first_response: Any = None

    def __init__(self) -> None:
        super().__init__()
        # depth level -> what the callbacks of that level produced
        self.items: dict[int, list[Any]] = {}
        self.requests: dict[int, list[Request]] = {}
        self.pcrawler: Crawler | None = None

    def syntax(self) -> str:
        return "[options] <url>"

    def short_desc(self) -> str:
        return "Parse URL (using its spider) and print the results"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--spider", dest="spider", default=None, help="use this spider without looking for one")
        parser.add_argument("--pipelines", action="store_true", help="process items through pipelines")
        parser.add_argument(
            "--nolinks", dest="nolinks", action="store_true", help="don't show links to follow (extracted requests)"
        )
        parser.add_argument("--noitems", dest="noitems", action="store_true", help="don't show scraped items")
        parser.add_argument(
            "--nocolour", dest="nocolour", action="store_true", help="avoid using pygments to colorize the output"
        )
        parser.add_argument(
            "-r", "--rules", dest="rules", action="store_true", help="use CrawlSpider rules to discover the callback"
        )
        parser.add_argument(
            "-c",
            "--callback",
            dest="callback",
            help="use this callback for parsing, instead looking for a callback",
        )
        parser.add_argument(
            "-m",
            "--meta",
            dest="meta",
            help="inject extra meta into the Request, it must be a valid raw json string",
        )
        parser.add_argument(
            "--cbkwargs",
            dest="cbkwargs",
            help="inject extra callback kwargs into the Request, it must be a valid raw json string",
        )
        parser.add_argument(
            "-d",
            "--depth",
            dest="depth",
            type=int,
            default=1,
            help="maximum depth for parsing requests [default: %(default)s]",
        )
        parser.add_argument(
            "-v", "--verbose", dest="verbose", action="store_true", help="print each depth level one by one"
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        self.process_request_meta(opts)
        self.process_request_cb_kwargs(opts)

    def process_request_meta(self, opts: argparse.Namespace) -> None:
        opts.meta = _json_option(
            opts.meta,
            "Invalid -m/--meta value, pass a valid json string to -m or --meta. "
            "Example: --meta='{\"foo\" : \"bar\"}'",
        )

    def process_request_cb_kwargs(self, opts: argparse.Namespace) -> None:
        opts.cbkwargs = _json_option(
            opts.cbkwargs,
            "Invalid --cbkwargs value, pass a valid json string to --cbkwargs. "
            "Example: --cbkwargs='{\"foo\" : \"bar\"}'",
        )

    # -- results ----------------------------------------------------------------------------

    @property
    def max_level(self) -> int:
        return max([*self.items, *self.requests, 0])

    def add_items(self, lvl: int, new_items: list[Any]) -> None:
        self.items[lvl] = self.items.get(lvl, []) + new_items

    def add_requests(self, lvl: int, new_reqs: list[Request]) -> None:
        self.requests[lvl] = self.requests.get(lvl, []) + new_reqs

    def print_items(self, lvl: int | None = None, colour: bool = True) -> None:
        from itemadapter import (
            ItemAdapter,  # a noticeable import: only for this command
        )

        if lvl is None:
            items = [item for level_items in self.items.values() for item in level_items]
        else:
            items = self.items.get(lvl, [])
        print("# Scraped Items ", "-" * 60)
        _print_pretty([ItemAdapter(item).asdict() for item in items], colorize=colour)

    def print_requests(self, lvl: int | None = None, colour: bool = True) -> None:
        """The requests of level ``lvl``; by default those of the deepest level (the unfollowed ones)."""
        if lvl is None:
            lvl = max(self.requests, default=0)
        print("# Requests ", "-" * 65)
        _print_pretty(self.requests.get(lvl, []), colorize=colour)

    def print_results(self, opts: argparse.Namespace) -> None:
        colour = not opts.nocolour
        if opts.verbose:
            for level in range(1, self.max_level + 1):
                print(f"\n>>> DEPTH LEVEL: {level} <<<")
                if not opts.noitems:
                    self.print_items(level, colour)
                if not opts.nolinks:
                    self.print_requests(level, colour)
        else:
            print(f"\n>>> STATUS DEPTH LEVEL {self.max_level} <<<")
            if not opts.noitems:
                self.print_items(colour=colour)
            if not opts.nolinks:
                self.print_requests(colour=colour)

    # -- choosing the spider and the callback --------------------------------------------------

    def set_spidercls(self, url: str, opts: argparse.Namespace) -> None:
        """The spider to parse with: --spider, else the one for the URL; its only start request is ``url``."""
        spider_loader = self.crawler_process.spider_loader
        spidercls = None
        if opts.spider:
            try:
                spidercls = spider_loader.load(opts.spider)
            except KeyError:
                logger.error("Unable to find spider: %(spider)s", {"spider": opts.spider})
        else:
            spidercls = spidercls_for_request(spider_loader, Request(url))
            if not spidercls:
                logger.error("Unable to find spider for: %(url)s", {"url": url})
        if spidercls:
            self.spidercls = spidercls_starting_with(
                spidercls, lambda spider: [self.prepare_request(spider, Request(url), opts)]
            )

    def get_callback_from_rules(self, spider: Any, response: Any) -> Callable[..., Any] | str | None:
        rules = getattr(spider, "rules", None)
        if not rules:
            logger.error(
                "No CrawlSpider rules found in spider %(spider)r, please specify a callback to use for parsing",
                {"spider": spider.name},
            )
            return None
        for rule in rules:
            if rule.link_extractor.matches(response.url):
                return rule.callback or "parse"
        return None

    def _get_callback(self, *, spider: Any, opts: argparse.Namespace, response: Any = None) -> Callable[..., Any]:
        """The callback for ``response``: its request's own, else -c, else a matching rule (-r), else parse."""
        callback: Any = response.meta.get("_callback") if response is not None else None
        if not callback:
            if opts.callback:
                callback = opts.callback
            elif response is not None and opts.rules and response is self.first_response:
                callback = self.get_callback_from_rules(spider, response)
                if not callback:
                    raise ValueError(f"Cannot find a rule that matches {response.url!r} in spider: {spider.name}")
            else:
                callback = "parse"
        if not callable(callback):
            method = getattr(spider, callback, None)
            if not callable(method):
                raise ValueError(f"Cannot find callback {callback!r} in spider: {spider.name}")
            callback = method
        return callback

    # -- running ---------------------------------------------------------------------------------

    def prepare_request(self, spider: Any, request: Request, opts: argparse.Namespace) -> Request:
        """Give ``request`` the parsing callback, which runs the real one and collects its output."""
        command = self

        async def callback(response: Any, **cb_kwargs: Any) -> list[Any]:
            if command.first_response is None:
                command.first_response = response
            real_callback = command._get_callback(spider=spider, opts=opts, response=response)
            # a request the callback rebuilds from response.request gets the real callback
            response.request.callback = real_callback
            depth: int = response.meta["_depth"]
            output = await command._run_callback(real_callback, response, cb_kwargs)
            items = [element for element in output if not isinstance(element, Request)]
            requests = [element for element in output if isinstance(element, Request)]
            return await command._scraped_data(items, requests, opts, depth, spider, callback)

        if opts.meta:
            request.meta.update(opts.meta)
        if opts.cbkwargs:
            request.cb_kwargs.update(opts.cbkwargs)
        request.meta["_depth"] = 1
        request.meta["_callback"] = request.callback
        if not request.callback and not opts.rules:
            # look like the real callback (name, signature) to middlewares that inspect it
            functools.update_wrapper(callback, self._get_callback(spider=spider, opts=opts))
        request.callback = callback
        return request

    async def _run_callback(
        self, callback: Callable[..., Any], response: Any, cb_kwargs: dict[str, Any]
    ) -> list[Any]:
        output = callback(response, **cb_kwargs)
        if inspect.isawaitable(output):
            output = await output
        if inspect.isasyncgen(output) or hasattr(output, "__aiter__"):
            return await self._drain_async(output)
        return list(arg_to_iter(output))

    async def _drain_async(self, output: Any) -> list[Any]:
        """Everything an async iterable yields until it ends or fails (the failure is logged)."""
        collected: list[Any] = []
        try:
            async for element in output:
                collected.append(element)
        except Exception:
            logger.error("An error is caught while iterating the async iterable", exc_info=True)
        return collected

    async def _scraped_data(
        self,
        items: list[Any],
        requests: list[Request],
        opts: argparse.Namespace,
        depth: int,
        spider: Any,
        callback: Callable[..., Any],
    ) -> list[Any]:
        """Record one level's output; return what the crawl should go on with."""
        if opts.pipelines:
            await self._process_items(items, spider)
        self.add_items(depth, items)
        self.add_requests(depth, requests)
        # items flow on to the feeds only when there are some (-o or -O)
        scraped: list[Any] = list(items) if opts.output or opts.overwrite_output else []
        if depth < opts.depth:
            for request in requests:
                request.meta["_depth"] = depth + 1
                request.meta["_callback"] = request.callback
                request.callback = callback
            scraped.extend(requests)
        return scraped

    async def _process_items(self, items: list[Any], spider: Any) -> None:
        assert self.pcrawler is not None  # items come from its crawl
        itemproc = self.pcrawler.engine.scraper.itemproc
        for item in items:
            try:
                if hasattr(itemproc, "process_item_async"):
                    await itemproc.process_item_async(item)
                else:
                    result = itemproc.process_item(item, spider)
                    if inspect.isawaitable(result):
                        await result
            except DropItem:
                continue
            except Exception:
                logger.error("Error processing %(item)s", {"item": item}, exc_info=True)

    def start_parsing(self, url: str, opts: argparse.Namespace) -> None:
        self.pcrawler = self._create_crawler(self.spidercls)
        self._crawl_and_start(self.pcrawler, **opts.spargs)
        if not self.first_response:
            logger.error("No response downloaded for: %(url)s", {"url": url})

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or not is_url(args[0]):
            raise UsageError
        url = args[0]
        self.set_spidercls(url, opts)
        if self.spidercls and opts.depth > 0:
            self.start_parsing(url, opts)
            self.print_results(opts)
