"""``check [-l] [-v] [spider ...]``: run the spiders' contracts through a real crawl.

Each spider with contracts is crawled with its sample requests as the only start
requests; the checks are reported unittest-style on stderr, and any failure or error
makes the command exit with 1.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import AsyncIterator
from typing import Any, ClassVar
from unittest import TextTestResult as _TextTestResult
from unittest import TextTestRunner

from ascrapy.cli.base import ScrapyCommand
from ascrapy.contracts import ContractsManager
from ascrapy.exceptions import UsageError
from ascrapy.settings import SETTINGS_PRIORITIES
from ascrapy.utils.conf import arglist_to_dict, build_component_list
from ascrapy.utils.misc import load_object, set_environ

# Callbacks under contract return nothing, so item pipelines and feeds would only open
# for nothing (an empty feed file). Turned off above spider settings and below the
# command line, where they can still be turned back on.
_NO_ITEM_OUTPUT_PRIORITY = (SETTINGS_PRIORITIES["spider"] + SETTINGS_PRIORITIES["cmdline"]) // 2


class TextTestResult(_TextTestResult):
    """unittest's result, with a summary that counts contracts rather than tests."""

    def printSummary(self, start: float, stop: float) -> None:  # noqa: N802 - unittest's style
        write, writeln = self.stream.write, self.stream.writeln
        run = self.testsRun
        writeln(self.separator2)
        writeln(f"Ran {run} contract{'' if run == 1 else 's'} in {stop - start:.3f}s")
        writeln()
        if self.wasSuccessful():
            write("OK")
            write("\n")
            return
        write("FAILED")
        counts = [
            f"{label}={len(outcomes)}"
            for label, outcomes in (("failures", self.failures), ("errors", self.errors))
            if outcomes
        ]
        if counts:
            writeln(f" ({', '.join(counts)})")
        else:
            write("\n")


def _spider_checking(spidercls: type, conman: ContractsManager, result: TextTestResult) -> type:
    """A subclass of ``spidercls`` whose start requests are its contracts' sample requests."""

    async def start(spider: Any) -> AsyncIterator[Any]:
        for request in conman.from_spider(spider, result):
            yield request

    return type(
        spidercls.__name__,
        (spidercls,),
        {"start": start, "__module__": spidercls.__module__, "__qualname__": spidercls.__qualname__},
    )


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
        parser.add_argument(
            "-a",
            dest="spargs",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="set spider argument (may be repeated)",
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        try:
            opts.spargs = arglist_to_dict(opts.spargs)
        except ValueError:
            raise UsageError("Invalid -a value, use -a NAME=VALUE", print_help=False) from None
        assert self.settings is not None
        self.settings.set("ITEM_PIPELINES", {}, priority=_NO_ITEM_OUTPUT_PRIORITY)
        self.settings.set("FEEDS", {}, priority=_NO_ITEM_OUTPUT_PRIORITY)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        contract_paths = build_component_list(
            self.settings.get_component_priority_dict_with_base("SPIDER_CONTRACTS")
        )
        conman = ContractsManager(load_object(path) for path in contract_paths)
        runner = TextTestRunner(verbosity=2 if opts.verbose else 1)
        result = TextTestResult(runner.stream, runner.descriptions, runner.verbosity)
        spider_loader = self.crawler_process.spider_loader
        tested: dict[str, list[str]] = {}

        with set_environ(SCRAPY_CHECK="true"):
            for spider_name in args or spider_loader.list():
                try:
                    spidercls = spider_loader.load(spider_name)
                except KeyError as exc:
                    self.fail(f"{self.prog_name} check: error: {exc.args[0] if exc.args else exc}")
                    return
                methods = conman.tested_methods_from_spidercls(spidercls)
                if opts.list:
                    if methods:
                        tested.setdefault(spidercls.name, []).extend(methods)
                elif methods:
                    self.crawler_process.crawl(_spider_checking(spidercls, conman, result), **opts.spargs)

            if opts.list:
                self._print_list(tested, opts.verbose)
                return
            started = time.monotonic()
            self.crawler_process.start()
            stopped = time.monotonic()

        result.printErrors()
        result.printSummary(started, stopped)
        self.exitcode = int(not result.wasSuccessful() or bool(self.crawler_process.bootstrap_failed))

    @staticmethod
    def _print_list(tested: dict[str, list[str]], verbose: bool) -> None:
        blocks = [
            "\n".join([spider, *(f"  * {method}" for method in sorted(methods))])
            for spider, methods in sorted(tested.items())
            if methods or verbose
        ]
        print("\n".join(blocks))
