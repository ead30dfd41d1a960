"""The ``ascrapy`` (and compat ``scrapy``) command line: pick a command, parse, run, exit.

Exit codes: 0 on success, 1 when a command fails (a crawl that could not start, a spider
that cannot be found or imported), 2 for usage errors and unknown commands.
"""

from __future__ import annotations

import inspect
import os
import sys
import traceback
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ascrapy.cli.base import (
    ScrapyArgumentParser,
    ScrapyCommand,
    ScrapyHelpFormatter,
    command_name,
    product_version,
)
from ascrapy.exceptions import UsageError
from ascrapy.utils.misc import walk_modules_iter
from ascrapy.utils.project import get_project_settings, inside_project

if TYPE_CHECKING:
    import argparse

    from ascrapy.settings import Settings

BUILTIN_COMMANDS_MODULE = "ascrapy.cli"
ENTRY_POINT_GROUPS = ("ascrapy.commands", "scrapy.commands")


def program_name(argv0: str) -> str:
    """The name the user typed: the script's name, or the package run with ``python -m``."""
    path = Path(argv0)
    if path.suffix == ".py":
        # python -m ascrapy(.cli.main) or, through the compat package, python -m scrapy.cmdline
        return "scrapy" if "scrapy" in path.parent.parts[-1:] else "ascrapy"
    return path.stem or "ascrapy"


def _iter_command_classes(module_name: str) -> Iterator[type[ScrapyCommand]]:
    for module in walk_modules_iter(module_name):
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, ScrapyCommand)
                and obj.__module__ == module.__name__
                and not inspect.isabstract(obj)
            ):
                yield obj


def _get_commands_from_module(module: str, inproject: bool) -> dict[str, ScrapyCommand]:
    commands: dict[str, ScrapyCommand] = {}
    for command_cls in _iter_command_classes(module):
        if inproject or not command_cls.requires_project:
            commands[command_name(command_cls)] = command_cls()
    return commands


def _get_commands_from_entry_points(group: str) -> dict[str, ScrapyCommand]:
    """Installed plugins' commands; unlike built-in ones they are listed inside and outside projects."""
    commands: dict[str, ScrapyCommand] = {}
    for entry_point in entry_points(group=group):
        command_class: type[ScrapyCommand] = entry_point.load()  # a plugin's command, checked here:
        if not inspect.isclass(command_class):
            raise ValueError(f"Invalid entry point {entry_point.name}")
        commands[entry_point.name] = command_class()
    return commands


def _get_commands_dict(settings: Settings, inproject: bool) -> dict[str, ScrapyCommand]:
    """Built-in commands, then installed plugins' entry points, then COMMANDS_MODULE."""
    commands = _get_commands_from_module(BUILTIN_COMMANDS_MODULE, inproject)
    for group in ENTRY_POINT_GROUPS:
        commands.update(_get_commands_from_entry_points(group))
    project_module = settings.get("COMMANDS_MODULE")
    if project_module:
        commands.update(_get_commands_from_module(project_module, inproject))
    return commands


def _get_project_only_cmds(settings: Settings) -> set[str]:
    return set(_get_commands_dict(settings, inproject=True)) - set(
        _get_commands_dict(settings, inproject=False)
    )


def _pop_command_name(argv: list[str]) -> str | None:
    """Remove and return the first argument after the program that is not an option."""
    for index in range(1, len(argv)):
        if not argv[index].startswith("-"):
            return argv.pop(index)
    return None


def _print_header(settings: Settings, inproject: bool, prog: str = "ascrapy") -> None:
    label = product_version(prog)
    if inproject:
        print(f"{label} - active project: {settings.get('BOT_NAME')}\n")
    else:
        print(f"{label} - no active project\n")


def _print_commands(settings: Settings, inproject: bool, prog: str = "ascrapy") -> None:
    _print_header(settings, inproject, prog)
    print(f"Usage:\n  {prog} <command> [options] [args]\n\nAvailable commands:")
    commands = _get_commands_dict(settings, inproject)
    for name, command in sorted(commands.items()):
        print(f"  {name:<13} {command.short_desc()}")
    if not inproject:
        print("\n  [ more ]      More commands available when run from project directory")
    print(f'\nUse "{prog} <command> -h" to see more info about a command')


def _print_unknown_command(settings: Settings, cmdname: str, inproject: bool, prog: str = "ascrapy") -> None:
    _print_header(settings, inproject, prog)
    project_only = _get_project_only_cmds(settings)
    if cmdname in project_only and not inproject:
        print(
            f"The {cmdname} command is not available from this location.\n"
            "These commands are only available from within a project: "
            f"{', '.join(sorted(project_only))}.\n"
        )
    else:
        print(f"Unknown command: {cmdname}\n")
    print(f'Use "{prog}" to see available commands')


def _run_print_help(parser: argparse.ArgumentParser, func: Any, *args: Any, **kwargs: Any) -> None:
    """Call ``func``; a UsageError becomes argparse's error message and exit code 2."""
    try:
        func(*args, **kwargs)
    except UsageError as exc:
        if str(exc):
            parser.error(str(exc))
        if exc.print_help:
            parser.print_help()
        sys.exit(2)


def _run_command(cmd: ScrapyCommand, args: list[str], opts: argparse.Namespace) -> None:
    if opts.profile:
        sys.stderr.write(f"{cmd.prog_name}: writing cProfile stats to {opts.profile!r}\n")
        import cProfile

        profiler = cProfile.Profile()
        profiler.runcall(cmd.run, args, opts)
        profiler.dump_stats(opts.profile)
    else:
        cmd.run(args, opts)


def _describe_load_error(exc: BaseException) -> str:
    """One line naming the error and where it happened (the user's file, not importlib)."""
    if isinstance(exc, SyntaxError):
        return f"{type(exc).__name__}: {exc.msg} ({exc.filename}, line {exc.lineno})"
    frames = [
        frame for frame in traceback.extract_tb(exc.__traceback__) if not frame.filename.startswith("<frozen")
    ]
    where = f" ({frames[-1].filename}, line {frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _make_crawler_process(settings: Settings) -> Any:
    """Scrapy's choice of process class (both run on the same asyncio loop here): the
    coroutine-based one unless FORCE_CRAWLER_PROCESS is set or TWISTED_REACTOR names a
    reactor other than asyncio's."""
    from ascrapy.crawler import AsyncCrawlerProcess, CrawlerProcess
    from ascrapy.utils.reactor import ASYNCIO_REACTOR_PATH

    asyncio_default = settings["TWISTED_REACTOR"] == ASYNCIO_REACTOR_PATH and not settings.getbool(
        "FORCE_CRAWLER_PROCESS"
    )
    if asyncio_default or not settings.getbool("TWISTED_REACTOR_ENABLED"):
        return AsyncCrawlerProcess(settings)
    return CrawlerProcess(settings)


def execute(argv: list[str] | None = None, settings: Settings | None = None) -> None:
    """Run the command line ``argv`` (program name first) and exit with its code."""
    argv = list(sys.argv if argv is None else argv)
    prog = program_name(argv[0]) if argv else "ascrapy"
    if settings is None:
        settings = get_project_settings()
        if "EDITOR" in os.environ:
            settings.set("EDITOR", os.environ["EDITOR"], priority="project")

    inproject = inside_project()
    commands = _get_commands_dict(settings, inproject)
    cmdname = _pop_command_name(argv)
    if not cmdname:
        _print_commands(settings, inproject, prog)
        sys.exit(0)
    if cmdname not in commands:
        _print_unknown_command(settings, cmdname, inproject, prog)
        sys.exit(2)

    cmd = commands[cmdname]
    cmd.prog_name = prog
    cmd.argv = [cmdname, *argv[1:]]
    parser = ScrapyArgumentParser(
        prog=f"{prog} {cmdname}",
        formatter_class=ScrapyHelpFormatter,
        usage=f"{prog} {cmdname} {cmd.syntax()}",
        conflict_handler="resolve",
        description=cmd.long_desc(),
    )
    settings.setdict(cmd.default_settings, priority="command")
    cmd.settings = settings
    cmd.add_options(parser)
    opts, args = parser.parse_known_args(args=argv[1:])
    _run_print_help(parser, cmd.process_options, args, opts)

    try:
        if cmd.requires_crawler_process:
            cmd.crawler_process = _make_crawler_process(settings)
        _run_print_help(parser, _run_command, cmd, args, opts)
    except (ImportError, SyntaxError) as exc:
        # a spider module (or one it imports) is broken: say so in one line
        sys.stderr.write(f"{prog} {cmdname}: error: {_describe_load_error(exc)}\n")
        sys.exit(1)
    sys.exit(cmd.exitcode)


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: ``argv`` are the arguments after the program name."""
    full_argv = list(sys.argv) if argv is None else [sys.argv[0] if sys.argv else "ascrapy", *argv]
    try:
        try:
            execute(full_argv)
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                sys.stderr.write(f"{exc.code}\n")
                code = 1
        sys.stdout.flush()  # a reader that went away shows here, not in a traceback at exit
    except BrokenPipeError:
        _stop_writing_to_stdout()
        return 1
    return code


def _stop_writing_to_stdout() -> None:
    """The reader of our output went away (``ascrapy --help | head -1``): send whatever is
    still buffered to /dev/null, so that the interpreter's final flush fails no more."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
