"""The command line itself, run as a subprocess the way a user runs it: the command list,
help, plugins' commands, the global options, ``settings`` and ``version``."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.cli_helpers import Cli, _project_template, cli, project, workdir  # noqa: F401 - fixtures


# --- the command list, unknown commands ------------------------------------------------


def test_no_command_outside_project(cli: Cli, workdir: Path) -> None:
    result = cli(cwd=workdir)
    assert result.returncode == 0
    out = result.stdout
    assert re.search(r"^ascrapy \S+ - no active project$", out, re.M)
    assert "Usage:\n  ascrapy <command> [options] [args]" in out
    assert re.search(r"^  startproject +Create new project$", out, re.M)
    assert re.search(r"^  version +", out, re.M)
    assert not re.search(r"^  crawl ", out, re.M)
    assert "[ more ]      More commands available when run from project directory" in out
    assert 'Use "ascrapy <command> -h" to see more info about a command' in out
    assert not re.search(r"^  check ", out, re.M)  # project-only, like crawl


def test_no_command_inside_project(cli: Cli, project: Path) -> None:
    result = cli(cwd=project)
    assert result.returncode == 0
    assert re.search(r"^ascrapy \S+ - active project: demo$", result.stdout, re.M)
    assert re.search(r"^  crawl +Run a spider of the current project, by name$", result.stdout, re.M)
    assert re.search(r"^  list +List available spiders$", result.stdout, re.M)
    assert "[ more ]" not in result.stdout


def test_unknown_command(cli: Cli, workdir: Path) -> None:
    result = cli("abc", cwd=workdir)
    assert result.returncode == 2
    assert "Unknown command: abc" in result.stdout
    assert 'Use "ascrapy" to see available commands' in result.stdout


def test_project_only_command_outside_project(cli: Cli, workdir: Path) -> None:
    result = cli("list", cwd=workdir)
    assert result.returncode == 2
    assert "The list command is not available from this location." in result.stdout
    assert "These commands are only available from within a project: check, crawl, edit, list, parse." in result.stdout


def test_option_before_command_name(cli: Cli, workdir: Path) -> None:
    result = cli("-h", "version", cwd=workdir)
    assert result.returncode == 0
    assert "Usage\n=====\n  ascrapy version [-v]" in result.stdout


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("crawl", "ascrapy crawl [options] <spider>"),
        ("list", "ascrapy list "),
        ("runspider", "ascrapy runspider [options] <spider_file>"),
        ("startproject", "ascrapy startproject <project_name> [project_dir]"),
        ("genspider", "ascrapy genspider [options] <name> <domain>"),
        ("settings", "ascrapy settings [options]"),
        ("version", "ascrapy version [-v]"),
        ("fetch", "ascrapy fetch [options] <url>"),
    ],
)
def test_help(cli: Cli, project: Path, command: str, usage: str) -> None:
    result = cli(command, "-h", cwd=project)
    assert result.returncode == 0
    assert result.stdout.startswith(f"Usage\n=====\n  {usage}")
    assert "Global Options\n--------------\n" in result.stdout
    assert "-s NAME=VALUE, --set NAME=VALUE" in result.stdout


def test_run_spider_options_in_help(cli: Cli, workdir: Path) -> None:
    out = cli("runspider", "-h", cwd=workdir).stdout
    for option in (
        "-a NAME=VALUE",
        "-o FILE, --output FILE",
        "-O FILE, --overwrite-output FILE",
        "-t FORMAT",
    ):
        assert option in out


def test_program_name_follows_the_command_typed(cli: Cli, tmp_path: Path, workdir: Path) -> None:
    launcher = tmp_path / "bin" / "scrapy"
    launcher.parent.mkdir()
    launcher.write_text(
        f"#!{sys.executable}\nimport sys\nfrom ascrapy.cli.main import main\nsys.exit(main())\n"
    )
    launcher.chmod(0o755)
    run = lambda *args: subprocess.run(  # noqa: E731
        [str(launcher), *args], cwd=workdir, env=cli.env, capture_output=True, text=True, check=False
    )
    assert "Usage\n=====\n  scrapy genspider" in run("genspider", "-h").stdout
    assert 'Use "scrapy <command> -h"' in run().stdout
    assert run("nope").returncode == 2


def test_project_commands_module(cli: Cli, project: Path) -> None:
    package = project / "demo" / "commands"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "hello.py").write_text(
        textwrap.dedent("""
        from ascrapy.cli import ScrapyCommand
        from ascrapy.exceptions import UsageError

        class Command(ScrapyCommand):
            requires_crawler_process = False

            def syntax(self):
                return "<who>"

            def short_desc(self):
                return "Say hello"

            def run(self, args, opts):
                if not args:
                    raise UsageError
                if args[0] == "nobody":
                    raise UsageError(print_help=False)
                print(f"hello {args[0]} from {self.settings.get('BOT_NAME')}")
        """)
    )
    with (project / "demo" / "settings.py").open("a") as settings:
        settings.write('\nCOMMANDS_MODULE = "demo.commands"\n')
    assert re.search(r"^  hello +Say hello$", cli(cwd=project).stdout, re.M)
    assert cli("hello", "you", cwd=project).stdout == "hello you from demo\n"
    needs_help = cli("hello", cwd=project)
    assert needs_help.returncode == 2
    assert "Usage\n=====\n  ascrapy hello <who>" in needs_help.stdout
    silent = cli("hello", "nobody", cwd=project)
    assert (silent.returncode, silent.stdout) == (2, "")


def test_entry_point_commands(cli: Cli, workdir: Path) -> None:
    (workdir / "plugin_cmds.py").write_text(
        textwrap.dedent("""
        from ascrapy.cli import ScrapyCommand

        class Command(ScrapyCommand):
            requires_crawler_process = False

            def short_desc(self):
                return "A plugin command"

            def run(self, args, opts):
                print("plugin ran")
        """)
    )
    dist_info = workdir / "plugin_cmds-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: plugin-cmds\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text("[ascrapy.commands]\nplug = plugin_cmds:Command\n")
    assert re.search(r"^  plug +A plugin command$", cli(cwd=workdir).stdout, re.M)
    assert cli("plug", cwd=workdir).stdout == "plugin ran\n"


# --- settings and version ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "name", "expected"),
    [
        ("--get", "BOT_NAME", "scrapybot"),
        ("--getbool", "COOKIES_ENABLED", "True"),
        ("--getint", "CONCURRENT_REQUESTS", "16"),
        ("--getfloat", "DOWNLOAD_DELAY", "0.0"),
        ("--getlist", "SPIDER_MODULES", "[]"),
    ],
)
def test_settings_defaults(cli: Cli, workdir: Path, option: str, name: str, expected: str) -> None:
    result = cli("settings", option, name, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{expected}\n"


def test_settings_in_project_and_cmdline_priority(cli: Cli, project: Path) -> None:
    assert cli("settings", "--get", "BOT_NAME", cwd=project).stdout == "demo\n"
    assert cli("settings", "--getfloat", "DOWNLOAD_DELAY", cwd=project).stdout == "1.0\n"
    overridden = cli("settings", "--get", "BOT_NAME", "-s", "BOT_NAME=other", cwd=project)
    assert overridden.stdout == "other\n"


def test_settings_json_values(cli: Cli, workdir: Path) -> None:
    result = cli("settings", "--get", "ITEM_PIPELINES", "-s", 'ITEM_PIPELINES={"a.B": 300}', cwd=workdir)
    assert result.stdout == '{"a.B": 300}\n'
    listed = cli("settings", "--getlist", "SPIDER_MODULES", "-s", 'SPIDER_MODULES=["x", "y"]', cwd=workdir)
    assert listed.stdout == "['x', 'y']\n"
    text = cli("settings", "--get", "BOT_NAME", "-s", "BOT_NAME={not json", cwd=workdir)
    assert text.stdout == "{not json\n"


def test_settings_no_option_prints_nothing(cli: Cli, workdir: Path) -> None:
    result = cli("settings", cwd=workdir)
    assert result.returncode == 0
    assert result.stdout == ""


def test_invalid_set_value(cli: Cli, workdir: Path) -> None:
    result = cli("settings", "-s", "NOEQUALS", cwd=workdir)
    assert result.returncode == 2
    assert "Invalid -s value, use -s NAME=VALUE" in result.stderr


def test_version(cli: Cli, workdir: Path) -> None:
    result = cli("version", cwd=workdir)
    assert result.returncode == 0
    assert re.fullmatch(r"ascrapy \S+\n", result.stdout)


def test_version_verbose(cli: Cli, workdir: Path) -> None:
    result = cli("version", "-v", cwd=workdir)
    names = [line.split(":")[0].strip() for line in result.stdout.splitlines()]
    assert names[0] == "ascrapy"
    for name in ("lxml", "parsel", "w3lib", "aiohttp", "aiostream", "Python", "Platform"):
        assert name in names
    widths = {line.index(" : ") for line in result.stdout.splitlines()}
    assert len(widths) == 1  # one aligned column


def test_pidfile(cli: Cli, workdir: Path) -> None:
    pidfile = workdir / "run.pid"
    assert cli("version", "--pidfile", str(pidfile), cwd=workdir).returncode == 0
    assert pidfile.read_text().strip().isdigit()


def test_profile(cli: Cli, workdir: Path) -> None:
    stats = workdir / "prof.out"
    result = cli("version", "--profile", str(stats), cwd=workdir)
    assert result.returncode == 0
    assert "writing cProfile stats" in result.stderr
    import pstats

    assert pstats.Stats(str(stats)).total_calls > 0


def test_python_dash_m_ascrapy(cli: Cli, workdir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ascrapy", "version"],
        cwd=workdir,
        env=cli.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("ascrapy ")


@pytest.mark.parametrize("args", [(), ("--help",), ("version", "-v")])
def test_a_reader_that_goes_away_gets_no_traceback(cli: Cli, workdir: Path, args: tuple[str, ...]) -> None:
    """``ascrapy --help | head -1``: the pipe's reader is gone before the first write."""
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "ascrapy.cli.main", *args], cwd=workdir, env=cli.env,
            stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60, check=False,
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 1
