"""The command base classes: global options, spider-run options, the help layout.

Each module of ``ascrapy.cli`` (and of a project's COMMANDS_MODULE) defines one command
class; its module name is the command name.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ascrapy import signals
from ascrapy.cli.exit_codes import FAILURE_REASONS, ExitCode, strict_verdict
from ascrapy.exceptions import ScrapyDeprecationWarning, UsageError
from ascrapy.settings.environment import setting_value_from_text
from ascrapy.version import SCRAPY_VERSION, __version__

if TYPE_CHECKING:
    from ascrapy.crawler import Crawler
    from ascrapy.settings import Settings

logger = logging.getLogger("scrapy.commands")


def parse_setting_assignments(assignments: Iterable[str]) -> dict[str, Any]:
    """``["NAME=VALUE", ...]`` from ``-s`` into a dict; JSON objects and arrays are decoded.

    Anything else stays a string, which the Settings getters convert on read.
    Raises ValueError for an item without ``=``.
    """
    parsed: dict[str, Any] = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep:
            raise ValueError(f"not NAME=VALUE: {assignment!r}")
        parsed[name] = setting_value_from_text(value)
    return parsed


def import_package(prog: str) -> str:
    """The package that projects and spiders made by the command import: ``scrapy`` when run
    as the compat ``scrapy`` command (so the project can go back to Scrapy), else ``ascrapy``."""
    return "scrapy" if prog == "scrapy" else "ascrapy"


def product_label(prog: str) -> str:
    """How banners name the tool: Scrapy's name when run as the compat ``scrapy`` command."""
    return "Scrapy" if prog == "scrapy" else "ascrapy"


def product_version(prog: str) -> str:
    """The tool's name and version as banners print them: as ``scrapy``, the Scrapy API level
    exactly as Scrapy prints its own (``Scrapy 2.19.0``: scripts parse it)."""
    return f"{product_label(prog)} {SCRAPY_VERSION if prog == 'scrapy' else __version__}"


class _PdbHandler(logging.Handler):
    """Opens a post-mortem debugger for every logged record that carries a traceback."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[2] is not None:
            import pdb

            pdb.post_mortem(record.exc_info[2])


class ScrapyCommand(ABC):
    """A command-line command; subclasses give short_desc() and run()."""

    requires_project: bool = False
    requires_crawler_process: bool = True
    crawler_process: Any = None  # set by the command line before run()
    # settings the command applies at 'command' priority, over the defaults
    default_settings: ClassVar[dict[str, Any]] = {}
    exitcode: int = 0
    # the program name as typed (ascrapy or scrapy), for messages
    prog_name: str = "ascrapy"
    processes: int = 1  # --processes: worker processes of the crawl (see ascrapy.cli.workers)

    def __init__(self) -> None:
        self.settings: Settings | None = None  # set by the command line before add_options()
        # the command's arguments as typed, the command name first (workers are started with them)
        self.argv: list[str] = []
        if type(self).help is not ScrapyCommand.help:
            warnings.warn(
                "The ScrapyCommand.help() method is deprecated and overriding it, as the "
                f"{type(self).__module__}.{type(self).__qualname__} class does, has no "
                "effect; override long_desc() instead.",
                ScrapyDeprecationWarning,
                stacklevel=2,
            )

    def syntax(self) -> str:
        """Arguments shown after the command name in the usage line."""
        return ""

    @abstractmethod
    def short_desc(self) -> str:
        """One line for the command list."""
        return ""

    def long_desc(self) -> str:
        """Description shown by ``-h``; argparse rewraps it, so no newlines."""
        return self.short_desc()

    def help(self) -> str:
        warnings.warn(
            "ScrapyCommand.help() is deprecated, use long_desc() instead.",
            ScrapyDeprecationWarning,
            stacklevel=2,
        )
        return self.long_desc()

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        """Add the options every command accepts; subclasses add theirs after calling this."""
        assert self.settings is not None
        group = parser.add_argument_group(title="Global Options")
        group.add_argument("--logfile", metavar="FILE", help="log file. if omitted stderr will be used")
        group.add_argument(
            "-L",
            "--loglevel",
            metavar="LEVEL",
            default=None,
            help=f"log level (default: {self.settings.get('LOG_LEVEL')})",
        )
        group.add_argument("--nolog", action="store_true", help="disable logging completely")
        group.add_argument(
            "--profile", metavar="FILE", default=None, help="write python cProfile stats to FILE"
        )
        group.add_argument("--pidfile", metavar="FILE", help="write process ID to FILE")
        group.add_argument(
            "-s",
            "--set",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="set/override setting (may be repeated)",
        )
        group.add_argument(
            "--pdb", action="store_true", help="enable pdb on failure (uses ipdb if installed)"
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """Apply the global options to the settings, at 'cmdline' priority."""
        assert self.settings is not None
        try:
            overrides = parse_setting_assignments(opts.set)
        except ValueError:
            raise UsageError("Invalid -s value, use -s NAME=VALUE", print_help=False) from None
        self.settings.setdict(overrides, priority="cmdline")
        if opts.logfile:
            self.settings.set("LOG_ENABLED", True, priority="cmdline")
            self.settings.set("LOG_FILE", opts.logfile, priority="cmdline")
        if opts.loglevel:
            self.settings.set("LOG_ENABLED", True, priority="cmdline")
            self.settings.set("LOG_LEVEL", opts.loglevel, priority="cmdline")
        if opts.nolog:
            self.settings.set("LOG_ENABLED", False, priority="cmdline")
        if opts.pidfile:
            Path(opts.pidfile).write_text(f"{os.getpid()}{os.linesep}", encoding="utf-8")
        if opts.pdb:
            _use_ipdb_if_installed()
            logging.root.addHandler(_PdbHandler(level=logging.ERROR))

    @abstractmethod
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Do the command's work; set ``self.exitcode`` for a non-zero exit."""
        raise NotImplementedError

    def fail(self, message: str) -> None:
        """Report an error on stderr in one line and make the command exit with 1."""
        sys.stderr.write(f"{message}{os.linesep}")
        self.exitcode = 1

    def fail_with_error(self, message: str) -> None:
        """:meth:`fail` with argparse's shape: ``PROG COMMAND: error: MESSAGE``."""
        self.fail(f"{self.prog_name} {command_name(type(self))}: error: {message}")

    def _load_spider(self, name: str) -> Any:
        """The spider class called ``name``; None, reported as an error, when there is none."""
        assert self.crawler_process is not None
        try:
            return self.crawler_process.spider_loader.load(name)
        except KeyError as exc:
            self.fail_with_error(str(exc.args[0]) if exc.args else str(exc))
            return None

    def _crawl_and_start(self, crawler_or_spidercls: Any, **spider_kwargs: Any) -> None:
        """Run one crawl to its end; the command exits with 1 when the crawl could not start
        and, with STRICT_EXIT, with the code its outcome calls for (ascrapy.cli.exit_codes)."""
        from ascrapy.crawler import Crawler

        if self.processes > 1:  # the workers run the crawl; this process waits for them
            from ascrapy.cli.workers import check_workers, run_workers

            assert self.settings is not None
            check_workers(self.processes, self.settings)
            self.exitcode = run_workers(self.processes, self.argv, self.prog_name)
            return
        process = self.crawler_process
        assert process is not None
        crawler = crawler_or_spidercls
        if not isinstance(crawler, Crawler):
            crawler = process.create_crawler(crawler_or_spidercls)
        process.crawl(crawler, **spider_kwargs)
        process.start()
        if process.bootstrap_failed:
            self.exitcode = ExitCode.START_FAILED
        elif (stats := getattr(crawler, "stats", None)) is None:
            pass  # the crawl never started
        elif stats.get_value("finish_reason") in FAILURE_REASONS:
            self.exitcode = ExitCode.CRAWL_FAILED  # in both modes: the crawl could not go on
        elif crawler.settings.getbool("STRICT_EXIT"):
            verdict = strict_verdict(stats.get_stats(), getattr(process, "stopped_by", None))
            if verdict.code != ExitCode.OK:
                logger.warning(
                    "Exiting with code %(code)d (%(name)s, STRICT_EXIT): %(reason)s",
                    {"code": verdict.code, "name": verdict.code.name, "reason": verdict.reason},
                )
            self.exitcode = int(verdict.code)


def command_name(command_cls: type) -> str:
    """A command's name: the last part of its module's name."""
    return command_cls.__module__.rpartition(".")[2]


def spidercls_starting_with(spidercls: type, start_requests: Callable[[Any], Iterable[Any]]) -> type:
    """A subclass of ``spidercls`` (same name, settings and callbacks) whose start yields
    ``start_requests(spider)`` and nothing else."""

    async def start(spider: Any) -> AsyncIterator[Any]:
        for request in start_requests(spider):
            yield request

    return type(
        spidercls.__name__,
        (spidercls,),
        {"start": start, "__module__": spidercls.__module__, "__qualname__": spidercls.__qualname__},
    )


def add_spider_arguments_option(parser: argparse.ArgumentParser) -> None:
    """``-a NAME=VALUE``, the spider arguments; :func:`parse_spider_arguments` reads them."""
    parser.add_argument(
        "-a",
        dest="spargs",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set spider argument (may be repeated)",
    )


def parse_spider_arguments(opts: argparse.Namespace) -> None:
    """Turn ``opts.spargs`` into a dict; a value without ``=`` is a usage error."""
    from ascrapy.utils.conf import arglist_to_dict

    try:
        opts.spargs = arglist_to_dict(opts.spargs)
    except ValueError:
        raise UsageError("Invalid -a value, use -a NAME=VALUE", print_help=False) from None


def _use_ipdb_if_installed() -> None:
    try:
        import ipdb
    except ImportError:
        return
    sys.modules["pdb"] = ipdb


class BaseRunSpiderCommand(ScrapyCommand):
    """Options shared by the commands that run a spider: -a, -o, -O, -t."""

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_spider_arguments_option(parser)
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            action="append",
            help="append scraped items to the end of FILE (use - for stdout), to define "
            "format set a colon at the end of the output URI (i.e. -o FILE:FORMAT)",
        )
        parser.add_argument(
            "-O",
            "--overwrite-output",
            metavar="FILE",
            action="append",
            help="dump scraped items into FILE, overwriting any existing file, to define "
            "format set a colon at the end of the output URI (i.e. -O FILE:FORMAT)",
        )
        parser.add_argument(
            "-t",
            "--output-format",
            metavar="FORMAT",
            help="format to use for dumping items (deprecated: use -o FILE:FORMAT)",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            metavar="N",
            help="run N worker processes on the shared frontier (SCHEDULER = 'ascrapy.redis.Scheduler')",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="exit non-zero when the crawl ends with errors or early (sets STRICT_EXIT)",
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        from ascrapy.utils.conf import feed_process_params_from_cli

        parse_spider_arguments(opts)
        if opts.strict:
            assert self.settings is not None
            self.settings.set("STRICT_EXIT", True, priority="cmdline")
        self.processes = opts.processes
        output, overwrite = opts.output or [], opts.overwrite_output or []
        if opts.output_format:
            output, overwrite = self._apply_output_format(opts.output_format, output, overwrite)
        if output or overwrite:
            assert self.settings is not None
            feeds = feed_process_params_from_cli(self.settings, output, overwrite_output=overwrite)
            self.settings.set("FEEDS", feeds, priority="cmdline")

    @staticmethod
    def _apply_output_format(
        output_format: str, output: list[str], overwrite: list[str]
    ) -> tuple[list[str], list[str]]:
        """Give ``-t FORMAT`` to every output URI that does not name its format itself."""
        if not (output or overwrite):
            raise UsageError("-t/--output-format requires -o/--output or -O/--overwrite-output")
        warnings.warn(
            "The -t/--output-format option is deprecated, set the format after a colon at "
            "the end of the output URI (-o FILE:FORMAT) instead.",
            ScrapyDeprecationWarning,
            stacklevel=2,
        )

        def with_format(uri: str) -> str:
            return uri if uri.rsplit(":", 1)[-1] == output_format else f"{uri}:{output_format}"

        return [with_format(u) for u in output], [with_format(u) for u in overwrite]

    def _create_crawler(self, spidercls: Any) -> Crawler:
        """A crawler from the crawler process that warns when -o/-O cannot take effect."""
        assert self.crawler_process is not None
        crawler = self.crawler_process.create_crawler(spidercls)

        def warn_if_feeds_unused(**kwargs: Any) -> None:
            _warn_if_feeds_unused(crawler)

        crawler.signals.connect(warn_if_feeds_unused, signal=signals.engine_started, weak=False)
        return crawler


def _warn_if_feeds_unused(crawler: Crawler) -> None:
    if not crawler.settings.getdict("FEEDS"):
        return
    from ascrapy.extensions.feedexport import FeedExporter

    if crawler.get_extension(FeedExporter) is None:
        logger.warning(
            "The FeedExporter extension is not enabled, so no item will be exported to the "
            "configured feeds (FEEDS, -o, -O)."
        )


class ScrapyArgumentParser(argparse.ArgumentParser):
    """Lets ``-o -:json`` mean "stdout as JSON" instead of reading ``-:json`` as an option."""

    def _parse_optional(self, arg_string: str) -> Any:
        if arg_string.startswith("-:"):
            return None
        return super()._parse_optional(arg_string)


class ScrapyHelpFormatter(argparse.HelpFormatter):
    """Help with reStructuredText-like headings: ``Usage`` over ``=====``."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        super().__init__(
            prog, indent_increment=indent_increment, max_help_position=max_help_position, width=width
        )

    def _join_parts(self, part_strings: Iterable[str]) -> str:
        return super()._join_parts(self.format_part_strings(list(part_strings)))

    def format_part_strings(self, part_strings: list[str]) -> list[str]:
        """Turn ``usage:`` and ``Section:`` headings into titled, underlined ones."""
        parts = list(part_strings)
        if parts and parts[0].startswith("usage: "):
            parts[0] = "Usage\n=====\n  " + parts[0][len("usage: ") :]
        result: list[str] = []
        for part in parts:
            if part.endswith(":\n"):
                title = part[: -len(":\n")].title()
                rule = "-" if "Global Options" in part else "="
                result.extend([title, f"\n{rule * len(title)}\n"])
            else:
                result.append(part)
        return result


# The name Scrapy projects import; ``Command`` is the conventional name in ascrapy code.
Command = ScrapyCommand
