"""``check [-l] [-v] [spider ...]``: run the spiders' contracts through a real crawl.

Each spider with contracts is crawled with its sample requests as the only start
requests; the checks are reported unittest-style on stderr, and any failure or error
makes the command exit with 1.
"""

from __future__ import annotations

import argparse
import time
from typing import Any, ClassVar

from ascrapy.cli.base import (
    ScrapyCommand,
    add_spider_arguments_option,
    parse_spider_arguments,
    spidercls_starting_with,
)
from ascrapy.settings import SETTINGS_PRIORITIES
from ascrapy.utils.conf import build_component_list
from ascrapy.utils.misc import load_object, set_environ

# Callbacks under contract return nothing, so item pipelines and feeds would only open
# for nothing (an empty feed file). Turned off above spider settings and below the
# command line, where they can still be turned back on.
_NO_ITEM_OUTPUT_PRIORITY = (SETTINGS_PRIORITIES["spider"] + SETTINGS_PRIORITIES["cmdline"]) // 2


def __getattr__(name: str) -> Any:
    """unittest and the contracts machinery are imported when the command runs, not each
    time the command line lists its commands (any crawl does); tests patch these names."""
    value: Any
    if name == "ContractsManager":
        from ascrapy.contracts import ContractsManager as value
    elif name == "TextTestRunner":
        from unittest import TextTestRunner as value
    elif name == "TextTestResult":
        from ascrapy.contracts.report import TextTestResult as value
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def _lazy(name: str) -> Any:
    """This module's attribute ``name``: a patched or already imported one, else imported."""
    return globals()[name] if name in globals() else __getattr__(name)


class Command(ScrapyCommand):
    requires_project = True
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[options] <spider>"

    def short_desc(self) -> str:
        return "Check spider contracts"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "-l", "--list", dest="list", action="store_true", help="only list contracts, without checking them"
        )
        parser.add_argument(
            "-v",
            "--verbose",
            dest="verbose",
            default=False,
            action="store_true",
            help="print contract tests for all spiders",
        )
        add_spider_arguments_option(parser)

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        parse_spider_arguments(opts)
        assert self.settings is not None
        self.settings.set("ITEM_PIPELINES", {}, priority=_NO_ITEM_OUTPUT_PRIORITY)
        self.settings.set("FEEDS", {}, priority=_NO_ITEM_OUTPUT_PRIORITY)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        contract_paths = build_component_list(
            self.settings.get_component_priority_dict_with_base("SPIDER_CONTRACTS")
        )
        conman = _lazy("ContractsManager")(load_object(path) for path in contract_paths)
        runner = _lazy("TextTestRunner")(verbosity=2 if opts.verbose else 1)
        result = _lazy("TextTestResult")(runner.stream, runner.descriptions, runner.verbosity)
        tested: dict[str, list[str]] = {}

        with set_environ(SCRAPY_CHECK="true"):
            for spider_name in args or self.crawler_process.spider_loader.list():
                spidercls = self._load_spider(spider_name)
                if spidercls is None:
                    return
                methods = conman.tested_methods_from_spidercls(spidercls)
                if not methods:
                    continue
                if opts.list:
                    tested.setdefault(spidercls.name, []).extend(methods)
                else:
                    checking = spidercls_starting_with(spidercls, lambda spider: conman.from_spider(spider, result))
                    self.crawler_process.crawl(checking, **opts.spargs)

            if opts.list:
                for spider, methods in sorted(tested.items()):
                    print("\n".join([spider, *(f"  * {method}" for method in sorted(methods))]))
                return
            started = time.monotonic()
            self.crawler_process.start()
            stopped = time.monotonic()

        result.printErrors()
        result.printSummary(started, stopped)
        self.exitcode = int(not result.wasSuccessful() or bool(self.crawler_process.bootstrap_failed))
